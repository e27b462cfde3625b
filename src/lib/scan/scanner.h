/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scanner's state, shared by its parts: scan.c (documents, namespaces,
 * policies, results to the sink) and results.c (a judged workload's
 * violations, locations, exempted findings and message).
 */
#ifndef PG_SCAN_SCANNER_H
#define PG_SCAN_SCANNER_H

#include "eval/findings.h"
#include "podgate/arena.h"
#include "podgate/buf.h"
#include "podgate/custom_policy.h"
#include "podgate/scan.h"

struct ns_entry {
    char *name;
    bool labelled; /* false: only seen as the namespace of a judged workload (streams) */
    bool judged;   /* a workload was judged without its labels */
    struct pg_ns_policy policy;
    size_t error_count;
    char *errors;
    const struct pg_policy *custom; /* the custom policy bound to it, or NULL */
    bool warn_custom;               /* warn is that policy too (inherited) */
    int bind_rc;                    /* binding to a custom policy failed */
    char *bind_error;
};

struct pg_scanner {
    struct pg_scan_options options;
    const struct pg_scanner *parent; /* a fork's: whose namespace table it reads */
    struct ns_entry *namespaces;
    size_t namespaces_len;
    size_t namespaces_cap;
    uint32_t *namespace_slots; /* hash index: 0 empty, else entry + 1 (util/hash.h) */
    size_t namespace_slots_cap;
    uint32_t namespace_seed;
    struct pg_findings findings;
    const struct pg_doc *doc; /* the document being scanned, for locations */
    struct pg_arena *scratch;
    struct pg_buf message;
    struct pg_buf texts;
    struct pg_scan_stats stats;
    struct pg_exempted_list exempted;
    struct pg_findings exempted_group; /* one check's findings one exemption removed */
    struct pg_buf exempted_text;       /* their texts, before they go to the arena */
    size_t *exemption_uses;            /* per pg_policy_exemption.set_index */
    size_t *policy_uses;               /* workloads judged per pg_policy.index */
};

/* result->violations (in `violations`, PG_CHECK_COUNT of them) from scanner->findings. */
void pg_scanner_build_violations(struct pg_scanner *scanner, struct pg_scan_result *result,
                                 struct pg_scan_violation *violations);

/* result->message: upstream's text for the result's violations. */
void pg_scanner_render_message(struct pg_scanner *scanner, struct pg_scan_result *result);

/* result->exempted: the findings exemptions removed, located under `root`. */
void pg_scanner_build_exempted(struct pg_scanner *scanner, struct pg_scan_result *result,
                               const struct pg_node *root);

/* result->exempted_violations: result->exempted grouped by check and exemption. */
void pg_scanner_build_exempted_violations(struct pg_scanner *scanner,
                                          struct pg_scan_result *result);

#endif
