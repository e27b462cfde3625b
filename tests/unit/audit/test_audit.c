/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit end to end on small inputs: per-namespace counts (pods and workload templates
 * apart), pinned versus latest, the recommendation, invalid labels, drift, what-if groups in
 * upstream's words (spec §4.2, §5.2, §6.6) and diagnostics.
 */
#include "harness.h"

#include "audit_test_util.h"

#define REPLICA_SET(ns, name, spec)                                                                \
    "---\n{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: " name ", namespace: " ns       \
    ", ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d, "              \
    "controller: true}]}, spec: {template: {spec: " spec "}}}\n"

static void test_audit_counts_pods_and_workload_templates_apart(void)
{
    struct pg_audit *audit = audit_run(
        DEPLOYMENT("prod", "web", SPEC_BASELINE) REPLICA_SET("prod", "web-1", SPEC_BASELINE)
            OWNED_POD("prod", "web-1-a", "ReplicaSet", SPEC_BASELINE)
                OWNED_POD("prod", "web-1-b", "ReplicaSet", SPEC_BASELINE)
                    POD("prod", "debug", SPEC_PRIVILEGED),
        NULL, 0);
    const struct pg_audit_namespace *ns = audit_ns(audit, "prod");
    PG_EXPECT(ns != NULL);
    PG_EXPECT_INT(ns->pods, 3);
    PG_EXPECT_INT(ns->controlled_pods, 2);
    PG_EXPECT_INT(ns->workloads, 1);
    PG_EXPECT_INT(ns->controlled_templates, 1);
    PG_EXPECT_INT(ns->at_latest[PG_LEVEL_BASELINE].pods, 1);
    PG_EXPECT_INT(ns->at_latest[PG_LEVEL_BASELINE].workloads, 0);
    PG_EXPECT_INT(ns->at_latest[PG_LEVEL_RESTRICTED].pods, 3);
    PG_EXPECT_INT(ns->at_latest[PG_LEVEL_RESTRICTED].workloads, 1);
    PG_EXPECT_INT(ns->at_latest[PG_LEVEL_PRIVILEGED].pods, 0);
    PG_EXPECT(!ns->in_input);
    pg_audit_free(audit);
}

static void test_audit_recommends_the_strictest_level_that_breaks_nothing(void)
{
    struct pg_audit *audit = audit_run(POD("a", "p", SPEC_RESTRICTED) POD("b", "p", SPEC_BASELINE)
                                           POD("c", "p", SPEC_PRIVILEGED),
                                       NULL, 0);
    const struct pg_audit_namespace *a = audit_ns(audit, "a");
    const struct pg_audit_namespace *b = audit_ns(audit, "b");
    const struct pg_audit_namespace *c = audit_ns(audit, "c");
    PG_EXPECT(a != NULL && b != NULL && c != NULL);
    PG_EXPECT_INT(a->strictest_latest, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(a->recommended.modes[PG_MODE_ENFORCE].level, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(a->recommended.modes[PG_MODE_WARN].level, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(b->recommended.modes[PG_MODE_ENFORCE].level, PG_LEVEL_BASELINE);
    PG_EXPECT_INT(b->recommended.modes[PG_MODE_WARN].level, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(b->recommended.modes[PG_MODE_AUDIT].level, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(c->recommended.modes[PG_MODE_ENFORCE].level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT_INT(c->recommended.modes[PG_MODE_AUDIT].level, PG_LEVEL_BASELINE);
    for (size_t mode = 0; mode < 3; mode++) {
        PG_EXPECT(!c->recommended.modes[mode].version.latest);
        PG_EXPECT_INT(c->recommended.modes[mode].version.minor, PG_MAX_MINOR);
    }
    pg_audit_free(audit);
}

static void expect_pinned_v1_22(const struct pg_audit *audit)
{
    const struct pg_audit_namespace *ns = audit_ns(audit, "prod");
    PG_EXPECT(ns != NULL && ns->in_input);
    PG_EXPECT_INT(ns->pinned.minor, 22);
    PG_EXPECT_INT(ns->at_pinned[PG_LEVEL_RESTRICTED].pods, 0);
    PG_EXPECT_INT(ns->at_latest[PG_LEVEL_RESTRICTED].pods, 1);
    PG_EXPECT_INT(ns->strictest_pinned, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(ns->strictest_latest, PG_LEVEL_BASELINE);
    PG_EXPECT_INT(ns->drift_len, 2);
    PG_EXPECT_INT(ns->drift[0].level, PG_LEVEL_BASELINE);
    PG_EXPECT_INT(ns->drift[0].newly.pods, 0);
    PG_EXPECT_INT(ns->drift[1].level, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(ns->drift[1].newly.pods, 1);
    PG_EXPECT_INT(ns->drift[1].pods.len, 1);
    PG_EXPECT_STR(ns->drift[1].pods.items[0].line, "root: runAsUser=0");
}

static void test_audit_counts_at_the_pinned_version_and_at_latest(void)
{
    struct pg_audit *audit =
        audit_run(NAMESPACE("prod", "{pod-security.kubernetes.io/enforce: restricted, "
                                    "pod-security.kubernetes.io/enforce-version: v1.22}")
                      POD("prod", "root", SPEC_ROOT_UID),
                  NULL, 0);
    expect_pinned_v1_22(audit);
    pg_audit_free(audit);
}

static void test_audit_takes_the_namespace_after_its_pods(void)
{
    struct pg_audit *audit =
        audit_run(POD("prod", "root", SPEC_ROOT_UID)
                      NAMESPACE("prod", "{pod-security.kubernetes.io/enforce: restricted, "
                                        "pod-security.kubernetes.io/enforce-version: v1.22}"),
                  NULL, 0);
    expect_pinned_v1_22(audit);
    pg_audit_free(audit);
}

static void test_audit_reports_invalid_labels_in_upstreams_words(void)
{
    struct pg_audit *audit =
        audit_run(NAMESPACE("team", "{pod-security.kubernetes.io/enforce: Restricted}"), NULL, 0);
    const struct pg_audit_namespace *ns = audit_ns(audit, "team");
    PG_EXPECT(ns != NULL);
    PG_EXPECT_STR(ns->label_errors,
                  "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "
                  "\"Restricted\": must be one of privileged, baseline, restricted");
    PG_EXPECT_STR(ns->labels[0], "Restricted");
    PG_EXPECT(ns->labels[1] == NULL);
    PG_EXPECT_INT(ns->policy.modes[PG_MODE_ENFORCE].level, PG_LEVEL_RESTRICTED);
    pg_audit_free(audit);
}

static void test_audit_notices_a_recommendation_already_applied(void)
{
    struct pg_audit *audit =
        audit_run(NAMESPACE("done", "{pod-security.kubernetes.io/enforce: baseline, "
                                    "pod-security.kubernetes.io/enforce-version: v1.37, "
                                    "pod-security.kubernetes.io/warn: restricted, "
                                    "pod-security.kubernetes.io/warn-version: v1.37, "
                                    "pod-security.kubernetes.io/audit: restricted, "
                                    "pod-security.kubernetes.io/audit-version: v1.37}")
                      NAMESPACE("half", "{pod-security.kubernetes.io/enforce: baseline}")
                          POD("done", "p", SPEC_BASELINE) POD("half", "p", SPEC_BASELINE),
                  NULL, 0);
    PG_EXPECT(audit_ns(audit, "done")->recommendation_applied);
    PG_EXPECT(!audit_ns(audit, "half")->recommendation_applied);
    pg_audit_free(audit);
}

static void test_audit_says_when_the_recommendation_loosens_enforcement(void)
{
    struct pg_audit *audit =
        audit_run(NAMESPACE("prod", "{pod-security.kubernetes.io/enforce: baseline}")
                      NAMESPACE("dev", "{pod-security.kubernetes.io/enforce: baseline}")
                          POD("prod", "debug", SPEC_PRIVILEGED) POD("dev", "app", SPEC_BASELINE),
                  NULL, 0);
    PG_EXPECT(audit_ns(audit, "prod")->recommendation_looser);
    PG_EXPECT_INT(audit_ns(audit, "prod")->recommended.modes[PG_MODE_ENFORCE].level,
                  PG_LEVEL_PRIVILEGED);
    PG_EXPECT(!audit_ns(audit, "dev")->recommendation_looser);
    pg_audit_free(audit);
}

static void test_audit_what_if_lists_rejected_pods_and_warned_workloads(void)
{
    const struct pg_audit_what_if what_if[] = {
        {"prod", {PG_LEVEL_RESTRICTED, {false, 30}}},
        {"nowhere", {PG_LEVEL_BASELINE, {true, 0}}},
    };
    struct pg_audit *audit =
        audit_run(POD("prod", "b", SPEC_BASELINE) POD("prod", "a", SPEC_BASELINE)
                      POD("prod", "c", SPEC_PRIVILEGED) POD("prod", "ok", SPEC_RESTRICTED)
                          DEPLOYMENT("prod", "d", SPEC_BASELINE) POD("other", "x", SPEC_BASELINE),
                  what_if, 2);
    const struct pg_audit_what_if_result *w = pg_audit_what_if_at(audit, 0);
    PG_EXPECT(w != NULL && w->found);
    PG_EXPECT_INT(w->checked.pods, 4);
    PG_EXPECT_INT(w->violating.pods, 3);
    PG_EXPECT_INT(w->pods.len, 2);
    PG_EXPECT_STR(w->pods.items[0].line,
                  "a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted "
                  "capabilities, runAsNonRoot != true, seccompProfile");
    PG_EXPECT_STR(w->pods.items[1].line,
                  "c: host namespaces, privileged, allowPrivilegeEscalation != false, unrestricted "
                  "capabilities, runAsNonRoot != true, seccompProfile");
    PG_EXPECT_INT(w->violating.workloads, 1);
    PG_EXPECT_STR(w->workloads.items[0].line,
                  "Deployment/d: would violate PodSecurity \"restricted:v1.30\": "
                  "allowPrivilegeEscalation != false (container \"app\" must set "
                  "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities "
                  "(container \"app\" must set securityContext.capabilities.drop=[\"ALL\"]), "
                  "runAsNonRoot != true (pod or container \"app\" must set "
                  "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"app\" "
                  "must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
                  "\"Localhost\")");
    PG_EXPECT(!pg_audit_what_if_at(audit, 1)->found);
    pg_audit_free(audit);
}

static void test_audit_label_command_quotes_names_a_shell_would_split(void)
{
    struct pg_ns_policy policy;
    struct pg_buf out = PG_BUF_INIT;
    pg_ns_policy_default(&policy);
    policy.modes[PG_MODE_ENFORCE].level = PG_LEVEL_BASELINE;
    policy.modes[PG_MODE_ENFORCE].version = (struct pg_version){false, 37};
    pg_audit_label_command(&out, "prod", &policy);
    PG_EXPECT_STR(out.ptr, "kubectl label --overwrite ns prod "
                           "pod-security.kubernetes.io/enforce=baseline "
                           "pod-security.kubernetes.io/enforce-version=v1.37 "
                           "pod-security.kubernetes.io/warn=privileged "
                           "pod-security.kubernetes.io/warn-version=latest "
                           "pod-security.kubernetes.io/audit=privileged "
                           "pod-security.kubernetes.io/audit-version=latest");
    pg_buf_clear(&out);
    pg_audit_label_command(&out, "it's $(x)", &policy);
    PG_EXPECT(strncmp(out.ptr, "kubectl label --overwrite ns 'it'\\''s $(x)' pod", 46) == 0);
    pg_buf_release(&out);
}

static void test_audit_puts_objects_without_namespace_in_default(void)
{
    struct pg_audit *audit = audit_run(
        "---\n{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: " SPEC_BASELINE "}\n", NULL,
        0);
    PG_EXPECT(audit_ns(audit, "default") != NULL);
    PG_EXPECT_INT(audit_ns(audit, "default")->pods, 1);
    pg_audit_free(audit);
}

static void test_audit_reports_objects_it_cannot_judge(void)
{
    struct pg_audit *audit = audit_run(
        POD("prod", "ok", SPEC_BASELINE) "---\n{apiVersion: v1, kind: Pod, metadata: {name: bad, "
                                         "namespace: prod}, spec: {containers: {}}}\n",
        NULL, 0);
    PG_EXPECT_INT(pg_audit_stats(audit)->errors, 1);
    PG_EXPECT_INT(pg_audit_diag_count(audit), 1);
    PG_EXPECT_INT(pg_audit_diag_at(audit, 0)->line, 4);
    PG_EXPECT(strstr(pg_audit_diag_at(audit, 0)->message, "spec.containers") != NULL);
    PG_EXPECT_INT(audit_ns(audit, "prod")->pods, 1);
    pg_audit_free(audit);
}

static void test_audit_refuses_a_what_if_without_a_namespace(void)
{
    const struct pg_audit_what_if what_if[] = {{"", {PG_LEVEL_BASELINE, {true, 0}}}};
    struct pg_audit_options options;
    struct pg_audit *audit = NULL;
    struct pg_error err;
    pg_audit_options_default(&options);
    options.what_if = what_if;
    options.what_if_len = 1;
    PG_EXPECT_INT(pg_audit_new(&audit, &options, &err), PG_EINVAL);
    PG_EXPECT(audit == NULL);
}

static void test_audit_stops_tracking_namespaces_at_the_limit(void)
{
    struct pg_audit_options options;
    struct pg_audit *audit = NULL;
    struct pg_audit_feed *feed = NULL;
    const char *text = POD("a", "p", SPEC_BASELINE) POD("b", "p", SPEC_BASELINE);
    pg_audit_options_default(&options);
    options.max_namespaces = 1;
    PG_EXPECT_INT(pg_audit_new(&audit, &options, NULL), 0);
    PG_EXPECT_INT(pg_audit_feed_new(&feed, audit, "t", PG_FORMAT_YAML, NULL), 0);
    pg_audit_feed_write(feed, text, strlen(text));
    pg_audit_feed_end(feed);
    pg_audit_feed_free(feed);
    pg_audit_finish(audit);
    PG_EXPECT_INT(pg_audit_namespace_count(audit), 1);
    PG_EXPECT_INT(pg_audit_stats(audit)->errors, 1);
    pg_audit_free(audit);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_audit_counts_pods_and_workload_templates_apart)                             \
    PG_TEST_ENTRY(test_audit_recommends_the_strictest_level_that_breaks_nothing)                   \
    PG_TEST_ENTRY(test_audit_counts_at_the_pinned_version_and_at_latest)                           \
    PG_TEST_ENTRY(test_audit_takes_the_namespace_after_its_pods)                                   \
    PG_TEST_ENTRY(test_audit_reports_invalid_labels_in_upstreams_words)                            \
    PG_TEST_ENTRY(test_audit_notices_a_recommendation_already_applied)                             \
    PG_TEST_ENTRY(test_audit_says_when_the_recommendation_loosens_enforcement)                     \
    PG_TEST_ENTRY(test_audit_what_if_lists_rejected_pods_and_warned_workloads)                     \
    PG_TEST_ENTRY(test_audit_label_command_quotes_names_a_shell_would_split)                       \
    PG_TEST_ENTRY(test_audit_puts_objects_without_namespace_in_default)                            \
    PG_TEST_ENTRY(test_audit_reports_objects_it_cannot_judge)                                      \
    PG_TEST_ENTRY(test_audit_refuses_a_what_if_without_a_namespace)                                \
    PG_TEST_ENTRY(test_audit_stops_tracking_namespaces_at_the_limit)

PG_TEST_MAIN(TESTS)
