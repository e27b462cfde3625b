/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Globs and dates for custom policies. Globs are our own (not fnmatch(3)):
 * they match string views without copies, `*` crosses `/` (image references
 * are paths), they never depend on the locale, and validation and matching
 * share one parser so a pattern that loads always means what it says.
 * Matching keeps one backtrack point, so it is O(pattern × text) at worst.
 */
#include "podgate/custom_policy.h"

#include <stdio.h>

/* Read one set member at *pos (a `\` escapes it). */
static int read_set_byte(unsigned char *out, struct pg_str pattern, size_t *pos, const char **why)
{
    if (pattern.ptr[*pos] == '\\') {
        (*pos)++;
        if (*pos >= pattern.len) {
            *why = "unterminated [ set";
            return PG_EINVAL;
        }
    }
    *out = (unsigned char)pattern.ptr[*pos];
    (*pos)++;
    return 0;
}

/*
 * Parse the set that starts just after a `[` at *pos, and test byte `c` (-1
 * to only validate). On success *pos is past the closing `]`. A `]` right
 * after `[` or `[!` is a member, as in POSIX.
 */
static int read_set(bool *matched_out, struct pg_str pattern, size_t *pos, int c, const char **why)
{
    size_t i = *pos;
    bool negate = false;
    bool found = false;
    bool first = true;
    if (i < pattern.len && (pattern.ptr[i] == '!' || pattern.ptr[i] == '^')) {
        negate = true;
        i++;
    }
    for (;;) {
        unsigned char low = 0;
        unsigned char high = 0;
        if (i >= pattern.len) {
            *why = "unterminated [ set";
            return PG_EINVAL;
        }
        if (pattern.ptr[i] == ']' && !first) {
            break;
        }
        first = false;
        if (read_set_byte(&low, pattern, &i, why) != 0) {
            return PG_EINVAL;
        }
        high = low;
        if (i + 1 < pattern.len && pattern.ptr[i] == '-' && pattern.ptr[i + 1] != ']') {
            i++;
            if (read_set_byte(&high, pattern, &i, why) != 0) {
                return PG_EINVAL;
            }
            if (high < low) {
                *why = "reversed range in [ set";
                return PG_EINVAL;
            }
        }
        found = found || (c >= (int)low && c <= (int)high);
    }
    *pos = i + 1;
    *matched_out = found != negate;
    return 0;
}

int pg_glob_validate(struct pg_str pattern, const char **why)
{
    const char *ignored = NULL;
    size_t i = 0;
    if (why == NULL) {
        why = &ignored;
    }
    if (pattern.len == 0 || pattern.ptr == NULL) {
        *why = "empty pattern";
        return PG_EINVAL;
    }
    while (i < pattern.len) {
        bool matched = false;
        char c = pattern.ptr[i];
        if (c == '[') {
            i++;
            if (read_set(&matched, pattern, &i, -1, why) != 0) {
                return PG_EINVAL;
            }
            continue;
        }
        if (c == '\\' && i + 1 >= pattern.len) {
            *why = "trailing \\";
            return PG_EINVAL;
        }
        i += c == '\\' ? 2 : 1;
    }
    return 0;
}

/* Match one non-`*` item at *pos against byte c, moving *pos past it. */
static bool step(struct pg_str pattern, size_t *pos, unsigned char c)
{
    char item = pattern.ptr[*pos];
    if (item == '?') {
        (*pos)++;
        return true;
    }
    if (item == '[') {
        const char *why = NULL;
        bool matched = false;
        size_t next = *pos + 1;
        if (read_set(&matched, pattern, &next, c, &why) != 0) {
            return false;
        }
        *pos = next;
        return matched;
    }
    if (item == '\\' && *pos + 1 < pattern.len) {
        (*pos)++;
        item = pattern.ptr[*pos];
    }
    (*pos)++;
    return (unsigned char)item == c;
}

bool pg_glob_match(struct pg_str pattern, struct pg_str text)
{
    size_t p = 0;
    size_t t = 0;
    bool have_star = false;
    size_t star_p = 0;
    size_t star_t = 0;
    if (pattern.ptr == NULL || (text.ptr == NULL && text.len != 0)) {
        return false;
    }
    while (t < text.len) {
        size_t next = p;
        if (p < pattern.len && pattern.ptr[p] == '*') {
            have_star = true;
            star_p = ++p;
            star_t = t;
            continue;
        }
        if (p < pattern.len && step(pattern, &next, (unsigned char)text.ptr[t])) {
            p = next;
            t++;
            continue;
        }
        /* Only the last `*` needs to take one more byte: earlier ones can stay as they are. */
        if (!have_star) {
            return false;
        }
        p = star_p;
        t = ++star_t;
    }
    while (p < pattern.len && pattern.ptr[p] == '*') {
        p++;
    }
    return p == pattern.len;
}

/* ---- dates ---- */

static bool is_leap(uint32_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static uint32_t days_in_month(uint32_t year, uint32_t month)
{
    static const uint8_t DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap(year)) {
        return 29;
    }
    return DAYS[month - 1];
}

static bool valid_ymd(uint32_t year, uint32_t month, uint32_t day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

bool pg_date_valid(struct pg_date date)
{
    return valid_ymd(date.ymd / 10000, date.ymd / 100 % 100, date.ymd % 100);
}

static bool read_digits(uint32_t *out, const char *text, size_t count)
{
    uint32_t value = 0;
    for (size_t i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        value = value * 10 + (uint32_t)(text[i] - '0');
    }
    *out = value;
    return true;
}

int pg_date_parse(struct pg_date *out, const char *text, size_t len)
{
    uint32_t year = 0;
    uint32_t month = 0;
    uint32_t day = 0;
    if (out == NULL || text == NULL || len != 10 || text[4] != '-' || text[7] != '-') {
        return PG_EINVAL;
    }
    if (!read_digits(&year, text, 4) || !read_digits(&month, text + 5, 2) ||
        !read_digits(&day, text + 8, 2) || !valid_ymd(year, month, day)) {
        return PG_EINVAL;
    }
    out->ymd = year * 10000 + month * 100 + day;
    return 0;
}

struct pg_date pg_date_from_unix(int64_t seconds)
{
    /* Howard Hinnant's civil_from_days, on days since 1970-01-01 (floor division). */
    int64_t days = seconds / 86400 - (seconds % 86400 < 0 ? 1 : 0);
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    struct pg_date date = {0};
    if (year >= 1 && year <= 9999) {
        date.ymd = (uint32_t)(year * 10000 + month * 100 + day);
    }
    return date;
}

size_t pg_date_format(char *buf, size_t size, struct pg_date date)
{
    int written = snprintf(buf, size, "%04u-%02u-%02u", (unsigned)(date.ymd / 10000),
                           (unsigned)(date.ymd / 100 % 100), (unsigned)(date.ymd % 100));
    return written < 0 ? 0 : (size_t)written;
}
