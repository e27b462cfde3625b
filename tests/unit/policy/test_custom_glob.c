/* SPDX-License-Identifier: Apache-2.0 */
/* Globs (images, containers, namespaces, volumes) and dates of custom policies. */
#include "harness.h"

#include "podgate/custom_policy.h"

static bool matches(const char *pattern, const char *text)
{
    struct pg_str p = {pattern, strlen(pattern)};
    struct pg_str t = {text, strlen(text)};
    return pg_glob_match(p, t);
}

static int validate(const char *pattern, const char **why)
{
    struct pg_str p = {pattern, strlen(pattern)};
    return pg_glob_validate(p, why);
}

static void test_glob_star_crosses_slashes_in_image_references(void)
{
    PG_EXPECT(matches("docker.io/istio/proxyv2:*", "docker.io/istio/proxyv2:1.2"));
    PG_EXPECT(matches("docker.io/*", "docker.io/istio/proxyv2:1.2"));
    PG_EXPECT(matches("*/proxyv2:*", "docker.io/istio/proxyv2:1.20.0"));
    PG_EXPECT(matches("*", ""));
    PG_EXPECT(matches("*", "anything/at:all"));
}

static void test_glob_tagless_image_does_not_match_name_colon_star(void)
{
    PG_EXPECT(!matches("docker.io/istio/proxyv2:*", "docker.io/istio/proxyv2"));
    PG_EXPECT(matches("docker.io/istio/proxyv2*", "docker.io/istio/proxyv2"));
}

static void test_glob_digests_are_plain_text(void)
{
    const char *digest = "docker.io/istio/proxyv2@sha256:0123abcd";
    PG_EXPECT(!matches("docker.io/istio/proxyv2:*", digest));
    PG_EXPECT(matches("docker.io/istio/proxyv2@sha256:*", digest));
    PG_EXPECT(matches(digest, digest));
    /* With a tag and a digest, the tag glob still sees the whole reference. */
    PG_EXPECT(matches("docker.io/istio/proxyv2:*", "docker.io/istio/proxyv2:1.2@sha256:0123"));
}

static void test_glob_matches_the_whole_text_not_a_prefix(void)
{
    PG_EXPECT(!matches("istio-init", "istio-init-2"));
    PG_EXPECT(!matches("istio", "istio-init"));
    PG_EXPECT(!matches("team-*", "my-team-a"));
    PG_EXPECT(matches("team-*", "team-"));
    PG_EXPECT(!matches("a", ""));
}

static void test_glob_question_mark_sets_and_escapes(void)
{
    PG_EXPECT(matches("team-?", "team-a"));
    PG_EXPECT(!matches("team-?", "team-ab"));
    PG_EXPECT(matches("v[0-9]", "v7"));
    PG_EXPECT(!matches("v[0-9]", "vx"));
    PG_EXPECT(matches("[!a-c]x", "dx"));
    PG_EXPECT(!matches("[!a-c]x", "bx"));
    PG_EXPECT(matches("[^a-c]x", "dx"));
    PG_EXPECT(matches("[]]", "]"));
    PG_EXPECT(matches("[a-]", "-"));
    PG_EXPECT(matches("\\*", "*"));
    PG_EXPECT(!matches("\\*", "x"));
    PG_EXPECT(matches("[\\]]", "]"));
}

static void test_glob_backtracks_to_the_last_star(void)
{
    char text[4096];
    PG_EXPECT(matches("a*b*c", "aXbYbZc"));
    PG_EXPECT(!matches("a*b*c", "aXbYbZ"));
    PG_EXPECT(matches("*-init", "istio-init-init"));
    /* Many stars over a long non-match stay fast: one backtrack point, no recursion. */
    memset(text, 'a', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    PG_EXPECT(!matches("*a*a*a*a*a*a*a*a*b", text));
}

static void test_glob_validate_explains_bad_patterns(void)
{
    const char *why = NULL;
    PG_EXPECT_INT(validate("docker.io/istio/*:[0-9]*", &why), 0);
    PG_EXPECT_INT(validate("", &why), PG_EINVAL);
    PG_EXPECT_STR(why, "empty pattern");
    PG_EXPECT_INT(validate("istio-[init", &why), PG_EINVAL);
    PG_EXPECT_STR(why, "unterminated [ set");
    PG_EXPECT_INT(validate("[]", &why), PG_EINVAL);
    PG_EXPECT_STR(why, "unterminated [ set");
    PG_EXPECT_INT(validate("[z-a]", &why), PG_EINVAL);
    PG_EXPECT_STR(why, "reversed range in [ set");
    PG_EXPECT_INT(validate("proxy\\", &why), PG_EINVAL);
    PG_EXPECT_STR(why, "trailing \\");
    PG_EXPECT_INT(validate("[a\\", NULL), PG_EINVAL);
}

static void test_date_parse_accepts_only_real_days(void)
{
    struct pg_date date = {0};
    PG_EXPECT_INT(pg_date_parse(&date, "2027-06-30", 10), 0);
    PG_EXPECT_INT(date.ymd, 20270630);
    PG_EXPECT_INT(pg_date_parse(&date, "2024-02-29", 10), 0);
    PG_EXPECT_INT(pg_date_parse(&date, "2000-02-29", 10), 0);
    PG_EXPECT_INT(pg_date_parse(&date, "2023-02-29", 10), PG_EINVAL);
    PG_EXPECT_INT(pg_date_parse(&date, "1900-02-29", 10), PG_EINVAL);
    PG_EXPECT_INT(pg_date_parse(&date, "2027-13-01", 10), PG_EINVAL);
    PG_EXPECT_INT(pg_date_parse(&date, "2027-04-31", 10), PG_EINVAL);
    PG_EXPECT_INT(pg_date_parse(&date, "2027-00-10", 10), PG_EINVAL);
    PG_EXPECT_INT(pg_date_parse(&date, "0000-01-01", 10), PG_EINVAL);
    PG_EXPECT_INT(pg_date_parse(&date, "2027-6-30", 9), PG_EINVAL);
    PG_EXPECT_INT(pg_date_parse(&date, "2027/06/30", 10), PG_EINVAL);
    PG_EXPECT_INT(pg_date_parse(&date, "2027-06-3x", 10), PG_EINVAL);
    PG_EXPECT_INT(date.ymd, 20000229);
}

static void test_date_from_unix_uses_utc_days(void)
{
    char text[16];
    PG_EXPECT_INT(pg_date_from_unix(0).ymd, 19700101);
    PG_EXPECT_INT(pg_date_from_unix(86399).ymd, 19700101);
    PG_EXPECT_INT(pg_date_from_unix(86400).ymd, 19700102);
    PG_EXPECT_INT(pg_date_from_unix(-1).ymd, 19691231);
    PG_EXPECT_INT(pg_date_from_unix(951782400).ymd, 20000229);
    PG_EXPECT_INT(pg_date_from_unix(1830297599).ymd, 20271231);
    PG_EXPECT_INT(pg_date_format(text, sizeof(text), pg_date_from_unix(1782777600)), 10);
    PG_EXPECT_STR(text, "2026-06-30");
    PG_EXPECT(pg_date_valid(pg_date_from_unix(1782777600)));
    PG_EXPECT(!pg_date_valid((struct pg_date){0}));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_glob_star_crosses_slashes_in_image_references)                              \
    PG_TEST_ENTRY(test_glob_tagless_image_does_not_match_name_colon_star)                          \
    PG_TEST_ENTRY(test_glob_digests_are_plain_text)                                                \
    PG_TEST_ENTRY(test_glob_matches_the_whole_text_not_a_prefix)                                   \
    PG_TEST_ENTRY(test_glob_question_mark_sets_and_escapes)                                        \
    PG_TEST_ENTRY(test_glob_backtracks_to_the_last_star)                                           \
    PG_TEST_ENTRY(test_glob_validate_explains_bad_patterns)                                        \
    PG_TEST_ENTRY(test_date_parse_accepts_only_real_days)                                          \
    PG_TEST_ENTRY(test_date_from_unix_uses_utc_days)

PG_TEST_MAIN(TESTS)
