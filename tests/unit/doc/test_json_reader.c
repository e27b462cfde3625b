/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON reader: streams, numbers, escapes, strict syntax, positions and limits. */
#include "harness.h"

#include "doc/doc_test_util.h"
#include "podgate/doc.h"

/* The single error of reading `text` as JSON: its code, or 1 when it read cleanly. */
static int json_error_of(const char *text, size_t len, struct pg_error *err)
{
    struct docs docs;
    int rc = 0;
    read_docs_len(&docs, text, len, PG_FORMAT_JSON, NULL);
    rc = docs.count == 1 ? docs.rc[0] : 99;
    if (err != NULL) {
        *err = docs.err[0];
    }
    free_docs(&docs);
    return rc;
}

static void test_json_stream_of_three_objects(void)
{
    struct docs docs;
    read_docs(&docs, "{\"a\": 1}\n{\"b\": 2}\n\n  {\"c\": [3]}\n", PG_FORMAT_JSON);
    PG_EXPECT_INT(docs.count, 3);
    PG_EXPECT_INT(docs.rc[2], 1);
    PG_EXPECT_INT(docs.doc[0]->index, 0);
    PG_EXPECT_INT(docs.doc[1]->index, 1);
    PG_EXPECT_INT(docs.doc[2]->index, 2);
    PG_EXPECT_INT(docs.doc[0]->line, 1);
    PG_EXPECT_INT(docs.doc[1]->line, 2);
    PG_EXPECT_INT(docs.doc[2]->line, 4);
    PG_EXPECT_INT(docs.doc[2]->root->column, 3);
    PG_EXPECT_INT(node_at(docs.doc[2]->root, "c.0")->as.integer, 3);
    free_docs(&docs);
}

static void test_json_concatenated_values_without_separators(void)
{
    struct docs docs;
    read_docs(&docs, "{}[1]\"s\" 42 true null", PG_FORMAT_JSON);
    PG_EXPECT_INT(docs.count, 6);
    PG_EXPECT_INT(docs.doc[0]->root->kind, PG_NODE_MAP);
    PG_EXPECT_INT(docs.doc[1]->root->kind, PG_NODE_SEQ);
    PG_EXPECT_PGSTR(docs.doc[2]->root->as.str, "s");
    PG_EXPECT_INT(docs.doc[3]->root->as.integer, 42);
    PG_EXPECT_INT(docs.doc[4]->root->kind, PG_NODE_BOOL);
    PG_EXPECT_INT(docs.doc[5]->root->kind, PG_NODE_NULL);
    PG_EXPECT_INT(docs.doc[5]->root->column, 18);
    free_docs(&docs);
}

static void test_json_big_number_is_float_keeping_text(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "[12345678901234567890, 9223372036854775807, -9223372036854775808, 1.5e300]",
              PG_FORMAT_JSON);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_INT(node_at(root, "0")->kind, PG_NODE_FLOAT);
    PG_EXPECT_PGSTR(node_at(root, "0")->text, "12345678901234567890");
    PG_EXPECT(node_at(root, "0")->as.number == 12345678901234567890.0);
    PG_EXPECT_INT(node_at(root, "1")->kind, PG_NODE_INT);
    PG_EXPECT_INT(node_at(root, "1")->as.integer, INT64_MAX);
    PG_EXPECT_INT(node_at(root, "2")->as.integer, INT64_MIN);
    PG_EXPECT_INT(node_at(root, "3")->kind, PG_NODE_FLOAT);
    free_docs(&docs);
}

static void test_json_numbers_and_literals(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "{\"i\": -0, \"f\": 1.25, \"e\": 2E+2, \"t\": true, \"n\": null, \"z\": 0}",
              PG_FORMAT_JSON);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_INT(node_at(root, "i")->kind, PG_NODE_INT);
    PG_EXPECT_INT(node_at(root, "i")->as.integer, 0);
    PG_EXPECT(node_at(root, "f")->as.number == 1.25);
    PG_EXPECT(node_at(root, "e")->as.number == 200.0);
    PG_EXPECT_PGSTR(node_at(root, "e")->text, "2E+2");
    PG_EXPECT(node_at(root, "t")->as.boolean);
    PG_EXPECT_PGSTR(node_at(root, "t")->text, "true");
    PG_EXPECT_INT(node_at(root, "n")->kind, PG_NODE_NULL);
    PG_EXPECT_INT(node_at(root, "z")->kind, PG_NODE_INT);
    free_docs(&docs);
}

static void test_json_invalid_numbers_and_literals_fail(void)
{
    static const char *const CASES[] = {"[01]",    "[1.]",  "[.5]",       "[+1]",   "[1e]",
                                        "[-]",     "[tru]", "[nul]",      "[True]", "[0x10]",
                                        "[1.5.2]", "[NaN]", "[-Infinity]"};
    size_t i = 0;
    struct pg_error err;
    for (i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        int rc = json_error_of(CASES[i], strlen(CASES[i]), &err);
        if (rc != PG_EPARSE) {
            printf("#   %s read as %d\n", CASES[i], rc);
        }
        PG_EXPECT_INT(rc, PG_EPARSE);
        PG_EXPECT_INT(err.line, 1);
        PG_EXPECT_INT(err.column, 2);
    }
}

static void test_json_escapes(void)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    read_docs(&docs, "[\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u0041\"]", PG_FORMAT_JSON);
    node = node_at(root_of(&docs), "0");
    PG_EXPECT(node != NULL);
    PG_EXPECT_PGSTR(node->as.str, "q\" b\\ s/ \b\f\n\r\t \xC3\xA9"
                                  "A");
    PG_EXPECT_PGSTR(node->text, "q\" b\\ s/ \b\f\n\r\t \xC3\xA9"
                                "A");
    free_docs(&docs);
}

static void test_json_surrogate_pairs(void)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    read_docs(&docs, "{\"e\": \"\\ud83d\\ude00!\", \"k\\u00e9y\": 1}", PG_FORMAT_JSON);
    node = node_at(root_of(&docs), "e");
    PG_EXPECT(node != NULL);
    PG_EXPECT_PGSTR(node->as.str, "\xF0\x9F\x98\x80!");
    PG_EXPECT(node_at(root_of(&docs), "k\xC3\xA9y") != NULL);
    free_docs(&docs);
}

static void test_json_bad_escapes_and_lone_surrogates_fail(void)
{
    static const char *const CASES[] = {"[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]",
                                        "[\"\\q\"]",     "[\"\\u12\"]",   "[\"\\x41\"]"};
    size_t i = 0;
    struct pg_error err;
    for (i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        PG_EXPECT_INT(json_error_of(CASES[i], strlen(CASES[i]), &err), PG_EPARSE);
        PG_EXPECT_INT(err.line, 1);
        PG_EXPECT(err.column >= 2 && err.column <= 3);
    }
}

static void test_json_duplicate_key_last_wins_with_warning(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "{\"a\": 1,\n \"b\": 2,\n \"a\": {\"x\": true}}", PG_FORMAT_JSON);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_INT(root->as.map.len, 2);
    PG_EXPECT_INT(node_at(root, "a")->kind, PG_NODE_MAP);
    PG_EXPECT(node_at(root, "a.x")->as.boolean);
    PG_EXPECT_INT(docs.doc[0]->warnings_len, 1);
    PG_EXPECT_INT(docs.doc[0]->warnings[0].line, 3);
    PG_EXPECT_INT(docs.doc[0]->warnings[0].column, 2);
    PG_EXPECT(strstr(docs.doc[0]->warnings[0].message.ptr, "duplicate key \"a\"") != NULL);
    free_docs(&docs);
}

static void test_json_truncated_document_fails_and_ends_the_stream(void)
{
    struct docs docs;
    read_docs(&docs, "{\"a\": 1}\n{\"b\": [1, 2\n{\"c\": 3}", PG_FORMAT_JSON);
    PG_EXPECT_INT(docs.count, 2);
    PG_EXPECT_INT(docs.rc[0], 1);
    PG_EXPECT_INT(docs.rc[1], PG_EPARSE);
    PG_EXPECT_INT(docs.index[1], 1);
    PG_EXPECT(strstr(docs.err[1].message, "invalid JSON") != NULL);
    free_docs(&docs);
    read_docs(&docs, "{\"a\": [1, 2", PG_FORMAT_JSON);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_STR(docs.err[0].message, "invalid JSON: unexpected end of input");
    PG_EXPECT_INT(docs.err[0].column, 12);
}

static void test_json_separators_are_checked(void)
{
    static const struct {
        const char *text;
        uint32_t column;
    } CASES[] = {
        {"[1 2]", 4},      {"[1,]", 3},      {"[,1]", 2},
        {"{\"a\":1,}", 7}, {"{\"a\" 1}", 6}, {"{\"a\":1 \"b\":2}", 8},
        {"{\"a\"::1}", 6}, {"[1:2]", 2},     {"{1:2}", 2},
        {"{\"a\":1}}", 8}, {"]", 1},         {"[1]x", 4},
    };
    size_t i = 0;
    struct pg_error err;
    for (i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        int rc = json_error_of(CASES[i].text, strlen(CASES[i].text), &err);
        if (rc == 99) {
            /* `{"a":1}}` and `[1]x`: the first document reads, the junk after it fails. */
            struct docs docs;
            read_docs(&docs, CASES[i].text, PG_FORMAT_JSON);
            rc = docs.rc[docs.count - 1];
            err = docs.err[docs.count - 1];
            free_docs(&docs);
        }
        if (rc != PG_EPARSE || err.column != CASES[i].column) {
            printf("#   %s: rc %d column %u (%s)\n", CASES[i].text, rc, err.column, err.message);
        }
        PG_EXPECT_INT(rc, PG_EPARSE);
        PG_EXPECT_INT(err.column, CASES[i].column);
    }
}

static void test_json_invalid_utf8_fails_with_position(void)
{
    struct pg_error err;
    PG_EXPECT_INT(json_error_of("{\"a\":\n  \"ok\xC3\"}", 14, &err), PG_EPARSE);
    PG_EXPECT_STR(err.message, "invalid JSON: invalid UTF-8 in a string");
    PG_EXPECT_INT(err.line, 2);
    PG_EXPECT_INT(err.column, 6);
    PG_EXPECT_INT(json_error_of("[\"\xED\xA0\x80\"]", 7, &err), PG_EPARSE);
}

static void test_json_control_characters_and_nul_fail(void)
{
    struct pg_error err;
    PG_EXPECT_INT(json_error_of("[\"a\tb\"]", 7, &err), PG_EPARSE);
    PG_EXPECT_INT(err.column, 4);
    PG_EXPECT_INT(json_error_of("[\"a\0b\"]", 7, &err), PG_EPARSE);
    PG_EXPECT_INT(err.column, 4);
    PG_EXPECT_INT(json_error_of("[1,\0]", 5, &err), PG_EPARSE);
    PG_EXPECT_INT(err.column, 4);
    /* A control character after a multi-byte character (found by the fuzz corpus). */
    PG_EXPECT_INT(json_error_of("\"\xC3\xA9\nb\"", 6, &err), PG_EPARSE);
    PG_EXPECT_STR(err.message, "invalid JSON: control character in a string");
    PG_EXPECT_INT(err.column, 3);
}

static void test_json_positions_of_keys_and_values(void)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    read_docs(&docs,
              "{\n  \"spec\": {\n    \"containers\": [\n      {\"name\": \"app\", \"image\": "
              "\"caf\xC3\xA9\"}\n    ]\n  }\n}\n",
              PG_FORMAT_AUTO);
    node = node_at(root_of(&docs), "spec.containers");
    PG_EXPECT(node != NULL);
    PG_EXPECT_INT(node->key_line, 3);
    PG_EXPECT_INT(node->key_column, 5);
    PG_EXPECT_INT(node->line, 3);
    PG_EXPECT_INT(node->column, 19);
    node = node_at(root_of(&docs), "spec.containers.0.image");
    PG_EXPECT_INT(node->line, 4);
    PG_EXPECT_INT(node->key_column, 23);
    PG_EXPECT_INT(node->column, 32);
    PG_EXPECT_INT(node_at(root_of(&docs), "spec.containers.0")->column, 7);
    free_docs(&docs);
}

static void test_json_deep_nesting_fails_with_limit(void)
{
    size_t depth = 10000;
    char *text = malloc(depth * 2);
    struct pg_error err;
    PG_EXPECT(text != NULL);
    memset(text, '[', depth);
    memset(text + depth, ']', depth);
    PG_EXPECT_INT(json_error_of(text, depth * 2, &err), PG_ELIMIT);
    PG_EXPECT_STR(err.message, "nesting deeper than 256 (max_depth)");
    PG_EXPECT_INT(err.column, 257);
    free(text);
}

static void test_json_node_limit_is_checked_before_tokenizing(void)
{
    struct pg_limits limits;
    struct docs docs;
    pg_limits_default(&limits);
    limits.max_nodes = 3;
    read_docs_len(&docs, "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", 31, PG_FORMAT_JSON, &limits);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[0].message, "document has more than 3 nodes (max_nodes)");
    PG_EXPECT_INT(docs.err[0].column, 8); /* the fourth node, though counted as tokens */
    read_docs_len(&docs, "[1, 2, 3]", 9, PG_FORMAT_JSON, &limits);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[0].message, "document has more than 3 nodes (max_nodes)");
    read_docs_len(&docs, "[1, 2]", 6, PG_FORMAT_JSON, &limits);
    PG_EXPECT_INT(docs.rc[0], 1);
    free_docs(&docs);
    pg_limits_default(&limits);
    limits.max_string_bytes = 3;
    read_docs_len(&docs, "{\"k\": \"abcd\"}", 13, PG_FORMAT_JSON, &limits);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[0].message, "scalar longer than 3 bytes (max_string_bytes)");
    PG_EXPECT_INT(docs.err[0].column, 7);
    pg_limits_default(&limits);
    limits.max_document_bytes = 8;
    read_docs_len(&docs, "[1] [1, 2, 3, 4]", 16, PG_FORMAT_JSON, &limits);
    PG_EXPECT_INT(docs.count, 2);
    PG_EXPECT_INT(docs.rc[1], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[1].message, "document larger than 8 bytes (max_document_bytes)");
    free_docs(&docs);
}

/* The node past the limit, found from the token count (more tokens than 2 * max_nodes + 3). */
static void test_json_node_limit_counted_in_tokens_names_the_node(void)
{
    struct pg_limits limits;
    struct docs docs;
    const char *text = "{\"a\": 1, \"b\": 2,\n \"c\": \"three\", \"d\": 4, \"e\": 5}";
    pg_limits_default(&limits);
    limits.max_nodes = 3;
    read_docs_len(&docs, text, strlen(text), PG_FORMAT_JSON, &limits);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[0].message, "document has more than 3 nodes (max_nodes)");
    PG_EXPECT_INT(docs.err[0].line, 2);
    PG_EXPECT_INT(docs.err[0].column, 7);
    free_docs(&docs);
}

/* Each limit, crossed in the first of three documents, costs that document alone. */
static void test_json_limit_error_costs_only_its_document(void)
{
    static const char *const text = "{\"a\": [[[\"long string\", 1, 2, 3]]]}\n"
                                    "{\"b\": 2}\n"
                                    "[3]\n";
    struct pg_limits limits;
    struct docs docs;
    read_docs(&docs, text, PG_FORMAT_JSON);
    PG_EXPECT_INT(docs.count, 3);
    PG_EXPECT_INT(docs.rc[0], 1);
    free_docs(&docs);
    for (int which = 0; which < 4; which++) {
        pg_limits_default(&limits);
        limits.max_string_bytes = which == 0 ? 5 : limits.max_string_bytes;
        limits.max_nodes = which == 1 ? 4 : limits.max_nodes;
        limits.max_depth = which == 2 ? 3 : limits.max_depth;
        limits.max_document_bytes = which == 3 ? 20 : limits.max_document_bytes;
        read_docs_len(&docs, text, strlen(text), PG_FORMAT_JSON, &limits);
        PG_EXPECT_INT(docs.count, 3);
        PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
        PG_EXPECT_INT(docs.rc[1], 1);
        PG_EXPECT_INT(docs.rc[2], 1);
        PG_EXPECT_INT(docs.index[1], 1);
        PG_EXPECT_INT(docs.doc[2]->index, 2);
        PG_EXPECT_INT(docs.doc[1]->line, 2);
        PG_EXPECT_INT(docs.doc[2]->root->line, 3);
        PG_EXPECT_INT(node_at(docs.doc[1]->root, "b")->as.integer, 2);
        free_docs(&docs);
    }
}

/* Too deep and never closed: no end to resume after, and the error says so. */
static void test_json_depth_limit_in_unended_document_stops_the_stream(void)
{
    static const char *const text = "{\"a\": [[[[\n{\"b\": 2}\n";
    struct pg_limits limits;
    struct docs docs;
    pg_limits_default(&limits);
    limits.max_depth = 3;
    read_docs_len(&docs, text, strlen(text), PG_FORMAT_JSON, &limits);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[0].message, "nesting deeper than 3 (max_depth); the document does not "
                                       "end, so nothing after it is read");
    PG_EXPECT_INT(docs.err[0].column, 9);
    free_docs(&docs);
}

static void test_json_strings_without_escapes_are_views(void)
{
    const char *text = "{\"key\": \"value\", \"esc\": \"a\\nb\"}";
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, text, PG_FORMAT_JSON);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT(root->as.map.entries[0].key.ptr == text + 2);
    PG_EXPECT(node_at(root, "key")->as.str.ptr == text + 9);
    PG_EXPECT(node_at(root, "esc")->as.str.ptr != text + 25);
    PG_EXPECT_PGSTR(node_at(root, "esc")->as.str, "a\nb");
    free_docs(&docs);
}

static void test_json_bom_and_auto_detection(void)
{
    struct docs docs;
    read_docs(&docs, "\xEF\xBB\xBF  [true]", PG_FORMAT_AUTO);
    PG_EXPECT(root_of(&docs) != NULL);
    PG_EXPECT_INT(root_of(&docs)->kind, PG_NODE_SEQ);
    PG_EXPECT_INT(root_of(&docs)->column, 3);
    free_docs(&docs);
    /* Auto-detection sends a `{` source to JSON, where YAML flow syntax is an error. */
    read_docs(&docs, "{a: 1}", PG_FORMAT_AUTO);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    read_docs(&docs, "{a: 1}", PG_FORMAT_YAML);
    PG_EXPECT_INT(node_at(root_of(&docs), "a")->as.integer, 1);
    free_docs(&docs);
}

#define TEST(fn)                                                                                   \
    {                                                                                              \
#fn, fn                                                                                    \
    }

int main(void)
{
    static const struct pg_test_case cases[] = {
        TEST(test_json_stream_of_three_objects),
        TEST(test_json_concatenated_values_without_separators),
        TEST(test_json_big_number_is_float_keeping_text),
        TEST(test_json_numbers_and_literals),
        TEST(test_json_invalid_numbers_and_literals_fail),
        TEST(test_json_escapes),
        TEST(test_json_surrogate_pairs),
        TEST(test_json_bad_escapes_and_lone_surrogates_fail),
        TEST(test_json_duplicate_key_last_wins_with_warning),
        TEST(test_json_truncated_document_fails_and_ends_the_stream),
        TEST(test_json_separators_are_checked),
        TEST(test_json_invalid_utf8_fails_with_position),
        TEST(test_json_control_characters_and_nul_fail),
        TEST(test_json_positions_of_keys_and_values),
        TEST(test_json_deep_nesting_fails_with_limit),
        TEST(test_json_node_limit_is_checked_before_tokenizing),
        TEST(test_json_node_limit_counted_in_tokens_names_the_node),
        TEST(test_json_limit_error_costs_only_its_document),
        TEST(test_json_depth_limit_in_unended_document_stops_the_stream),
        TEST(test_json_strings_without_escapes_are_views),
        TEST(test_json_bom_and_auto_detection),
    };
    return pg_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
