/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The webhook server: an internal library linked into the CLI. HTTPS
 * (libmicrohttpd + GnuTLS, reloadable certificates), a Kubernetes API client
 * (libcurl), a namespace cache fed by LIST + WATCH, Prometheus metrics and
 * JSON log lines. It holds no policy logic: requests go to
 * pg_admission_handle.
 */
#ifndef PG_SERVER_H
#define PG_SERVER_H

#include "podgate/admission.h"
#include "podgate/buf.h"
#include "podgate/common.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- log.c: one JSON object per line on stderr ---- */

struct pg_log_line {
    struct pg_buf buf;
};

/* Start a line with "ts", "level" and "msg". */
void pg_log_begin(struct pg_log_line *line, const char *level, const char *msg);
void pg_log_str(struct pg_log_line *line, const char *key, const char *value);
void pg_log_int(struct pg_log_line *line, const char *key, int64_t value);
void pg_log_double(struct pg_log_line *line, const char *key, double value);
/* Finish the line, write it to stderr with one write, release it. */
void pg_log_end(struct pg_log_line *line);
/* A line with just a message and an optional error. */
void pg_log_message(const char *level, const char *msg, const char *error);

/* ---- metrics.c: spec §7 counters in the Prometheus text format ---- */

struct pg_metrics;

/* The --metrics-namespace-label-limit default: distinct namespace label values. */
#define PG_METRICS_NAMESPACE_VALUES_DEFAULT 1000

/*
 * `namespace_values_max` > 0 adds a `namespace` label to every pod_security_* series, with at
 * most that many distinct values: namespaces seen after them are counted as "_other". 0: no
 * namespace label.
 */
struct pg_metrics *pg_metrics_new(size_t namespace_values_max);
void pg_metrics_free(struct pg_metrics *metrics);
/* Record the events of one admission result. Thread-safe. */
void pg_metrics_record(struct pg_metrics *metrics, const struct pg_admission_result *result);
/* Count one HTTP request and its duration (podgate_* metrics). Thread-safe. */
void pg_metrics_observe_request(struct pg_metrics *metrics, int status, double seconds);
/* The exposition text (version 0.0.4). */
void pg_metrics_render(struct pg_metrics *metrics, struct pg_buf *out);
/* The `policy_version` label (reference version: the library max, v1.37). */
const char *pg_metrics_version_label(struct pg_level_version lv, char *buf, size_t size);

struct pg_nscache_health;
/* Append the namespace cache's health metrics (podgate_namespace_*, podgate_kube_api_*). */
void pg_metrics_render_cache(struct pg_buf *out, const struct pg_nscache_health *health);

/* ---- tls.c: certificate and key re-read when the files change ---- */

struct pg_tls_store;

int pg_tls_store_new(struct pg_tls_store **out, const char *cert_file, const char *key_file,
                     struct pg_error *err);
void pg_tls_store_free(struct pg_tls_store *store);
/* Re-read the pair when either file changed; 1 when reloaded, 0 unchanged, <0 on error. */
int pg_tls_store_poll(struct pg_tls_store *store, struct pg_error *err);
/* Attach the store to a new TLS session (gnutls_session_t as void *). */
void pg_tls_store_attach(struct pg_tls_store *store, void *session);
/* The gnutls_certificate_retrieve_function2 to pass as MHD_OPTION_HTTPS_CERT_CALLBACK. */
int pg_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *privkey);

/* ---- policy_store.c: the custom policy file, re-read when it changes ---- */

struct pg_policy_store;

/* Load `path` (pg_policy_set_load's errors, with file:line:column). */
int pg_policy_store_new(struct pg_policy_store **out, const char *path, struct pg_error *err);
/* Free the store and every set; no review may still hold one. */
void pg_policy_store_free(struct pg_policy_store *store);
/* Number of policies in the current set. */
size_t pg_policy_store_len(struct pg_policy_store *store);
/*
 * Re-read the file when its device, inode, size or mtime changed (stat
 * follows symlinks, so a ConfigMap's `..data` swap is a change). 1 when a new
 * set is in place, 0 unchanged, <0 when the new version does not load: the
 * last good set stays, and that version is not retried until it changes.
 * Called from one thread (the main loop).
 */
int pg_policy_store_poll(struct pg_policy_store *store, struct pg_error *err);
/* pg_admission_policies_acquire_fn / _release_fn over a store (ctx). Thread-safe. */
const struct pg_policy_set *pg_policy_store_acquire(struct pg_date *today_out, void *ctx);
void pg_policy_store_release(const struct pg_policy_set *set, void *ctx);

/* ---- kube.c: Kubernetes API client ---- */

struct pg_kube_config {
    char *server;     /* https://host:port */
    char *ca_file;    /* path, or NULL */
    char *ca_data;    /* PEM, or NULL */
    char *token;      /* static token, or NULL */
    char *token_file; /* re-read as it rotates, or NULL */
    char *cert_file;  /* client certificate */
    char *cert_data;  /* PEM */
    char *key_file;
    char *key_data;
    bool insecure;
    /* "an exec plugin (aws)" or "an auth-provider (gcp)" when the user has one (kubectl
     * runs it for credentials; podgate does not), else NULL. */
    char *credential_plugin;
};

/*
 * Read a kubeconfig: the cluster and user of `context`, or of its current-context when
 * `context` is NULL or empty. Without a `path` (NULL/empty), the in-cluster service account
 * (`context` is then ignored).
 */
int pg_kube_config_load(struct pg_kube_config *out, const char *path, const char *context,
                        struct pg_error *err);
/* Read kubeconfig text; relative paths in it are resolved against `base_dir`. */
int pg_kube_config_parse(struct pg_kube_config *out, const char *data, size_t len,
                         const char *base_dir, const char *context, struct pg_error *err);
void pg_kube_config_release(struct pg_kube_config *config);

struct pg_kube_client;

int pg_kube_client_new(struct pg_kube_client **out, const struct pg_kube_config *config, double qps,
                       int burst, struct pg_error *err);
void pg_kube_client_free(struct pg_kube_client *client);

/*
 * GET `path` (with query) into `body`. *status gets the HTTP status (0 on a
 * transport error). `timeout_ms` 0 means 30 s. Returns 0 on HTTP 200, else a
 * negative PG_E* with the reason in `error`.
 */
int pg_kube_get(struct pg_kube_client *client, struct pg_buf *body, long *status, const char *path,
                long timeout_ms, struct pg_buf *error);

/* Called with each piece of a response body as it arrives; return false to stop. */
typedef bool (*pg_kube_data_fn)(const char *data, size_t len, void *ctx);

/*
 * GET `path` (with query) and hand the body of a 200 response to `on_data` as it arrives,
 * for bodies too big to hold (a page of a cluster-wide LIST); gzip is accepted. There is no
 * overall time limit: a transfer that moves nothing for 60 s fails. Returns 0 on HTTP 200.
 * Otherwise *status is the HTTP status and `error` holds the response body (up to 64 kB; a
 * Status object from the API server), or *status is 0 and `error` holds the transport
 * failure; the result is then PG_ENOENT (404), PG_ETLS (TLS setup or verification failed)
 * or PG_EIO (anything else, `on_data` stopping included).
 */
int pg_kube_get_stream(struct pg_kube_client *client, const char *path, pg_kube_data_fn on_data,
                       void *ctx, long *status, struct pg_buf *error);

/* Called with each complete line of a watch stream; return false to stop. */
typedef bool (*pg_kube_line_fn)(const char *line, size_t len, void *ctx);

/*
 * Stream a watch: GET `path` and call `on_line` per newline-delimited event
 * until the server ends the stream, `on_line` returns false or *stop is set.
 * Returns 0 when the stream ended cleanly, else a negative PG_E*; *status
 * gets the HTTP status.
 */
int pg_kube_watch(struct pg_kube_client *client, const char *path, pg_kube_line_fn on_line,
                  void *ctx, const atomic_bool *stop, long *status, struct pg_buf *error);

/* ---- nscache.c: the namespace cache ---- */

struct pg_nscache;

int pg_nscache_new(struct pg_nscache **out, struct pg_kube_client *client, struct pg_error *err);
/* Start the LIST + WATCH thread. */
int pg_nscache_start(struct pg_nscache *cache, struct pg_error *err);
/* Stop the thread and wait for it. */
void pg_nscache_stop(struct pg_nscache *cache);
void pg_nscache_free(struct pg_nscache *cache);
bool pg_nscache_synced(const struct pg_nscache *cache);

/* The API calls of the cache, for its error counts. */
enum pg_nscache_call {
    PG_NSCACHE_CALL_LIST,      /* a page of the namespace LIST */
    PG_NSCACHE_CALL_WATCH,     /* the namespace WATCH (failed, or sent garbage) */
    PG_NSCACHE_CALL_GET,       /* the live GET on a miss (not found is an answer) */
    PG_NSCACHE_CALL_LIST_PODS, /* a page of the dry run's pod LIST */
    PG_NSCACHE_CALL_COUNT,
};

/* Why the cache relisted. */
enum pg_nscache_relist {
    PG_NSCACHE_RELIST_GONE,        /* 410 Gone: the resourceVersion is too old */
    PG_NSCACHE_RELIST_ERROR_EVENT, /* another ERROR event on the watch */
    PG_NSCACHE_RELIST_UNDECODABLE, /* a watch line that is not an event */
    PG_NSCACHE_RELIST_COUNT,
};

/* What the health metrics show, counted since the cache was made. */
struct pg_nscache_health {
    /* A LIST has filled the cache and no relist is pending. Unlike readiness (which, as
       upstream's informer, stays once the first LIST is done) it falls back to false when
       the watch lost track and returns when the relist succeeds. */
    bool synced;
    uint64_t watch_restarts; /* watch streams that ended, for any reason, and were reopened */
    uint64_t relists[PG_NSCACHE_RELIST_COUNT]; /* successful relists, by what caused them */
    uint64_t api_errors[PG_NSCACHE_CALL_COUNT];
};

void pg_nscache_health(struct pg_nscache_health *out, struct pg_nscache *cache);
/* A namespace lookup: the cache, and when a live GET on a miss gives up. */
struct pg_nscache_lookup {
    struct pg_nscache *cache;
    int64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = PG_NSCACHE_LOOKUP_TIMEOUT_MS after the call */
};

/* The longest a live GET on a cache miss may take (upstream's namespace getter). */
#define PG_NSCACHE_LOOKUP_TIMEOUT_MS 10000L

/*
 * pg_admission_namespace_fn over the cache (ctx: a struct pg_nscache_lookup), with a live GET
 * on a miss. The GET holds the caller's thread, so it ends at the lookup's deadline: a miss
 * past it fails at once ("context deadline exceeded").
 */
int pg_nscache_get_namespace(const struct pg_node **labels_out, struct pg_arena *arena,
                             struct pg_str name, struct pg_buf *error, void *ctx);
/*
 * The lookup deadline of a review that arrived at `received_ns` (CLOCK_MONOTONIC): after the
 * API server's `?timeout=` (a Go duration, its own wait for the webhook; ignored when absent,
 * invalid or not positive), and at most PG_NSCACHE_LOOKUP_TIMEOUT_MS.
 */
int64_t pg_nscache_lookup_deadline(const char *timeout, int64_t received_ns);
/* pg_admission_pods_fn: a live paged LIST of pods. */
int pg_nscache_list_pods(struct pg_buf *page, struct pg_str name, struct pg_str continue_token,
                         int64_t deadline_ns, struct pg_buf *error, void *ctx);

/* ---- http.c: the HTTPS server ---- */

struct pg_server_options {
    const char *bind_address; /* IPv4 or IPv6; NULL = 0.0.0.0; "::" = both families */
    unsigned port;            /* 0 = any free port */
    bool tls13_only;          /* TLS 1.3 only, else 1.2 and 1.3 */
    const char *cert_file;
    const char *key_file;
    unsigned threads;
    unsigned connection_timeout_s;
    const struct pg_admission_handler *handler;
    struct pg_metrics *metrics;
    /* Readiness, and each review's namespace lookups, bounded by the review's deadline
       (pg_nscache_lookup_deadline); NULL: always ready, the handler's own lookup. */
    struct pg_nscache *cache;
};

struct pg_server;

int pg_server_start(struct pg_server **out, const struct pg_server_options *options,
                    struct pg_error *err);
unsigned pg_server_port(const struct pg_server *server);
/* Periodic work from the main loop: certificate reload. */
void pg_server_poll(struct pg_server *server);
/*
 * Answer /readyz with 503 from now on while still serving every request: the first step of a
 * shutdown, so that load balancers stop routing here before the listener closes.
 */
void pg_server_set_not_ready(struct pg_server *server);
/* Stop accepting, report not ready, and wait up to timeout_ms for in-flight requests. */
void pg_server_drain(struct pg_server *server, long timeout_ms);
void pg_server_free(struct pg_server *server);

#endif
