/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate scan -j N`: N threads scan, the main thread and N - 1 workers,
 * and the main thread reports their work in input order, so the outcome is
 * the same for every N. In the learning pass a thread learns a file's
 * Namespace labels into a scanner of its own (a learner, see
 * pg_scanner_learn_from); in the scan pass it scans a file into a record
 * (see podgate/scan_record.h) with a fork of the scanner that learned, and
 * the main thread replays it into the report. The workers stay at most a few
 * files per thread ahead; the main thread, while it waits, takes the next
 * file itself. Standard input, unusable paths and (in the scan pass) files
 * too large to hold as a record are the main thread's, in their turn: it
 * reads them in parts and hands the parts out, a few at a time, so memory
 * stays flat and every thread scans (pg_scan_jobs_scan_parts).
 */
#ifndef PG_CLI_SCAN_JOBS_H
#define PG_CLI_SCAN_JOBS_H

#include "inputs.h"
#include "parts.h"

#include "podgate/scan.h"
#include "podgate/scan_record.h"

enum pg_scan_jobs_pass {
    PG_SCAN_JOBS_LEARN,
    PG_SCAN_JOBS_SCAN,
};

struct pg_scan_jobs_options {
    enum pg_scan_jobs_pass pass;
    size_t threads;                     /* worker threads besides the main one (at least 1) */
    const struct pg_inputs *inputs;     /* borrowed until pg_scan_jobs_finish */
    const struct pg_scan_options *scan; /* borrowed: format, limits; learners use them */
    const struct pg_scanner *parent;    /* scan pass: done learning, forked per thread */
    struct pg_scanner *own; /* scan pass: the main thread's fork of `parent`, borrowed */
};

struct pg_scan_jobs;

/*
 * Start the workers; they begin with the first inputs at once. Returns 0, or
 * -1 when no thread could be started (the caller then works on its own).
 */
int pg_scan_jobs_start(struct pg_scan_jobs **out, const struct pg_scan_jobs_options *options);

/*
 * How many threads the scan pass can use, -j being `jobs`: one per input at
 * most, unless an input is read in parts (standard input, a large file).
 */
size_t pg_scan_jobs_scan_threads(const struct pg_inputs *inputs, size_t jobs);

/*
 * Wait until input `index` is ready, meanwhile learning or scanning the next
 * inputs no worker took yet. True when a worker did it: its learner
 * or record is then borrowed until pg_scan_jobs_done; false when the caller
 * must do that input itself. Inputs are taken in order, 0, 1, 2..., each
 * followed by pg_scan_jobs_done.
 */
bool pg_scan_jobs_take(struct pg_scan_jobs *jobs, size_t index);
const struct pg_scanner *pg_scan_jobs_learner(const struct pg_scan_jobs *jobs, size_t index);
const struct pg_scan_record *pg_scan_jobs_record(const struct pg_scan_jobs *jobs, size_t index);

/* The caller is done with input `index`: its slot goes to a later input. */
void pg_scan_jobs_done(struct pg_scan_jobs *jobs, size_t index);

/*
 * Stop the workers (each finishes the file at hand), add the statistics and
 * exemption uses of their forks to `parent` (the scanner they were forked
 * from; NULL after a learning pass) and free everything. NULL is a no-op.
 */
void pg_scan_jobs_finish(struct pg_scan_jobs *jobs, struct pg_scanner *parent);

/*
 * The main thread's turn for a source pg_scan_jobs_take left to it, opened
 * as `parts`: as pg_scan_jobs_scan_source with the `own` scanner, the parts
 * scanned by every thread and reported in order through `sink`.
 */
void pg_scan_jobs_scan_parts(struct pg_scan_jobs *jobs, const char *path, struct pg_parts *parts,
                             const struct pg_scan_sink *sink, bool (*after_part)(void *ctx),
                             void *ctx);

/* Learn the Namespace labels of an opened source, part by part. */
void pg_scan_jobs_learn_source(struct pg_scanner *scanner, struct pg_parts *parts);

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
