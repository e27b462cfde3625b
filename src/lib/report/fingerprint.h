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

#endif
