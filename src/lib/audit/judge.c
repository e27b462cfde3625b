/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Judging one pod or workload template for the audit: its verdicts at every level and
 * version go into the namespace's counters; if it newly fails at latest it joins a drift
 * group; if its namespace has a what-if label, it is judged there with upstream's texts.
 * Nothing of the object is kept but counts, texts and one name per group.
 */
#include "audit/internal.h"

#include "podgate/workload.h"

#include <string.h>

/* Kinds whose controller's own template is what produces (and fixes) the pods. */
static const char *const WORKLOAD_KINDS[] = {
    "Deployment", "ReplicaSet", "StatefulSet",           "DaemonSet",
    "Job",        "CronJob",    "ReplicationController",
};

/* The kind of the object's controller owner (ownerReferences[].controller: true), or "". */
static struct pg_str controller_kind(const struct pg_node *object)
{
    const struct pg_node *owners = pg_node_get(pg_node_get(object, "metadata"), "ownerReferences");
    if (owners == NULL || owners->kind != PG_NODE_SEQ) {
        return PG_STR_LIT("");
    }
    for (size_t i = 0; i < owners->as.seq.len; i++) {
        const struct pg_node *owner = owners->as.seq.items[i];
        const struct pg_node *controller = pg_node_get(owner, "controller");
        const struct pg_node *kind = pg_node_get(owner, "kind");
        if (controller != NULL && controller->kind == PG_NODE_BOOL && controller->as.boolean &&
            kind != NULL && kind->kind == PG_NODE_STR && kind->as.str.len > 0) {
            return kind->as.str;
        }
    }
    return PG_STR_LIT("");
}

static bool is_workload_kind(struct pg_str kind)
{
    for (size_t i = 0; i < sizeof(WORKLOAD_KINDS) / sizeof(WORKLOAD_KINDS[0]); i++) {
        if (pg_audit_str_eq(kind, WORKLOAD_KINDS[i])) {
            return true;
        }
    }
    return false;
}

static void count(struct pg_audit_ns *ns, enum pg_audit_subject subject,
                  const struct pg_verdicts *verdicts)
{
    for (int level = PG_LEVEL_BASELINE; level <= PG_LEVEL_RESTRICTED; level++) {
        uint64_t mask = verdicts->fail[level];
        while (mask != 0) {
            unsigned minor = (unsigned)__builtin_ctzll(mask);
            ns->fail[subject][level][minor]++;
            mask &= mask - 1;
        }
    }
}

/* The name an object is listed under: the pod's name, or `Kind/name` for a workload. */
static struct pg_str display_name(struct pg_buf *out, const struct pg_workload *workload)
{
    pg_buf_clear(out);
    if (workload->kind != PG_KIND_POD) {
        pg_buf_puts(out, pg_workload_kind_name(workload->kind));
        pg_buf_putc(out, '/');
    }
    pg_buf_put_str(out, workload->ref.name);
    return pg_buf_str(out);
}

/* Upstream's reasons string (spec §4.1) at `lv`, into audit->text. */
static struct pg_str reasons_at(struct pg_audit *audit, const struct pg_pod *pod,
                                struct pg_level_version lv)
{
    pg_evaluate(&audit->findings, pod, lv);
    pg_buf_clear(&audit->text);
    pg_render_reasons(&audit->text, &audit->findings, pod);
    return pg_buf_str(&audit->text);
}

/* `would violate PodSecurity "lv": details` (spec §4.2), the warning a workload gets. */
static struct pg_str warning_at(struct pg_audit *audit, const struct pg_pod *pod,
                                struct pg_level_version lv)
{
    char text[64];
    (void)pg_level_version_format(text, sizeof(text), lv);
    pg_evaluate(&audit->findings, pod, lv);
    pg_buf_clear(&audit->text);
    pg_buf_puts(&audit->text, "would violate PodSecurity \"");
    pg_buf_puts(&audit->text, text);
    pg_buf_puts(&audit->text, "\": ");
    pg_render_details(&audit->text, &audit->findings, pod);
    return pg_buf_str(&audit->text);
}

static void drift(struct pg_audit *audit, struct pg_audit_ns *ns, enum pg_audit_subject subject,
                  const struct pg_workload *workload, const struct pg_pod *pod,
                  const struct pg_verdicts *verdicts)
{
    struct pg_buf name = PG_BUF_INIT;
    for (int level = PG_LEVEL_BASELINE; level <= PG_LEVEL_RESTRICTED; level++) {
        uint64_t pass = ~verdicts->fail[level] & PG_VERDICT_ALL_MINORS;
        uint64_t mask = pass;
        struct pg_level_version latest = {(enum pg_level)level, {true, 0}};
        if (!pg_verdicts_fails(verdicts, (enum pg_level)level, PG_MAX_MINOR) || pass == 0) {
            continue;
        }
        while (mask != 0) {
            ns->newly[subject][level][__builtin_ctzll(mask)]++;
            mask &= mask - 1;
        }
        pg_group_table_add(&ns->drift[subject][level], reasons_at(audit, pod, latest), pass,
                           display_name(&name, workload));
    }
    pg_buf_release(&name);
}

static void what_if(struct pg_audit *audit, const struct pg_audit_ns *ns,
                    enum pg_audit_subject subject, const struct pg_workload *workload,
                    const struct pg_pod *pod, const struct pg_verdicts *verdicts)
{
    struct pg_buf name = PG_BUF_INIT;
    for (size_t i = 0; i < audit->what_if_len; i++) {
        struct pg_audit_what_if_state *state = &audit->what_if[i];
        struct pg_level_version lv = state->pub.enforce;
        size_t *checked =
            subject == PG_SUBJECT_POD ? &state->pub.checked.pods : &state->pub.checked.workloads;
        if (state->namespace_len != ns->name_len ||
            memcmp(state->namespace_, ns->name, ns->name_len) != 0) {
            continue;
        }
        (*checked)++;
        if (!pg_verdicts_fails(verdicts, lv.level, pg_version_effective_minor(lv.version))) {
            continue;
        }
        if (subject == PG_SUBJECT_POD) {
            state->pub.violating.pods++;
            pg_group_table_add(&state->groups[subject], reasons_at(audit, pod, lv), 1,
                               display_name(&name, workload));
        } else {
            state->pub.violating.workloads++;
            pg_group_table_add(&state->groups[subject], warning_at(audit, pod, lv), 1,
                               display_name(&name, workload));
        }
    }
    pg_buf_release(&name);
}

void pg_audit_judge(struct pg_audit *audit, struct pg_audit_ns *ns,
                    const struct pg_workload *workload, const struct pg_pod *pod)
{
    enum pg_audit_subject subject =
        workload->kind == PG_KIND_POD ? PG_SUBJECT_POD : PG_SUBJECT_WORKLOAD;
    struct pg_str owner = controller_kind(workload->ref.node);
    struct pg_verdicts verdicts;
    if (subject == PG_SUBJECT_POD) {
        audit->stats.pods++;
        ns->controlled_pods += owner.len > 0;
    } else {
        audit->stats.workloads++;
        /* A ReplicaSet of a Deployment, a Job of a CronJob: its pods are counted as pods and
         * its owner's template as a workload, so counting it too would say the same twice. */
        if (is_workload_kind(owner)) {
            ns->controlled_templates++;
            return;
        }
    }
    pg_verdicts_compute(&verdicts, &audit->findings, &audit->table, pod);
    ns->subjects[subject]++;
    count(ns, subject, &verdicts);
    drift(audit, ns, subject, workload, pod, &verdicts);
    what_if(audit, ns, subject, workload, pod, &verdicts);
}
