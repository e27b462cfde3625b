/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit as text for a terminal: a summary table of namespaces, the label commands, then
 * invalid labels, version drift, what-if dry runs (in upstream's words), PodSecurityPolicy
 * analyses and input problems. Text from the cluster goes through put_safe, so a hostile name
 * cannot move the cursor or change colours.
 */
#include "audit/internal.h"

#include <string.h>

enum column {
    COL_NAME,
    COL_ENFORCE,
    COL_PODS,
    COL_WORKLOADS,
    COL_BASELINE,
    COL_RESTRICTED,
    COL_STRICTEST,
    COL_RECOMMENDED,
    COL_COUNT,
};

static const char *const HEADERS[COL_COUNT] = {
    "NAMESPACE", "ENFORCE",    "PODS",      "WORKLOADS",
    "BASELINE",  "RESTRICTED", "STRICTEST", "RECOMMENDED",
};

/* Control characters (and DEL) become '?': terminal escapes stay out of the report. */
static void put_safe(struct pg_buf *out, const char *text)
{
    for (const char *c = text; *c != '\0'; c++) {
        unsigned char byte = (unsigned char)*c;
        char safe = *c;
        if (byte < 0x20 || byte == 0x7f) {
            safe = '?';
        }
        pg_buf_putc(out, safe);
    }
}

/* "3/1" violating pods/workloads at the pinned version, "→4/1" appended when latest differs. */
static void put_counts(struct pg_buf *out, const struct pg_audit_namespace *ns, enum pg_level l)
{
    const struct pg_audit_count *pinned = &ns->at_pinned[l];
    const struct pg_audit_count *latest = &ns->at_latest[l];
    pg_buf_printf(out, "%zu/%zu", pinned->pods, pinned->workloads);
    if (pinned->pods != latest->pods || pinned->workloads != latest->workloads) {
        pg_buf_printf(out, "→%zu/%zu", latest->pods, latest->workloads);
    }
}

static void cell(struct pg_buf *out, const struct pg_audit_namespace *ns, enum column column)
{
    struct pg_level_version strictest = {ns->strictest_pinned, ns->pinned};
    switch (column) {
    case COL_NAME:
        put_safe(out, ns->name);
        break;
    case COL_ENFORCE:
        if (ns->labels[0] == NULL && ns->labels[1] == NULL && ns->label_errors == NULL) {
            pg_buf_puts(out, "-");
        } else {
            pg_audit_put_level_version(out, ns->policy.modes[PG_MODE_ENFORCE]);
        }
        pg_buf_puts(out, ns->label_errors != NULL ? " (invalid)" : "");
        break;
    case COL_PODS:
        pg_buf_printf(out, "%zu", ns->pods);
        break;
    case COL_WORKLOADS:
        pg_buf_printf(out, "%zu", ns->workloads);
        break;
    case COL_BASELINE:
        put_counts(out, ns, PG_LEVEL_BASELINE);
        break;
    case COL_RESTRICTED:
        put_counts(out, ns, PG_LEVEL_RESTRICTED);
        break;
    case COL_STRICTEST:
        pg_audit_put_level_version(out, strictest);
        break;
    case COL_RECOMMENDED:
        pg_buf_printf(out, "enforce=%s warn=%s",
                      pg_level_name(ns->recommended.modes[PG_MODE_ENFORCE].level),
                      pg_level_name(ns->recommended.modes[PG_MODE_WARN].level));
        pg_buf_puts(out, ns->recommendation_applied ? " (applied)" : "");
        pg_buf_puts(out, ns->recommendation_looser ? " (looser than now)" : "");
        break;
    case COL_COUNT:
        break;
    }
}

/* Characters, not bytes: UTF-8 continuation bytes take no column. */
static size_t width_of(struct pg_str text)
{
    size_t width = 0;
    for (size_t i = 0; i < text.len; i++) {
        width += ((unsigned char)text.ptr[i] & 0xC0) != 0x80;
    }
    return width;
}

static void put_cell(struct pg_buf *out, struct pg_str text, size_t width, bool last)
{
    pg_buf_put_str(out, text);
    for (size_t w = width_of(text); !last && w < width + 2; w++) {
        pg_buf_putc(out, ' ');
    }
}

static void table(struct pg_buf *out, const struct pg_audit *audit)
{
    size_t widths[COL_COUNT];
    struct pg_buf text = PG_BUF_INIT;
    size_t count = pg_audit_namespace_count(audit);
    for (size_t c = 0; c < COL_COUNT; c++) {
        widths[c] = strlen(HEADERS[c]);
        for (size_t i = 0; i < count; i++) {
            pg_buf_clear(&text);
            cell(&text, pg_audit_namespace_at(audit, i), (enum column)c);
            widths[c] =
                width_of(pg_buf_str(&text)) > widths[c] ? width_of(pg_buf_str(&text)) : widths[c];
        }
    }
    for (size_t c = 0; c < COL_COUNT; c++) {
        put_cell(out, (struct pg_str){HEADERS[c], strlen(HEADERS[c])}, widths[c],
                 c + 1 == COL_COUNT);
    }
    pg_buf_putc(out, '\n');
    for (size_t i = 0; i < count; i++) {
        for (size_t c = 0; c < COL_COUNT; c++) {
            pg_buf_clear(&text);
            cell(&text, pg_audit_namespace_at(audit, i), (enum column)c);
            put_cell(out, pg_buf_str(&text), widths[c], c + 1 == COL_COUNT);
        }
        pg_buf_putc(out, '\n');
    }
    pg_buf_release(&text);
}

static void summary(struct pg_buf *out, const struct pg_audit *audit)
{
    size_t count = pg_audit_namespace_count(audit);
    size_t pods = 0;
    size_t workloads = 0;
    size_t controlled = 0;
    for (size_t i = 0; i < count; i++) {
        pods += pg_audit_namespace_at(audit, i)->pods;
        workloads += pg_audit_namespace_at(audit, i)->workloads;
        controlled += pg_audit_namespace_at(audit, i)->controlled_templates;
    }
    pg_buf_printf(out, "Pod Security audit: %zu namespace%s, %zu pod%s, %zu workload template%s",
                  count, count == 1 ? "" : "s", pods, pods == 1 ? "" : "s", workloads,
                  workloads == 1 ? "" : "s");
    if (controlled > 0) {
        pg_buf_printf(out, " (+%zu controlled by another workload, not judged twice)", controlled);
    }
    pg_buf_printf(out, ", %zu PodSecurityPolicies.\n", pg_audit_psp_count(audit));
    pg_buf_printf(out,
                  "BASELINE and RESTRICTED: violating pods/workloads at the namespace's "
                  "enforce version (→ at latest = v1.%d when different).\n\n",
                  PG_MAX_MINOR);
}

static void commands(struct pg_buf *out, const struct pg_audit *audit)
{
    bool any = false;
    pg_buf_printf(out,
                  "\nRecommended labels (enforce: the strictest level nothing violates at "
                  "v1.%d; warn, audit: the next one):\n",
                  PG_MAX_MINOR);
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        const struct pg_audit_namespace *ns = pg_audit_namespace_at(audit, i);
        struct pg_buf command = PG_BUF_INIT;
        if (ns->recommendation_applied) {
            continue;
        }
        pg_audit_label_command(&command, ns->name, &ns->recommended);
        pg_buf_puts(out, "  ");
        put_safe(out, command.ptr);
        pg_buf_putc(out, '\n');
        pg_buf_release(&command);
        any = true;
    }
    if (!any) {
        pg_buf_puts(out, pg_audit_namespace_count(audit) == 0
                             ? "  (no namespace in the input)\n"
                             : "  (every namespace already has them)\n");
    }
}

static void invalid_labels(struct pg_buf *out, const struct pg_audit *audit)
{
    bool header = false;
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        const struct pg_audit_namespace *ns = pg_audit_namespace_at(audit, i);
        if (ns->label_errors == NULL) {
            continue;
        }
        if (!header) {
            pg_buf_puts(out, "\nInvalid labels (upstream falls back: enforce → restricted, "
                             "audit and warn → privileged, versions → latest):\n");
            header = true;
        }
        pg_buf_puts(out, "  ");
        put_safe(out, ns->name);
        pg_buf_puts(out, ": ");
        put_safe(out, ns->label_errors);
        pg_buf_putc(out, '\n');
    }
}

static void put_groups(struct pg_buf *out, const struct pg_audit_groups *groups, const char *indent)
{
    for (size_t i = 0; i < groups->len; i++) {
        pg_buf_puts(out, indent);
        put_safe(out, groups->items[i].line);
        pg_buf_putc(out, '\n');
    }
    if (groups->dropped > 0) {
        pg_buf_printf(out, "%s(%zu more in groups not kept)\n", indent, groups->dropped);
    }
}

static void drift_one(struct pg_buf *out, const struct pg_audit_namespace *ns,
                      const struct pg_audit_drift *d)
{
    struct pg_level_version lv = {d->level, d->from};
    pg_buf_puts(out, "  ");
    put_safe(out, ns->name);
    pg_buf_puts(out, ", ");
    pg_audit_put_level_version(out, lv);
    pg_buf_printf(out, " → latest: %zu pod%s, %zu workload%s newly violate\n", d->newly.pods,
                  d->newly.pods == 1 ? "" : "s", d->newly.workloads,
                  d->newly.workloads == 1 ? "" : "s");
    put_groups(out, &d->pods, "    ");
    put_groups(out, &d->workloads, "    ");
}

static void drift(struct pg_buf *out, const struct pg_audit *audit)
{
    bool header = false;
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        const struct pg_audit_namespace *ns = pg_audit_namespace_at(audit, i);
        bool any = false;
        for (size_t j = 0; j < ns->drift_len; j++) {
            if (!header) {
                pg_buf_printf(out,
                              "\nVersion drift (what newly fails when a pinned version "
                              "moves to latest = v1.%d):\n",
                              PG_MAX_MINOR);
                header = true;
            }
            if (ns->drift[j].newly.pods + ns->drift[j].newly.workloads > 0) {
                drift_one(out, ns, &ns->drift[j]);
                any = true;
            }
        }
        if (ns->drift_len > 0 && !any) {
            pg_buf_puts(out, "  ");
            put_safe(out, ns->name);
            pg_buf_puts(out, ", ");
            pg_audit_put_version(out, ns->drift[0].from);
            pg_buf_puts(out, " → latest: nothing newly violates baseline or restricted\n");
        }
    }
}

static void what_if_one(struct pg_buf *out, const struct pg_audit_what_if_result *w)
{
    pg_buf_puts(out, "\nWhat if namespace ");
    put_safe(out, w->namespace_);
    pg_buf_puts(out, " is labelled enforce=");
    pg_audit_put_level_version(out, w->enforce);
    if (!w->found) {
        pg_buf_puts(out, ": the namespace is not in the input.\n");
        return;
    }
    pg_buf_printf(out, " (%zu pod%s, %zu workload%s checked):\n", w->checked.pods,
                  w->checked.pods == 1 ? "" : "s", w->checked.workloads,
                  w->checked.workloads == 1 ? "" : "s");
    if (w->violating.pods == 0) {
        pg_buf_puts(out, "  no existing pod violates it\n");
    } else {
        struct pg_buf header = PG_BUF_INIT;
        pg_audit_put_what_if_header(&header, w);
        pg_buf_puts(out, "  ");
        put_safe(out, header.ptr);
        pg_buf_putc(out, '\n');
        pg_buf_release(&header);
        put_groups(out, &w->pods, "  ");
    }
    if (w->violating.workloads == 0) {
        pg_buf_puts(out, "  no workload would get a warning\n");
        return;
    }
    pg_buf_printf(out, "  %zu workload%s would get this warning when next created or updated:\n",
                  w->violating.workloads, w->violating.workloads == 1 ? "" : "s");
    put_groups(out, &w->workloads, "  ");
}

static void put_field(struct pg_buf *out, const struct pg_audit_psp_field *field)
{
    pg_buf_puts(out, "      ");
    put_safe(out, field->field);
    pg_buf_putc(out, field->value[0] != '\0' ? '=' : ' ');
    put_safe(out, field->value[0] != '\0' ? field->value : "unset");
    if (field->check != PG_CHECK_COUNT) {
        pg_buf_printf(out, " (%s)", pg_check_name(field->check));
    }
    pg_buf_printf(out, ": %s\n", field->note);
}

static void psp_one(struct pg_buf *out, const struct pg_audit_psp *psp)
{
    pg_buf_puts(out, "  ");
    put_safe(out, psp->name);
    pg_buf_printf(out, ": stays within %s\n", pg_level_name(psp->level));
    for (size_t i = 0; i < psp->beyond_len; i++) {
        if (i == 0 || psp->beyond[i].beyond != psp->beyond[i - 1].beyond) {
            pg_buf_printf(out, "    beyond %s:\n", pg_level_name(psp->beyond[i].beyond));
        }
        put_field(out, &psp->beyond[i]);
    }
    for (size_t i = 0; i < psp->defaults_len; i++) {
        pg_buf_puts(out, i == 0 ? "    defaults pods may rely on:\n" : "");
        put_field(out, &psp->defaults[i]);
    }
    for (size_t i = 0; i < psp->uncovered_len; i++) {
        pg_buf_puts(out, i == 0 ? "    no Pod Security equivalent:\n" : "");
        put_field(out, &psp->uncovered[i]);
    }
}

static void psp_namespace(struct pg_buf *out, const struct pg_audit_namespace *ns)
{
    pg_buf_puts(out, "  ");
    put_safe(out, ns->name);
    pg_buf_puts(out, ": may use ");
    for (size_t i = 0; i < ns->psps_len; i++) {
        pg_buf_puts(out, i > 0 ? ", " : "");
        put_safe(out, ns->psps[i]);
    }
    pg_buf_puts(out, ns->psps_len == 0 ? "no PSP" : "");
    if (ns->psp_allows_known) {
        pg_buf_printf(out, " (allows up to %s)", pg_level_name(ns->psp_allows));
    }
    pg_buf_printf(out, "; without PSP it can enforce %s\n", pg_level_name(ns->strictest_latest));
    for (size_t i = 0; i < ns->psp_defaults_len; i++) {
        pg_buf_puts(out, "    defaults pods must then set themselves, from PSP ");
        put_safe(out, ns->psp_defaults[i]);
        pg_buf_putc(out, '\n');
    }
}

static void psps(struct pg_buf *out, const struct pg_audit *audit)
{
    if (pg_audit_psp_count(audit) > 0) {
        pg_buf_puts(out, "\nPodSecurityPolicies (the strictest Pod Security level each stays "
                         "within, and what goes beyond it):\n");
    }
    for (size_t i = 0; i < pg_audit_psp_count(audit); i++) {
        psp_one(out, pg_audit_psp_at(audit, i));
    }
    if (pg_audit_namespace_count(audit) == 0 || !pg_audit_namespace_at(audit, 0)->psp_known) {
        return;
    }
    pg_buf_puts(out, "\nPSPs per namespace (granted to its service accounts through RBAC):\n");
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        psp_namespace(out, pg_audit_namespace_at(audit, i));
    }
}

static void problems(struct pg_buf *out, const struct pg_audit *audit)
{
    size_t total = pg_audit_stats(audit)->errors;
    if (total == 0) {
        return;
    }
    pg_buf_printf(out, "\nInput problems (%zu; these objects are not counted):\n", total);
    for (size_t i = 0; i < pg_audit_diag_count(audit); i++) {
        const struct pg_audit_diag *diag = pg_audit_diag_at(audit, i);
        pg_buf_puts(out, "  ");
        put_safe(out, diag->source);
        if (diag->line > 0) {
            pg_buf_printf(out, ":%u", (unsigned)diag->line);
        }
        pg_buf_puts(out, ": ");
        put_safe(out, diag->message);
        pg_buf_putc(out, '\n');
    }
    if (total > pg_audit_diag_count(audit)) {
        pg_buf_printf(out, "  (%zu more)\n", total - pg_audit_diag_count(audit));
    }
}

void pg_audit_render_text(struct pg_buf *out, const struct pg_audit *audit)
{
    summary(out, audit);
    table(out, audit);
    commands(out, audit);
    invalid_labels(out, audit);
    drift(out, audit);
    for (size_t i = 0; i < pg_audit_what_if_count(audit); i++) {
        what_if_one(out, pg_audit_what_if_at(audit, i));
    }
    psps(out, audit);
    problems(out, audit);
}
