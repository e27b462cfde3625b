/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scanner: documents → workloads → policies → findings → results. It
 * owns the per-workload scratch memory and the namespace label table learned
 * from the input; rendering of upstream texts is delegated to eval.
 */
#include "podgate/scan.h"

#include "podgate/arena.h"
#include "podgate/buf.h"
#include "scan/locate.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_PREFIX "pod-security.kubernetes.io/"

struct ns_entry {
    char *name;
    struct pg_ns_policy policy;
    size_t error_count;
    char *errors;
};

struct pg_scanner {
    struct pg_scan_options options;
    struct ns_entry *namespaces;
    size_t namespaces_len;
    size_t namespaces_cap;
    struct pg_findings findings;
    struct pg_arena *scratch;
    struct pg_buf message;
    struct pg_buf texts;
    struct pg_scan_stats stats;
};

void pg_scan_options_default(struct pg_scan_options *out)
{
    memset(out, 0, sizeof(*out));
    out->apply_defaults = true;
    out->format = PG_FORMAT_AUTO;
    pg_limits_default(&out->limits);
}

int pg_scanner_new(struct pg_scanner **out, const struct pg_scan_options *options,
                   struct pg_error *err)
{
    struct pg_scanner *scanner = NULL;
    if (out == NULL || options == NULL) {
        return pg_error_set(err, PG_EINVAL, "pg_scanner_new: NULL argument");
    }
    scanner = pg_xcalloc(1, sizeof(*scanner));
    scanner->options = *options;
    pg_findings_init(&scanner->findings);
    scanner->scratch = pg_arena_new();
    pg_buf_init(&scanner->message, 0);
    pg_buf_init(&scanner->texts, 0);
    *out = scanner;
    return 0;
}

void pg_scanner_free(struct pg_scanner *scanner)
{
    size_t i = 0;
    if (scanner == NULL) {
        return;
    }
    for (i = 0; i < scanner->namespaces_len; i++) {
        free(scanner->namespaces[i].name);
        free(scanner->namespaces[i].errors);
    }
    free(scanner->namespaces);
    pg_findings_release(&scanner->findings);
    pg_arena_free(scanner->scratch);
    pg_buf_release(&scanner->message);
    pg_buf_release(&scanner->texts);
    free(scanner);
}

const struct pg_scan_stats *pg_scanner_stats(const struct pg_scanner *scanner)
{
    return &scanner->stats;
}

static bool str_eq(struct pg_str s, const char *text)
{
    size_t len = strlen(text);
    return s.len == len && memcmp(s.ptr, text, len) == 0;
}

static bool is_namespace(const struct pg_object_ref *ref)
{
    return str_eq(ref->kind, "Namespace") && str_eq(ref->api_version, "v1");
}

static struct ns_entry *find_namespace(const struct pg_scanner *scanner, struct pg_str name)
{
    size_t i = 0;
    for (i = 0; i < scanner->namespaces_len; i++) {
        if (strlen(scanner->namespaces[i].name) == name.len &&
            memcmp(scanner->namespaces[i].name, name.ptr, name.len) == 0) {
            return &scanner->namespaces[i];
        }
    }
    return NULL;
}

static void learn_object(struct pg_scanner *scanner, const struct pg_node *object)
{
    struct pg_object_ref ref;
    struct ns_entry *entry = NULL;
    struct pg_ns_policy defaults;
    struct pg_buf errors = PG_BUF_INIT;
    if (pg_object_ref_read(&ref, object, NULL) != 0 || !is_namespace(&ref) ||
        !pg_labels_have_pod_security(ref.labels)) {
        return;
    }
    entry = find_namespace(scanner, ref.name);
    if (entry == NULL) {
        if (scanner->namespaces_len == scanner->namespaces_cap) {
            scanner->namespaces_cap = scanner->namespaces_cap ? 2 * scanner->namespaces_cap : 8;
            scanner->namespaces = pg_xrealloc(scanner->namespaces, scanner->namespaces_cap,
                                              sizeof(*scanner->namespaces));
        }
        entry = &scanner->namespaces[scanner->namespaces_len++];
        entry->name = pg_xstrndup(ref.name.ptr, ref.name.len);
        entry->errors = NULL;
    }
    /* A later Namespace object with the same name wins, as a later apply would. */
    free(entry->errors);
    pg_ns_policy_default(&defaults);
    pg_ns_policy_from_labels(&entry->policy, &entry->error_count, &errors, ref.labels, &defaults);
    entry->errors = pg_xstrndup(errors.ptr ? errors.ptr : "", errors.len);
    pg_buf_release(&errors);
}

/* Whether `needle` occurs in data (memmem is not POSIX). */
static bool contains(const char *data, size_t len, const char *needle)
{
    size_t nlen = strlen(needle);
    const char *cursor = data;
    const char *end = data + len;
    while ((size_t)(end - cursor) >= nlen) {
        const char *hit = memchr(cursor, needle[0], (size_t)(end - cursor) - nlen + 1);
        if (hit == NULL) {
            return false;
        }
        if (memcmp(hit, needle, nlen) == 0) {
            return true;
        }
        cursor = hit + 1;
    }
    return false;
}

void pg_scanner_learn_namespaces(struct pg_scanner *scanner, const char *data, size_t len)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    int rc = 0;
    if (!contains(data, len, LABEL_PREFIX)) {
        return;
    }
    if (pg_doc_reader_new(&reader, data, len, scanner->options.format, &scanner->options.limits,
                          NULL) != 0) {
        return;
    }
    while ((rc = pg_doc_reader_next(reader, &doc, NULL, NULL)) != 0) {
        if (rc < 0) {
            continue;
        }
        if (pg_object_is_list(doc->root)) {
            const struct pg_node *items = pg_node_get(doc->root, "items");
            size_t i = 0;
            for (i = 0; i < items->as.seq.len; i++) {
                learn_object(scanner, items->as.seq.items[i]);
            }
        } else if (doc->root != NULL) {
            learn_object(scanner, doc->root);
        }
        pg_doc_free(doc);
    }
    pg_doc_reader_free(reader);
}

/* Where a scan is: echoed into every result and diagnostic. */
struct position {
    const char *source;
    size_t document;
    bool in_list;
    size_t item;
    const struct pg_scan_sink *sink;
};

static void emit_diag(struct pg_scanner *scanner, const struct position *pos,
                      enum pg_diag_severity severity, const struct pg_error *err)
{
    struct pg_scan_diag diag;
    diag.severity = severity;
    diag.code = err->code;
    diag.source = pos->source;
    diag.document = pos->document;
    diag.line = err->line;
    diag.column = err->column;
    diag.path = err->path;
    diag.message = err->message;
    if (severity == PG_DIAG_ERROR) {
        scanner->stats.errors++;
    } else {
        scanner->stats.warnings++;
    }
    if (pos->sink->diag != NULL) {
        pos->sink->diag(&diag, pos->sink->ctx);
    }
}

void pg_scanner_report_error(struct pg_scanner *scanner, const char *source_name,
                             const char *message, const struct pg_scan_sink *sink)
{
    struct position pos = {source_name, 0, false, 0, sink};
    struct pg_error err;
    pg_error_set(&err, PG_EIO, "%s", message);
    scanner->stats.sources++;
    emit_diag(scanner, &pos, PG_DIAG_ERROR, &err);
}

struct applied_policy {
    enum pg_mode mode;
    struct pg_level_version lv;
};

static bool same_lv(struct pg_level_version a, struct pg_level_version b)
{
    return a.level == b.level && a.version.latest == b.version.latest &&
           (a.version.latest || a.version.minor == b.version.minor);
}

/*
 * The policies a workload is judged by: the override; else its namespace's
 * labels (enforce always, warn/audit when not privileged and not a repeat of
 * an earlier policy); else restricted:latest.
 */
static size_t policies_for(const struct pg_scanner *scanner, const struct pg_object_ref *ref,
                           struct applied_policy out[3])
{
    static const struct pg_str DEFAULT_NS = {"default", 7};
    const struct ns_entry *entry = NULL;
    size_t count = 1;
    out[0].mode = PG_MODE_ENFORCE;
    out[0].lv.level = PG_LEVEL_RESTRICTED;
    out[0].lv.version.latest = true;
    out[0].lv.version.minor = 0;
    if (scanner->options.has_level) {
        out[0].lv = scanner->options.level;
        return 1;
    }
    entry = find_namespace(scanner, ref->namespace_.len ? ref->namespace_ : DEFAULT_NS);
    if (entry == NULL) {
        return 1;
    }
    out[0].lv = entry->policy.modes[PG_MODE_ENFORCE];
    for (enum pg_mode mode = PG_MODE_WARN; mode != PG_MODE_ENFORCE;
         mode = (mode == PG_MODE_WARN) ? PG_MODE_AUDIT : PG_MODE_ENFORCE) {
        struct pg_level_version lv = entry->policy.modes[mode];
        bool repeat = false;
        for (size_t i = 0; i < count; i++) {
            repeat = repeat || same_lv(out[i].lv, lv);
        }
        if (lv.level != PG_LEVEL_PRIVILEGED && !repeat) {
            out[count].mode = mode;
            out[count].lv = lv;
            count++;
        }
    }
    return count;
}

/*
 * Whether the message of `check` names its CONTAINER_UNSET findings.
 * runAsNonRoot and seccompProfile_restricted name the explicit setters when
 * there are any, and the containers that leave the field unset only
 * otherwise (their renderers, spec §3.13 and §3.17); a location must not
 * point at a container the message does not mention.
 */
static bool unset_findings_named(const struct pg_findings *findings, enum pg_check_id check)
{
    if (check != PG_CHECK_RUN_AS_NON_ROOT && check != PG_CHECK_SECCOMP_PROFILE_RESTRICTED) {
        return true;
    }
    for (size_t i = 0; i < findings->len; i++) {
        const struct pg_finding *g = &findings->items[i];
        if (g->check == check &&
            (g->kind == PG_FIND_POD_VALUE || g->kind == PG_FIND_CONTAINER_VALUE)) {
            return false;
        }
    }
    return true;
}

/* Whether an earlier pod-level finding of the same check points at the same node. */
static bool pod_node_located_before(const struct pg_findings *findings, size_t index)
{
    const struct pg_finding *f = &findings->items[index];
    for (size_t j = 0; j < index; j++) {
        const struct pg_finding *g = &findings->items[j];
        if (g->check == f->check && g->container == PG_FINDING_POD && g->node == f->node) {
            return true;
        }
    }
    return false;
}

/*
 * The field path of a finding's node. A container's finding is looked up
 * below that container, so a node shared through a YAML alias gets the path
 * of the container the finding is about (and the search stays small).
 */
static void locate_finding(char *path, size_t size, const struct pg_scan_result *result,
                           const struct pg_finding *f)
{
    const struct pg_node *root = result->workload->ref.node;
    char container_path[PG_ERROR_PATH_MAX] = "";
    char below[PG_ERROR_PATH_MAX];
    int written = 0;
    if (f->container != PG_FINDING_POD && f->container < result->pod->containers_len) {
        (void)pg_pod_container_path(container_path, sizeof(container_path), result->pod,
                                    f->container);
        root = result->pod->containers[f->container].node;
    }
    if (!pg_locate_path(below, sizeof(below), root, f->node)) {
        path[0] = '\0';
        return;
    }
    written = snprintf(path, size, "%s%s%s", container_path,
                       container_path[0] != '\0' && below[0] != '\0' ? "." : "", below);
    if (written < 0 || (size_t)written >= size) {
        path[0] = '\0';
    }
}

/*
 * One location per container the message names (its first finding wins), one
 * per distinct pod-level node: the offending key, or the closest existing
 * parent when the fix is to add a field.
 */
static size_t collect_locations(struct pg_scanner *scanner, struct pg_scan_location *out,
                                const struct pg_scan_result *result, enum pg_check_id check)
{
    const struct pg_findings *findings = result->findings;
    bool unset_named = unset_findings_named(findings, check);
    size_t containers_len = result->pod->containers_len;
    bool *located = pg_arena_calloc(scanner->scratch, containers_len + 1, sizeof(*located));
    size_t count = 0;
    for (size_t i = 0; i < findings->len; i++) {
        const struct pg_finding *f = &findings->items[i];
        char path[PG_ERROR_PATH_MAX];
        if (f->check != check || f->node == NULL ||
            (f->kind == PG_FIND_CONTAINER_UNSET && !unset_named)) {
            continue;
        }
        if (f->container == PG_FINDING_POD
                ? pod_node_located_before(findings, i)
                : f->container < containers_len && located[f->container]) {
            continue;
        }
        if (f->container < containers_len) {
            located[f->container] = true;
        }
        out[count].line = f->node->key_line ? f->node->key_line : f->node->line;
        out[count].column = f->node->key_line ? f->node->key_column : f->node->column;
        locate_finding(path, sizeof(path), result, f);
        out[count].path = pg_arena_strndup(scanner->scratch, path, strlen(path));
        count++;
    }
    return count;
}

static void build_violations(struct pg_scanner *scanner, struct pg_scan_result *result,
                             struct pg_scan_violation *violations)
{
    size_t offsets[PG_CHECK_COUNT][4];
    size_t count = 0;
    pg_buf_clear(&scanner->texts);
    for (int check = 0; check < PG_CHECK_COUNT; check++) {
        struct pg_buf reason = PG_BUF_INIT;
        struct pg_buf detail = PG_BUF_INIT;
        struct pg_scan_violation *v = &violations[count];
        struct pg_scan_location *locations = NULL;
        if ((scanner->findings.forbidden & ((pg_check_set)1 << check)) == 0 ||
            !pg_render_check(&reason, &detail, &scanner->findings, (enum pg_check_id)check,
                             result->pod)) {
            pg_buf_release(&reason);
            pg_buf_release(&detail);
            continue;
        }
        v->check = (enum pg_check_id)check;
        offsets[count][0] = scanner->texts.len;
        offsets[count][1] = reason.len;
        pg_buf_put_str(&scanner->texts, pg_buf_str(&reason));
        offsets[count][2] = scanner->texts.len;
        offsets[count][3] = detail.len;
        pg_buf_put_str(&scanner->texts, pg_buf_str(&detail));
        pg_buf_release(&reason);
        pg_buf_release(&detail);
        locations = pg_arena_calloc(scanner->scratch, scanner->findings.len + 1,
                                    sizeof(*locations));
        v->locations = locations;
        v->locations_len = collect_locations(scanner, locations, result, v->check);
        count++;
    }
    /* Point into the text buffer only once it has stopped growing. */
    for (size_t i = 0; i < count; i++) {
        violations[i].reason.ptr = scanner->texts.ptr + offsets[i][0];
        violations[i].reason.len = offsets[i][1];
        violations[i].detail.ptr = scanner->texts.ptr + offsets[i][2];
        violations[i].detail.len = offsets[i][3];
    }
    result->violations = violations;
    result->violations_len = count;
}

static void render_message(struct pg_scanner *scanner, struct pg_scan_result *result)
{
    char lv[64];
    pg_buf_clear(&scanner->message);
    result->message.ptr = "";
    result->message.len = 0;
    if (result->allowed) {
        return;
    }
    (void)pg_level_version_format(lv, sizeof(lv), result->policy);
    pg_buf_puts(&scanner->message, result->mode == PG_MODE_ENFORCE ? "violates PodSecurity \""
                                                                   : "would violate PodSecurity \"");
    pg_buf_puts(&scanner->message, lv);
    pg_buf_puts(&scanner->message, "\": ");
    pg_render_details(&scanner->message, &scanner->findings, result->pod);
    result->message = pg_buf_str(&scanner->message);
}

static void judge_workload(struct pg_scanner *scanner, const struct position *pos,
                           const struct pg_workload *workload, const struct pg_pod *pod)
{
    struct applied_policy policies[3];
    struct pg_scan_violation violations[PG_CHECK_COUNT];
    size_t count = policies_for(scanner, &workload->ref, policies);
    bool violating = false;
    scanner->stats.workloads++;
    for (size_t i = 0; i < count; i++) {
        struct pg_scan_result result;
        memset(&result, 0, sizeof(result));
        result.source = pos->source;
        result.document = pos->document;
        result.in_list = pos->in_list;
        result.item = pos->item;
        result.line = workload->ref.node->line;
        result.workload = workload;
        result.policy = policies[i].lv;
        result.mode = policies[i].mode;
        result.pod = pod;
        result.findings = &scanner->findings;
        pg_evaluate(&scanner->findings, pod, policies[i].lv);
        result.allowed = scanner->findings.forbidden == 0;
        violating = violating || (!result.allowed && result.mode == PG_MODE_ENFORCE);
        build_violations(scanner, &result, violations);
        render_message(scanner, &result);
        if (pos->sink->result != NULL) {
            pos->sink->result(&result, pos->sink->ctx);
        }
    }
    scanner->stats.violating += violating;
}

static void report_label_errors(struct pg_scanner *scanner, const struct position *pos,
                                const struct pg_object_ref *ref)
{
    const struct ns_entry *entry = find_namespace(scanner, ref->name);
    struct pg_error err;
    if (entry == NULL || entry->error_count == 0) {
        return;
    }
    pg_error_set_at(&err, PG_ETYPE, ref->node->line, ref->node->column, "metadata.labels",
                    "namespace %s has invalid Pod Security labels: %s", entry->name,
                    entry->errors);
    emit_diag(scanner, pos, PG_DIAG_WARNING, &err);
}

static void scan_object(struct pg_scanner *scanner, const struct position *pos,
                        struct pg_arena *arena, const struct pg_node *object)
{
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_pod_options pod_options;
    struct pg_error err;
    int rc = pg_workload_identify(&workload, object, &err);
    if (rc < 0) {
        emit_diag(scanner, pos, PG_DIAG_ERROR, &err);
        return;
    }
    if (rc == 0) {
        if (is_namespace(&workload.ref)) {
            report_label_errors(scanner, pos, &workload.ref);
        }
        return;
    }
    pod_options.apply_defaults = scanner->options.apply_defaults;
    pod_options.is_pod = workload.kind == PG_KIND_POD;
    rc = pg_pod_extract(&pod, arena, workload.pod_metadata, workload.pod_spec,
                        workload.spec_path, &pod_options, &scanner->options.limits, &err);
    if (rc != 0) {
        emit_diag(scanner, pos, PG_DIAG_ERROR, &err);
        return;
    }
    pg_arena_reset(scanner->scratch);
    judge_workload(scanner, pos, &workload, &pod);
}

static void scan_document(struct pg_scanner *scanner, struct position *pos,
                          const struct pg_doc *doc)
{
    struct pg_error err;
    for (size_t i = 0; i < doc->warnings_len; i++) {
        pg_error_set_at(&err, PG_EPARSE, doc->warnings[i].line, doc->warnings[i].column, "",
                        "%.*s", (int)doc->warnings[i].message.len, doc->warnings[i].message.ptr);
        emit_diag(scanner, pos, PG_DIAG_WARNING, &err);
    }
    if (doc->root == NULL) {
        return;
    }
    if (!pg_object_is_list(doc->root)) {
        scan_object(scanner, pos, doc->arena, doc->root);
        return;
    }
    const struct pg_node *items = pg_node_get(doc->root, "items");
    pos->in_list = true;
    for (size_t i = 0; i < items->as.seq.len; i++) {
        pos->item = i;
        scan_object(scanner, pos, doc->arena, items->as.seq.items[i]);
    }
    pos->in_list = false;
}

void pg_scanner_scan(struct pg_scanner *scanner, const char *source_name, const char *data,
                     size_t len, const struct pg_scan_sink *sink)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct position pos = {source_name, 0, false, 0, sink};
    struct pg_error err;
    int rc = 0;
    scanner->stats.sources++;
    rc = pg_doc_reader_new(&reader, data, len, scanner->options.format,
                           &scanner->options.limits, &err);
    if (rc != 0) {
        emit_diag(scanner, &pos, PG_DIAG_ERROR, &err);
        return;
    }
    for (;;) {
        size_t index = 0;
        rc = pg_doc_reader_next(reader, &doc, &index, &err);
        if (rc == 0) {
            break;
        }
        pos.document = index;
        scanner->stats.documents++;
        if (rc < 0) {
            emit_diag(scanner, &pos, PG_DIAG_ERROR, &err);
            continue;
        }
        pos.document = doc->index;
        scan_document(scanner, &pos, doc);
        pg_doc_free(doc);
    }
    pg_doc_reader_free(reader);
}
