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

/* `, "key": ` of a literal key as one view: printf, then three appends with strlen, dominated
   the writer's profile. */
#define KEY(key) PG_STR_LIT(", \"" key "\": ")

static void put_key_string(struct pg_buf *out, struct pg_str key_text, struct pg_str value)
{
    pg_buf_put_str(out, key_text);
    pg_buf_put_json_string(out, value);
}

static void put_key_int(struct pg_buf *out, struct pg_str key_text, int64_t value)
{
    pg_buf_put_str(out, key_text);
    pg_buf_put_int(out, value);
}

static void put_violation(struct pg_buf *out, const struct pg_scan_violation *v)
{
    PG_BUF_PUT_LIT(out, "{\"check\": ");
    pg_buf_put_json_string(out, pg_report_cstr(pg_check_name(v->check)));
    put_key_string(out, KEY("reason"), v->reason);
    put_key_string(out, KEY("detail"), v->detail);
    PG_BUF_PUT_LIT(out, ", \"locations\": [");
    for (size_t i = 0; i < v->locations_len; i++) {
        if (i > 0) {
            PG_BUF_PUT_LIT(out, ", ");
        }
        PG_BUF_PUT_LIT(out, "{\"line\": ");
        pg_buf_put_int(out, v->locations[i].line);
        put_key_int(out, KEY("column"), v->locations[i].column);
        put_key_string(out, KEY("path"), pg_report_cstr(v->locations[i].path));
        PG_BUF_PUT_LIT(out, "}");
    }
    PG_BUF_PUT_LIT(out, "]}");
}

/* `"value": "NET_ADMIN"` and friends; null where the finding has no container or value. */
static void put_exempted(struct pg_buf *out, const struct pg_scan_exempted *e)
{
    PG_BUF_PUT_LIT(out, "{\"check\": ");
    pg_buf_put_json_string(out, pg_report_cstr(pg_check_name(e->check)));
    pg_buf_puts(out, ", \"container\": ");
    if (e->container == PG_FINDING_POD) {
        pg_buf_puts(out, "null");
    } else {
        pg_buf_put_json_string(out, e->container_name);
    }
    pg_buf_puts(out, ", \"value\": ");
    if (e->has_value) {
        pg_buf_put_json_string(out, e->value);
    } else {
        pg_buf_puts(out, "null");
    }
    if (e->kind == PG_FIND_VOLUME) {
        put_key_string(out, KEY("volume"), e->name);
    } else if (e->kind == PG_FIND_ANNOTATION) {
        put_key_string(out, KEY("annotation"), e->name);
    }
    pg_buf_puts(out, ", \"exemption\": \"");
    pg_buf_put(out, e->policy.ptr, e->policy.len);
    pg_buf_printf(out, "/%zu\"", e->exemption);
    put_key_string(out, KEY("reason"), e->reason);
    pg_buf_putc(out, '}');
}

/* Only with custom policies: which one judged (or null) and what its exemptions removed. */
static void put_custom_policy(struct pg_buf *out, const struct pg_scan_result *result)
{
    if (!result->has_policy_set) {
        return;
    }
    pg_buf_puts(out, ", \"customPolicy\": ");
    if (result->custom_policy != NULL) {
        pg_buf_put_json_string(out, result->custom_policy->name);
    } else {
        pg_buf_puts(out, "null");
    }
    pg_buf_puts(out, ", \"exempted\": [");
    for (size_t i = 0; i < result->exempted_len; i++) {
        pg_buf_puts(out, i > 0 ? ", " : "");
        put_exempted(out, &result->exempted[i]);
    }
    pg_buf_putc(out, ']');
}

static void json_result(struct pg_report *report, const struct pg_scan_result *result)
{
    struct json_state *state = report->state;
    struct pg_buf *out = &report->out;
    const struct pg_object_ref *ref = &result->workload->ref;
    char policy[64];
    (void)pg_level_version_format(policy, sizeof(policy), result->policy);
    if (state->any_result) {
        PG_BUF_PUT_LIT(out, ",");
    }
    PG_BUF_PUT_LIT(out, "\n  {\"source\": ");
    state->any_result = true;
    pg_buf_put_json_string(out, pg_report_cstr(result->source));
    put_key_int(out, KEY("document"), (int64_t)result->document);
    if (result->in_list) {
        put_key_int(out, KEY("item"), (int64_t)result->item);
    }
    put_key_int(out, KEY("line"), result->line);
    put_key_string(out, KEY("apiVersion"), ref->api_version);
    put_key_string(out, KEY("kind"), ref->kind);
    put_key_string(out, KEY("namespace"), ref->namespace_);
    put_key_string(out, KEY("name"), ref->name);
    put_key_string(out, KEY("policy"), pg_report_cstr(policy));
    put_key_string(out, KEY("mode"), pg_report_cstr(pg_mode_name(result->mode)));
    if (result->allowed) {
        PG_BUF_PUT_LIT(out, ", \"allowed\": true, \"violations\": [");
    } else {
        PG_BUF_PUT_LIT(out, ", \"allowed\": false, \"violations\": [");
    }
    for (size_t i = 0; i < result->violations_len; i++) {
        if (i > 0) {
            PG_BUF_PUT_LIT(out, ", ");
        }
        put_violation(out, &result->violations[i]);
    }
    PG_BUF_PUT_LIT(out, "]");
    put_custom_policy(out, result);
    PG_BUF_PUT_LIT(out, "}");
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
        put_key_string(out, KEY("path"), pg_report_cstr(diag->path));
    }
    put_key_string(out, KEY("message"), pg_report_cstr(diag->message));
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
