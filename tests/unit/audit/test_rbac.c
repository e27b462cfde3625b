/* SPDX-License-Identifier: Apache-2.0 */
/* Which PSPs a namespace's service accounts may `use`, from Roles and bindings in the input. */
#include "harness.h"

#include "audit_test_util.h"

#define PSP(name)                                                                                  \
    "---\n{apiVersion: policy/v1beta1, kind: PodSecurityPolicy, metadata: {name: " name "}, "      \
    "spec: {privileged: true, volumes: ['*'], runAsUser: {rule: RunAsAny}, seLinux: {rule: "       \
    "RunAsAny}}}\n"
#define CLUSTER_ROLE(name, rule)                                                                   \
    "---\n{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: " name    \
    "}, rules: [" rule "]}\n"
#define ROLE(ns, name, rule)                                                                       \
    "---\n{apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: " name           \
    ", namespace: " ns "}, rules: [" rule "]}\n"
#define BINDING(ns, role_kind, role, subject)                                                      \
    "---\n{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: b, "      \
    "namespace: " ns "}, roleRef: {kind: " role_kind ", name: " role "}, subjects: [" subject      \
    "]}\n"
#define CLUSTER_BINDING(role, subject)                                                             \
    "---\n{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: "         \
    "{name: cb}, roleRef: {kind: ClusterRole, name: " role "}, subjects: [" subject "]}\n"
#define USE(names)                                                                                 \
    "{apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [" names \
    "]}"
#define USE_ALL "{apiGroups: [extensions], resources: [podsecuritypolicies], verbs: [use]}"
#define SA(ns) "{kind: ServiceAccount, name: default, namespace: " ns "}"

static bool psps_are(const struct pg_audit *audit, const char *ns_name, const char *expected)
{
    const struct pg_audit_namespace *ns = audit_ns(audit, ns_name);
    struct pg_buf joined = PG_BUF_INIT;
    bool same = false;
    pg_buf_puts(&joined, "");
    for (size_t i = 0; ns != NULL && i < ns->psps_len; i++) {
        pg_buf_puts(&joined, i > 0 ? "," : "");
        pg_buf_puts(&joined, ns->psps[i]);
    }
    same = ns != NULL && strcmp(pg_buf_str(&joined).ptr, expected) == 0;
    if (!same) {
        printf("#   %s may use \"%s\", want \"%s\"\n", ns_name, pg_buf_str(&joined).ptr, expected);
    }
    pg_buf_release(&joined);
    return same;
}

static void test_rbac_role_binding_grants_only_its_own_namespace(void)
{
    struct pg_audit *audit =
        audit_run(PSP("a") PSP("b") POD("ns-x", "p", SPEC_BASELINE) POD("ns-y", "p", SPEC_BASELINE)
                      ROLE("ns-x", "r", USE("a")) BINDING("ns-x", "Role", "r", SA("ns-x"))
                          BINDING("ns-y", "Role", "r", SA("ns-y")),
                  NULL, 0);
    PG_EXPECT(psps_are(audit, "ns-x", "a"));
    PG_EXPECT(
        psps_are(audit, "ns-y", "")); /* Role r lives in ns-x: a binding in ns-y finds nothing */
    PG_EXPECT(audit_ns(audit, "ns-x")->psp_known);
    PG_EXPECT(audit_ns(audit, "ns-x")->psp_allows_known);
    PG_EXPECT_INT(audit_ns(audit, "ns-x")->psp_allows, PG_LEVEL_PRIVILEGED);
    PG_EXPECT(!audit_ns(audit, "ns-y")->psp_allows_known);
    pg_audit_free(audit);
}

static void test_rbac_cluster_binding_to_service_account_groups(void)
{
    struct pg_audit *audit = audit_run(
        PSP("a") PSP("b") PSP("c") POD("ns-x", "p", SPEC_BASELINE) POD("ns-y", "p", SPEC_BASELINE)
            CLUSTER_ROLE("all", USE_ALL) CLUSTER_ROLE("some", USE("c, gone"))
                CLUSTER_BINDING("some", "{kind: Group, name: system:serviceaccounts}")
                    BINDING("ns-y", "ClusterRole", "all",
                            "{kind: Group, name: 'system:serviceaccounts:ns-y'}"),
        NULL, 0);
    PG_EXPECT(psps_are(audit, "ns-x", "c,gone"));
    PG_EXPECT(psps_are(audit, "ns-y", "a,b,c,gone"));
    pg_audit_free(audit);
}

static void test_rbac_ignores_rules_that_do_not_grant_use(void)
{
    struct pg_audit *audit = audit_run(
        PSP("a") POD("ns-x", "p", SPEC_BASELINE)
            CLUSTER_ROLE("get", "{apiGroups: [policy], resources: [podsecuritypolicies], verbs: "
                                "[get, list]}")
                CLUSTER_ROLE("other", "{apiGroups: [apps], resources: [podsecuritypolicies], "
                                      "verbs: [use]}") CLUSTER_BINDING("get", SA("ns-x"))
                    CLUSTER_BINDING("other", SA("ns-x"))
                        CLUSTER_BINDING("get", "{kind: User, name: alice}"),
        NULL, 0);
    PG_EXPECT(psps_are(audit, "ns-x", ""));
    pg_audit_free(audit);
}

static void test_rbac_service_account_user_names_and_wildcards(void)
{
    struct pg_audit *audit = audit_run(
        PSP("a") POD("ns-x", "p", SPEC_BASELINE) CLUSTER_ROLE(
            "admin", "{apiGroups: ['*'], resources: ['*'], verbs: ['*']}")
            CLUSTER_BINDING("admin", "{kind: User, name: 'system:serviceaccount:ns-x:builder'}"),
        NULL, 0);
    PG_EXPECT(psps_are(audit, "ns-x", "a"));
    pg_audit_free(audit);
}

static void test_rbac_without_psps_or_roles_says_nothing(void)
{
    struct pg_audit *audit = audit_run(POD("ns-x", "p", SPEC_BASELINE), NULL, 0);
    PG_EXPECT(!audit_ns(audit, "ns-x")->psp_known);
    pg_audit_free(audit);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_rbac_role_binding_grants_only_its_own_namespace)                            \
    PG_TEST_ENTRY(test_rbac_cluster_binding_to_service_account_groups)                             \
    PG_TEST_ENTRY(test_rbac_ignores_rules_that_do_not_grant_use)                                   \
    PG_TEST_ENTRY(test_rbac_service_account_user_names_and_wildcards)                              \
    PG_TEST_ENTRY(test_rbac_without_psps_or_roles_says_nothing)

PG_TEST_MAIN(TESTS)
