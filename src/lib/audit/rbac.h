/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Who may `use` which PodSecurityPolicy: Roles and ClusterRoles with a rule granting `use` on
 * `podsecuritypolicies` (group `policy` or `extensions`), and the RoleBindings and
 * ClusterRoleBindings that hand them to service accounts. Only what matters for PSP is kept,
 * as owned copies, so objects can come in any order; resolution happens at the end.
 */
#ifndef PG_AUDIT_RBAC_H
#define PG_AUDIT_RBAC_H

#include "podgate/common.h"
#include "podgate/workload.h"

struct pg_rbac_role {
    char *namespace_; /* NULL for a ClusterRole */
    char *name;
    bool all; /* every PSP (no resourceNames, or `*`) */
    char **psps;
    size_t psps_len;
};

struct pg_rbac_binding {
    char *namespace_; /* NULL for a ClusterRoleBinding */
    bool cluster_role;
    char *role;
    bool all_namespaces; /* a subject covers service accounts everywhere */
    char **namespaces;   /* namespaces whose service accounts are subjects */
    size_t namespaces_len;
};

struct pg_rbac {
    struct pg_rbac_role *roles;
    size_t roles_len;
    size_t roles_cap;
    struct pg_rbac_binding *bindings;
    size_t bindings_len;
    size_t bindings_cap;
    size_t max_entries; /* roles and bindings kept, each (hostile input bound) */
};

void pg_rbac_init(struct pg_rbac *rbac, size_t max_entries);
void pg_rbac_release(struct pg_rbac *rbac);

/*
 * Take a Role, ClusterRole, RoleBinding or ClusterRoleBinding (rbac.authorization.k8s.io).
 * Returns true when `ref` was one of those kinds, whether or not it concerns PSPs.
 */
bool pg_rbac_add(struct pg_rbac *rbac, const struct pg_object_ref *ref);

/* Drop bindings whose role grants no PSP (call once, after the last object). */
void pg_rbac_prune(struct pg_rbac *rbac);

/*
 * Call `fn` for every grant that reaches service accounts of namespace `ns`: `psp` is a
 * PSP name, or NULL for a grant of every PSP.
 */
void pg_rbac_each_grant(const struct pg_rbac *rbac, const char *ns,
                        void (*fn)(const char *psp, void *ctx), void *ctx);

#endif
