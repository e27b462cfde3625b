/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fast JSON reader (json_fast.c) against the checking one it falls back
 * to: over valid documents and thousands of seeded mutations of them, under
 * default and tiny limits, reading with and without the fast reader must give
 * the same results, errors (code, message, position), document indices and
 * lines, and trees (kinds, values, texts, positions, key order, duplicate-key
 * warnings). Build with -DMUTATIONS=N for a longer run.
 */
#include "harness.h"

#include "json_readers_compare.h"
#include "podgate/buf.h"

#include <stdlib.h>

#ifndef MUTATIONS
#define MUTATIONS 30000
#endif

/* The keys whose values the "unread" runs leave unbuilt: containers in the seeds, at several
   depths, one of them duplicated and one written with escapes (`\u0022quoted\u0022 key`). */
static bool test_unread(const char *key, size_t len)
{
    static const char *const KEYS[] = {"labels",         "n",           "e", "a", "ports", "bom",
                                       "\"quoted\" key", "capabilities"};
    size_t i = 0;
    for (i = 0; i < sizeof(KEYS) / sizeof(KEYS[0]); i++) {
        if (strlen(KEYS[i]) == len && memcmp(KEYS[i], key, len) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * Compare both readers on one input; prints the input when they differ. With `unread`, the fast
 * reader leaves test_unread's values unbuilt and may only differ by that.
 */
static bool readers_agree(const char *text, size_t len, const struct pg_limits *limits, bool unread)
{
    struct outcome fast;
    struct outcome checked;
    const char *diff = NULL;
    size_t i = 0;
    read_outcome(&fast, text, len, limits, false, unread ? test_unread : NULL);
    read_outcome(&checked, text, len, limits, true, NULL);
    diff = difference(&fast, &checked, unread);
    if (diff != NULL) {
        printf("#   readers differ (%s%s) on %zu bytes:\n#   ", diff, unread ? ", unread" : "",
               len);
        for (i = 0; i < len; i++) {
            unsigned char c = (unsigned char)text[i];
            printf(c >= 0x20 && c < 0x7F && c != '\\' ? "%c" : "\\x%02x", c);
        }
        printf("\n");
    }
    release_outcome(&fast);
    release_outcome(&checked);
    return diff == NULL;
}

static const char *const SEEDS[] = {
    "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": "
    "\"caf\xC3\xA9\","
    " \"labels\": {\"\xE6\x97\xA5\": \"\xF0\x9F\x98\x80\", \"a\": \"b\"}},\n  \"spec\": {"
    "\"hostNetwork\": false, \"containers\": [\n    {\"name\": \"app\", \"image\": \"x\","
    " \"ports\": [{\"containerPort\": 8080, \"hostPort\": -0}],\n     \"securityContext\": "
    "{\"runAsUser\": 9223372036854775807, \"capabilities\": {\"add\": [], \"drop\": [\"ALL\"]}}}"
    "],\n  \"volumes\": [{}, {\"name\": null, \"emptyDir\": {}}]}\n}\n",
    "{\"s\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u0041\\ud83d\\ude00\",\"n\":[0,-1,1.5,1e10,"
    "-2.5E-3,1E+2,9223372036854775808,-9223372036854775808,-9223372036854775809],"
    "\"l\":[true,false,null],\"e\":[[],{},[[]],{\"\":\"\"}]}",
    "{\"a\": 1,\n \"b\": 2,\n \"a\": {\"x\": true}, \"a\": [1]}",
    ("{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,"
     "\"k10\":10,\"k11\":11,\"k12\":12,\"k13\":13,\"k14\":14,\"k15\":15,\"k16\":16,\"k3\":33}"),
    "{\"a\":1}{\"b\":[2,3]} [4]\n\"str\" 5 true\r\n[\"\xC3\xA9\xC3\xA9\"] {\"c\":\"\xE2\x82\xAC\"}",
    "\xEF\xBB\xBF{\"bom\": [1, 2]}\r\n{\"crlf\":\r\n \"x\"}",
    "[[[[[[[[1]]]]]]]]",
    "{\"\\u0022quoted\\u0022 key\": {\"a\\u00e9\": \"\xC3\xA9\\n\xE2\x80\xA8\"}}",
};

static const char INTERESTING[] = {'"',  '\\', '{',  '}',    '[',    ']',    ',',    ':',
                                   ' ',  '\n', '0',  '-',    'e',    '.',    't',    'u',
                                   '\0', 0x1F, 0x7F, '\xC3', '\xA9', '\xED', '\xFF', 'a'};

/* xorshift64: a fixed sequence, so every run tests the same inputs. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* One to three random edits of `text` (len bytes, room for len + 8) in place. */
static size_t mutate(char *text, size_t len, uint64_t *state)
{
    size_t edits = 1 + next_random(state) % 3;
    size_t e = 0;
    for (e = 0; e < edits && len > 0; e++) {
        size_t at = next_random(state) % len;
        char byte = INTERESTING[next_random(state) % sizeof(INTERESTING)];
        switch (next_random(state) % 4) {
        case 0:
            text[at] = byte;
            break;
        case 1:
            memmove(text + at + 1, text + at, len - at);
            text[at] = byte;
            len++;
            break;
        case 2:
            memmove(text + at, text + at + 1, len - at - 1);
            len--;
            break;
        default:
            len = at;
            break;
        }
    }
    return len;
}

static void tiny_limits(struct pg_limits *limits, uint64_t *state)
{
    pg_limits_default(limits);
    limits->max_depth = 1 + next_random(state) % 6;
    limits->max_nodes = 1 + next_random(state) % 40;
    limits->max_string_bytes = next_random(state) % 12;
    limits->max_document_bytes = 1 + next_random(state) % 200;
}

static size_t count_unread(const struct pg_node *node)
{
    size_t count = 0;
    size_t i = 0;
    if (node == NULL) {
        return 0;
    }
    if (node->kind == PG_NODE_UNREAD) {
        return 1;
    }
    for (i = 0; node->kind == PG_NODE_SEQ && i < node->as.seq.len; i++) {
        count += count_unread(node->as.seq.items[i]);
    }
    for (i = 0; node->kind == PG_NODE_MAP && i < node->as.map.len; i++) {
        count += count_unread(node->as.map.entries[i].value);
    }
    return count;
}

static void test_json_fast_reader_agrees_on_valid_documents(void)
{
    size_t i = 0;
    size_t unread = 0;
    for (i = 0; i < sizeof(SEEDS) / sizeof(SEEDS[0]); i++) {
        struct outcome fast;
        PG_EXPECT(readers_agree(SEEDS[i], strlen(SEEDS[i]), NULL, false));
        PG_EXPECT(readers_agree(SEEDS[i], strlen(SEEDS[i]), NULL, true));
        read_outcome(&fast, SEEDS[i], strlen(SEEDS[i]), NULL, false, test_unread);
        /* Every seed is valid: no error hides a disagreement on trees. */
        for (size_t d = 0; d < fast.docs.count; d++) {
            PG_EXPECT_INT(fast.docs.rc[d], 1);
            unread += count_unread(fast.docs.doc[d]->root);
        }
        release_outcome(&fast);
    }
    /* labels, n, e, a (twice, the later one kept), ports, bom, "quoted" key, capabilities */
    PG_EXPECT_INT(unread, 8);
}

static void test_json_fast_reader_agrees_on_mutations(void)
{
    uint64_t state = 0x9E3779B97F4A7C15ull;
    size_t disagreements = 0;
    size_t i = 0;
    for (i = 0; i < MUTATIONS && disagreements < 5; i++) {
        const char *seed = SEEDS[next_random(&state) % (sizeof(SEEDS) / sizeof(SEEDS[0]))];
        size_t len = strlen(seed);
        char *text = malloc(len + 8);
        struct pg_limits limits;
        struct pg_limits defaults;
        PG_EXPECT(text != NULL);
        memcpy(text, seed, len + 1);
        len = mutate(text, len, &state);
        for (int unread = 0; unread < 2; unread++) {
            if (!readers_agree(text, len, NULL, unread)) {
                disagreements++;
            }
        }
        tiny_limits(&limits, &state);
        if (!readers_agree(text, len, &limits, false)) {
            disagreements++;
        }
        /* Unread values take no nodes, so only a reader that builds them can run out. */
        pg_limits_default(&defaults);
        limits.max_nodes = defaults.max_nodes;
        if (!readers_agree(text, len, &limits, true)) {
            disagreements++;
        }
        free(text);
    }
    PG_EXPECT_INT(disagreements, 0);
}

/*
 * Past the cap on duplicate-key warnings (100 a document), which ones the checking reader shows
 * depends on the duplicates inside values the fast reader leaves unbuilt: here it shows only
 * those, the fast reader the two after them.
 */
static void test_json_fast_reader_agrees_past_the_warnings_cap(void)
{
    struct pg_buf text = PG_BUF_INIT;
    size_t i = 0;
    pg_buf_puts(&text, "{\"labels\": {");
    for (i = 0; i < 150; i++) {
        pg_buf_puts(&text, i == 0 ? "\"k\": 1" : ", \"k\": 1");
    }
    pg_buf_puts(&text, "}, \"b\": 1, \"b\": 2, \"b\": 3}");
    PG_EXPECT(readers_agree(text.ptr, text.len, NULL, false));
    PG_EXPECT(readers_agree(text.ptr, text.len, NULL, true));
    pg_buf_release(&text);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_json_fast_reader_agrees_on_valid_documents)                                 \
    PG_TEST_ENTRY(test_json_fast_reader_agrees_on_mutations)                                       \
    PG_TEST_ENTRY(test_json_fast_reader_agrees_past_the_warnings_cap)

PG_TEST_MAIN(TESTS)
