/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The human writer: findings grouped by source (a header line with the
 * source's counts, then one line per finding in compiler style,
 * `file:line:col: severity: Kind ns/name: check: upstream text`), then a
 * summary: workloads by verdict per mode, and violations per check.
 */
#include "report/writer.h"

#include "util/utf8.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BOLD "\033[1m"
#define RESET "\033[0m"

enum severity {
    SEVERITY_ERROR,
    SEVERITY_WARNING,
    SEVERITY_NOTE,
    SEVERITY_COUNT,
};

struct text_state {
    struct pg_buf group; /* lines of the current source, held back for its header */
    char *source;        /* the current source */
    size_t group_counts[SEVERITY_COUNT];
    size_t per_check[PG_CHECK_COUNT][SEVERITY_COUNT];
    size_t judged[3];    /* results per enum pg_mode */
    size_t violating[3]; /* of which not allowed */
};

static void *text_new(struct pg_report *report)
{
    struct text_state *state = pg_xcalloc(1, sizeof(*state));
    (void)report;
    pg_buf_init(&state->group, 0);
    return state;
}

static void text_free(void *ptr)
{
    struct text_state *state = ptr;
    if (state == NULL) {
        return;
    }
    pg_buf_release(&state->group);
    free(state->source);
    free(state);
}

static enum severity mode_severity(enum pg_mode mode)
{
    switch (mode) {
    case PG_MODE_ENFORCE:
        return SEVERITY_ERROR;
    case PG_MODE_WARN:
        return SEVERITY_WARNING;
    case PG_MODE_AUDIT:
        return SEVERITY_NOTE;
    }
    return SEVERITY_ERROR;
}

static const char *severity_color(const char *severity)
{
    if (strcmp(severity, "error") == 0) {
        return "\033[1;31m";
    }
    if (strcmp(severity, "warning") == 0) {
        return "\033[1;33m";
    }
    return "\033[1;36m";
}

/*
 * Text from the input (names, file names, messages quoting values) as it is,
 * except for what a terminal would act on or a reader could be fooled by:
 * control characters (C0, DEL, C1, so also line breaks) and bytes that are
 * not UTF-8 become \xNN. A name can then neither move the cursor nor fake a
 * line of output.
 */
static void put_printable(struct pg_buf *out, struct pg_str text)
{
    size_t pos = 0;
    size_t run = 0;
    while (pos < text.len) {
        unsigned char c = (unsigned char)text.ptr[pos];
        uint32_t rune = c;
        size_t width = 1;
        if (c >= 0x80) {
            width = pg_utf8_decode(&rune, (const unsigned char *)text.ptr + pos, text.len - pos);
        }
        if (width != 0 && rune >= 0x20 && rune != 0x7F && (rune < 0x80 || rune > 0x9F)) {
            pos += width;
            continue;
        }
        pg_buf_put(out, text.ptr + run, pos - run);
        pg_buf_printf(out, "\\x%02x", c);
        pos++;
        run = pos;
    }
    pg_buf_put(out, text.ptr + run, pos - run);
}

static void put_printable_cstr(struct pg_buf *out, const char *text)
{
    put_printable(out, (struct pg_str){text, strlen(text)});
}

void pg_report_put_printable(struct pg_buf *out, const char *text)
{
    put_printable_cstr(out, text);
}

static void put_prefix(struct pg_buf *out, const char *source, uint32_t line, uint32_t column,
                       const char *severity, bool color)
{
    pg_buf_puts(out, color ? BOLD : "");
    put_printable_cstr(out, source);
    if (line > 0) {
        pg_buf_printf(out, ":%u:%u", (unsigned)line, (unsigned)column);
    }
    pg_buf_printf(out, ":%s %s%s:%s ", color ? RESET : "", color ? severity_color(severity) : "",
                  severity, color ? RESET : "");
}

void pg_report_put_finding_line(struct pg_buf *out, const struct pg_scan_result *result,
                                const struct pg_scan_violation *violation, bool color)
{
    struct pg_scan_location location = pg_report_first_location(result, violation);
    put_prefix(out, result->source, location.line, location.column,
               pg_report_mode_severity(result->mode), color);
    struct pg_buf text = PG_BUF_INIT;
    pg_report_put_object(&text, &result->workload->ref, ' ');
    pg_buf_printf(&text, ": %s: ", pg_check_name(violation->check));
    pg_report_put_violation(&text, result, violation);
    /* Names and values come from the input: nothing in them may steer the terminal. */
    put_printable(out, pg_buf_str(&text));
    pg_buf_release(&text);
    pg_buf_putc(out, '\n');
    /* One violation naming several containers has a location per container; the line above
       carries the first, an indented line each of the others (indented: not a finding). */
    for (size_t i = 1; i < violation->locations_len; i++) {
        const struct pg_scan_location *other = &violation->locations[i];
        pg_buf_puts(out, "  ");
        put_printable_cstr(out, result->source);
        pg_buf_printf(out, ":%u:%u: also at ", (unsigned)other->line, (unsigned)other->column);
        put_printable_cstr(out, other->path);
        pg_buf_putc(out, '\n');
    }
}

/* `container "c", volume "v", value "x"`: what the exempted finding is about, where known. */
static void put_exempted_subject(struct pg_buf *out, const struct pg_scan_exempted *exempted)
{
    const char *separator = "";
    if (exempted->container != PG_FINDING_POD) {
        pg_buf_puts(out, "container \"");
        pg_buf_put_str(out, exempted->container_name);
        pg_buf_putc(out, '"');
        separator = ", ";
    }
    if (exempted->kind == PG_FIND_VOLUME || exempted->kind == PG_FIND_ANNOTATION) {
        pg_buf_printf(out, "%s%s \"", separator,
                      exempted->kind == PG_FIND_VOLUME ? "volume" : "annotation");
        pg_buf_put_str(out, exempted->name);
        pg_buf_putc(out, '"');
        separator = ", ";
    }
    if (exempted->has_value) {
        pg_buf_printf(out, "%svalue \"", separator);
        pg_buf_put_str(out, exempted->value);
        pg_buf_putc(out, '"');
        separator = ", ";
    }
    pg_buf_puts(out, separator);
}

void pg_report_put_exempted_line(struct pg_buf *out, const struct pg_scan_result *result,
                                 const struct pg_scan_exempted *exempted)
{
    char policy[64];
    struct pg_buf text = PG_BUF_INIT;
    (void)pg_level_version_format(policy, sizeof(policy), result->policy);
    put_prefix(out, result->source, exempted->location.line, exempted->location.column, "exempted",
               false);
    pg_report_put_object(&text, &result->workload->ref, ' ');
    /* The policy (and a mode other than enforce) as the JUnit case name has them. */
    pg_buf_printf(&text, " @ %s", policy);
    if (result->mode != PG_MODE_ENFORCE) {
        pg_buf_printf(&text, " (%s)", pg_mode_name(result->mode));
    }
    pg_buf_printf(&text, ": %s: ", pg_check_name(exempted->check));
    put_exempted_subject(&text, exempted);
    pg_buf_puts(&text, "exemption ");
    pg_buf_put_str(&text, exempted->policy);
    pg_buf_printf(&text, "/%zu: ", exempted->exemption);
    pg_buf_put_str(&text, exempted->reason);
    /* Names, values and the reason come from the inputs: none of them may break the line. */
    put_printable(out, pg_buf_str(&text));
    pg_buf_release(&text);
    pg_buf_putc(out, '\n');
}

void pg_report_put_diag_line(struct pg_buf *out, const struct pg_scan_diag *diag, bool color)
{
    put_prefix(out, diag->source, diag->line, diag->column,
               diag->severity == PG_DIAG_ERROR ? "error" : "warning", color);
    put_printable_cstr(out, diag->message);
    pg_buf_putc(out, '\n');
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Write the held-back group of the current source under its header line. */
static void flush_group(struct pg_report *report, struct text_state *state)
{
    static const char *const NAMES[SEVERITY_COUNT][2] = {
        {"error", "errors"}, {"warning", "warnings"}, {"note", "notes"}};
    struct pg_buf *out = &report->out;
    const char *separator = ": ";
    if (state->group.len == 0) {
        return;
    }
    pg_buf_puts(out, report->options.color ? BOLD : "");
    put_printable_cstr(out, state->source);
    for (int i = 0; i < SEVERITY_COUNT; i++) {
        size_t n = state->group_counts[i];
        if (n > 0) {
            pg_buf_printf(out, "%s%zu %s", separator, n, plural(n, NAMES[i][0], NAMES[i][1]));
            separator = ", ";
        }
    }
    pg_buf_puts(out, report->options.color ? RESET "\n" : "\n");
    pg_report_put_buf(report, &state->group);
    pg_buf_putc(out, '\n');
    memset(state->group_counts, 0, sizeof(state->group_counts));
}

/* Lines group by source: a line from another source closes the current group first. */
static void enter_source(struct pg_report *report, struct text_state *state, const char *source)
{
    if (state->source != NULL && strcmp(state->source, source) == 0) {
        return;
    }
    flush_group(report, state);
    free(state->source);
    state->source = pg_xstrndup(source, strlen(source));
}

static void text_result(struct pg_report *report, const struct pg_scan_result *result)
{
    struct text_state *state = report->state;
    enum severity severity = mode_severity(result->mode);
    state->judged[result->mode]++;
    if (result->allowed) {
        return;
    }
    state->violating[result->mode]++;
    enter_source(report, state, result->source);
    for (size_t i = 0; i < result->violations_len; i++) {
        const struct pg_scan_violation *violation = &result->violations[i];
        state->per_check[violation->check][severity]++;
        state->group_counts[severity]++;
        pg_report_put_finding_line(&state->group, result, violation, report->options.color);
    }
}

static void text_diag(struct pg_report *report, const struct pg_scan_diag *diag)
{
    struct text_state *state = report->state;
    enter_source(report, state, diag->source);
    state->group_counts[diag->severity == PG_DIAG_ERROR ? SEVERITY_ERROR : SEVERITY_WARNING]++;
    pg_report_put_diag_line(&state->group, diag, report->options.color);
}

static void text_end_source(struct pg_report *report, const char *source)
{
    (void)source;
    flush_group(report, report->state);
}

static void put_verdicts(struct pg_buf *out, const struct text_state *state, bool color)
{
    static const enum pg_mode MODES[] = {PG_MODE_ENFORCE, PG_MODE_WARN, PG_MODE_AUDIT};
    pg_buf_printf(out, "%s%-12s %8s %10s %8s%s\n", color ? BOLD : "", "Workloads", "judged",
                  "violating", "passing", color ? RESET : "");
    for (size_t i = 0; i < sizeof(MODES) / sizeof(MODES[0]); i++) {
        enum pg_mode mode = MODES[i];
        pg_buf_printf(out, "  %-10s %8zu %10zu %8zu\n", pg_mode_name(mode), state->judged[mode],
                      state->violating[mode], state->judged[mode] - state->violating[mode]);
    }
}

static size_t sum(const size_t counts[SEVERITY_COUNT])
{
    return counts[SEVERITY_ERROR] + counts[SEVERITY_WARNING] + counts[SEVERITY_NOTE];
}

static void put_check_row(struct pg_buf *out, const char *name, const size_t counts[SEVERITY_COUNT])
{
    pg_buf_printf(out, "  %-26s %6zu %8zu %6zu\n", name, counts[SEVERITY_ERROR],
                  counts[SEVERITY_WARNING], counts[SEVERITY_NOTE]);
}

static void put_checks(struct pg_buf *out, const struct text_state *state, bool color)
{
    size_t total[SEVERITY_COUNT] = {0, 0, 0};
    for (int check = 0; check < PG_CHECK_COUNT; check++) {
        const size_t *counts = state->per_check[check];
        if (sum(counts) == 0) {
            continue;
        }
        if (sum(total) == 0) {
            pg_buf_printf(out, "\n%s%-28s %6s %8s %6s%s\n", color ? BOLD : "",
                          "Violations by check", "error", "warning", "note", color ? RESET : "");
        }
        put_check_row(out, pg_check_name((enum pg_check_id)check), counts);
        for (int i = 0; i < SEVERITY_COUNT; i++) {
            total[i] += counts[i];
        }
    }
    if (sum(total) > 0) {
        put_check_row(out, "total", total);
    }
}

static void text_finish(struct pg_report *report, const struct pg_scan_stats *stats)
{
    struct text_state *state = report->state;
    struct pg_buf *out = &report->out;
    flush_group(report, state);
    pg_buf_printf(out, "Scanned %zu %s: %zu %s, %zu %s; %zu %s, %zu %s.\n", stats->sources,
                  plural(stats->sources, "source", "sources"), stats->documents,
                  plural(stats->documents, "document", "documents"), stats->workloads,
                  plural(stats->workloads, "workload", "workloads"), stats->errors,
                  plural(stats->errors, "input error", "input errors"), stats->warnings,
                  plural(stats->warnings, "warning", "warnings"));
    pg_buf_putc(out, '\n');
    put_verdicts(out, state, report->options.color);
    put_checks(out, state, report->options.color);
}

const struct pg_report_writer pg_report_text_writer = {
    text_new, text_result, text_diag, text_end_source, text_finish, text_free,
};
