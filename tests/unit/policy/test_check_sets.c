/* SPDX-License-Identifier: Apache-2.0 */
#include "harness.h"

#include "checks/checks.h"
#include "podgate/policy.h"

static void test_check_set_table_matches_registry_at_every_level_and_minor(void)
{
    static const enum pg_level LEVELS[] = {PG_LEVEL_PRIVILEGED, PG_LEVEL_BASELINE,
                                           PG_LEVEL_RESTRICTED};
    for (size_t l = 0; l < 3; l++) {
        for (unsigned minor = 0; minor <= PG_MAX_MINOR + 3; minor++) {
            pg_check_set table = pg_checks_for(LEVELS[l], minor);
            pg_check_set derived = pg_checks_derive(LEVELS[l], minor);
            if (table != derived) {
                PG_FAIL_AT("level %zu minor %u: table %#x, registry %#x", l, minor, (unsigned)table,
                           (unsigned)derived);
                return;
            }
        }
    }
}

static void test_privileged_runs_no_checks(void)
{
    PG_EXPECT_INT(pg_checks_for(PG_LEVEL_PRIVILEGED, PG_MAX_MINOR), 0);
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_check_set_table_matches_registry_at_every_level_and_minor)
                 PG_TEST_ENTRY(test_privileged_runs_no_checks))
