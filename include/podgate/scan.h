/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The manifest scanner: reads sources (YAML/JSON streams), finds workloads,
 * decides which policies apply to each (a --level override, Namespace labels
 * found in the input, or restricted:latest), evaluates, and hands structured
 * results and diagnostics to a sink. It predicts what the cluster would say
 * after `kubectl apply`, so it applies API-server defaulting unless told not to.
 */
#ifndef PODGATE_SCAN_H
#define PODGATE_SCAN_H

#include "podgate/common.h"
#include "podgate/custom_policy.h"
#include "podgate/eval.h"
#include "podgate/labels.h"
#include "podgate/limits.h"
#include "podgate/workload.h"

struct pg_scan_options {
    bool has_level;                /* --level given: one enforce result per workload */
    struct pg_level_version level; /* the override */
    bool apply_defaults;           /* API-server defaulting (default on) */
    enum pg_doc_format format;     /* PG_FORMAT_AUTO unless forced */
    bool learn_inline;             /* learn Namespace labels while scanning (streams without a
                                      learning pass): they apply to the workloads after them */
    struct pg_limits limits;
    /*
     * Custom policies (borrowed; must outlive the scanner), or NULL. They
     * judge the namespaces they bind, by label or spec.namespaces, even with
     * `has_level`; everything else is judged as without them. `today` decides
     * which exemptions have expired and must be a valid date when set.
     */
    const struct pg_policy_set *policies;
    struct pg_date today;
};

/* Defaults: no override, defaulting on, format auto, default limits. */
PG_API void pg_scan_options_default(struct pg_scan_options *out);

/* Where a violation points: 1-based line/column and the field path from the object root. */
struct pg_scan_location {
    uint32_t line;
    uint32_t column;
    const char *path;
};

struct pg_scan_violation {
    enum pg_check_id check;
    struct pg_str reason;
    struct pg_str detail;
    const struct pg_scan_location *locations;
    size_t locations_len;
};

/* A finding a custom policy exemption removed (see podgate/custom_policy.h). */
struct pg_scan_exempted {
    enum pg_check_id check;
    uint32_t container;           /* index in pod->containers, or PG_FINDING_POD */
    struct pg_str container_name; /* empty for a pod-level finding */
    bool has_value;
    struct pg_str value; /* the offending value ("NET_ADMIN", "9100") when has_value */
    enum pg_finding_kind kind;
    struct pg_str name;   /* volume name or annotation key for those kinds, else empty */
    struct pg_str policy; /* the policy's name */
    size_t exemption;     /* 0-based index of the exemption in that policy */
    struct pg_str reason;
    struct pg_scan_location location;
};

/*
 * What one exemption removed from one check, as the violation it would
 * otherwise have been: upstream's reason and detail rendered from just those
 * findings, and their locations. Lets a report list exempted findings in the
 * form of ordinary violations (SARIF suppressed results).
 */
struct pg_scan_exempted_violation {
    struct pg_scan_violation violation;
    struct pg_str policy; /* the policy's name */
    size_t exemption;     /* 0-based index of the exemption in that policy */
    struct pg_str reason;
    struct pg_str owner; /* empty when the exemption names none */
};

/*
 * One workload judged at one policy in one mode. Every pointer borrows
 * scanner memory valid only during the sink call.
 */
struct pg_scan_result {
    const char *source;
    size_t document;
    bool in_list;
    size_t item;   /* index in the List's items when in_list */
    uint32_t line; /* where the object starts */
    const struct pg_workload *workload;
    struct pg_level_version policy;
    enum pg_mode mode;
    bool allowed;
    const struct pg_scan_violation *violations; /* in upstream evaluation order */
    size_t violations_len;
    struct pg_str message; /* upstream's full text: `violates PodSecurity "lv": details` or
                              `would violate …` for warn/audit; empty when allowed */
    const struct pg_pod *pod;
    const struct pg_findings *findings;      /* what remains after exemptions */
    bool has_policy_set;                     /* custom policies were given to the scanner */
    const struct pg_policy *custom_policy;   /* the custom policy `policy` comes from, or NULL */
    const struct pg_scan_exempted *exempted; /* removed findings, in evaluation order */
    size_t exempted_len;
    /* `exempted` grouped by check (evaluation order), then exemption (policy order) */
    const struct pg_scan_exempted_violation *exempted_violations;
    size_t exempted_violations_len;
};

enum pg_diag_severity {
    PG_DIAG_ERROR,
    PG_DIAG_WARNING,
};

struct pg_scan_diag {
    enum pg_diag_severity severity;
    enum pg_error_code code;
    const char *source;
    size_t document;
    uint32_t line;
    uint32_t column;
    const char *path; /* field path, may be "" */
    const char *message;
};

/* Called in input order; `ctx` is the sink's. */
struct pg_scan_sink {
    void (*result)(const struct pg_scan_result *result, void *ctx);
    void (*diag)(const struct pg_scan_diag *diag, void *ctx);
    void *ctx;
};

struct pg_scan_stats {
    size_t sources;
    size_t documents;
    size_t workloads;
    size_t violating; /* workloads with at least one enforce violation */
    size_t errors;
    size_t warnings;
};

struct pg_scanner;

/*
 * A new scanner (free with pg_scanner_free). PG_EINVAL for a NULL argument,
 * or for custom policies without a valid `today`.
 */
PG_API int pg_scanner_new(struct pg_scanner **out, const struct pg_scan_options *options,
                          struct pg_error *err);
PG_API void pg_scanner_free(struct pg_scanner *scanner);

/*
 * A scanner for another thread (free with pg_scanner_free): it has `parent`'s
 * options and judges by the Namespace labels `parent` learned, which it reads
 * in place, without a copy or a lock; its scratch memory, statistics and
 * exemption use counts are its own. Forks of one parent may scan at the same
 * time, each in one thread at a time, as long as `parent` neither learns nor
 * scans while they do, and outlives them. A fork cannot learn:
 * pg_scanner_learn_namespaces ignores it and inline learning stays off.
 * PG_EINVAL for a NULL argument or a parent that is itself a fork.
 */
PG_API int pg_scanner_fork(struct pg_scanner **out, const struct pg_scanner *parent,
                           struct pg_error *err);

/*
 * Add the statistics and exemption use counts of `fork` (a fork of
 * `scanner`, done scanning) to `scanner`'s, so that pg_scanner_stats and
 * pg_scanner_finish cover the whole scan. Ignores anything but a fork of
 * `scanner`; merging the same fork twice counts it twice.
 */
PG_API void pg_scanner_merge(struct pg_scanner *scanner, const struct pg_scanner *fork);

/*
 * Pass 1 (optional): learn Namespace labels from a source, so workloads in
 * that namespace are judged by them. Cheap when the source holds no
 * pod-security label. Read errors are ignored here; pass 2 reports them.
 */
PG_API void pg_scanner_learn_namespaces(struct pg_scanner *scanner, const char *data, size_t len);

/*
 * Learn what `learner` learned, as if its sources were given to `scanner`
 * now: each Namespace `learner` knows replaces the one of that name
 * `scanner` knows, as a later Namespace object does. With one learner per
 * source, made from the same options, sources can be learned in several
 * threads and the results applied in input order with the same outcome as
 * learning them in order. Ignores a fork, and a learner with another policy set.
 */
PG_API void pg_scanner_learn_from(struct pg_scanner *scanner, const struct pg_scanner *learner);

/*
 * Pass 2: scan one source. `source_name` is echoed in results ("-" for stdin).
 * `data` is borrowed for the call. Results and diagnostics go to `sink`.
 * Never fails as a whole: per-document problems become diagnostics.
 */
PG_API void pg_scanner_scan(struct pg_scanner *scanner, const char *source_name, const char *data,
                            size_t len, const struct pg_scan_sink *sink);

/*
 * Scan one part of a larger stream: `data` starts at line `first_line` of the
 * source and its first document has index `first_index`. Returns the index
 * of the document after the last one read, for the next part.
 */
PG_API size_t pg_scanner_scan_part(struct pg_scanner *scanner, const char *source_name,
                                   const char *data, size_t len, uint32_t first_line,
                                   size_t first_index, const struct pg_scan_sink *sink);

/* Turn inline learning (see pg_scan_options.learn_inline) on or off for what follows. */
PG_API void pg_scanner_set_learn_inline(struct pg_scanner *scanner, bool learn_inline);

/* Count a source that pg_scanner_scan_part fed in parts (once per source). */
PG_API void pg_scanner_count_source(struct pg_scanner *scanner);

/* Report an error at a position of a source through the sink (and the stats). */
PG_API void pg_scanner_report_error_at(struct pg_scanner *scanner, const char *source_name,
                                       size_t document, uint32_t line, const char *message,
                                       const struct pg_scan_sink *sink);

/* Report an unreadable source as an error diagnostic through the sink (and the stats). */
PG_API void pg_scanner_report_error(struct pg_scanner *scanner, const char *source_name,
                                    const char *message, const struct pg_scan_sink *sink);

/*
 * After the last source: report, as warnings through `sink`, every custom
 * policy exemption that has expired (it no longer applies) and every other
 * one that removed no finding in the whole scan. Returns how many warnings
 * it reported (0 without policies).
 */
PG_API size_t pg_scanner_finish(struct pg_scanner *scanner, const struct pg_scan_sink *sink);

PG_API const struct pg_scan_stats *pg_scanner_stats(const struct pg_scanner *scanner);

#endif
