/* SPDX-License-Identifier: Apache-2.0 */
/* pg_bytes_find / pg_bytes_contain: the substring search behind the reader's document filter. */
#include "harness.h"

#include "doc/reader.h"

#include <string.h>

static void test_bytes_find_first_occurrence(void)
{
    static const char text[] = "pod: x\npod-security.kubernetes.io/enforce: a\n"
                               "pod-security.kubernetes.io/warn: b\n";
    size_t len = sizeof(text) - 1;
    PG_EXPECT_INT(pg_bytes_find(text, len, "pod-security.kubernetes.io/"), 7);
    PG_EXPECT_INT(pg_bytes_find(text + 8, len - 8, "pod-security.kubernetes.io/"), 45 - 8);
    PG_EXPECT_INT(pg_bytes_find(text, len, "\nb"), len);
    PG_EXPECT_INT(pg_bytes_find(text, len, ": b\n"), len - 4);
    PG_EXPECT_INT(pg_bytes_find(text, len, ""), 0);
    PG_EXPECT_INT(pg_bytes_find(text, 3, "pod:"), 3);
}

static void test_bytes_find_matches_a_naive_search(void)
{
    static const char *const NEEDLES[] = {"a", "ab", "aab", "abab", "baa", "bbb", "abaab"};
    char text[64];
    /* Every text of 12 bytes over {a, b} whose bits are i, against every needle. */
    for (unsigned i = 0; i < 4096; i += 7) {
        for (size_t b = 0; b < 12; b++) {
            text[b] = (i >> b) & 1u ? 'b' : 'a';
        }
        for (size_t n = 0; n < sizeof(NEEDLES) / sizeof(NEEDLES[0]); n++) {
            const char *needle = NEEDLES[n];
            size_t nlen = strlen(needle);
            size_t want = 12;
            for (size_t at = 0; at + nlen <= 12; at++) {
                if (memcmp(text + at, needle, nlen) == 0) {
                    want = at;
                    break;
                }
            }
            PG_EXPECT_INT(pg_bytes_find(text, 12, needle), want);
            PG_EXPECT_INT(pg_bytes_contain(text, 12, needle), want < 12);
        }
    }
}

static void test_bytes_find_long_needle(void)
{
    char text[600];
    char needle[300];
    memset(text, 'x', sizeof(text));
    memset(needle, 'x', sizeof(needle) - 1);
    needle[sizeof(needle) - 1] = '\0';
    PG_EXPECT_INT(pg_bytes_find(text, sizeof(text), needle), 0);
    text[0] = 'y';
    PG_EXPECT_INT(pg_bytes_find(text, sizeof(text), needle), 1);
    PG_EXPECT_INT(pg_bytes_find(text, 200, needle), 200);
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_bytes_find_first_occurrence)
                 PG_TEST_ENTRY(test_bytes_find_matches_a_naive_search)
                     PG_TEST_ENTRY(test_bytes_find_long_needle))
