/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8 decoding (RFC 3629) and Go's printable-rune test for go-quote. */
#include "util/utf8.h"

size_t pg_utf8_decode(uint32_t *rune, const unsigned char *s, size_t len)
{
    uint32_t value = 0;
    size_t width = 0;
    size_t i = 0;
    uint32_t min = 0;
    if (s[0] < 0x80) {
        *rune = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        width = 2;
        value = s[0] & 0x1F;
        min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        width = 3;
        value = s[0] & 0x0F;
        min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        width = 4;
        value = s[0] & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < width) {
        return 0;
    }
    for (i = 1; i < width; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        value = (value << 6) | (s[i] & 0x3F);
    }
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return 0;
    }
    *rune = value;
    return width;
}

bool pg_utf8_valid(const unsigned char *s, size_t len, size_t *bad_offset)
{
    size_t pos = 0;
    while (pos < len) {
        uint32_t rune = 0;
        size_t width = 0;
        if (s[pos] < 0x80) {
            pos++;
            continue;
        }
        width = pg_utf8_decode(&rune, s + pos, len - pos);
        if (width == 0) {
            if (bad_offset != NULL) {
                *bad_offset = pos;
            }
            return false;
        }
        pos += width;
    }
    return true;
}

struct range {
    uint32_t lo;
    uint32_t hi;
};

/* Runes Go does not print: C1 controls, format and separator characters, specials. */
static const struct range NOT_PRINTABLE[] = {
    {0x00, 0x1F},       {0x7F, 0xA0},       {0xAD, 0xAD},       {0x600, 0x605},
    {0x61C, 0x61C},     {0x6DD, 0x6DD},     {0x70F, 0x70F},     {0x180E, 0x180E},
    {0x2000, 0x200F},   {0x2028, 0x202F},   {0x205F, 0x206F},   {0x3000, 0x3000},
    {0xD800, 0xF8FF},   {0xFEFF, 0xFEFF},   {0xFFF0, 0xFFFB},   {0xFFFE, 0xFFFF},
    {0x110BD, 0x110BD}, {0x1D173, 0x1D17A}, {0xE0000, 0xE007F}, {0xF0000, 0x10FFFF},
};

bool pg_utf8_is_go_printable(uint32_t rune)
{
    size_t i = 0;
    for (i = 0; i < sizeof(NOT_PRINTABLE) / sizeof(NOT_PRINTABLE[0]); i++) {
        if (rune >= NOT_PRINTABLE[i].lo && rune <= NOT_PRINTABLE[i].hi) {
            return false;
        }
    }
    return (rune & 0xFFFF) < 0xFFFE;
}
