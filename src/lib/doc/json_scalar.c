/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON string escapes and number syntax, strictly as RFC 8259 has them: jsmn
 * only finds where a token ends, so everything inside one is checked here.
 */
#include "doc/json_scalar.h"

#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

static bool parse_hex4(uint32_t *out, const char *text)
{
    uint32_t value = 0;
    size_t i = 0;
    for (i = 0; i < 4; i++) {
        char c = text[i];
        value <<= 4;
        if (c >= '0' && c <= '9') {
            value |= (uint32_t)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            value |= (uint32_t)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            value |= (uint32_t)(c - 'A' + 10);
        } else {
            return false;
        }
    }
    *out = value;
    return true;
}

static size_t put_utf8(char *out, uint32_t rune)
{
    if (rune < 0x80) {
        out[0] = (char)rune;
        return 1;
    }
    if (rune < 0x800) {
        out[0] = (char)(0xC0 | (rune >> 6));
        out[1] = (char)(0x80 | (rune & 0x3F));
        return 2;
    }
    if (rune < 0x10000) {
        out[0] = (char)(0xE0 | (rune >> 12));
        out[1] = (char)(0x80 | ((rune >> 6) & 0x3F));
        out[2] = (char)(0x80 | (rune & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (rune >> 18));
    out[1] = (char)(0x80 | ((rune >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((rune >> 6) & 0x3F));
    out[3] = (char)(0x80 | (rune & 0x3F));
    return 4;
}

/* A `\u` escape at text[*pos] (the backslash), surrogate pairs joined; advances *pos. */
static bool unescape_unicode(uint32_t *rune, const char *text, size_t end, size_t *pos)
{
    uint32_t high = 0;
    uint32_t low = 0;
    if (*pos + 6 > end || !parse_hex4(&high, text + *pos + 2)) {
        return false;
    }
    *pos += 6;
    if (high >= 0xDC00 && high <= 0xDFFF) {
        return false; /* a low surrogate with no high one before it */
    }
    if (high < 0xD800 || high > 0xDBFF) {
        *rune = high;
        return true;
    }
    if (*pos + 6 > end || text[*pos] != '\\' || text[*pos + 1] != 'u' ||
        !parse_hex4(&low, text + *pos + 2) || low < 0xDC00 || low > 0xDFFF) {
        return false;
    }
    *pos += 6;
    *rune = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    return true;
}

static char simple_escape(char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
        return c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return '\0';
    }
}

/* Copy text[start, end) without escapes into `out`; on failure *bad is the offending offset. */
bool pg_json_unescape(char *out, size_t *out_len, const char *text, size_t start, size_t end,
                      size_t *bad)
{
    size_t i = start;
    size_t used = 0;
    while (i < end) {
        uint32_t rune = 0;
        size_t width = 0;
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20) {
            *bad = i;
            return false;
        }
        if (c != '\\') {
            if (c < 0x80) {
                out[used++] = (char)c;
                i++;
                continue;
            }
            width = pg_utf8_decode(&rune, (const unsigned char *)text + i, end - i);
            if (width == 0) {
                *bad = i;
                return false;
            }
            memcpy(out + used, text + i, width);
            used += width;
            i += width;
            continue;
        }
        *bad = i;
        if (i + 1 < end && text[i + 1] == 'u') {
            if (!unescape_unicode(&rune, text, end, &i)) {
                return false;
            }
            used += put_utf8(out + used, rune);
            continue;
        }
        if (i + 1 >= end || simple_escape(text[i + 1]) == '\0') {
            return false;
        }
        out[used++] = simple_escape(text[i + 1]);
        i += 2;
    }
    *out_len = used;
    return true;
}

static size_t skip_json_digits(const char *text, size_t len, size_t i)
{
    while (i < len && text[i] >= '0' && text[i] <= '9') {
        i++;
    }
    return i;
}

/* RFC 8259 number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; *integral when no . or e. */
static bool is_json_number(const char *text, size_t len, bool *integral)
{
    size_t i = 0;
    size_t start = 0;
    if (i < len && text[i] == '-') {
        i++;
    }
    start = i;
    if (i < len && text[i] == '0') {
        i++;
    } else {
        i = skip_json_digits(text, len, i);
    }
    if (i == start) {
        return false;
    }
    *integral = true;
    if (i < len && text[i] == '.') {
        start = ++i;
        i = skip_json_digits(text, len, i);
        if (i == start) {
            return false;
        }
        *integral = false;
    }
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        if (i < len && (text[i] == '+' || text[i] == '-')) {
            i++;
        }
        start = i;
        i = skip_json_digits(text, len, i);
        if (i == start) {
            return false;
        }
        *integral = false;
    }
    return i == len;
}

/* Decimal integer text (already checked) into int64; false on overflow. */
static bool parse_int64(int64_t *out, const char *text, size_t len)
{
    bool negative = text[0] == '-';
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t value = 0;
    size_t i = negative ? 1 : 0;
    for (; i < len; i++) {
        uint64_t digit = (uint64_t)(text[i] - '0');
        if (value > (limit - digit) / 10) {
            return false;
        }
        value = value * 10 + digit;
    }
    *out = negative ? (int64_t)(0 - value) : (int64_t)value;
    return true;
}

/* true, false, null or a number; false when the token is none of them. */
bool pg_json_primitive(struct pg_scalar_value *out, const char *text, size_t len)
{
    bool integral = false;
    memset(out, 0, sizeof(*out));
    if (len == 4 && memcmp(text, "null", 4) == 0) {
        out->kind = PG_NODE_NULL;
    } else if (len == 4 && memcmp(text, "true", 4) == 0) {
        out->kind = PG_NODE_BOOL;
        out->boolean = true;
    } else if (len == 5 && memcmp(text, "false", 5) == 0) {
        out->kind = PG_NODE_BOOL;
    } else if (!is_json_number(text, len, &integral)) {
        return false;
    } else if (integral && parse_int64(&out->integer, text, len)) {
        out->kind = PG_NODE_INT;
    } else {
        /* Fractions, exponents and integers beyond int64 keep their text as a float. */
        out->kind = PG_NODE_FLOAT;
        out->number = pg_scalar_to_double(text, len);
    }
    return true;
}
