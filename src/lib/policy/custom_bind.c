/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Binding namespaces to custom policies: the `podgate.dev/policy` label
 * wins, then `spec.namespaces` globs; a bound policy replaces the enforce
 * mode only. Unbound namespaces are left exactly as Pod Security Admission
 * sees them.
 */
#include "policy/custom.h"

#include <string.h>

#define PSA_WARN_LABEL "pod-security.kubernetes.io/warn"
#define PSA_WARN_VERSION_LABEL "pod-security.kubernetes.io/warn-version"
#define QUOTE_MAX 80

static int quote_len(struct pg_str text)
{
    return (int)(text.len < QUOTE_MAX ? text.len : QUOTE_MAX);
}

static int bind_by_label(const struct pg_policy **out, const struct pg_policy_set *set,
                         struct pg_str ns_name, const struct pg_node *label, struct pg_error *err)
{
    if (label->kind != PG_NODE_STR) {
        return pg_error_set(err, PG_ETYPE,
                            "namespace %.*s: label " PG_POLICY_LABEL " must be a string, got %s",
                            quote_len(ns_name), ns_name.ptr, pg_node_kind_name(label->kind));
    }
    *out = pg_policy_set_find(set, label->as.str);
    if (*out == NULL) {
        return pg_error_set(
            err, PG_ENOENT,
            "namespace %.*s: label " PG_POLICY_LABEL "=%.*s names no policy in the policy file",
            quote_len(ns_name), ns_name.ptr, quote_len(label->as.str), label->as.str.ptr);
    }
    return 0;
}

/* The policy whose globs match the name, if exactly one; two claimants are a config error. */
static int bind_by_name(const struct pg_policy **out, const struct pg_policy_set *set,
                        struct pg_str ns_name, struct pg_error *err)
{
    for (size_t p = 0; p < set->len; p++) {
        const struct pg_policy *policy = &set->policies[p];
        for (size_t i = 0; i < policy->namespaces.len; i++) {
            if (!pg_glob_match(policy->namespaces.items[i], ns_name)) {
                continue;
            }
            if (*out != NULL && *out != policy) {
                int rc = pg_error_set(
                    err, PG_EINVAL,
                    "namespace %.*s is claimed by policies %s (line %u) and %s (line %u) through "
                    "spec.namespaces; a namespace can be bound to one policy only",
                    quote_len(ns_name), ns_name.ptr, (*out)->name.ptr, (unsigned)(*out)->line,
                    policy->name.ptr, (unsigned)policy->line);
                *out = NULL;
                return rc;
            }
            *out = policy;
        }
    }
    return 0;
}

int pg_policy_set_for_namespace(const struct pg_policy **out, const struct pg_policy_set *set,
                                struct pg_str ns_name, const struct pg_node *ns_labels,
                                struct pg_error *err)
{
    const struct pg_node *label = NULL;
    int rc = 0;
    if (out == NULL || set == NULL || (ns_name.ptr == NULL && ns_name.len != 0)) {
        return pg_error_set(err, PG_EINVAL, "pg_policy_set_for_namespace: NULL argument");
    }
    *out = NULL;
    if (ns_name.ptr == NULL) {
        ns_name = PG_STR_LIT("");
    }
    label = pg_node_get(ns_labels, PG_POLICY_LABEL);
    if (!pg_node_unset(label)) {
        rc = bind_by_label(out, set, ns_name, label, err);
    } else {
        rc = bind_by_name(out, set, ns_name, err);
    }
    if (rc != 0) {
        *out = NULL;
    }
    return rc;
}

void pg_policy_bind_modes(bool *warn_custom_out, struct pg_ns_policy *modes,
                          const struct pg_policy *policy, const struct pg_node *ns_labels,
                          const struct pg_ns_policy *defaults)
{
    struct pg_level_version *warn = NULL;
    bool custom = false;
    if (modes == NULL || policy == NULL || defaults == NULL) {
        return;
    }
    warn = &modes->modes[PG_MODE_WARN];
    modes->modes[PG_MODE_ENFORCE] = policy->level;
    /*
     * Upstream's step 9 with the policy in place of the enforce label: without
     * a warn label, warn starts from the default (undoing any inheritance from
     * a PSA enforce label the policy overrides) and follows the policy when
     * that is stricter. A warn-version label only moves the version: warn is
     * still the policy, exemptions included, or a namespace with nothing but
     * `warn-version` would warn about the very findings enforce exempted.
     */
    if (pg_node_unset(pg_node_get(ns_labels, PSA_WARN_LABEL))) {
        bool own_version = !pg_node_unset(pg_node_get(ns_labels, PSA_WARN_VERSION_LABEL));
        warn->level = defaults->modes[PG_MODE_WARN].level;
        if (!own_version) {
            warn->version = defaults->modes[PG_MODE_WARN].version;
        }
        if (policy->level.level > warn->level) {
            warn->level = policy->level.level;
            if (!own_version) {
                warn->version = policy->level.version;
            }
            custom = true;
        }
    }
    if (warn_custom_out != NULL) {
        *warn_custom_out = custom;
    }
}
