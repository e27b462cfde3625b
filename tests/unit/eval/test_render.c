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

static bool aggregate_is(const struct pg_findings *findings, const struct pg_pod *pod,
                         const char *reasons, const char *details)
{
    struct pg_buf got_reasons = PG_BUF_INIT;
    struct pg_buf got_details = PG_BUF_INIT;
    bool ok = false;
    pg_render_reasons(&got_reasons, findings, pod);
    pg_render_details(&got_details, findings, pod);
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
    struct pb b;
    struct pg_findings findings;
    struct pg_level_version lv = {PG_LEVEL_RESTRICTED, {true, 0}};
    pb_init(&b);
    pb_container(&b, "c");
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, lv);
    PG_EXPECT(aggregate_is(&findings, &b.pod, EMPTY_POD_REASONS, EMPTY_POD_DETAILS));
    PG_EXPECT_INT(findings.forbidden,
                  ((pg_check_set)1u << PG_CHECK_ALLOW_PRIVILEGE_ESCALATION) |
                      ((pg_check_set)1u << PG_CHECK_CAPABILITIES_RESTRICTED) |
                      ((pg_check_set)1u << PG_CHECK_RUN_AS_NON_ROOT) |
                      ((pg_check_set)1u << PG_CHECK_SECCOMP_PROFILE_RESTRICTED));
    pg_findings_release(&findings);
}

/* Each renderer sees the span of its check's findings; findings of other checks inside that span
   (a caller may hand findings in any order) must not change the text. */
static void test_render_ignores_findings_of_other_checks_between_its_own(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_finding swap;
    struct pg_buf before = PG_BUF_INIT;
    struct pg_level_version lv = {PG_LEVEL_RESTRICTED, {true, 0}};
    pb_init(&b);
    pb_container(&b, "a");
    pb_container(&b, "b");
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, lv);
    pg_render_details(&before, &findings, &b.pod);
    /* allowPrivilegeEscalation a, b, then capabilities a, b: interleave the two checks. */
    PG_EXPECT_INT(findings.items[1].check, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION);
    PG_EXPECT_INT(findings.items[2].check, PG_CHECK_CAPABILITIES_RESTRICTED);
    swap = findings.items[1];
    findings.items[1] = findings.items[2];
    findings.items[2] = swap;
    PG_EXPECT(aggregate_is(&findings, &b.pod, EMPTY_POD_REASONS, before.ptr));
    pg_buf_release(&before);
    pg_findings_release(&findings);
}

static void test_render_versions_above_max_evaluate_as_max(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_level_version lv = {PG_LEVEL_RESTRICTED, {false, 99}};
    pb_init(&b);
    pb_container(&b, "c");
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, lv);
    PG_EXPECT(aggregate_is(&findings, &b.pod, EMPTY_POD_REASONS, EMPTY_POD_DETAILS));
    pg_findings_release(&findings);
}

static void test_render_old_restricted_version_uses_old_checks(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_level_version lv = {PG_LEVEL_RESTRICTED, {false, 18}};
    pb_init(&b);
    pb_container(&b, "c");
    pb_annotation(&b, "seccomp.security.alpha.kubernetes.io/pod", "unconfined");
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, lv);
    PG_EXPECT(aggregate_is(
        &findings, &b.pod,
        "seccompProfile, allowPrivilegeEscalation != false, runAsNonRoot != true",
        "seccompProfile (forbidden annotation "
        "seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"), allowPrivilegeEscalation != "
        "false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
        "runAsNonRoot != true (pod or container \"c\" must set "
        "securityContext.runAsNonRoot=true)"));
    pg_findings_release(&findings);
}

static void test_render_privileged_level_allows_everything(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_level_version lv = {PG_LEVEL_PRIVILEGED, {true, 0}};
    pb_init(&b);
    PB_C_BOOL(&b, pb_container(&b, "c"), privileged, true);
    pb_set_bool(&b, &b.pod.host_pid, true);
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, lv);
    PG_EXPECT_INT(findings.len, 0);
    PG_EXPECT_INT(findings.forbidden, 0);
    PG_EXPECT(aggregate_is(&findings, &b.pod, "", ""));
    pg_findings_release(&findings);
}

static void test_render_baseline_keeps_check_order(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_level_version lv = {PG_LEVEL_BASELINE, {true, 0}};
    pb_init(&b);
    PB_C_BOOL(&b, pb_container(&b, "c"), privileged, true);
    pb_set_bool(&b, &b.pod.host_pid, true);
    pb_pod_sc(&b);
    pb_sysctl(&b, "kernel.msgmax");
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, lv);
    PG_EXPECT(aggregate_is(&findings, &b.pod, "host namespaces, privileged, forbidden sysctls",
                           "host namespaces (hostPID=true), privileged (container \"c\" must not "
                           "set securityContext.privileged=true), forbidden sysctls "
                           "(kernel.msgmax)"));
    pg_findings_release(&findings);
}

static void test_render_compliant_pod_has_no_findings(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_container *c = NULL;
    struct pg_level_version lv = {PG_LEVEL_RESTRICTED, {true, 0}};
    pb_init(&b);
    PB_POD_BOOL(&b, sc.run_as_non_root, true);
    pb_profile(&b, &b.pod.sc.seccomp_profile, "RuntimeDefault");
    c = pb_container(&b, "c");
    PB_C_BOOL(&b, c, allow_privilege_escalation, false);
    pb_cap_drop(&b, c, "ALL");
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, lv);
    PG_EXPECT_INT(findings.len, 0);
    PG_EXPECT(!pg_render_check(NULL, NULL, &findings, PG_CHECK_RUN_AS_NON_ROOT, &b.pod));
    pg_findings_release(&findings);
}

static void test_render_reuses_findings_across_evaluations(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_level_version restricted = {PG_LEVEL_RESTRICTED, {true, 0}};
    struct pg_level_version baseline = {PG_LEVEL_BASELINE, {true, 0}};
    pb_init(&b);
    pb_container(&b, "c");
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, restricted);
    PG_EXPECT_INT(findings.len, 4);
    pg_evaluate(&findings, &b.pod, baseline);
    PG_EXPECT_INT(findings.len, 0);
    PG_EXPECT_INT(findings.forbidden, 0);
    pg_findings_release(&findings);
    pg_findings_release(&findings);
}

static bool not_capabilities(const struct pg_finding *finding)
{
    return finding->check != PG_CHECK_CAPABILITIES_RESTRICTED;
}

static void test_render_skips_checks_whose_findings_were_all_removed(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_level_version lv = {PG_LEVEL_RESTRICTED, {true, 0}};
    pb_init(&b);
    pb_container(&b, "c");
    pg_findings_init(&findings);
    pg_evaluate(&findings, &b.pod, lv);
    pb_filter(&findings, not_capabilities);
    PG_EXPECT(!pg_render_check(NULL, NULL, &findings, PG_CHECK_CAPABILITIES_RESTRICTED, &b.pod));
    PG_EXPECT(aggregate_is(
        &findings, &b.pod,
        "allowPrivilegeEscalation != false, runAsNonRoot != true, seccompProfile",
        "allowPrivilegeEscalation != false (container \"c\" must set "
        "securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or container "
        "\"c\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "
        "\"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
        "\"Localhost\")"));
    pg_findings_release(&findings);
}

static void test_render_check_appends_reason_and_detail_separately(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_buf reason = PG_BUF_INIT;
    struct pg_buf detail = PG_BUF_INIT;
    pb_init(&b);
    pb_container(&b, "c");
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b.pod, (pg_check_set)1u << PG_CHECK_RUN_AS_NON_ROOT, 37);
    pg_buf_puts(&reason, "> ");
    PG_EXPECT(pg_render_check(&reason, NULL, &findings, PG_CHECK_RUN_AS_NON_ROOT, &b.pod));
    PG_EXPECT(pg_render_check(NULL, &detail, &findings, PG_CHECK_RUN_AS_NON_ROOT, &b.pod));
    PG_EXPECT_STR(reason.ptr, "> runAsNonRoot != true");
    PG_EXPECT_STR(detail.ptr, "pod or container \"c\" must set securityContext.runAsNonRoot=true");
    pg_buf_release(&reason);
    pg_buf_release(&detail);
    pg_findings_release(&findings);
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
