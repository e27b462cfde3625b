/* SPDX-License-Identifier: Apache-2.0 */
/* Line and column of JSON nodes, which reports and policy-file errors point at. */
#include "harness.h"

#include "podgate/doc.h"

/*
 * The cursor jumps more than 8 bytes from "v1" to the next key, across a
 * word that holds the newline: the newline must still count.
 */
static void test_json_positions_count_a_newline_before_a_long_jump(void)
{
    static const char TEXT[] = "{\"apiVersion\": \"v1\",\n"
                               "            \"kind\": \"Pod\",\n"
                               " \"spec\": {\"containers\": [\n"
                               "   {\"privileged\": true}]}}\n";
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    const struct pg_node *kind = NULL;
    const struct pg_node *container = NULL;
    PG_EXPECT_INT(pg_doc_reader_new(&reader, TEXT, sizeof(TEXT) - 1, PG_FORMAT_JSON, NULL, NULL),
                  0);
    PG_EXPECT_INT(pg_doc_reader_next(reader, &doc, NULL, NULL), 1);
    kind = pg_node_get(doc->root, "kind");
    PG_EXPECT_INT(kind->line, 2);
    PG_EXPECT_INT(kind->column, 21);
    PG_EXPECT_INT(kind->key_line, 2);
    PG_EXPECT_INT(kind->key_column, 13);
    container = pg_node_get(pg_node_get(doc->root, "spec"), "containers")->as.seq.items[0];
    PG_EXPECT_INT(pg_node_get(container, "privileged")->line, 4);
    PG_EXPECT_INT(pg_node_get(container, "privileged")->column, 19);
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
}

#define TESTS PG_TEST_ENTRY(test_json_positions_count_a_newline_before_a_long_jump)

PG_TEST_MAIN(TESTS)
