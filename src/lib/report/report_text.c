/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The human writer: one line per finding in compiler style
 * (`file:line:col: severity: Kind ns/name: check: upstream text`), then a
 * summary of verdicts and of violations per check.
 */
#include "report/writer.h"

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

static void put_prefix(struct pg_report *report, const char *source, uint32_t line,
                       uint32_t column, const char *severity)
{
    struct pg_buf *out = &report->out;
    bool color = report->options.color;
    pg_buf_puts(out, color ? "\033[1m" : "");
    pg_buf_puts(out, source);
    if (line > 0) {
        pg_buf_printf(out, ":%u:%u", (unsigned)line, (unsigned)column);
    }
    pg_buf_printf(out, ":%s %s%s:%s ", color ? "\033[0m" : "", color ? severity_color(severity) : "",
                  severity, color ? "\033[0m" : "");
}

static void put_object(struct pg_buf *out, const struct pg_object_ref *ref)
{
    pg_buf_put_str(out, ref->kind);
    pg_buf_putc(out, ' ');
    if (ref->namespace_.len > 0) {
        pg_buf_put_str(out, ref->namespace_);
        pg_buf_putc(out, '/');
    }
    pg_buf_put_str(out, ref->name.len ? ref->name : (struct pg_str){"(unnamed)", 9});
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
        pg_buf_put_str(out, v->reason);
        if (v->detail.len > 0) {
            pg_buf_puts(out, " (");
            pg_buf_put_str(out, v->detail);
            pg_buf_putc(out, ')');
        }
        pg_buf_putc(out, '\n');
    }
}

static void text_diag(struct pg_report *report, const struct pg_scan_diag *diag)
{
    put_prefix(report, diag->source, diag->line, diag->column,
               diag->severity == PG_DIAG_ERROR ? "error" : "warning");
    pg_buf_puts(&report->out, diag->message);
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
