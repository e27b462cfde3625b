/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTPS front: libmicrohttpd with a thread pool, GnuTLS with TLS 1.2+
 * only and reloadable credentials, upstream's endpoints (/healthz, /readyz,
 * /metrics, anything else = admission), the 3 MiB body limit, header and
 * connection limits against slow or greedy clients, and draining on shutdown.
 */
#include "server.h"

#include "util/xalloc.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * GnuTLS's defaults, TLS 1.2 and 1.3 only, the client's preferences first. A TLS 1.3 client
 * sends a key share for its preferred group only (X25519 for Go, the API server, and OpenSSL;
 * P-256 for FIPS builds): with the server's order preferred (%SERVER_PRECEDENCE, P-256 first),
 * every X25519 client's handshake took a HelloRetryRequest, one more round trip, to switch.
 * Every cipher suite of NORMAL is sound, and the client knows which its hardware runs fastest.
 */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* --tls-min-version VersionTLS13. */
#define TLS13_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3"
/* Per-connection memory for the request line, headers and I/O buffers. libmicrohttpd zeroes
   all of it after every request, so it is a per-request cost: 32 KiB, its default. */
#define HEADER_MEMORY_LIMIT ((size_t)32 * 1024)
#define CONNECTION_LIMIT 4096
#define BODY_RESERVE_MAX ((unsigned long long)64 * 1024)
/* A connection keeps its body buffer between requests up to this capacity; a larger one (a
   big review) is released when its request ends, so idle connections hold little. */
#define BODY_KEEP_MAX ((size_t)64 * 1024)

/*
 * The admission workspace of one worker thread: each review that thread serves is read into the
 * memory of its previous one (at most about 100 KiB, see review.c), which its cache still holds.
 * A slot is claimed by the first review on a thread (FREE -> CLAIMING -> READY); only the owner
 * uses the workspace afterwards, so no lock is taken.
 */
enum {
    SLOT_FREE,
    SLOT_CLAIMING,
    SLOT_READY
};
struct worker_slot {
    atomic_int state;
    pthread_t thread; /* written before state becomes SLOT_READY */
    struct pg_admission_workspace *workspace;
};

struct pg_server {
    struct MHD_Daemon *daemon;
    struct pg_tls_store *tls;
    const struct pg_admission_handler *handler;
    struct pg_metrics *metrics;
    struct pg_nscache *cache;
    atomic_long in_flight;
    atomic_bool draining;
    unsigned port;
    struct worker_slot *workers; /* one per libmicrohttpd worker thread */
    size_t workers_len;
};

/*
 * The request state of one connection, created when the connection opens and reused by each
 * request on it (the API server keeps its connections alive): the body buffer keeps its
 * capacity from one review to the next instead of being allocated and freed per request.
 */
struct request {
    struct pg_buf body;
    bool too_large;
    int64_t started_ns;
};

static struct request *request_new(void)
{
    struct request *request = pg_xcalloc(1, sizeof(*request));
    pg_buf_init(&request->body, PG_ADMISSION_MAX_BODY);
    return request;
}

static void request_free(struct request *request)
{
    if (request == NULL) {
        return;
    }
    pg_buf_release(&request->body);
    free(request);
}

/* Ready the connection's state for its next request. */
static void request_reset(struct request *request)
{
    if (request->body.cap > BODY_KEEP_MAX) {
        pg_buf_release(&request->body);
    }
    pg_buf_clear(&request->body);
    request->too_large = false;
    request->started_ns = 0;
}

static int64_t now_ns(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        return 0;
    }
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* The calling thread's workspace, claimed at its first review; NULL past the slots. */
static struct pg_admission_workspace *thread_workspace(struct pg_server *server)
{
    pthread_t self = pthread_self();
    size_t i = 0;
    for (i = 0; i < server->workers_len; i++) {
        struct worker_slot *slot = &server->workers[i];
        int expected = SLOT_FREE;
        if (atomic_load_explicit(&slot->state, memory_order_acquire) == SLOT_READY &&
            pthread_equal(slot->thread, self)) {
            return slot->workspace;
        }
        if (atomic_compare_exchange_strong(&slot->state, &expected, SLOT_CLAIMING)) {
            slot->thread = self;
            slot->workspace = pg_admission_workspace_new();
            atomic_store_explicit(&slot->state, SLOT_READY, memory_order_release);
            return slot->workspace;
        }
    }
    return NULL;
}

static enum MHD_Result send_buffer(struct MHD_Connection *connection, int status,
                                   const char *content_type, char *data, size_t len)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result rc = MHD_NO;
    if (response == NULL) {
        free(data);
        return MHD_NO;
    }
    (void)MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (strncmp(content_type, "text/plain", 10) == 0) {
        (void)MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    }
    rc = MHD_queue_response(connection, (unsigned)status, response);
    MHD_destroy_response(response);
    return rc;
}

static enum MHD_Result send_text(struct MHD_Connection *connection, int status, const char *text)
{
    size_t len = strlen(text);
    char *copy = pg_xmalloc(len + 1);
    memcpy(copy, text, len + 1);
    return send_buffer(connection, status, "text/plain; charset=utf-8", copy, len);
}

static void log_admission(const struct pg_admission_result *result, double seconds)
{
    struct pg_log_line line;
    if (result->http_status == 200 && result->allowed) {
        return; /* allowed reviews are counted in metrics, not logged one by one */
    }
    pg_log_begin(&line, result->http_status == 200 ? "info" : "warn",
                 result->http_status == 200 ? "denied" : "bad request");
    pg_log_int(&line, "status", result->http_status);
    if (result->reviewed) {
        pg_log_str(&line, "uid", result->uid);
        pg_log_str(&line, "resource", result->resource_name);
        pg_log_str(&line, "namespace", result->namespace_);
        pg_log_str(&line, "name", result->name);
        pg_log_str(&line, "operation", result->operation);
        pg_log_int(&line, "code", result->status_code);
    }
    pg_log_str(&line, "message", result->message);
    pg_log_double(&line, "seconds", seconds);
    pg_log_end(&line);
}

static enum MHD_Result serve_admission(struct pg_server *server, struct MHD_Connection *connection,
                                       struct request *request)
{
    struct pg_admission_handler handler = *server->handler;
    struct pg_nscache_lookup lookup;
    struct pg_admission_http_request http;
    struct pg_admission_result result;
    char *body = NULL;
    size_t len = 0;
    enum MHD_Result rc = MHD_NO;
    memset(&http, 0, sizeof(http));
    http.body = request->body.ptr != NULL ? request->body.ptr : "";
    http.body_len = request->body.len;
    http.body_too_large = request->too_large;
    http.content_type =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    http.timeout = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, "timeout");
    http.received_ns = request->started_ns;
    if (server->cache != NULL) {
        /* A cache miss waits for the API no longer than the API server waits for us. */
        lookup.cache = server->cache;
        lookup.deadline_ns = pg_nscache_lookup_deadline(http.timeout, http.received_ns);
        handler.get_namespace = pg_nscache_get_namespace;
        handler.namespace_ctx = &lookup;
    }
    pg_admission_result_init(&result);
    http.workspace = thread_workspace(server);
    pg_admission_handle(&result, &handler, &http);
    pg_metrics_record(server->metrics, &result);
    log_admission(&result, (double)(now_ns() - request->started_ns) / 1e9);
    len = result.body.len;
    body = result.body.ptr != NULL ? result.body.ptr : pg_xcalloc(1, 1);
    result.body.ptr = NULL; /* handed to MHD, which frees it */
    rc = send_buffer(connection, result.http_status, result.content_type, body, len);
    pg_metrics_observe_request(server->metrics, result.http_status,
                               (double)(now_ns() - request->started_ns) / 1e9);
    pg_admission_result_release(&result);
    return rc;
}

static enum MHD_Result serve(struct pg_server *server, struct MHD_Connection *connection,
                             const char *url, struct request *request)
{
    struct pg_buf text = PG_BUF_INIT;
    if (strcmp(url, "/healthz") == 0) {
        return send_text(connection, 200, "ok");
    }
    if (strcmp(url, "/readyz") == 0) {
        if (atomic_load(&server->draining)) {
            return send_text(connection, 503,
                             "[-]shutdown failed: process is shutting down\nreadyz check failed");
        }
        if (server->cache != NULL && !pg_nscache_synced(server->cache)) {
            return send_text(connection, 503,
                             "[-]informer-sync failed: not synced\nreadyz check failed");
        }
        return send_text(connection, 200, "ok");
    }
    if (strcmp(url, "/metrics") == 0) {
        pg_metrics_render(server->metrics, &text);
        if (server->cache != NULL) {
            struct pg_nscache_health health;
            pg_nscache_health(&health, server->cache);
            pg_metrics_render_cache(&text, &health);
        }
        return send_buffer(connection, 200, "text/plain; version=0.0.4; charset=utf-8",
                           text.ptr != NULL ? text.ptr : pg_xcalloc(1, 1), text.len);
    }
    return serve_admission(server, connection, request);
}

/* Keep up to the limit; upstream answers 413 once the limit is reached. */
static void take_upload(struct request *request, const char *data, size_t size)
{
    size_t room = PG_ADMISSION_MAX_BODY - request->body.len;
    if (request->too_large) {
        return;
    }
    if (size >= room) {
        request->too_large = true;
        pg_buf_release(&request->body);
        return;
    }
    pg_buf_put(&request->body, data, size);
}

/* The Content-Length header's value, 0 when there is none (or it is not a number). */
static unsigned long long declared_length(struct MHD_Connection *connection)
{
    const char *length =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    char *end = NULL;
    unsigned long long value = 0;
    if (length == NULL) {
        return 0;
    }
    value = strtoull(length, &end, 10);
    return end != length ? value : 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct pg_server *server = cls;
    struct request *request = *con_cls;
    (void)method;
    (void)version;
    if (request == NULL) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        unsigned long long length = declared_length(connection);
        request = info != NULL ? info->socket_context : NULL;
        if (request == NULL) {
            return MHD_NO; /* cannot happen: on_connection created it */
        }
        request_reset(request);
        request->started_ns = now_ns();
        atomic_fetch_add(&server->in_flight, 1);
        *con_cls = request;
        if (length >= PG_ADMISSION_MAX_BODY) {
            /* Answer before reading a body we would refuse anyway; counted like any other. */
            enum MHD_Result rc =
                send_text(connection, 413, "request entity is too large; limit is 3145728 bytes\n");
            pg_metrics_observe_request(server->metrics, 413,
                                       (double)(now_ns() - request->started_ns) / 1e9);
            return rc;
        }
        /* One allocation for a typical body rather than one per doubling; capped, so that
           declaring a large body without sending it reserves little. */
        if (length > 0) {
            pg_buf_reserve(&request->body,
                           (size_t)(length < BODY_RESERVE_MAX ? length : BODY_RESERVE_MAX));
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        take_upload(request, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return serve(server, connection, url, request);
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct pg_server *server = cls;
    struct request *request = *con_cls;
    (void)connection;
    (void)toe;
    if (request == NULL) {
        return;
    }
    /* The state belongs to the connection (on_connection frees it); only trim it. */
    request_reset(request);
    *con_cls = NULL;
    atomic_fetch_sub(&server->in_flight, 1);
}

/*
 * TCP_NODELAY from the start, as Go's servers and clients set it. libmicrohttpd sets it only
 * around its responses, so the TLS handshake ran with Nagle: after a HelloRetryRequest (a client
 * whose key share is not the server's first group) the server's flight waited for the ACK of the
 * previous small record, which the client delays by 40 ms on Linux. Seen as start-to-ready
 * falling either near 30 ms or near 70 ms; every new connection from the API server could pay it.
 */
static void set_no_delay(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    int on = 1;
    if (info != NULL) {
        (void)setsockopt(info->connect_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    }
}

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct pg_server *server = cls;
    const union MHD_ConnectionInfo *info = NULL;
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        request_free(*socket_context);
        *socket_context = NULL;
        return;
    }
    *socket_context = request_new();
    set_no_delay(connection);
    info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (info != NULL && info->tls_session != NULL) {
        pg_tls_store_attach(server->tls, info->tls_session);
    }
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    char text[512];
    (void)cls;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    (void)vsnprintf(text, sizeof(text), fmt, ap);
#pragma GCC diagnostic pop
    text[strcspn(text, "\n")] = '\0';
    pg_log_message("warn", "http", text);
}

/* The listening address (IPv4 or IPv6) and the libmicrohttpd flags its family needs. */
static int bind_address(struct sockaddr_storage *out, unsigned *flags_out, const char *address,
                        unsigned port, struct pg_error *err)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    memset(out, 0, sizeof(*out));
    *flags_out = 0;
    if (address == NULL || address[0] == '\0') {
        address = "0.0.0.0";
    }
    if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        return 0;
    }
    if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        /* "::" is every address of both families, as for Go's listener: IPv4 clients too. */
        *flags_out = IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr) ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
        return 0;
    }
    return pg_error_set(err, PG_EINVAL, "--bind-address: not an IP address: %s", address);
}

static struct MHD_Daemon *start_daemon(struct pg_server *server,
                                       const struct pg_server_options *options,
                                       const struct sockaddr_storage *address,
                                       unsigned family_flags)
{
    /*
     * poll(), not epoll: libmicrohttpd 0.9.75 in epoll mode keeps a connection that is in the
     * middle of a TLS handshake on its ready list, so the worker spins (epoll_wait with a zero
     * timeout, recv, EAGAIN) until the client's next flight arrives: about 3.5 ms of CPU per
     * handshake here instead of 0.7 ms, taken from the namespace sync and the client.
     */
    unsigned flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | family_flags;
    const char *priorities = options->tls13_only ? TLS13_PRIORITIES : TLS_PRIORITIES;
    unsigned timeout = options->connection_timeout_s > 0 ? options->connection_timeout_s : 60;
    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, server, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
        MHD_OPTION_SOCK_ADDR, address, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)server->workers_len,
        MHD_OPTION_HTTPS_PRIORITIES, priorities, MHD_OPTION_HTTPS_CERT_CALLBACK, pg_tls_retrieve,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, server, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, server, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, HEADER_MEMORY_LIMIT, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)CONNECTION_LIMIT, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
}

int pg_server_start(struct pg_server **out, const struct pg_server_options *options,
                    struct pg_error *err)
{
    struct pg_server *server = pg_xcalloc(1, sizeof(*server));
    struct sockaddr_storage address;
    unsigned family_flags = 0;
    const union MHD_DaemonInfo *info = NULL;
    int rc = bind_address(&address, &family_flags, options->bind_address, options->port, err);
    if (rc == 0) {
        rc = pg_tls_store_new(&server->tls, options->cert_file, options->key_file, err);
    }
    if (rc != 0) {
        pg_server_free(server);
        return rc;
    }
    server->handler = options->handler;
    server->metrics = options->metrics;
    server->cache = options->cache;
    server->workers_len = options->threads > 0 ? (size_t)options->threads : 1;
    server->workers = pg_xcalloc(server->workers_len, sizeof(*server->workers));
    server->daemon = start_daemon(server, options, &address, family_flags);
    if (server->daemon == NULL) {
        pg_server_free(server);
        return pg_error_set(err, PG_EIO, "cannot listen on port %u", options->port);
    }
    info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
    server->port = info != NULL ? info->port : options->port;
    *out = server;
    return 0;
}

unsigned pg_server_port(const struct pg_server *server)
{
    return server->port;
}

void pg_server_poll(struct pg_server *server)
{
    struct pg_error err;
    int rc = pg_tls_store_poll(server->tls, &err);
    if (rc > 0) {
        pg_log_message("info", "serving certificate reloaded", NULL);
    } else if (rc < 0) {
        pg_log_message("warn", "serving certificate not reloaded", err.message);
    }
}

void pg_server_set_not_ready(struct pg_server *server)
{
    atomic_store(&server->draining, true);
}

void pg_server_drain(struct pg_server *server, long timeout_ms)
{
    struct timespec pause = {0, 10 * 1000 * 1000};
    long waited = 0;
    pg_server_set_not_ready(server);
    if (server->daemon != NULL) {
        MHD_socket listener = MHD_quiesce_daemon(server->daemon);
        if (listener != MHD_INVALID_SOCKET) {
            (void)close(listener);
        }
    }
    while (atomic_load(&server->in_flight) > 0 && waited < timeout_ms) {
        (void)nanosleep(&pause, NULL);
        waited += 10;
    }
}

void pg_server_free(struct pg_server *server)
{
    size_t i = 0;
    if (server == NULL) {
        return;
    }
    if (server->daemon != NULL) {
        MHD_stop_daemon(server->daemon);
    }
    for (i = 0; i < server->workers_len; i++) {
        pg_admission_workspace_free(server->workers[i].workspace);
    }
    free(server->workers);
    pg_tls_store_free(server->tls);
    free(server);
}
