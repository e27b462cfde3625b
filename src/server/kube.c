/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small Kubernetes API client over libcurl: GET, streamed GET and watch, bearer
 * tokens (re-read from a token file on every request, so rotated
 * service-account tokens are picked up), client certificates, CA bundles
 * (file or inline data), and client-go's token-bucket rate limit
 * (--client-qps-limit / --client-qps-burst).
 */
#include "server.h"

#include "util/xalloc.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BODY ((size_t)256 * 1024 * 1024)
#define MAX_LINE ((size_t)16 * 1024 * 1024)
#define MAX_ERROR_BODY ((size_t)64 * 1024)

struct pg_kube_client {
    struct pg_kube_config config;
    pthread_mutex_t lock;
    double qps;
    double burst;
    double tokens;
    int64_t last_ns;
};

static int64_t monotonic_ns(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        return 0;
    }
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static char *dup_or_null(const char *text)
{
    return text != NULL ? pg_xstrndup(text, strlen(text)) : NULL;
}

static void copy_config(struct pg_kube_config *out, const struct pg_kube_config *in)
{
    out->server = dup_or_null(in->server);
    out->ca_file = dup_or_null(in->ca_file);
    out->ca_data = dup_or_null(in->ca_data);
    out->token = dup_or_null(in->token);
    out->token_file = dup_or_null(in->token_file);
    out->cert_file = dup_or_null(in->cert_file);
    out->cert_data = dup_or_null(in->cert_data);
    out->key_file = dup_or_null(in->key_file);
    out->key_data = dup_or_null(in->key_data);
    out->insecure = in->insecure;
    out->credential_plugin = dup_or_null(in->credential_plugin);
}

void pg_kube_config_release(struct pg_kube_config *config)
{
    free(config->server);
    free(config->ca_file);
    free(config->ca_data);
    free(config->token);
    free(config->token_file);
    free(config->cert_file);
    free(config->cert_data);
    free(config->key_file);
    free(config->key_data);
    free(config->credential_plugin);
    memset(config, 0, sizeof(*config));
}

int pg_kube_client_new(struct pg_kube_client **out, const struct pg_kube_config *config, double qps,
                       int burst, struct pg_error *err)
{
    struct pg_kube_client *client = NULL;
    if (config->server == NULL || config->server[0] == '\0') {
        return pg_error_set(err, PG_EINVAL, "no Kubernetes API server configured");
    }
    client = pg_xcalloc(1, sizeof(*client));
    copy_config(&client->config, config);
    (void)pthread_mutex_init(&client->lock, NULL);
    client->qps = qps;
    client->burst = burst > 0 ? burst : 1;
    client->tokens = client->burst;
    client->last_ns = monotonic_ns();
    *out = client;
    return 0;
}

void pg_kube_client_free(struct pg_kube_client *client)
{
    if (client == NULL) {
        return;
    }
    pg_kube_config_release(&client->config);
    (void)pthread_mutex_destroy(&client->lock);
    free(client);
}

/* client-go's token bucket: refill at qps up to burst; wait for a token. */
static void rate_limit(struct pg_kube_client *client)
{
    int64_t now = 0;
    double wait_s = 0;
    if (client->qps <= 0) {
        return; /* a non-positive limit disables rate limiting */
    }
    (void)pthread_mutex_lock(&client->lock);
    now = monotonic_ns();
    client->tokens += (double)(now - client->last_ns) / 1e9 * client->qps;
    client->last_ns = now;
    if (client->tokens > client->burst) {
        client->tokens = client->burst;
    }
    client->tokens -= 1;
    if (client->tokens < 0) {
        wait_s = -client->tokens / client->qps;
    }
    (void)pthread_mutex_unlock(&client->lock);
    if (wait_s > 0) {
        struct timespec pause = {(time_t)wait_s, (long)((wait_s - (double)(time_t)wait_s) * 1e9)};
        (void)nanosleep(&pause, NULL);
    }
}

/* The bearer token: the token file (re-read each time, it rotates) or the static token. */
static void authorization(struct pg_buf *header, const struct pg_kube_config *config)
{
    FILE *f = NULL;
    char token[16384];
    size_t len = 0;
    if (config->token_file != NULL) {
        f = fopen(config->token_file, "r");
    }
    if (f != NULL) {
        len = fread(token, 1, sizeof(token) - 1, f);
        (void)fclose(f);
        while (len > 0 &&
               (token[len - 1] == '\n' || token[len - 1] == '\r' || token[len - 1] == ' ')) {
            len--;
        }
        token[len] = '\0';
        pg_buf_printf(header, "Authorization: Bearer %s", token);
    } else if (config->token != NULL) {
        pg_buf_printf(header, "Authorization: Bearer %s", config->token);
    }
}

static void set_blob(CURL *curl, CURLoption option, const char *data)
{
    struct curl_blob blob = {(void *)(uintptr_t)data, strlen(data), CURL_BLOB_COPY};
    (void)curl_easy_setopt(curl, option, &blob);
}

static void set_tls(CURL *curl, const struct pg_kube_config *config)
{
    if (config->ca_data != NULL) {
        set_blob(curl, CURLOPT_CAINFO_BLOB, config->ca_data);
    } else if (config->ca_file != NULL) {
        (void)curl_easy_setopt(curl, CURLOPT_CAINFO, config->ca_file);
    }
    if (config->cert_data != NULL) {
        set_blob(curl, CURLOPT_SSLCERT_BLOB, config->cert_data);
        (void)curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
    } else if (config->cert_file != NULL) {
        (void)curl_easy_setopt(curl, CURLOPT_SSLCERT, config->cert_file);
    }
    if (config->key_data != NULL) {
        set_blob(curl, CURLOPT_SSLKEY_BLOB, config->key_data);
        (void)curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
    } else if (config->key_file != NULL) {
        (void)curl_easy_setopt(curl, CURLOPT_SSLKEY, config->key_file);
    }
    if (config->insecure) {
        (void)curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        (void)curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
}

/* A configured easy handle for `path`; *headers must be freed with curl_slist_free_all. */
static CURL *prepare(struct pg_kube_client *client, const char *path, struct curl_slist **headers)
{
    CURL *curl = curl_easy_init();
    struct pg_buf url = PG_BUF_INIT;
    struct pg_buf auth = PG_BUF_INIT;
    if (curl == NULL) {
        return NULL;
    }
    pg_buf_printf(&url, "%s%s", client->config.server, path);
    authorization(&auth, &client->config);
    *headers = curl_slist_append(NULL, "Accept: application/json");
    if (auth.len > 0) {
        *headers = curl_slist_append(*headers, auth.ptr);
    }
    *headers = curl_slist_append(*headers, "User-Agent: podgate");
    (void)curl_easy_setopt(curl, CURLOPT_URL, url.ptr);
    (void)curl_easy_setopt(curl, CURLOPT_HTTPHEADER, *headers);
    (void)curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    (void)curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    (void)curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    set_tls(curl, &client->config);
    pg_buf_release(&url);
    pg_buf_release(&auth);
    return curl;
}

/* A request's easy handle, once the client's rate limit lets it go; NULL with *error set. */
static CURL *begin_request(struct pg_kube_client *client, const char *path,
                           struct curl_slist **headers, struct pg_buf *error)
{
    CURL *curl = NULL;
    rate_limit(client);
    curl = prepare(client, path, headers);
    if (curl == NULL) {
        pg_buf_puts(error, "cannot create an HTTP client");
    }
    return curl;
}

static size_t collect(char *data, size_t size, size_t count, void *ctx)
{
    struct pg_buf *body = ctx;
    pg_buf_put(body, data, size * count);
    return pg_buf_failed(body) ? 0 : size * count;
}

static int finish(CURL *curl, CURLcode code, long *status, const struct pg_buf *body,
                  struct pg_buf *error)
{
    *status = 0;
    if (code != CURLE_OK) {
        pg_buf_puts(error, curl_easy_strerror(code));
        return PG_EIO;
    }
    (void)curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    if (*status != 200) {
        pg_buf_printf(error, "HTTP %ld: %.*s", *status, (int)(body->len < 512 ? body->len : 512),
                      body->ptr != NULL ? body->ptr : "");
        return *status == 404 ? PG_ENOENT : PG_EIO;
    }
    return 0;
}

int pg_kube_get(struct pg_kube_client *client, struct pg_buf *body, long *status, const char *path,
                long timeout_ms, struct pg_buf *error)
{
    struct curl_slist *headers = NULL;
    CURL *curl = NULL;
    CURLcode code = CURLE_OK;
    int rc = 0;
    curl = begin_request(client, path, &headers, error);
    if (curl == NULL) {
        return PG_EIO;
    }
    body->max = MAX_BODY;
    (void)curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 30000L);
    (void)curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    (void)curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    code = curl_easy_perform(curl);
    rc = finish(curl, code, status, body, error);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}

struct stream_state {
    pg_kube_data_fn on_data;
    void *ctx;
    CURL *curl;
    long status;
    bool stopped;
    struct pg_buf error_body;
};

static size_t on_body(char *data, size_t size, size_t count, void *ctx)
{
    struct stream_state *state = ctx;
    size_t len = size * count;
    if (state->status == 0) {
        (void)curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &state->status);
    }
    if (state->status != 200) {
        /* An error's Status object; a longer body is cut, not failed. */
        size_t room = state->error_body.max - state->error_body.len;
        pg_buf_put(&state->error_body, data, len < room ? len : room);
        return len;
    }
    if (!state->on_data(data, len, state->ctx)) {
        state->stopped = true;
        return 0;
    }
    return len;
}

static bool is_tls_failure(CURLcode code)
{
    return code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION ||
           code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CIPHER ||
           code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_ISSUER_ERROR ||
           code == CURLE_SSL_CLIENTCERT;
}

/* curl's words for a failed transfer, with its detail (the TLS library's reason) if any. */
static int transport_error(struct pg_buf *error, CURLcode code, const char *detail)
{
    pg_buf_puts(error, curl_easy_strerror(code));
    if (detail[0] != '\0') {
        pg_buf_printf(error, ": %s", detail);
    }
    return is_tls_failure(code) ? PG_ETLS : PG_EIO;
}

static int stream_result(struct stream_state *state, CURLcode code, const char *detail,
                         long *status, struct pg_buf *error)
{
    *status = 0;
    if (state->stopped) {
        pg_buf_puts(error, "stopped while reading the response");
        return PG_EIO;
    }
    if (code != CURLE_OK) {
        return transport_error(error, code, detail);
    }
    (void)curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, status);
    if (*status == 200) {
        return 0;
    }
    pg_buf_put(error, state->error_body.ptr != NULL ? state->error_body.ptr : "",
               state->error_body.len);
    return *status == 404 ? PG_ENOENT : PG_EIO;
}

int pg_kube_get_stream(struct pg_kube_client *client, const char *path, pg_kube_data_fn on_data,
                       void *ctx, long *status, struct pg_buf *error)
{
    struct stream_state state = {on_data, ctx, NULL, 0, false, PG_BUF_INIT};
    struct curl_slist *headers = NULL;
    char detail[CURL_ERROR_SIZE] = "";
    CURLcode code = CURLE_OK;
    int rc = 0;
    *status = 0;
    state.curl = begin_request(client, path, &headers, error);
    if (state.curl == NULL) {
        return PG_EIO;
    }
    pg_buf_init(&state.error_body, MAX_ERROR_BODY);
    (void)curl_easy_setopt(state.curl, CURLOPT_ERRORBUFFER, detail);
    (void)curl_easy_setopt(state.curl, CURLOPT_ACCEPT_ENCODING, "");
    (void)curl_easy_setopt(state.curl, CURLOPT_WRITEFUNCTION, on_body);
    (void)curl_easy_setopt(state.curl, CURLOPT_WRITEDATA, &state);
    /* A page of a big LIST may take a while; only a stalled transfer is given up on. */
    (void)curl_easy_setopt(state.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    (void)curl_easy_setopt(state.curl, CURLOPT_LOW_SPEED_TIME, 60L);
    code = curl_easy_perform(state.curl);
    rc = stream_result(&state, code, detail, status, error);
    pg_buf_release(&state.error_body);
    curl_slist_free_all(headers);
    curl_easy_cleanup(state.curl);
    return rc;
}

struct watch_state {
    struct pg_buf line;
    pg_kube_line_fn on_line;
    void *ctx;
    const atomic_bool *stop;
    bool stopped;
    long status;
    CURL *curl;
};

static size_t on_data(char *data, size_t size, size_t count, void *ctx)
{
    struct watch_state *state = ctx;
    size_t len = size * count;
    size_t i = 0;
    if (state->status == 0) {
        (void)curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &state->status);
    }
    if (state->status != 200) {
        pg_buf_put(&state->line, data, len); /* the error body */
        return pg_buf_failed(&state->line) ? 0 : len;
    }
    for (i = 0; i < len; i++) {
        if (data[i] != '\n') {
            pg_buf_putc(&state->line, data[i]);
            continue;
        }
        if (state->line.len > 0 && !state->on_line(state->line.ptr, state->line.len, state->ctx)) {
            state->stopped = true;
            return 0;
        }
        pg_buf_clear(&state->line);
    }
    return pg_buf_failed(&state->line) ? 0 : len;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct watch_state *state = ctx;
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    if (atomic_load(state->stop)) {
        state->stopped = true;
        return 1;
    }
    return 0;
}

int pg_kube_watch(struct pg_kube_client *client, const char *path, pg_kube_line_fn on_line,
                  void *ctx, const atomic_bool *stop, long *status, struct pg_buf *error)
{
    struct watch_state state = {PG_BUF_INIT, on_line, ctx, stop, false, 0, NULL};
    struct curl_slist *headers = NULL;
    CURLcode code = CURLE_OK;
    int rc = 0;
    state.curl = begin_request(client, path, &headers, error);
    if (state.curl == NULL) {
        return PG_EIO;
    }
    pg_buf_init(&state.line, MAX_LINE);
    (void)curl_easy_setopt(state.curl, CURLOPT_WRITEFUNCTION, on_data);
    (void)curl_easy_setopt(state.curl, CURLOPT_WRITEDATA, &state);
    (void)curl_easy_setopt(state.curl, CURLOPT_NOPROGRESS, 0L);
    (void)curl_easy_setopt(state.curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    (void)curl_easy_setopt(state.curl, CURLOPT_XFERINFODATA, &state);
    /* The server ends a watch after timeoutSeconds; this only bounds a dead peer. */
    (void)curl_easy_setopt(state.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    (void)curl_easy_setopt(state.curl, CURLOPT_LOW_SPEED_TIME, 600L);
    code = curl_easy_perform(state.curl);
    if (state.stopped) {
        rc = 0;
        *status = 200;
    } else {
        rc = finish(state.curl, code, status, &state.line, error);
    }
    pg_buf_release(&state.line);
    curl_slist_free_all(headers);
    curl_easy_cleanup(state.curl);
    return rc;
}
