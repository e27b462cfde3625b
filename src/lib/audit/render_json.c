/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit as one JSON object, schema `podgate.audit/v1` (docs/audit-json.md): namespaces
 * with labels, counts, recommendations, commands and drift; what-if results with upstream's
 * warning lines; PodSecurityPolicy analyses; input problems. One namespace, what-if or PSP
 * per line, so the output diffs well. Keys never change meaning within a schema version.
 */
#include "audit/internal.h"

#include <string.h>

static void put_string(struct pg_buf *out, const char *text)
{
    if (text == NULL) {
        pg_buf_puts(out, "null");
        return;
    }
    pg_buf_put_json_string(out, (struct pg_str){text, strlen(text)});
}

/* `"key": ` after a comma unless it is the first member. */
static void key(struct pg_buf *out, const char *name, bool first)
{
    pg_buf_puts(out, first ? "\"" : ", \"");
    pg_buf_puts(out, name);
    pg_buf_puts(out, "\": ");
}

static void put_lv(struct pg_buf *out, struct pg_level_version lv)
{
    pg_buf_putc(out, '"');
    pg_audit_put_level_version(out, lv);
    pg_buf_putc(out, '"');
}

static void put_version(struct pg_buf *out, struct pg_version version)
{
    pg_buf_putc(out, '"');
    pg_audit_put_version(out, version);
    pg_buf_putc(out, '"');
}

static void put_policy(struct pg_buf *out, const struct pg_ns_policy *policy)
{
    static const enum pg_mode ORDER[3] = {PG_MODE_ENFORCE, PG_MODE_WARN, PG_MODE_AUDIT};
    pg_buf_putc(out, '{');
    for (size_t i = 0; i < 3; i++) {
        key(out, pg_mode_name(ORDER[i]), i == 0);
        put_lv(out, policy->modes[ORDER[i]]);
    }
    pg_buf_putc(out, '}');
}

static void put_count(struct pg_buf *out, const struct pg_audit_count *count)
{
    pg_buf_printf(out, "{\"pods\": %zu, \"workloads\": %zu}", count->pods, count->workloads);
}

/* {"version": …, "baseline": {"pods", "workloads"}, "restricted": {…}} */
static void put_at(struct pg_buf *out, struct pg_version version, const struct pg_audit_count at[3])
{
    pg_buf_puts(out, "{\"version\": ");
    put_version(out, version);
    key(out, "baseline", false);
    put_count(out, &at[PG_LEVEL_BASELINE]);
    key(out, "restricted", false);
    put_count(out, &at[PG_LEVEL_RESTRICTED]);
    pg_buf_putc(out, '}');
}

static void put_labels(struct pg_buf *out, const struct pg_audit_namespace *ns)
{
    bool first = true;
    pg_buf_putc(out, '{');
    for (size_t i = 0; i < PG_AUDIT_LABELS; i++) {
        if (ns->labels[i] != NULL) {
            key(out, pg_audit_label_name(i), first);
            put_string(out, ns->labels[i]);
            first = false;
        }
    }
    pg_buf_putc(out, '}');
}

static void put_groups(struct pg_buf *out, const struct pg_audit_groups *groups,
                       const char *text_key)
{
    pg_buf_putc(out, '[');
    for (size_t i = 0; i < groups->len; i++) {
        const struct pg_audit_group *group = &groups->items[i];
        pg_buf_puts(out, i > 0 ? ", {" : "{");
        key(out, "name", true);
        put_string(out, group->name);
        pg_buf_printf(out, ", \"count\": %zu", group->count);
        key(out, text_key, false);
        put_string(out, group->text);
        key(out, "line", false);
        put_string(out, group->line);
        pg_buf_putc(out, '}');
    }
    pg_buf_putc(out, ']');
}

static void put_drift(struct pg_buf *out, const struct pg_audit_namespace *ns)
{
    pg_buf_putc(out, '[');
    for (size_t i = 0; i < ns->drift_len; i++) {
        const struct pg_audit_drift *drift = &ns->drift[i];
        pg_buf_printf(out, "%s{\"level\": \"%s\", \"from\": ", i > 0 ? ", " : "",
                      pg_level_name(drift->level));
        put_version(out, drift->from);
        pg_buf_printf(out, ", \"to\": \"v1.%d\", \"newly\": ", PG_MAX_MINOR);
        put_count(out, &drift->newly);
        key(out, "pods", false);
        put_groups(out, &drift->pods, "reasons");
        key(out, "workloads", false);
        put_groups(out, &drift->workloads, "reasons");
        pg_buf_printf(out, ", \"dropped\": %zu}", drift->pods.dropped + drift->workloads.dropped);
    }
    pg_buf_putc(out, ']');
}

static void put_string_array(struct pg_buf *out, const char *const *items, size_t len)
{
    pg_buf_putc(out, '[');
    for (size_t i = 0; i < len; i++) {
        pg_buf_puts(out, i > 0 ? ", " : "");
        put_string(out, items[i]);
    }
    pg_buf_putc(out, ']');
}

static void put_psp_use(struct pg_buf *out, const struct pg_audit_namespace *ns)
{
    key(out, "psp", false);
    if (!ns->psp_known) {
        pg_buf_puts(out, "null");
        return;
    }
    pg_buf_puts(out, "{\"usable\": ");
    put_string_array(out, ns->psps, ns->psps_len);
    key(out, "allows", false);
    put_string(out, ns->psp_allows_known ? pg_level_name(ns->psp_allows) : NULL);
    key(out, "after_psp", false);
    put_string(out, pg_level_name(ns->strictest_latest));
    key(out, "lost_defaults", false);
    put_string_array(out, ns->psp_defaults, ns->psp_defaults_len);
    pg_buf_putc(out, '}');
}

static void put_counts_and_levels(struct pg_buf *out, const struct pg_audit_namespace *ns)
{
    struct pg_version latest = {false, PG_MAX_MINOR};
    pg_buf_printf(out,
                  ", \"pods\": %zu, \"controlled_pods\": %zu, \"workloads\": %zu, "
                  "\"controlled_templates\": %zu",
                  ns->pods, ns->controlled_pods, ns->workloads, ns->controlled_templates);
    pg_buf_printf(
        out, ", \"violations\": {\"baseline\": %zu, \"restricted\": %zu}",
        ns->at_pinned[PG_LEVEL_BASELINE].pods + ns->at_pinned[PG_LEVEL_BASELINE].workloads,
        ns->at_pinned[PG_LEVEL_RESTRICTED].pods + ns->at_pinned[PG_LEVEL_RESTRICTED].workloads);
    key(out, "pinned", false);
    put_at(out, ns->pinned, ns->at_pinned);
    key(out, "latest", false);
    put_at(out, latest, ns->at_latest);
    key(out, "strictest", false);
    put_lv(out, (struct pg_level_version){ns->strictest_pinned, ns->pinned});
    key(out, "strictest_latest", false);
    put_lv(out, (struct pg_level_version){ns->strictest_latest, latest});
}

static void put_namespace(struct pg_buf *out, const struct pg_audit_namespace *ns)
{
    struct pg_buf command = PG_BUF_INIT;
    pg_buf_puts(out, "{\"name\": ");
    put_string(out, ns->name);
    pg_buf_printf(out, ", \"in_input\": %s", ns->in_input ? "true" : "false");
    key(out, "labels", false);
    put_labels(out, ns);
    key(out, "label_errors", false);
    put_string(out, ns->label_errors);
    key(out, "policy", false);
    put_policy(out, &ns->policy);
    put_counts_and_levels(out, ns);
    key(out, "recommended", false);
    put_policy(out, &ns->recommended);
    pg_buf_printf(out, ", \"recommendation_applied\": %s, \"recommendation_looser\": %s",
                  ns->recommendation_applied ? "true" : "false",
                  ns->recommendation_looser ? "true" : "false");
    pg_buf_puts(out, ", \"commands\": [");
    if (!ns->recommendation_applied) {
        pg_audit_label_command(&command, ns->name, &ns->recommended);
        put_string(out, command.ptr);
    }
    pg_buf_putc(out, ']');
    pg_buf_release(&command);
    key(out, "drift", false);
    put_drift(out, ns);
    put_psp_use(out, ns);
    pg_buf_putc(out, '}');
}

static void put_what_if(struct pg_buf *out, const struct pg_audit_what_if_result *w)
{
    struct pg_buf header = PG_BUF_INIT;
    pg_buf_puts(out, "{\"namespace\": ");
    put_string(out, w->namespace_);
    key(out, "enforce", false);
    put_lv(out, w->enforce);
    pg_buf_printf(out, ", \"found\": %s, \"checked\": ", w->found ? "true" : "false");
    put_count(out, &w->checked);
    key(out, "violating", false);
    put_count(out, &w->violating);
    /* The warnings kubectl would print when labelling the namespace (spec §6.6). */
    key(out, "warnings", false);
    pg_buf_putc(out, '[');
    if (w->violating.pods > 0) {
        pg_audit_put_what_if_header(&header, w);
        put_string(out, header.ptr);
        for (size_t i = 0; i < w->pods.len; i++) {
            pg_buf_puts(out, ", ");
            put_string(out, w->pods.items[i].line);
        }
    }
    pg_buf_putc(out, ']');
    pg_buf_release(&header);
    key(out, "pods", false);
    put_groups(out, &w->pods, "reasons");
    key(out, "workloads", false);
    put_groups(out, &w->workloads, "warning");
    pg_buf_printf(out, ", \"dropped\": {\"pods\": %zu, \"workloads\": %zu}}", w->pods.dropped,
                  w->workloads.dropped);
}

static void put_fields(struct pg_buf *out, const struct pg_audit_psp_field *fields, size_t len)
{
    pg_buf_putc(out, '[');
    for (size_t i = 0; i < len; i++) {
        pg_buf_puts(out, i > 0 ? ", {\"field\": " : "{\"field\": ");
        put_string(out, fields[i].field);
        key(out, "value", false);
        put_string(out, fields[i].value);
        key(out, "beyond", false);
        put_string(out, fields[i].beyond == PG_LEVEL_PRIVILEGED ? NULL
                                                                : pg_level_name(fields[i].beyond));
        key(out, "check", false);
        put_string(out, pg_check_name(fields[i].check));
        key(out, "note", false);
        put_string(out, fields[i].note);
        pg_buf_putc(out, '}');
    }
    pg_buf_putc(out, ']');
}

static void put_psp(struct pg_buf *out, const struct pg_audit_psp *psp)
{
    pg_buf_puts(out, "{\"name\": ");
    put_string(out, psp->name);
    key(out, "level", false);
    put_string(out, pg_level_name(psp->level));
    key(out, "beyond", false);
    put_fields(out, psp->beyond, psp->beyond_len);
    key(out, "defaults", false);
    put_fields(out, psp->defaults, psp->defaults_len);
    key(out, "uncovered", false);
    put_fields(out, psp->uncovered, psp->uncovered_len);
    pg_buf_putc(out, '}');
}

static void summary(struct pg_buf *out, const struct pg_audit *audit)
{
    const struct pg_audit_stats *stats = pg_audit_stats(audit);
    size_t pods = 0;
    size_t workloads = 0;
    size_t controlled = 0;
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        pods += pg_audit_namespace_at(audit, i)->pods;
        workloads += pg_audit_namespace_at(audit, i)->workloads;
        controlled += pg_audit_namespace_at(audit, i)->controlled_templates;
    }
    pg_buf_printf(out,
                  "{\"schema\": \"podgate.audit/v1\", \"latest\": \"v1.%d\",\n \"summary\": "
                  "{\"objects\": %zu, \"namespaces\": %zu, \"pods\": %zu, \"workloads\": %zu, "
                  "\"controlled_templates\": %zu, \"psps\": %zu, \"errors\": %zu},\n",
                  PG_MAX_MINOR, stats->objects, pg_audit_namespace_count(audit), pods, workloads,
                  controlled, stats->psps, stats->errors);
}

static void errors(struct pg_buf *out, const struct pg_audit *audit)
{
    pg_buf_puts(out, " \"errors\": [");
    for (size_t i = 0; i < pg_audit_diag_count(audit); i++) {
        const struct pg_audit_diag *diag = pg_audit_diag_at(audit, i);
        pg_buf_puts(out, i > 0 ? ",\n  {\"source\": " : "\n  {\"source\": ");
        put_string(out, diag->source);
        pg_buf_printf(out, ", \"line\": %u, \"message\": ", (unsigned)diag->line);
        put_string(out, diag->message);
        pg_buf_putc(out, '}');
    }
    pg_buf_puts(out, pg_audit_diag_count(audit) > 0 ? "\n ]}\n" : "]}\n");
}

void pg_audit_render_json(struct pg_buf *out, const struct pg_audit *audit)
{
    summary(out, audit);
    pg_buf_puts(out, " \"namespaces\": [");
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        pg_buf_puts(out, i > 0 ? ",\n  " : "\n  ");
        put_namespace(out, pg_audit_namespace_at(audit, i));
    }
    pg_buf_puts(out, pg_audit_namespace_count(audit) > 0 ? "\n ],\n \"what_if\": ["
                                                         : "],\n "
                                                           "\"what_if\": [");
    for (size_t i = 0; i < pg_audit_what_if_count(audit); i++) {
        pg_buf_puts(out, i > 0 ? ",\n  " : "\n  ");
        put_what_if(out, pg_audit_what_if_at(audit, i));
    }
    pg_buf_puts(out,
                pg_audit_what_if_count(audit) > 0 ? "\n ],\n \"psps\": [" : "],\n \"psps\": [");
    for (size_t i = 0; i < pg_audit_psp_count(audit); i++) {
        pg_buf_puts(out, i > 0 ? ",\n  " : "\n  ");
        put_psp(out, pg_audit_psp_at(audit, i));
    }
    pg_buf_puts(out, pg_audit_psp_count(audit) > 0 ? "\n ],\n" : "],\n");
    errors(out, audit);
}
