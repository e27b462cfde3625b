/* SPDX-License-Identifier: Apache-2.0 */
/* Report front: picks the writer for a format and manages the output buffer. */
#include "report/writer.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Output is drained by the caller; this only bounds one undrained burst. */
#define OUTPUT_MAX ((size_t)1 << 30)

int pg_report_format_parse(enum pg_report_format *out, const char *name)
{
    static const char *const NAMES[] = {"text", "json", "sarif", "junit"};
    for (size_t i = 0; i < sizeof(NAMES) / sizeof(NAMES[0]); i++) {
        if (strcmp(name, NAMES[i]) == 0) {
            *out = (enum pg_report_format)i;
            return 0;
        }
    }
    return PG_EINVAL;
}

static const struct pg_report_writer *writer_for(enum pg_report_format format)
{
    switch (format) {
    case PG_REPORT_TEXT:
        return &pg_report_text_writer;
    case PG_REPORT_JSON:
        return &pg_report_json_writer;
    case PG_REPORT_SARIF:
        return &pg_report_sarif_writer;
    case PG_REPORT_JUNIT:
        return &pg_report_junit_writer;
    }
    return NULL;
}

/* "YYYY-MM-DDThh:mm:ss", the only form the JUnit schema's timestamp pattern takes. */
static bool valid_timestamp(const char *text)
{
    static const char SHAPE[] = "dddd-dd-ddTdd:dd:dd";
    if (strlen(text) != sizeof(SHAPE) - 1) {
        return false;
    }
    for (size_t i = 0; i < sizeof(SHAPE) - 1; i++) {
        bool digit = text[i] >= '0' && text[i] <= '9';
        if (SHAPE[i] == 'd' ? !digit : text[i] != SHAPE[i]) {
            return false;
        }
    }
    return true;
}

int pg_report_new(struct pg_report **out, const struct pg_report_options *options,
                  struct pg_error *err)
{
    struct pg_report *report = NULL;
    const struct pg_report_writer *writer = NULL;
    if (out == NULL || options == NULL) {
        return pg_error_set(err, PG_EINVAL, "pg_report_new: NULL argument");
    }
    writer = writer_for(options->format);
    if (writer == NULL) {
        return pg_error_set(err, PG_EINVAL, "unknown report format %d", (int)options->format);
    }
    if (options->timestamp != NULL && !valid_timestamp(options->timestamp)) {
        return pg_error_set(err, PG_EINVAL, "report timestamp \"%s\" is not YYYY-MM-DDThh:mm:ss",
                            options->timestamp);
    }
    report = pg_xcalloc(1, sizeof(*report));
    report->options = *options;
    report->writer = writer;
    pg_buf_init(&report->out, OUTPUT_MAX);
    report->state = writer->new_state(report);
    *out = report;
    return 0;
}

void pg_report_free(struct pg_report *report)
{
    if (report == NULL) {
        return;
    }
    report->writer->free_state(report->state);
    pg_buf_release(&report->out);
    free(report);
}

void pg_report_result(const struct pg_scan_result *result, void *ctx)
{
    struct pg_report *report = ctx;
    report->writer->result(report, result);
}

void pg_report_diag(const struct pg_scan_diag *diag, void *ctx)
{
    struct pg_report *report = ctx;
    report->writer->diag(report, diag);
}

void pg_report_end_source(struct pg_report *report, const char *source)
{
    report->writer->end_source(report, source);
}

void pg_report_finish(struct pg_report *report, const struct pg_scan_stats *stats)
{
    report->writer->finish(report, stats);
}

struct pg_str pg_report_output(const struct pg_report *report)
{
    return pg_buf_str(&report->out);
}

void pg_report_consume(struct pg_report *report)
{
    bool failed = report->out.failed;
    pg_buf_clear(&report->out);
    report->out.failed = failed;
}

bool pg_report_failed(const struct pg_report *report)
{
    return pg_buf_failed(&report->out);
}

const char *pg_report_mode_severity(enum pg_mode mode)
{
    switch (mode) {
    case PG_MODE_ENFORCE:
        return "error";
    case PG_MODE_WARN:
        return "warning";
    case PG_MODE_AUDIT:
        return "note";
    }
    return "error";
}

struct pg_str pg_report_cstr(const char *text)
{
    struct pg_str s = {text != NULL ? text : "", text != NULL ? strlen(text) : 0};
    return s;
}

void pg_report_put_buf(struct pg_report *report, struct pg_buf *part)
{
    pg_buf_put_str(&report->out, pg_buf_str(part));
    if (pg_buf_failed(part)) {
        report->out.failed = true;
    }
    pg_buf_clear(part);
}

void pg_report_put_object(struct pg_buf *out, const struct pg_object_ref *ref, char separator)
{
    pg_buf_put_str(out, ref->kind);
    pg_buf_putc(out, separator);
    if (ref->namespace_.len > 0) {
        pg_buf_put_str(out, ref->namespace_);
        pg_buf_putc(out, '/');
    }
    pg_buf_put_str(out, ref->name.len > 0 ? ref->name : PG_STR_LIT("(unnamed)"));
}

void pg_report_put_violation(struct pg_buf *out, const struct pg_scan_result *result,
                             const struct pg_scan_violation *violation)
{
    char policy[64];
    (void)pg_level_version_format(policy, sizeof(policy), result->policy);
    pg_buf_printf(out, "%s PodSecurity \"%s\": ",
                  result->mode == PG_MODE_ENFORCE ? "violates" : "would violate", policy);
    pg_report_put_reason(out, violation);
}

void pg_report_put_reason(struct pg_buf *out, const struct pg_scan_violation *violation)
{
    pg_buf_put_str(out, violation->reason);
    if (violation->detail.len > 0) {
        pg_buf_puts(out, " (");
        pg_buf_put_str(out, violation->detail);
        pg_buf_putc(out, ')');
    }
}

struct pg_scan_location pg_report_first_location(const struct pg_scan_result *result,
                                                 const struct pg_scan_violation *violation)
{
    struct pg_scan_location location = {result->line, 1, ""};
    if (violation->locations_len > 0) {
        location = violation->locations[0];
    }
    return location;
}
