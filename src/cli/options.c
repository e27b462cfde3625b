/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One message for a bad option. Commands run getopt_long with opterr = 0 and an
 * option string starting with ':', so that getopt prints nothing of its own (its
 * `scan: unrecognized option` came before the command's own error, two messages
 * for one mistake) and tells a missing value (':') from an unknown option ('?').
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

void pg_cli_option_problem(char *buf, size_t size, int opt, char **argv)
{
    const char *word = optind > 0 ? argv[optind - 1] : "";
    size_t name_len = strcspn(word, "=");
    /* A short option inside a cluster (`-Rx`) is named alone; a long one without its value. */
    if (optopt != 0 && word[0] == '-' && word[1] != '-') {
        (void)snprintf(buf, size,
                       opt == ':' ? "option '-%c' needs a value" : "unknown option '-%c'", optopt);
        return;
    }
    (void)snprintf(buf, size, opt == ':' ? "option '%.*s' needs a value" : "unknown option '%.*s'",
                   (int)name_len, word);
}
