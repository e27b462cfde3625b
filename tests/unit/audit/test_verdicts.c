/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verdict bitmaps: one pass over the rule variants must say exactly what pg_evaluate says at
 * every level and version, for pods built to sit on each variant boundary (spec §2.1, §3).
 * tests/audit/verdicts_conformance.c repeats this over every upstream fixture.
 */
#include "harness.h"

#include "audit/verdicts.h"
#include "podgate/arena.h"
#include "podgate/doc.h"
#include "podgate/workload.h"

#define RESTRICTED_SC                                                                              \
    "securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}"
#define POD_SC "securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}"

static const char *const PODS[] = {
    "spec: {containers: [{name: a}]}",
    "spec: {" POD_SC ", containers: [{name: a, " RESTRICTED_SC "}]}",
    /* runAsUser from v1.23, relaxed with hostUsers: false from v1.35 */
    "spec: {" POD_SC ", containers: [{name: a, securityContext: {runAsUser: 0, "
    "allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}",
    "spec: {hostUsers: false, " POD_SC ", containers: [{name: a, securityContext: {runAsUser: 0, "
    "allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, procMount: Unmasked}}]}",
    /* Windows exemptions from v1.25 */
    "spec: {os: {name: windows}, securityContext: {runAsNonRoot: true}, containers: [{name: a}]}",
    /* sysctl allow-lists at v1.27, v1.29, v1.32, v1.37 */
    "spec: {securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports}]}, "
    "containers: [{name: a}]}",
    "spec: {securityContext: {sysctls: [{name: net.ipv4.tcp_keepalive_time}]}, "
    "containers: [{name: a}]}",
    "spec: {securityContext: {sysctls: [{name: net.ipv4.tcp_rmem}]}, containers: [{name: a}]}",
    "spec: {securityContext: {sysctls: [{name: net.ipv4.tcp_notsent_lowat}]}, "
    "containers: [{name: a}]}",
    /* seLinux type list B at v1.31; probe hosts at v1.34 */
    "spec: {containers: [{name: a, securityContext: {seLinuxOptions: {type: "
    "container_engine_t}}}]}",
    "spec: {" POD_SC ", containers: [{name: a, " RESTRICTED_SC ", livenessProbe: {httpGet: "
    "{host: example.com, port: 80}}}]}",
    /* seccomp annotations before v1.19, fields after */
    "metadata: {annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}}\n"
    "spec: {containers: [{name: a}]}",
    "spec: {securityContext: {seccompProfile: {type: Unconfined}}, containers: [{name: a}]}",
    /* capabilities_restricted from v1.22, allowPrivilegeEscalation from v1.8 */
    "spec: {" POD_SC ", containers: [{name: a, securityContext: {allowPrivilegeEscalation: false, "
    "capabilities: {add: [NET_RAW], drop: [ALL]}}}]}",
    "spec: {" POD_SC ", containers: [{name: a, securityContext: {capabilities: {drop: [ALL]}}}]}",
    "spec: {hostNetwork: true, volumes: [{name: v, hostPath: {path: /}}], containers: [{name: a, "
    "securityContext: {privileged: true}}]}",
};

static bool same_at_every_version(const char *text)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_pod pod;
    struct pg_pod_options options = {false, true, false};
    struct pg_findings findings;
    struct pg_verdict_table table;
    struct pg_verdicts verdicts;
    struct pg_arena *arena = pg_arena_new();
    bool same = true;
    pg_findings_init(&findings);
    pg_verdict_table_init(&table);
    if (pg_doc_reader_new(&reader, text, strlen(text), PG_FORMAT_YAML, NULL, NULL) != 0 ||
        pg_doc_reader_next(reader, &doc, NULL, NULL) != 1 ||
        pg_pod_extract(&pod, arena, pg_node_get(doc->root, "metadata"),
                       pg_node_get(doc->root, "spec"), "spec", &options, NULL, NULL) != 0) {
        printf("#   cannot read: %s\n", text);
        same = false;
    }
    pg_verdicts_compute(&verdicts, &findings, &table, &pod);
    for (int level = PG_LEVEL_PRIVILEGED; same && level <= PG_LEVEL_RESTRICTED; level++) {
        for (unsigned minor = 0; same && minor <= PG_MAX_MINOR; minor++) {
            struct pg_level_version lv = {(enum pg_level)level, {false, minor}};
            pg_evaluate(&findings, &pod, lv);
            if ((findings.forbidden != 0) !=
                pg_verdicts_fails(&verdicts, (enum pg_level)level, minor)) {
                printf("#   %s at %s:v1.%u differs\n", text, pg_level_name(lv.level), minor);
                same = false;
            }
        }
    }
    pg_findings_release(&findings);
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    pg_arena_free(arena);
    return same;
}

static void test_verdicts_match_evaluation_at_every_level_and_version(void)
{
    for (size_t i = 0; i < sizeof(PODS) / sizeof(PODS[0]); i++) {
        PG_EXPECT(same_at_every_version(PODS[i]));
    }
}

static void test_verdicts_first_variant_is_where_the_registry_starts_a_check(void)
{
    for (unsigned id = 0; id < PG_CHECK_COUNT; id++) {
        unsigned minors[8];
        size_t len = pg_verdict_variants(minors, (enum pg_check_id)id);
        PG_EXPECT(len > 0);
        PG_EXPECT_INT(minors[0], pg_check_first_minor((enum pg_check_id)id));
        for (size_t i = 1; i < len; i++) {
            PG_EXPECT(minors[i] > minors[i - 1] && minors[i] <= PG_MAX_MINOR);
        }
    }
}

static void test_verdicts_latest_clamps_to_the_newest_minor(void)
{
    struct pg_verdicts verdicts = {{0, 0, (uint64_t)1 << PG_MAX_MINOR}};
    PG_EXPECT(pg_verdicts_fails(&verdicts, PG_LEVEL_RESTRICTED, PG_MAX_MINOR + 5));
    PG_EXPECT(!pg_verdicts_fails(&verdicts, PG_LEVEL_RESTRICTED, PG_MAX_MINOR - 1));
    PG_EXPECT(!pg_verdicts_fails(&verdicts, PG_LEVEL_BASELINE, PG_MAX_MINOR));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_verdicts_match_evaluation_at_every_level_and_version)                       \
    PG_TEST_ENTRY(test_verdicts_first_variant_is_where_the_registry_starts_a_check)                \
    PG_TEST_ENTRY(test_verdicts_latest_clamps_to_the_newest_minor)

PG_TEST_MAIN(TESTS)
