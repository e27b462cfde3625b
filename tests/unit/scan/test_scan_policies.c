/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scanner with custom policies: which workloads a policy judges, what
 * its exemptions remove, and the end-of-scan warnings about expired and
 * unused exemptions. Results and diagnostics are logged one per line.
 */
#include "harness.h"

#include "podgate/buf.h"
#include "podgate/scan.h"

static const char POLICIES[] =
    "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: mesh}\n"
    "spec:\n  level: restricted\n  namespaces: [payments]\n  exemptions:\n"
    "  - checks: [runAsNonRoot]\n    containers: [istio-init]\n    reason: root sidecar\n"
    "  - checks: [seccompProfile_restricted]\n    reason: old nodes\n    expires: 2025-12-31\n"
    "  - checks: [privileged]\n    containers: [debug]\n    reason: never used\n"
    "---\n"
    "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: agents}\n"
    "spec:\n  level: baseline\n  exemptions:\n"
    "  - checks: [hostNamespaces]\n    reason: node agent\n";

/* A pod in `ns` whose istio-init runs as root and which sets no seccomp profile. */
#define POD(name, ns)                                                                              \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: " ns "}\n"                   \
    "spec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n"                              \
    "  - name: istio-init\n    image: proxy:1\n"                                                   \
    "    securityContext: {runAsNonRoot: false, allowPrivilegeEscalation: false,\n"                \
    "                      capabilities: {drop: [ALL]}}\n"

struct log {
    struct pg_buf text;
};

static void on_result(const struct pg_scan_result *result, void *ctx)
{
    struct log *log = ctx;
    char lv[64];
    (void)pg_level_version_format(lv, sizeof(lv), result->policy);
    pg_buf_printf(&log->text, "%.*s %s %s %s %s exempted=%zu", (int)result->workload->ref.name.len,
                  result->workload->ref.name.ptr, pg_mode_name(result->mode), lv,
                  result->custom_policy ? result->custom_policy->name.ptr : "-",
                  result->allowed ? "allowed" : "forbidden", result->exempted_len);
    for (size_t i = 0; i < result->exempted_len; i++) {
        const struct pg_scan_exempted *e = &result->exempted[i];
        pg_buf_printf(&log->text, " [%s %.*s %.*s/%zu %s]", pg_check_name(e->check),
                      (int)e->container_name.len, e->container_name.ptr, (int)e->policy.len,
                      e->policy.ptr, e->exemption, e->location.path);
    }
    pg_buf_printf(&log->text, "%s%.*s\n", result->allowed ? "" : ": ", (int)result->message.len,
                  result->message.ptr);
}

static void on_diag(const struct pg_scan_diag *diag, void *ctx)
{
    struct log *log = ctx;
    pg_buf_printf(&log->text, "%s %s:%u: %s\n",
                  diag->severity == PG_DIAG_ERROR ? "error" : "warning", diag->source,
                  (unsigned)diag->line, diag->message);
}

/* Scan `manifests` with POLICIES on 2026-01-15; the log must equal `want`. */
static bool scan_logs(const char *manifests, bool has_level, const char *want)
{
    struct pg_policy_set *set = NULL;
    struct pg_scanner *scanner = NULL;
    struct pg_scan_options options;
    struct log log;
    struct pg_scan_sink sink = {on_result, on_diag, &log};
    bool ok = false;
    pg_buf_init(&log.text, 0);
    pg_scan_options_default(&options);
    options.has_level = has_level;
    options.level.level = PG_LEVEL_BASELINE;
    options.level.version.latest = true;
    options.today.ymd = 20260115;
    if (pg_policy_set_load(&set, POLICIES, sizeof(POLICIES) - 1, "p.yaml", NULL) != 0) {
        printf("#   policies do not load\n");
        return false;
    }
    options.policies = set;
    if (pg_scanner_new(&scanner, &options, NULL) == 0) {
        pg_scanner_learn_namespaces(scanner, manifests, strlen(manifests));
        pg_scanner_scan(scanner, "m.yaml", manifests, strlen(manifests), &sink);
        (void)pg_scanner_finish(scanner, &sink);
    }
    ok = strcmp(pg_buf_str(&log.text).ptr, want) == 0;
    if (!ok) {
        printf("#   got:\n%s#   want:\n%s", pg_buf_str(&log.text).ptr, want);
    }
    pg_scanner_free(scanner);
    pg_policy_set_free(set);
    pg_buf_release(&log.text);
    return ok;
}

#define EXPIRED_WARNING                                                                            \
    "warning p.yaml:11: exemption mesh/1 expired on 2025-12-31 and no longer applies (reason: "    \
    "old nodes)\n"
#define UNUSED_DEBUG                                                                               \
    "warning p.yaml:14: exemption mesh/2 is unused: it removed no finding in this scan "           \
    "(reason: never used)\n"

static void test_scan_policies_apply_exemptions_and_warn_at_the_end(void)
{
    PG_EXPECT(scan_logs(
        POD("a", "payments"), false,
        "a enforce restricted:latest mesh forbidden exempted=1 [runAsNonRoot istio-init mesh/0 "
        "spec.containers[0].securityContext.runAsNonRoot]: violates PodSecurity "
        "\"restricted:latest\": seccompProfile (pod or container \"istio-init\" must set "
        "securityContext.seccompProfile.type to \"RuntimeDefault\" or "
        "\"Localhost\")\n" EXPIRED_WARNING UNUSED_DEBUG
        "warning p.yaml:24: exemption agents/0 is unused: it removed no finding in this scan, "
        "and the policy judged no workload (reason: node agent)\n"));
}

static void test_scan_policies_leave_unbound_namespaces_alone(void)
{
    PG_EXPECT(scan_logs(
        POD("b", "shop"), false,
        "b enforce restricted:latest - forbidden exempted=0: violates PodSecurity "
        "\"restricted:latest\": runAsNonRoot != true (container \"istio-init\" must not set "
        "securityContext.runAsNonRoot=false), seccompProfile (pod or container \"istio-init\" "
        "must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")\n"
        "warning p.yaml:8: exemption mesh/0 is unused: it removed no finding in this scan, and "
        "the policy judged no workload (reason: root sidecar)\n" EXPIRED_WARNING
        "warning p.yaml:14: exemption mesh/2 is unused: it removed no finding in this scan, and "
        "the policy judged no workload (reason: never used)\n"
        "warning p.yaml:24: exemption agents/0 is unused: it removed no finding in this scan, "
        "and the policy judged no workload (reason: node agent)\n"));
}

static void test_scan_policies_bind_by_label_and_keep_audit_labels(void)
{
    PG_EXPECT(scan_logs(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  labels:\n"
        "    podgate.dev/policy: agents\n    pod-security.kubernetes.io/audit: baseline\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: np, namespace: payments}\n"
        "spec:\n  hostPID: true\n  containers: [{name: c, image: c}]\n",
        false,
        "np enforce baseline:latest agents allowed exempted=1 [hostNamespaces  agents/0 "
        "spec.hostPID]\n"
        "np audit baseline:latest - forbidden exempted=0: would violate PodSecurity "
        "\"baseline:latest\": host namespaces (hostPID=true)\n"
        "warning p.yaml:8: exemption mesh/0 is unused: it removed no finding in this scan, and "
        "the policy judged no workload (reason: root sidecar)\n" EXPIRED_WARNING
        "warning p.yaml:14: exemption mesh/2 is unused: it removed no finding in this scan, and "
        "the policy judged no workload (reason: never used)\n"));
}

static void test_scan_policies_fail_closed_on_a_label_naming_no_policy(void)
{
    PG_EXPECT(scan_logs(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n"
        "    podgate.dev/policy: gone\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: np, namespace: shop}\n"
        "spec:\n  hostPID: true\n  containers: [{name: c, image: c}]\n",
        false,
        "warning m.yaml:6: namespace shop: label podgate.dev/policy=gone names no policy in the "
        "policy file; enforcing restricted:latest instead\n"
        "np enforce restricted:latest - forbidden exempted=0: violates PodSecurity "
        "\"restricted:latest\": host namespaces (hostPID=true), allowPrivilegeEscalation != false "
        "(container \"c\" must set securityContext.allowPrivilegeEscalation=false), unrestricted "
        "capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), "
        "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), "
        "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to "
        "\"RuntimeDefault\" or \"Localhost\")\n"
        "warning p.yaml:8: exemption mesh/0 is unused: it removed no finding in this scan, and "
        "the policy judged no workload (reason: root sidecar)\n" EXPIRED_WARNING
        "warning p.yaml:14: exemption mesh/2 is unused: it removed no finding in this scan, and "
        "the policy judged no workload (reason: never used)\n"
        "warning p.yaml:24: exemption agents/0 is unused: it removed no finding in this scan, "
        "and the policy judged no workload (reason: node agent)\n"));
}

static void test_scan_policies_judge_bound_namespaces_even_with_level(void)
{
    /* --level baseline judges the rest; the bound namespace keeps its policy (enforce only). */
    PG_EXPECT(scan_logs(
        POD("a", "payments") "---\n" POD("b", "shop"), true,
        "a enforce restricted:latest mesh forbidden exempted=1 [runAsNonRoot istio-init mesh/0 "
        "spec.containers[0].securityContext.runAsNonRoot]: violates PodSecurity "
        "\"restricted:latest\": seccompProfile (pod or container \"istio-init\" must set "
        "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")\n"
        "b enforce baseline:latest - allowed exempted=0\n" EXPIRED_WARNING UNUSED_DEBUG
        "warning p.yaml:24: exemption agents/0 is unused: it removed no finding in this scan, "
        "and the policy judged no workload (reason: node agent)\n"));
}

static void test_scan_policies_report_two_claimants_as_an_error(void)
{
    static const char CLASH[] =
        "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: px}\n"
        "spec: {level: baseline, namespaces: [\"team-*\"]}\n---\n"
        "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: py}\n"
        "spec: {level: baseline, namespaces: [\"*-a\"]}\n";
    static const char POD_IN_TEAM_A[] = POD("a", "team-a");
    struct pg_policy_set *set = NULL;
    struct pg_scanner *scanner = NULL;
    struct pg_scan_options options;
    struct log log;
    struct pg_scan_sink sink = {on_result, on_diag, &log};
    pg_buf_init(&log.text, 0);
    pg_scan_options_default(&options);
    options.today.ymd = 20260115;
    PG_EXPECT_INT(pg_policy_set_load(&set, CLASH, sizeof(CLASH) - 1, "c.yaml", NULL), 0);
    options.policies = set;
    PG_EXPECT_INT(pg_scanner_new(&scanner, &options, NULL), 0);
    pg_scanner_scan(scanner, "m.yaml", POD_IN_TEAM_A, sizeof(POD_IN_TEAM_A) - 1, &sink);
    PG_EXPECT_STR(
        pg_buf_str(&log.text).ptr,
        "error m.yaml:1: namespace team-a is claimed by policies px (line 1) and py "
        "(line 6) through spec.namespaces; a namespace can be bound to one policy only\n");
    PG_EXPECT_INT(pg_scanner_stats(scanner)->errors, 1);
    PG_EXPECT_INT(pg_scanner_stats(scanner)->workloads, 0);
    pg_scanner_free(scanner);
    pg_policy_set_free(set);
    pg_buf_release(&log.text);
}

static void test_scanner_new_refuses_policies_without_a_date(void)
{
    struct pg_policy_set *set = NULL;
    struct pg_scanner *scanner = NULL;
    struct pg_scan_options options;
    struct pg_error err;
    pg_scan_options_default(&options);
    PG_EXPECT_INT(pg_policy_set_load(&set, POLICIES, sizeof(POLICIES) - 1, "p.yaml", NULL), 0);
    options.policies = set;
    PG_EXPECT_INT(pg_scanner_new(&scanner, &options, &err), PG_EINVAL);
    PG_EXPECT(scanner == NULL);
    PG_EXPECT_INT(pg_scanner_finish(NULL, NULL), 0);
    pg_policy_set_free(set);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_scan_policies_apply_exemptions_and_warn_at_the_end)                         \
    PG_TEST_ENTRY(test_scan_policies_leave_unbound_namespaces_alone)                               \
    PG_TEST_ENTRY(test_scan_policies_bind_by_label_and_keep_audit_labels)                          \
    PG_TEST_ENTRY(test_scan_policies_fail_closed_on_a_label_naming_no_policy)                      \
    PG_TEST_ENTRY(test_scan_policies_judge_bound_namespaces_even_with_level)                       \
    PG_TEST_ENTRY(test_scan_policies_report_two_claimants_as_an_error)                             \
    PG_TEST_ENTRY(test_scanner_new_refuses_policies_without_a_date)

PG_TEST_MAIN(TESTS)
