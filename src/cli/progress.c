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

bool pg_progress_due(const struct pg_progress *progress)
{
    struct timespec now;
    return progress->enabled && clock_gettime(CLOCK_MONOTONIC, &now) == 0 &&
           elapsed_ms(&progress->start, &now) >= DELAY_MS &&
           elapsed_ms(&progress->drawn, &now) >= REDRAW_MS;
}

void pg_progress_draw(struct pg_progress *progress, const char *text)
{
    if (!progress->enabled) {
        return;
    }
    /* A failed write only loses the progress line: nothing to report. */
    (void)fprintf(progress->stream, "\r\033[K%s", text);
    (void)fflush(progress->stream);
    progress->visible = true;
    if (clock_gettime(CLOCK_MONOTONIC, &progress->drawn) != 0) {
        progress->enabled = false; /* no clock, no pacing: stop rather than flood */
    }
}

void pg_progress_update(struct pg_progress *progress, const char *phase, size_t done, size_t total)
{
    char text[256];
    if (!pg_progress_due(progress)) {
        return;
    }
    (void)snprintf(text, sizeof(text), "podgate: %s %zu/%zu files (%zu%%)", phase, done, total,
                   total > 0 ? done * 100 / total : 100);
    pg_progress_draw(progress, text);
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
