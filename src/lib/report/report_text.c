/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The human writer: one line per finding in compiler style
 * (`file:line:col: severity: Kind ns/name: check: upstream text`), then a
 * summary of verdicts and of violations per check.
 */
#include "report/writer.h"

#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct text_state {
    size_t per_check[PG_CHECK_COUNT];
    size_t per_mode[3];
    size_t allowed_results;
};

static void *text_new(struct pg_report *report)
{
    (void)report;
    return pg_xcalloc(1, sizeof(struct text_state));
}

static void text_free(void *state)
{
    free(state);
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

static void put_prefix(struct pg_report *report, const char *source, uint32_t line,
                       uint32_t column, const char *severity)
{
    struct pg_buf *out = &report->out;
    bool color = report->options.color;
    pg_buf_puts(out, color ? "\033[1m" : "");
    put_printable_cstr(out, source);
    if (line > 0) {
        pg_buf_printf(out, ":%u:%u", (unsigned)line, (unsigned)column);
    }
    pg_buf_printf(out, ":%s %s%s:%s ", color ? "\033[0m" : "", color ? severity_color(severity) : "",
                  severity, color ? "\033[0m" : "");
}

static void put_object(struct pg_buf *out, const struct pg_object_ref *ref)
{
    put_printable(out, ref->kind);
    pg_buf_putc(out, ' ');
    if (ref->namespace_.len > 0) {
        put_printable(out, ref->namespace_);
        pg_buf_putc(out, '/');
    }
    put_printable(out, ref->name.len ? ref->name : (struct pg_str){"(unnamed)", 9});
}

static void text_result(struct pg_report *report, const struct pg_scan_result *result)
{
    struct text_state *state = report->state;
    struct pg_buf *out = &report->out;
    const char *severity = pg_report_mode_severity(result->mode);
    char policy[64];
    if (result->allowed) {
        state->allowed_results++;
        return;
    }
    state->per_mode[result->mode]++;
    (void)pg_level_version_format(policy, sizeof(policy), result->policy);
    for (size_t i = 0; i < result->violations_len; i++) {
        const struct pg_scan_violation *v = &result->violations[i];
        uint32_t line = v->locations_len ? v->locations[0].line : result->line;
        uint32_t column = v->locations_len ? v->locations[0].column : 1;
        state->per_check[v->check]++;
        put_prefix(report, result->source, line, column, severity);
        put_object(out, &result->workload->ref);
        pg_buf_printf(out, ": %s: %s PodSecurity \"%s\": ", pg_check_name(v->check),
                      result->mode == PG_MODE_ENFORCE ? "violates" : "would violate", policy);
        /* Upstream's texts hold container names unescaped; the terminal gets them escaped. */
        put_printable(out, v->reason);
        if (v->detail.len > 0) {
            pg_buf_puts(out, " (");
            put_printable(out, v->detail);
            pg_buf_putc(out, ')');
        }
        pg_buf_putc(out, '\n');
    }
}

static void text_diag(struct pg_report *report, const struct pg_scan_diag *diag)
{
    put_prefix(report, diag->source, diag->line, diag->column,
               diag->severity == PG_DIAG_ERROR ? "error" : "warning");
    put_printable_cstr(&report->out, diag->message);
    pg_buf_putc(&report->out, '\n');
}

static void text_end_source(struct pg_report *report, const char *source)
{
    (void)report;
    (void)source;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void text_finish(struct pg_report *report, const struct pg_scan_stats *stats)
{
    struct text_state *state = report->state;
    struct pg_buf *out = &report->out;
    pg_buf_printf(out, "\nScanned %zu %s: %zu %s, %zu %s.\n", stats->sources,
                  plural(stats->sources, "source", "sources"), stats->documents,
                  plural(stats->documents, "document", "documents"), stats->workloads,
                  plural(stats->workloads, "workload", "workloads"));
    pg_buf_printf(out, "  enforce: %zu violating, %zu passing\n", stats->violating,
                  stats->workloads - stats->violating);
    pg_buf_printf(out, "  warn: %zu violating, audit: %zu violating\n",
                  state->per_mode[PG_MODE_WARN], state->per_mode[PG_MODE_AUDIT]);
    pg_buf_printf(out, "  %zu %s, %zu %s\n", stats->errors,
                  plural(stats->errors, "input error", "input errors"), stats->warnings,
                  plural(stats->warnings, "warning", "warnings"));
    bool any = false;
    for (int check = 0; check < PG_CHECK_COUNT; check++) {
        if (state->per_check[check] == 0) {
            continue;
        }
        if (!any) {
            pg_buf_puts(out, "Violations by check:\n");
            any = true;
        }
        pg_buf_printf(out, "  %-28s %zu\n", pg_check_name((enum pg_check_id)check),
                      state->per_check[check]);
    }
}

const struct pg_report_writer pg_report_text_writer = {
    text_new, text_result, text_diag, text_end_source, text_finish, text_free,
};
