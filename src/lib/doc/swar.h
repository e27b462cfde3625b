/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Eight bytes at a time ("SIMD within a register") for the readers' hot scans:
 * finding line breaks, string ends and character counts without looking at
 * each byte. Every mask marks bytes by their high bit (0x80 of that byte).
 */
#ifndef PG_DOC_SWAR_H
#define PG_DOC_SWAR_H

#include <stdint.h>
#include <string.h>

#define PG_SWAR_ONES 0x0101010101010101ull
#define PG_SWAR_HIGHS 0x8080808080808080ull
#define PG_SWAR_LOW7 0x7F7F7F7F7F7F7F7Full

static inline uint64_t pg_swar_load(const void *bytes)
{
    uint64_t word = 0;
    memcpy(&word, bytes, sizeof(word));
    return word;
}

/* Exactly the bytes of `word` equal to `c` (no false positives, so masks can be counted). */
static inline uint64_t pg_swar_eq(uint64_t word, unsigned char c)
{
    uint64_t x = word ^ (PG_SWAR_ONES * c);
    return ~(((x & PG_SWAR_LOW7) + PG_SWAR_LOW7) | x | PG_SWAR_LOW7);
}

/* Non-zero when some byte of `word` is below `n` (n <= 128); positions are not exact. */
static inline uint64_t pg_swar_any_below(uint64_t word, unsigned char n)
{
    return (word - PG_SWAR_ONES * n) & ~word & PG_SWAR_HIGHS;
}

/*
 * The bytes of `word` equal to `c`, exact for the lowest one; bytes above a
 * marked one may be marked too (borrows). Cheaper than pg_swar_eq, and enough
 * to find the first of several kinds of bytes: OR the masks, then
 * pg_swar_first.
 */
static inline uint64_t pg_swar_eq_first(uint64_t word, unsigned char c)
{
    uint64_t x = word ^ (PG_SWAR_ONES * c);
    return (x - PG_SWAR_ONES) & ~x & PG_SWAR_HIGHS;
}

/* Bytes below 0x20 or from 0x80 up, exact for the lowest one (as pg_swar_eq_first). */
static inline uint64_t pg_swar_control_or_high_first(uint64_t word)
{
    return ((word - PG_SWAR_ONES * 0x20) | word) & PG_SWAR_HIGHS;
}

/* Exactly the UTF-8 continuation bytes (10xxxxxx) of `word`. */
static inline uint64_t pg_swar_continuations(uint64_t word)
{
    return word & ~(word << 1) & PG_SWAR_HIGHS;
}

/* Number of bytes marked in `mask` (high bits only): a byte sum by multiplication. */
static inline uint32_t pg_swar_count(uint64_t mask)
{
    return (uint32_t)(((mask >> 7) * PG_SWAR_ONES) >> 56);
}

/* Index in memory order of the first byte marked in `mask` (mask != 0). */
static inline unsigned pg_swar_first(uint64_t mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (unsigned)__builtin_clzll(mask) / 8;
#else
    return (unsigned)__builtin_ctzll(mask) / 8;
#endif
}

#endif
