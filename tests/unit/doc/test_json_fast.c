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

#include "doc/reader.h"
#include "podgate/doc.h"

#include <stdlib.h>

#ifndef MUTATIONS
#define MUTATIONS 30000
#endif
#define OUTCOME_DOCS 8

struct outcome {
    int new_rc;
    size_t count;
    int rc[OUTCOME_DOCS];
    size_t index[OUTCOME_DOCS];
    struct pg_error err[OUTCOME_DOCS];
    struct pg_doc *doc[OUTCOME_DOCS];
    size_t next_index;
};

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

static void read_outcome(struct outcome *out, const char *text, size_t len,
                         const struct pg_limits *limits, bool checked_only, bool unread)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_error err;
    memset(out, 0, sizeof(*out));
    out->new_rc = pg_doc_reader_new(&reader, text, len, PG_FORMAT_JSON, limits, &err);
    if (out->new_rc < 0) {
        return;
    }
    reader->json_checked_only = checked_only;
    reader->json_unread = unread ? test_unread : NULL;
    while (out->count < OUTCOME_DOCS) {
        size_t i = out->count;
        int rc = pg_doc_reader_next(reader, &out->doc[i], &out->index[i], &out->err[i]);
        if (rc == 0) {
            break;
        }
        out->rc[i] = rc;
        out->count++;
    }
    out->next_index = pg_doc_reader_next_index(reader);
    pg_doc_reader_free(reader);
}

static void release_outcome(struct outcome *out)
{
    size_t i = 0;
    for (i = 0; i < out->count; i++) {
        pg_doc_free(out->doc[i]);
    }
}

static bool same_str(struct pg_str a, struct pg_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool same_scalar(const struct pg_node *a, const struct pg_node *b)
{
    switch (a->kind) {
    case PG_NODE_NULL:
        return true;
    case PG_NODE_BOOL:
        return a->as.boolean == b->as.boolean;
    case PG_NODE_INT:
        return a->as.integer == b->as.integer;
    case PG_NODE_FLOAT:
        return a->as.number == b->as.number; /* JSON has no NaN */
    case PG_NODE_STR:
        return same_str(a->as.str, b->as.str);
    case PG_NODE_SEQ:
    case PG_NODE_MAP:
    case PG_NODE_UNREAD:
        return true;
    }
    return false;
}

/* Whether `a` is an unread node standing for the container `b`, at the same place. */
static bool unread_stands_for(const struct pg_node *a, const struct pg_node *b)
{
    return a->kind == PG_NODE_UNREAD && (b->kind == PG_NODE_SEQ || b->kind == PG_NODE_MAP) &&
           a->line == b->line && a->column == b->column && a->key_line == b->key_line &&
           a->key_column == b->key_column && a->text.len == 0 && a->as.map.len == 0;
}

static bool same_tree(const struct pg_node *a, const struct pg_node *b)
{
    size_t i = 0;
    if (a == NULL || b == NULL) {
        return a == b;
    }
    if (unread_stands_for(a, b)) {
        return true;
    }
    if (a->kind != b->kind || a->line != b->line || a->column != b->column ||
        a->key_line != b->key_line || a->key_column != b->key_column ||
        !same_str(a->text, b->text) || !same_scalar(a, b)) {
        return false;
    }
    if (a->kind == PG_NODE_SEQ) {
        if (a->as.seq.len != b->as.seq.len) {
            return false;
        }
        for (i = 0; i < a->as.seq.len; i++) {
            if (!same_tree(a->as.seq.items[i], b->as.seq.items[i])) {
                return false;
            }
        }
    }
    if (a->kind == PG_NODE_MAP) {
        if (a->as.map.len != b->as.map.len) {
            return false;
        }
        for (i = 0; i < a->as.map.len; i++) {
            if (!same_str(a->as.map.entries[i].key, b->as.map.entries[i].key) ||
                !same_tree(a->as.map.entries[i].value, b->as.map.entries[i].value)) {
                return false;
            }
        }
    }
    return true;
}

static bool same_warning(const struct pg_diag *a, const struct pg_diag *b)
{
    return a->line == b->line && a->column == b->column && same_str(a->message, b->message);
}

/*
 * Whether `a` is `b`, but for unread nodes in `a` when `unread`: then `a` lacks the duplicate-key
 * warnings of the values it did not build, so its warnings need only be a subsequence of b's.
 */
static bool same_doc(const struct pg_doc *a, const struct pg_doc *b, bool unread)
{
    size_t i = 0;
    size_t j = 0;
    if (a->index != b->index || a->line != b->line ||
        (unread ? a->warnings_len > b->warnings_len : a->warnings_len != b->warnings_len)) {
        return false;
    }
    for (i = 0; i < a->warnings_len; i++, j++) {
        while (unread && j < b->warnings_len && !same_warning(&a->warnings[i], &b->warnings[j])) {
            j++;
        }
        if (j == b->warnings_len || !same_warning(&a->warnings[i], &b->warnings[j])) {
            return false;
        }
    }
    return same_tree(a->root, b->root);
}

/* Where two outcomes differ first, or NULL. */
static const char *difference(const struct outcome *fast, const struct outcome *checked,
                              bool unread)
{
    size_t i = 0;
    if (fast->new_rc != checked->new_rc || fast->count != checked->count ||
        fast->next_index != checked->next_index) {
        return "number of documents";
    }
    for (i = 0; i < fast->count; i++) {
        const struct pg_error *a = &fast->err[i];
        const struct pg_error *b = &checked->err[i];
        if (fast->rc[i] != checked->rc[i] || fast->index[i] != checked->index[i]) {
            return "result of a document";
        }
        if (fast->rc[i] < 0 && (a->code != b->code || a->line != b->line ||
                                a->column != b->column || strcmp(a->message, b->message) != 0)) {
            return "error";
        }
        if (fast->rc[i] == 1 && !same_doc(fast->doc[i], checked->doc[i], unread)) {
            return "tree";
        }
    }
    return NULL;
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
    read_outcome(&fast, text, len, limits, false, unread);
    read_outcome(&checked, text, len, limits, true, false);
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
        read_outcome(&fast, SEEDS[i], strlen(SEEDS[i]), NULL, false, true);
        /* Every seed is valid: no error hides a disagreement on trees. */
        for (size_t d = 0; d < fast.count; d++) {
            PG_EXPECT_INT(fast.rc[d], 1);
            unread += count_unread(fast.doc[d]->root);
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

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_json_fast_reader_agrees_on_valid_documents)                                 \
    PG_TEST_ENTRY(test_json_fast_reader_agrees_on_mutations)

PG_TEST_MAIN(TESTS)
