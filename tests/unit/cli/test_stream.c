/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's stream cutting: line counting against a byte-by-byte reference. */
#include "harness.h"
#include "stream.h"

#include <stdint.h>
#include <stdlib.h>

/* The reader's rule, one byte at a time: LF, lone CR, CRLF once, NEL, LS, PS (YAML). */
static uint32_t reference_lines(const unsigned char *s, size_t len, enum pg_doc_format format)
{
    uint32_t lines = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            lines++;
        } else if (format == PG_FORMAT_JSON) {
            continue;
        } else if (s[i] == '\r') {
            lines += !(i + 1 < len && s[i + 1] == '\n');
        } else if (s[i] == 0xC2 && i + 1 < len && s[i + 1] == 0x85) {
            lines++;
        } else if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
                   (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
            lines++;
        }
    }
    return lines;
}

static void test_count_lines_each_break_kind(void)
{
    const char yaml[] = "a\nb\rc\r\nd\xC2\x85"
                        "e\xE2\x80\xA8"
                        "f\xE2\x80\xA9"
                        "g\xE2\x80\xAAh\xC2\x86";
    PG_EXPECT_INT(pg_stream_count_lines(yaml, sizeof(yaml) - 1, PG_FORMAT_YAML), 6);
    PG_EXPECT_INT(pg_stream_count_lines(yaml, sizeof(yaml) - 1, PG_FORMAT_JSON), 2);
}

static void test_count_lines_break_cut_at_the_end(void)
{
    /* A CR last counts (the LF that would join it is not in the part); a cut NEL does not. */
    PG_EXPECT_INT(pg_stream_count_lines("a\r", 2, PG_FORMAT_YAML), 1);
    PG_EXPECT_INT(pg_stream_count_lines("a\xC2", 2, PG_FORMAT_YAML), 0);
    PG_EXPECT_INT(pg_stream_count_lines("a\xE2\x80", 3, PG_FORMAT_YAML), 0);
    PG_EXPECT_INT(pg_stream_count_lines("", 0, PG_FORMAT_YAML), 0);
    PG_EXPECT_INT(pg_stream_count_lines("\n", 1, PG_FORMAT_JSON), 1);
}

static void test_count_lines_matches_reference_on_random_bytes(void)
{
    /* Bytes drawn mostly from the break alphabet so every combination occurs. */
    static const unsigned char alphabet[] = {'\n', '\r', 0xC2, 0x85, 0xE2, 0x80, 0xA8, 0xA9, 'x'};
    unsigned char buf[64];
    uint32_t state = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(round % (int)sizeof(buf));
        for (size_t i = 0; i < len; i++) {
            state = state * 1103515245u + 12345u;
            buf[i] = alphabet[(state >> 16) % sizeof(alphabet)];
        }
        for (int f = 0; f < 2; f++) {
            enum pg_doc_format format = f == 0 ? PG_FORMAT_YAML : PG_FORMAT_JSON;
            uint32_t want = reference_lines(buf, len, format);
            uint32_t got = pg_stream_count_lines((const char *)buf, len, format);
            if (got != want) {
                PG_FAIL_AT("round %d format %d: got %u want %u", round, f, got, want);
                return;
            }
        }
    }
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_count_lines_each_break_kind)
                 PG_TEST_ENTRY(test_count_lines_break_cut_at_the_end)
                     PG_TEST_ENTRY(test_count_lines_matches_reference_on_random_bytes))
