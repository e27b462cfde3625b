/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan records: an owned copy of what a scanner handed its sink (results and
 * diagnostics, in order), replayed later into another sink. This is how a
 * scan of many sources runs in several threads and still reports in input
 * order: each thread records the sources it scans, and one thread replays the
 * records in order into the report writer. It is not a serialisation format.
 */
#ifndef PODGATE_SCAN_RECORD_H
#define PODGATE_SCAN_RECORD_H

#include "podgate/scan.h"

struct pg_scan_record;

/* An empty record (free with pg_scan_record_free). PG_EINVAL for a NULL `out`. */
PG_API int pg_scan_record_new(struct pg_scan_record **out, struct pg_error *err);
PG_API void pg_scan_record_free(struct pg_scan_record *record);

/*
 * A sink that appends a copy of every result and diagnostic to `record` (its
 * ctx). Copying costs about what a report writer spends on the same result.
 */
PG_API struct pg_scan_sink pg_scan_record_sink(struct pg_scan_record *record);

/*
 * Hand every recorded result and diagnostic to `sink` in the order they
 * came; as from a scanner, what they point to is valid during the call only.
 * A replayed result has everything the report writers read: position,
 * workload identity strings (kind, apiVersion, namespace, name), policy,
 * mode, verdict, violations with texts and locations, message, custom
 * policy and exempted findings. The document tree is gone: the workload's
 * node, labels, pod_metadata and pod_spec, and the result's `pod` and
 * `findings`, are NULL. `custom_policy` still points into the policy set,
 * which must outlive the replay.
 */
PG_API void pg_scan_record_replay(const struct pg_scan_record *record,
                                  const struct pg_scan_sink *sink);

/*
 * As pg_scan_record_replay, with `document_offset` added to every document
 * index: a part of a source, recorded as if its first document were the
 * source's first, is replayed where it lies in the source.
 */
PG_API void pg_scan_record_replay_shifted(const struct pg_scan_record *record,
                                          size_t document_offset, const struct pg_scan_sink *sink);

/* Forget what was recorded, keeping some memory for the next use. */
PG_API void pg_scan_record_clear(struct pg_scan_record *record);

/* How many results and diagnostics are recorded. */
PG_API size_t pg_scan_record_len(const struct pg_scan_record *record);

#endif
