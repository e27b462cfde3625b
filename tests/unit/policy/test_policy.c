/* SPDX-License-Identifier: Apache-2.0 */
/* Levels, versions and check sets (spec §1.1–§1.3, §2). */
#include "harness.h"

#include "podgate/policy.h"

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

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_version_parse_accepts_latest_and_v1_minors)                                 \
    PG_TEST_ENTRY(test_version_parse_rejects_malformed_versions)                                   \
    PG_TEST_ENTRY(test_version_parse_stops_at_len)                                                 \
    PG_TEST_ENTRY(test_level_parse_is_exact)                                                       \
    PG_TEST_ENTRY(test_level_version_parse_defaults_to_latest)                                     \
    PG_TEST_ENTRY(test_level_version_parse_explains_bad_input)                                     \
    PG_TEST_ENTRY(test_level_version_format_keeps_version_as_written)                              \
    PG_TEST_ENTRY(test_effective_minor_clamps_to_max)

PG_TEST_MAIN(TESTS)
