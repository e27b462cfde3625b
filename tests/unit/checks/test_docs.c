/* SPDX-License-Identifier: Apache-2.0 */
#include "harness.h"
#include "podgate/checkdoc.h"

static void test_doc_range_of_a_check_replaced_at_restricted(void)
{
    unsigned first = 99;
    unsigned last = 99;
    PG_EXPECT(pg_check_doc_range(&first, &last, PG_CHECK_PROC_MOUNT, PG_LEVEL_RESTRICTED));
    PG_EXPECT_INT(first, 0);
    PG_EXPECT_INT(last, 34);
    PG_EXPECT(pg_check_doc_range(&first, &last, PG_CHECK_PROC_MOUNT, PG_LEVEL_BASELINE));
    PG_EXPECT_INT(last, PG_MAX_MINOR);
}

static void test_doc_range_of_a_restricted_check_is_never_at_baseline(void)
{
    unsigned first = 0;
    unsigned last = 0;
    PG_EXPECT(!pg_check_doc_range(&first, &last, PG_CHECK_RUN_AS_USER, PG_LEVEL_BASELINE));
    PG_EXPECT(pg_check_doc_range(&first, &last, PG_CHECK_RUN_AS_USER, PG_LEVEL_RESTRICTED));
    PG_EXPECT_INT(first, 23);
    PG_EXPECT_INT(last, PG_MAX_MINOR);
    PG_EXPECT(!pg_check_doc_range(&first, &last, PG_CHECK_COUNT, PG_LEVEL_RESTRICTED));
}

static void test_every_check_has_documentation(void)
{
    for (int id = 0; id < PG_CHECK_COUNT; id++) {
        const struct pg_check_doc *doc = pg_check_doc((enum pg_check_id)id);
        PG_EXPECT(doc != NULL && doc->title != NULL && doc->fix != NULL);
    }
    PG_EXPECT(pg_check_doc(PG_CHECK_COUNT) == NULL);
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_doc_range_of_a_check_replaced_at_restricted)
                 PG_TEST_ENTRY(test_doc_range_of_a_restricted_check_is_never_at_baseline)
                     PG_TEST_ENTRY(test_every_check_has_documentation))
