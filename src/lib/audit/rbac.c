/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RBAC for PSP `use`. PSP admission authorizes `use` for the pod's service account in the
 * pod's namespace, so a RoleBinding in namespace N matters for pods of N when a subject covers
 * N's service accounts (the account itself, `system:serviceaccounts`,
 * `system:serviceaccounts:N`, `system:authenticated`); a ClusterRoleBinding matters wherever
 * its subjects' service accounts live.
 */
#include "audit/rbac.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define SA_GROUP_PREFIX "system:serviceaccounts:"
#define SA_USER_PREFIX "system:serviceaccount:"

static bool str_is(struct pg_str text, const char *literal)
{
    size_t len = strlen(literal);
    return text.len == len && memcmp(text.ptr, literal, len) == 0;
}

static bool has_prefix(struct pg_str text, const char *prefix)
{
    size_t len = strlen(prefix);
    return text.len >= len && memcmp(text.ptr, prefix, len) == 0;
}

static struct pg_str text_of(const struct pg_node *node)
{
    if (node == NULL || node->kind != PG_NODE_STR) {
        return PG_STR_LIT("");
    }
    return node->as.str;
}

static bool seq_has(const struct pg_node *seq, const char *a, const char *b)
{
    if (seq == NULL || seq->kind != PG_NODE_SEQ) {
        return false;
    }
    for (size_t i = 0; i < seq->as.seq.len; i++) {
        struct pg_str item = text_of(seq->as.seq.items[i]);
        if (str_is(item, a) || (b != NULL && str_is(item, b)) || str_is(item, "*")) {
            return true;
        }
    }
    return false;
}

static char *dup_str(struct pg_str text)
{
    return pg_xstrndup(text.ptr != NULL ? text.ptr : "", text.len);
}

static void push_name(char ***items, size_t *len, struct pg_str name)
{
    *items = pg_xrealloc(*items, *len + 1, sizeof(**items));
    (*items)[(*len)++] = dup_str(name);
}

void pg_rbac_init(struct pg_rbac *rbac, size_t max_entries)
{
    memset(rbac, 0, sizeof(*rbac));
    rbac->max_entries = max_entries;
}

static void free_names(char **items, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        free(items[i]);
    }
    free(items);
}

static void free_binding(struct pg_rbac_binding *binding)
{
    free(binding->namespace_);
    free(binding->role);
    free_names(binding->namespaces, binding->namespaces_len);
}

void pg_rbac_release(struct pg_rbac *rbac)
{
    for (size_t i = 0; i < rbac->roles_len; i++) {
        free(rbac->roles[i].namespace_);
        free(rbac->roles[i].name);
        free_names(rbac->roles[i].psps, rbac->roles[i].psps_len);
    }
    for (size_t i = 0; i < rbac->bindings_len; i++) {
        free_binding(&rbac->bindings[i]);
    }
    free(rbac->roles);
    free(rbac->bindings);
    memset(rbac, 0, sizeof(*rbac));
}

/* Fold one rule into `role` when it grants `use` on podsecuritypolicies. */
static bool add_rule(struct pg_rbac_role *role, const struct pg_node *rule)
{
    const struct pg_node *names = pg_node_get(rule, "resourceNames");
    if (!seq_has(pg_node_get(rule, "apiGroups"), "policy", "extensions") ||
        !seq_has(pg_node_get(rule, "resources"), "podsecuritypolicies", NULL) ||
        !seq_has(pg_node_get(rule, "verbs"), "use", NULL)) {
        return false;
    }
    if (names == NULL || names->kind != PG_NODE_SEQ || names->as.seq.len == 0 ||
        seq_has(names, "*", NULL)) {
        role->all = true;
        return true;
    }
    for (size_t i = 0; i < names->as.seq.len; i++) {
        push_name(&role->psps, &role->psps_len, text_of(names->as.seq.items[i]));
    }
    return true;
}

static void add_role(struct pg_rbac *rbac, const struct pg_object_ref *ref, bool cluster)
{
    const struct pg_node *rules = pg_node_get(ref->node, "rules");
    struct pg_rbac_role role;
    bool grants = false;
    memset(&role, 0, sizeof(role));
    for (size_t i = 0; rules != NULL && rules->kind == PG_NODE_SEQ && i < rules->as.seq.len; i++) {
        grants = add_rule(&role, rules->as.seq.items[i]) || grants;
    }
    if (!grants || rbac->roles_len == rbac->max_entries) {
        free_names(role.psps, role.psps_len);
        return;
    }
    role.namespace_ = cluster ? NULL : dup_str(ref->namespace_);
    role.name = dup_str(ref->name);
    if (rbac->roles_len == rbac->roles_cap) {
        rbac->roles_cap = rbac->roles_cap ? 2 * rbac->roles_cap : 8;
        rbac->roles = pg_xrealloc(rbac->roles, rbac->roles_cap, sizeof(*rbac->roles));
    }
    rbac->roles[rbac->roles_len++] = role;
}

/* The namespace whose service accounts `subject` covers, into the binding. */
static void add_subject(struct pg_rbac_binding *binding, const struct pg_node *subject,
                        struct pg_str binding_ns)
{
    struct pg_str kind = text_of(pg_node_get(subject, "kind"));
    struct pg_str name = text_of(pg_node_get(subject, "name"));
    struct pg_str ns = text_of(pg_node_get(subject, "namespace"));
    if (str_is(kind, "ServiceAccount")) {
        push_name(&binding->namespaces, &binding->namespaces_len, ns.len ? ns : binding_ns);
    } else if (str_is(kind, "Group") &&
               (str_is(name, "system:serviceaccounts") || str_is(name, "system:authenticated"))) {
        binding->all_namespaces = true;
    } else if (str_is(kind, "Group") && has_prefix(name, SA_GROUP_PREFIX)) {
        name.ptr += strlen(SA_GROUP_PREFIX);
        name.len -= strlen(SA_GROUP_PREFIX);
        push_name(&binding->namespaces, &binding->namespaces_len, name);
    } else if (str_is(kind, "User") && has_prefix(name, SA_USER_PREFIX)) {
        const char *start = name.ptr + strlen(SA_USER_PREFIX);
        const char *colon = memchr(start, ':', name.len - strlen(SA_USER_PREFIX));
        struct pg_str user_ns = {start, colon ? (size_t)(colon - start) : 0};
        push_name(&binding->namespaces, &binding->namespaces_len, user_ns);
    }
}

static void add_binding(struct pg_rbac *rbac, const struct pg_object_ref *ref, bool cluster)
{
    const struct pg_node *subjects = pg_node_get(ref->node, "subjects");
    const struct pg_node *role_ref = pg_node_get(ref->node, "roleRef");
    struct pg_rbac_binding binding;
    if (rbac->bindings_len == rbac->max_entries || role_ref == NULL) {
        return;
    }
    memset(&binding, 0, sizeof(binding));
    for (size_t i = 0;
         subjects != NULL && subjects->kind == PG_NODE_SEQ && i < subjects->as.seq.len; i++) {
        add_subject(&binding, subjects->as.seq.items[i], ref->namespace_);
    }
    if (!binding.all_namespaces && binding.namespaces_len == 0) {
        return;
    }
    binding.namespace_ = cluster ? NULL : dup_str(ref->namespace_);
    binding.cluster_role = str_is(text_of(pg_node_get(role_ref, "kind")), "ClusterRole");
    binding.role = dup_str(text_of(pg_node_get(role_ref, "name")));
    if (rbac->bindings_len == rbac->bindings_cap) {
        rbac->bindings_cap = rbac->bindings_cap ? 2 * rbac->bindings_cap : 8;
        rbac->bindings = pg_xrealloc(rbac->bindings, rbac->bindings_cap, sizeof(*rbac->bindings));
    }
    rbac->bindings[rbac->bindings_len++] = binding;
}

bool pg_rbac_add(struct pg_rbac *rbac, const struct pg_object_ref *ref)
{
    static const char *const KINDS[] = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"};
    size_t kind = 0;
    if (!has_prefix(ref->api_version, "rbac.authorization.k8s.io/")) {
        return false;
    }
    while (kind < 4 && !str_is(ref->kind, KINDS[kind])) {
        kind++;
    }
    if (kind == 4) {
        return false;
    }
    if (kind < 2) {
        add_role(rbac, ref, kind == 1);
    } else {
        add_binding(rbac, ref, kind == 3);
    }
    return true;
}

static const struct pg_rbac_role *find_role(const struct pg_rbac *rbac,
                                            const struct pg_rbac_binding *binding)
{
    for (size_t i = 0; i < rbac->roles_len; i++) {
        const struct pg_rbac_role *role = &rbac->roles[i];
        bool scope_ok = binding->cluster_role
                            ? role->namespace_ == NULL
                            : (role->namespace_ != NULL && binding->namespace_ != NULL &&
                               strcmp(role->namespace_, binding->namespace_) == 0);
        if (scope_ok && strcmp(role->name, binding->role) == 0) {
            return role;
        }
    }
    return NULL;
}

void pg_rbac_prune(struct pg_rbac *rbac)
{
    size_t kept = 0;
    for (size_t i = 0; i < rbac->bindings_len; i++) {
        if (find_role(rbac, &rbac->bindings[i]) == NULL) {
            free_binding(&rbac->bindings[i]);
            continue;
        }
        rbac->bindings[kept++] = rbac->bindings[i];
    }
    rbac->bindings_len = kept;
}

static bool reaches(const struct pg_rbac_binding *binding, const char *ns)
{
    bool subject = binding->all_namespaces;
    for (size_t i = 0; i < binding->namespaces_len && !subject; i++) {
        subject = strcmp(binding->namespaces[i], ns) == 0;
    }
    /* A RoleBinding grants only inside its own namespace. */
    return subject && (binding->namespace_ == NULL || strcmp(binding->namespace_, ns) == 0);
}

void pg_rbac_each_grant(const struct pg_rbac *rbac, const char *ns,
                        void (*fn)(const char *psp, void *ctx), void *ctx)
{
    for (size_t i = 0; i < rbac->bindings_len; i++) {
        const struct pg_rbac_role *role = NULL;
        if (!reaches(&rbac->bindings[i], ns)) {
            continue;
        }
        role = find_role(rbac, &rbac->bindings[i]);
        if (role == NULL) {
            continue;
        }
        if (role->all) {
            fn(NULL, ctx);
        }
        for (size_t j = 0; j < role->psps_len; j++) {
            fn(role->psps[j], ctx);
        }
    }
}
