/* SPDX-License-Identifier: Apache-2.0 */
/* The CLI's stream cutting: line counting against a byte-by-byte reference. */
#include "harness.h"
#include "stream.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The same answer as the reference for data[0, len) in both formats; false after a failure. */
static bool same_as_reference(const unsigned char *data, size_t len, const char *what)
{
    for (int f = 0; f < 2; f++) {
        enum pg_doc_format format = f == 0 ? PG_FORMAT_YAML : PG_FORMAT_JSON;
        uint32_t want = reference_lines(data, len, format);
        uint32_t got = pg_stream_count_lines((const char *)data, len, format);
        if (got != want) {
            PG_FAIL_AT("%s, length %zu, format %d: got %u want %u", what, len, f, got, want);
            return false;
        }
    }
    return true;
}

/* Bytes drawn mostly from the break alphabet, whole and partial, so every combination occurs. */
static void fill_random(unsigned char *buf, size_t len, uint32_t *state)
{
    static const unsigned char alphabet[] = {'\n', '\r', 0xC2, 0x85, 0xE2, 0x80,
                                             0xA8, 0xA9, 0xAA, 0x0A, 'x',  '-'};
    for (size_t i = 0; i < len; i++) {
        *state = *state * 1103515245u + 12345u;
        buf[i] = alphabet[(*state >> 16) % sizeof(alphabet)];
    }
}

static void test_count_lines_matches_reference_on_random_bytes(void)
{
    /* Every length 0..100 at every offset 0..15 from a 16-byte boundary, so each break
       kind falls on, before and across the block edges of the vector loop. */
    _Alignas(16) unsigned char buf[128];
    uint32_t state = 12345;
    for (int round = 0; round < 40; round++) {
        for (size_t offset = 0; offset < 16; offset++) {
            for (size_t len = 0; len <= 100; len++) {
                fill_random(buf, sizeof(buf), &state);
                if (!same_as_reference(buf + offset, len, "random bytes")) {
                    return;
                }
            }
        }
    }
}

static void test_count_lines_matches_reference_on_long_dense_input(void)
{
    /* More than 255 blocks of breaks: the vector loop's byte counters must not wrap. */
    static unsigned char buf[20000];
    uint32_t state = 777;
    fill_random(buf, sizeof(buf), &state);
    PG_EXPECT(same_as_reference(buf, sizeof(buf), "dense breaks"));
    memset(buf, '\n', sizeof(buf));
    PG_EXPECT(same_as_reference(buf, sizeof(buf), "only LF"));
    PG_EXPECT_INT(pg_stream_count_lines((const char *)buf, sizeof(buf), PG_FORMAT_YAML),
                  sizeof(buf));
    memset(buf, '\r', sizeof(buf));
    PG_EXPECT(same_as_reference(buf, sizeof(buf), "only CR"));
}

/* Each file of `dir` (not recursive) from several starts and ends against the reference. */
static bool same_on_files(const char *dir)
{
    static unsigned char data[1 << 16];
    char path[4096];
    DIR *listing = opendir(dir);
    struct dirent *entry = NULL;
    bool ok = listing != NULL;
    while (ok && (entry = readdir(listing)) != NULL) {
        FILE *file = NULL;
        size_t len = 0;
        int written = snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
        if (written < 0 || (size_t)written >= sizeof(path) || entry->d_name[0] == '.') {
            continue;
        }
        file = fopen(path, "rb");
        if (file == NULL) {
            continue; /* a directory */
        }
        len = fread(data, 1, sizeof(data), file);
        (void)fclose(file);
        for (size_t start = 0; ok && start < 17 && start <= len; start++) {
            for (size_t cut = 0; ok && cut < 4 && cut <= len - start; cut++) {
                ok = same_as_reference(data + start, len - start - cut, path);
            }
        }
    }
    if (listing != NULL) {
        (void)closedir(listing);
    }
    return ok;
}

static void test_count_lines_matches_reference_on_fixtures(void)
{
    /* Real manifests: CRLF files, NEL breaks, BOMs, control characters, JSON. */
    static const char *const DIRS[] = {"fuzz/corpus/yaml_doc", "fuzz/corpus/json_doc",
                                       "fuzz/corpus/scan", "tests/cli/data", "examples"};
    char dir[4096];
    for (size_t i = 0; i < sizeof(DIRS) / sizeof(DIRS[0]); i++) {
        int written = snprintf(dir, sizeof(dir), "%s/%s", PG_SOURCE_DIR, DIRS[i]);
        PG_EXPECT(written > 0 && (size_t)written < sizeof(dir));
        PG_EXPECT(same_on_files(dir));
    }
}

static size_t json_cut_of(const char *text)
{
    return pg_stream_find_cut(text, strlen(text), PG_FORMAT_JSON);
}

/* Parts start a line: text after a value on its line stays in the value's part. */
static void test_json_cut_only_where_a_line_starts(void)
{
    PG_EXPECT_INT(json_cut_of("{\"a\":1}\n{\"b\":2}\n"), 16);
    PG_EXPECT_INT(json_cut_of("{\"a\":1}  \r\n[2]"), 11);
    PG_EXPECT_INT(json_cut_of("{\"a\":1} {\"b\":2} tru\n"), 0);
    PG_EXPECT_INT(json_cut_of("{\"a\":1}\n{\"b\":2} x\n[3]"), 8);
    PG_EXPECT_INT(json_cut_of("{\"a\":\"}\\n\"}\n"), 12);
    PG_EXPECT_INT(json_cut_of("{\"a\":\n1}"), 0);
}

/* A long run of values on one line is still cut (after its last complete value). */
static void test_json_cut_inside_a_long_line(void)
{
    const char value[] = "{\"a\":1} ";
    size_t count = (1024 * 1024) / (sizeof(value) - 1) + 1;
    size_t len = count * (sizeof(value) - 1);
    char *text = malloc(len + 1);
    for (size_t i = 0; i < count; i++) {
        memcpy(text + i * (sizeof(value) - 1), value, sizeof(value) - 1);
    }
    text[len] = '\0';
    PG_EXPECT_INT(pg_stream_find_cut(text, len, PG_FORMAT_JSON), len - 1);
    free(text);
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_json_cut_only_where_a_line_starts) PG_TEST_ENTRY(
    test_json_cut_inside_a_long_line) PG_TEST_ENTRY(test_count_lines_each_break_kind)
                 PG_TEST_ENTRY(test_count_lines_break_cut_at_the_end)
                     PG_TEST_ENTRY(test_count_lines_matches_reference_on_random_bytes)
                         PG_TEST_ENTRY(test_count_lines_matches_reference_on_long_dense_input)
                             PG_TEST_ENTRY(test_count_lines_matches_reference_on_fixtures))
