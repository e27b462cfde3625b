/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate explain [CHECK]`: without an argument, list the checks with their
 * level and first version; with one, describe what it requires, the fields it
 * reads, how it changed across versions and how to fix a violation. With
 * `--policy FILE`, show what each custom policy binds, which checks run at its
 * level:version and how its exemptions cut into them.
 */
#include "cli.h"
#include "policy_file.h"

#include "podgate/checkdoc.h"
#include "podgate/policy.h"

#include <getopt.h>
#include <string.h>
#include <strings.h>

static const char USAGE[] =
    "usage: podgate explain [CHECK]\n"
    "       podgate explain --policy FILE [--now YYYY-MM-DD]\n"
    "\n"
    "Without CHECK, list the Pod Security checks. With CHECK (an upstream check id such as\n"
    "runAsNonRoot), describe it. With --policy, show each custom policy in FILE: the\n"
    "namespaces it binds, the checks that run at its level:version and its exemptions\n"
    "(expiry is judged against --now, default today in UTC).\n";

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

/* The check whose id differs from `name` only in case (`runasnonroot`), or NULL. */
static const char *check_in_other_case(const char *name)
{
    for (int id = 0; id < PG_CHECK_COUNT; id++) {
        const char *known = pg_check_name((enum pg_check_id)id);
        if (strcasecmp(known, name) == 0) {
            return known;
        }
    }
    return NULL;
}

static int explain_check(const char *name)
{
    enum pg_check_id check = PG_CHECK_COUNT;
    const struct pg_check_doc *doc = NULL;
    const char *suggestion = NULL;
    if (pg_check_from_name(&check, name, strlen(name)) != 0) {
        suggestion = check_in_other_case(name);
        if (suggestion != NULL) {
            (void)fprintf(stderr,
                          "podgate explain: unknown check '%s' (check ids are case-sensitive: "
                          "did you mean '%s'?)\n",
                          name, suggestion);
        } else {
            (void)fprintf(stderr,
                          "podgate explain: unknown check '%s' (run 'podgate explain' for the "
                          "list)\n",
                          name);
        }
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

static void print_quoted_list(const char *label, const struct pg_str_list *list)
{
    if (list->len == 0) {
        return;
    }
    (void)printf("      %-12s", label);
    for (size_t i = 0; i < list->len; i++) {
        (void)printf("%s\"%s\"", i > 0 ? ", " : "", list->items[i].ptr);
    }
    (void)printf("\n");
}

/* "containers, images, values": what an exemption is scoped by. */
static void print_scope(const struct pg_policy_exemption *exemption)
{
    const char *parts[4] = {NULL, NULL, NULL, NULL};
    size_t count = 0;
    parts[count] = exemption->containers.len > 0 ? "containers" : NULL;
    count += parts[count] != NULL;
    parts[count] = exemption->images.len > 0 ? "images" : NULL;
    count += parts[count] != NULL;
    parts[count] = exemption->values.len > 0 ? "values" : NULL;
    count += parts[count] != NULL;
    parts[count] = exemption->volumes.len > 0 ? "volumes" : NULL;
    count += parts[count] != NULL;
    for (size_t i = 0; i < count; i++) {
        (void)printf("%s%s", i > 0 ? ", " : "", parts[i]);
    }
}

/* What the exemptions do to one check: exempted entirely, scoped, or expired. */
static void print_check_status(const struct pg_policy *policy, enum pg_check_id check,
                               struct pg_date today)
{
    const char *sep = "runs; scoped by exemption ";
    bool any = false;
    for (size_t i = 0; i < policy->exemptions_len; i++) {
        const struct pg_policy_exemption *e = &policy->exemptions[i];
        if ((e->checks & ((pg_check_set)1u << check)) != 0 && pg_policy_exemption_unscoped(e) &&
            !pg_policy_exemption_expired(e, today)) {
            (void)printf("exempted entirely (exemption %zu)", i);
            return;
        }
    }
    for (size_t i = 0; i < policy->exemptions_len; i++) {
        const struct pg_policy_exemption *e = &policy->exemptions[i];
        if ((e->checks & ((pg_check_set)1u << check)) == 0) {
            continue;
        }
        if (pg_policy_exemption_expired(e, today)) {
            (void)printf("%s%s%zu expired", any ? "; " : "runs; ", "exemption ", i);
        } else {
            (void)printf("%s%zu (", any ? ", " : sep, i);
            print_scope(e);
            (void)printf(")");
        }
        any = true;
    }
}

static bool listed_by_exemption(const struct pg_policy *policy, enum pg_check_id check)
{
    for (size_t i = 0; i < policy->exemptions_len; i++) {
        if ((policy->exemptions[i].checks & ((pg_check_set)1u << check)) != 0) {
            return true;
        }
    }
    return false;
}

static void print_checks(const struct pg_policy *policy, struct pg_date today)
{
    unsigned minor = pg_version_effective_minor(policy->level.version);
    pg_check_set checks = pg_checks_for(policy->level.level, minor);
    char lv[64];
    (void)pg_level_version_format(lv, sizeof(lv), policy->level);
    if (checks == 0) {
        (void)printf("  checks at %s: none\n", lv);
        return;
    }
    (void)printf("  checks at %s:\n", lv);
    for (int id = 0; id < PG_CHECK_COUNT; id++) {
        if ((checks & ((pg_check_set)1u << id)) == 0) {
            continue;
        }
        if (!listed_by_exemption(policy, (enum pg_check_id)id)) {
            (void)printf("    %s\n", pg_check_name((enum pg_check_id)id));
            continue;
        }
        (void)printf("    %-28s ", pg_check_name((enum pg_check_id)id));
        print_check_status(policy, (enum pg_check_id)id, today);
        (void)printf("\n");
    }
}

static void print_exemption(const struct pg_policy *policy,
                            const struct pg_policy_exemption *exemption, struct pg_date today)
{
    char date[16];
    const char *sep = "";
    (void)printf("    %zu (%s:%u):", exemption->index, policy->source, (unsigned)exemption->line);
    for (int id = 0; id < PG_CHECK_COUNT; id++) {
        if ((exemption->checks & ((pg_check_set)1u << id)) != 0) {
            (void)printf("%s %s", sep, pg_check_name((enum pg_check_id)id));
            sep = ",";
        }
    }
    (void)printf("\n");
    print_quoted_list("containers:", &exemption->containers);
    print_quoted_list("images:", &exemption->images);
    print_quoted_list("values:", &exemption->values);
    print_quoted_list("volumes:", &exemption->volumes);
    (void)printf("      %-12s%s\n", "reason:", exemption->reason.ptr);
    if (exemption->owner.len > 0) {
        (void)printf("      %-12s%s\n", "owner:", exemption->owner.ptr);
    }
    if (exemption->has_expiry) {
        (void)pg_date_format(date, sizeof(date), exemption->expires);
        (void)printf("      %-12s%s%s\n", "expires:", date,
                     pg_policy_exemption_expired(exemption, today) ? " (expired: no longer applies)"
                                                                   : "");
    }
}

static void print_policy(const struct pg_policy *policy, struct pg_date today)
{
    (void)printf("%s (%s:%u): %s:", policy->name.ptr, policy->source, (unsigned)policy->line,
                 pg_level_name(policy->level.level));
    if (policy->level.version.latest) {
        (void)printf("latest\n");
    } else {
        (void)printf("v1.%lld\n", (long long)policy->level.version.minor);
    }
    (void)printf("  binds: Namespaces labelled " PG_POLICY_LABEL "=%s", policy->name.ptr);
    for (size_t i = 0; i < policy->namespaces.len; i++) {
        (void)printf("%s\"%s\"", i == 0 ? "; namespaces " : ", ", policy->namespaces.items[i].ptr);
    }
    (void)printf("\n");
    print_checks(policy, today);
    if (policy->exemptions_len == 0) {
        (void)printf("  exemptions: none\n");
        return;
    }
    (void)printf("  exemptions:\n");
    for (size_t i = 0; i < policy->exemptions_len; i++) {
        print_exemption(policy, &policy->exemptions[i], today);
    }
}

static int explain_policies(const char *path, const char *now)
{
    struct pg_policy_set *set = NULL;
    struct pg_date today = {0};
    if (pg_cli_today(&today, now) != 0) {
        (void)fprintf(stderr, "podgate explain: --now: '%s' is not a date (YYYY-MM-DD)\n", now);
        return PG_EXIT_USAGE;
    }
    if (pg_cli_load_policies(&set, "explain", path) != 0) {
        return PG_EXIT_USAGE;
    }
    for (size_t i = 0; i < pg_policy_set_len(set); i++) {
        (void)printf("%s", i > 0 ? "\n" : "");
        print_policy(pg_policy_set_get(set, i), today);
    }
    pg_policy_set_free(set);
    return fflush(stdout) == 0 ? PG_EXIT_OK : PG_EXIT_USAGE;
}

static int usage_error(const char *message)
{
    (void)fprintf(stderr, "podgate explain: %s\nRun 'podgate explain --help' for usage.\n",
                  message);
    return PG_EXIT_USAGE;
}

enum explain_option {
    OPT_POLICY = 256,
    OPT_NOW,
};

int pg_cmd_explain(int argc, char **argv)
{
    static const struct option LONG_OPTIONS[] = {
        {"policy", required_argument, NULL, OPT_POLICY},
        {"now", required_argument, NULL, OPT_NOW},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *policy = NULL;
    const char *now = NULL;
    int opt = 0;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", LONG_OPTIONS, NULL)) != -1) {
        char problem[160];
        if (opt == 'h') {
            (void)fputs(USAGE, stdout);
            return PG_EXIT_OK;
        }
        if (opt != OPT_POLICY && opt != OPT_NOW) {
            pg_cli_option_problem(problem, sizeof(problem), opt, argv);
            return usage_error(problem);
        }
        *(opt == OPT_POLICY ? &policy : &now) = optarg;
    }
    if (now != NULL && policy == NULL) {
        /* Only exemptions expire: a date with nothing to judge is a mistake, not a no-op. */
        return usage_error("--now needs --policy (it dates the policies' exemptions)");
    }
    if (argc - optind > 1 || (policy != NULL && argc - optind > 0)) {
        (void)fputs(USAGE, stderr);
        return PG_EXIT_USAGE;
    }
    if (policy != NULL) {
        return explain_policies(policy, now);
    }
    return argc - optind == 1 ? explain_check(argv[optind]) : list_checks();
}
