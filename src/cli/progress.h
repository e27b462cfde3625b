/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A progress line on a terminal for long scans and audits: it appears once a scan has
 * run for a second, is redrawn at most ten times a second, and is erased
 * before report output reaches the same terminal and at the end. On
 * anything but a terminal it does nothing.
 */
#ifndef PG_CLI_PROGRESS_H
#define PG_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

struct pg_progress {
    FILE *stream;
    bool enabled; /* the stream is a terminal */
    bool visible; /* a line is on screen */
    struct timespec start;
    struct timespec drawn;
};

/* Start timing; the line only ever shows when `stream` is a terminal. */
void pg_progress_start(struct pg_progress *progress, FILE *stream);

/* Report `done` of `total` files in `phase` ("scanning"); draws when it is time to. */
void pg_progress_update(struct pg_progress *progress, const char *phase, size_t done, size_t total);

/* True when a line would be drawn now (a terminal, after the first second, ≤ 10 a second). */
bool pg_progress_due(const struct pg_progress *progress);

/* Draw `text` as the whole line now; callers that format it first ask pg_progress_due. */
void pg_progress_draw(struct pg_progress *progress, const char *text);

/* Erase the line, if one is shown (before other output, and at the end). */
void pg_progress_clear(struct pg_progress *progress);

#endif
