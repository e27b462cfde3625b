/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PG_UTIL_DECIMAL_H
#define PG_UTIL_DECIMAL_H

#include "podgate/common.h"

#include <stdint.h>

/*
 * The decimal text of `value`, written at the end of `digits`; returns the view.
 * By hand, not snprintf: reports write a few numbers per finding, and the format
 * machinery cost twenty times the digits.
 */
static inline struct pg_str pg_decimal(char (*digits)[24], int64_t value)
{
    char *end = *digits + sizeof(*digits);
    char *pos = end;
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    do {
        pos--;
        *pos = (char)('0' + (int)(magnitude % 10));
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) {
        pos--;
        *pos = '-';
    }
    return (struct pg_str){pos, (size_t)(end - pos)};
}

#endif
