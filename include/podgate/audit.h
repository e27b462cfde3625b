/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cluster audit: fold a stream of Kubernetes objects (a `kubectl get -o json` dump, or paged
 * LISTs from the API server) into per-namespace Pod Security results: the current labels,
 * violation counts per level at the pinned and the latest version, label recommendations,
 * what-if dry runs worded like upstream's, version drift, and PodSecurityPolicy migration hints.
 *
 * Memory stays flat with cluster size: every object is judged as it arrives and then dropped;
 * the audit keeps per-namespace counters and bounded groups of examples only. It is not a
 * scanner of manifests (that is scan.h): it assumes objects as the API server stores them.
 */
#ifndef PODGATE_AUDIT_H
#define PODGATE_AUDIT_H

#include "podgate/buf.h"
#include "podgate/common.h"
#include "podgate/doc.h"
#include "podgate/labels.h"
#include "podgate/limits.h"
#include "podgate/policy.h"

/* A proposed enforce label for one namespace (`--what-if NS=LEVEL[:VERSION]`). */
struct pg_audit_what_if {
    const char *namespace_; /* copied by pg_audit_new */
    struct pg_level_version enforce;
};

struct pg_audit_options {
    struct pg_limits limits;
    /* API-server defaulting before judging; false for objects read back from a cluster. */
    bool apply_defaults;
    const struct pg_audit_what_if *what_if; /* borrowed during pg_audit_new only */
    size_t what_if_len;
    size_t max_groups;     /* groups of examples kept per list (what-if, drift) */
    size_t max_namespaces; /* distinct namespaces tracked; objects beyond are errors */
    size_t max_diags;      /* input problems kept for the report (all are counted) */
};

/* Defaults: default limits, no defaulting, no what-if, 200 groups, 50,000 namespaces, 100. */
PG_API void pg_audit_options_default(struct pg_audit_options *out);

/* Violating pods and workload templates at one level:version. */
struct pg_audit_count {
    size_t pods;
    size_t workloads;
};

/*
 * Objects that fail with the same text, grouped as upstream groups pods in its namespace dry
 * run (spec §6.6). `name` is the byte-smallest object name in the group (a pod name, or
 * `Kind/name` for a workload), `text` the shared text, and `line` the rendered line, e.g.
 * `web-1 (and 2 other pods): runAsNonRoot != true`.
 */
struct pg_audit_group {
    const char *name;
    size_t count;
    const char *text;
    const char *line;
};

struct pg_audit_groups {
    const struct pg_audit_group *items; /* sorted by `line` in byte order */
    size_t len;
    size_t dropped; /* objects in groups beyond max_groups: counted, not listed */
};

/* What changes for a namespace pinned to v1.N when it moves to `latest`. */
struct pg_audit_drift {
    enum pg_level level;
    struct pg_version from;      /* the pinned version, older than PG_MAX_MINOR */
    struct pg_audit_count newly; /* objects that pass at `from` and fail at latest */
    struct pg_audit_groups pods; /* text: the reasons string at latest */
    struct pg_audit_groups workloads;
};

/* The six labels, in this order, without the `pod-security.kubernetes.io/` prefix. */
#define PG_AUDIT_LABELS 6
PG_API const char *pg_audit_label_name(size_t index);

struct pg_audit_namespace {
    const char *name;
    bool in_input;                       /* a Namespace object was read */
    const char *labels[PG_AUDIT_LABELS]; /* values as written, NULL when absent */
    const char *label_errors;            /* upstream's error text, NULL when valid */
    struct pg_ns_policy policy;          /* effective policy (spec §5.2) */
    size_t pods;                         /* every Pod */
    size_t controlled_pods;              /* of those, pods with a controller owner */
    size_t workloads;                    /* pod templates not controlled by another workload */
    size_t controlled_templates;         /* e.g. ReplicaSets of a Deployment: not judged */
    struct pg_version pinned;            /* the enforce version */
    struct pg_audit_count at_pinned[3];  /* by enum pg_level ([privileged] is always 0) */
    struct pg_audit_count at_latest[3];  /* at v1.PG_MAX_MINOR */
    enum pg_level strictest_pinned;      /* strictest level everything satisfies at pinned */
    enum pg_level strictest_latest;      /* … at latest */
    struct pg_ns_policy recommended;     /* every version v1.PG_MAX_MINOR */
    bool recommendation_applied;         /* the labels already say exactly that */
    bool recommendation_looser;          /* enforce would loosen: something violates it now */
    const struct pg_audit_drift *drift;  /* one per (level, pinned version) in use */
    size_t drift_len;
    bool psp_known;          /* the input had PodSecurityPolicies or RBAC for them */
    const char *const *psps; /* PSPs its service accounts may `use`, sorted */
    size_t psps_len;
    bool psp_allows_known;           /* some usable PSP is in the input */
    enum pg_level psp_allows;        /* most permissive level among the usable PSPs */
    const char *const *psp_defaults; /* "psp: check, …": PSP defaults pods may pass thanks to */
    size_t psp_defaults_len;
};

/* One PodSecurityPolicy field that matters when migrating to Pod Security Admission. */
struct pg_audit_psp_field {
    const char *field;      /* "spec.hostNetwork", "metadata.annotations[…]" */
    const char *value;      /* as written (shortened), "" when absent */
    enum pg_level beyond;   /* the level it exceeds: baseline or restricted; privileged = info */
    enum pg_check_id check; /* the corresponding check, PG_CHECK_COUNT when there is none */
    const char *note;       /* a few words on why */
};

struct pg_audit_psp {
    const char *name;
    enum pg_level level; /* strictest level whose rules the PSP stays within */
    const struct pg_audit_psp_field *beyond;
    size_t beyond_len;
    const struct pg_audit_psp_field *defaults; /* fields that mutate pods */
    size_t defaults_len;
    const struct pg_audit_psp_field *uncovered; /* PSP controls with no PSS equivalent */
    size_t uncovered_len;
};

struct pg_audit_what_if_result {
    const char *namespace_;
    struct pg_level_version enforce;
    bool found; /* the namespace had objects or a Namespace object */
    struct pg_audit_count checked;
    struct pg_audit_count violating;
    struct pg_audit_groups pods;      /* text: the reasons string (spec §6.6) */
    struct pg_audit_groups workloads; /* text: `would violate PodSecurity "lv": details` */
};

/* An input problem: an object that could not be read or judged. */
struct pg_audit_diag {
    const char *source;
    uint32_t line; /* 0 when unknown */
    const char *message;
};

struct pg_audit_stats {
    size_t bytes;   /* fed through pg_audit_feed_write */
    size_t objects; /* objects read (List items count one each) */
    size_t pods;
    size_t workloads; /* including controlled templates */
    size_t psps;
    size_t errors;
};

struct pg_audit;

/*
 * A new audit (caller frees with pg_audit_free). Fails with PG_EINVAL for a NULL argument or a
 * what-if without a namespace.
 */
PG_API int pg_audit_new(struct pg_audit **out, const struct pg_audit_options *options,
                        struct pg_error *err);
PG_API void pg_audit_free(struct pg_audit *audit);

/*
 * The object stream: judge one object (any kind; Lists are walked) read from `source` (echoed
 * in diagnostics); `base` is the line where the text it was parsed from starts, so that
 * positions in diagnostics are the source's (1 for a whole file). `object` is borrowed for the
 * call only. Objects may come in any order: a Namespace after its pods is fine. Problems
 * become diagnostics, never a failure.
 */
PG_API void pg_audit_add_object(struct pg_audit *audit, const struct pg_node *object,
                                const char *source, uint32_t base);

/* Record an input problem found outside the audit (an unreadable file, a failed request). */
PG_API void pg_audit_add_error(struct pg_audit *audit, const char *source, uint32_t line,
                               const char *message);

/*
 * A byte-stream front end for the object stream: a dump cut into objects as bytes arrive.
 * JSON (a `List`, one object, a stream of objects or an array) is streamed item by item, so
 * any number of items fits in max_document_bytes each; YAML is kept until the end and read
 * whole (its Lists are then limited by max_document_bytes and max_nodes). `source` is copied.
 */
struct pg_audit_feed;

PG_API int pg_audit_feed_new(struct pg_audit_feed **out, struct pg_audit *audit, const char *source,
                             enum pg_doc_format format, struct pg_error *err);
/* Hand over the next bytes (copied as needed). */
PG_API void pg_audit_feed_write(struct pg_audit_feed *feed, const char *data, size_t len);
/* The stream is complete: flush what is pending and report truncated input. */
PG_API void pg_audit_feed_end(struct pg_audit_feed *feed);
PG_API void pg_audit_feed_free(struct pg_audit_feed *feed);

/*
 * Judge objects of the stream that carry neither kind nor apiVersion as `kind` of
 * `api_version` (both copied; NULL clears): the items of a List read from the API server,
 * which only names their kind in the List's (`PodList`). Without it, a JSON List's items
 * get the kind its own kind names when that comes before `items`, as the API server writes
 * it; kubectl's `List` names none, and its items say what they are.
 */
PG_API void pg_audit_feed_set_item_type(struct pg_audit_feed *feed, const char *api_version,
                                        const char *kind);

/* What a List from the API server says about paging (a LIST with `limit`). */
struct pg_audit_list_info {
    bool found;                 /* the stream held a JSON List (its items began) */
    const char *continue_token; /* metadata.continue: "" on the last page or when absent */
    int64_t remaining;          /* metadata.remainingItemCount, -1 when absent */
};

/*
 * The paging metadata of the last JSON List in the stream, read when its items begin (the
 * API server writes metadata before items; fields after the items are not read). Borrowed
 * from the feed: valid until the next write or pg_audit_feed_free.
 */
PG_API const struct pg_audit_list_info *pg_audit_feed_list_info(const struct pg_audit_feed *feed);

/* Running totals, valid at any time (for progress). Borrowed from the audit. */
PG_API const struct pg_audit_stats *pg_audit_stats(const struct pg_audit *audit);

/*
 * No more objects: resolve RBAC, compute recommendations, drift and groups. Results below are
 * valid from here until pg_audit_free; later pg_audit_add_object calls are ignored.
 */
PG_API void pg_audit_finish(struct pg_audit *audit);

/* Namespaces sorted by name. Borrowed from the audit. */
PG_API size_t pg_audit_namespace_count(const struct pg_audit *audit);
PG_API const struct pg_audit_namespace *pg_audit_namespace_at(const struct pg_audit *audit,
                                                              size_t index);

/* What-if results, in the order of the options. */
PG_API size_t pg_audit_what_if_count(const struct pg_audit *audit);
PG_API const struct pg_audit_what_if_result *pg_audit_what_if_at(const struct pg_audit *audit,
                                                                 size_t index);

/* PodSecurityPolicies, sorted by name. */
PG_API size_t pg_audit_psp_count(const struct pg_audit *audit);
PG_API const struct pg_audit_psp *pg_audit_psp_at(const struct pg_audit *audit, size_t index);

/* The first max_diags input problems, in input order (stats.errors counts all). */
PG_API size_t pg_audit_diag_count(const struct pg_audit *audit);
PG_API const struct pg_audit_diag *pg_audit_diag_at(const struct pg_audit *audit, size_t index);

/*
 * `kubectl label --overwrite ns NAME pod-security.kubernetes.io/enforce=… …` for `policy`,
 * every mode with its level and version; the name is shell-quoted when it needs it.
 */
PG_API void pg_audit_label_command(struct pg_buf *out, const char *namespace_,
                                   const struct pg_ns_policy *policy);

enum pg_audit_format {
    PG_AUDIT_TEXT,
    PG_AUDIT_JSON,
    PG_AUDIT_HTML,
};

/* Parse "text" | "json" | "html". 0 or PG_EINVAL. */
PG_API int pg_audit_format_parse(enum pg_audit_format *out, const char *name);

/*
 * Render the finished audit: text tables, JSON (schema in docs/audit-json.md) or one
 * self-contained HTML page (inline CSS and script, nothing fetched). Appends to `out`; check
 * pg_buf_failed once afterwards. Every name from the input is escaped for the format.
 */
PG_API void pg_audit_render(struct pg_buf *out, const struct pg_audit *audit,
                            enum pg_audit_format format);

#endif
