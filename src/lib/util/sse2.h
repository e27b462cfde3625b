/* SPDX-License-Identifier: Apache-2.0 */
/* SSE2 helpers shared by the byte scans: line counts and document splitting. */
#ifndef PG_UTIL_SSE2_H
#define PG_UTIL_SSE2_H

#ifdef __SSE2__
#include <emmintrin.h>
#include <stddef.h>

/*
 * The sum of the 16 byte counters in `counts`. Scans add 0/1 per byte into
 * such counters and sum them before any can pass 255: plain x86-64 has no
 * popcount instruction, and this costs one psadbw per 63 blocks.
 */
static inline size_t pg_sse2_sum_bytes(__m128i counts)
{
    __m128i sums = _mm_sad_epu8(counts, _mm_setzero_si128());
    return (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
}
#endif

#endif
