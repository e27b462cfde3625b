/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Admission: upstream's Pod Security admission webhook as a pure function.
 * An HTTP request (body, content type, `?timeout=`) goes in; the HTTP status
 * and body (an AdmissionReview v1 response, or upstream's plain-text errors)
 * come out, together with the metric events and log fields the server
 * records. Namespaces and pods are read through callbacks, so the library
 * never touches the network; the server supplies a cache and an API client.
 * Also here: the PodSecurityConfiguration reader (spec §8).
 */
#ifndef PODGATE_ADMISSION_H
#define PODGATE_ADMISSION_H

#include "podgate/arena.h"
#include "podgate/buf.h"
#include "podgate/common.h"
#include "podgate/custom_policy.h"
#include "podgate/doc.h"
#include "podgate/labels.h"
#include "podgate/limits.h"
#include "podgate/policy.h"

/* Upstream's request body limit: 3 MiB. */
#define PG_ADMISSION_MAX_BODY ((size_t)3 * 1024 * 1024)

/* Upstream's default time budget for the namespace dry run: 1 s. */
#define PG_ADMISSION_POD_CHECK_BUDGET_NS ((int64_t)1000000000)

/* Upstream's cap on pods checked by the namespace dry run. */
#define PG_ADMISSION_UPSTREAM_MAX_PODS 3000

/* A parsed, validated PodSecurityConfiguration; immutable, shared across threads. */
struct pg_admission_config;

/*
 * Read a PodSecurityConfiguration (YAML or JSON; apiVersion
 * pod-security.admission.config.k8s.io/v1, v1beta1 or v1alpha1). Decoding is
 * strict: an unknown or duplicate field, or an unknown apiVersion/kind, is an
 * error. Empty input (len 0 or only blanks) means all defaults. On success
 * *out belongs to the caller (pg_admission_config_free). Errors: PG_EPARSE
 * (not YAML/JSON), PG_ETYPE (strict decoding), PG_EINVAL (validation; the
 * message lists upstream-style field errors), PG_ELIMIT.
 */
PG_API int pg_admission_config_parse(struct pg_admission_config **out, const char *data, size_t len,
                                     struct pg_error *err);

/* A configuration with every default and no exemptions. Never fails. */
PG_API struct pg_admission_config *pg_admission_config_new_default(void);

PG_API void pg_admission_config_free(struct pg_admission_config *config);

/* The default policy (borrowed; lives as long as the config). */
PG_API const struct pg_ns_policy *
pg_admission_config_defaults(const struct pg_admission_config *config);

enum pg_admission_exemption {
    PG_EXEMPT_USERNAMES,
    PG_EXEMPT_NAMESPACES,
    PG_EXEMPT_RUNTIME_CLASSES,
};

/* Exact, case-sensitive membership; an empty name never matches (spec §6.8). */
PG_API bool pg_admission_config_exempt(const struct pg_admission_config *config,
                                       enum pg_admission_exemption list, struct pg_str name);

/*
 * Look up a namespace's labels. On success return 0 and set *labels_out to a
 * map node (or NULL when the namespace has no labels), allocated in `arena`
 * (the request's). On failure return a negative PG_E* and write the
 * underlying error (`namespaces "x" not found`) into `error`.
 * Called concurrently from several threads.
 */
typedef int (*pg_admission_namespace_fn)(const struct pg_node **labels_out, struct pg_arena *arena,
                                         struct pg_str name, struct pg_buf *error, void *ctx);

/*
 * Fetch one page of the pods of namespace `name` as a JSON PodList into
 * `page` (empty on entry), starting at `continue_token` (empty for the first
 * page), giving up at `deadline_ns` (clock of pg_admission_clock_fn). The
 * library reads `metadata.continue` and `metadata.remainingItemCount` from the
 * page. Returns 0 or a negative PG_E* (error text in `error`).
 */
typedef int (*pg_admission_pods_fn)(struct pg_buf *page, struct pg_str name,
                                    struct pg_str continue_token, int64_t deadline_ns,
                                    struct pg_buf *error, void *ctx);

/* Monotonic clock in nanoseconds. */
typedef int64_t (*pg_admission_clock_fn)(void *ctx);

/*
 * Borrow the custom policy set for one review (see custom_policy.h), or
 * return NULL for none; *today_out gets today's UTC date, which decides
 * whether exemptions have expired. Each non-NULL set is handed back to
 * pg_admission_policies_release_fn once the review no longer uses it, so a
 * provider that swaps sets may free an old one only after its last release.
 * Called concurrently from several threads.
 */
typedef const struct pg_policy_set *(*pg_admission_policies_acquire_fn)(struct pg_date *today_out,
                                                                        void *ctx);
typedef void (*pg_admission_policies_release_fn)(const struct pg_policy_set *set, void *ctx);

/*
 * Everything the handler needs; set up once, then shared read-only by every
 * thread. `config` and `get_namespace` are required; `list_pods` may be NULL
 * (the dry run then reports a failed list); `clock` NULL means
 * CLOCK_MONOTONIC. `pod_check_budget_ns` 0 means the upstream 1 s;
 * `max_pods_to_check` 0 means no cap (podgate pages through every pod),
 * PG_ADMISSION_UPSTREAM_MAX_PODS reproduces upstream. `enforce_workloads`
 * denies controllers whose template violates the enforce level (off in
 * upstream). `limits` NULL means defaults. `acquire_policies` (NULL: no
 * custom policies) binds namespaces to podgate Policies: a bound namespace's
 * enforce mode is its policy minus the exemptions that removed findings, named
 * in the `podgate-exemptions` audit annotation; unbound namespaces are judged
 * exactly as upstream does.
 */
struct pg_admission_handler {
    const struct pg_admission_config *config;
    pg_admission_namespace_fn get_namespace;
    void *namespace_ctx;
    pg_admission_pods_fn list_pods;
    void *pods_ctx;
    pg_admission_clock_fn clock;
    void *clock_ctx;
    int64_t pod_check_budget_ns;
    size_t max_pods_to_check;
    size_t pod_page_bytes_max; /* memory kept for deferred pods; 0 = 64 MiB */
    bool enforce_workloads;
    const struct pg_limits *limits;
    pg_admission_policies_acquire_fn acquire_policies;
    pg_admission_policies_release_fn release_policies;
    void *policies_ctx;
};

/* An HTTP request to the admission endpoint, as the server received it. */
/*
 * Memory reused from one review to the next: the JSON reader's stacks and the arena block of the
 * review's tree, so that a review read into a workspace costs no malloc for its tree and lands in
 * memory that is already in cache. Optional (see pg_admission_http_request). Not thread-safe: one
 * workspace serves one request at a time.
 */
struct pg_admission_workspace;

PG_API struct pg_admission_workspace *pg_admission_workspace_new(void);
PG_API void pg_admission_workspace_free(struct pg_admission_workspace *workspace);

struct pg_admission_http_request {
    const char *body;
    size_t body_len;
    bool body_too_large;      /* the body reached PG_ADMISSION_MAX_BODY */
    const char *content_type; /* NULL when the header is absent */
    const char *timeout;      /* the `timeout` query parameter, NULL when absent */
    int64_t received_ns;      /* clock reading when the request arrived */
    /* NULL, or a workspace this request may use (and trim: a large review's memory is freed). */
    struct pg_admission_workspace *workspace;
};

enum pg_admission_metric_kind {
    PG_ADMISSION_METRIC_EVALUATION,
    PG_ADMISSION_METRIC_EXEMPTION,
    PG_ADMISSION_METRIC_ERROR,
};

/* One metric event of spec §7, recorded by the server. */
struct pg_admission_metric {
    enum pg_admission_metric_kind kind;
    bool deny;                      /* evaluation: decision */
    struct pg_level_version policy; /* evaluation */
    enum pg_mode mode;              /* evaluation */
    bool fatal;                     /* error */
};

enum pg_admission_resource {
    PG_ADMISSION_RESOURCE_POD,
    PG_ADMISSION_RESOURCE_NAMESPACE,
    PG_ADMISSION_RESOURCE_CONTROLLER,
};

#define PG_ADMISSION_METRICS_MAX 4
#define PG_ADMISSION_FIELD_MAX 256

/*
 * The outcome of one HTTP request. `body` is owned by the result
 * (pg_admission_result_release). When `reviewed` is true, the fields below it
 * describe the AdmissionReview (strings truncated to fit, NUL-terminated).
 */
struct pg_admission_result {
    int http_status;
    const char *content_type; /* static string */
    struct pg_buf body;
    bool reviewed;
    bool allowed;
    int status_code; /* Status.code of a denial, 0 when allowed */
    enum pg_admission_resource resource;
    char uid[PG_ADMISSION_FIELD_MAX];
    char operation[32];      /* metric label: create, update, or lower-cased */
    char subresource[64];    /* raw */
    char resource_name[128]; /* `pods`, `deployments.apps` */
    char namespace_[64];
    char name[PG_ADMISSION_FIELD_MAX];
    char message[PG_ADMISSION_FIELD_MAX]; /* denial message or HTTP error, truncated */
    struct pg_admission_metric metrics[PG_ADMISSION_METRICS_MAX];
    size_t metrics_len;
    size_t warnings;
};

PG_API void pg_admission_result_init(struct pg_admission_result *result);
PG_API void pg_admission_result_release(struct pg_admission_result *result);

/*
 * Handle one admission HTTP request (spec §10): the HTTP errors for an empty,
 * oversized, non-JSON or undecodable body, else the AdmissionReview response
 * (spec §6) encoded as Go's encoding/json would, with a trailing newline.
 * `out` must have been initialised; its previous content is replaced. Never
 * fails: every failure is an HTTP status and body. Thread-safe for a shared
 * handler.
 */
PG_API void pg_admission_handle(struct pg_admission_result *out,
                                const struct pg_admission_handler *handler,
                                const struct pg_admission_http_request *request);

/*
 * Parse a Go duration (`10s`, `1m30s`, `500ms`, `1.5h`, `-2us`) into
 * nanoseconds. Returns 0 or PG_EINVAL (also on overflow).
 */
PG_API int pg_admission_parse_duration(int64_t *out, const char *text);

/*
 * Build a labels map node in `arena` from `count` key/value pairs (borrowed
 * strings are copied into the arena); for namespace callbacks.
 */
PG_API const struct pg_node *pg_admission_labels_node(struct pg_arena *arena,
                                                      const struct pg_str *keys,
                                                      const struct pg_str *values, size_t count);

#endif
