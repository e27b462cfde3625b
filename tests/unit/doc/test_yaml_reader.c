/* SPDX-License-Identifier: Apache-2.0 */
/* The YAML reader: go-yaml v2 scalars, positions, streams, aliases, merges and limits. */
#include "harness.h"

#include "doc/doc_test_util.h"
#include "podgate/doc.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>

/* Kind of the value of `key` in the single document `text`, or -1. */
static int kind_of(const char *text, const char *key)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    int kind = -1;
    read_docs(&docs, text, PG_FORMAT_YAML);
    node = node_at(root_of(&docs), key);
    if (node != NULL) {
        kind = (int)node->kind;
    }
    free_docs(&docs);
    return kind;
}

static void test_yaml_plain_yes_is_true(void)
{
    static const char *const TRUES[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                        "True", "TRUE", "on",  "On",  "ON"};
    static const char *const FALSES[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                         "False", "FALSE", "off", "Off", "OFF"};
    char text[64];
    size_t i = 0;
    struct docs docs;
    for (i = 0; i < sizeof(TRUES) / sizeof(TRUES[0]); i++) {
        (void)snprintf(text, sizeof(text), "a: %s\nb: %s\n", TRUES[i], FALSES[i]);
        read_docs(&docs, text, PG_FORMAT_YAML);
        PG_EXPECT(node_at(root_of(&docs), "a") != NULL);
        PG_EXPECT_INT(node_at(root_of(&docs), "a")->kind, PG_NODE_BOOL);
        PG_EXPECT(node_at(root_of(&docs), "a")->as.boolean);
        PG_EXPECT_PGSTR(node_at(root_of(&docs), "a")->text, TRUES[i]);
        PG_EXPECT_INT(node_at(root_of(&docs), "b")->kind, PG_NODE_BOOL);
        PG_EXPECT(!node_at(root_of(&docs), "b")->as.boolean);
        free_docs(&docs);
    }
    PG_EXPECT_INT(kind_of("a: tRUE\n", "a"), PG_NODE_STR);
    PG_EXPECT_INT(kind_of("a: yES\n", "a"), PG_NODE_STR);
}

static void test_yaml_quoted_true_is_a_string(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "a: \"true\"\nb: 'yes'\nc: \"12\"\nd: |\n  on\n", PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT_INT(node_at(root, "a")->kind, PG_NODE_STR);
    PG_EXPECT_PGSTR(node_at(root, "a")->as.str, "true");
    PG_EXPECT_INT(node_at(root, "b")->kind, PG_NODE_STR);
    PG_EXPECT_INT(node_at(root, "c")->kind, PG_NODE_STR);
    PG_EXPECT_INT(node_at(root, "d")->kind, PG_NODE_STR);
    PG_EXPECT_PGSTR(node_at(root, "d")->as.str, "on\n");
    free_docs(&docs);
}

static void test_yaml_null_forms(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\ng: \"\"\n", PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_INT(node_at(root, "a")->kind, PG_NODE_NULL);
    PG_EXPECT_INT(node_at(root, "b")->kind, PG_NODE_NULL);
    PG_EXPECT_INT(node_at(root, "c")->kind, PG_NODE_NULL);
    PG_EXPECT_INT(node_at(root, "d")->kind, PG_NODE_NULL);
    PG_EXPECT_INT(node_at(root, "e")->kind, PG_NODE_NULL);
    PG_EXPECT(pg_node_unset(node_at(root, "e")));
    PG_EXPECT_INT(node_at(root, "f")->kind, PG_NODE_STR);
    PG_EXPECT_INT(node_at(root, "g")->kind, PG_NODE_STR);
    free_docs(&docs);
}

static void test_yaml_integer_forms(void)
{
    static const struct {
        const char *text;
        int64_t value;
    } CASES[] = {
        {"42", 42},
        {"-7", -7},
        {"+5", 5},
        {"0644", 420},
        {"0o17", 15},
        {"0x1F", 31},
        {"0X1f", 31},
        {"0b101", 5},
        {"1_000", 1000},
        {"-0x10", -16},
        {"0", 0},
        {"00", 0},
        {"-0b11", -3},
        {"0x_1F", 31},
        {"-0644", -420},
        {"9223372036854775807", INT64_MAX},
        {"-9223372036854775808", INT64_MIN},
    };
    char text[96];
    size_t i = 0;
    struct docs docs;
    for (i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        const struct pg_node *node = NULL;
        (void)snprintf(text, sizeof(text), "v: %s\n", CASES[i].text);
        read_docs(&docs, text, PG_FORMAT_YAML);
        node = node_at(root_of(&docs), "v");
        PG_EXPECT(node != NULL);
        PG_EXPECT_STR(pg_node_kind_name(node->kind), "integer");
        PG_EXPECT_INT(node->as.integer, CASES[i].value);
        PG_EXPECT_PGSTR(node->text, CASES[i].text);
        free_docs(&docs);
    }
}

static void test_yaml_int64_overflow_is_float_keeping_text(void)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    read_docs(&docs, "a: 9223372036854775808\nb: 0xFFFFFFFFFFFFFFFFFF\n", PG_FORMAT_YAML);
    node = node_at(root_of(&docs), "a");
    PG_EXPECT(node != NULL);
    PG_EXPECT_INT(node->kind, PG_NODE_FLOAT);
    PG_EXPECT_PGSTR(node->text, "9223372036854775808");
    PG_EXPECT(node->as.number == 9223372036854775808.0);
    PG_EXPECT_INT(node_at(root_of(&docs), "b")->kind, PG_NODE_FLOAT);
    free_docs(&docs);
}

static void test_yaml_float_forms(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs,
              "a: 1.5\nb: .5\nc: 1e3\nd: -.Inf\ne: .nan\nf: 08\ng: +.inf\nh: 1_000.5\ni: -2.5E-1\n",
              PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_INT(node_at(root, "a")->kind, PG_NODE_FLOAT);
    PG_EXPECT(node_at(root, "a")->as.number == 1.5);
    PG_EXPECT(node_at(root, "b")->as.number == 0.5);
    PG_EXPECT(node_at(root, "c")->as.number == 1000.0);
    PG_EXPECT(isinf(node_at(root, "d")->as.number) && node_at(root, "d")->as.number < 0);
    PG_EXPECT(isnan(node_at(root, "e")->as.number));
    /* go-yaml: `08` is not octal, so ParseInt fails and the float pattern matches. */
    PG_EXPECT_INT(node_at(root, "f")->kind, PG_NODE_FLOAT);
    PG_EXPECT(node_at(root, "f")->as.number == 8.0);
    PG_EXPECT(isinf(node_at(root, "g")->as.number) && node_at(root, "g")->as.number > 0);
    PG_EXPECT(node_at(root, "h")->as.number == 1000.5);
    PG_EXPECT(node_at(root, "i")->as.number == -0.25);
    PG_EXPECT_STR(pg_node_kind_name(node_at(root, "i")->kind), "number");
    free_docs(&docs);
}

static void test_yaml_other_plain_scalars_are_strings(void)
{
    static const char *const CASES[] = {"1.2.3", "0x",         "1e",  "12:30", "v1",
                                        "--1",   "+",          ".",   "0o",    "1e999",
                                        "_1",    "2001-12-14", "0b2", "1,000"};
    char text[64];
    size_t i = 0;
    struct docs docs;
    for (i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        const struct pg_node *node = NULL;
        (void)snprintf(text, sizeof(text), "v: %s\n", CASES[i]);
        read_docs(&docs, text, PG_FORMAT_YAML);
        node = node_at(root_of(&docs), "v");
        PG_EXPECT(node != NULL);
        PG_EXPECT_STR(pg_node_kind_name(node->kind), "string");
        PG_EXPECT_PGSTR(node->as.str, CASES[i]);
        free_docs(&docs);
    }
}

static void test_yaml_explicit_tags(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs,
              "a: !!str 12\nb: !!int \"12\"\nc: !!float 3\nd: !!bool \"yes\"\ne: !!null ~\n"
              "f: !!binary aGk=\ng: !<tag:yaml.org,2002:int> '0x10'\nh: !!map {k: v}\n"
              "i: !!seq [1]\nj: ! 12\n",
              PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_INT(node_at(root, "a")->kind, PG_NODE_STR);
    PG_EXPECT_INT(node_at(root, "b")->kind, PG_NODE_INT);
    PG_EXPECT_INT(node_at(root, "b")->as.integer, 12);
    PG_EXPECT_INT(node_at(root, "c")->kind, PG_NODE_FLOAT);
    PG_EXPECT(node_at(root, "c")->as.number == 3.0);
    PG_EXPECT_INT(node_at(root, "d")->kind, PG_NODE_BOOL);
    PG_EXPECT(node_at(root, "d")->as.boolean);
    PG_EXPECT_INT(node_at(root, "e")->kind, PG_NODE_NULL);
    PG_EXPECT_INT(node_at(root, "f")->kind, PG_NODE_STR);
    PG_EXPECT_INT(node_at(root, "g")->as.integer, 16);
    PG_EXPECT_INT(node_at(root, "h")->kind, PG_NODE_MAP);
    PG_EXPECT_INT(node_at(root, "i")->kind, PG_NODE_SEQ);
    PG_EXPECT_INT(node_at(root, "j")->kind, PG_NODE_STR);
    free_docs(&docs);
}

static void test_yaml_tag_that_does_not_match_its_value_fails(void)
{
    struct docs docs;
    read_docs(&docs, "a: !!int \"twelve\"\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    PG_EXPECT(strstr(docs.err[0].message, "!!int") != NULL);
    PG_EXPECT_INT(docs.err[0].line, 1);
    PG_EXPECT_INT(docs.err[0].column, 4);
    read_docs(&docs, "a: !!str {k: v}\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
}

static void test_yaml_unknown_tag_fails_with_position(void)
{
    struct docs docs;
    read_docs(&docs, "a: 1\nb:\n  c: !foo x\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    PG_EXPECT_STR(docs.err[0].message, "unknown tag !foo");
    PG_EXPECT_INT(docs.err[0].line, 3);
    PG_EXPECT_INT(docs.err[0].column, 6);
    read_docs(&docs, "a: !!timestamp 2001-01-01\n", PG_FORMAT_YAML);
    PG_EXPECT_STR(docs.err[0].message, "unknown tag !!timestamp");
}

static void test_yaml_positions_of_keys_and_values_in_block_style(void)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    read_docs(&docs, "# header\nspec:\n  containers:\n    - name: app\n      image: nginx\n",
              PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.doc[0]->line, 2);
    node = node_at(root_of(&docs), "spec.containers");
    PG_EXPECT(node != NULL);
    PG_EXPECT_INT(node->key_line, 3);
    PG_EXPECT_INT(node->key_column, 3);
    PG_EXPECT_INT(node->line, 4);
    PG_EXPECT_INT(node->column, 5);
    node = node_at(root_of(&docs), "spec.containers.0.image");
    PG_EXPECT_INT(node->line, 5);
    PG_EXPECT_INT(node->column, 14);
    PG_EXPECT_INT(node->key_line, 5);
    PG_EXPECT_INT(node->key_column, 7);
    PG_EXPECT_INT(node_at(root_of(&docs), "spec.containers.0")->key_line, 0);
    free_docs(&docs);
}

static void test_yaml_positions_in_flow_style(void)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    read_docs(&docs, "a: {b: 1, c: [x, \"y\"]}\n", PG_FORMAT_YAML);
    node = node_at(root_of(&docs), "a");
    PG_EXPECT(node != NULL);
    PG_EXPECT_INT(node->column, 4);
    node = node_at(root_of(&docs), "a.c");
    PG_EXPECT_INT(node->key_column, 11);
    PG_EXPECT_INT(node->column, 14);
    node = node_at(root_of(&docs), "a.c.1");
    PG_EXPECT_INT(node->line, 1);
    PG_EXPECT_INT(node->column, 18);
    PG_EXPECT_PGSTR(node->as.str, "y");
    free_docs(&docs);
}

static void test_yaml_positions_with_crlf_bom_and_tabs(void)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    read_docs(&docs,
              "\xEF\xBB\xBF"
              "a: 1\r\nb:\r\n  - x\r\nc:\t\"t\"\r\n",
              PG_FORMAT_AUTO);
    node = node_at(root_of(&docs), "b.0");
    PG_EXPECT(node != NULL);
    PG_EXPECT_INT(node->line, 3);
    PG_EXPECT_INT(node->column, 5);
    PG_EXPECT_PGSTR(node->as.str, "x");
    node = node_at(root_of(&docs), "c");
    PG_EXPECT_INT(node->line, 4);
    PG_EXPECT_INT(node->column, 4);
    PG_EXPECT_INT(node_at(root_of(&docs), "a")->column, 4);
    free_docs(&docs);
}

static void test_yaml_columns_count_characters(void)
{
    struct docs docs;
    const struct pg_node *node = NULL;
    read_docs(&docs, "\xC3\xA9t\xC3\xA9: caf\xC3\xA9\nb: [\xC3\xA9, z]\n", PG_FORMAT_YAML);
    node = node_at(root_of(&docs), "\xC3\xA9t\xC3\xA9");
    PG_EXPECT(node != NULL);
    PG_EXPECT_INT(node->column, 6);
    PG_EXPECT_PGSTR(node->as.str, "caf\xC3\xA9");
    PG_EXPECT_INT(node_at(root_of(&docs), "b.1")->column, 8);
    free_docs(&docs);
}

static void test_yaml_positions_after_an_empty_document(void)
{
    struct docs docs;
    read_docs(&docs, "---\n---\n# c\na: 1\n---\n\n  [x]\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 3);
    PG_EXPECT(docs.doc[0]->root == NULL);
    PG_EXPECT_INT(docs.doc[0]->line, 1);
    PG_EXPECT_INT(docs.doc[1]->line, 4);
    PG_EXPECT_INT(node_at(docs.doc[1]->root, "a")->line, 4);
    PG_EXPECT_INT(node_at(docs.doc[1]->root, "a")->column, 4);
    PG_EXPECT_INT(docs.doc[2]->root->line, 7);
    PG_EXPECT_INT(docs.doc[2]->root->column, 3);
    free_docs(&docs);
}

static void test_yaml_duplicate_key_last_wins_with_warning(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "a: 1\nb: 2\na: 3\n", PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_INT(root->as.map.len, 2);
    PG_EXPECT_INT(node_at(root, "a")->as.integer, 3);
    PG_EXPECT_INT(node_at(root, "a")->key_line, 3);
    PG_EXPECT_INT(docs.doc[0]->warnings_len, 1);
    PG_EXPECT_INT(docs.doc[0]->warnings[0].line, 3);
    PG_EXPECT_INT(docs.doc[0]->warnings[0].column, 1);
    PG_EXPECT_PGSTR(docs.doc[0]->warnings[0].message,
                    "duplicate key \"a\": the last value wins (it replaces the value at line 1)");
    free_docs(&docs);
}

static void test_yaml_duplicate_keys_in_a_large_map(void)
{
    char text[4096];
    size_t used = 0;
    int i = 0;
    struct docs docs;
    for (i = 0; i < 100; i++) {
        used += (size_t)snprintf(text + used, sizeof(text) - used, "k%d: %d\n", i % 60, i);
    }
    read_docs(&docs, text, PG_FORMAT_YAML);
    PG_EXPECT(root_of(&docs) != NULL);
    PG_EXPECT_INT(root_of(&docs)->as.map.len, 60);
    PG_EXPECT_INT(node_at(root_of(&docs), "k5")->as.integer, 65);
    PG_EXPECT_INT(node_at(root_of(&docs), "k59")->as.integer, 59);
    PG_EXPECT_INT(docs.doc[0]->warnings_len, 40);
    PG_EXPECT_INT(docs.doc[0]->warnings[0].line, 61);
    free_docs(&docs);
}

static void test_yaml_keys_are_kept_as_written(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "yes: 1\n0x10: 2\n~: 3\n\"q\": 4\n", PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_PGSTR(root->as.map.entries[0].key, "yes");
    PG_EXPECT_PGSTR(root->as.map.entries[1].key, "0x10");
    PG_EXPECT_PGSTR(root->as.map.entries[2].key, "~");
    PG_EXPECT_PGSTR(root->as.map.entries[3].key, "q");
    free_docs(&docs);
}

static void test_yaml_every_marker_starts_a_document(void)
{
    struct docs docs;
    read_docs(&docs, "a\n---\n---\nb", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 3);
    PG_EXPECT_PGSTR(docs.doc[0]->root->as.str, "a");
    PG_EXPECT(docs.doc[1]->root == NULL);
    PG_EXPECT_INT(docs.doc[1]->index, 1);
    PG_EXPECT_INT(docs.doc[1]->line, 2);
    PG_EXPECT_PGSTR(docs.doc[2]->root->as.str, "b");
    PG_EXPECT_INT(docs.doc[2]->index, 2);
    PG_EXPECT_INT(docs.index[2], 2);
    free_docs(&docs);
}

static void test_yaml_leading_marker_and_directives_are_not_a_document(void)
{
    struct docs docs;
    read_docs(&docs, "---\na: 1\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.doc[0]->index, 0);
    free_docs(&docs);
    read_docs(&docs, "# only a comment\n\n%YAML 1.1\n---\na: 1\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.rc[0], 1);
    PG_EXPECT_INT(docs.doc[0]->line, 5);
    free_docs(&docs);
}

static void test_yaml_trailing_marker_is_an_empty_document(void)
{
    struct docs docs;
    read_docs(&docs, "a: 1\n---\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 2);
    PG_EXPECT(docs.doc[1]->root == NULL);
    PG_EXPECT_INT(docs.doc[1]->line, 2);
    free_docs(&docs);
}

static void test_yaml_document_end_marker(void)
{
    struct docs docs;
    read_docs(&docs, "a: 1\n...\n# between\n---\nb: 2\n...\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 2);
    PG_EXPECT_INT(node_at(docs.doc[0]->root, "a")->as.integer, 1);
    PG_EXPECT_INT(node_at(docs.doc[1]->root, "b")->as.integer, 2);
    PG_EXPECT_INT(node_at(docs.doc[1]->root, "b")->line, 5);
    free_docs(&docs);
}

static void test_yaml_comments_only_source_has_no_documents(void)
{
    struct docs docs;
    read_docs(&docs, "# nothing\n\n   # here\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.new_rc, 0);
    PG_EXPECT_INT(docs.count, 0);
    read_docs(&docs, "", PG_FORMAT_AUTO);
    PG_EXPECT_INT(docs.count, 0);
}

static void test_yaml_text_after_the_last_document_is_checked(void)
{
    struct docs docs;
    /* Found by fuzzing against libyaml: a trailing directive or bad byte was skipped unread. */
    read_docs(&docs, "a: 1\n...\n%YAML 1.1\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 2);
    PG_EXPECT_INT(docs.rc[1], PG_EPARSE);
    PG_EXPECT_INT(docs.index[1], 1);
    PG_EXPECT_STR(docs.err[1].message, "did not find expected <document start>");
    free_docs(&docs);
    read_docs(&docs, "a: 1\n...\n# bad \xFF\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 2);
    PG_EXPECT_INT(docs.rc[1], PG_EPARSE);
    PG_EXPECT_INT(docs.err[1].line, 3);
    free_docs(&docs);
    read_docs(&docs, "a: 1\n...\n# fine \xC3\xA9\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.rc[0], 1);
    free_docs(&docs);
}

static void test_yaml_error_in_one_document_keeps_the_others(void)
{
    struct docs docs;
    read_docs(&docs, "a: 1\n---\nb: [1,\n  2\n---\nc: 3\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 3);
    PG_EXPECT_INT(docs.rc[0], 1);
    PG_EXPECT_INT(docs.rc[1], PG_EPARSE);
    PG_EXPECT_INT(docs.index[1], 1);
    PG_EXPECT(docs.err[1].line >= 3 && docs.err[1].line <= 5);
    PG_EXPECT(docs.err[1].message[0] != '\0');
    PG_EXPECT_INT(docs.rc[2], 1);
    PG_EXPECT_INT(docs.doc[2]->index, 2);
    PG_EXPECT_INT(node_at(docs.doc[2]->root, "c")->as.integer, 3);
    PG_EXPECT_INT(node_at(docs.doc[2]->root, "c")->line, 6);
    free_docs(&docs);
}

static void test_yaml_parse_error_has_libyaml_problem_and_position(void)
{
    struct docs docs;
    read_docs(&docs, "a: 1\nb: c: d\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    PG_EXPECT_STR(docs.err[0].message, "mapping values are not allowed in this context");
    PG_EXPECT_INT(docs.err[0].line, 2);
    PG_EXPECT_INT(docs.err[0].column, 5);
}

static void test_yaml_alias_shares_the_anchored_node(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "base: &b {image: nginx}\nx: *b\ny: [*b, *b]\n", PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT(node_at(root, "x") == node_at(root, "base"));
    PG_EXPECT(node_at(root, "y.1") == node_at(root, "base"));
    PG_EXPECT_INT(node_at(root, "x")->key_line, 1);
    PG_EXPECT_PGSTR(node_at(root, "x.image")->as.str, "nginx");
    free_docs(&docs);
}

static void test_yaml_alias_bomb_fails_fast_with_limit(void)
{
    char text[2048];
    size_t used = 0;
    char name = 'a';
    int level = 0;
    int i = 0;
    struct docs docs;
    used += (size_t)snprintf(text, sizeof(text),
                             "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, "
                             "lol, lol]\n");
    for (level = 1; level < 9; level++) {
        name = (char)('a' + level);
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%c: &%c [", name, name);
        for (i = 0; i < 10; i++) {
            used += (size_t)snprintf(text + used, sizeof(text) - used, "%s*%c", i ? ", " : "",
                                     (char)(name - 1));
        }
        used += (size_t)snprintf(text + used, sizeof(text) - used, "]\n");
    }
    read_docs(&docs, text, PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT(strstr(docs.err[0].message, "(max_alias_expansion)") != NULL);
    PG_EXPECT(docs.err[0].line >= 5);
}

static void test_yaml_undefined_and_recursive_aliases_fail(void)
{
    struct docs docs;
    read_docs(&docs, "a: 1\nb: *nope\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    PG_EXPECT_STR(docs.err[0].message, "unknown anchor 'nope'");
    PG_EXPECT_INT(docs.err[0].line, 2);
    PG_EXPECT_INT(docs.err[0].column, 4);
    read_docs(&docs, "a: &x [1, *x]\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
}

static void test_yaml_merge_keys_explicit_keys_and_earlier_sources_win(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs,
              "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2, w: 2}\n"
              "one:\n  <<: *a\n  x: 9\n"
              "two:\n  w: 0\n  <<: [*a, *b]\n",
              PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_INT(node_at(root, "one")->as.map.len, 2);
    PG_EXPECT_INT(node_at(root, "one.x")->as.integer, 9);
    PG_EXPECT_INT(node_at(root, "one.y")->as.integer, 1);
    PG_EXPECT_INT(node_at(root, "two")->as.map.len, 4);
    PG_EXPECT_INT(node_at(root, "two.w")->as.integer, 0);
    PG_EXPECT_INT(node_at(root, "two.y")->as.integer, 1);
    PG_EXPECT_INT(node_at(root, "two.z")->as.integer, 2);
    PG_EXPECT(pg_node_get(node_at(root, "two"), "<<") == NULL);
    PG_EXPECT_INT(docs.doc[0]->warnings_len, 0);
    free_docs(&docs);
}

static void test_yaml_merge_of_a_scalar_fails(void)
{
    struct docs docs;
    read_docs(&docs, "a:\n  <<: 5\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    PG_EXPECT(strstr(docs.err[0].message, "merge") != NULL);
    PG_EXPECT_INT(docs.err[0].line, 2);
    read_docs(&docs, "a: {\"<<\": 5}\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], 1);
    PG_EXPECT_INT(node_at(docs.doc[0]->root, "a.<<")->as.integer, 5);
    free_docs(&docs);
}

static void expect_depth_limit(const char *text, size_t len)
{
    struct docs docs;
    read_docs_len(&docs, text, len, PG_FORMAT_YAML, NULL);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[0].message, "nesting deeper than 256 (max_depth)");
    PG_EXPECT_INT(docs.err[0].line, 1);
}

static void test_yaml_deep_block_nesting_fails_with_limit(void)
{
    size_t depth = 10000;
    char *text = malloc(depth * 2 + 3);
    size_t i = 0;
    PG_EXPECT(text != NULL);
    for (i = 0; i < depth; i++) {
        memcpy(text + i * 2, "- ", 2);
    }
    memcpy(text + depth * 2, "x\n", 3);
    expect_depth_limit(text, depth * 2 + 2);
    free(text);
}

static void test_yaml_deep_flow_nesting_fails_with_limit(void)
{
    size_t depth = 10000;
    char *text = malloc(depth * 2 + 8);
    PG_EXPECT(text != NULL);
    memcpy(text, "a: ", 3);
    memset(text + 3, '[', depth);
    memset(text + 3 + depth, ']', depth);
    text[3 + depth * 2] = '\n';
    expect_depth_limit(text, depth * 2 + 4);
    free(text);
}

static void test_yaml_invalid_utf8_fails_with_position(void)
{
    struct docs docs;
    read_docs(&docs, "a: 1\nb: ok\xFF\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    PG_EXPECT(strstr(docs.err[0].message, "UTF-8") != NULL);
    PG_EXPECT_INT(docs.err[0].line, 2);
    PG_EXPECT_INT(docs.err[0].column, 6);
    /* A later document starting with a UTF-16 byte order mark is not decoded as UTF-16. */
    read_docs_len(&docs,
                  "a: 1\n---\n\xFF\xFE"
                  "b\0:\0",
                  14, PG_FORMAT_YAML, NULL);
    PG_EXPECT_INT(docs.count, 2);
    PG_EXPECT_INT(docs.rc[1], PG_EPARSE);
    PG_EXPECT_INT(docs.err[1].line, 3);
    pg_doc_free(docs.doc[0]);
}

static void test_yaml_nul_byte_fails(void)
{
    struct docs docs;
    read_docs_len(&docs, "a: 1\nb: x\0y\n", 12, PG_FORMAT_YAML, NULL);
    PG_EXPECT_INT(docs.count, 1);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    PG_EXPECT_INT(docs.err[0].line, 2);
    PG_EXPECT_INT(docs.err[0].column, 5);
}

static void test_yaml_non_scalar_key_fails(void)
{
    struct docs docs;
    read_docs(&docs, "? [a, b]\n: 1\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], PG_EPARSE);
    PG_EXPECT_STR(docs.err[0].message, "map keys must be scalars");
    PG_EXPECT_INT(docs.err[0].line, 1);
    PG_EXPECT_INT(docs.err[0].column, 3);
}

static void test_yaml_plain_strings_are_views_into_the_input(void)
{
    const char *text = "a: plain\nb: \"quoted\"\nc: \"esc\\taped\"\n";
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, text, PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT(node_at(root, "a")->as.str.ptr == text + 3);
    PG_EXPECT(root->as.map.entries[0].key.ptr == text);
    PG_EXPECT(node_at(root, "b")->as.str.ptr == text + 13);
    PG_EXPECT_PGSTR(node_at(root, "c")->as.str, "esc\taped");
    PG_EXPECT(node_at(root, "c")->as.str.ptr != text + 25);
    free_docs(&docs);
}

/* One-line scalars whose value is their source are views; escapes and folds are copies. */
static void test_yaml_one_line_scalars_keep_their_values(void)
{
    const char *text = "a: 'it''s'   # c\nb: a b  \t# x\nc: {k: 'v''', 'q''': p q , t: 'x' }\n"
                       "d: \"\\N\\_ab\"\ne: 'one\n  two'\nf: plain\n  folded\ng: ' '\nh: a#b\n";
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, text, PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT_PGSTR(node_at(root, "a")->as.str, "it's");
    PG_EXPECT_PGSTR(node_at(root, "b")->as.str, "a b");
    PG_EXPECT(node_at(root, "b")->as.str.ptr == text + 20);
    PG_EXPECT_PGSTR(node_at(root, "c.k")->as.str, "v'");
    PG_EXPECT_PGSTR(node_at(root, "c.q'")->as.str, "p q");
    PG_EXPECT_PGSTR(node_at(root, "c.t")->as.str, "x");
    PG_EXPECT_PGSTR(node_at(root, "d")->as.str, "\302\205\302\240ab");
    PG_EXPECT_PGSTR(node_at(root, "e")->as.str, "one two");
    PG_EXPECT_PGSTR(node_at(root, "f")->as.str, "plain folded");
    PG_EXPECT_PGSTR(node_at(root, "g")->as.str, " ");
    PG_EXPECT_PGSTR(node_at(root, "h")->as.str, "a#b");
    free_docs(&docs);
}

/* A filtered read over many documents, run on a small stack by read_in_small_stack. */
struct filtered_read {
    char *data;
    size_t len;
    size_t docs;
    size_t last_index;
    int rc;
};

static void *read_filtered(void *arg)
{
    struct filtered_read *read = arg;
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    int rc = 0;
    read->rc = pg_doc_reader_new(&reader, read->data, read->len, PG_FORMAT_YAML, NULL, NULL);
    if (read->rc != 0) {
        return NULL;
    }
    pg_doc_reader_set_filter(reader, "needle");
    while ((rc = pg_doc_reader_next(reader, &doc, NULL, NULL)) > 0) {
        read->docs++;
        read->last_index = doc->index;
        pg_doc_free(doc);
    }
    read->rc = rc;
    pg_doc_reader_free(reader);
    return NULL;
}

/* Skipped documents cost no stack: 200,000 of them before a match, read on a 256 KiB stack. */
static void test_yaml_filter_skips_many_documents_in_little_stack(void)
{
    static const char MARKER[] = "---\n";
    static const char MATCH[] = "needle: 1\n";
    const size_t count = 200000;
    struct filtered_read read = {NULL, 0, 0, 0, -1};
    pthread_attr_t attr;
    pthread_t thread;
    read.len = count * (sizeof(MARKER) - 1) + sizeof(MATCH) - 1;
    read.data = malloc(read.len);
    PG_EXPECT(read.data != NULL);
    for (size_t i = 0; i < count; i++) {
        memcpy(read.data + i * (sizeof(MARKER) - 1), MARKER, sizeof(MARKER) - 1);
    }
    memcpy(read.data + count * (sizeof(MARKER) - 1), MATCH, sizeof(MATCH) - 1);
    PG_EXPECT_INT(pthread_attr_init(&attr), 0);
    PG_EXPECT_INT(pthread_attr_setstacksize(&attr, (size_t)256 * 1024), 0);
    PG_EXPECT_INT(pthread_create(&thread, &attr, read_filtered, &read), 0);
    PG_EXPECT_INT(pthread_join(thread, NULL), 0);
    PG_EXPECT_INT(pthread_attr_destroy(&attr), 0);
    PG_EXPECT_INT(read.rc, 0);
    PG_EXPECT_INT(read.docs, 1);
    PG_EXPECT_INT(read.last_index, count - 1);
    free(read.data);
}

static void test_yaml_limits_on_nodes_strings_and_document_size(void)
{
    struct pg_limits limits;
    struct docs docs;
    pg_limits_default(&limits);
    limits.max_nodes = 3;
    read_docs_len(&docs, "[1, 2, 3, 4]\n---\n[1]\n", 20, PG_FORMAT_YAML, &limits);
    PG_EXPECT_INT(docs.count, 2);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[0].message, "document has more than 3 nodes (max_nodes)");
    PG_EXPECT_INT(docs.rc[1], 1);
    free_docs(&docs);
    pg_limits_default(&limits);
    limits.max_string_bytes = 4;
    read_docs_len(&docs, "a: abcde\n", 9, PG_FORMAT_YAML, &limits);
    PG_EXPECT_INT(docs.rc[0], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[0].message, "scalar longer than 4 bytes (max_string_bytes)");
    PG_EXPECT_INT(docs.err[0].column, 4);
    pg_limits_default(&limits);
    limits.max_document_bytes = 10;
    read_docs_len(&docs, "a: 1\n---\nb: 0123456789\n---\nc: 3\n", 32, PG_FORMAT_YAML, &limits);
    PG_EXPECT_INT(docs.count, 3);
    PG_EXPECT_INT(docs.rc[1], PG_ELIMIT);
    PG_EXPECT_STR(docs.err[1].message, "document larger than 10 bytes (max_document_bytes)");
    PG_EXPECT_INT(docs.err[1].line, 2);
    PG_EXPECT_INT(docs.rc[2], 1);
    free_docs(&docs);
}

static void test_reader_rejects_input_over_max_input_bytes(void)
{
    struct pg_limits limits;
    struct docs docs;
    pg_limits_default(&limits);
    limits.max_input_bytes = 4;
    read_docs_len(&docs, "a: 12\n", 6, PG_FORMAT_AUTO, &limits);
    PG_EXPECT_INT(docs.new_rc, PG_ELIMIT);
    PG_EXPECT_STR(docs.new_err.message, "input is larger than 4 bytes (max_input_bytes)");
}

static void test_yaml_duplicate_key_warnings_are_capped(void)
{
    struct docs docs;
    char *text = malloc(5 * 1000 + 1);
    for (size_t i = 0; i < 1000; i++) {
        memcpy(text + 5 * i, "a: 1\n", 5);
    }
    text[5 * 1000] = '\0';
    read_docs(&docs, text, PG_FORMAT_YAML);
    PG_EXPECT_INT(docs.rc[0], 1);
    PG_EXPECT_INT(docs.doc[0]->warnings_len, 101);
    PG_EXPECT_PGSTR(docs.doc[0]->warnings[100].message,
                    "899 more duplicate keys in this document (only the first 100 are shown)");
    free_docs(&docs);
    free(text);
}

static void test_node_helpers(void)
{
    struct docs docs;
    read_docs(&docs, "a: 1\n", PG_FORMAT_AUTO);
    PG_EXPECT(pg_node_get(root_of(&docs), "a") != NULL);
    PG_EXPECT(pg_node_get(root_of(&docs), "b") == NULL);
    PG_EXPECT(pg_node_get(NULL, "a") == NULL);
    PG_EXPECT(pg_node_get(node_at(root_of(&docs), "a"), "a") == NULL);
    PG_EXPECT_STR(pg_node_kind_name(PG_NODE_NULL), "null");
    PG_EXPECT_STR(pg_node_kind_name(PG_NODE_BOOL), "boolean");
    PG_EXPECT_STR(pg_node_kind_name(PG_NODE_SEQ), "list");
    PG_EXPECT_STR(pg_node_kind_name(PG_NODE_MAP), "object");
    free_docs(&docs);
    pg_doc_free(NULL);
    pg_doc_reader_free(NULL);
}

#define TEST(fn)                                                                                   \
    {                                                                                              \
#fn, fn                                                                                    \
    }

int main(void)
{
    static const struct pg_test_case cases[] = {
        TEST(test_yaml_plain_yes_is_true),
        TEST(test_yaml_quoted_true_is_a_string),
        TEST(test_yaml_null_forms),
        TEST(test_yaml_integer_forms),
        TEST(test_yaml_int64_overflow_is_float_keeping_text),
        TEST(test_yaml_float_forms),
        TEST(test_yaml_other_plain_scalars_are_strings),
        TEST(test_yaml_explicit_tags),
        TEST(test_yaml_tag_that_does_not_match_its_value_fails),
        TEST(test_yaml_unknown_tag_fails_with_position),
        TEST(test_yaml_positions_of_keys_and_values_in_block_style),
        TEST(test_yaml_positions_in_flow_style),
        TEST(test_yaml_positions_with_crlf_bom_and_tabs),
        TEST(test_yaml_columns_count_characters),
        TEST(test_yaml_positions_after_an_empty_document),
        TEST(test_yaml_duplicate_key_last_wins_with_warning),
        TEST(test_yaml_duplicate_keys_in_a_large_map),
        TEST(test_yaml_keys_are_kept_as_written),
        TEST(test_yaml_every_marker_starts_a_document),
        TEST(test_yaml_leading_marker_and_directives_are_not_a_document),
        TEST(test_yaml_trailing_marker_is_an_empty_document),
        TEST(test_yaml_document_end_marker),
        TEST(test_yaml_comments_only_source_has_no_documents),
        TEST(test_yaml_text_after_the_last_document_is_checked),
        TEST(test_yaml_error_in_one_document_keeps_the_others),
        TEST(test_yaml_parse_error_has_libyaml_problem_and_position),
        TEST(test_yaml_alias_shares_the_anchored_node),
        TEST(test_yaml_alias_bomb_fails_fast_with_limit),
        TEST(test_yaml_undefined_and_recursive_aliases_fail),
        TEST(test_yaml_merge_keys_explicit_keys_and_earlier_sources_win),
        TEST(test_yaml_merge_of_a_scalar_fails),
        TEST(test_yaml_deep_block_nesting_fails_with_limit),
        TEST(test_yaml_deep_flow_nesting_fails_with_limit),
        TEST(test_yaml_invalid_utf8_fails_with_position),
        TEST(test_yaml_nul_byte_fails),
        TEST(test_yaml_non_scalar_key_fails),
        TEST(test_yaml_plain_strings_are_views_into_the_input),
        TEST(test_yaml_one_line_scalars_keep_their_values),
        TEST(test_yaml_filter_skips_many_documents_in_little_stack),
        TEST(test_yaml_limits_on_nodes_strings_and_document_size),
        TEST(test_reader_rejects_input_over_max_input_bytes),
        TEST(test_yaml_duplicate_key_warnings_are_capped),
        TEST(test_node_helpers),
    };
    return pg_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
