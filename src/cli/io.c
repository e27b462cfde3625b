/* SPDX-License-Identifier: Apache-2.0 */
/* File reading and terminal detection shared by the commands. */
#include "cli.h"

#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_stream(char **data_out, size_t *len_out, FILE *stream, size_t max_bytes,
                       char *error, size_t error_size)
{
    size_t cap = 65536;
    size_t len = 0;
    char *data = pg_xmalloc(cap);
    for (;;) {
        size_t got = 0;
        if (len == cap) {
            if (cap > max_bytes) {
                free(data);
                (void)snprintf(error, error_size,
                               "input is larger than %zu bytes (max_input_bytes)", max_bytes);
                return -1;
            }
            cap *= 2;
            data = pg_xrealloc(data, cap, 1);
        }
        got = fread(data + len, 1, cap - len, stream);
        len += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(stream) || len > max_bytes) {
        int saved = errno;
        free(data);
        if (len > max_bytes) {
            (void)snprintf(error, error_size, "input is larger than %zu bytes (max_input_bytes)",
                           max_bytes);
        } else {
            (void)snprintf(error, error_size, "cannot read: %s", strerror(saved));
        }
        return -1;
    }
    *data_out = data;
    *len_out = len;
    return 0;
}

int pg_cli_read_file(char **data_out, size_t *len_out, const char *path, size_t max_bytes,
                     char *error, size_t error_size)
{
    FILE *stream = NULL;
    int rc = 0;
    if (strcmp(path, "-") == 0) {
        return read_stream(data_out, len_out, stdin, max_bytes, error, error_size);
    }
    stream = fopen(path, "rb");
    if (stream == NULL) {
        (void)snprintf(error, error_size, "cannot read: %s", strerror(errno));
        return -1;
    }
    rc = read_stream(data_out, len_out, stream, max_bytes, error, error_size);
    if (fclose(stream) != 0 && rc == 0) {
        free(*data_out);
        (void)snprintf(error, error_size, "cannot read: %s", strerror(errno));
        return -1;
    }
    return rc;
}

bool pg_cli_use_color(FILE *stream, const char *mode)
{
    const char *no_color = getenv("NO_COLOR");
    if (mode != NULL && strcmp(mode, "always") == 0) {
        return true;
    }
    if (mode != NULL && strcmp(mode, "never") == 0) {
        return false;
    }
    if (no_color != NULL && no_color[0] != '\0') {
        return false;
    }
    return isatty(fileno(stream)) == 1;
}
