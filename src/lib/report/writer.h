/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writer interface behind pg_report: one implementation per format, each
 * keeping its own state and appending to the report's output buffer, plus the
 * few renderings several formats share (see docs/internals/report.md).
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
extern const struct pg_report_writer pg_report_sarif_writer;
extern const struct pg_report_writer pg_report_junit_writer;

/* Severity word of a mode: enforce → "error", warn → "warning", audit → "note". */
const char *pg_report_mode_severity(enum pg_mode mode);

/* A view of a C string; NULL is "". */
struct pg_str pg_report_cstr(const char *text);

/*
 * Append a writer's side buffer (held back until its place in the output) to
 * the output, then empty it. A side buffer that ran out of room makes the
 * output fail too, so pg_report_failed sees every truncation.
 */
void pg_report_put_buf(struct pg_report *report, struct pg_buf *part);

/*
 * "Kind namespace/name", or "Kind name" without a namespace, `(unnamed)`
 * without a name; `separator` replaces the space after the kind.
 */
void pg_report_put_object(struct pg_buf *out, const struct pg_object_ref *ref, char separator);

/* `reason (detail)`, or just `reason` when there is no detail (spec §4.1). */
void pg_report_put_reason(struct pg_buf *out, const struct pg_scan_violation *violation);

/*
 * Upstream's text for one violation: `violates PodSecurity "lv": reason
 * (detail)` (`would violate` outside enforce mode; no parentheses without a
 * detail).
 */
void pg_report_put_violation(struct pg_buf *out, const struct pg_scan_result *result,
                             const struct pg_scan_violation *violation);

/*
 * A finding as one compiler-style line, `file:line:col: severity: Kind
 * ns/name: check: text` with a newline; `color` adds ANSI colours.
 */
void pg_report_put_finding_line(struct pg_buf *out, const struct pg_scan_result *result,
                                const struct pg_scan_violation *violation, bool color);

/*
 * `text` from the input (a file name, a field path) for a line of text output: control
 * characters and bytes that are not UTF-8 as \xNN, so it cannot break or forge a line.
 */
void pg_report_put_printable(struct pg_buf *out, const char *text);

/*
 * A finding an exemption removed as one line, `file:line:col: exempted: Kind
 * ns/name @ lv[ (mode)]: check: container "c", value "v", exemption
 * policy/index: reason` with a newline; the container, volume or annotation,
 * and value only where the finding has them.
 */
void pg_report_put_exempted_line(struct pg_buf *out, const struct pg_scan_result *result,
                                 const struct pg_scan_exempted *exempted);

/* A diagnostic as one line, `file[:line:col]: error|warning: message` with a newline. */
void pg_report_put_diag_line(struct pg_buf *out, const struct pg_scan_diag *diag, bool color);

/* The location a violation is reported at first: its first one, else the object's start. */
struct pg_scan_location pg_report_first_location(const struct pg_scan_result *result,
                                                 const struct pg_scan_violation *violation);

#endif
