/* SPDX-License-Identifier: Apache-2.0 */
/* FNV-1a over the identifying fields of a finding (see fingerprint.h). */
#include "report/fingerprint.h"

#include "report/writer.h"

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

/* Hash `text` and then a NUL, so that ("ab", "c") and ("a", "bc") differ. */
static uint64_t hash_field(uint64_t hash, struct pg_str text)
{
    for (size_t i = 0; i < text.len; i++) {
        hash = (hash ^ (unsigned char)text.ptr[i]) * FNV_PRIME;
    }
    return hash * FNV_PRIME; /* the NUL byte: hash ^ 0 is hash */
}

static uint64_t hash_violation(const char *uri, const struct pg_scan_result *result,
                               enum pg_check_id check)
{
    const struct pg_object_ref *ref = &result->workload->ref;
    uint64_t hash = FNV_OFFSET;
    hash = hash_field(hash, pg_report_cstr(uri));
    hash = hash_field(hash, ref->kind);
    hash = hash_field(hash, ref->namespace_);
    hash = hash_field(hash, ref->name);
    hash = hash_field(hash, pg_report_cstr(pg_mode_name(result->mode)));
    return hash_field(hash, pg_report_cstr(pg_check_name(check)));
}

void pg_fingerprint_violation(char out[PG_FINGERPRINT_SIZE], const char *uri,
                              const struct pg_scan_result *result, enum pg_check_id check)
{
    uint64_t hash = hash_violation(uri, result, check);
    (void)snprintf(out, PG_FINGERPRINT_SIZE, "%016llx", (unsigned long long)hash);
}

void pg_fingerprint_exempted(char out[PG_FINGERPRINT_SIZE], const char *uri,
                             const struct pg_scan_result *result,
                             const struct pg_scan_exempted_violation *exempted)
{
    char index[24];
    uint64_t hash = hash_violation(uri, result, exempted->violation.check);
    (void)snprintf(index, sizeof(index), "%zu", exempted->exemption);
    hash = hash_field(hash, exempted->policy);
    hash = hash_field(hash, pg_report_cstr(index));
    (void)snprintf(out, PG_FINGERPRINT_SIZE, "%016llx", (unsigned long long)hash);
}

/* The slot of `key` in `keys` (cap a power of two): where it is, or the free slot for it. */
static size_t seen_slot(const uint64_t *keys, size_t cap, uint64_t key)
{
    size_t i = (size_t)(key ^ (key >> 32)) & (cap - 1);
    while (keys[i] != 0 && keys[i] != key) {
        i = (i + 1) & (cap - 1);
    }
    return i;
}

static void seen_grow(struct pg_fingerprint_seen *seen)
{
    size_t cap = seen->cap == 0 ? 64 : seen->cap * 2;
    uint64_t *keys = pg_xcalloc(cap, sizeof(*keys));
    uint32_t *uses = pg_xcalloc(cap, sizeof(*uses));
    for (size_t i = 0; i < seen->cap; i++) {
        if (seen->keys[i] != 0) {
            size_t slot = seen_slot(keys, cap, seen->keys[i]);
            keys[slot] = seen->keys[i];
            uses[slot] = seen->uses[i];
        }
    }
    free(seen->keys);
    free(seen->uses);
    seen->keys = keys;
    seen->uses = uses;
    seen->cap = cap;
}

void pg_fingerprint_disambiguate(struct pg_fingerprint_seen *seen,
                                 char fingerprint[PG_FINGERPRINT_SIZE])
{
    uint64_t key = strtoull(fingerprint, NULL, 16);
    char repeat[24];
    size_t slot = 0;
    uint64_t hash = FNV_OFFSET;
    /* 0 marks a free slot; a fingerprint of 0 shares its slot with 1, which only costs a
       needless repeat number in 2^-63 of cases. */
    key |= key == 0;
    if ((seen->len + 1) * 2 > seen->cap) {
        seen_grow(seen);
    }
    slot = seen_slot(seen->keys, seen->cap, key);
    if (seen->keys[slot] == 0) {
        seen->keys[slot] = key;
        seen->len++;
    }
    if (seen->uses[slot]++ == 0) {
        return;
    }
    (void)snprintf(repeat, sizeof(repeat), "%u", (unsigned)(seen->uses[slot] - 1));
    hash = hash_field(hash, pg_report_cstr(fingerprint));
    hash = hash_field(hash, pg_report_cstr(repeat));
    (void)snprintf(fingerprint, PG_FINGERPRINT_SIZE, "%016llx", (unsigned long long)hash);
}

void pg_fingerprint_seen_clear(struct pg_fingerprint_seen *seen)
{
    /* After a large source, don't wipe its big table for each small one that follows. */
    if (seen->cap > 1024) {
        pg_fingerprint_seen_release(seen);
    } else if (seen->len > 0) {
        memset(seen->keys, 0, seen->cap * sizeof(*seen->keys));
        memset(seen->uses, 0, seen->cap * sizeof(*seen->uses));
    }
    seen->len = 0;
}

void pg_fingerprint_seen_release(struct pg_fingerprint_seen *seen)
{
    free(seen->keys);
    free(seen->uses);
    memset(seen, 0, sizeof(*seen));
}
