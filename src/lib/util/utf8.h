/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8 decoding and Go's notion of a printable rune, for go-quote and validation. */
#ifndef PG_UTIL_UTF8_H
#define PG_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode one rune from `s` (len > 0). Returns its width (1–4) and sets *rune,
 * or 0 for an invalid or truncated sequence (overlong forms and surrogates
 * included), which callers treat as one bad byte.
 */
size_t pg_utf8_decode(uint32_t *rune, const unsigned char *s, size_t len);

/* True when all of `s` is valid UTF-8; *bad_offset gets the first bad byte otherwise. */
bool pg_utf8_valid(const unsigned char *s, size_t len, size_t *bad_offset);

/*
 * Go's unicode.IsPrint, approximated: letters, marks, numbers, punctuation,
 * symbols and ASCII space. Controls, format characters, separators other than
 * U+0020, surrogates, noncharacters and private use are not printable.
 */
bool pg_utf8_is_go_printable(uint32_t rune);

#endif
