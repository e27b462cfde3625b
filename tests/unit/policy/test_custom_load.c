/* SPDX-License-Identifier: Apache-2.0 */
/* Custom policy files: what loads, and every rejection with its position and message. */
#include "harness.h"

#include "podgate/custom_policy.h"

/* Lines 1-6 of a valid restricted policy; exemptions start on line 7. */
#define HEAD                                                                                       \
    "apiVersion: podgate.dev/v1alpha1\n"                                                           \
    "kind: Policy\n"                                                                               \
    "metadata:\n"                                                                                  \
    "  name: p\n"                                                                                  \
    "spec:\n"                                                                                      \
    "  level: restricted\n"

#define EXEMPTIONS "  exemptions:\n"

static const char EXAMPLE[] = "# the README example\n"
                              "apiVersion: podgate.dev/v1alpha1\n"
                              "kind: Policy\n"
                              "metadata:\n"
                              "  name: mesh-restricted\n"
                              "spec:\n"
                              "  level: restricted\n"
                              "  version: v1.30\n"
                              "  namespaces: [\"payments\", \"team-*\"]\n"
                              "  exemptions:\n"
                              "  - checks: [capabilities_restricted, runAsNonRoot]\n"
                              "    containers: [\"istio-init\"]\n"
                              "    images: [\"docker.io/istio/proxyv2:*\"]\n"
                              "    values: [\"NET_ADMIN\", \"NET_RAW\"]\n"
                              "    reason: \"istio-init programs iptables\"\n"
                              "    owner: platform-team\n"
                              "    expires: \"2027-06-30\"\n"
                              "---\n"
                              "---\n"
                              "apiVersion: podgate.dev/v1alpha1\n"
                              "kind: Policy\n"
                              "metadata: {name: node-agents}\n"
                              "spec:\n"
                              "  level: baseline\n"
                              "  exemptions:\n"
                              "  - checks: [hostPathVolumes, hostPorts]\n"
                              "    values: [9100, hostPath]\n"
                              "    reason: node-exporter\n";

static pg_check_set bit(enum pg_check_id check)
{
    return (pg_check_set)1u << check;
}

static void test_custom_load_reads_the_readme_example(void)
{
    struct pg_policy_set *set = NULL;
    struct pg_error err;
    const struct pg_policy *p = NULL;
    const struct pg_policy_exemption *e = NULL;
    PG_EXPECT_INT(pg_policy_set_load(&set, EXAMPLE, sizeof(EXAMPLE) - 1, "p.yaml", &err), 0);
    PG_EXPECT_INT(pg_policy_set_len(set), 2);
    PG_EXPECT_INT(pg_policy_set_exemptions_total(set), 2);
    p = pg_policy_set_get(set, 0);
    PG_EXPECT_STR(p->name.ptr, "mesh-restricted");
    PG_EXPECT_STR(p->source, "p.yaml");
    PG_EXPECT_INT(p->line, 2);
    PG_EXPECT_INT(p->level.level, PG_LEVEL_RESTRICTED);
    PG_EXPECT(!p->level.version.latest && p->level.version.minor == 30);
    PG_EXPECT_INT(p->namespaces.len, 2);
    PG_EXPECT_STR(p->namespaces.items[1].ptr, "team-*");
    PG_EXPECT_INT(p->exemptions_len, 1);
    e = &p->exemptions[0];
    PG_EXPECT_INT(e->checks, bit(PG_CHECK_CAPABILITIES_RESTRICTED) | bit(PG_CHECK_RUN_AS_NON_ROOT));
    PG_EXPECT_STR(e->containers.items[0].ptr, "istio-init");
    PG_EXPECT_STR(e->images.items[0].ptr, "docker.io/istio/proxyv2:*");
    PG_EXPECT_INT(e->values.len, 2);
    PG_EXPECT_STR(e->reason.ptr, "istio-init programs iptables");
    PG_EXPECT_STR(e->owner.ptr, "platform-team");
    PG_EXPECT(e->has_expiry);
    PG_EXPECT_INT(e->expires.ymd, 20270630);
    PG_EXPECT_INT(e->line, 11);
    PG_EXPECT_INT(e->column, 5);
    p = pg_policy_set_find(set, PG_STR_LIT("node-agents"));
    PG_EXPECT(p == pg_policy_set_get(set, 1));
    PG_EXPECT(p->level.version.latest);
    PG_EXPECT_INT(p->document, 2);
    /* An integer value is compared as its decimal text, like a host port. */
    PG_EXPECT_STR(p->exemptions[0].values.items[0].ptr, "9100");
    PG_EXPECT_INT(p->exemptions[0].set_index, 1);
    PG_EXPECT(!p->exemptions[0].has_expiry);
    PG_EXPECT_INT(p->exemptions[0].owner.len, 0);
    pg_policy_set_free(set);
}

static void test_custom_load_reads_json(void)
{
    static const char JSON[] =
        "{\"apiVersion\": \"podgate.dev/v1alpha1\", \"kind\": \"Policy\",\n"
        " \"metadata\": {\"name\": \"j\"},\n"
        " \"spec\": {\"level\": \"baseline\", \"version\": \"v1.25\",\n"
        "          \"exemptions\": [{\"checks\": [\"sysctls\"], \"reason\": \"tuning\"}]}}\n";
    struct pg_policy_set *set = NULL;
    struct pg_error err;
    PG_EXPECT_INT(pg_policy_set_load(&set, JSON, sizeof(JSON) - 1, "p.json", &err), 0);
    PG_EXPECT_INT(pg_policy_set_get(set, 0)->exemptions[0].checks, bit(PG_CHECK_SYSCTLS));
    pg_policy_set_free(set);
}

/* Loading `text` must fail with `code` at line:column with exactly `message`. */
static bool rejected(const char *text, enum pg_error_code code, uint32_t line, uint32_t column,
                     const char *message)
{
    struct pg_policy_set *set = (struct pg_policy_set *)&set;
    struct pg_error err;
    int rc = 0;
    pg_error_clear(&err);
    rc = pg_policy_set_load(&set, text, strlen(text), "t.yaml", &err);
    if (rc == (int)code && set == NULL && err.line == line && err.column == column &&
        strcmp(err.message, message) == 0) {
        return true;
    }
    printf("#   got:  %d %u:%u %s\n#   want: %d %u:%u %s\n", rc, (unsigned)err.line,
           (unsigned)err.column, err.message, (int)code, (unsigned)line, (unsigned)column, message);
    pg_policy_set_free(rc == 0 ? set : NULL);
    return false;
}

#define REJECTS(name, text, line, column, message)                                                 \
    static void name(void)                                                                         \
    {                                                                                              \
        PG_EXPECT(rejected((text), PG_ETYPE, (line), (column), (message)));                        \
    }

REJECTS(test_custom_load_rejects_wrong_api_version,
        "apiVersion: v1\nkind: Policy\nmetadata: {name: p}\nspec: {level: baseline}\n", 1, 13,
        "t.yaml:1:13: apiVersion: want \"podgate.dev/v1alpha1\", got \"v1\"")
REJECTS(test_custom_load_rejects_wrong_kind,
        "apiVersion: podgate.dev/v1alpha1\nkind: PodSecurityPolicy\nmetadata: {name: p}\n"
        "spec: {level: baseline}\n",
        2, 7, "t.yaml:2:7: kind: want \"Policy\", got \"PodSecurityPolicy\"")
REJECTS(test_custom_load_rejects_missing_kind,
        "apiVersion: podgate.dev/v1alpha1\nmetadata: {name: p}\nspec: {level: baseline}\n", 1, 1,
        "t.yaml:1:1: kind: missing (Policy)")
REJECTS(test_custom_load_rejects_unknown_top_level_key, HEAD "status: {}\n", 7, 1,
        "t.yaml:7:1: status: unknown key \"status\"")
REJECTS(test_custom_load_rejects_unknown_spec_key, HEAD "  namespace: [a]\n", 7, 3,
        "t.yaml:7:3: spec.namespace: unknown key \"namespace\"")
REJECTS(test_custom_load_rejects_unknown_exemption_key,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    reason: r\n    container: [a]\n", 10, 5,
        "t.yaml:10:5: spec.exemptions[0].container: unknown key \"container\"")
REJECTS(test_custom_load_rejects_unknown_check,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot, runAsRoot]\n    reason: r\n", 8, 28,
        "t.yaml:8:28: spec.exemptions[0].checks[1]: unknown check \"runAsRoot\" (run 'podgate "
        "explain' for the list)")
REJECTS(test_custom_load_rejects_check_replaced_at_the_level,
        HEAD EXEMPTIONS "  - checks: [hostPathVolumes]\n    reason: r\n", 8, 14,
        "t.yaml:8:14: spec.exemptions[0].checks[0]: check \"hostPathVolumes\" does not run at "
        "restricted:latest (it is replaced by restrictedVolumes)")
REJECTS(test_custom_load_rejects_restricted_check_at_baseline,
        "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\n"
        "spec:\n  level: baseline\n  version: v1.30\n" EXEMPTIONS
        "  - checks: [runAsNonRoot]\n    reason: r\n",
        8, 14,
        "t.yaml:8:14: spec.exemptions[0].checks[0]: check \"runAsNonRoot\" does not run at "
        "baseline:v1.30")
REJECTS(test_custom_load_rejects_empty_checks, HEAD EXEMPTIONS "  - checks: []\n    reason: r\n", 8,
        13, "t.yaml:8:13: spec.exemptions[0].checks: empty list: name at least one check")
REJECTS(test_custom_load_rejects_missing_checks, HEAD EXEMPTIONS "  - reason: r\n", 8, 5,
        "t.yaml:8:5: spec.exemptions[0].checks: missing (the upstream check ids to exempt)")
REJECTS(test_custom_load_rejects_bad_container_glob,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    containers: [\"istio-[init\"]\n"
                        "    reason: r\n",
        9, 18,
        "t.yaml:9:18: spec.exemptions[0].containers[0]: bad glob \"istio-[init\": unterminated "
        "[ set")
REJECTS(test_custom_load_rejects_bad_image_glob,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    images: [\"proxy\\\\\"]\n"
                        "    reason: r\n",
        9, 14, "t.yaml:9:14: spec.exemptions[0].images[0]: bad glob \"proxy\\\": trailing \\")
REJECTS(test_custom_load_rejects_bad_namespace_glob, HEAD "  namespaces: [\"[z-a]\"]\n", 7, 16,
        "t.yaml:7:16: spec.namespaces[0]: bad glob \"[z-a]\": reversed range in [ set")
REJECTS(test_custom_load_rejects_empty_glob, HEAD "  namespaces: [\"\"]\n", 7, 16,
        "t.yaml:7:16: spec.namespaces[0]: bad glob \"\": empty pattern")
REJECTS(test_custom_load_rejects_empty_scope_list,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    containers: []\n    reason: r\n", 9, 17,
        "t.yaml:9:17: spec.exemptions[0].containers: empty list: leave the key out instead")
REJECTS(test_custom_load_rejects_missing_reason, HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n", 8,
        5, "t.yaml:8:5: spec.exemptions[0].reason: missing (every exemption must say why)")
REJECTS(test_custom_load_rejects_blank_reason,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    reason: \"  \"\n", 9, 13,
        "t.yaml:9:13: spec.exemptions[0].reason: empty: every exemption must say why")
REJECTS(test_custom_load_rejects_impossible_date,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    reason: r\n    expires: 2027-02-29\n", 10,
        14,
        "t.yaml:10:14: spec.exemptions[0].expires: bad date \"2027-02-29\": want YYYY-MM-DD, a "
        "real calendar day")
REJECTS(test_custom_load_rejects_date_in_another_format,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    reason: r\n    expires: 30.06.2027\n", 10,
        14,
        "t.yaml:10:14: spec.exemptions[0].expires: bad date \"30.06.2027\": want YYYY-MM-DD, a "
        "real calendar day")
REJECTS(test_custom_load_rejects_date_as_number,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    reason: r\n    expires: 20270630\n", 10,
        14, "t.yaml:10:14: spec.exemptions[0].expires: expected string, got integer")
REJECTS(test_custom_load_rejects_bad_level,
        "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\n"
        "spec: {level: strict}\n",
        4, 15,
        "t.yaml:4:15: spec.level: invalid level \"strict\": must be one of privileged, baseline, "
        "restricted")
REJECTS(test_custom_load_rejects_bad_version, HEAD "  version: v1.01\n", 7, 12,
        "t.yaml:7:12: spec.version: invalid version \"v1.01\": must be \"latest\" or \"v1.x\"")
REJECTS(test_custom_load_rejects_unquoted_number_version, HEAD "  version: 1.30\n", 7, 12,
        "t.yaml:7:12: spec.version: expected string, got number")
REJECTS(test_custom_load_rejects_missing_level,
        "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: p}\nspec:\n"
        "  version: latest\n",
        4, 1, "t.yaml:4:1: spec.level: missing (privileged, baseline or restricted)")
REJECTS(test_custom_load_rejects_bad_policy_name,
        "apiVersion: podgate.dev/v1alpha1\nkind: Policy\nmetadata: {name: Mesh_1}\n"
        "spec: {level: baseline}\n",
        3, 18,
        "t.yaml:3:18: metadata.name: invalid policy name \"Mesh_1\": use at most 63 of a-z, 0-9 "
        "and '-', starting and ending with a letter or digit")
REJECTS(test_custom_load_rejects_duplicate_policy_names, HEAD "---\n" HEAD, 11, 9,
        "t.yaml:11:9: metadata.name: duplicate policy name \"p\" (first defined at line 1)")
REJECTS(
    test_custom_load_rejects_namespace_claimed_twice,
    HEAD "  namespaces: [payments]\n---\napiVersion: podgate.dev/v1alpha1\nkind: Policy\n"
         "metadata: {name: q}\nspec:\n  level: baseline\n  namespaces: [default, \"pay*\"]\n",
    14, 25,
    "t.yaml:14:25: spec.namespaces[1]: \"pay*\" overlaps \"payments\" of policy \"p\" (line 1): "
    "a namespace can be claimed by one policy only")
REJECTS(test_custom_load_rejects_volumes_with_containers,
        HEAD EXEMPTIONS "  - checks: [restrictedVolumes]\n    containers: [a]\n    volumes: [v]\n"
                        "    reason: r\n",
        10, 5,
        "t.yaml:10:5: spec.exemptions[0].volumes: cannot be combined with containers or images: "
        "volumes belong to the pod")
REJECTS(test_custom_load_rejects_volumes_for_other_checks,
        HEAD EXEMPTIONS "  - checks: [restrictedVolumes, runAsNonRoot]\n    volumes: [v]\n"
                        "    reason: r\n",
        9, 5,
        "t.yaml:9:5: spec.exemptions[0].volumes: only hostPathVolumes and restrictedVolumes "
        "report volumes")
REJECTS(test_custom_load_rejects_value_that_is_a_map,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    values: [{a: b}]\n    reason: r\n", 9, 14,
        "t.yaml:9:14: spec.exemptions[0].values[0]: expected a string or an integer, got object")
REJECTS(test_custom_load_rejects_exemptions_as_map, HEAD "  exemptions: {checks: [sysctls]}\n", 7,
        15, "t.yaml:7:15: spec.exemptions: expected list, got object")
REJECTS(test_custom_load_rejects_document_that_is_a_list, "- a\n- b\n", 1, 1,
        "t.yaml:1:1: (document): expected object, got list")
REJECTS(test_custom_load_rejects_duplicate_keys,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    containers: [a]\n    containers: [b]\n"
                        "    reason: r\n",
        10, 5,
        "t.yaml:10:5: duplicate key \"containers\" (first at line 9): a policy file must not "
        "repeat a key")
REJECTS(test_custom_load_rejects_null_expires,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    reason: r\n    expires:\n", 10, 5,
        "t.yaml:10:5: spec.exemptions[0].expires: null: give the last day it applies "
        "(YYYY-MM-DD) or leave the key out")
REJECTS(test_custom_load_rejects_null_expires_tilde,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    reason: r\n    expires: ~\n", 10, 5,
        "t.yaml:10:5: spec.exemptions[0].expires: null: give the last day it applies "
        "(YYYY-MM-DD) or leave the key out")
REJECTS(test_custom_load_rejects_null_scope_list,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot]\n    containers:\n    reason: r\n", 9, 5,
        "t.yaml:9:5: spec.exemptions[0].containers: null: list at least one entry or leave the "
        "key out")
REJECTS(test_custom_load_rejects_duplicate_check,
        HEAD EXEMPTIONS "  - checks: [runAsNonRoot, runAsUser, runAsNonRoot]\n    reason: r\n", 8,
        39,
        "t.yaml:8:39: spec.exemptions[0].checks[2]: duplicate check \"runAsNonRoot\" (also "
        "checks[0])")
REJECTS(test_custom_load_rejects_file_without_policies, "# nothing\n---\n", 1, 1,
        "t.yaml:1:1: no Policy document found")

static void test_custom_load_rejects_unreadable_yaml_with_its_position(void)
{
    PG_EXPECT(rejected(HEAD "  namespaces: [a\n", PG_EPARSE, 8, 1,
                       "t.yaml:8:1: did not find expected ',' or ']' (while parsing a "
                       "flow sequence at line 7 column 15)"));
}

static void test_custom_load_accepts_privileged_policy_without_exemptions(void)
{
    static const char TEXT[] = "apiVersion: podgate.dev/v1alpha1\nkind: Policy\n"
                               "metadata: {name: open, labels: {team: a}}\n"
                               "spec: {level: privileged, namespaces: [kube-system]}\n";
    struct pg_policy_set *set = NULL;
    PG_EXPECT_INT(pg_policy_set_load(&set, TEXT, sizeof(TEXT) - 1, "t.yaml", NULL), 0);
    PG_EXPECT_INT(pg_policy_set_get(set, 0)->level.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT(pg_policy_set_get(set, 1) == NULL);
    PG_EXPECT(pg_policy_set_find(set, PG_STR_LIT("other")) == NULL);
    pg_policy_set_free(set);
}

static void test_custom_load_rejects_null_arguments(void)
{
    struct pg_error err;
    PG_EXPECT_INT(pg_policy_set_load(NULL, "", 0, "t.yaml", &err), PG_EINVAL);
    pg_policy_set_free(NULL);
    PG_EXPECT_INT(pg_policy_set_len(NULL), 0);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_custom_load_reads_the_readme_example)                                       \
    PG_TEST_ENTRY(test_custom_load_reads_json)                                                     \
    PG_TEST_ENTRY(test_custom_load_rejects_wrong_api_version)                                      \
    PG_TEST_ENTRY(test_custom_load_rejects_wrong_kind)                                             \
    PG_TEST_ENTRY(test_custom_load_rejects_missing_kind)                                           \
    PG_TEST_ENTRY(test_custom_load_rejects_unknown_top_level_key)                                  \
    PG_TEST_ENTRY(test_custom_load_rejects_unknown_spec_key)                                       \
    PG_TEST_ENTRY(test_custom_load_rejects_unknown_exemption_key)                                  \
    PG_TEST_ENTRY(test_custom_load_rejects_unknown_check)                                          \
    PG_TEST_ENTRY(test_custom_load_rejects_check_replaced_at_the_level)                            \
    PG_TEST_ENTRY(test_custom_load_rejects_restricted_check_at_baseline)                           \
    PG_TEST_ENTRY(test_custom_load_rejects_empty_checks)                                           \
    PG_TEST_ENTRY(test_custom_load_rejects_missing_checks)                                         \
    PG_TEST_ENTRY(test_custom_load_rejects_bad_container_glob)                                     \
    PG_TEST_ENTRY(test_custom_load_rejects_bad_image_glob)                                         \
    PG_TEST_ENTRY(test_custom_load_rejects_bad_namespace_glob)                                     \
    PG_TEST_ENTRY(test_custom_load_rejects_empty_glob)                                             \
    PG_TEST_ENTRY(test_custom_load_rejects_empty_scope_list)                                       \
    PG_TEST_ENTRY(test_custom_load_rejects_missing_reason)                                         \
    PG_TEST_ENTRY(test_custom_load_rejects_blank_reason)                                           \
    PG_TEST_ENTRY(test_custom_load_rejects_impossible_date)                                        \
    PG_TEST_ENTRY(test_custom_load_rejects_date_in_another_format)                                 \
    PG_TEST_ENTRY(test_custom_load_rejects_date_as_number)                                         \
    PG_TEST_ENTRY(test_custom_load_rejects_bad_level)                                              \
    PG_TEST_ENTRY(test_custom_load_rejects_bad_version)                                            \
    PG_TEST_ENTRY(test_custom_load_rejects_unquoted_number_version)                                \
    PG_TEST_ENTRY(test_custom_load_rejects_missing_level)                                          \
    PG_TEST_ENTRY(test_custom_load_rejects_bad_policy_name)                                        \
    PG_TEST_ENTRY(test_custom_load_rejects_duplicate_policy_names)                                 \
    PG_TEST_ENTRY(test_custom_load_rejects_namespace_claimed_twice)                                \
    PG_TEST_ENTRY(test_custom_load_rejects_volumes_with_containers)                                \
    PG_TEST_ENTRY(test_custom_load_rejects_volumes_for_other_checks)                               \
    PG_TEST_ENTRY(test_custom_load_rejects_value_that_is_a_map)                                    \
    PG_TEST_ENTRY(test_custom_load_rejects_exemptions_as_map)                                      \
    PG_TEST_ENTRY(test_custom_load_rejects_document_that_is_a_list)                                \
    PG_TEST_ENTRY(test_custom_load_rejects_duplicate_keys)                                         \
    PG_TEST_ENTRY(test_custom_load_rejects_null_expires)                                           \
    PG_TEST_ENTRY(test_custom_load_rejects_null_expires_tilde)                                     \
    PG_TEST_ENTRY(test_custom_load_rejects_null_scope_list)                                        \
    PG_TEST_ENTRY(test_custom_load_rejects_duplicate_check)                                        \
    PG_TEST_ENTRY(test_custom_load_rejects_file_without_policies)                                  \
    PG_TEST_ENTRY(test_custom_load_rejects_unreadable_yaml_with_its_position)                      \
    PG_TEST_ENTRY(test_custom_load_accepts_privileged_policy_without_exemptions)                   \
    PG_TEST_ENTRY(test_custom_load_rejects_null_arguments)

PG_TEST_MAIN(TESTS)
