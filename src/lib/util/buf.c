/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growable byte buffer with a ceiling and a sticky failure flag, plus the
 * quoting helpers that writers and message rendering share.
 */
#include "podgate/buf.h"

#include "util/decimal.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pg_buf_init(struct pg_buf *buf, size_t max)
{
    buf->ptr = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max;
    buf->failed = false;
}

void pg_buf_release(struct pg_buf *buf)
{
    free(buf->ptr);
    buf->ptr = NULL;
    buf->len = 0;
    buf->cap = 0;
}

void pg_buf_clear(struct pg_buf *buf)
{
    buf->len = 0;
    buf->failed = false;
    if (buf->ptr != NULL) {
        buf->ptr[0] = '\0';
    }
}

bool pg_buf_failed(const struct pg_buf *buf)
{
    return buf->failed;
}

bool pg_buf_reserve(struct pg_buf *buf, size_t extra)
{
    size_t limit = buf->max ? buf->max : SIZE_MAX / 2;
    size_t need = 0;
    size_t cap = 0;
    if (buf->failed) {
        return false;
    }
    if (extra > limit || buf->len > limit - extra) {
        buf->failed = true;
        return false;
    }
    need = buf->len + extra + 1;
    if (need <= buf->cap) {
        return true;
    }
    cap = buf->cap ? buf->cap : 256;
    while (cap < need) {
        cap *= 2;
    }
    /* Never past the maximum (need fits, checked above): then room in the allocation is
       room under the maximum too, and pg_buf_has_room needs one comparison. */
    if (buf->max != 0 && cap > buf->max + 1) {
        cap = buf->max + 1;
    }
    buf->ptr = pg_xrealloc(buf->ptr, cap, 1);
    buf->cap = cap;
    /* A reserved but still empty buffer holds "" too. */
    buf->ptr[buf->len] = '\0';
    return true;
}

void pg_buf_put_grow(struct pg_buf *buf, const void *data, size_t len)
{
    if (!pg_buf_reserve(buf, len)) {
        return;
    }
    if (len > 0) {
        memcpy(buf->ptr + buf->len, data, len);
    }
    buf->len += len;
    buf->ptr[buf->len] = '\0';
}

void pg_buf_printf(struct pg_buf *buf, const char *fmt, ...)
{
    va_list args;
    va_list copy;
    int need = 0;
    va_start(args, fmt);
    va_copy(copy, args);
    need = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (need < 0 || !pg_buf_reserve(buf, (size_t)need)) {
        buf->failed = true;
        va_end(args);
        return;
    }
    need = vsnprintf(buf->ptr + buf->len, (size_t)need + 1, fmt, args);
    va_end(args);
    if (need < 0) {
        buf->failed = true;
        return;
    }
    buf->len += (size_t)need;
}

void pg_buf_put_int(struct pg_buf *buf, int64_t value)
{
    char digits[24];
    pg_buf_put_str(buf, pg_decimal(&digits, value));
}

static const char HEX[] = "0123456789abcdef";

static void put_hex_escape(struct pg_buf *buf, char kind, uint32_t value, int digits)
{
    char out[12];
    int i = 0;
    out[0] = '\\';
    out[1] = kind;
    for (i = 0; i < digits; i++) {
        out[2 + i] = HEX[(value >> (4 * (digits - 1 - i))) & 0xF];
    }
    pg_buf_put(buf, out, (size_t)(2 + digits));
}

static bool put_short_escape(struct pg_buf *buf, uint32_t rune)
{
    static const char from[] = "\a\b\f\n\r\t\v";
    static const char to[] = "abfnrtv";
    const char *hit = NULL;
    if (rune == 0 || rune > 0x7F) {
        return false;
    }
    hit = memchr(from, (int)rune, sizeof(from) - 1);
    if (hit == NULL) {
        return false;
    }
    pg_buf_putc(buf, '\\');
    pg_buf_putc(buf, to[hit - from]);
    return true;
}

void pg_buf_put_go_quoted(struct pg_buf *buf, struct pg_str text)
{
    size_t pos = 0;
    pg_buf_putc(buf, '"');
    while (pos < text.len) {
        uint32_t rune = 0;
        size_t width = pg_utf8_decode(&rune, (const unsigned char *)text.ptr + pos, text.len - pos);
        if (width == 0) {
            put_hex_escape(buf, 'x', (unsigned char)text.ptr[pos], 2);
            pos++;
            continue;
        }
        if (rune == '"' || rune == '\\') {
            pg_buf_putc(buf, '\\');
            pg_buf_putc(buf, (char)rune);
        } else if (pg_utf8_is_go_printable(rune)) {
            pg_buf_put(buf, text.ptr + pos, width);
        } else if (put_short_escape(buf, rune)) {
            /* written */
        } else if (rune < 0x20 || rune == 0x7F) {
            put_hex_escape(buf, 'x', rune, 2);
        } else if (rune < 0x10000) {
            put_hex_escape(buf, 'u', rune, 4);
        } else {
            put_hex_escape(buf, 'U', rune, 8);
        }
        pos += width;
    }
    pg_buf_putc(buf, '"');
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#define LOW7 0x7F7F7F7F7F7F7F7Full

/* High bit set in the bytes of `word` equal to `c`, exactly. */
static uint64_t bytes_equal(uint64_t word, unsigned char c)
{
    uint64_t x = word ^ (ONES * c);
    return ~(((x & LOW7) + LOW7) | x | LOW7);
}

/*
 * Length of the run at the start of `text` that JSON takes as is: printable
 * ASCII other than '"' and '\\'. Eight bytes at a time ("SIMD within a
 * register"): report texts are long ASCII runs between a few quotes.
 */
static size_t json_plain_run(const char *text, size_t len)
{
    size_t pos = 0;
    for (; len - pos >= 8; pos += 8) {
        uint64_t word = 0;
        memcpy(&word, text + pos, 8);
        /* Bytes below 0x20 (not exact in position, hence the byte loop after), non-ASCII,
           quotes and backslashes. */
        if ((((word - ONES * 0x20) & ~word) | word | bytes_equal(word, '"') |
             bytes_equal(word, '\\')) &
            HIGHS) {
            break;
        }
    }
    for (; pos < len; pos++) {
        unsigned char c = (unsigned char)text[pos];
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
            break;
        }
    }
    return pos;
}

void pg_buf_put_json_string(struct pg_buf *buf, struct pg_str text)
{
    size_t pos = 0;
    size_t run = 0;
    pg_buf_putc(buf, '"');
    while (pos < text.len) {
        unsigned char c = 0;
        uint32_t rune = 0;
        size_t width = 1;
        pos += json_plain_run(text.ptr + pos, text.len - pos);
        if (pos == text.len) {
            break;
        }
        c = (unsigned char)text.ptr[pos];
        pg_buf_put(buf, text.ptr + run, pos - run);
        if (c >= 0x80) {
            width = pg_utf8_decode(&rune, (const unsigned char *)text.ptr + pos, text.len - pos);
            if (width == 0) {
                pg_buf_puts(buf, "\xEF\xBF\xBD"); /* U+FFFD, as encoding/json does */
                width = 1;
            } else {
                pg_buf_put(buf, text.ptr + pos, width);
            }
        } else if (c == '"' || c == '\\') {
            pg_buf_putc(buf, '\\');
            pg_buf_putc(buf, (char)c);
        } else if (c == '\n') {
            pg_buf_puts(buf, "\\n");
        } else if (c == '\t') {
            pg_buf_puts(buf, "\\t");
        } else if (c == '\r') {
            pg_buf_puts(buf, "\\r");
        } else {
            put_hex_escape(buf, 'u', c, 4);
        }
        pos += width;
        run = pos;
    }
    pg_buf_put(buf, text.ptr + run, pos - run);
    pg_buf_putc(buf, '"');
}

/* The entity or reference that stands for an ASCII byte in XML, or NULL to copy it. */
static const char *xml_reference(unsigned char c)
{
    switch (c) {
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '&':
        return "&amp;";
    case '"':
        return "&quot;";
    case '\'':
        return "&apos;";
    /* References, not raw bytes: a parser turns raw tabs and newlines in an attribute value
       into spaces, and a raw CR anywhere into LF. */
    case '\t':
        return "&#9;";
    case '\n':
        return "&#10;";
    case '\r':
        return "&#13;";
    default:
        /* Other C0 controls are not allowed in XML 1.0 at all, even as references. */
        return c < 0x20 ? "\xEF\xBF\xBD" : NULL;
    }
}

void pg_buf_put_xml_escaped(struct pg_buf *buf, struct pg_str text)
{
    size_t pos = 0;
    while (pos < text.len) {
        unsigned char c = (unsigned char)text.ptr[pos];
        uint32_t rune = 0;
        size_t width = 1;
        const char *reference = c < 0x80 ? xml_reference(c) : NULL;
        if (reference != NULL) {
            pg_buf_puts(buf, reference);
        } else if (c < 0x80) {
            pg_buf_putc(buf, (char)c);
        } else {
            width = pg_utf8_decode(&rune, (const unsigned char *)text.ptr + pos, text.len - pos);
            /* Invalid UTF-8 and U+FFFE/U+FFFF (not XML characters) become U+FFFD. */
            if (width == 0 || rune == 0xFFFE || rune == 0xFFFF) {
                pg_buf_puts(buf, "\xEF\xBF\xBD");
                width = width == 0 ? 1 : width;
            } else {
                pg_buf_put(buf, text.ptr + pos, width);
            }
        }
        pos += width;
    }
}
