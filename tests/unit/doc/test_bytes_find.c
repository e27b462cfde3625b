/* SPDX-License-Identifier: Apache-2.0 */
/* pg_bytes_find / pg_bytes_contain: the substring search behind the reader's document filter. */
#include "harness.h"

#include "doc/reader.h"

#include <stdint.h>
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

/* The first match by trying every position, or len. */
static size_t naive_find(const char *text, size_t len, const char *needle, size_t nlen)
{
    for (size_t at = 0; at + nlen <= len; at++) {
        if (memcmp(text + at, needle, nlen) == 0) {
            return at;
        }
    }
    return len;
}

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 16;
}

/*
 * A haystack of `len` bytes near `needle`: copies of it with one byte changed
 * (near-misses that pass a first/last byte test), its first and last bytes
 * alone, and sometimes the needle itself, at random places.
 */
static void fill_near_misses(char *text, size_t len, const char *needle, size_t nlen,
                             uint32_t *state)
{
    for (size_t i = 0; i < len; i++) {
        uint32_t pick = next_random(state) % 4;
        text[i] = pick == 0 ? needle[0] : pick == 1 ? needle[nlen - 1] : (char)('a' + pick);
    }
    for (size_t copies = next_random(state) % 4; copies > 0 && nlen <= len; copies--) {
        size_t at = next_random(state) % (len - nlen + 1);
        memcpy(text + at, needle, nlen);
        if (next_random(state) % 4 != 0) {
            text[at + next_random(state) % nlen] ^= 1; /* a near-miss */
        }
    }
}

/* A random needle of `nlen` bytes over a small alphabet, so it repeats itself. */
static void make_needle(char *needle, size_t nlen, uint32_t *state)
{
    for (size_t i = 0; i < nlen; i++) {
        needle[i] = (char)('a' + next_random(state) % 3);
    }
    needle[nlen] = '\0';
}

static void test_bytes_find_matches_naive_on_random_text(void)
{
    _Alignas(16) char text[160];
    char needle[41];
    uint32_t state = 99;
    for (size_t nlen = 1; nlen <= 40; nlen++) {
        for (int round = 0; round < 300; round++) {
            size_t offset = (size_t)round % 16;
            size_t len = next_random(&state) % (sizeof(text) - 15);
            make_needle(needle, nlen, &state);
            fill_near_misses(text + offset, len, needle, nlen, &state);
            PG_EXPECT_INT(pg_bytes_find(text + offset, len, needle),
                          naive_find(text + offset, len, needle, nlen));
        }
    }
}

static void test_bytes_find_at_every_position(void)
{
    /* The needle alone in filler, at each position: the start, the end, across every 16-byte
       edge; in haystacks shorter than it, and with a near-miss just before it. */
    static const char needle[] = "pod-security.kubernetes.io/";
    size_t nlen = sizeof(needle) - 1;
    _Alignas(16) char text[128];
    for (size_t len = 0; len <= 100; len++) {
        for (size_t at = 0; at + nlen <= len; at++) {
            memset(text, 'p', sizeof(text));
            memcpy(text + at, needle, nlen);
            if (at >= nlen) {
                memcpy(text + at - nlen, needle, nlen);
                text[at - nlen + 5] = 'S'; /* first and last bytes match, one inside does not */
            }
            PG_EXPECT_INT(pg_bytes_find(text, len, needle), at);
            PG_EXPECT_INT(pg_bytes_find(text + 1, len - 1, needle),
                          naive_find(text + 1, len - 1, needle, nlen));
        }
        memset(text, '/', sizeof(text));
        PG_EXPECT_INT(pg_bytes_find(text, len, needle), len);
    }
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_bytes_find_first_occurrence)
                 PG_TEST_ENTRY(test_bytes_find_matches_a_naive_search)
                     PG_TEST_ENTRY(test_bytes_find_long_needle)
                         PG_TEST_ENTRY(test_bytes_find_matches_naive_on_random_text)
                             PG_TEST_ENTRY(test_bytes_find_at_every_position))
