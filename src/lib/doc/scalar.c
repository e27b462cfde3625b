/* SPDX-License-Identifier: Apache-2.0 */
/*
 * go-yaml v2 scalar resolution (resolve.go), as kubectl applies it through
 * sigs.k8s.io/yaml. The tables and grammars below follow that file: exact
 * spellings for null, booleans and special floats; Go's strconv.ParseInt with
 * base 0 after removing every `_` for integers; its yamlStyleFloat pattern
 * for floats. Timestamps stay strings (their text is kept as written).
 */
#include "doc/scalar.h"

#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STACK_NUMBER_MAX 64

struct word {
    const char *text;
    size_t len;
};

#define WORD(s)                                                                                    \
    {                                                                                              \
        (s), sizeof(s) - 1                                                                         \
    }
#define COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* `len` bytes equal, compared in line: the words are at most six bytes, shorter than a call. */
static bool same_bytes(const char *a, const char *b, size_t len)
{
    size_t i = 0;
    for (i = 0; i < len; i++) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    return true;
}

static bool in_table(const char *text, size_t len, const struct word *table, size_t count)
{
    size_t i = 0;
    for (i = 0; i < count; i++) {
        if (len == table[i].len && same_bytes(text, table[i].text, len)) {
            return true;
        }
    }
    return false;
}

static const struct word NULLS[] = {WORD("~"), WORD("null"), WORD("Null"), WORD("NULL")};
static const struct word TRUES[] = {WORD("y"),   WORD("Y"),    WORD("yes"),  WORD("Yes"),
                                    WORD("YES"), WORD("true"), WORD("True"), WORD("TRUE"),
                                    WORD("on"),  WORD("On"),   WORD("ON")};
static const struct word FALSES[] = {WORD("n"),   WORD("N"),     WORD("no"),    WORD("No"),
                                     WORD("NO"),  WORD("false"), WORD("False"), WORD("FALSE"),
                                     WORD("off"), WORD("Off"),   WORD("OFF")};
static const struct word NANS[] = {WORD(".nan"), WORD(".NaN"), WORD(".NAN")};
static const struct word POS_INFS[] = {WORD(".inf"),  WORD(".Inf"),  WORD(".INF"),
                                       WORD("+.inf"), WORD("+.Inf"), WORD("+.INF")};
static const struct word NEG_INFS[] = {WORD("-.inf"), WORD("-.Inf"), WORD("-.INF")};

/* Whether `c` starts a word of the tables below. */
static inline bool starts_word(char c)
{
    switch (c) {
    case '~':
    case 'n':
    case 'N':
    case 'y':
    case 'Y':
    case 't':
    case 'T':
    case 'f':
    case 'F':
    case 'o':
    case 'O':
    case '.':
    case '+':
    case '-':
        return true;
    default:
        return false;
    }
}

static bool resolve_word(struct pg_scalar_value *out, const char *text, size_t len)
{
    /* No word in the tables is longer than 6 bytes. */
    if (len > 6 || (len > 0 && !starts_word(text[0]))) {
        return false;
    }
    if (len == 0 || in_table(text, len, NULLS, COUNT(NULLS))) {
        out->kind = PG_NODE_NULL;
    } else if (in_table(text, len, TRUES, COUNT(TRUES))) {
        out->kind = PG_NODE_BOOL;
        out->boolean = true;
    } else if (in_table(text, len, FALSES, COUNT(FALSES))) {
        out->kind = PG_NODE_BOOL;
        out->boolean = false;
    } else if (in_table(text, len, NANS, COUNT(NANS))) {
        out->kind = PG_NODE_FLOAT;
        out->number = NAN;
    } else if (in_table(text, len, POS_INFS, COUNT(POS_INFS))) {
        out->kind = PG_NODE_FLOAT;
        out->number = INFINITY;
    } else if (in_table(text, len, NEG_INFS, COUNT(NEG_INFS))) {
        out->kind = PG_NODE_FLOAT;
        out->number = -INFINITY;
    } else {
        return false;
    }
    return true;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return 99;
}

/* Base of an unsigned integer literal (Go's base 0); *skip gets the prefix length. */
static unsigned int literal_base(const char *text, size_t len, size_t *skip)
{
    *skip = 0;
    if (len >= 2 && text[0] == '0') {
        char p = text[1];
        *skip = 2;
        if (p == 'b' || p == 'B') {
            return 2;
        }
        if (p == 'o' || p == 'O') {
            return 8;
        }
        if (p == 'x' || p == 'X') {
            return 16;
        }
        /* A leading 0 means octal (`0644`); the 0 itself is a digit. */
        *skip = 0;
        return 8;
    }
    return 10;
}

/*
 * Go's strconv.ParseInt(text, 0, 64) on text without `_`. Returns false when
 * the text is not an integer literal; sets *overflow (and a rounded *approx)
 * when it is one but does not fit in int64.
 */
static bool parse_integer(int64_t *value, double *approx, bool *overflow, const char *text,
                          size_t len)
{
    bool negative = false;
    size_t i = 0;
    size_t skip = 0;
    size_t start = 0;
    unsigned int base = 0;
    uint64_t mag = 0;
    double real = 0.0;
    bool too_big = false;
    if (len > 0 && (text[0] == '+' || text[0] == '-')) {
        negative = text[0] == '-';
        i = 1;
    }
    base = literal_base(text + i, len - i, &skip);
    start = i + skip;
    for (i = start; i < len; i++) {
        unsigned int d = (unsigned int)digit_value(text[i]);
        if (d >= base) {
            return false;
        }
        real = real * base + d;
        if (mag > (UINT64_MAX - d) / base) {
            too_big = true;
        }
        mag = mag * base + d;
    }
    if (start == len) {
        return false;
    }
    *overflow = too_big || mag > (negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX);
    *approx = negative ? -real : real;
    *value = negative ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

static size_t skip_digits(const char *text, size_t len, size_t i)
{
    while (i < len && text[i] >= '0' && text[i] <= '9') {
        i++;
    }
    return i;
}

/* go-yaml's yamlStyleFloat: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`. */
static bool is_yaml_float(const char *text, size_t len)
{
    size_t i = 0;
    size_t start = 0;
    if (i < len && (text[i] == '+' || text[i] == '-')) {
        i++;
    }
    start = i;
    i = skip_digits(text, len, i);
    if (i == start) {
        if (i + 1 >= len || text[i] != '.' || digit_value(text[i + 1]) > 9) {
            return false;
        }
    }
    if (i < len && text[i] == '.') {
        i = skip_digits(text, len, i + 1);
    }
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        size_t exp_start = 0;
        i++;
        if (i < len && (text[i] == '+' || text[i] == '-')) {
            i++;
        }
        exp_start = i;
        i = skip_digits(text, len, i);
        if (i == exp_start) {
            return false;
        }
    }
    return i == len;
}

double pg_scalar_to_double(const char *text, size_t len)
{
    char stack[STACK_NUMBER_MAX];
    char *copy = len < sizeof(stack) ? stack : pg_xmalloc(len + 1);
    size_t used = 0;
    size_t i = 0;
    double value = 0.0;
    for (i = 0; i < len; i++) {
        if (text[i] != '_') {
            copy[used++] = text[i];
        }
    }
    copy[used] = '\0';
    value = strtod(copy, NULL);
    if (copy != stack) {
        free(copy);
    }
    return value;
}

/* A number under go-yaml v2's rules, on text with every `_` removed. */
static void resolve_number(struct pg_scalar_value *out, const char *text, size_t len)
{
    int64_t integer = 0;
    double approx = 0.0;
    bool overflow = false;
    if (parse_integer(&integer, &approx, &overflow, text, len)) {
        out->integer_literal = true;
        out->kind = overflow ? PG_NODE_FLOAT : PG_NODE_INT;
        out->integer = integer;
        out->number = approx;
        if (overflow && is_yaml_float(text, len)) {
            out->number = pg_scalar_to_double(text, len); /* decimal: correctly rounded */
        }
        return;
    }
    if (!is_yaml_float(text, len)) {
        return;
    }
    out->number = pg_scalar_to_double(text, len);
    /* Go's ParseFloat fails with ErrRange beyond ±MaxFloat64: go-yaml keeps a string. */
    if (!isinf(out->number)) {
        out->kind = PG_NODE_FLOAT;
    }
}

/* Copy `text` without its `_` (go-yaml strips them all before parsing a number). */
static void resolve_number_text(struct pg_scalar_value *out, const char *text, size_t len)
{
    char stack[STACK_NUMBER_MAX] = {0};
    char *clean = NULL;
    size_t used = 0;
    size_t i = 0;
    if (memchr(text, '_', len) == NULL) {
        resolve_number(out, text, len);
        return;
    }
    clean = len <= sizeof(stack) ? stack : pg_xmalloc(len);
    for (i = 0; i < len; i++) {
        if (text[i] != '_') {
            clean[used++] = text[i];
        }
    }
    resolve_number(out, clean, used);
    if (clean != stack) {
        free(clean);
    }
}

void pg_scalar_resolve(struct pg_scalar_value *out, const char *text, size_t len)
{
    memset(out, 0, sizeof(*out));
    out->kind = PG_NODE_STR;
    /* Most scalars (names, images, paths) start with a letter that no word or number does. */
    if (len > 0 && !starts_word(text[0]) && !(text[0] >= '0' && text[0] <= '9')) {
        return;
    }
    if (resolve_word(out, text, len)) {
        return;
    }
    /* Like go-yaml, only text that starts like a number is tried as one. */
    if ((text[0] >= '0' && text[0] <= '9') || text[0] == '+' || text[0] == '-' || text[0] == '.') {
        resolve_number_text(out, text, len);
    }
}

bool pg_scalar_resolve_as(struct pg_scalar_value *out, enum pg_node_kind kind, const char *text,
                          size_t len)
{
    struct pg_scalar_value plain;
    pg_scalar_resolve(&plain, text, len);
    *out = plain;
    switch (kind) {
    case PG_NODE_NULL:
    case PG_NODE_BOOL:
        return plain.kind == kind;
    case PG_NODE_INT:
        return plain.integer_literal;
    case PG_NODE_FLOAT:
        if (plain.kind == PG_NODE_INT) {
            out->kind = PG_NODE_FLOAT;
            out->number = (double)plain.integer;
        }
        return out->kind == PG_NODE_FLOAT;
    case PG_NODE_STR:
    case PG_NODE_SEQ:
    case PG_NODE_MAP:
    case PG_NODE_UNREAD:
        return false;
    }
    return false;
}
