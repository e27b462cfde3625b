/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stable identities of findings for SARIF partialFingerprints, which code
 * scanning uses to recognise a finding from one run to the next.
 */
#ifndef PG_REPORT_FINGERPRINT_H
#define PG_REPORT_FINGERPRINT_H

#include "podgate/scan.h"

/* 16 lowercase hex digits and a NUL. */
#define PG_FINGERPRINT_SIZE 17

/*
 * The identity of one violation of `result`: FNV-1a (64 bits) over the source
 * URI, the object's kind, namespace and name, the mode and the check, each
 * ended by a NUL byte. One result per check, workload and mode means nothing
 * else is needed to tell results apart, and leaving out positions, container
 * names and texts keeps an alert open (not closed and reopened) when lines
 * move, when unrelated fields change, or when one of two offending
 * containers is fixed. Changing this function reopens every alert: don't.
 */
void pg_fingerprint_violation(char out[PG_FINGERPRINT_SIZE], const char *uri,
                              const struct pg_scan_result *result, enum pg_check_id check);

/*
 * The identity of what one exemption removed from one check of `result`: the
 * violation's identity (same fields, so the same stability) followed by the
 * policy's name and the exemption's index. A value exemption can leave other
 * findings of the check standing, so an exempted result must never share the
 * identity of the ordinary one, nor of another exemption's.
 */
void pg_fingerprint_exempted(char out[PG_FINGERPRINT_SIZE], const char *uri,
                             const struct pg_scan_result *result,
                             const struct pg_scan_exempted_violation *exempted);

/*
 * Two workloads of one source can share an identity (two Jobs with only a
 * generateName, a name repeated in two documents); their results would then
 * share fingerprints, and code scanning would fold two alerts into one. The
 * set remembers the fingerprints given out for the current source: the first
 * use of one stays as it is, so no existing alert moves; the nth repeat
 * (n >= 1) becomes FNV-1a over the fingerprint text and the decimal n.
 */
struct pg_fingerprint_seen {
    uint64_t *keys; /* open addressing; 0 marks a free slot */
    uint32_t *uses;
    size_t cap;
    size_t len;
};

/* Make `fingerprint` unique among those seen since the last clear, and remember it. */
void pg_fingerprint_disambiguate(struct pg_fingerprint_seen *seen,
                                 char fingerprint[PG_FINGERPRINT_SIZE]);

/* Forget every fingerprint (a new source starts); keeps the memory unless the table is large. */
void pg_fingerprint_seen_clear(struct pg_fingerprint_seen *seen);

void pg_fingerprint_seen_release(struct pg_fingerprint_seen *seen);

#endif
