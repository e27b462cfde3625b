/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writer interface behind pg_report: one implementation per format, each
 * keeping its own state and appending to the report's output buffer.
 */
#ifndef PG_REPORT_WRITER_H
#define PG_REPORT_WRITER_H

#include "podgate/report.h"

struct pg_report {
    struct pg_report_options options;
    struct pg_buf out;
    const struct pg_report_writer *writer;
    void *state;
};

struct pg_report_writer {
    void *(*new_state)(struct pg_report *report);
    void (*result)(struct pg_report *report, const struct pg_scan_result *result);
    void (*diag)(struct pg_report *report, const struct pg_scan_diag *diag);
    void (*end_source)(struct pg_report *report, const char *source);
    void (*finish)(struct pg_report *report, const struct pg_scan_stats *stats);
    void (*free_state)(void *state);
};

extern const struct pg_report_writer pg_report_text_writer;
extern const struct pg_report_writer pg_report_json_writer;

/* Severity word of a mode: enforce → "error", warn → "warning", audit → "note". */
const char *pg_report_mode_severity(enum pg_mode mode);

#endif
