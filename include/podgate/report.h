/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Report writers: turn scan results and diagnostics into text, JSON, SARIF
 * 2.1.0 or JUnit XML. Writers render into an internal bounded buffer; the
 * caller drains it (pg_report_output / pg_report_consume) as often as it
 * likes, so output streams and memory stays flat. What a format must hold
 * back (JSON errors, SARIF notifications, a text group or JUnit suite until
 * its source ends) is all that is kept.
 */
#ifndef PODGATE_REPORT_H
#define PODGATE_REPORT_H

#include "podgate/buf.h"
#include "podgate/scan.h"

enum pg_report_format {
    PG_REPORT_TEXT,
    PG_REPORT_JSON,
    PG_REPORT_SARIF,
    PG_REPORT_JUNIT,
};

/* Parse "text" | "json" | "sarif" | "junit". 0 or PG_EINVAL. */
PG_API int pg_report_format_parse(enum pg_report_format *out, const char *name);

struct pg_report_options {
    enum pg_report_format format;
    bool color;               /* ANSI colours (text only) */
    const char *tool_version; /* "0.1.0" */
    /*
     * SARIF: the directory artifact URIs are relative to (the caller's
     * current directory, absolute). Absolute source paths below it become
     * relative; NULL keeps every absolute path a file:// URI.
     */
    const char *base_dir;
    /*
     * JUnit: the testsuite timestamp, "YYYY-MM-DDThh:mm:ss" in UTC (the schema
     * allows no zone), and the hostname. NULL means "1970-01-01T00:00:00" and
     * "localhost", which keeps reports reproducible.
     */
    const char *timestamp;
    const char *hostname;
};

struct pg_report;

/*
 * A report writer; the caller frees it with pg_report_free. The option
 * strings are borrowed and must outlive the report. PG_EINVAL for a NULL
 * argument, an unknown format or a malformed timestamp.
 */
PG_API int pg_report_new(struct pg_report **out, const struct pg_report_options *options,
                         struct pg_error *err);
PG_API void pg_report_free(struct pg_report *report);

/* Sink callbacks, usable directly in struct pg_scan_sink with the report as ctx. */
PG_API void pg_report_result(const struct pg_scan_result *result, void *report);
PG_API void pg_report_diag(const struct pg_scan_diag *diag, void *report);

/* A source is finished (text groups and JUnit suites close here). */
PG_API void pg_report_end_source(struct pg_report *report, const char *source);

/* Everything is scanned: write summaries and closing brackets. */
PG_API void pg_report_finish(struct pg_report *report, const struct pg_scan_stats *stats);

/* Bytes ready to be written, and how to drop them once written. */
PG_API struct pg_str pg_report_output(const struct pg_report *report);
PG_API void pg_report_consume(struct pg_report *report);

/* True when the writer ran out of its output budget (the output is then incomplete). */
PG_API bool pg_report_failed(const struct pg_report *report);

#endif
