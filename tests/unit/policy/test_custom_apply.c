/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Applying custom policies: exemptions remove findings (never checks
 * wholesale), container scope never reaches pod-level findings, and the text
 * rendered from what remains is upstream's text for a pod without the
 * exempted parts.
 */
#include "harness.h"

#include "checks/pod_builder.h"
#include "podgate/custom_policy.h"

#define HEAD                                                                                       \
    "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\nspec:\n"                 \
    "  level: restricted\n  exemptions:\n"
#define ISTIO_IMAGE "docker.io/istio/proxyv2:1.20.0"

static const struct pg_date TODAY = {20260115};

/* One test's policy, pod and results: apply_begin sets it up, apply_end releases it all. */
struct apply_case {
    struct pg_policy_set *set;
    const struct pg_policy *policy;
    struct pg_date today;
    struct pg_findings findings;
    struct pg_exempted_list exempted;
    struct pb b;
};

/* Load the first policy of `policy_text`, judged on TODAY, for an empty pod; false if it fails. */
static bool apply_begin(struct apply_case *t, const char *policy_text)
{
    struct pg_error err;
    t->set = NULL;
    t->policy = NULL;
    t->today = TODAY;
    pg_findings_init(&t->findings);
    pg_exempted_list_init(&t->exempted);
    pb_init(&t->b);
    if (pg_policy_set_load(&t->set, policy_text, strlen(policy_text), "t.yaml", &err) != 0) {
        printf("#   load failed: %s\n", err.message);
        return false;
    }
    t->policy = pg_policy_set_get(t->set, 0);
    return t->policy != NULL;
}

/* pg_policy_evaluate of the case; `exempted_out` is &t->exempted, or NULL (which it allows). */
static int apply_evaluate(struct apply_case *t, struct pg_exempted_list *exempted_out)
{
    return pg_policy_evaluate(&t->findings, exempted_out, t->policy, &t->b.pod, t->today);
}

static void apply_end(struct apply_case *t)
{
    pg_exempted_list_release(&t->exempted);
    pg_findings_release(&t->findings);
    pg_policy_set_free(t->set);
}

/* Upstream's details string of what is left, compared with `want` (printed when different). */
static bool details_are(const struct pg_findings *findings, const struct pg_pod *pod,
                        const char *want)
{
    struct pg_buf got = PG_BUF_INIT;
    bool ok = false;
    pg_render_details(&got, findings, pod);
    ok = strcmp(pg_buf_str(&got).ptr, want) == 0;
    if (!ok) {
        printf("#   got:  %s\n#   want: %s\n", pg_buf_str(&got).ptr, want);
    }
    pg_buf_release(&got);
    return ok;
}

/* A container that passes restricted on its own (with a pod seccomp profile). */
static struct pg_container *compliant(struct pb *b, const char *name, const char *image)
{
    struct pg_container *c = pb_container(b, name);
    c->image = pb_str(image);
    PB_C_BOOL(b, c, allow_privilege_escalation, false);
    PB_C_BOOL(b, c, sc.run_as_non_root, true);
    pb_cap_drop(b, c, "ALL");
    return c;
}

/* The pod-level seccomp profile a mesh pod carries, so only the containers decide. */
static void mesh_pod(struct pb *b)
{
    pb_profile(b, &pb_pod_with_sc(b)->sc.seccomp_profile, "RuntimeDefault");
}

static void test_apply_sidecar_exemption_never_opens_the_pod(void)
{
    static const char POLICY[] =
        HEAD "  - checks: [hostNamespaces, runAsNonRoot, capabilities_restricted]\n"
             "    containers: [istio-init]\n    reason: sidecar\n";
    struct apply_case t;
    struct pb *b = &t.b;
    struct pg_container *init = NULL;
    PG_EXPECT(apply_begin(&t, POLICY));
    mesh_pod(b);
    pb_set_bool(b, &b->pod.host_network, true);
    PB_POD_BOOL(b, sc.run_as_non_root, false);
    init = compliant(b, "istio-init", ISTIO_IMAGE);
    init->sc.run_as_non_root.node = NULL;
    pb_cap_add(b, init, "NET_ADMIN");
    compliant(b, "app", "app:1");
    PG_EXPECT_INT(apply_evaluate(&t, &t.exempted), 0);
    /* Only istio-init's own findings go; hostNetwork and the pod's runAsNonRoot=false stay. */
    PG_EXPECT_INT(t.exempted.len, 2);
    PG_EXPECT_INT(t.exempted.items[0].finding.check, PG_CHECK_CAPABILITIES_RESTRICTED);
    PG_EXPECT_INT(t.exempted.items[1].finding.check, PG_CHECK_RUN_AS_NON_ROOT);
    PG_EXPECT_INT(t.exempted.items[1].finding.kind, PG_FIND_CONTAINER_UNSET);
    PG_EXPECT_INT(t.exempted.items[1].finding.container, 0);
    PG_EXPECT_INT(t.findings.forbidden, ((pg_check_set)1u << PG_CHECK_HOST_NAMESPACES) |
                                            ((pg_check_set)1u << PG_CHECK_RUN_AS_NON_ROOT));
    PG_EXPECT(details_are(&t.findings, &b->pod,
                          "host namespaces (hostNetwork=true), runAsNonRoot != true (pod must not "
                          "set securityContext.runAsNonRoot=false)"));
    apply_end(&t);
}

/*
 * Rule 2 as a table: each pod-level violation below is listed by an exemption
 * scoped to containers or images (even `*`), which must leave it; only an
 * exemption without that scope removes it.
 */
struct pod_level_case {
    enum pg_check_id check;
    const char *level;
    void (*build)(struct pb *b);
    const char *details; /* upstream's text of the violation on an otherwise passing pod */
};

static void add_sysctl(struct pb *b)
{
    pb_sysctl(b, "kernel.msgmax");
}

static void add_host_path(struct pb *b)
{
    pb_volume(b, "root", PG_VOL_HOST_PATH);
}

static void add_pod_seccomp_unconfined(struct pb *b)
{
    pb_profile(b, &pb_pod_with_sc(b)->sc.seccomp_profile, "Unconfined");
}

static void add_pod_run_as_user_0(struct pb *b)
{
    PB_POD_INT(b, sc.run_as_user, 0);
}

static void add_pod_run_as_non_root_false(struct pb *b)
{
    PB_POD_BOOL(b, sc.run_as_non_root, false);
}

static void add_pod_app_armor_unconfined(struct pb *b)
{
    pb_profile(b, &pb_pod_with_sc(b)->sc.app_armor_profile, "Unconfined");
}

static void add_host_network(struct pb *b)
{
    pb_set_bool(b, &b->pod.host_network, true);
}

static void add_host_pid(struct pb *b)
{
    pb_set_bool(b, &b->pod.host_pid, true);
}

static const struct pod_level_case POD_LEVEL_CASES[] = {
    {PG_CHECK_SYSCTLS, "restricted", add_sysctl, "forbidden sysctls (kernel.msgmax)"},
    {PG_CHECK_RESTRICTED_VOLUMES, "restricted", add_host_path,
     "restricted volume types (volume \"root\" uses restricted volume type \"hostPath\")"},
    {PG_CHECK_HOST_PATH_VOLUMES, "baseline", add_host_path, "hostPath volumes (volume \"root\")"},
    {PG_CHECK_SECCOMP_PROFILE_RESTRICTED, "restricted", add_pod_seccomp_unconfined,
     "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")"},
    {PG_CHECK_RUN_AS_USER, "restricted", add_pod_run_as_user_0,
     "runAsUser=0 (pod must not set runAsUser=0)"},
    {PG_CHECK_RUN_AS_NON_ROOT, "restricted", add_pod_run_as_non_root_false,
     "runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)"},
    {PG_CHECK_APP_ARMOR_PROFILE, "restricted", add_pod_app_armor_unconfined,
     "forbidden AppArmor profile (pod must not set AppArmor profile type to \"Unconfined\")"},
    {PG_CHECK_HOST_NAMESPACES, "restricted", add_host_network,
     "host namespaces (hostNetwork=true)"},
    {PG_CHECK_HOST_NAMESPACES, "baseline", add_host_pid, "host namespaces (hostPID=true)"},
};

/* Scopes that reach containers only; the last two name every container there is. */
static const char *const CONTAINER_SCOPES[] = {
    "    containers: [istio-init]\n",
    "    images: [\"docker.io/istio/proxyv2:*\"]\n",
    "    containers: [istio-init]\n    images: [\"docker.io/istio/*\"]\n",
    "    containers: [\"*\"]\n",
    "    images: [\"*\"]\n",
};

static size_t pod_level_count(const struct pg_exempted_list *exempted)
{
    size_t count = 0;
    for (size_t i = 0; i < exempted->len; i++) {
        count += exempted->items[i].finding.container == PG_FINDING_POD;
    }
    return count;
}

/*
 * The case's pod (two passing containers plus its violation) judged by a
 * policy at its level whose one exemption lists its check with `scope`; true
 * when the rendered details are `want` and `pod_exempted` pod-level findings
 * were removed. Container findings may go too (seccomp's "unset" findings of
 * containers under an Unconfined pod profile), without changing the text.
 */
static bool pod_level_judged(const struct pod_level_case *c, const char *scope, const char *want,
                             size_t pod_exempted)
{
    char policy[512];
    struct apply_case t;
    bool ok = false;
    int len = snprintf(policy, sizeof(policy),
                       "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\n"
                       "spec:\n  level: %s\n  exemptions:\n  - checks: [%s]\n%s    reason: r\n",
                       c->level, pg_check_name(c->check), scope);
    if (len < 0 || (size_t)len >= sizeof(policy) || !apply_begin(&t, policy)) {
        apply_end(&t);
        return false;
    }
    mesh_pod(&t.b);
    compliant(&t.b, "istio-init", ISTIO_IMAGE);
    compliant(&t.b, "app", "registry.example/app:1");
    c->build(&t.b);
    ok = apply_evaluate(&t, &t.exempted) == 0 && details_are(&t.findings, &t.b.pod, want);
    if (ok && pod_level_count(&t.exempted) != pod_exempted) {
        printf("#   exempted %zu pod-level findings, want %zu\n", pod_level_count(&t.exempted),
               pod_exempted);
        ok = false;
    }
    if (!ok) {
        printf("#   check %s, scope:\n%s", pg_check_name(c->check), scope);
    }
    apply_end(&t);
    return ok;
}

static void test_apply_container_scope_keeps_every_pod_level_finding(void)
{
    for (size_t i = 0; i < sizeof(POD_LEVEL_CASES) / sizeof(POD_LEVEL_CASES[0]); i++) {
        const struct pod_level_case *c = &POD_LEVEL_CASES[i];
        for (size_t s = 0; s < sizeof(CONTAINER_SCOPES) / sizeof(CONTAINER_SCOPES[0]); s++) {
            PG_EXPECT(pod_level_judged(c, CONTAINER_SCOPES[s], c->details, 0));
        }
        /* Only without a container scope does the same exemption remove it. */
        PG_EXPECT(pod_level_judged(c, "", "", 1));
    }
}

static void test_apply_unscoped_exemption_can_remove_pod_level_findings(void)
{
    static const char POLICY[] = HEAD "  - checks: [hostNamespaces]\n    reason: node agent\n";
    struct apply_case t;
    struct pb *b = &t.b;
    PG_EXPECT(apply_begin(&t, POLICY));
    mesh_pod(b);
    pb_set_bool(b, &b->pod.host_pid, true);
    compliant(b, "app", "app:1");
    PG_EXPECT_INT(apply_evaluate(&t, NULL), 0);
    PG_EXPECT_INT(t.findings.len, 0);
    PG_EXPECT_INT(t.findings.forbidden, 0);
    PG_EXPECT(details_are(&t.findings, &b->pod, ""));
    apply_end(&t);
}

static void build_two_adders(struct pb *b, bool init_adds)
{
    struct pg_container *c = NULL;
    mesh_pod(b);
    c = compliant(b, "istio-init", ISTIO_IMAGE);
    if (init_adds) {
        pb_cap_add(b, c, "NET_ADMIN");
        pb_cap_add(b, c, "NET_RAW");
    }
    c = compliant(b, "app", "registry.example/app:1");
    pb_cap_add(b, c, "NET_ADMIN");
}

static void test_apply_image_exemption_leaves_other_container_violating(void)
{
    static const char POLICY[] = HEAD "  - checks: [capabilities_restricted]\n"
                                      "    images: [\"docker.io/istio/proxyv2:*\"]\n"
                                      "    values: [NET_ADMIN, NET_RAW]\n    reason: iptables\n";
    struct apply_case t;
    struct pg_findings upstream;
    struct pb without;
    PG_EXPECT(apply_begin(&t, POLICY));
    build_two_adders(&t.b, true);
    pb_init(&without);
    build_two_adders(&without, false);
    pg_findings_init(&upstream);
    PG_EXPECT_INT(apply_evaluate(&t, NULL), 0);
    PG_EXPECT(t.findings.forbidden != 0);
    PG_EXPECT(pb_rendered_as(&t.findings, &t.b.pod, PG_CHECK_CAPABILITIES_RESTRICTED,
                             "unrestricted capabilities",
                             "container \"app\" must not include \"NET_ADMIN\" in "
                             "securityContext.capabilities.add"));
    /* Exactly what upstream says when istio-init adds nothing. */
    pg_evaluate(&upstream, &without.pod, t.policy->level);
    PG_EXPECT(details_are(&t.findings, &t.b.pod,
                          "unrestricted capabilities (container \"app\" must not include "
                          "\"NET_ADMIN\" in securityContext.capabilities.add)"));
    PG_EXPECT(details_are(&upstream, &without.pod,
                          "unrestricted capabilities (container \"app\" must not include "
                          "\"NET_ADMIN\" in securityContext.capabilities.add)"));
    pg_findings_release(&upstream);
    apply_end(&t);
}

static void test_apply_value_exemption_lists_only_the_remaining_value(void)
{
    static const char POLICY[] = HEAD "  - checks: [capabilities_restricted]\n"
                                      "    containers: [istio-init]\n"
                                      "    values: [NET_ADMIN, NET_RAW]\n    reason: iptables\n";
    struct apply_case t;
    struct pb *b = &t.b;
    struct pg_container *c = NULL;
    PG_EXPECT(apply_begin(&t, POLICY));
    mesh_pod(b);
    c = compliant(b, "istio-init", ISTIO_IMAGE);
    pb_cap_add(b, c, "NET_ADMIN");
    pb_cap_add(b, c, "SYS_ADMIN");
    pb_cap_add(b, c, "NET_RAW");
    PG_EXPECT_INT(apply_evaluate(&t, &t.exempted), 0);
    PG_EXPECT(pb_rendered_as(&t.findings, &b->pod, PG_CHECK_CAPABILITIES_RESTRICTED,
                             "unrestricted capabilities",
                             "container \"istio-init\" must not include \"SYS_ADMIN\" in "
                             "securityContext.capabilities.add"));
    PG_EXPECT_INT(t.exempted.len, 2);
    PG_EXPECT_PGSTR(t.exempted.items[0].finding.value, "NET_ADMIN");
    PG_EXPECT_PGSTR(t.exempted.items[1].finding.value, "NET_RAW");
    PG_EXPECT(t.exempted.items[1].policy == t.policy);
    PG_EXPECT(t.exempted.items[1].exemption == &t.policy->exemptions[0]);
    apply_end(&t);
}

static void test_apply_value_exemption_keeps_findings_without_a_value(void)
{
    static const char POLICY[] = HEAD "  - checks: [capabilities_restricted]\n"
                                      "    values: [NET_ADMIN]\n    reason: iptables\n";
    struct apply_case t;
    struct pb *b = &t.b;
    struct pg_container *c = NULL;
    PG_EXPECT(apply_begin(&t, POLICY));
    mesh_pod(b);
    c = pb_container(b, "istio-init");
    PB_C_BOOL(b, c, allow_privilege_escalation, false);
    PB_C_BOOL(b, c, sc.run_as_non_root, true);
    pb_cap_add(b, c, "NET_ADMIN");
    PG_EXPECT_INT(apply_evaluate(&t, NULL), 0);
    PG_EXPECT(pb_rendered_as(&t.findings, &b->pod, PG_CHECK_CAPABILITIES_RESTRICTED,
                             "unrestricted capabilities",
                             "container \"istio-init\" must set "
                             "securityContext.capabilities.drop=[\"ALL\"]"));
    apply_end(&t);
}

static void test_apply_containers_and_images_must_both_match(void)
{
    static const char POLICY[] = HEAD "  - checks: [capabilities_restricted]\n"
                                      "    containers: [istio-init]\n"
                                      "    images: [\"docker.io/istio/*\"]\n    reason: iptables\n";
    struct apply_case t;
    struct pb *b = &t.b;
    PG_EXPECT(apply_begin(&t, POLICY));
    mesh_pod(b);
    /* Named like the sidecar, but another image: not exempted. */
    pb_cap_add(b, compliant(b, "istio-init", "evil.example/proxy:1"), "NET_ADMIN");
    pb_cap_add(b, compliant(b, "proxy", ISTIO_IMAGE), "NET_RAW");
    pb_cap_add(b, compliant(b, "istio-init", ISTIO_IMAGE), "NET_ADMIN");
    PG_EXPECT_INT(apply_evaluate(&t, NULL), 0);
    PG_EXPECT(pb_rendered_as(&t.findings, &b->pod, PG_CHECK_CAPABILITIES_RESTRICTED,
                             "unrestricted capabilities",
                             "containers \"istio-init\", \"proxy\" must not include "
                             "\"NET_ADMIN\", \"NET_RAW\" in securityContext.capabilities.add"));
    PG_EXPECT_INT(t.findings.len, 2);
    PG_EXPECT_INT(t.findings.items[0].container, 0);
    PG_EXPECT_INT(t.findings.items[1].container, 1);
    apply_end(&t);
}

static size_t exempted_on(const char *today_text)
{
    static const char POLICY[] = HEAD "  - checks: [runAsNonRoot]\n    reason: r\n"
                                      "    expires: 2026-01-14\n";
    struct apply_case t;
    size_t count = 0;
    if (apply_begin(&t, POLICY) && pg_date_parse(&t.today, today_text, strlen(today_text)) == 0) {
        mesh_pod(&t.b);
        pb_container(&t.b, "c");
        if (apply_evaluate(&t, &t.exempted) == 0) {
            count = t.exempted.len;
        }
    }
    apply_end(&t);
    return count;
}

static void test_apply_expired_exemption_no_longer_applies(void)
{
    /* `expires` is the last day it applies. */
    PG_EXPECT_INT(exempted_on("2026-01-13"), 1);
    PG_EXPECT_INT(exempted_on("2026-01-14"), 1);
    PG_EXPECT_INT(exempted_on("2026-01-15"), 0);
    PG_EXPECT_INT(exempted_on("2027-01-01"), 0);
}

static void test_apply_volume_exemption_removes_only_named_volumes(void)
{
    static const char POLICY[] = HEAD "  - checks: [restrictedVolumes]\n    volumes: [\"pro?\"]\n"
                                      "    values: [hostPath]\n    reason: node agent\n";
    struct apply_case t;
    struct pb *b = &t.b;
    PG_EXPECT(apply_begin(&t, POLICY));
    mesh_pod(b);
    compliant(b, "agent", "agent:1");
    pb_volume(b, "proc", PG_VOL_HOST_PATH);
    pb_volume(b, "prom", PG_VOL_NFS);
    pb_volume(b, "root", PG_VOL_HOST_PATH);
    pb_volume(b, "data", PG_VOL_EMPTY_DIR);
    PG_EXPECT_INT(apply_evaluate(&t, NULL), 0);
    PG_EXPECT(pb_rendered_as(&t.findings, &b->pod, PG_CHECK_RESTRICTED_VOLUMES,
                             "restricted volume types",
                             "volumes \"prom\", \"root\" use restricted volume types \"hostPath\", "
                             "\"nfs\""));
    apply_end(&t);
}

static void test_apply_host_port_values_are_decimal(void)
{
    static const char POLICY[] =
        "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\n"
        "spec:\n  level: baseline\n  exemptions:\n"
        "  - checks: [hostPorts]\n    containers: [exporter]\n    values: [9100]\n"
        "    reason: metrics\n";
    struct apply_case t;
    struct pb *b = &t.b;
    struct pg_container *c = NULL;
    PG_EXPECT(apply_begin(&t, POLICY));
    c = pb_container(b, "exporter");
    pb_host_port(b, c, 9100);
    pb_host_port(b, c, 8080);
    pb_host_port(b, pb_container(b, "other"), 9100);
    PG_EXPECT_INT(apply_evaluate(&t, NULL), 0);
    PG_EXPECT(pb_rendered_as(&t.findings, &b->pod, PG_CHECK_HOST_PORTS, "hostPort",
                             "containers \"exporter\", \"other\" use hostPorts 8080, 9100"));
    apply_end(&t);
}

static void test_apply_container_scope_never_removes_annotations(void)
{
    static const char POLICY[] =
        "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\n"
        "spec:\n  level: baseline\n  version: v1.18\n  exemptions:\n"
        "  - checks: [seccompProfile_baseline]\n    containers: [istio-init]\n    reason: r\n";
    struct apply_case t;
    struct pb *b = &t.b;
    PG_EXPECT(apply_begin(&t, POLICY));
    pb_container(b, "istio-init");
    pb_annotation(b, "container.seccomp.security.alpha.kubernetes.io/istio-init", "unconfined");
    PG_EXPECT_INT(apply_evaluate(&t, NULL), 0);
    PG_EXPECT(pb_rendered_as(&t.findings, &b->pod, PG_CHECK_SECCOMP_PROFILE_BASELINE,
                             "seccompProfile",
                             "forbidden annotation "
                             "container.seccomp.security.alpha.kubernetes.io/istio-init="
                             "\"unconfined\""));
    apply_end(&t);
}

static void test_apply_credits_the_first_matching_exemption(void)
{
    static const char POLICY[] = HEAD "  - checks: [runAsNonRoot]\n    containers: [a]\n"
                                      "    reason: first\n"
                                      "  - checks: [runAsNonRoot, seccompProfile_restricted]\n"
                                      "    reason: second\n";
    struct apply_case t;
    PG_EXPECT(apply_begin(&t, POLICY));
    compliant(&t.b, "a", "a:1")->sc.run_as_non_root.node = NULL;
    PG_EXPECT_INT(apply_evaluate(&t, &t.exempted), 0);
    PG_EXPECT_INT(t.exempted.len, 2);
    PG_EXPECT_INT(t.exempted.items[0].finding.check, PG_CHECK_RUN_AS_NON_ROOT);
    PG_EXPECT_INT(t.exempted.items[0].exemption->index, 0);
    PG_EXPECT_INT(t.exempted.items[1].finding.check, PG_CHECK_SECCOMP_PROFILE_RESTRICTED);
    PG_EXPECT_INT(t.exempted.items[1].exemption->index, 1);
    PG_EXPECT_INT(t.findings.forbidden, 0);
    apply_end(&t);
}

static void test_apply_refuses_an_invalid_date_and_keeps_findings(void)
{
    static const char POLICY[] = HEAD "  - checks: [runAsNonRoot]\n    reason: r\n";
    struct apply_case t;
    size_t before = 0;
    pg_check_set forbidden = 0;
    PG_EXPECT(apply_begin(&t, POLICY));
    pb_container(&t.b, "c");
    pg_evaluate(&t.findings, &t.b.pod, t.policy->level);
    before = t.findings.len;
    forbidden = t.findings.forbidden;
    PG_EXPECT_INT(pg_policy_apply(NULL, &t.findings, t.policy, &t.b.pod, (struct pg_date){0}),
                  PG_EINVAL);
    PG_EXPECT_INT(t.findings.len, before);
    PG_EXPECT_INT(t.findings.forbidden, forbidden);
    PG_EXPECT_INT(pg_policy_apply(NULL, NULL, t.policy, &t.b.pod, TODAY), PG_EINVAL);
    apply_end(&t);
}

static void test_finding_value_is_absent_for_missing_fields(void)
{
    struct pg_finding finding;
    struct pg_str value = {"", 0};
    char buf[32];
    memset(&finding, 0, sizeof(finding));
    finding.check = PG_CHECK_RUN_AS_NON_ROOT;
    finding.kind = PG_FIND_CONTAINER_UNSET;
    finding.value = PG_STR_LIT("");
    PG_EXPECT(!pg_policy_finding_value(&value, buf, sizeof(buf), &finding));
    finding.kind = PG_FIND_CONTAINER_VALUE;
    finding.value = PG_STR_LIT("false");
    PG_EXPECT(pg_policy_finding_value(&value, buf, sizeof(buf), &finding));
    PG_EXPECT_PGSTR(value, "false");
    finding.check = PG_CHECK_HOST_PORTS;
    finding.number = 10250;
    PG_EXPECT(pg_policy_finding_value(&value, buf, sizeof(buf), &finding));
    PG_EXPECT_PGSTR(value, "10250");
    finding.kind = PG_FIND_ANNOTATION;
    finding.container = 0;
    PG_EXPECT(pg_policy_finding_pod_level(&finding));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_apply_sidecar_exemption_never_opens_the_pod)                                \
    PG_TEST_ENTRY(test_apply_container_scope_keeps_every_pod_level_finding)                        \
    PG_TEST_ENTRY(test_apply_unscoped_exemption_can_remove_pod_level_findings)                     \
    PG_TEST_ENTRY(test_apply_image_exemption_leaves_other_container_violating)                     \
    PG_TEST_ENTRY(test_apply_value_exemption_lists_only_the_remaining_value)                       \
    PG_TEST_ENTRY(test_apply_value_exemption_keeps_findings_without_a_value)                       \
    PG_TEST_ENTRY(test_apply_containers_and_images_must_both_match)                                \
    PG_TEST_ENTRY(test_apply_expired_exemption_no_longer_applies)                                  \
    PG_TEST_ENTRY(test_apply_volume_exemption_removes_only_named_volumes)                          \
    PG_TEST_ENTRY(test_apply_host_port_values_are_decimal)                                         \
    PG_TEST_ENTRY(test_apply_container_scope_never_removes_annotations)                            \
    PG_TEST_ENTRY(test_apply_credits_the_first_matching_exemption)                                 \
    PG_TEST_ENTRY(test_apply_refuses_an_invalid_date_and_keeps_findings)                           \
    PG_TEST_ENTRY(test_finding_value_is_absent_for_missing_fields)

PG_TEST_MAIN(TESTS)
