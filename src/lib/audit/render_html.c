/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit as one self-contained HTML page: inline CSS, a few lines of inline script
 * (sorting and filtering), no fonts, images or requests, and a Content-Security-Policy that
 * forbids any. A colour-coded namespace × level overview comes first, then sortable details,
 * the label commands, drift, what-if, PSPs and input problems. Every text from the cluster is
 * escaped; the script reads only the DOM, so no data is ever placed inside script.
 */
#include "audit/internal.h"

#include <string.h>

static const char HEAD[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>podgate audit</title>\n<style>\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;"
    "color:#1d2430;background:#fafbfc}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}\n"
    "table{border-collapse:collapse;background:#fff;margin:4px 0}\n"
    "th,td{border:1px solid #d5dae1;padding:4px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#eef1f5;position:sticky;top:0}\n"
    "table.sortable th{cursor:pointer;user-select:none}\n"
    "th[aria-sort=ascending]::after{content:' \\25B2'}"
    "th[aria-sort=descending]::after{content:' \\25BC'}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}td.labels{white-space:nowrap}\n"
    "td.ok{background:#d8f3dc;color:#14532d}td.bad{background:#fde2e1;color:#7f1d1d}\n"
    "td.cur{outline:3px solid #1d4ed8;outline-offset:-3px}\n"
    "td.rec{font-weight:700}\n"
    ".legend span{display:inline-block;padding:1px 8px;margin-right:8px;border:1px solid #d5dae1}\n"
    "pre{background:#fff;border:1px solid #d5dae1;padding:8px;overflow-x:auto;"
    "white-space:pre-wrap;overflow-wrap:anywhere}\n"
    "pre#commands{white-space:pre}\n"
    ".muted{color:#5b6472}input{font:inherit;padding:3px 6px;margin:4px 0}\n"
    "</style>\n</head>\n<body>\n";

static const char SCRIPT[] =
    "<script>\n"
    "(function(){\n"
    "function key(cell){var v=cell.getAttribute('data-v');return v===null?cell.textContent:v;}\n"
    "document.querySelectorAll('table.sortable').forEach(function(table){\n"
    " table.querySelectorAll('th').forEach(function(th,i){\n"
    "  th.addEventListener('click',function(){\n"
    "   var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);\n"
    "   var asc=th.getAttribute('aria-sort')!=='ascending';\n"
    "   rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);\n"
    "    var nx=parseFloat(x),ny=parseFloat(y);\n"
    "    var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});\n"
    "   rows.forEach(function(r){body.appendChild(r);});\n"
    "   table.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});\n"
    "   th.setAttribute('aria-sort',asc?'ascending':'descending');});});});\n"
    "var filter=document.getElementById('filter');\n"
    "if(filter){filter.addEventListener('input',function(){var q=filter.value.toLowerCase();\n"
    " document.querySelectorAll('tr[data-ns]').forEach(function(r){\n"
    "  r.style.display=r.getAttribute('data-ns').toLowerCase().indexOf(q)<0?'none':'';});});}\n"
    "document.body.setAttribute('data-script','ok');\n"
    "})();\n"
    "</script>\n";

static void esc(struct pg_buf *out, const char *text)
{
    pg_buf_put_xml_escaped(out, (struct pg_str){text, strlen(text)});
}

static void row_start(struct pg_buf *out, const char *name)
{
    pg_buf_puts(out, "<tr data-ns=\"");
    esc(out, name);
    pg_buf_puts(out, "\">");
}

static void num_cell(struct pg_buf *out, size_t value)
{
    pg_buf_printf(out, "<td class=\"num\">%zu</td>", value);
}

/* One level cell of the overview: green when nothing violates it at latest, red otherwise. */
static void level_cell(struct pg_buf *out, const struct pg_audit_namespace *ns, enum pg_level l)
{
    const struct pg_audit_count *latest = &ns->at_latest[l];
    size_t total = latest->pods + latest->workloads;
    bool current = ns->policy.modes[PG_MODE_ENFORCE].level == l &&
                   (ns->labels[0] != NULL || ns->label_errors != NULL);
    bool recommended = ns->recommended.modes[PG_MODE_ENFORCE].level == l;
    pg_buf_printf(out, "<td class=\"%s%s%s\" data-v=\"%zu\">", total == 0 ? "ok" : "bad",
                  current ? " cur" : "", recommended ? " rec" : "", total);
    if (total == 0) {
        pg_buf_puts(out, "&#10003; passes");
    } else {
        pg_buf_printf(out, "&#10007; %zu pod%s, %zu workload%s", latest->pods,
                      latest->pods == 1 ? "" : "s", latest->workloads,
                      latest->workloads == 1 ? "" : "s");
    }
    pg_buf_puts(out, recommended ? " &#9733;" : "");
    pg_buf_puts(out, "</td>");
}

static void enforce_text(struct pg_buf *out, const struct pg_audit_namespace *ns)
{
    struct pg_buf text = PG_BUF_INIT;
    if (ns->labels[0] == NULL && ns->labels[1] == NULL && ns->label_errors == NULL) {
        pg_buf_puts(out, "<span class=\"muted\">no label</span>");
        return;
    }
    pg_audit_put_level_version(&text, ns->policy.modes[PG_MODE_ENFORCE]);
    esc(out, text.ptr);
    pg_buf_release(&text);
    pg_buf_puts(out, ns->label_errors != NULL ? " (invalid labels)" : "");
}

static void overview(struct pg_buf *out, const struct pg_audit *audit)
{
    pg_buf_printf(out,
                  "<h2>Overview at latest (v1.%d)</h2>\n<p class=\"legend\">"
                  "<span class=\"ok\" style=\"background:#d8f3dc\">&#10003; passes</span>"
                  "<span style=\"background:#fde2e1\">&#10007; violations</span>"
                  "<span style=\"outline:3px solid #1d4ed8\">enforced now</span>"
                  "<span><b>&#9733; recommended enforce</b></span></p>\n",
                  PG_MAX_MINOR);
    pg_buf_puts(out, "<input id=\"filter\" type=\"search\" placeholder=\"filter namespaces\">\n"
                     "<table id=\"overview\" class=\"sortable\">\n<thead><tr><th>Namespace</th>"
                     "<th>Enforce label</th><th>privileged</th><th>baseline</th>"
                     "<th>restricted</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        const struct pg_audit_namespace *ns = pg_audit_namespace_at(audit, i);
        row_start(out, ns->name);
        pg_buf_puts(out, "<td>");
        esc(out, ns->name);
        pg_buf_puts(out, "</td><td>");
        enforce_text(out, ns);
        pg_buf_puts(out, "</td>");
        for (int level = PG_LEVEL_PRIVILEGED; level <= PG_LEVEL_RESTRICTED; level++) {
            level_cell(out, ns, (enum pg_level)level);
        }
        pg_buf_puts(out, "</tr>\n");
    }
    pg_buf_puts(out, "</tbody>\n</table>\n");
}

static void count_cell(struct pg_buf *out, const struct pg_audit_count *count)
{
    pg_buf_printf(out, "<td class=\"num %s\" data-v=\"%zu\">%zu / %zu</td>",
                  count->pods + count->workloads == 0 ? "ok" : "bad",
                  count->pods + count->workloads, count->pods, count->workloads);
}

static void details_row(struct pg_buf *out, const struct pg_audit_namespace *ns)
{
    struct pg_buf text = PG_BUF_INIT;
    row_start(out, ns->name);
    pg_buf_puts(out, "<td>");
    esc(out, ns->name);
    pg_buf_puts(out, "</td><td class=\"labels\">");
    for (size_t i = 0; i < PG_AUDIT_LABELS; i++) {
        if (ns->labels[i] != NULL) {
            pg_buf_printf(out, "%s=", pg_audit_label_name(i));
            esc(out, ns->labels[i]);
            pg_buf_puts(out, "<br>");
        }
    }
    pg_buf_puts(out, "</td>");
    num_cell(out, ns->pods);
    num_cell(out, ns->workloads);
    num_cell(out, ns->controlled_templates);
    pg_buf_puts(out, "<td>");
    pg_audit_put_version(&text, ns->pinned);
    esc(out, text.ptr);
    pg_buf_puts(out, "</td>");
    count_cell(out, &ns->at_pinned[PG_LEVEL_BASELINE]);
    count_cell(out, &ns->at_pinned[PG_LEVEL_RESTRICTED]);
    count_cell(out, &ns->at_latest[PG_LEVEL_BASELINE]);
    count_cell(out, &ns->at_latest[PG_LEVEL_RESTRICTED]);
    pg_buf_printf(out, "<td data-v=\"%d\">%s</td><td data-v=\"%d\">%s%s%s</td></tr>\n",
                  (int)ns->strictest_latest, pg_level_name(ns->strictest_latest),
                  (int)ns->recommended.modes[PG_MODE_ENFORCE].level,
                  pg_level_name(ns->recommended.modes[PG_MODE_ENFORCE].level),
                  ns->recommendation_applied ? " (applied)" : "",
                  ns->recommendation_looser ? " (looser than now)" : "");
    pg_buf_release(&text);
}

static void details(struct pg_buf *out, const struct pg_audit *audit)
{
    pg_buf_puts(out, "<h2>Namespaces</h2>\n<p class=\"muted\">Violating pods / workload "
                     "templates. Templates controlled by another workload (a Deployment's "
                     "ReplicaSets) are not judged again. Click a heading to sort.</p>\n"
                     "<table id=\"details\" class=\"sortable\">\n<thead><tr><th>Namespace</th>"
                     "<th>Labels</th><th>Pods</th><th>Workloads</th><th>Controlled templates</th>"
                     "<th>Pinned</th><th>baseline (pinned)</th><th>restricted (pinned)</th>"
                     "<th>baseline (latest)</th><th>restricted (latest)</th>"
                     "<th>Strictest at latest</th><th>Recommended enforce</th></tr></thead>\n"
                     "<tbody>\n");
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        details_row(out, pg_audit_namespace_at(audit, i));
    }
    pg_buf_puts(out, "</tbody>\n</table>\n");
}

static void commands(struct pg_buf *out, const struct pg_audit *audit)
{
    pg_buf_printf(out,
                  "<h2>Label commands</h2>\n<p class=\"muted\">enforce: the strictest "
                  "level nothing violates at v1.%d; warn and audit: the next one.</p>\n"
                  "<pre id=\"commands\">",
                  PG_MAX_MINOR);
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        const struct pg_audit_namespace *ns = pg_audit_namespace_at(audit, i);
        struct pg_buf command = PG_BUF_INIT;
        if (ns->recommendation_applied) {
            continue;
        }
        pg_audit_label_command(&command, ns->name, &ns->recommended);
        esc(out, command.ptr);
        pg_buf_putc(out, '\n');
        pg_buf_release(&command);
    }
    pg_buf_puts(out, "</pre>\n");
}

static void lines(struct pg_buf *out, const struct pg_audit_groups *groups)
{
    for (size_t i = 0; i < groups->len; i++) {
        esc(out, groups->items[i].line);
        pg_buf_putc(out, '\n');
    }
    if (groups->dropped > 0) {
        pg_buf_printf(out, "(%zu more in groups not kept)\n", groups->dropped);
    }
}

static void invalid_and_drift(struct pg_buf *out, const struct pg_audit *audit)
{
    pg_buf_puts(out, "<h2>Invalid labels and version drift</h2>\n<pre id=\"drift\">");
    for (size_t i = 0; i < pg_audit_namespace_count(audit); i++) {
        const struct pg_audit_namespace *ns = pg_audit_namespace_at(audit, i);
        if (ns->label_errors != NULL) {
            esc(out, ns->name);
            pg_buf_puts(out, ": ");
            esc(out, ns->label_errors);
            pg_buf_putc(out, '\n');
        }
        for (size_t j = 0; j < ns->drift_len; j++) {
            struct pg_buf lv = PG_BUF_INIT;
            pg_audit_put_level_version(
                &lv, (struct pg_level_version){ns->drift[j].level, ns->drift[j].from});
            esc(out, ns->name);
            pg_buf_printf(out, " at %s: %zu pods, %zu workloads newly violate at latest\n", lv.ptr,
                          ns->drift[j].newly.pods, ns->drift[j].newly.workloads);
            lines(out, &ns->drift[j].pods);
            lines(out, &ns->drift[j].workloads);
            pg_buf_release(&lv);
        }
    }
    pg_buf_puts(out, "</pre>\n");
}

static void what_ifs(struct pg_buf *out, const struct pg_audit *audit)
{
    for (size_t i = 0; i < pg_audit_what_if_count(audit); i++) {
        const struct pg_audit_what_if_result *w = pg_audit_what_if_at(audit, i);
        struct pg_buf lv = PG_BUF_INIT;
        pg_audit_put_level_version(&lv, w->enforce);
        pg_buf_puts(out, "<h2>What if ");
        esc(out, w->namespace_);
        pg_buf_printf(out, " enforces %s</h2>\n<pre class=\"what-if\">", lv.ptr);
        pg_buf_printf(out,
                      "%zu of %zu pods violate it; %zu of %zu workloads would get a "
                      "warning.\n",
                      w->violating.pods, w->checked.pods, w->violating.workloads,
                      w->checked.workloads);
        if (w->violating.pods > 0) {
            struct pg_buf header = PG_BUF_INIT;
            pg_audit_put_what_if_header(&header, w);
            esc(out, header.ptr);
            pg_buf_putc(out, '\n');
            pg_buf_release(&header);
        }
        lines(out, &w->pods);
        lines(out, &w->workloads);
        pg_buf_puts(out, "</pre>\n");
        pg_buf_release(&lv);
    }
}

static void psp_fields(struct pg_buf *out, const char *title,
                       const struct pg_audit_psp_field *fields, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        pg_buf_printf(out, "<tr><td>%s</td><td>", title);
        esc(out, fields[i].field);
        pg_buf_puts(out, "</td><td>");
        esc(out, fields[i].value);
        pg_buf_printf(out, "</td><td>%s</td><td>",
                      fields[i].check == PG_CHECK_COUNT ? "" : pg_check_name(fields[i].check));
        esc(out, fields[i].note);
        pg_buf_puts(out, "</td></tr>\n");
    }
}

static void psps(struct pg_buf *out, const struct pg_audit *audit)
{
    if (pg_audit_psp_count(audit) == 0) {
        return;
    }
    pg_buf_puts(out, "<h2>PodSecurityPolicies</h2>\n");
    for (size_t i = 0; i < pg_audit_psp_count(audit); i++) {
        const struct pg_audit_psp *psp = pg_audit_psp_at(audit, i);
        pg_buf_puts(out, "<h3>");
        esc(out, psp->name);
        pg_buf_printf(out,
                      ": stays within %s</h3>\n<table class=\"psp\"><thead><tr><th>Kind</th>"
                      "<th>Field</th><th>Value</th><th>Check</th><th>Note</th></tr></thead>"
                      "<tbody>\n",
                      pg_level_name(psp->level));
        psp_fields(out, "beyond", psp->beyond, psp->beyond_len);
        psp_fields(out, "default", psp->defaults, psp->defaults_len);
        psp_fields(out, "no PSS equivalent", psp->uncovered, psp->uncovered_len);
        pg_buf_puts(out, "</tbody></table>\n");
    }
}

static void problems(struct pg_buf *out, const struct pg_audit *audit)
{
    if (pg_audit_stats(audit)->errors == 0) {
        return;
    }
    pg_buf_printf(out, "<h2>Input problems (%zu)</h2>\n<pre>", pg_audit_stats(audit)->errors);
    for (size_t i = 0; i < pg_audit_diag_count(audit); i++) {
        const struct pg_audit_diag *diag = pg_audit_diag_at(audit, i);
        esc(out, diag->source);
        if (diag->line > 0) {
            pg_buf_printf(out, ":%u", (unsigned)diag->line);
        }
        pg_buf_puts(out, ": ");
        esc(out, diag->message);
        pg_buf_putc(out, '\n');
    }
    pg_buf_puts(out, "</pre>\n");
}

void pg_audit_render_html(struct pg_buf *out, const struct pg_audit *audit)
{
    pg_buf_puts(out, HEAD);
    pg_buf_printf(out,
                  "<h1>Pod Security audit</h1>\n<p class=\"muted\">%zu namespaces, "
                  "%zu objects read, %zu PodSecurityPolicies; latest = v1.%d.</p>\n",
                  pg_audit_namespace_count(audit), pg_audit_stats(audit)->objects,
                  pg_audit_psp_count(audit), PG_MAX_MINOR);
    overview(out, audit);
    details(out, audit);
    commands(out, audit);
    invalid_and_drift(out, audit);
    what_ifs(out, audit);
    psps(out, audit);
    problems(out, audit);
    pg_buf_puts(out, SCRIPT);
    pg_buf_puts(out, "</body>\n</html>\n");
}
