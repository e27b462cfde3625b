/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The end of an audit: turn per-namespace counters into the public results (counts at the
 * pinned and latest versions, the strictest level that holds, the recommendation, drift),
 * resolve which PSPs each namespace may use, and build the what-if groups. Everything built
 * here lives in the audit's results arena.
 */
#include "audit/internal.h"

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum pg_level strictest(const struct pg_audit_count at[3])
{
    if (at[PG_LEVEL_RESTRICTED].pods + at[PG_LEVEL_RESTRICTED].workloads == 0) {
        return PG_LEVEL_RESTRICTED;
    }
    if (at[PG_LEVEL_BASELINE].pods + at[PG_LEVEL_BASELINE].workloads == 0) {
        return PG_LEVEL_BASELINE;
    }
    return PG_LEVEL_PRIVILEGED;
}

static void fill_counts(struct pg_audit_namespace *pub, const struct pg_audit_ns *ns)
{
    unsigned pinned = pg_version_effective_minor(ns->policy.modes[PG_MODE_ENFORCE].version);
    pub->pinned = ns->policy.modes[PG_MODE_ENFORCE].version;
    for (int level = PG_LEVEL_BASELINE; level <= PG_LEVEL_RESTRICTED; level++) {
        pub->at_pinned[level].pods = ns->fail[PG_SUBJECT_POD][level][pinned];
        pub->at_pinned[level].workloads = ns->fail[PG_SUBJECT_WORKLOAD][level][pinned];
        pub->at_latest[level].pods = ns->fail[PG_SUBJECT_POD][level][PG_MAX_MINOR];
        pub->at_latest[level].workloads = ns->fail[PG_SUBJECT_WORKLOAD][level][PG_MAX_MINOR];
    }
    pub->strictest_pinned = strictest(pub->at_pinned);
    pub->strictest_latest = strictest(pub->at_latest);
}

/*
 * enforce: the strictest level that breaks nothing at the newest version; warn and audit: the
 * next stricter one, so the next step shows up before it is enforced. All pinned to
 * v1.PG_MAX_MINOR, so a later podgate (or Kubernetes) release cannot tighten them silently.
 */
static void recommend(struct pg_audit_namespace *pub, const struct pg_audit_ns *ns)
{
    struct pg_version pinned = {false, PG_MAX_MINOR};
    enum pg_level next = pub->strictest_latest == PG_LEVEL_RESTRICTED
                             ? PG_LEVEL_RESTRICTED
                             : (enum pg_level)(pub->strictest_latest + 1);
    char version[16];
    bool applied = true;
    pub->recommended.modes[PG_MODE_ENFORCE].level = pub->strictest_latest;
    pub->recommended.modes[PG_MODE_WARN].level = next;
    pub->recommended.modes[PG_MODE_AUDIT].level = next;
    for (size_t mode = 0; mode < 3; mode++) {
        pub->recommended.modes[mode].version = pinned;
    }
    (void)snprintf(version, sizeof(version), "v1.%d", PG_MAX_MINOR);
    /* Labels in PG_AUDIT_LABELS order: enforce, enforce-version, audit, …; modes likewise. */
    for (size_t i = 0; i < PG_AUDIT_LABELS; i++) {
        static const enum pg_mode MODES[3] = {PG_MODE_ENFORCE, PG_MODE_AUDIT, PG_MODE_WARN};
        const char *want =
            i % 2 == 0 ? pg_level_name(pub->recommended.modes[MODES[i / 2]].level) : version;
        applied = applied && ns->labels[i] != NULL && strcmp(ns->labels[i], want) == 0;
    }
    pub->recommendation_applied = applied;
    /* Objects that violate the enforced level got in before the label (or by an exemption):
     * the recommendation would then loosen enforcement, which the report must say. */
    pub->recommendation_looser = (ns->labels[0] != NULL || ns->label_errors != NULL) &&
                                 pub->strictest_latest < ns->policy.modes[PG_MODE_ENFORCE].level;
}

static void add_drift(struct pg_audit *audit, struct pg_audit_drift *drift,
                      const struct pg_audit_ns *ns, enum pg_level level, struct pg_version from)
{
    unsigned minor = pg_version_effective_minor(from);
    drift->level = level;
    drift->from = from;
    drift->newly.pods = ns->newly[PG_SUBJECT_POD][level][minor];
    drift->newly.workloads = ns->newly[PG_SUBJECT_WORKLOAD][level][minor];
    pg_group_table_view(&drift->pods, audit->results, &ns->drift[PG_SUBJECT_POD][level],
                        (uint64_t)1 << minor, "pod", drift->newly.pods);
    pg_group_table_view(&drift->workloads, audit->results, &ns->drift[PG_SUBJECT_WORKLOAD][level],
                        (uint64_t)1 << minor, "workload", drift->newly.workloads);
}

/*
 * For each distinct version a mode pins below latest: what newly fails baseline and restricted
 * at latest. Both levels, whatever the modes' levels, since the next step may be either.
 */
static void fill_drift(struct pg_audit *audit, struct pg_audit_namespace *pub,
                       const struct pg_audit_ns *ns)
{
    struct pg_audit_drift *drift = pg_arena_calloc(audit->results, 6, sizeof(*drift));
    size_t len = 0;
    for (size_t mode = 0; mode < 3; mode++) {
        struct pg_version version = ns->policy.modes[mode].version;
        unsigned minor = pg_version_effective_minor(version);
        bool seen = false;
        for (size_t i = 0; i < len; i++) {
            seen = seen || pg_version_effective_minor(drift[i].from) == minor;
        }
        if (minor >= PG_MAX_MINOR || seen) {
            continue;
        }
        add_drift(audit, &drift[len++], ns, PG_LEVEL_BASELINE, version);
        add_drift(audit, &drift[len++], ns, PG_LEVEL_RESTRICTED, version);
    }
    pub->drift = drift;
    pub->drift_len = len;
}

/* The PSP names a namespace may use, collected from RBAC grants. */
struct psp_names {
    const struct pg_audit *audit;
    const char **items;
    size_t len;
    size_t cap;
};

static void add_name(struct psp_names *names, const char *name)
{
    for (size_t i = 0; i < names->len; i++) {
        if (strcmp(names->items[i], name) == 0) {
            return;
        }
    }
    if (names->len == names->cap) {
        names->cap = names->cap ? 2 * names->cap : 8;
        names->items = pg_xrealloc(names->items, names->cap, sizeof(*names->items));
    }
    names->items[names->len++] = name;
}

static void on_grant(const char *psp, void *ctx)
{
    struct psp_names *names = ctx;
    if (psp != NULL) {
        add_name(names, psp);
        return;
    }
    for (size_t i = 0; i < names->audit->psps_len; i++) {
        add_name(names, names->audit->psps[i].name);
    }
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const struct pg_audit_psp *find_psp(const struct pg_audit *audit, const char *name)
{
    for (size_t i = 0; i < audit->psps_len; i++) {
        if (strcmp(audit->psps[i].name, name) == 0) {
            return &audit->psps[i];
        }
    }
    return NULL;
}

/*
 * "psp: check, check" for each usable PSP whose defaults make pods pass a check: pods created
 * once PSP is gone no longer get them, so they must set those fields themselves.
 */
static void fill_psp_defaults(struct pg_audit *audit, struct pg_audit_namespace *pub)
{
    const char **lines = pg_arena_calloc(audit->results, pub->psps_len + 1, sizeof(*lines));
    size_t len = 0;
    struct pg_buf line = PG_BUF_INIT;
    for (size_t i = 0; i < pub->psps_len; i++) {
        const struct pg_audit_psp *psp = find_psp(audit, pub->psps[i]);
        pg_buf_clear(&line);
        for (size_t j = 0; psp != NULL && j < psp->defaults_len; j++) {
            if (psp->defaults[j].check == PG_CHECK_COUNT) {
                continue;
            }
            pg_buf_puts(&line, line.len == 0 ? psp->name : ",");
            pg_buf_printf(&line, "%s %s", line.len == strlen(psp->name) ? ":" : "",
                          pg_check_name(psp->defaults[j].check));
        }
        if (line.len > 0) {
            lines[len++] = pg_arena_strndup(audit->results, line.ptr, line.len);
        }
    }
    pub->psp_defaults = lines;
    pub->psp_defaults_len = len;
    pg_buf_release(&line);
}

static void fill_psp(struct pg_audit *audit, struct pg_audit_namespace *pub)
{
    struct psp_names names = {audit, NULL, 0, 0};
    const char **copy = NULL;
    pub->psp_known = audit->psps_len > 0 || audit->rbac.roles_len > 0;
    if (!pub->psp_known) {
        return;
    }
    pg_rbac_each_grant(&audit->rbac, pub->name, on_grant, &names);
    if (names.len > 1) {
        qsort(names.items, names.len, sizeof(*names.items), compare_names);
    }
    copy = pg_arena_calloc(audit->results, names.len + 1, sizeof(*copy));
    for (size_t i = 0; i < names.len; i++) {
        const struct pg_audit_psp *psp = find_psp(audit, names.items[i]);
        copy[i] = pg_arena_strndup(audit->results, names.items[i], strlen(names.items[i]));
        if (psp != NULL && (!pub->psp_allows_known || psp->level < pub->psp_allows)) {
            pub->psp_allows = psp->level;
            pub->psp_allows_known = true;
        }
    }
    pub->psps = copy;
    pub->psps_len = names.len;
    free(names.items);
    fill_psp_defaults(audit, pub);
}

static void fill_namespace(struct pg_audit *audit, struct pg_audit_ns *ns)
{
    struct pg_audit_namespace *pub = &ns->pub;
    memset(pub, 0, sizeof(*pub));
    pub->name = ns->name;
    pub->in_input = ns->in_input;
    for (size_t i = 0; i < PG_AUDIT_LABELS; i++) {
        pub->labels[i] = ns->labels[i];
    }
    pub->label_errors = ns->label_errors;
    pub->policy = ns->policy;
    pub->pods = ns->subjects[PG_SUBJECT_POD];
    pub->controlled_pods = ns->controlled_pods;
    pub->workloads = ns->subjects[PG_SUBJECT_WORKLOAD];
    pub->controlled_templates = ns->controlled_templates;
    fill_counts(pub, ns);
    recommend(pub, ns);
    fill_drift(audit, pub, ns);
    fill_psp(audit, pub);
}

static void fill_what_if(struct pg_audit *audit, struct pg_audit_what_if_state *state)
{
    for (size_t i = 0; i < audit->namespaces_len && !state->pub.found; i++) {
        state->pub.found = strcmp(audit->namespaces[i]->name, state->namespace_) == 0;
    }
    pg_group_table_view(&state->pub.pods, audit->results, &state->groups[PG_SUBJECT_POD], 1, "pod",
                        state->pub.violating.pods);
    pg_group_table_view(&state->pub.workloads, audit->results, &state->groups[PG_SUBJECT_WORKLOAD],
                        1, "workload", state->pub.violating.workloads);
}

static int compare_namespaces(const void *a, const void *b)
{
    const struct pg_audit_namespace *x = *(const struct pg_audit_namespace *const *)a;
    const struct pg_audit_namespace *y = *(const struct pg_audit_namespace *const *)b;
    return strcmp(x->name, y->name);
}

static int compare_psps(const void *a, const void *b)
{
    return strcmp(((const struct pg_audit_psp *)a)->name, ((const struct pg_audit_psp *)b)->name);
}

void pg_audit_finish(struct pg_audit *audit)
{
    if (audit == NULL || audit->finished) {
        return;
    }
    pg_rbac_prune(&audit->rbac);
    if (audit->psps_len > 1) {
        qsort(audit->psps, audit->psps_len, sizeof(*audit->psps), compare_psps);
    }
    audit->sorted =
        pg_xcalloc(audit->namespaces_len + 1, sizeof(const struct pg_audit_namespace *));
    for (size_t i = 0; i < audit->namespaces_len; i++) {
        fill_namespace(audit, audit->namespaces[i]);
        audit->sorted[i] = &audit->namespaces[i]->pub;
    }
    if (audit->namespaces_len > 1) {
        qsort(audit->sorted, audit->namespaces_len, sizeof(const struct pg_audit_namespace *),
              compare_namespaces);
    }
    for (size_t i = 0; i < audit->what_if_len; i++) {
        fill_what_if(audit, &audit->what_if[i]);
    }
    audit->finished = true;
}
