/* SPDX-License-Identifier: Apache-2.0 */
/* Binding namespaces to custom policies, and the modes of a bound namespace. */
#include "harness.h"

#include "podgate/custom_policy.h"

static const char POLICIES[] = "apiVersion: podgate.dev/v1alpha1\nkind: Policy\n"
                               "metadata: {name: mesh}\n"
                               "spec: {level: restricted, version: v1.30, namespaces: [payments, "
                               "\"team-*\"]}\n"
                               "---\n"
                               "apiVersion: podgate.dev/v1alpha1\nkind: Policy\n"
                               "metadata: {name: agents}\n"
                               "spec: {level: baseline, namespaces: [\"*-a\"]}\n";

static struct pg_policy_set *load_policies(void)
{
    struct pg_policy_set *set = NULL;
    struct pg_error err;
    if (pg_policy_set_load(&set, POLICIES, sizeof(POLICIES) - 1, "p.yaml", &err) != 0) {
        printf("#   %s\n", err.message);
    }
    return set;
}

/* Labels as a parsed map; the caller frees the document. */
static struct pg_doc *labels(const char *yaml)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    if (pg_doc_reader_new(&reader, yaml, strlen(yaml), PG_FORMAT_YAML, NULL, NULL) != 0 ||
        pg_doc_reader_next(reader, &doc, NULL, NULL) != 1) {
        doc = NULL;
    }
    pg_doc_reader_free(reader);
    return doc;
}

static const char *bound_name(const struct pg_policy_set *set, const char *ns, const char *yaml,
                              int *rc_out)
{
    const struct pg_policy *policy = NULL;
    struct pg_doc *doc = yaml != NULL ? labels(yaml) : NULL;
    struct pg_str name = {ns, strlen(ns)};
    *rc_out = pg_policy_set_for_namespace(&policy, set, name, doc ? doc->root : NULL, NULL);
    pg_doc_free(doc);
    return policy != NULL ? policy->name.ptr : "(none)";
}

static void test_bind_by_namespace_globs(void)
{
    struct pg_policy_set *set = load_policies();
    int rc = 0;
    PG_EXPECT(set != NULL);
    PG_EXPECT_STR(bound_name(set, "payments", NULL, &rc), "mesh");
    PG_EXPECT_INT(rc, 0);
    PG_EXPECT_STR(bound_name(set, "team-b", NULL, &rc), "mesh");
    PG_EXPECT_STR(bound_name(set, "ops-a", NULL, &rc), "agents");
    PG_EXPECT_STR(bound_name(set, "default", NULL, &rc), "(none)");
    PG_EXPECT_INT(rc, 0);
    pg_policy_set_free(set);
}

static void test_bind_label_wins_over_globs(void)
{
    struct pg_policy_set *set = load_policies();
    int rc = 0;
    PG_EXPECT(set != NULL);
    PG_EXPECT_STR(bound_name(set, "payments", "podgate.dev/policy: agents\n", &rc), "agents");
    PG_EXPECT_STR(bound_name(set, "default", "{podgate.dev/policy: mesh, app: x}\n", &rc), "mesh");
    PG_EXPECT_INT(rc, 0);
    /* Other labels do not bind; the globs still apply. */
    PG_EXPECT_STR(bound_name(set, "payments", "podgate.dev/other: agents\n", &rc), "mesh");
    pg_policy_set_free(set);
}

static void test_bind_label_naming_no_policy_is_an_error(void)
{
    struct pg_policy_set *set = load_policies();
    const struct pg_policy *policy = NULL;
    struct pg_doc *doc = labels("podgate.dev/policy: nope\n");
    struct pg_error err;
    PG_EXPECT(set != NULL && doc != NULL);
    PG_EXPECT_INT(
        pg_policy_set_for_namespace(&policy, set, PG_STR_LIT("payments"), doc->root, &err),
        PG_ENOENT);
    PG_EXPECT(policy == NULL);
    PG_EXPECT_STR(err.message, "namespace payments: label podgate.dev/policy=nope names no policy "
                               "in the policy file");
    pg_doc_free(doc);
    doc = labels("podgate.dev/policy: 3\n");
    PG_EXPECT_INT(pg_policy_set_for_namespace(&policy, set, PG_STR_LIT("x"), doc->root, &err),
                  PG_ETYPE);
    pg_doc_free(doc);
    pg_policy_set_free(set);
}

static void test_bind_two_globs_claiming_a_namespace_is_an_error(void)
{
    struct pg_policy_set *set = load_policies();
    const struct pg_policy *policy = NULL;
    struct pg_doc *doc = NULL;
    struct pg_error err;
    PG_EXPECT(set != NULL);
    PG_EXPECT_INT(pg_policy_set_for_namespace(&policy, set, PG_STR_LIT("team-a"), NULL, &err),
                  PG_EINVAL);
    PG_EXPECT(policy == NULL);
    PG_EXPECT_STR(err.message,
                  "namespace team-a is claimed by policies mesh (line 1) and agents (line 6) "
                  "through spec.namespaces; a namespace can be bound to one policy only");
    /* The label settles it. */
    doc = labels("podgate.dev/policy: mesh\n");
    PG_EXPECT_INT(pg_policy_set_for_namespace(&policy, set, PG_STR_LIT("team-a"), doc->root, &err),
                  0);
    pg_doc_free(doc);
    pg_policy_set_free(set);
}

static bool modes_are(const struct pg_ns_policy *modes, const char *enforce, const char *audit,
                      const char *warn)
{
    char got[3][64];
    for (int mode = 0; mode < 3; mode++) {
        (void)pg_level_version_format(got[mode], sizeof(got[mode]), modes->modes[mode]);
    }
    if (strcmp(got[PG_MODE_ENFORCE], enforce) == 0 && strcmp(got[PG_MODE_AUDIT], audit) == 0 &&
        strcmp(got[PG_MODE_WARN], warn) == 0) {
        return true;
    }
    printf("#   got:  %s %s %s\n#   want: %s %s %s\n", got[PG_MODE_ENFORCE], got[PG_MODE_AUDIT],
           got[PG_MODE_WARN], enforce, audit, warn);
    return false;
}

/* Modes of a namespace with `yaml` labels bound to policy `mesh` (restricted:v1.30). */
static bool bound_modes_are(const char *yaml, bool warn_custom, const char *enforce,
                            const char *audit, const char *warn)
{
    struct pg_policy_set *set = load_policies();
    struct pg_doc *doc = labels(yaml);
    struct pg_ns_policy defaults;
    struct pg_ns_policy modes;
    bool custom = !warn_custom;
    bool ok = false;
    size_t errors = 0;
    pg_ns_policy_default(&defaults);
    pg_ns_policy_from_labels(&modes, &errors, NULL, doc->root, &defaults);
    pg_policy_bind_modes(&custom, &modes, pg_policy_set_find(set, PG_STR_LIT("mesh")), doc->root,
                         &defaults);
    ok = custom == warn_custom && modes_are(&modes, enforce, audit, warn);
    pg_doc_free(doc);
    pg_policy_set_free(set);
    return ok;
}

static void test_bind_modes_enforce_is_the_policy_and_warn_follows_it(void)
{
    PG_EXPECT(bound_modes_are("{app: x}\n", true, "restricted:v1.30", "privileged:latest",
                              "restricted:v1.30"));
    /* A PSA enforce label is replaced, and so is the warn it would have given. */
    PG_EXPECT(bound_modes_are("pod-security.kubernetes.io/enforce: baseline\n", true,
                              "restricted:v1.30", "privileged:latest", "restricted:v1.30"));
}

static void test_bind_modes_keep_audit_and_warn_labels(void)
{
    PG_EXPECT(bound_modes_are("{pod-security.kubernetes.io/audit: restricted, "
                              "pod-security.kubernetes.io/warn: baseline}\n",
                              false, "restricted:v1.30", "restricted:latest", "baseline:latest"));
}

static void test_bind_modes_warn_version_alone_keeps_warn_the_policy(void)
{
    /*
     * Only the version is the label's: warn is still the policy, exemptions
     * included, or it would warn about what enforce exempted.
     */
    PG_EXPECT(bound_modes_are("pod-security.kubernetes.io/warn-version: v1.25\n", true,
                              "restricted:v1.30", "privileged:latest", "restricted:v1.25"));
    PG_EXPECT(bound_modes_are("{pod-security.kubernetes.io/enforce: baseline, "
                              "pod-security.kubernetes.io/warn-version: latest}\n",
                              true, "restricted:v1.30", "privileged:latest", "restricted:latest"));
    /* A warn label of its own, even at the policy's level, is plain Pod Security. */
    PG_EXPECT(bound_modes_are("{pod-security.kubernetes.io/warn: restricted, "
                              "pod-security.kubernetes.io/warn-version: v1.30}\n",
                              false, "restricted:v1.30", "privileged:latest", "restricted:v1.30"));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_bind_by_namespace_globs)                                                    \
    PG_TEST_ENTRY(test_bind_label_wins_over_globs)                                                 \
    PG_TEST_ENTRY(test_bind_label_naming_no_policy_is_an_error)                                    \
    PG_TEST_ENTRY(test_bind_two_globs_claiming_a_namespace_is_an_error)                            \
    PG_TEST_ENTRY(test_bind_modes_enforce_is_the_policy_and_warn_follows_it)                       \
    PG_TEST_ENTRY(test_bind_modes_keep_audit_and_warn_labels)                                      \
    PG_TEST_ENTRY(test_bind_modes_warn_version_alone_keeps_warn_the_policy)

PG_TEST_MAIN(TESTS)
