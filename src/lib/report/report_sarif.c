/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `-o sarif` writer: SARIF 2.1.0 for code scanning (GitHub, GitLab, the
 * VS Code SARIF viewer). One run whose driver lists the 19 checks as rules;
 * one result per violation, workload and mode, streamed as it comes; input
 * errors and warnings become tool execution notifications, held back until
 * the end because the invocation follows the results. No timestamps: the
 * same input gives the same bytes.
 */
#include "report/writer.h"

#include "podgate/checkdoc.h"
#include "report/fingerprint.h"
#include "report/uri.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define PSS_URI "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
/* podgate has no home page of its own yet; a build can name one. */
#ifndef PG_INFORMATION_URI
#define PG_INFORMATION_URI PSS_URI
#endif
#define FINGERPRINT_KEY "workloadCheckHash/v1"

static const enum pg_level LEVELS[] = {PG_LEVEL_BASELINE, PG_LEVEL_RESTRICTED};

struct sarif_state {
    bool any_result;
    struct pg_buf notifications; /* toolExecutionNotifications, written by finish */
    struct pg_buf scratch;       /* texts composed before JSON quoting */
    char *source;                /* the source whose URI is in `uri` */
    struct pg_buf uri;
    enum pg_uri_kind uri_kind;
    struct pg_fingerprint_seen fingerprints; /* given out for `source` */
};

static void put_json(struct pg_buf *out, const char *text)
{
    pg_buf_put_json_string(out, pg_report_cstr(text));
}

/* The scratch text as a JSON string; empties the scratch buffer. */
static void put_scratch(struct pg_buf *out, struct pg_buf *scratch)
{
    pg_buf_put_json_string(out, pg_buf_str(scratch));
    pg_buf_clear(scratch);
}

/* "v1.8 and later" or "v1.0 to v1.18". */
static void put_range(struct pg_buf *out, unsigned first, unsigned last)
{
    if (last == PG_MAX_MINOR) {
        pg_buf_printf(out, "v1.%u and later", first);
    } else {
        pg_buf_printf(out, "v1.%u to v1.%u", first, last);
    }
}

/* How put_runs_at writes each level it runs at: before the name, between, after, between levels. */
struct runs_at_style {
    const char *open;
    const char *middle;
    const char *close;
    const char *separator;
};

/* Help text: "baseline v1.0 and later; restricted v1.0 to v1.18". */
static const struct runs_at_style RUNS_AT_TEXT = {"", " ", "", "; "};
/* Rule properties: "baseline": "v1.0 and later", "restricted": "v1.0 to v1.18". */
static const struct runs_at_style RUNS_AT_JSON = {"\"", "\": \"", "\"", ", "};

/* The versions `check` runs at, per level, leaving out levels it never runs at. */
static void put_runs_at(struct pg_buf *out, enum pg_check_id check,
                        const struct runs_at_style *style)
{
    const char *separator = "";
    for (size_t i = 0; i < sizeof(LEVELS) / sizeof(LEVELS[0]); i++) {
        unsigned first = 0;
        unsigned last = 0;
        if (pg_check_doc_range(&first, &last, check, LEVELS[i])) {
            pg_buf_printf(out, "%s%s%s%s", separator, style->open, pg_level_name(LEVELS[i]),
                          style->middle);
            put_range(out, first, last);
            pg_buf_puts(out, style->close);
            separator = style->separator;
        }
    }
}

/* `"help": {"text": …, "markdown": …}`: requirement, fields, versions and the fix. */
static void put_help(struct pg_buf *out, struct pg_buf *scratch, enum pg_check_id check)
{
    const struct pg_check_doc *doc = pg_check_doc(check);
    const char *name = pg_check_name(check);
    pg_buf_printf(scratch, "%s\n\nFields: %s\nVersions: %s\nRuns at: ", doc->requirement,
                  doc->fields, doc->versions);
    put_runs_at(scratch, check, &RUNS_AT_TEXT);
    pg_buf_printf(scratch, "\n\nFix: %s\n\nMore: podgate explain %s", doc->fix, name);
    pg_buf_puts(out, "\"help\": {\"text\": ");
    put_scratch(out, scratch);
    pg_buf_printf(scratch,
                  "**%s**\n\n%s\n\n- **Fields:** `%s`\n- **Versions:** %s\n- **Runs at:** ",
                  doc->title, doc->requirement, doc->fields, doc->versions);
    put_runs_at(scratch, check, &RUNS_AT_TEXT);
    pg_buf_printf(scratch,
                  "\n\n**Fix:** %s\n\nRun `podgate explain %s` for details, and see the "
                  "[Pod Security Standards](" PSS_URI "#%s).",
                  doc->fix, name, pg_level_name(pg_check_level(check)));
    pg_buf_puts(out, ", \"markdown\": ");
    put_scratch(out, scratch);
    pg_buf_putc(out, '}');
}

/* The upstream ID in PascalCase for `name`: capabilities_restricted → CapabilitiesRestricted. */
static void put_pascal_name(struct pg_buf *out, const char *id)
{
    static const char UPPER[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    bool upper = true;
    pg_buf_putc(out, '"');
    for (const char *c = id; *c != '\0'; c++) {
        char letter = *c;
        if (letter == '_') {
            upper = true;
            continue;
        }
        if (upper && letter >= 'a' && letter <= 'z') {
            letter = UPPER[letter - 'a'];
        }
        pg_buf_putc(out, letter);
        upper = false;
    }
    pg_buf_putc(out, '"');
}

/*
 * Rule properties: tags and GitHub's security-severity (baseline checks stop
 * known privilege escalations: high; restricted ones are hardening: medium),
 * the check's level and the versions it runs at, per level.
 */
static void put_rule_properties(struct pg_buf *out, enum pg_check_id check)
{
    enum pg_level level = pg_check_level(check);
    pg_buf_printf(out,
                  "\"properties\": {\"tags\": [\"security\", \"kubernetes\", "
                  "\"pod-security-standards\", \"%s\"], \"precision\": \"very-high\", "
                  "\"security-severity\": \"%s\", \"level\": \"%s\", \"runsAt\": {",
                  pg_level_name(level), level == PG_LEVEL_BASELINE ? "8.0" : "5.0",
                  pg_level_name(level));
    put_runs_at(out, check, &RUNS_AT_JSON);
    pg_buf_puts(out, "}}");
}

static void put_rule(struct pg_buf *out, struct pg_buf *scratch, enum pg_check_id check)
{
    const struct pg_check_doc *doc = pg_check_doc(check);
    pg_buf_puts(out, "{\"id\": ");
    put_json(out, pg_check_name(check));
    pg_buf_puts(out, ", \"name\": ");
    put_pascal_name(out, pg_check_name(check));
    pg_buf_puts(out, ", \"shortDescription\": {\"text\": ");
    put_json(out, doc->title);
    pg_buf_puts(out, "}, \"fullDescription\": {\"text\": ");
    put_json(out, doc->requirement);
    pg_buf_printf(out, "}, \"helpUri\": \"" PSS_URI "#%s\", ",
                  pg_level_name(pg_check_level(check)));
    put_help(out, scratch, check);
    pg_buf_puts(out, ", \"defaultConfiguration\": {\"level\": \"error\"}, ");
    put_rule_properties(out, check);
    pg_buf_putc(out, '}');
}

static void put_header(struct pg_report *report, struct pg_buf *scratch)
{
    struct pg_buf *out = &report->out;
    const char *version = report->options.tool_version;
    pg_buf_puts(out, "{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/"
                     "os/schemas/sarif-schema-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
                     "  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n"
                     "          \"name\": \"podgate\",\n          \"version\": ");
    put_json(out, version != NULL ? version : "unknown");
    if (version != NULL) {
        pg_buf_puts(out, ",\n          \"semanticVersion\": ");
        put_json(out, version);
    }
    pg_buf_puts(out, ",\n          \"informationUri\": \"" PG_INFORMATION_URI "\",\n"
                     "          \"rules\": [");
    for (int check = 0; check < PG_CHECK_COUNT; check++) {
        pg_buf_puts(out, check > 0 ? ",\n            " : "\n            ");
        put_rule(out, scratch, (enum pg_check_id)check);
    }
    pg_buf_puts(out, "\n          ]\n        }\n      },\n"
                     "      \"originalUriBaseIds\": {\n"
                     "        \"%SRCROOT%\": {\"description\": {\"text\": \"The directory podgate "
                     "scan ran in: relative URIs are relative to it.\"}},\n"
                     "        \"STDIN\": {\"description\": {\"text\": \"Standard input: the URI "
                     "'stdin' stands for the manifests read from it.\"}}\n      },\n"
                     "      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [");
}

static void *sarif_new(struct pg_report *report)
{
    struct sarif_state *state = pg_xcalloc(1, sizeof(*state));
    pg_buf_init(&state->notifications, 0);
    pg_buf_init(&state->scratch, 0);
    pg_buf_init(&state->uri, 0);
    put_header(report, &state->scratch);
    return state;
}

static void sarif_free(void *ptr)
{
    struct sarif_state *state = ptr;
    if (state == NULL) {
        return;
    }
    pg_buf_release(&state->notifications);
    pg_buf_release(&state->scratch);
    pg_buf_release(&state->uri);
    pg_fingerprint_seen_release(&state->fingerprints);
    free(state->source);
    free(state);
}

/* The URI of `source`, computed once per source. */
static void use_source(struct sarif_state *state, const struct pg_report *report,
                       const char *source)
{
    if (state->source != NULL && strcmp(state->source, source) == 0) {
        return;
    }
    free(state->source);
    state->source = pg_xstrndup(source, strlen(source));
    pg_buf_clear(&state->uri);
    state->uri_kind = pg_uri_from_path(&state->uri, source, report->options.base_dir);
    pg_fingerprint_seen_clear(&state->fingerprints);
}

/* The uriBaseId member a URI of this kind carries (see originalUriBaseIds), if any. */
static const char *uri_base(enum pg_uri_kind kind)
{
    switch (kind) {
    case PG_URI_RELATIVE:
        return ", \"uriBaseId\": \"%SRCROOT%\"";
    case PG_URI_ABSOLUTE:
        return "";
    case PG_URI_STDIN:
        return ", \"uriBaseId\": \"STDIN\"";
    }
    return "";
}

/* `{"physicalLocation": …[, "message": {"text": path}]}`; no region when the line is unknown. */
static void put_location(struct pg_buf *out, const struct sarif_state *state, uint32_t line,
                         uint32_t column, const char *path)
{
    pg_buf_puts(out, "{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
    pg_buf_put_json_string(out, pg_buf_str(&state->uri));
    pg_buf_puts(out, uri_base(state->uri_kind));
    pg_buf_putc(out, '}');
    if (line > 0) {
        pg_buf_printf(out, ", \"region\": {\"startLine\": %u", (unsigned)line);
        if (column > 0) {
            pg_buf_printf(out, ", \"startColumn\": %u", (unsigned)column);
        }
        pg_buf_putc(out, '}');
    }
    pg_buf_putc(out, '}');
    if (path != NULL && path[0] != '\0') {
        pg_buf_puts(out, ", \"message\": {\"text\": ");
        put_json(out, path);
        pg_buf_putc(out, '}');
    }
    pg_buf_putc(out, '}');
}

static void put_locations(struct pg_buf *out, const struct sarif_state *state,
                          const struct pg_scan_result *result,
                          const struct pg_scan_violation *violation)
{
    struct pg_scan_location first = pg_report_first_location(result, violation);
    pg_buf_puts(out, "\"locations\": [");
    put_location(out, state, first.line, first.column, first.path);
    for (size_t i = 1; i < violation->locations_len; i++) {
        const struct pg_scan_location *location = &violation->locations[i];
        pg_buf_puts(out, ", ");
        put_location(out, state, location->line, location->column, location->path);
    }
    pg_buf_putc(out, ']');
}

/* The result's properties; `exempted` (NULL for an ordinary result) adds its exemption. */
static void put_result_properties(struct pg_buf *out, struct pg_buf *scratch,
                                  const struct pg_scan_result *result,
                                  const struct pg_scan_exempted_violation *exempted)
{
    const struct pg_object_ref *ref = &result->workload->ref;
    char policy[64];
    (void)pg_level_version_format(policy, sizeof(policy), result->policy);
    pg_buf_puts(out, "\"properties\": {\"apiVersion\": ");
    pg_buf_put_json_string(out, ref->api_version);
    pg_buf_puts(out, ", \"kind\": ");
    pg_buf_put_json_string(out, ref->kind);
    pg_buf_puts(out, ", \"namespace\": ");
    pg_buf_put_json_string(out, ref->namespace_);
    pg_buf_puts(out, ", \"name\": ");
    pg_buf_put_json_string(out, ref->name);
    pg_buf_printf(out, ", \"policy\": \"%s\", \"mode\": \"%s\", \"document\": %zu", policy,
                  pg_mode_name(result->mode), result->document);
    if (result->in_list) {
        pg_buf_printf(out, ", \"item\": %zu", result->item);
    }
    if (exempted != NULL) {
        pg_buf_put_str(scratch, exempted->policy);
        pg_buf_printf(scratch, "/%zu", exempted->exemption);
        pg_buf_puts(out, ", \"exemption\": ");
        put_scratch(out, scratch);
        if (exempted->owner.len > 0) {
            pg_buf_puts(out, ", \"owner\": ");
            pg_buf_put_json_string(out, exempted->owner);
        }
    }
    pg_buf_putc(out, '}');
}

/*
 * One result: a violation, or with `exempted` what an exemption removed, as
 * the violation it would have been, suppressed (SARIF 2.1.0 §3.34) with the
 * exemption's reason as the justification.
 */
static void put_result(struct pg_report *report, struct sarif_state *state,
                       const struct pg_scan_result *result,
                       const struct pg_scan_violation *violation,
                       const struct pg_scan_exempted_violation *exempted)
{
    struct pg_buf *out = &report->out;
    char fingerprint[PG_FINGERPRINT_SIZE];
    if (exempted != NULL) {
        pg_fingerprint_exempted(fingerprint, pg_buf_str(&state->uri).ptr, result, exempted);
    } else {
        pg_fingerprint_violation(fingerprint, pg_buf_str(&state->uri).ptr, result,
                                 violation->check);
    }
    pg_fingerprint_disambiguate(&state->fingerprints, fingerprint);
    pg_buf_puts(out, state->any_result ? ",\n        {\"ruleId\": " : "\n        {\"ruleId\": ");
    state->any_result = true;
    put_json(out, pg_check_name(violation->check));
    pg_buf_printf(out, ", \"ruleIndex\": %d, \"level\": \"%s\", \"message\": {\"text\": ",
                  (int)violation->check, pg_report_mode_severity(result->mode));
    pg_report_put_violation(&state->scratch, result, violation);
    put_scratch(out, &state->scratch);
    pg_buf_puts(out, "}, ");
    put_locations(out, state, result, violation);
    pg_buf_printf(out, ", \"partialFingerprints\": {\"" FINGERPRINT_KEY "\": \"%s\"}, ",
                  fingerprint);
    if (exempted != NULL) {
        pg_buf_puts(out, "\"suppressions\": [{\"kind\": \"external\", \"justification\": ");
        pg_buf_put_json_string(out, exempted->reason);
        pg_buf_puts(out, "}], ");
    }
    put_result_properties(out, &state->scratch, result, exempted);
    pg_buf_putc(out, '}');
}

static void sarif_result(struct pg_report *report, const struct pg_scan_result *result)
{
    struct sarif_state *state = report->state;
    if (result->violations_len == 0 && result->exempted_violations_len == 0) {
        return;
    }
    use_source(state, report, result->source);
    for (size_t i = 0; i < result->violations_len; i++) {
        put_result(report, state, result, &result->violations[i], NULL);
    }
    /* After the violations: a result that is allowed only thanks to exemptions still says so. */
    for (size_t i = 0; i < result->exempted_violations_len; i++) {
        const struct pg_scan_exempted_violation *exempted = &result->exempted_violations[i];
        put_result(report, state, result, &exempted->violation, exempted);
    }
}

static void sarif_diag(struct pg_report *report, const struct pg_scan_diag *diag)
{
    struct sarif_state *state = report->state;
    struct pg_buf *out = &state->notifications;
    use_source(state, report, diag->source);
    pg_buf_printf(out, "%s{\"level\": \"%s\", \"message\": {\"text\": ",
                  out->len > 0 ? ",\n            " : "\n            ",
                  diag->severity == PG_DIAG_ERROR ? "error" : "warning");
    put_json(out, diag->message);
    pg_buf_puts(out, "}, \"locations\": [");
    put_location(out, state, diag->line, diag->column, diag->path);
    pg_buf_printf(out, "], \"properties\": {\"code\": \"%s\", \"document\": %zu}}",
                  pg_error_code_name(diag->code), diag->document);
}

static void sarif_end_source(struct pg_report *report, const char *source)
{
    (void)report;
    (void)source;
}

static void sarif_finish(struct pg_report *report, const struct pg_scan_stats *stats)
{
    struct sarif_state *state = report->state;
    struct pg_buf *out = &report->out;
    pg_buf_puts(out, state->any_result ? "\n      ],\n" : "],\n");
    pg_buf_printf(out,
                  "      \"invocations\": [\n        {\"executionSuccessful\": %s, "
                  "\"toolExecutionNotifications\": [",
                  stats->errors == 0 ? "true" : "false");
    pg_buf_puts(out, state->notifications.len > 0 ? "" : "]}\n");
    if (state->notifications.len > 0) {
        pg_report_put_buf(report, &state->notifications);
        pg_buf_puts(out, "\n        ]}\n");
    }
    pg_buf_printf(out,
                  "      ],\n      \"properties\": {\"sources\": %zu, \"documents\": %zu, "
                  "\"workloads\": %zu, \"violating\": %zu, \"errors\": %zu, \"warnings\": %zu}\n"
                  "    }\n  ]\n}\n",
                  stats->sources, stats->documents, stats->workloads, stats->violating,
                  stats->errors, stats->warnings);
}

const struct pg_report_writer pg_report_sarif_writer = {
    sarif_new, sarif_result, sarif_diag, sarif_end_source, sarif_finish, sarif_free,
};
