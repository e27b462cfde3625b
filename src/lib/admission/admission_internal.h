/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the admission modules: the decoded AdmissionRequest,
 * and the response being built (upstream's AdmissionResponse and
 * metav1.Status). Strings are encoded with pg_buf_put_go_json_string (Go's
 * encoding/json escapes, podgate/buf.h).
 */
#ifndef PG_ADMISSION_INTERNAL_H
#define PG_ADMISSION_INTERNAL_H

#include "podgate/admission.h"
#include "podgate/pod.h"

#include <string.h>

/* The AdmissionRequest fields upstream reads (spec §6.1). Views into the request tree. */
struct pg_adm_request {
    struct pg_str uid;
    struct pg_str kind_group;
    struct pg_str kind_version;
    struct pg_str kind_kind;
    struct pg_str resource_group;
    struct pg_str resource;
    struct pg_str subresource; /* requestSubResource */
    struct pg_str name;
    struct pg_str namespace_;
    struct pg_str operation;
    struct pg_str username;
    const struct pg_node *object;     /* NULL when absent or null */
    const struct pg_node *old_object; /* NULL when absent or null */
};

/* Audit annotation keys, in the byte order Go's encoding/json sorts map keys. */
enum pg_adm_annotation {
    PG_ADM_ANN_AUDIT_VIOLATIONS,
    PG_ADM_ANN_ENFORCE_POLICY,
    PG_ADM_ANN_ERROR,
    PG_ADM_ANN_EXEMPT,
    PG_ADM_ANN_PODGATE_EXEMPTIONS,
    PG_ADM_ANN_COUNT,
};

/* The response under construction. */
struct pg_adm_response {
    bool allowed;
    int code;                  /* Status.code; 0 = no status */
    const char *status_reason; /* Forbidden, BadRequest, Invalid, InternalError */
    struct pg_buf message;     /* Status.message */
    struct pg_buf details;     /* Status.details as JSON, empty = none */
    bool details_from_request; /* Forbidden: Status.details from the request, not `details` */
    struct pg_buf annotations[PG_ADM_ANN_COUNT];
    bool has_annotation[PG_ADM_ANN_COUNT];
    struct pg_buf warnings; /* each warning JSON-encoded, comma-separated */
    size_t warnings_len;
    struct pg_admission_metric metrics[PG_ADMISSION_METRICS_MAX];
    size_t metrics_len;
};

/* Per-request state shared by the decision functions. */
struct pg_adm_ctx {
    const struct pg_admission_handler *handler;
    const struct pg_admission_config *config;
    struct pg_limits limits;
    struct pg_arena *arena;
    const struct pg_adm_request *request;
    struct pg_adm_response *response;
    int64_t deadline_ns;                  /* from ?timeout=, 0 = none */
    const struct pg_policy_set *policies; /* custom policies for this review, NULL = none */
    struct pg_date today;                 /* for exemption expiry */
};

/* A namespace's modes and label errors (spec §5.2), plus its custom policy binding. */
struct pg_adm_policy {
    struct pg_ns_policy policy;
    size_t error_count;
    struct pg_buf errors;
    const struct pg_policy *custom; /* bound policy (the enforce mode), NULL when unbound */
    bool warn_custom;               /* warn is the bound policy too, exemptions included */
    struct pg_buf bind_error;       /* why binding failed (enforce then fails closed) */
};

void pg_adm_response_init(struct pg_adm_response *response);
void pg_adm_response_release(struct pg_adm_response *response);

/* Append a warning / set an annotation / record a metric event. */
void pg_adm_warn(struct pg_adm_response *response, struct pg_str text);
struct pg_buf *pg_adm_annotate(struct pg_adm_response *response, enum pg_adm_annotation key);
void pg_adm_metric(struct pg_adm_response *response, struct pg_admission_metric metric);

/* Statuses of apimachinery's errors package (spec §4.2, §6). */
void pg_adm_deny_bad_request(struct pg_adm_response *response, const char *message,
                             const char *underlying);
/*
 * Forbidden: the message is `<resource> "<name>" is forbidden: ` with room
 * for `reason_len` more bytes; the caller appends the reason to the returned
 * buffer (response->message, owned by the response).
 */
struct pg_buf *pg_adm_deny_forbidden(struct pg_adm_response *response,
                                     const struct pg_adm_request *request, size_t reason_len);
void pg_adm_deny_internal(struct pg_adm_response *response, struct pg_str cause);

/* Encode `{"kind":"AdmissionReview",…,"response":{…}}` plus a newline. */
void pg_adm_encode_review(struct pg_buf *out, const struct pg_adm_request *request,
                          const struct pg_adm_response *response);

/* The decision for a decoded request (spec §6.1 dispatch). */
void pg_adm_validate(struct pg_adm_ctx *ctx);

/* Namespace handling (spec §6.5). */
void pg_adm_validate_namespace(struct pg_adm_ctx *ctx);

/*
 * The dry run of a namespace's pods at `enforce` (spec §6.6), appending
 * upstream's warnings to the response.
 */
void pg_adm_dry_run(struct pg_adm_ctx *ctx, struct pg_str namespace_name,
                    struct pg_level_version enforce);

/*
 * Bind the namespace of the request to a custom policy of ctx->policies
 * (label first, then spec.namespaces) and rewrite policy->policy's modes as
 * `scan` does. A label naming no policy, or two policies claiming the
 * namespace, fails closed: enforce restricted:latest and a bind_error.
 */
void pg_adm_bind_custom(struct pg_adm_policy *policy, const struct pg_adm_ctx *ctx,
                        const struct pg_node *labels);

/*
 * After a custom evaluation: the `podgate-exemptions` annotation naming each
 * exempted finding, and a warning per expired exemption that would still
 * have removed one of the remaining `findings`.
 */
void pg_adm_report_custom(struct pg_adm_ctx *ctx, const struct pg_policy *custom,
                          const struct pg_exempted_list *exempted,
                          const struct pg_findings *findings, const struct pg_pod *pod);

/* True when `a` is exactly `b`. Inline: called with literals, whose length then folds. */
static inline bool pg_adm_str_eq(struct pg_str a, const char *b)
{
    size_t len = strlen(b);
    return a.len == len && (len == 0 || memcmp(a.ptr, b, len) == 0);
}

/* Monotonic now through the handler's clock. */
int64_t pg_adm_now(const struct pg_admission_handler *handler);

/* Decode a pod object for evaluation (no defaulting: objects arrive defaulted). */
int pg_adm_extract_pod(struct pg_pod *out, struct pg_arena *arena, const struct pg_limits *limits,
                       const struct pg_node *metadata, const struct pg_node *spec,
                       struct pg_error *err);

struct pg_workload;

/*
 * Whether a request about `workload` (the decoded request->object) changes what its pods will
 * be, so that --enforce-workloads judges it: every CREATE, and an UPDATE unless its pod
 * template (metadata and spec) is unchanged from request->old_object.
 */
bool pg_adm_template_update_significant(const struct pg_adm_request *request,
                                        const struct pg_workload *workload);

/*
 * Whether nothing the webhook judges reads the object or list value of `key` (unread.c): the
 * review reader checks such values but does not build them.
 */
bool pg_adm_unread_key(const char *key, size_t len);

#endif
