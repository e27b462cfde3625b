/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate scan -j N`: worker threads scan files into records (see
 * podgate/scan_record.h), each with a fork of the scanner that learned the
 * Namespace labels, while the main thread takes the records in input order
 * and replays them into the report, so the output is the same for every N.
 * Workers stay at most a few files per thread ahead of the main thread, and
 * leave it standard input, unusable paths and large files, which it scans in
 * their turn as `-j1` does (streamed in parts: memory stays flat).
 */
#ifndef PG_CLI_SCAN_JOBS_H
#define PG_CLI_SCAN_JOBS_H

#include "inputs.h"
#include "parts.h"

#include "podgate/scan.h"
#include "podgate/scan_record.h"

struct pg_scan_jobs_options {
    size_t threads;                  /* worker threads (at least 1) */
    const struct pg_inputs *inputs;  /* borrowed until pg_scan_jobs_finish */
    const struct pg_scanner *parent; /* done learning; forked once per thread */
    enum pg_doc_format format;
    const struct pg_limits *limits; /* borrowed */
};

struct pg_scan_jobs;

/*
 * Start the workers; they begin with the first inputs at once. Returns 0, or
 * -1 when no thread could be started (the caller then scans on its own).
 */
int pg_scan_jobs_start(struct pg_scan_jobs **out, const struct pg_scan_jobs_options *options);

/*
 * Wait until input `index` is ready and return its record (borrowed until
 * pg_scan_jobs_done), or NULL when the caller must scan that input itself.
 * Inputs are taken in order, 0, 1, 2..., each followed by pg_scan_jobs_done.
 */
const struct pg_scan_record *pg_scan_jobs_take(struct pg_scan_jobs *jobs, size_t index);

/* The caller is done with input `index`: its slot goes to the next input. */
void pg_scan_jobs_done(struct pg_scan_jobs *jobs, size_t index);

/*
 * Stop the workers (each finishes the file it is scanning), add their
 * scanners' statistics and exemption uses to `parent` (the scanner they were
 * forked from) and free everything. NULL is a no-op.
 */
void pg_scan_jobs_finish(struct pg_scan_jobs *jobs, struct pg_scanner *parent);

/*
 * Scan an opened source part by part through `sink`, as every source is
 * scanned (counted once; a part that cannot be read becomes an error at its
 * position). `after_part` (may be NULL) runs after each part and returns
 * false to stop reading.
 */
void pg_scan_jobs_scan_source(struct pg_scanner *scanner, const char *path, struct pg_parts *parts,
                              const struct pg_scan_sink *sink, bool (*after_part)(void *ctx),
                              void *ctx);

#endif
