/* SPDX-License-Identifier: Apache-2.0 */
/* The progress line of long scans (see progress.h). */
#include "progress.h"

#include <unistd.h>

/* Shown only after this long, so that quick scans never flicker. */
#define DELAY_MS 1000
#define REDRAW_MS 100

static long long elapsed_ms(const struct timespec *since, const struct timespec *now)
{
    return (long long)(now->tv_sec - since->tv_sec) * 1000 +
           (now->tv_nsec - since->tv_nsec) / 1000000;
}

void pg_progress_start(struct pg_progress *progress, FILE *stream)
{
    progress->stream = stream;
    progress->enabled =
        isatty(fileno(stream)) == 1 && clock_gettime(CLOCK_MONOTONIC, &progress->start) == 0;
    progress->visible = false;
    progress->drawn = progress->start;
}

void pg_progress_update(struct pg_progress *progress, const char *phase, size_t done, size_t total)
{
    struct timespec now;
    if (!progress->enabled || clock_gettime(CLOCK_MONOTONIC, &now) != 0 ||
        elapsed_ms(&progress->start, &now) < DELAY_MS ||
        elapsed_ms(&progress->drawn, &now) < REDRAW_MS) {
        return;
    }
    /* A failed write only loses the progress line: nothing to report. */
    (void)fprintf(progress->stream, "\r\033[Kpodgate: %s %zu/%zu files (%zu%%)", phase, done, total,
                  total > 0 ? done * 100 / total : 100);
    (void)fflush(progress->stream);
    progress->visible = true;
    progress->drawn = now;
}

void pg_progress_clear(struct pg_progress *progress)
{
    if (!progress->visible) {
        return;
    }
    (void)fputs("\r\033[K", progress->stream);
    (void)fflush(progress->stream);
    progress->visible = false;
}
