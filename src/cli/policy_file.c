/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `--policy FILE` and `--now DATE` for scan and explain: read the file, hand
 * it to the library, and print its rejection as file:line:column. The clock
 * is read here, never in the library, so tests can pin the date.
 */
#include "policy_file.h"

#include "cli.h"

#include "podgate/limits.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int pg_cli_load_policies(struct pg_policy_set **out, const char *command, const char *path)
{
    struct pg_limits limits;
    struct pg_error err;
    char error[512];
    char *data = NULL;
    size_t len = 0;
    int rc = 0;
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        (void)fprintf(stderr, "podgate %s: --policy: give a file, not stdin\n", command);
        return -1;
    }
    pg_limits_default(&limits);
    if (pg_cli_read_file(&data, &len, path, limits.max_input_bytes, error, sizeof(error)) != 0) {
        (void)fprintf(stderr, "podgate %s: --policy %s: %s\n", command, path, error);
        return -1;
    }
    rc = pg_policy_set_load(out, data, len, path, &err);
    free(data);
    if (rc != 0) {
        (void)fprintf(stderr, "podgate %s: invalid policy file: %s\n", command, err.message);
        return -1;
    }
    return 0;
}

int pg_cli_today(struct pg_date *out, const char *text)
{
    if (text != NULL) {
        return pg_date_parse(out, text, strlen(text)) == 0 ? 0 : -1;
    }
    *out = pg_date_from_unix((int64_t)time(NULL));
    return 0;
}
