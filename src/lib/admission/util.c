/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small helpers of the admission API: Go's time.ParseDuration (for the
 * `?timeout=` query) and a labels map built from key/value pairs (for the
 * namespace callbacks).
 */
#include "admission/admission_internal.h"

#include <string.h>

struct unit {
    const char *name;
    int64_t nanoseconds;
};

static const struct unit UNITS[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xC2\xB5s", 1000}, /* U+00B5 micro sign */
    {"\xCE\xBCs", 1000}, /* U+03BC Greek mu */
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", (int64_t)60 * 1000000000},
    {"h", (int64_t)3600 * 1000000000},
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Digits at *text into *value (saturating at overflow); returns how many. */
static size_t read_digits(const char **text, uint64_t *value, uint64_t *scale, bool *overflow)
{
    size_t count = 0;
    *value = 0;
    *scale = 1;
    while (is_digit(**text)) {
        unsigned digit = (unsigned)(**text - '0');
        if (*value > (UINT64_MAX - digit) / 10) {
            *overflow = true;
        } else {
            *value = *value * 10 + digit;
            *scale = *scale > UINT64_MAX / 10 ? UINT64_MAX : *scale * 10;
        }
        (*text)++;
        count++;
    }
    return count;
}

static const struct unit *read_unit(const char **text)
{
    size_t best = sizeof(UNITS) / sizeof(UNITS[0]);
    size_t best_len = 0;
    size_t i = 0;
    for (i = 0; i < sizeof(UNITS) / sizeof(UNITS[0]); i++) {
        size_t len = strlen(UNITS[i].name);
        if (len > best_len && strncmp(*text, UNITS[i].name, len) == 0) {
            best = i;
            best_len = len;
        }
    }
    if (best_len == 0) {
        return NULL;
    }
    *text += best_len;
    return &UNITS[best];
}

/* One `<number>[.<fraction>]<unit>` element, added to *total. */
static int read_element(const char **text, uint64_t *total)
{
    uint64_t whole = 0;
    uint64_t fraction = 0;
    uint64_t scale = 1;
    uint64_t ignored = 1;
    bool overflow = false;
    size_t digits = read_digits(text, &whole, &ignored, &overflow);
    size_t fraction_digits = 0;
    const struct unit *unit = NULL;
    uint64_t ns = 0;
    if (**text == '.') {
        (*text)++;
        fraction_digits = read_digits(text, &fraction, &scale, &overflow);
    }
    unit = read_unit(text);
    if ((digits == 0 && fraction_digits == 0) || unit == NULL || overflow) {
        return PG_EINVAL;
    }
    if (whole > (uint64_t)INT64_MAX / (uint64_t)unit->nanoseconds) {
        return PG_EINVAL;
    }
    ns = whole * (uint64_t)unit->nanoseconds;
    ns += (uint64_t)((double)fraction * (double)unit->nanoseconds / (double)scale);
    if (ns > (uint64_t)INT64_MAX - *total) {
        return PG_EINVAL;
    }
    *total += ns;
    return 0;
}

int pg_admission_parse_duration(int64_t *out, const char *text)
{
    bool negative = false;
    uint64_t total = 0;
    if (out == NULL || text == NULL || text[0] == '\0') {
        return PG_EINVAL;
    }
    if (text[0] == '-' || text[0] == '+') {
        negative = text[0] == '-';
        text++;
    }
    if (strcmp(text, "0") == 0) {
        *out = 0;
        return 0;
    }
    if (text[0] == '\0') {
        return PG_EINVAL;
    }
    while (text[0] != '\0') {
        if (read_element(&text, &total) != 0) {
            return PG_EINVAL;
        }
    }
    *out = negative ? -(int64_t)total : (int64_t)total;
    return 0;
}

const struct pg_node *pg_admission_labels_node(struct pg_arena *arena, const struct pg_str *keys,
                                               const struct pg_str *values, size_t count)
{
    struct pg_node *map = pg_arena_alloc(arena, sizeof(*map));
    struct pg_map_entry *entries = pg_arena_calloc(arena, count + 1, sizeof(*entries));
    size_t i = 0;
    map->kind = PG_NODE_MAP;
    for (i = 0; i < count; i++) {
        struct pg_node *value = pg_arena_alloc(arena, sizeof(*value));
        value->kind = PG_NODE_STR;
        value->as.str.ptr = pg_arena_strndup(arena, values[i].ptr, values[i].len);
        value->as.str.len = values[i].len;
        value->text = value->as.str;
        entries[i].key.ptr = pg_arena_strndup(arena, keys[i].ptr, keys[i].len);
        entries[i].key.len = keys[i].len;
        entries[i].value = value;
    }
    map->as.map.entries = entries;
    map->as.map.len = count;
    return map;
}
