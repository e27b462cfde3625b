/* SPDX-License-Identifier: Apache-2.0 */
/* The error record: set at the failure site, read by the caller. */
#include "podgate/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void set_message(struct pg_error *err, const char *fmt, va_list args) PG_PRINTF(2, 0);

static void set_message(struct pg_error *err, const char *fmt, va_list args)
{
    int written = vsnprintf(err->message, sizeof(err->message), fmt, args);
    if (written < 0) {
        err->message[0] = '\0';
    }
}

int pg_error_set(struct pg_error *err, enum pg_error_code code, const char *fmt, ...)
{
    va_list args;
    if (err == NULL) {
        return (int)code;
    }
    err->code = code;
    err->line = 0;
    err->column = 0;
    err->path[0] = '\0';
    va_start(args, fmt);
    set_message(err, fmt, args);
    va_end(args);
    return (int)code;
}

int pg_error_set_at(struct pg_error *err, enum pg_error_code code, uint32_t line, uint32_t column,
                    const char *path, const char *fmt, ...)
{
    va_list args;
    if (err == NULL) {
        return (int)code;
    }
    err->code = code;
    err->line = line;
    err->column = column;
    err->path[0] = '\0';
    if (path != NULL) {
        size_t len = strnlen(path, sizeof(err->path) - 1);
        memcpy(err->path, path, len);
        err->path[len] = '\0';
    }
    va_start(args, fmt);
    set_message(err, fmt, args);
    va_end(args);
    return (int)code;
}

void pg_error_clear(struct pg_error *err)
{
    if (err == NULL) {
        return;
    }
    err->code = PG_OK;
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
    err->path[0] = '\0';
}

const char *pg_error_code_name(enum pg_error_code code)
{
    switch (code) {
    case PG_OK:
        return "ok";
    case PG_EINVAL:
        return "invalid argument";
    case PG_EPARSE:
        return "parse error";
    case PG_ELIMIT:
        return "limit exceeded";
    case PG_ETYPE:
        return "invalid field";
    case PG_EIO:
        return "I/O error";
    case PG_ETLS:
        return "TLS error";
    case PG_ENOENT:
        return "not found";
    case PG_EUNSUPP:
        return "unsupported";
    }
    return "unknown error";
}
