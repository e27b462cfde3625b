/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Structured logs: one JSON object per line on stderr, written with a single
 * write(2) so lines from several threads never interleave.
 */
#include "server.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void pg_log_begin(struct pg_log_line *line, const char *level, const char *msg)
{
    struct timespec now;
    struct tm utc;
    char stamp[64] = "";
    pg_buf_init(&line->buf, 64 * 1024);
    if (clock_gettime(CLOCK_REALTIME, &now) == 0 && gmtime_r(&now.tv_sec, &utc) != NULL) {
        size_t len = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &utc);
        (void)snprintf(stamp + len, sizeof(stamp) - len, ".%03ldZ", now.tv_nsec / 1000000);
    }
    pg_buf_puts(&line->buf, "{\"ts\":\"");
    pg_buf_puts(&line->buf, stamp);
    pg_buf_puts(&line->buf, "\"");
    pg_log_str(line, "level", level);
    pg_log_str(line, "msg", msg);
}

void pg_log_str(struct pg_log_line *line, const char *key, const char *value)
{
    pg_buf_puts(&line->buf, ",\"");
    pg_buf_puts(&line->buf, key);
    pg_buf_puts(&line->buf, "\":");
    pg_buf_put_json_string(&line->buf, (struct pg_str){value, strlen(value)});
}

void pg_log_int(struct pg_log_line *line, const char *key, int64_t value)
{
    pg_buf_printf(&line->buf, ",\"%s\":%lld", key, (long long)value);
}

void pg_log_double(struct pg_log_line *line, const char *key, double value)
{
    pg_buf_printf(&line->buf, ",\"%s\":%.6f", key, value);
}

void pg_log_end(struct pg_log_line *line)
{
    pg_buf_puts(&line->buf, "}\n");
    if (!pg_buf_failed(&line->buf)) {
        /* A failed log write has nowhere to be reported. */
        ssize_t written = write(STDERR_FILENO, line->buf.ptr, line->buf.len);
        (void)written;
    }
    pg_buf_release(&line->buf);
}

void pg_log_message(const char *level, const char *msg, const char *error)
{
    struct pg_log_line line;
    pg_log_begin(&line, level, msg);
    if (error != NULL) {
        pg_log_str(&line, "error", error);
    }
    pg_log_end(&line);
}
