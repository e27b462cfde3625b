/* SPDX-License-Identifier: Apache-2.0 */
/* Evaluation and aggregate texts (spec §2.3, §4.1). */
#include "harness.h"

#include "checks/pod_builder.h"

#define EMPTY_POD_DETAILS                                                                          \
    "allowPrivilegeEscalation != false (container \"c\" must set "                                 \
    "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "       \
    "\"c\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or "   \
    "container \"c\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or "         \
    "container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "       \
    "\"Localhost\")"
#define EMPTY_POD_REASONS                                                                          \
    "allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "         \
    "seccompProfile"

static const struct pg_level_version RESTRICTED_LATEST = {PG_LEVEL_RESTRICTED, {true, 0}};
static const struct pg_level_version BASELINE_LATEST = {PG_LEVEL_BASELINE, {true, 0}};

/* One test's pod and findings: render_begin sets them up, render_end releases them. */
struct render_case {
    struct pb b;
    struct pg_findings findings;
};

/* An empty pod (the test adds what it needs) and no findings yet. */
static void render_begin(struct render_case *t)
{
    pb_init(&t->b);
    pg_findings_init(&t->findings);
}

static void render_evaluate(struct render_case *t, struct pg_level_version lv)
{
    pg_evaluate(&t->findings, &t->b.pod, lv);
}

static void render_end(struct render_case *t)
{
    pg_findings_release(&t->findings);
}

/* The case's reasons and details strings, compared with the wanted ones (printed when different).
 */
static bool aggregate_is(const struct render_case *t, const char *reasons, const char *details)
{
    struct pg_buf got_reasons = PG_BUF_INIT;
    struct pg_buf got_details = PG_BUF_INIT;
    bool ok = false;
    pg_render_reasons(&got_reasons, &t->findings, &t->b.pod);
    pg_render_details(&got_details, &t->findings, &t->b.pod);
    ok = strcmp(pg_buf_str(&got_reasons).ptr, reasons) == 0 &&
         strcmp(pg_buf_str(&got_details).ptr, details) == 0;
    if (!ok) {
        printf("#   got:  %s\n#         %s\n#   want: %s\n#         %s\n",
               pg_buf_str(&got_reasons).ptr, pg_buf_str(&got_details).ptr, reasons, details);
    }
    pg_buf_release(&got_reasons);
    pg_buf_release(&got_details);
    return ok;
}

static void test_render_details_for_empty_pod_at_restricted_latest(void)
{
    struct render_case t;
    render_begin(&t);
    pb_container(&t.b, "c");
    render_evaluate(&t, RESTRICTED_LATEST);
    PG_EXPECT(aggregate_is(&t, EMPTY_POD_REASONS, EMPTY_POD_DETAILS));
    PG_EXPECT_INT(t.findings.forbidden,
                  ((pg_check_set)1u << PG_CHECK_ALLOW_PRIVILEGE_ESCALATION) |
                      ((pg_check_set)1u << PG_CHECK_CAPABILITIES_RESTRICTED) |
                      ((pg_check_set)1u << PG_CHECK_RUN_AS_NON_ROOT) |
                      ((pg_check_set)1u << PG_CHECK_SECCOMP_PROFILE_RESTRICTED));
    render_end(&t);
}

/* Each renderer sees the span of its check's findings; findings of other checks inside that span
   (a caller may hand findings in any order) must not change the text. */
static void test_render_ignores_findings_of_other_checks_between_its_own(void)
{
    struct render_case t;
    struct pg_finding swap;
    struct pg_buf before = PG_BUF_INIT;
    render_begin(&t);
    pb_container(&t.b, "a");
    pb_container(&t.b, "b");
    render_evaluate(&t, RESTRICTED_LATEST);
    pg_render_details(&before, &t.findings, &t.b.pod);
    /* allowPrivilegeEscalation a, b, then capabilities a, b: interleave the two checks. */
    PG_EXPECT_INT(t.findings.items[1].check, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION);
    PG_EXPECT_INT(t.findings.items[2].check, PG_CHECK_CAPABILITIES_RESTRICTED);
    swap = t.findings.items[1];
    t.findings.items[1] = t.findings.items[2];
    t.findings.items[2] = swap;
    PG_EXPECT(aggregate_is(&t, EMPTY_POD_REASONS, before.ptr));
    pg_buf_release(&before);
    render_end(&t);
}

static void test_render_versions_above_max_evaluate_as_max(void)
{
    struct render_case t;
    render_begin(&t);
    pb_container(&t.b, "c");
    render_evaluate(&t, (struct pg_level_version){PG_LEVEL_RESTRICTED, {false, 99}});
    PG_EXPECT(aggregate_is(&t, EMPTY_POD_REASONS, EMPTY_POD_DETAILS));
    render_end(&t);
}

static void test_render_old_restricted_version_uses_old_checks(void)
{
    struct render_case t;
    render_begin(&t);
    pb_container(&t.b, "c");
    pb_annotation(&t.b, "seccomp.security.alpha.kubernetes.io/pod", "unconfined");
    render_evaluate(&t, (struct pg_level_version){PG_LEVEL_RESTRICTED, {false, 18}});
    PG_EXPECT(aggregate_is(
        &t, "seccompProfile, allowPrivilegeEscalation != false, runAsNonRoot != true",
        "seccompProfile (forbidden annotation "
        "seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"), allowPrivilegeEscalation != "
        "false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
        "runAsNonRoot != true (pod or container \"c\" must set "
        "securityContext.runAsNonRoot=true)"));
    render_end(&t);
}

/* A privileged container "c" in a pod that shares the host's PID namespace. */
static void privileged_host_pid_pod(struct pb *b)
{
    PB_C_BOOL(b, pb_container(b, "c"), privileged, true);
    pb_set_bool(b, &b->pod.host_pid, true);
}

static void test_render_privileged_level_allows_everything(void)
{
    struct render_case t;
    render_begin(&t);
    privileged_host_pid_pod(&t.b);
    render_evaluate(&t, (struct pg_level_version){PG_LEVEL_PRIVILEGED, {true, 0}});
    PG_EXPECT_INT(t.findings.len, 0);
    PG_EXPECT_INT(t.findings.forbidden, 0);
    PG_EXPECT(aggregate_is(&t, "", ""));
    render_end(&t);
}

static void test_render_baseline_keeps_check_order(void)
{
    struct render_case t;
    render_begin(&t);
    privileged_host_pid_pod(&t.b);
    pb_pod_sc(&t.b);
    pb_sysctl(&t.b, "kernel.msgmax");
    render_evaluate(&t, BASELINE_LATEST);
    PG_EXPECT(aggregate_is(&t, "host namespaces, privileged, forbidden sysctls",
                           "host namespaces (hostPID=true), privileged (container \"c\" must not "
                           "set securityContext.privileged=true), forbidden sysctls "
                           "(kernel.msgmax)"));
    render_end(&t);
}

static void test_render_compliant_pod_has_no_findings(void)
{
    struct render_case t;
    struct pg_container *c = NULL;
    render_begin(&t);
    PB_POD_BOOL(&t.b, sc.run_as_non_root, true);
    pb_profile(&t.b, &t.b.pod.sc.seccomp_profile, "RuntimeDefault");
    c = pb_container(&t.b, "c");
    PB_C_BOOL(&t.b, c, allow_privilege_escalation, false);
    pb_cap_drop(&t.b, c, "ALL");
    render_evaluate(&t, RESTRICTED_LATEST);
    PG_EXPECT_INT(t.findings.len, 0);
    PG_EXPECT(!pg_render_check(NULL, NULL, &t.findings, PG_CHECK_RUN_AS_NON_ROOT, &t.b.pod));
    render_end(&t);
}

static void test_render_reuses_findings_across_evaluations(void)
{
    struct render_case t;
    render_begin(&t);
    pb_container(&t.b, "c");
    render_evaluate(&t, RESTRICTED_LATEST);
    PG_EXPECT_INT(t.findings.len, 4);
    render_evaluate(&t, BASELINE_LATEST);
    PG_EXPECT_INT(t.findings.len, 0);
    PG_EXPECT_INT(t.findings.forbidden, 0);
    /* Releasing twice is allowed: the second release finds nothing to free. */
    render_end(&t);
    render_end(&t);
}

static bool not_capabilities(const struct pg_finding *finding)
{
    return finding->check != PG_CHECK_CAPABILITIES_RESTRICTED;
}

static void test_render_skips_checks_whose_findings_were_all_removed(void)
{
    struct render_case t;
    render_begin(&t);
    pb_container(&t.b, "c");
    render_evaluate(&t, RESTRICTED_LATEST);
    pb_filter(&t.findings, not_capabilities);
    PG_EXPECT(
        !pg_render_check(NULL, NULL, &t.findings, PG_CHECK_CAPABILITIES_RESTRICTED, &t.b.pod));
    PG_EXPECT(aggregate_is(
        &t, "allowPrivilegeEscalation != false, runAsNonRoot != true, seccompProfile",
        "allowPrivilegeEscalation != false (container \"c\" must set "
        "securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or container "
        "\"c\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "
        "\"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
        "\"Localhost\")"));
    render_end(&t);
}

static void test_render_check_appends_reason_and_detail_separately(void)
{
    struct render_case t;
    struct pg_buf reason = PG_BUF_INIT;
    struct pg_buf detail = PG_BUF_INIT;
    render_begin(&t);
    pb_container(&t.b, "c");
    pg_evaluate_checks(&t.findings, &t.b.pod, (pg_check_set)1u << PG_CHECK_RUN_AS_NON_ROOT, 37);
    pg_buf_puts(&reason, "> ");
    PG_EXPECT(pg_render_check(&reason, NULL, &t.findings, PG_CHECK_RUN_AS_NON_ROOT, &t.b.pod));
    PG_EXPECT(pg_render_check(NULL, &detail, &t.findings, PG_CHECK_RUN_AS_NON_ROOT, &t.b.pod));
    PG_EXPECT_STR(reason.ptr, "> runAsNonRoot != true");
    PG_EXPECT_STR(detail.ptr, "pod or container \"c\" must set securityContext.runAsNonRoot=true");
    pg_buf_release(&reason);
    pg_buf_release(&detail);
    render_end(&t);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_render_details_for_empty_pod_at_restricted_latest)                          \
    PG_TEST_ENTRY(test_render_ignores_findings_of_other_checks_between_its_own)                    \
    PG_TEST_ENTRY(test_render_versions_above_max_evaluate_as_max)                                  \
    PG_TEST_ENTRY(test_render_old_restricted_version_uses_old_checks)                              \
    PG_TEST_ENTRY(test_render_privileged_level_allows_everything)                                  \
    PG_TEST_ENTRY(test_render_baseline_keeps_check_order)                                          \
    PG_TEST_ENTRY(test_render_compliant_pod_has_no_findings)                                       \
    PG_TEST_ENTRY(test_render_reuses_findings_across_evaluations)                                  \
    PG_TEST_ENTRY(test_render_skips_checks_whose_findings_were_all_removed)                        \
    PG_TEST_ENTRY(test_render_check_appends_reason_and_detail_separately)

PG_TEST_MAIN(TESTS)
