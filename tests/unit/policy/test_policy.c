/* SPDX-License-Identifier: Apache-2.0 */
/* Levels, versions and check sets (spec §1.1–§1.3, §2). */
#include "harness.h"

#include "podgate/policy.h"

#include <stdlib.h>

static bool version_rejected(const char *text)
{
    struct pg_version version = {false, 0};
    bool rejected = pg_version_parse(&version, text, strlen(text)) == PG_EINVAL;
    if (!rejected) {
        printf("#   accepted \"%s\"\n", text);
    }
    return rejected;
}

static void test_version_parse_accepts_latest_and_v1_minors(void)
{
    struct pg_version version = {false, 0};
    PG_EXPECT_INT(pg_version_parse(&version, "latest", 6), 0);
    PG_EXPECT(version.latest);
    PG_EXPECT_INT(pg_version_parse(&version, "v1.0", 4), 0);
    PG_EXPECT(!version.latest);
    PG_EXPECT_INT(version.minor, 0);
    PG_EXPECT_INT(pg_version_parse(&version, "v1.9", 4), 0);
    PG_EXPECT_INT(version.minor, 9);
    PG_EXPECT_INT(pg_version_parse(&version, "v1.37", 5), 0);
    PG_EXPECT_INT(version.minor, 37);
    PG_EXPECT_INT(pg_version_parse(&version, "v1.99", 5), 0);
    PG_EXPECT_INT(version.minor, 99);
    PG_EXPECT_INT(pg_version_parse(&version, "v1.9223372036854775807", 22), 0);
    PG_EXPECT_INT(version.minor, INT64_MAX);
}

static void test_version_parse_rejects_malformed_versions(void)
{
    PG_EXPECT(version_rejected("v1.01"));
    PG_EXPECT(version_rejected("v1.00"));
    PG_EXPECT(version_rejected("V1.2"));
    PG_EXPECT(version_rejected("v1.2.0"));
    PG_EXPECT(version_rejected("1.2"));
    PG_EXPECT(version_rejected("v2.0"));
    PG_EXPECT(version_rejected(""));
    PG_EXPECT(version_rejected(" v1.2"));
    PG_EXPECT(version_rejected("v1.2 "));
    PG_EXPECT(version_rejected("v1."));
    PG_EXPECT(version_rejected("v1.-1"));
    PG_EXPECT(version_rejected("v1.+1"));
    PG_EXPECT(version_rejected("v1.x"));
    PG_EXPECT(version_rejected("Latest"));
    PG_EXPECT(version_rejected("latest "));
    PG_EXPECT(version_rejected("v1.9223372036854775808"));
    PG_EXPECT(version_rejected("v1.99999999999999999999999"));
}

static void test_version_parse_stops_at_len(void)
{
    struct pg_version version = {false, 0};
    PG_EXPECT_INT(pg_version_parse(&version, "v1.234", 5), 0);
    PG_EXPECT_INT(version.minor, 23);
    PG_EXPECT_INT(pg_version_parse(&version, "v1.2\0", 5), PG_EINVAL);
}

static void test_level_parse_is_exact(void)
{
    enum pg_level level = PG_LEVEL_PRIVILEGED;
    PG_EXPECT_INT(pg_level_parse(&level, "restricted", 10), 0);
    PG_EXPECT_INT(level, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(pg_level_parse(&level, "baseline", 8), 0);
    PG_EXPECT_INT(level, PG_LEVEL_BASELINE);
    PG_EXPECT_INT(pg_level_parse(&level, "privileged", 10), 0);
    PG_EXPECT_INT(level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT_INT(pg_level_parse(&level, "Restricted", 10), PG_EINVAL);
    PG_EXPECT_INT(pg_level_parse(&level, " baseline", 9), PG_EINVAL);
    PG_EXPECT_INT(pg_level_parse(&level, "", 0), PG_EINVAL);
    PG_EXPECT_STR(pg_level_name(PG_LEVEL_BASELINE), "baseline");
}

static void test_level_version_parse_defaults_to_latest(void)
{
    struct pg_level_version lv;
    struct pg_error err;
    pg_error_clear(&err);
    PG_EXPECT_INT(pg_level_version_parse(&lv, "baseline", &err), 0);
    PG_EXPECT_INT(lv.level, PG_LEVEL_BASELINE);
    PG_EXPECT(lv.version.latest);
    PG_EXPECT_INT(pg_level_version_parse(&lv, "restricted:v1.30", &err), 0);
    PG_EXPECT_INT(lv.level, PG_LEVEL_RESTRICTED);
    PG_EXPECT(!lv.version.latest);
    PG_EXPECT_INT(lv.version.minor, 30);
}

static void test_level_version_parse_explains_bad_input(void)
{
    struct pg_level_version lv;
    struct pg_error err;
    pg_error_clear(&err);
    PG_EXPECT_INT(pg_level_version_parse(&lv, "strict:v1.30", &err), PG_EINVAL);
    PG_EXPECT_STR(err.message,
                  "invalid level \"strict\": must be one of privileged, baseline, restricted");
    PG_EXPECT_INT(pg_level_version_parse(&lv, "restricted:v1.030", &err), PG_EINVAL);
    PG_EXPECT_STR(err.message, "invalid version \"v1.030\": must be \"latest\" or \"v1.x\"");
    PG_EXPECT_INT(pg_level_version_parse(&lv, "restricted:", &err), PG_EINVAL);
    PG_EXPECT_STR(err.message, "invalid version \"\": must be \"latest\" or \"v1.x\"");
    PG_EXPECT_INT(pg_level_version_parse(&lv, "restricted:v1.3:x", &err), PG_EINVAL);
    PG_EXPECT_INT(pg_level_version_parse(&lv, ":latest", &err), PG_EINVAL);
    PG_EXPECT_INT(pg_level_version_parse(&lv, "baseline", NULL), 0);
}

static void test_level_version_format_keeps_version_as_written(void)
{
    char buf[64];
    struct pg_level_version lv = {PG_LEVEL_RESTRICTED, {false, 99}};
    PG_EXPECT_INT(pg_level_version_format(buf, sizeof(buf), lv), 16);
    PG_EXPECT_STR(buf, "restricted:v1.99");
    lv.level = PG_LEVEL_BASELINE;
    lv.version.latest = true;
    PG_EXPECT_INT(pg_level_version_format(buf, sizeof(buf), lv), 15);
    PG_EXPECT_STR(buf, "baseline:latest");
    PG_EXPECT_INT(pg_level_version_format(buf, 4, lv), 15);
    PG_EXPECT_STR(buf, "bas");
    /* Size 0 writes nothing, as snprintf. */
    buf[0] = 'x';
    PG_EXPECT_INT(pg_level_version_format(buf, 0, lv), 15);
    PG_EXPECT_INT(buf[0], 'x');
    lv = (struct pg_level_version){PG_LEVEL_PRIVILEGED, {false, 0}};
    PG_EXPECT_INT(pg_level_version_format(buf, sizeof(buf), lv), 15);
    PG_EXPECT_STR(buf, "privileged:v1.0");
    lv.version.minor = INT64_MAX;
    PG_EXPECT_INT(pg_level_version_format(buf, sizeof(buf), lv), 33);
    PG_EXPECT_STR(buf, "privileged:v1.9223372036854775807");
    PG_EXPECT_INT(pg_level_version_format(buf, 16, lv), 33);
    PG_EXPECT_STR(buf, "privileged:v1.9");
}

static void test_effective_minor_clamps_to_max(void)
{
    struct pg_version latest = {true, 0};
    struct pg_version v99 = {false, 99};
    struct pg_version v22 = {false, 22};
    struct pg_version huge = {false, INT64_MAX};
    PG_EXPECT_INT(pg_version_effective_minor(latest), 37);
    PG_EXPECT_INT(pg_version_effective_minor(v99), 37);
    PG_EXPECT_INT(pg_version_effective_minor(huge), 37);
    PG_EXPECT_INT(pg_version_effective_minor(v22), 22);
}

static void test_check_names_round_trip(void)
{
    enum pg_check_id id = PG_CHECK_COUNT;
    unsigned i = 0;
    PG_EXPECT_STR(pg_check_name(PG_CHECK_SECCOMP_PROFILE_RESTRICTED), "seccompProfile_restricted");
    PG_EXPECT_STR(pg_check_name(PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE),
                  "hostProbesAndHostLifecycle");
    PG_EXPECT(pg_check_name(PG_CHECK_COUNT) == NULL);
    for (i = 0; i < PG_CHECK_COUNT; i++) {
        const char *name = pg_check_name((enum pg_check_id)i);
        PG_EXPECT_INT(pg_check_from_name(&id, name, strlen(name)), 0);
        PG_EXPECT_INT(id, i);
    }
    PG_EXPECT_INT(pg_check_from_name(&id, "runasnonroot", 12), PG_ENOENT);
    PG_EXPECT_INT(pg_check_from_name(&id, "runAsNonRootX", 12), 0);
    PG_EXPECT_INT(id, PG_CHECK_RUN_AS_NON_ROOT);
}

static void test_check_levels_and_first_minors(void)
{
    PG_EXPECT_INT(pg_check_level(PG_CHECK_SYSCTLS), PG_LEVEL_BASELINE);
    PG_EXPECT_INT(pg_check_level(PG_CHECK_RUN_AS_USER), PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(pg_check_first_minor(PG_CHECK_APP_ARMOR_PROFILE), 0);
    PG_EXPECT_INT(pg_check_first_minor(PG_CHECK_ALLOW_PRIVILEGE_ESCALATION), 8);
    PG_EXPECT_INT(pg_check_first_minor(PG_CHECK_SECCOMP_PROFILE_RESTRICTED), 19);
    PG_EXPECT_INT(pg_check_first_minor(PG_CHECK_CAPABILITIES_RESTRICTED), 22);
    PG_EXPECT_INT(pg_check_first_minor(PG_CHECK_RUN_AS_USER), 23);
    PG_EXPECT_INT(pg_check_first_minor(PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE), 34);
    PG_EXPECT_INT(pg_check_first_minor(PG_CHECK_PROC_MOUNT_RESTRICTED), 35);
}

/* The check set as a comma-separated list of IDs, in evaluation order. */
static bool checks_are(enum pg_level level, unsigned minor, const char *want)
{
    char got[1024];
    size_t len = 0;
    unsigned id = 0;
    pg_check_set set = pg_checks_for(level, minor);
    got[0] = '\0';
    for (id = 0; id < PG_CHECK_COUNT; id++) {
        if ((set & ((pg_check_set)1u << id)) != 0) {
            int n = snprintf(got + len, sizeof(got) - len, "%s%s", len ? ", " : "",
                             pg_check_name((enum pg_check_id)id));
            len += (size_t)n;
        }
    }
    if (strcmp(got, want) != 0) {
        printf("#   %s v1.%u:\n#     got:  %s\n#     want: %s\n", pg_level_name(level), minor, got,
               want);
        return false;
    }
    return true;
}

#define BASELINE_V1_0                                                                              \
    "appArmorProfile, capabilities_baseline, hostNamespaces, hostPathVolumes, hostPorts, "         \
    "privileged, procMount, seLinuxOptions, seccompProfile_baseline, sysctls, windowsHostProcess"
#define BASELINE_V1_34                                                                             \
    "appArmorProfile, capabilities_baseline, hostNamespaces, hostPathVolumes, hostPorts, "         \
    "hostProbesAndHostLifecycle, privileged, procMount, seLinuxOptions, seccompProfile_baseline, " \
    "sysctls, windowsHostProcess"
#define RESTRICTED_BASE_V1_0                                                                       \
    "appArmorProfile, capabilities_baseline, hostNamespaces, hostPorts, privileged, procMount, "   \
    "seLinuxOptions, seccompProfile_baseline, sysctls, windowsHostProcess"
#define RESTRICTED_V1_19                                                                           \
    "appArmorProfile, capabilities_baseline, hostNamespaces, hostPorts, privileged, procMount, "   \
    "seLinuxOptions, sysctls, windowsHostProcess, allowPrivilegeEscalation, restrictedVolumes, "   \
    "runAsNonRoot, seccompProfile_restricted"
#define RESTRICTED_V1_22                                                                           \
    "appArmorProfile, hostNamespaces, hostPorts, privileged, procMount, seLinuxOptions, sysctls, " \
    "windowsHostProcess, allowPrivilegeEscalation, capabilities_restricted, restrictedVolumes, "   \
    "runAsNonRoot, seccompProfile_restricted"
#define RESTRICTED_V1_23                                                                           \
    "appArmorProfile, hostNamespaces, hostPorts, privileged, procMount, seLinuxOptions, sysctls, " \
    "windowsHostProcess, allowPrivilegeEscalation, capabilities_restricted, restrictedVolumes, "   \
    "runAsNonRoot, runAsUser, seccompProfile_restricted"
#define RESTRICTED_V1_34                                                                           \
    "appArmorProfile, hostNamespaces, hostPorts, hostProbesAndHostLifecycle, privileged, "         \
    "procMount, seLinuxOptions, sysctls, windowsHostProcess, allowPrivilegeEscalation, "           \
    "capabilities_restricted, restrictedVolumes, runAsNonRoot, runAsUser, "                        \
    "seccompProfile_restricted"
#define RESTRICTED_V1_35                                                                           \
    "appArmorProfile, hostNamespaces, hostPorts, hostProbesAndHostLifecycle, privileged, "         \
    "seLinuxOptions, sysctls, windowsHostProcess, allowPrivilegeEscalation, "                      \
    "capabilities_restricted, procMount_restricted, restrictedVolumes, runAsNonRoot, runAsUser, "  \
    "seccompProfile_restricted"

static void test_checks_for_privileged_is_empty(void)
{
    PG_EXPECT_INT(pg_checks_for(PG_LEVEL_PRIVILEGED, 0), 0);
    PG_EXPECT_INT(pg_checks_for(PG_LEVEL_PRIVILEGED, PG_MAX_MINOR), 0);
}

static void test_checks_for_baseline_matches_spec_table(void)
{
    PG_EXPECT(checks_are(PG_LEVEL_BASELINE, 0, BASELINE_V1_0));
    PG_EXPECT(checks_are(PG_LEVEL_BASELINE, 33, BASELINE_V1_0));
    PG_EXPECT(checks_are(PG_LEVEL_BASELINE, 34, BASELINE_V1_34));
    PG_EXPECT(checks_are(PG_LEVEL_BASELINE, 35, BASELINE_V1_34));
    PG_EXPECT(checks_are(PG_LEVEL_BASELINE, 37, BASELINE_V1_34));
}

static void test_checks_for_restricted_matches_spec_table(void)
{
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 0,
                         RESTRICTED_BASE_V1_0 ", restrictedVolumes, runAsNonRoot"));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 7,
                         RESTRICTED_BASE_V1_0 ", restrictedVolumes, runAsNonRoot"));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 8,
                         RESTRICTED_BASE_V1_0
                         ", allowPrivilegeEscalation, restrictedVolumes, runAsNonRoot"));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 18,
                         RESTRICTED_BASE_V1_0
                         ", allowPrivilegeEscalation, restrictedVolumes, runAsNonRoot"));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 19, RESTRICTED_V1_19));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 21, RESTRICTED_V1_19));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 22, RESTRICTED_V1_22));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 23, RESTRICTED_V1_23));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 33, RESTRICTED_V1_23));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 34, RESTRICTED_V1_34));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 35, RESTRICTED_V1_35));
    PG_EXPECT(checks_are(PG_LEVEL_RESTRICTED, 37, RESTRICTED_V1_35));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_version_parse_accepts_latest_and_v1_minors)                                 \
    PG_TEST_ENTRY(test_version_parse_rejects_malformed_versions)                                   \
    PG_TEST_ENTRY(test_version_parse_stops_at_len)                                                 \
    PG_TEST_ENTRY(test_level_parse_is_exact)                                                       \
    PG_TEST_ENTRY(test_level_version_parse_defaults_to_latest)                                     \
    PG_TEST_ENTRY(test_level_version_parse_explains_bad_input)                                     \
    PG_TEST_ENTRY(test_level_version_format_keeps_version_as_written)                              \
    PG_TEST_ENTRY(test_effective_minor_clamps_to_max)                                              \
    PG_TEST_ENTRY(test_check_names_round_trip)                                                     \
    PG_TEST_ENTRY(test_check_levels_and_first_minors)                                              \
    PG_TEST_ENTRY(test_checks_for_privileged_is_empty)                                             \
    PG_TEST_ENTRY(test_checks_for_baseline_matches_spec_table)                                     \
    PG_TEST_ENTRY(test_checks_for_restricted_matches_spec_table)

PG_TEST_MAIN(TESTS)
