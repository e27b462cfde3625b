/* SPDX-License-Identifier: Apache-2.0 */
/* FNV-1a over the identifying fields of a finding (see fingerprint.h). */
#include "report/fingerprint.h"

#include "report/writer.h"

#include <stdio.h>

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
