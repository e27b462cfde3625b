/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `-o json` writer: one JSON object with results (streamed as they come),
 * then errors, warnings and a summary. The shape is a public contract other
 * tools parse; see README "JSON output".
 */
#include "report/writer.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct json_state {
    bool any_result;
    struct pg_buf errors;
    struct pg_buf warnings;
};

static void *json_new(struct pg_report *report)
{
    struct json_state *state = pg_xcalloc(1, sizeof(*state));
    pg_buf_init(&state->errors, 0);
    pg_buf_init(&state->warnings, 0);
    pg_buf_puts(&report->out, "{\"results\": [");
    return state;
}

static void json_free(void *ptr)
{
    struct json_state *state = ptr;
    if (state == NULL) {
        return;
    }
    pg_buf_release(&state->errors);
    pg_buf_release(&state->warnings);
    free(state);
}

static void put_key_string(struct pg_buf *out, const char *key, struct pg_str value)
{
    pg_buf_printf(out, ", \"%s\": ", key);
    pg_buf_put_json_string(out, value);
}

static void put_violation(struct pg_buf *out, const struct pg_scan_violation *v)
{
    pg_buf_puts(out, "{\"check\": ");
    pg_buf_put_json_string(out, pg_report_cstr(pg_check_name(v->check)));
    put_key_string(out, "reason", v->reason);
    put_key_string(out, "detail", v->detail);
    pg_buf_puts(out, ", \"locations\": [");
    for (size_t i = 0; i < v->locations_len; i++) {
        pg_buf_printf(out, "%s{\"line\": %u, \"column\": %u, \"path\": ", i ? ", " : "",
                      (unsigned)v->locations[i].line, (unsigned)v->locations[i].column);
        pg_buf_put_json_string(out, pg_report_cstr(v->locations[i].path));
        pg_buf_putc(out, '}');
    }
    pg_buf_puts(out, "]}");
}

static void json_result(struct pg_report *report, const struct pg_scan_result *result)
{
    struct json_state *state = report->state;
    struct pg_buf *out = &report->out;
    const struct pg_object_ref *ref = &result->workload->ref;
    char policy[64];
    (void)pg_level_version_format(policy, sizeof(policy), result->policy);
    pg_buf_puts(out, state->any_result ? ",\n  {\"source\": " : "\n  {\"source\": ");
    state->any_result = true;
    pg_buf_put_json_string(out, pg_report_cstr(result->source));
    pg_buf_printf(out, ", \"document\": %zu", result->document);
    if (result->in_list) {
        pg_buf_printf(out, ", \"item\": %zu", result->item);
    }
    pg_buf_printf(out, ", \"line\": %u", (unsigned)result->line);
    put_key_string(out, "apiVersion", ref->api_version);
    put_key_string(out, "kind", ref->kind);
    put_key_string(out, "namespace", ref->namespace_);
    put_key_string(out, "name", ref->name);
    put_key_string(out, "policy", pg_report_cstr(policy));
    put_key_string(out, "mode", pg_report_cstr(pg_mode_name(result->mode)));
    pg_buf_printf(out, ", \"allowed\": %s, \"violations\": [",
                  result->allowed ? "true" : "false");
    for (size_t i = 0; i < result->violations_len; i++) {
        if (i > 0) {
            pg_buf_puts(out, ", ");
        }
        put_violation(out, &result->violations[i]);
    }
    pg_buf_puts(out, "]}");
}

static void json_diag(struct pg_report *report, const struct pg_scan_diag *diag)
{
    struct json_state *state = report->state;
    struct pg_buf *out = diag->severity == PG_DIAG_ERROR ? &state->errors : &state->warnings;
    pg_buf_puts(out, out->len ? ",\n  {\"source\": " : "\n  {\"source\": ");
    pg_buf_put_json_string(out, pg_report_cstr(diag->source));
    pg_buf_printf(out, ", \"document\": %zu, \"line\": %u, \"column\": %u", diag->document,
                  (unsigned)diag->line, (unsigned)diag->column);
    if (diag->path != NULL && diag->path[0] != '\0') {
        put_key_string(out, "path", pg_report_cstr(diag->path));
    }
    put_key_string(out, "message", pg_report_cstr(diag->message));
    pg_buf_putc(out, '}');
}

static void json_end_source(struct pg_report *report, const char *source)
{
    (void)report;
    (void)source;
}

static void json_finish(struct pg_report *report, const struct pg_scan_stats *stats)
{
    struct json_state *state = report->state;
    struct pg_buf *out = &report->out;
    pg_buf_puts(out, state->any_result ? "\n ],\n \"errors\": [" : "],\n \"errors\": [");
    pg_buf_put_str(out, pg_buf_str(&state->errors));
    pg_buf_puts(out, state->errors.len ? "\n ],\n \"warnings\": [" : "],\n \"warnings\": [");
    pg_buf_put_str(out, pg_buf_str(&state->warnings));
    pg_buf_puts(out, state->warnings.len ? "\n ],\n" : "],\n");
    pg_buf_printf(out,
                  " \"summary\": {\"sources\": %zu, \"documents\": %zu, \"workloads\": %zu, "
                  "\"violating\": %zu, \"errors\": %zu}}\n",
                  stats->sources, stats->documents, stats->workloads, stats->violating,
                  stats->errors);
}

const struct pg_report_writer pg_report_json_writer = {
    json_new, json_result, json_diag, json_end_source, json_finish, json_free,
};
