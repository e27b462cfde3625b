/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared vocabulary of the public API: visibility, string views and the error
 * record every fallible function fills. Nothing here allocates.
 */
#ifndef PODGATE_COMMON_H
#define PODGATE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define PG_API __attribute__((visibility("default")))
#define PG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PG_API
#define PG_PRINTF(fmt, args)
#endif

/* A string view: not NUL-terminated, borrowed from an input buffer or an arena. */
struct pg_str {
    const char *ptr;
    size_t len;
};

#define PG_STR_LIT(s) ((struct pg_str){(s), sizeof(s) - 1})

/* The closed set of error codes. Violations are results, never errors. */
enum pg_error_code {
    PG_OK = 0,
    PG_EINVAL = -1,  /* invalid argument or usage */
    PG_EPARSE = -2,  /* input is not well-formed YAML/JSON */
    PG_ELIMIT = -3,  /* input exceeds a configured limit */
    PG_ETYPE = -4,   /* a field has the wrong type or value for the Kubernetes API */
    PG_EIO = -5,     /* reading or writing failed */
    PG_ETLS = -6,    /* TLS setup or handshake failed */
    PG_ENOENT = -7,  /* something looked up does not exist */
    PG_EUNSUPP = -8, /* valid input that podgate does not handle */
};

#define PG_ERROR_MESSAGE_MAX 512
#define PG_ERROR_PATH_MAX 256

/*
 * Caller-owned error details. `line`/`column` are 1-based, 0 when unknown.
 * `path` is a field path like `spec.containers[0].securityContext`, empty when
 * not applicable.
 */
struct pg_error {
    enum pg_error_code code;
    uint32_t line;
    uint32_t column;
    char message[PG_ERROR_MESSAGE_MAX];
    char path[PG_ERROR_PATH_MAX];
};

/*
 * Record an error and return its code, so call sites read
 * `return pg_error_set(err, PG_EPARSE, "…", …);`. `err` may be NULL.
 */
PG_API int pg_error_set(struct pg_error *err, enum pg_error_code code, const char *fmt, ...)
    PG_PRINTF(3, 4);

/* Like pg_error_set, with a position and a field path (path may be NULL). */
PG_API int pg_error_set_at(struct pg_error *err, enum pg_error_code code, uint32_t line,
                           uint32_t column, const char *path, const char *fmt, ...) PG_PRINTF(6, 7);

/* Reset to PG_OK with empty texts. */
PG_API void pg_error_clear(struct pg_error *err);

/* Short name of a code ("parse error", "limit exceeded", …), never NULL. */
PG_API const char *pg_error_code_name(enum pg_error_code code);

#endif
