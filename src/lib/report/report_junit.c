/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `-o junit` writer: JUnit XML as the Apache Ant schema has it (Jenkins,
 * GitLab, Azure DevOps). One testsuite per source, one testcase per workload
 * and policy; an enforce violation fails its case, warn/audit findings,
 * findings custom policy exemptions removed and warnings go to the suite's
 * system-out, and an input error is a case with an error. A suite's counts
 * come before its cases, so each source is held back until it ends; nothing
 * else is kept.
 */
#include "report/writer.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct junit_state {
    struct pg_buf cases;   /* testcases of the current source */
    struct pg_buf stdout_; /* system-out of the current source */
    struct pg_buf scratch; /* texts composed before escaping */
    char *source;          /* the current source, NULL when nothing is held */
    size_t tests;
    size_t failures;
    size_t errors;
    size_t suites;
};

static void *junit_new(struct pg_report *report)
{
    struct junit_state *state = pg_xcalloc(1, sizeof(*state));
    pg_buf_init(&state->cases, 0);
    pg_buf_init(&state->stdout_, 0);
    pg_buf_init(&state->scratch, 0);
    pg_buf_puts(&report->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    return state;
}

static void junit_free(void *ptr)
{
    struct junit_state *state = ptr;
    if (state == NULL) {
        return;
    }
    pg_buf_release(&state->cases);
    pg_buf_release(&state->stdout_);
    pg_buf_release(&state->scratch);
    free(state->source);
    free(state);
}

static void put_escaped(struct pg_buf *out, const char *text)
{
    pg_buf_put_xml_escaped(out, pg_report_cstr(text));
}

/*
 * The scratch text as character data, escaped line by line so that its
 * newlines stay newlines (the escaper writes references, which attribute
 * values need but make bodies unreadable); empties the scratch buffer.
 */
static void put_scratch(struct pg_buf *out, struct pg_buf *scratch)
{
    struct pg_str rest = pg_buf_str(scratch);
    while (rest.len > 0) {
        const char *newline = memchr(rest.ptr, '\n', rest.len);
        struct pg_str line = {rest.ptr, newline != NULL ? (size_t)(newline - rest.ptr) : rest.len};
        pg_buf_put_xml_escaped(out, line);
        if (newline == NULL) {
            break;
        }
        pg_buf_putc(out, '\n');
        rest.ptr = newline + 1;
        rest.len -= line.len + 1;
    }
    pg_buf_clear(scratch);
}

/* The source as JUnit names it: stdin reads better than "-". */
static const char *source_name(const char *source)
{
    return strcmp(source, "-") == 0 ? "stdin" : source;
}

static void put_suite_open(struct pg_report *report, const struct junit_state *state)
{
    struct pg_buf *out = &report->out;
    const char *timestamp = report->options.timestamp;
    const char *hostname = report->options.hostname;
    pg_buf_puts(out, "  <testsuite name=\"");
    put_escaped(out, source_name(state->source));
    pg_buf_puts(out, "\" package=\"");
    put_escaped(out, source_name(state->source));
    pg_buf_printf(out,
                  "\" id=\"%zu\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" "
                  "time=\"0\" timestamp=\"%s\" hostname=\"",
                  state->suites, state->tests, state->failures, state->errors,
                  timestamp != NULL ? timestamp : "1970-01-01T00:00:00");
    put_escaped(out, hostname != NULL && hostname[0] != '\0' ? hostname : "localhost");
    pg_buf_puts(out, "\">\n    <properties>\n      <property name=\"podgate.version\" value=\"");
    put_escaped(out, report->options.tool_version != NULL ? report->options.tool_version : "");
    pg_buf_puts(out, "\"/>\n    </properties>\n");
}

/* Write the held-back suite of the current source, if any. */
static void flush_suite(struct pg_report *report, struct junit_state *state)
{
    struct pg_buf *out = &report->out;
    if (state->source == NULL) {
        return;
    }
    put_suite_open(report, state);
    pg_report_put_buf(report, &state->cases);
    pg_buf_puts(out, "    <system-out>");
    pg_report_put_buf(report, &state->stdout_);
    pg_buf_puts(out, "</system-out>\n    <system-err></system-err>\n  </testsuite>\n");
    free(state->source);
    state->source = NULL;
    state->tests = 0;
    state->failures = 0;
    state->errors = 0;
    state->suites++;
}

/* Suites follow sources: something from another source closes the current suite first. */
static void enter_source(struct pg_report *report, struct junit_state *state, const char *source)
{
    if (state->source != NULL && strcmp(state->source, source) == 0) {
        return;
    }
    flush_suite(report, state);
    state->source = pg_xstrndup(source, strlen(source));
}

/* `<testcase name="Kind/ns/name @ policy[ (mode)]" classname="source" time="0"`, unclosed. */
static void put_case_open(struct junit_state *state, const struct pg_scan_result *result)
{
    char policy[64];
    (void)pg_level_version_format(policy, sizeof(policy), result->policy);
    pg_report_put_object(&state->scratch, &result->workload->ref, '/');
    pg_buf_printf(&state->scratch, " @ %s", policy);
    if (result->mode != PG_MODE_ENFORCE) {
        pg_buf_printf(&state->scratch, " (%s)", pg_mode_name(result->mode));
    }
    pg_buf_puts(&state->cases, "    <testcase name=\"");
    pg_buf_put_xml_escaped(&state->cases, pg_buf_str(&state->scratch)); /* an attribute */
    pg_buf_clear(&state->scratch);
    pg_buf_puts(&state->cases, "\" classname=\"");
    put_escaped(&state->cases, source_name(result->source));
    pg_buf_puts(&state->cases, "\" time=\"0\"");
}

/* The failure body: each violation, then each of its locations on an indented line. */
static void put_violations(struct pg_buf *out, const struct pg_scan_result *result)
{
    for (size_t i = 0; i < result->violations_len; i++) {
        const struct pg_scan_violation *violation = &result->violations[i];
        pg_buf_printf(out, "%s: ", pg_check_name(violation->check));
        pg_report_put_reason(out, violation);
        pg_buf_putc(out, '\n');
        for (size_t j = 0; j < violation->locations_len; j++) {
            const struct pg_scan_location *location = &violation->locations[j];
            /* One line per location, whatever the file name or path holds. */
            pg_buf_puts(out, "  ");
            pg_report_put_printable(out, source_name(result->source));
            pg_buf_printf(out, ":%u:%u", (unsigned)location->line, (unsigned)location->column);
            if (location->path[0] != '\0') {
                pg_buf_putc(out, ' ');
                pg_report_put_printable(out, location->path);
            }
            pg_buf_putc(out, '\n');
        }
    }
}

static void junit_result(struct pg_report *report, const struct pg_scan_result *result)
{
    struct junit_state *state = report->state;
    enter_source(report, state, result->source);
    state->tests++;
    /* The Ant schema gives a testcase no system-out: exempted findings are noted in the suite's,
       a line each, and never fail the case. */
    for (size_t i = 0; i < result->exempted_len; i++) {
        pg_report_put_exempted_line(&state->scratch, result, &result->exempted[i]);
    }
    put_scratch(&state->stdout_, &state->scratch);
    put_case_open(state, result);
    if (result->allowed || result->mode != PG_MODE_ENFORCE) {
        pg_buf_puts(&state->cases, "/>\n");
        for (size_t i = 0; i < result->violations_len; i++) {
            pg_report_put_finding_line(&state->scratch, result, &result->violations[i], false);
        }
        put_scratch(&state->stdout_, &state->scratch);
        return;
    }
    state->failures++;
    pg_buf_puts(&state->cases, ">\n      <failure message=\"");
    pg_buf_put_xml_escaped(&state->cases, result->message);
    pg_buf_puts(&state->cases, "\" type=\"PodSecurity\">");
    put_violations(&state->scratch, result);
    put_scratch(&state->cases, &state->scratch);
    pg_buf_puts(&state->cases, "</failure>\n    </testcase>\n");
}

/* An error is a case of its own, named after the document; a warning goes to system-out. */
static void junit_diag(struct pg_report *report, const struct pg_scan_diag *diag)
{
    struct junit_state *state = report->state;
    enter_source(report, state, diag->source);
    pg_report_put_diag_line(&state->scratch, diag, false);
    if (diag->severity == PG_DIAG_WARNING) {
        put_scratch(&state->stdout_, &state->scratch);
        return;
    }
    state->tests++;
    state->errors++;
    pg_buf_printf(&state->cases, "    <testcase name=\"document %zu\" classname=\"",
                  diag->document);
    put_escaped(&state->cases, source_name(diag->source));
    pg_buf_puts(&state->cases, "\" time=\"0\">\n      <error message=\"");
    put_escaped(&state->cases, diag->message);
    pg_buf_puts(&state->cases, "\" type=\"");
    put_escaped(&state->cases, pg_error_code_name(diag->code));
    pg_buf_puts(&state->cases, "\">");
    put_scratch(&state->cases, &state->scratch);
    pg_buf_puts(&state->cases, "</error>\n    </testcase>\n");
}

/* A source that produced nothing still gets its (empty) suite. */
static void junit_end_source(struct pg_report *report, const char *source)
{
    struct junit_state *state = report->state;
    enter_source(report, state, source);
    flush_suite(report, state);
}

static void junit_finish(struct pg_report *report, const struct pg_scan_stats *stats)
{
    (void)stats;
    flush_suite(report, report->state);
    pg_buf_puts(&report->out, "</testsuites>\n");
}

const struct pg_report_writer pg_report_junit_writer = {
    junit_new, junit_result, junit_diag, junit_end_source, junit_finish, junit_free,
};
