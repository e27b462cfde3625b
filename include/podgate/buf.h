/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable byte buffer with a maximum size that remembers its first
 * failure: writers append freely and the caller checks `pg_buf_failed` once.
 * The content is always NUL-terminated.
 */
#ifndef PODGATE_BUF_H
#define PODGATE_BUF_H

#include "podgate/common.h"

#include <string.h>

struct pg_buf {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max; /* 0 = no limit beyond SIZE_MAX/2 */
    bool failed;
};

#define PG_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0, false                                                                       \
    }

/* Start empty with a maximum size in bytes (0 = unlimited). */
PG_API void pg_buf_init(struct pg_buf *buf, size_t max);
/* Release the memory; the buffer may be reused after pg_buf_init. */
PG_API void pg_buf_release(struct pg_buf *buf);
/* Empty the buffer, keep its memory, clear the failure flag. */
PG_API void pg_buf_clear(struct pg_buf *buf);

/*
 * Make room for `extra` more bytes (and the NUL) in one step, so a writer that
 * knows roughly how much it will append grows the buffer once. Returns false,
 * and marks the buffer failed, when that would pass the maximum.
 */
PG_API bool pg_buf_reserve(struct pg_buf *buf, size_t extra);
/* The out-of-line part of pg_buf_put: grow, or fail at the maximum. Call pg_buf_put. */
PG_API void pg_buf_put_grow(struct pg_buf *buf, const void *data, size_t len);

/*
 * Appending is inline: rendering is a long run of short appends, and with the
 * common case (room left) inline, a literal's length is a constant and the copy
 * a few moves instead of a call to strlen and one to memcpy.
 */
static inline bool pg_buf_has_room(const struct pg_buf *buf, size_t len)
{
    /* The allocation never passes the maximum (pg_buf_reserve), so this is enough. */
    return !buf->failed && buf->cap - buf->len > len;
}

static inline void pg_buf_put(struct pg_buf *buf, const void *data, size_t len)
{
    if (!pg_buf_has_room(buf, len)) {
        pg_buf_put_grow(buf, data, len);
        return;
    }
    memcpy(buf->ptr + buf->len, data, len);
    buf->len += len;
    buf->ptr[buf->len] = '\0';
}

/* A string literal, its length taken at compile time. */
#define PG_BUF_PUT_LIT(buf, literal) pg_buf_put((buf), "" literal, sizeof(literal) - 1)

static inline void pg_buf_puts(struct pg_buf *buf, const char *text)
{
    pg_buf_put(buf, text, strlen(text));
}

static inline void pg_buf_putc(struct pg_buf *buf, char c)
{
    pg_buf_put(buf, &c, 1);
}

static inline void pg_buf_put_str(struct pg_buf *buf, struct pg_str text)
{
    pg_buf_put(buf, text.ptr, text.len);
}

PG_API void pg_buf_printf(struct pg_buf *buf, const char *fmt, ...) PG_PRINTF(2, 3);
/* Decimal integer. */
PG_API void pg_buf_put_int(struct pg_buf *buf, int64_t value);

/* Go's strconv.Quote (%q) of `text` (spec §1.5). */
PG_API void pg_buf_put_go_quoted(struct pg_buf *buf, struct pg_str text);
/*
 * `text` as a JSON string literal with quotes: '"', '\\' and control
 * characters escaped (\n, \r, \t, else \u00XX), invalid UTF-8 as U+FFFD.
 */
PG_API void pg_buf_put_json_string(struct pg_buf *buf, struct pg_str text);
/*
 * `text` as Go's encoding/json writes a string (HTML-safe, Go 1.22 and
 * later): as pg_buf_put_json_string, but also \b and \f, '<', '>' and '&'
 * as \u003c, \u003e and \u0026, U+2028 and U+2029 as \u2028 and \u2029,
 * and invalid UTF-8 as \ufffd. Admission responses use it to match
 * upstream's bytes. Both reserve room for the text unescaped first: a bounded
 * buffer fails (pg_buf_failed) only when the escaped text does not fit.
 */
PG_API void pg_buf_put_go_json_string(struct pg_buf *buf, struct pg_str text);
/*
 * `text` escaped for XML character data and attribute values alike: markup
 * characters as entities, tab/LF/CR as character references (so attribute
 * values keep them), and what XML 1.0 cannot hold (other C0 controls,
 * U+FFFE, U+FFFF, invalid UTF-8) as U+FFFD.
 */
PG_API void pg_buf_put_xml_escaped(struct pg_buf *buf, struct pg_str text);

PG_API bool pg_buf_failed(const struct pg_buf *buf);

static inline struct pg_str pg_buf_str(const struct pg_buf *buf)
{
    struct pg_str s = {buf->ptr ? buf->ptr : "", buf->len};
    return s;
}

#endif
