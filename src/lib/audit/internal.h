/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit object shared by the audit's files: the namespace table and its per-namespace
 * counters (audit.c), judging (judge.c), finishing (finish.c), PSP and RBAC collection
 * (psp.c, rbac.c) and the renderers. Nothing here is public API.
 */
#ifndef PG_AUDIT_INTERNAL_H
#define PG_AUDIT_INTERNAL_H

#include "audit/groups.h"
#include "audit/rbac.h"
#include "audit/verdicts.h"
#include "podgate/arena.h"
#include "podgate/audit.h"
#include "podgate/eval.h"

enum pg_audit_subject {
    PG_SUBJECT_POD,
    PG_SUBJECT_WORKLOAD,
};

#define PG_SUBJECTS 2
#define PG_MINORS (PG_MAX_MINOR + 1)

/*
 * One namespace while objects arrive. `fail[s][l][m]` counts subjects s failing level l at
 * v1.m ([privileged] stays 0), `newly[s][l][m]` those passing at v1.m but failing at latest.
 * Drift groups are keyed by the set of minors where the object passes, so any pinned version
 * can be answered at the end, whatever order the Namespace object came in.
 */
struct pg_audit_ns {
    struct pg_audit_namespace pub; /* filled by pg_audit_finish */
    char *name;
    size_t name_len;
    uint64_t hash;
    bool in_input;
    char *labels[PG_AUDIT_LABELS];
    struct pg_ns_policy policy;
    char *label_errors;
    size_t subjects[PG_SUBJECTS];
    size_t controlled_pods;
    size_t controlled_templates;
    uint32_t fail[PG_SUBJECTS][3][PG_MINORS];
    uint32_t newly[PG_SUBJECTS][3][PG_MINORS];
    struct pg_group_table drift[PG_SUBJECTS][3];
};

struct pg_audit_what_if_state {
    struct pg_audit_what_if_result pub;
    char *namespace_;
    size_t namespace_len;
    struct pg_group_table groups[PG_SUBJECTS];
};

struct pg_audit {
    struct pg_audit_options options;
    struct pg_verdict_table table;
    struct pg_audit_ns **namespaces; /* in order of first sight */
    size_t namespaces_len;
    size_t namespaces_cap;
    uint32_t *ns_index; /* open addressing: 0 empty, else index + 1 */
    size_t ns_index_cap;
    struct pg_audit_what_if_state *what_if;
    size_t what_if_len;
    struct pg_audit_psp *psps; /* results live in `results` */
    size_t psps_len;
    size_t psps_cap;
    struct pg_rbac rbac;
    struct pg_audit_diag *diags; /* strings live in `results` */
    size_t diags_len;
    struct pg_audit_stats stats;
    bool finished;
    struct pg_arena *results; /* long-lived results: PSP analyses, views, diagnostics */
    struct pg_arena *scratch; /* per object: the pod model */
    struct pg_findings findings;
    struct pg_buf text;
    const struct pg_audit_namespace **sorted; /* namespaces by name, after finish */
};

/*
 * What the items of a List are when they do not say: the API server's `PodList` (apiVersion
 * v1) holds Pods without kind or apiVersion. Views into the List or the caller's strings.
 */
struct pg_audit_item_type {
    struct pg_str api_version;
    struct pg_str kind; /* empty: unknown, items are judged as they are */
};

/* The item type a List names (`PodList` → Pod); empty for kubectl's `List` or no kind. */
void pg_audit_item_type_of_list(struct pg_audit_item_type *out, const struct pg_node *list);

/* Whether `object` has a kind that ends in `List`, with or without items. */
bool pg_audit_names_list(const struct pg_node *object);

/* pg_audit_add_object for an item cut out of a List: judged as `type` (may be NULL) when it
 * has neither kind nor apiVersion. A List is walked and typed by its own kind, as there. */
void pg_audit_add_item(struct pg_audit *audit, const struct pg_node *object,
                       const struct pg_audit_item_type *type, const char *source, uint32_t base);

/* The state of namespace `name` (created on first sight), or NULL past max_namespaces. */
struct pg_audit_ns *pg_audit_ns_get(struct pg_audit *audit, struct pg_str name);

/* Judge a workload or pod object in namespace `ns` (judge.c). */
struct pg_workload;
void pg_audit_judge(struct pg_audit *audit, struct pg_audit_ns *ns,
                    const struct pg_workload *workload, const struct pg_pod *pod);

/* Compute the public results (finish.c). */
void pg_audit_finish_namespaces(struct pg_audit *audit);

/* Shared by the renderers (render.c). */
bool pg_audit_str_eq(struct pg_str text, const char *literal);
void pg_audit_put_level_version(struct pg_buf *out, struct pg_level_version lv);
void pg_audit_put_version(struct pg_buf *out, struct pg_version version);
/* Upstream's dry-run header (spec §6.6): `existing pods in namespace "ns" violate …`. */
void pg_audit_put_what_if_header(struct pg_buf *out, const struct pg_audit_what_if_result *w);

/* Renderers, each appending the whole report to `out`. */
void pg_audit_render_text(struct pg_buf *out, const struct pg_audit *audit);
void pg_audit_render_json(struct pg_buf *out, const struct pg_audit *audit);
void pg_audit_render_html(struct pg_buf *out, const struct pg_audit *audit);

#endif
