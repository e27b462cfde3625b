/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate explain [CHECK]`: without an argument, list the checks with their
 * level and first version; with one, describe what it requires, the fields it
 * reads, how it changed across versions and how to fix a violation.
 */
#include "cli.h"

#include "podgate/checkdoc.h"
#include "podgate/policy.h"

#include <string.h>

static const char USAGE[] = "usage: podgate explain [CHECK]\n"
                            "\n"
                            "Without CHECK, list the Pod Security checks. With CHECK (an "
                            "upstream check id such as\nrunAsNonRoot), describe it.\n";

static int list_checks(void)
{
    if (printf("%-28s %-10s %-6s %s\n", "CHECK", "LEVEL", "SINCE", "REQUIREMENT") < 0) {
        return PG_EXIT_USAGE;
    }
    for (int id = 0; id < PG_CHECK_COUNT; id++) {
        enum pg_check_id check = (enum pg_check_id)id;
        if (printf("%-28s %-10s v1.%-3u %s\n", pg_check_name(check),
                   pg_level_name(pg_check_level(check)), pg_check_first_minor(check),
                   pg_check_doc(check)->title) < 0) {
            return PG_EXIT_USAGE;
        }
    }
    return PG_EXIT_OK;
}

static void print_levels(enum pg_check_id check)
{
    /* Where the check actually runs, after overrides: e.g. hostPathVolumes not at restricted. */
    static const enum pg_level LEVELS[] = {PG_LEVEL_BASELINE, PG_LEVEL_RESTRICTED};
    for (size_t i = 0; i < 2; i++) {
        unsigned first = 0;
        unsigned last = 0;
        if (!pg_check_doc_range(&first, &last, check, LEVELS[i])) {
            (void)printf("  %-10s never\n", pg_level_name(LEVELS[i]));
        } else if (last == PG_MAX_MINOR) {
            (void)printf("  %-10s v1.%u and later (latest)\n", pg_level_name(LEVELS[i]), first);
        } else {
            (void)printf("  %-10s v1.%u to v1.%u\n", pg_level_name(LEVELS[i]), first, last);
        }
    }
}

static int explain_check(const char *name)
{
    enum pg_check_id check = PG_CHECK_COUNT;
    const struct pg_check_doc *doc = NULL;
    if (pg_check_from_name(&check, name, strlen(name)) != 0) {
        (void)fprintf(stderr,
                      "podgate explain: unknown check '%s' (run 'podgate explain' for the list)\n",
                      name);
        return PG_EXIT_USAGE;
    }
    doc = pg_check_doc(check);
    (void)printf("%s (%s): %s\n\n", pg_check_name(check), pg_level_name(pg_check_level(check)),
                 doc->title);
    (void)printf("Requires: %s\nFields:   %s\nVersions: %s\nFix:      %s\n\nRuns at:\n",
                 doc->requirement, doc->fields, doc->versions, doc->fix);
    print_levels(check);
    return fflush(stdout) == 0 ? PG_EXIT_OK : PG_EXIT_USAGE;
}

int pg_cmd_explain(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        (void)fputs(USAGE, stdout);
        return PG_EXIT_OK;
    }
    if (argc > 2) {
        (void)fputs(USAGE, stderr);
        return PG_EXIT_USAGE;
    }
    return argc == 2 ? explain_check(argv[1]) : list_checks();
}
