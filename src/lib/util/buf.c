/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growable byte buffer with a ceiling and a sticky failure flag, plus the
 * quoting helpers that writers and message rendering share.
 */
#include "podgate/buf.h"

#include "util/decimal.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
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

/* Length of the run at the start of `text` that strconv.Quote copies: printable ASCII but '"',
 * '\\'. */
static size_t go_quote_plain_run(const char *text, size_t len)
{
    size_t n = 0;
    while (n < len && text[n] >= 0x20 && text[n] < 0x7F && text[n] != '"' && text[n] != '\\') {
        n++;
    }
    return n;
}

void pg_buf_put_go_quoted(struct pg_buf *buf, struct pg_str text)
{
    size_t pos = 0;
    pg_buf_putc(buf, '"');
    while (pos < text.len) {
        uint32_t rune = 0;
        size_t width = go_quote_plain_run(text.ptr + pos, text.len - pos);
        if (width > 0) {
            /* Names and values are mostly plain ASCII: copied a run at a time. */
            pg_buf_put(buf, text.ptr + pos, width);
            pos += width;
            continue;
        }
        width = pg_utf8_decode(&rune, (const unsigned char *)text.ptr + pos, text.len - pos);
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

/*
 * JSON strings, in two styles: the plain one (reports, logs) and Go's
 * encoding/json (the admission response, which must match upstream's bytes).
 * One writer does both: it copies plain text eight bytes at a time ("SIMD
 * within a register") straight into the buffer, whose room it reserves once
 * for the text unescaped and again only when an escape makes the text longer.
 */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/*
 * The writer is inlined into its two callers, so that each has `go` as a
 * constant: as one function with a flag, GCC -O2 tested it and re-loaded the
 * word constants on every word (about 40 instructions a word instead of 20).
 */
#define JSON_INLINE static inline __attribute__((always_inline))

/*
 * What a JSON string does with an ASCII byte: 0 = copy it; a letter = the
 * escape backslash-letter; 'u' = \u00XX; 'h' = the HTML-sensitive <, > and &,
 * which Go escapes as \u00XX and the plain style copies. Go (since 1.22) has
 * the short \b and \f; the plain style writes them as \u00XX.
 */
static const char JSON_ESCAPE[128] = {
    'u', 'u', 'u',         'u',         'u',         'u',         'u',           'u', 'b', 't',
    'n', 'u', 'f',         'r',         'u',         'u',         'u',           'u', 'u', 'u',
    'u', 'u', 'u',         'u',         'u',         'u',         'u',           'u', 'u', 'u',
    'u', 'u', ['"'] = '"', ['&'] = 'h', ['<'] = 'h', ['>'] = 'h', ['\\'] = '\\',
};

JSON_INLINE bool json_plain_byte(unsigned char c, bool go)
{
    return c < 0x80 && (JSON_ESCAPE[c] == 0 || (JSON_ESCAPE[c] == 'h' && !go));
}

/*
 * The bytes of `word` that are not plain (json_plain_byte), marked by their
 * high bit; exact for the lowest marked byte (a borrow only marks bytes above
 * a marked one), which is all json_copy_plain needs.
 */
JSON_INLINE uint64_t json_special(uint64_t word, bool go)
{
    /* '&' is '"' with bit 2 set and '>' is '<' with bit 1 set: one test per pair. */
    uint64_t quote = (go ? word & ~(ONES * 0x04) : word) ^ (ONES * '"');
    uint64_t backslash = word ^ (ONES * '\\');
    uint64_t mask =
        ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | (word - ONES * 0x20) | word;
    if (go) {
        uint64_t angle = (word & ~(ONES * 0x02)) ^ (ONES * '<');
        mask |= (angle - ONES) & ~angle;
    }
    return mask & HIGHS;
}

/* Index in memory order of the first byte marked in `mask` (mask != 0). */
JSON_INLINE unsigned first_marked(uint64_t mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (unsigned)__builtin_clzll(mask) / 8;
#else
    return (unsigned)__builtin_ctzll(mask) / 8;
#endif
}

#if defined(__SSE2__)
/*
 * Sixteen bytes at a time where SSE2 is there (every x86-64): a bit per byte
 * that is not plain. A signed compare finds controls and non-ASCII at once.
 */
JSON_INLINE unsigned json_special16(__m128i bytes, bool go)
{
    __m128i special = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20));
    /* As json_special: '&' and '"' differ in bit 2, '>' and '<' in bit 1. */
    __m128i quote = go ? _mm_andnot_si128(_mm_set1_epi8(0x04), bytes) : bytes;
    special = _mm_or_si128(special, _mm_cmpeq_epi8(quote, _mm_set1_epi8('"')));
    special = _mm_or_si128(special, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\')));
    if (go) {
        __m128i angle = _mm_andnot_si128(_mm_set1_epi8(0x02), bytes);
        special = _mm_or_si128(special, _mm_cmpeq_epi8(angle, _mm_set1_epi8('<')));
    }
    return (unsigned)_mm_movemask_epi8(special);
}
#endif

/*
 * Copy the plain bytes at the start of `in` (left bytes) to `out`; returns
 * how many. `out` must have room for all `left` bytes: whole words are
 * stored before they are checked.
 */
JSON_INLINE size_t json_copy_plain(char *out, const unsigned char *in, size_t left, bool go)
{
    size_t n = 0;
#if defined(__SSE2__)
    while (left - n >= 16) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(const void *)(in + n));
        unsigned special = json_special16(bytes, go);
        _mm_storeu_si128((__m128i *)(void *)(out + n), bytes);
        if (special != 0) {
            return n + (size_t)__builtin_ctz(special);
        }
        n += 16;
    }
#endif
    while (left - n >= 8) {
        uint64_t word = 0;
        uint64_t special = 0;
        memcpy(&word, in + n, sizeof(word));
        special = json_special(word, go);
        memcpy(out + n, &word, sizeof(word));
        if (special != 0) {
            return n + first_marked(special);
        }
        n += 8;
    }
    while (n < left && json_plain_byte(in[n], go)) {
        out[n] = (char)in[n];
        n++;
    }
    return n;
}

static size_t json_u_escape(char *out, uint32_t value)
{
    out[0] = '\\';
    out[1] = 'u';
    out[2] = HEX[(value >> 12) & 0xF];
    out[3] = HEX[(value >> 8) & 0xF];
    out[4] = HEX[(value >> 4) & 0xF];
    out[5] = HEX[value & 0xF];
    return 6;
}

/*
 * What stands for the character at `in` (not plain; left > 0): its bytes into
 * `out` (at most 6), their number returned, the input bytes taken in *width.
 */
static size_t json_escape(char *out, size_t *width, const unsigned char *in, size_t left, bool go)
{
    uint32_t rune = 0;
    char kind = 0;
    *width = 1;
    if (in[0] < 0x80) {
        kind = JSON_ESCAPE[in[0]];
        if (kind == 'h' || (!go && (kind == 'b' || kind == 'f'))) {
            kind = 'u';
        }
        if (kind == 'u') {
            return json_u_escape(out, in[0]);
        }
        out[0] = '\\';
        out[1] = kind;
        return 2;
    }
    *width = pg_utf8_decode(&rune, in, left);
    if (*width == 0) {
        /* One bad byte: U+FFFD, escaped in Go's style, as encoding/json writes it. */
        *width = 1;
        if (go) {
            return json_u_escape(out, 0xFFFD);
        }
        memcpy(out, "\xEF\xBF\xBD", 3);
        return 3;
    }
    /* Go escapes the JavaScript line terminators U+2028 and U+2029. */
    if (go && (rune == 0x2028 || rune == 0x2029)) {
        return json_u_escape(out, rune);
    }
    memcpy(out, in, *width);
    return *width;
}

/* Room for `need` bytes (and the NUL) after the first `at`, which are written. */
static bool json_room(struct pg_buf *buf, size_t at, size_t need)
{
    if (buf->cap - at > need) {
        return true;
    }
    buf->len = at;
    buf->ptr[at] = '\0';
    return pg_buf_reserve(buf, need);
}

JSON_INLINE void put_json_string(struct pg_buf *buf, struct pg_str text, bool go)
{
    const unsigned char *in = (const unsigned char *)text.ptr;
    size_t pos = 0;
    size_t at = 0;
    /* Room for the text as is and both quotes; the loop keeps room for the rest so. */
    if (text.len > SIZE_MAX / 2 || !pg_buf_reserve(buf, text.len + 2)) {
        buf->failed = true;
        return;
    }
    at = buf->len;
    buf->ptr[at++] = '"';
    while (pos < text.len) {
        char escape[6];
        size_t width = 0;
        size_t escape_len = 0;
        size_t plain = json_copy_plain(buf->ptr + at, in + pos, text.len - pos, go);
        pos += plain;
        at += plain;
        if (pos == text.len) {
            break;
        }
        escape_len = json_escape(escape, &width, in + pos, text.len - pos, go);
        /* The escape, the rest of the text as is, the closing quote. */
        if (!json_room(buf, at, escape_len + (text.len - pos - width) + 1)) {
            return;
        }
        /* Two bytes nearly always (\" and \\): stored as such, not through a memcpy call. */
        buf->ptr[at] = escape[0];
        buf->ptr[at + 1] = escape[1];
        if (escape_len > 2) {
            memcpy(buf->ptr + at + 2, escape + 2, escape_len - 2);
        }
        at += escape_len;
        pos += width;
    }
    buf->ptr[at++] = '"';
    buf->ptr[at] = '\0';
    buf->len = at;
}

void pg_buf_put_json_string(struct pg_buf *buf, struct pg_str text)
{
    put_json_string(buf, text, false);
}

void pg_buf_put_go_json_string(struct pg_buf *buf, struct pg_str text)
{
    put_json_string(buf, text, true);
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
