/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whether an UPDATE of a workload rolls out new pods, which is what --enforce-workloads denies:
 * the pod-template counterpart of upstream's significant pod update (spec §6.2 step 8).
 * Scaling, status, the workload's own labels and the garbage collector removing finalizers
 * leave the template alone, and must still pass after the namespace has been tightened.
 * Upstream has no such rule: it never enforces on workloads.
 */
#include "admission/admission_internal.h"

#include "podgate/workload.h"

static bool same_bytes(struct pg_str a, struct pg_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool node_equal(const struct pg_node *a, const struct pg_node *b);

static bool seq_equal(const struct pg_node *a, const struct pg_node *b)
{
    size_t i = 0;
    if (a->as.seq.len != b->as.seq.len) {
        return false;
    }
    for (i = 0; i < a->as.seq.len; i++) {
        if (!node_equal(a->as.seq.items[i], b->as.seq.items[i])) {
            return false;
        }
    }
    return true;
}

/*
 * Entries compared in order: the API server writes the old and the new object with the same
 * encoder (struct fields in declaration order, map keys sorted), so an unchanged map keeps its
 * order. Another order counts as a change, which costs an evaluation and never lets a change
 * through; looking keys up instead would be quadratic in a hostile review's annotations.
 */
static bool map_equal(const struct pg_node *a, const struct pg_node *b)
{
    size_t i = 0;
    if (a->as.map.len != b->as.map.len) {
        return false;
    }
    for (i = 0; i < a->as.map.len; i++) {
        const struct pg_map_entry *x = &a->as.map.entries[i];
        const struct pg_map_entry *y = &b->as.map.entries[i];
        if (!same_bytes(x->key, y->key) || !node_equal(x->value, y->value)) {
            return false;
        }
    }
    return true;
}

/* Equal values; recursion is bounded by the reader's max_depth. */
static bool node_equal(const struct pg_node *a, const struct pg_node *b)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    if (a->kind != b->kind) {
        return false;
    }
    switch (a->kind) {
    case PG_NODE_NULL:
        return true;
    case PG_NODE_BOOL:
        return a->as.boolean == b->as.boolean;
    case PG_NODE_INT:
        return a->as.integer == b->as.integer;
    case PG_NODE_FLOAT:
        return same_bytes(a->text, b->text);
    case PG_NODE_STR:
        return same_bytes(a->as.str, b->as.str);
    case PG_NODE_SEQ:
        return seq_equal(a, b);
    case PG_NODE_MAP:
        return map_equal(a, b);
    case PG_NODE_UNREAD:
        /* Not built (env, resources, …), but their bytes roll pods out all the same. */
        return same_bytes(a->text, b->text);
    }
    return false;
}

bool pg_adm_template_update_significant(const struct pg_adm_request *request,
                                        const struct pg_workload *workload)
{
    struct pg_workload old;
    struct pg_error err;
    if (!pg_adm_str_eq(request->operation, "UPDATE")) {
        return true;
    }
    /*
     * No pass for objects being deleted: the garbage collector's finalizer removal leaves the
     * template as it was and passes below, while a template change on a terminating object
     * (kept there by a finalizer of one's own) would reach any controller that reads it.
     * Without a comparable old template nothing shows the update to be harmless.
     */
    if (request->old_object == NULL || pg_workload_identify(&old, request->old_object, &err) != 1 ||
        old.kind != workload->kind || !old.has_template) {
        return true;
    }
    /* The template's labels and annotations count: annotations decide AppArmor and seccomp
       verdicts, and any change of the template rolls out new pods. */
    return !node_equal(workload->pod_metadata, old.pod_metadata) ||
           !node_equal(workload->pod_spec, old.pod_spec);
}
