/* SPDX-License-Identifier: Apache-2.0 */
/* Seeded string hashing against hash flooding (see hash.h). */
#include "util/hash.h"

#include <sys/random.h>

uint32_t pg_hash_seed(void)
{
    uint32_t seed = 0;
    if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed)) {
        return seed;
    }
    /* No entropy yet (early boot): the stack address still differs per process with ASLR. */
    return (uint32_t)(uintptr_t)&seed * 2654435761u;
}

uint32_t pg_hash_bytes(uint32_t seed, const void *data, size_t len)
{
    const unsigned char *bytes = data;
    uint32_t hash = 2166136261u ^ seed;
    for (size_t i = 0; i < len; i++) {
        hash ^= bytes[i];
        hash *= 16777619u;
    }
    /* FNV's low bits depend only on the low bits of its input: mix (murmur3's finaliser). */
    hash ^= hash >> 16;
    hash *= 0x85ebca6bu;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35u;
    hash ^= hash >> 16;
    return hash;
}
