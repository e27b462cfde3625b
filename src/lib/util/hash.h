/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seeded string hashing for the hash indexes that input fills (duplicate map
 * keys, YAML anchors, namespaces). With a fixed function an attacker can
 * choose keys that all land in one bucket and make each lookup walk them all
 * (hash flooding: 200,000 such keys fit in one 3 MiB document); a random seed
 * per index makes that choice impossible to prepare. Output never depends on
 * the seed: the indexes only find things, they do not order them.
 */
#ifndef PG_UTIL_HASH_H
#define PG_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* A fresh seed from the system's random source (getrandom), or from ASLR if it fails. */
uint32_t pg_hash_seed(void);

/* FNV-1a over `len` bytes started from `seed`, then a full avalanche: use any bits. */
uint32_t pg_hash_bytes(uint32_t seed, const void *data, size_t len);

#endif
