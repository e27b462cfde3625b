/* SPDX-License-Identifier: Apache-2.0 */
/* The YAML document splitter: chunk bounds and line numbers, on both of its line scans. */
#include "harness.h"

#include "doc/yaml_split.h"

#include <stdio.h>
#include <string.h>

/* Lines that start like a marker but are not one, then markers, in a cycle. */
static const char *const LINES[] = {
    "a: 1",  "- item", "-x",         "--x",       "---x", "..x",  "  - nested",
    ".",     "--- ",   "key: value", "---",       "b: 2", "...",  "c: [1, 2]",
    "--- c", "d: e",   "---\t",      "# comment", "",     "....",
};

/* A stream of `count` lines from LINES, the n-th line padded by n % 17 spaces of indentation
 * (content lines only), so that every line start falls on every offset of a 16-byte block. */
static size_t build_stream(char *out, size_t cap, size_t count)
{
    size_t len = 0;
    for (size_t n = 0; n < count; n++) {
        const char *line = LINES[n % (sizeof(LINES) / sizeof(LINES[0]))];
        size_t pad = line[0] >= 'a' && line[0] <= 'z' ? n % 17 : 0;
        int wrote = 0;
        if (pad != 0) {
            /* An indented key is still content: only column 0 decides markers. */
            wrote = snprintf(out + len, cap - len, "%*s%s\n", (int)pad, "", line);
        } else {
            wrote = snprintf(out + len, cap - len, "%s\n", line);
        }
        if (wrote < 0 || (size_t)wrote >= cap - len) {
            return len;
        }
        len += (size_t)wrote;
    }
    return len;
}

static void expect_same_chunks(const char *text, size_t len)
{
    size_t fast_pos = 0;
    size_t slow_pos = 0;
    uint32_t fast_line = 1;
    uint32_t slow_line = 1;
    size_t chunks = 0;
    for (;;) {
        struct pg_yaml_chunk fast;
        struct pg_yaml_chunk slow;
        bool fast_more = pg_yaml_split_next(&fast, text, len, fast_pos, fast_line, true);
        bool slow_more = pg_yaml_split_next(&slow, text, len, slow_pos, slow_line, false);
        PG_EXPECT_INT(fast_more, slow_more);
        if (!fast_more || !slow_more) {
            break;
        }
        PG_EXPECT_INT(fast.start, slow.start);
        PG_EXPECT_INT(fast.end, slow.end);
        PG_EXPECT_INT(fast.line, slow.line);
        PG_EXPECT_INT(fast.marker_line, slow.marker_line);
        /* A last line without a break ends the input: only the general scan counts it. */
        if (fast.end < len || text[len - 1] == '\n') {
            PG_EXPECT_INT(fast.next_line, slow.next_line);
        }
        PG_EXPECT_INT(fast.trailing, slow.trailing);
        fast_pos = fast.end;
        fast_line = fast.next_line;
        slow_pos = slow.end;
        slow_line = slow.next_line;
        chunks++;
    }
    PG_EXPECT(chunks > 0);
}

static void test_split_simple_breaks_match_the_general_scan(void)
{
    static char text[64 * 1024];
    for (size_t count = 1; count < 400; count += 7) {
        size_t len = build_stream(text, sizeof(text), count);
        expect_same_chunks(text, len);
        /* Without the last newline: a marker may end the input. */
        expect_same_chunks(text, len - 1);
    }
}

static void test_split_marker_on_every_block_offset(void)
{
    char text[256];
    for (size_t pad = 0; pad < 40; pad++) {
        struct pg_yaml_chunk chunk;
        int wrote = snprintf(text, sizeof(text), "a: %*s\nb: 1\n---\nc: 2\n", (int)pad, "x");
        size_t len = (size_t)wrote;
        PG_EXPECT(pg_yaml_split_next(&chunk, text, len, 0, 1, true));
        PG_EXPECT_INT(chunk.end, (size_t)(strstr(text, "---") - text));
        PG_EXPECT_INT(chunk.next_line, 3);
        PG_EXPECT(pg_yaml_split_next(&chunk, text, len, chunk.end, chunk.next_line, true));
        PG_EXPECT_INT(chunk.marker_line, 3);
        PG_EXPECT_INT(chunk.end, len);
        PG_EXPECT_INT(chunk.next_line, 5);
    }
}

static void test_split_counts_lines_without_a_marker(void)
{
    static const char text[] = "a: 1\nb:\n  - x\n  - y\n-z: 3\n..x: 4\nlast: line without break";
    struct pg_yaml_chunk chunk;
    PG_EXPECT(pg_yaml_split_next(&chunk, text, sizeof(text) - 1, 0, 10, true));
    PG_EXPECT_INT(chunk.end, sizeof(text) - 1);
    PG_EXPECT_INT(chunk.next_line, 16);
    PG_EXPECT_INT(chunk.marker_line, 0);
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_split_simple_breaks_match_the_general_scan)
                 PG_TEST_ENTRY(test_split_marker_on_every_block_offset)
                     PG_TEST_ENTRY(test_split_counts_lines_without_a_marker))
