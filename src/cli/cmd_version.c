/* SPDX-License-Identifier: Apache-2.0 */
/* `podgate version`: build information and the newest policy version known. */
#include "cli.h"

#include "podgate/policy.h"

#include <string.h>

int pg_cmd_version(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        (void)fputs("usage: podgate version\n\nPrint the podgate version and the newest Pod "
                    "Security Standards version it knows.\n",
                    stdout);
        return PG_EXIT_OK;
    }
    if (argc > 1) {
        (void)fprintf(stderr, "podgate version: unexpected argument '%s'\n", argv[1]);
        return PG_EXIT_USAGE;
    }
    if (printf("podgate %s\n"
               "Pod Security Standards: v1.0 to v1.%d (latest = v1.%d)\n"
               "matches k8s.io/pod-security-admission at 8f84a87c7f61 (v0.37.0-alpha.2+)\n",
               PG_VERSION, PG_MAX_MINOR, PG_MAX_MINOR) < 0) {
        return PG_EXIT_USAGE;
    }
    return PG_EXIT_OK;
}
