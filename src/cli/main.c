/* SPDX-License-Identifier: Apache-2.0 */
/* `podgate` entry point: dispatches to a command from the table below. */
#include "cli.h"

#include <string.h>

static const struct pg_cli_command COMMANDS[] = {
    {"scan", "evaluate manifests against the Pod Security Standards", pg_cmd_scan},
    {"explain", "describe the checks: what they require, since when, how to fix", pg_cmd_explain},
    {"audit", "audit a cluster dump: labels to apply, what-if, PSP migration", pg_cmd_audit},
    {"serve", "run the Pod Security admission webhook (HTTPS)", pg_cmd_serve},
    {"version", "print version and the newest Pod Security Standards version known",
     pg_cmd_version},
};

static void usage(FILE *out)
{
    (void)fprintf(out, "usage: podgate <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(COMMANDS) / sizeof(COMMANDS[0]); i++) {
        (void)fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    }
    (void)fprintf(out, "\nRun 'podgate <command> --help' for the options of a command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PG_EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return PG_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        return pg_cmd_version(1, argv + 1);
    }
    for (size_t i = 0; i < sizeof(COMMANDS) / sizeof(COMMANDS[0]); i++) {
        if (strcmp(argv[1], COMMANDS[i].name) == 0) {
            return COMMANDS[i].run(argc - 1, argv + 1);
        }
    }
    (void)fprintf(stderr, "podgate: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return PG_EXIT_USAGE;
}
