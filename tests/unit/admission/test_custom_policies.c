/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Admission with custom policies: a bound namespace is enforced at its
 * policy minus the exemptions, denials read as upstream's text for the pod
 * without the exempted parts, the `podgate-exemptions` annotation names what
 * was exempted, expired exemptions warn instead of applying, and unbound
 * namespaces get upstream's bytes.
 */
#include "harness.h"
#include "review_builder.h"

#define POLICIES                                                                                   \
    "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: mesh-restricted}\n"          \
    "spec:\n  level: restricted\n  namespaces: [\"mesh-*\"]\n  exemptions:\n"                      \
    "  - checks: [capabilities_restricted]\n"                                                      \
    "    containers: [istio-init]\n    values: [NET_ADMIN, NET_RAW]\n    reason: iptables\n"       \
    "---\n"                                                                                        \
    "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: old-mesh}\n"                 \
    "spec:\n  level: restricted\n  exemptions:\n"                                                  \
    "  - checks: [capabilities_restricted]\n"                                                      \
    "    containers: [istio-init]\n    values: [NET_ADMIN]\n    reason: migration\n"               \
    "    expires: 2026-01-14\n"

#define SC_RESTRICTED                                                                              \
    "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":[\"ALL\"]"

/* Restricted apart from istio-init adding NET_ADMIN; `extra` adds pod spec fields. */
#define POD_MESH(extra)                                                                            \
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{" extra       \
    "\"securityContext\":{\"runAsNonRoot\":true,\"seccompProfile\":{\"type\":"                     \
    "\"RuntimeDefault\"}},\"initContainers\":[{\"name\":\"istio-init\",\"image\":"                 \
    "\"proxy\"," SC_RESTRICTED ",\"add\":[\"NET_ADMIN\"]}}}],\"containers\":[{\"name\":\"app\","   \
    "\"image\":\"app\"," SC_RESTRICTED "}}}]}}"

static const struct fake_namespace NAMESPACES[] = {
    {"mesh-a", {NULL}},
    {"mesh-legacy", {"podgate.dev/policy", "old-mesh", NULL}},
    {"restricted", {"pod-security.kubernetes.io/enforce", "restricted", NULL}},
    {"dangling", {"podgate.dev/policy", "nope", NULL}},
};

struct provider {
    struct pg_policy_set *set;
    size_t acquired;
    size_t released;
};

static const struct pg_policy_set *provider_acquire(struct pg_date *today_out, void *ctx)
{
    struct provider *provider = ctx;
    today_out->ymd = 20260115;
    provider->acquired++;
    return provider->set;
}

static void provider_release(const struct pg_policy_set *set, void *ctx)
{
    struct provider *provider = ctx;
    PG_EXPECT(set == provider->set);
    provider->released++;
}

struct fixture {
    struct fake_cluster cluster;
    struct provider provider;
    struct pg_admission_config *config;
    struct pg_admission_handler handler;
    struct pg_admission_result result;
    struct pg_buf body;
};

static void fixture_init(struct fixture *f, bool with_policies)
{
    struct pg_error err;
    memset(f, 0, sizeof(*f));
    f->cluster.namespaces = NAMESPACES;
    f->cluster.namespaces_len = sizeof(NAMESPACES) / sizeof(NAMESPACES[0]);
    f->config = pg_admission_config_new_default();
    fake_handler(&f->handler, f->config, &f->cluster);
    if (with_policies) {
        PG_EXPECT_INT(pg_policy_set_load(&f->provider.set, POLICIES, sizeof(POLICIES) - 1,
                                         "policies.yaml", &err),
                      0);
        f->handler.acquire_policies = provider_acquire;
        f->handler.release_policies = provider_release;
        f->handler.policies_ctx = &f->provider;
    }
    pg_admission_result_init(&f->result);
    pg_buf_init(&f->body, 0);
}

static void fixture_run(struct fixture *f, const char *namespace_, const char *object)
{
    struct review_spec spec = {.uid = "u", .namespace_ = namespace_, .name = "p", .object = object};
    pg_buf_clear(&f->body);
    build_review(&f->body, &spec);
    run_review(&f->result, &f->handler, f->body.ptr);
}

static void fixture_release(struct fixture *f)
{
    PG_EXPECT_INT(f->provider.acquired, f->provider.released);
    pg_admission_result_release(&f->result);
    pg_buf_release(&f->body);
    pg_admission_config_free(f->config);
    pg_policy_set_free(f->provider.set);
}

static void test_exempted_sidecar_capability_is_allowed_and_annotated(void)
{
    struct fixture f;
    fixture_init(&f, true);
    fixture_run(&f, "mesh-a", POD_MESH(""));
    PG_EXPECT_STR(f.result.body.ptr,
                  "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                  "\"response\":{\"uid\":\"u\",\"allowed\":true,\"auditAnnotations\":{"
                  "\"enforce-policy\":\"restricted:latest\",\"podgate-exemptions\":"
                  "\"mesh-restricted/0: capabilities_restricted container \\\"istio-init\\\" "
                  "NET_ADMIN\"}}}\n");
    PG_EXPECT_INT(f.provider.acquired, 1);
    fixture_release(&f);
}

static void test_pod_level_violation_in_exempted_pod_is_denied_with_upstream_text(void)
{
    struct fixture f;
    fixture_init(&f, true);
    fixture_run(&f, "mesh-a", POD_MESH("\"hostNetwork\":true,"));
    PG_EXPECT(!f.result.allowed);
    PG_EXPECT_STR(f.result.message, "pods \"p\" is forbidden: violates PodSecurity "
                                    "\"restricted:latest\": host namespaces (hostNetwork=true)");
    PG_EXPECT(strstr(f.result.body.ptr, "\"podgate-exemptions\":\"mesh-restricted/0: ") != NULL);
    fixture_release(&f);
}

static void test_expired_exemption_warns_and_is_not_applied(void)
{
    struct fixture f;
    fixture_init(&f, true);
    /* The label binds old-mesh although mesh-restricted's glob matches too. */
    fixture_run(&f, "mesh-legacy", POD_MESH(""));
    PG_EXPECT(!f.result.allowed);
    PG_EXPECT(strstr(f.result.body.ptr,
                     "\"message\":\"pods \\\"p\\\" is forbidden: violates PodSecurity "
                     "\\\"restricted:latest\\\": unrestricted capabilities (container "
                     "\\\"istio-init\\\" must not include \\\"NET_ADMIN\\\" in "
                     "securityContext.capabilities.add)\",") != NULL);
    PG_EXPECT(strstr(f.result.body.ptr,
                     "\"warnings\":[\"podgate: exemption old-mesh/0 expired on 2026-01-14 and "
                     "no longer applies (reason: migration)\"]") != NULL);
    PG_EXPECT(strstr(f.result.body.ptr, "podgate-exemptions") == NULL);
    fixture_release(&f);
}

static void test_unbound_namespace_is_byte_identical_to_upstream(void)
{
    struct fixture bound;
    struct fixture plain;
    fixture_init(&bound, true);
    fixture_init(&plain, false);
    fixture_run(&bound, "restricted", POD_MESH(""));
    fixture_run(&plain, "restricted", POD_MESH(""));
    PG_EXPECT(!bound.result.allowed);
    PG_EXPECT_STR(bound.result.body.ptr, plain.result.body.ptr);
    fixture_release(&bound);
    fixture_release(&plain);
}

static void test_label_naming_no_policy_fails_closed(void)
{
    struct fixture f;
    fixture_init(&f, true);
    fixture_run(&f, "dangling", POD_MESH(""));
    PG_EXPECT(!f.result.allowed);
    PG_EXPECT(strstr(f.result.body.ptr, "\"enforce-policy\":\"restricted:latest\",\"error\":"
                                        "\"namespace dangling: label podgate.dev/policy=nope "
                                        "names no policy in the policy file\"") != NULL);
    fixture_release(&f);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_exempted_sidecar_capability_is_allowed_and_annotated)                       \
    PG_TEST_ENTRY(test_pod_level_violation_in_exempted_pod_is_denied_with_upstream_text)           \
    PG_TEST_ENTRY(test_expired_exemption_warns_and_is_not_applied)                                 \
    PG_TEST_ENTRY(test_unbound_namespace_is_byte_identical_to_upstream)                            \
    PG_TEST_ENTRY(test_label_naming_no_policy_fails_closed)

PG_TEST_MAIN(TESTS)
