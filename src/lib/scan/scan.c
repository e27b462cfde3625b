/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scanner: documents → workloads → policies → findings → results. It
 * owns the per-workload scratch memory and the namespace label table learned
 * from the input; rendering of upstream texts is delegated to eval. A fork
 * borrows its parent's table read-only, so several threads can scan at once.
 */
#include "podgate/scan.h"

#include "scan/scanner.h"

#include "doc/reader.h"
#include "eval/findings.h"
#include "podgate/arena.h"
#include "podgate/buf.h"
#include "util/hash.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_PREFIX "pod-security.kubernetes.io/"

void pg_scan_options_default(struct pg_scan_options *out)
{
    memset(out, 0, sizeof(*out));
    out->apply_defaults = true;
    out->format = PG_FORMAT_AUTO;
    pg_limits_default(&out->limits);
}

/* A scanner with empty state; `options` must have been checked. */
static struct pg_scanner *scanner_alloc(const struct pg_scan_options *options)
{
    struct pg_scanner *scanner = pg_xcalloc(1, sizeof(*scanner));
    scanner->options = *options;
    pg_exempted_list_init(&scanner->exempted);
    pg_findings_init(&scanner->exempted_group);
    pg_buf_init(&scanner->exempted_text, 0);
    scanner->exemption_uses =
        pg_xcalloc(pg_policy_set_exemptions_total(options->policies) + 1, sizeof(size_t));
    scanner->policy_uses = pg_xcalloc(pg_policy_set_len(options->policies) + 1, sizeof(size_t));
    pg_findings_init(&scanner->findings);
    scanner->scratch = pg_arena_new();
    scanner->namespace_seed = pg_hash_seed();
    pg_buf_init(&scanner->message, 0);
    pg_buf_init(&scanner->texts, 0);
    return scanner;
}

int pg_scanner_new(struct pg_scanner **out, const struct pg_scan_options *options,
                   struct pg_error *err)
{
    if (out == NULL || options == NULL) {
        return pg_error_set(err, PG_EINVAL, "pg_scanner_new: NULL argument");
    }
    if (options->policies != NULL && !pg_date_valid(options->today)) {
        return pg_error_set(err, PG_EINVAL, "pg_scanner_new: custom policies need today's date");
    }
    *out = scanner_alloc(options);
    return 0;
}

int pg_scanner_fork(struct pg_scanner **out, const struct pg_scanner *parent, struct pg_error *err)
{
    struct pg_scanner *fork = NULL;
    if (out == NULL || parent == NULL) {
        return pg_error_set(err, PG_EINVAL, "pg_scanner_fork: NULL argument");
    }
    if (parent->parent != NULL) {
        return pg_error_set(err, PG_EINVAL, "pg_scanner_fork: cannot fork a fork");
    }
    fork = scanner_alloc(&parent->options);
    /* Learning inline writes the table every fork reads. */
    fork->options.learn_inline = false;
    fork->parent = parent;
    *out = fork;
    return 0;
}

void pg_scanner_merge(struct pg_scanner *scanner, const struct pg_scanner *fork)
{
    struct pg_scan_stats *stats = NULL;
    if (scanner == NULL || fork == NULL || fork->parent != scanner) {
        return;
    }
    stats = &scanner->stats;
    stats->sources += fork->stats.sources;
    stats->documents += fork->stats.documents;
    stats->workloads += fork->stats.workloads;
    stats->violating += fork->stats.violating;
    stats->errors += fork->stats.errors;
    stats->warnings += fork->stats.warnings;
    /* Same policy set, so the same array sizes: pg_scanner_finish then sees every use. */
    for (size_t i = 0; i < pg_policy_set_exemptions_total(scanner->options.policies); i++) {
        scanner->exemption_uses[i] += fork->exemption_uses[i];
    }
    for (size_t i = 0; i < pg_policy_set_len(scanner->options.policies); i++) {
        scanner->policy_uses[i] += fork->policy_uses[i];
    }
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
        free(scanner->namespaces[i].bind_error);
    }
    free(scanner->namespaces);
    free(scanner->namespace_slots);
    pg_findings_release(&scanner->findings);
    pg_arena_free(scanner->scratch);
    pg_buf_release(&scanner->message);
    pg_buf_release(&scanner->texts);
    pg_exempted_list_release(&scanner->exempted);
    pg_findings_release(&scanner->exempted_group);
    pg_buf_release(&scanner->exempted_text);
    free(scanner->exemption_uses);
    free(scanner->policy_uses);
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

/*
 * The slot of `name` in the namespace index: the one holding it, or the empty
 * one where it goes. Every workload looks its namespace up, so a linear search
 * made many Namespaces and workloads quadratic (30,000 of each: 6 s).
 */
static size_t namespace_slot(const struct pg_scanner *scanner, struct pg_str name)
{
    size_t mask = scanner->namespace_slots_cap - 1;
    size_t i = pg_hash_bytes(scanner->namespace_seed, name.ptr, name.len) & mask;
    while (scanner->namespace_slots[i] != 0) {
        const char *have = scanner->namespaces[scanner->namespace_slots[i] - 1].name;
        if (strlen(have) == name.len && memcmp(have, name.ptr, name.len) == 0) {
            return i;
        }
        i = (i + 1) & mask;
    }
    return i;
}

/*
 * The entry of `name` in the table a scanner judges by: its own, or its
 * parent's for a fork. Only a scanner that is not a fork learns, so a fork
 * never writes through what this returns.
 */
static struct ns_entry *find_namespace(const struct pg_scanner *scanner, struct pg_str name)
{
    size_t slot = 0;
    if (scanner->parent != NULL) {
        scanner = scanner->parent;
    }
    if (scanner->namespace_slots_cap == 0) {
        return NULL;
    }
    slot = namespace_slot(scanner, name);
    if (scanner->namespace_slots[slot] == 0) {
        return NULL;
    }
    return &scanner->namespaces[scanner->namespace_slots[slot] - 1];
}

/* Index the last entry, growing the index to keep it at most half full. */
static void index_namespace(struct pg_scanner *scanner)
{
    size_t count = scanner->namespaces_len;
    if (2 * count > scanner->namespace_slots_cap) {
        size_t cap = scanner->namespace_slots_cap != 0 ? 2 * scanner->namespace_slots_cap : 16;
        free(scanner->namespace_slots);
        scanner->namespace_slots = pg_xcalloc(cap, sizeof(*scanner->namespace_slots));
        scanner->namespace_slots_cap = cap;
        count = 0; /* re-insert every entry */
    }
    for (size_t i = count != 0 ? count - 1 : 0; i < scanner->namespaces_len; i++) {
        struct pg_str name = {scanner->namespaces[i].name, strlen(scanner->namespaces[i].name)};
        scanner->namespace_slots[namespace_slot(scanner, name)] = (uint32_t)(i + 1);
    }
}

/* Namespaces worth remembering: Pod Security labels, or a policy label when policies are given. */
static bool has_labels_of_interest(const struct pg_scanner *scanner, const struct pg_node *labels)
{
    return pg_labels_have_pod_security(labels) ||
           (scanner->options.policies != NULL && pg_node_get(labels, PG_POLICY_LABEL) != NULL);
}

/*
 * Bind a learned namespace to its custom policy. A label naming no policy
 * fails closed like an invalid enforce label (restricted:latest) and is
 * reported at the Namespace; two policies claiming it fails every workload
 * in it (reported at each).
 */
static void bind_namespace(const struct pg_scanner *scanner, struct ns_entry *entry,
                           const struct pg_object_ref *ref, const struct pg_ns_policy *defaults)
{
    struct pg_error err;
    struct pg_policy closed;
    entry->custom = NULL;
    entry->warn_custom = false;
    entry->bind_rc = 0;
    free(entry->bind_error);
    entry->bind_error = NULL;
    if (scanner->options.policies == NULL) {
        return;
    }
    entry->bind_rc = pg_policy_set_for_namespace(&entry->custom, scanner->options.policies,
                                                 ref->name, ref->labels, &err);
    if (entry->bind_rc != 0) {
        entry->bind_error = pg_xstrndup(err.message, strlen(err.message));
    }
    if (entry->custom != NULL) {
        pg_policy_bind_modes(&entry->warn_custom, &entry->policy, entry->custom, ref->labels,
                             defaults);
    } else if (entry->bind_rc != 0 && entry->bind_rc != PG_EINVAL) {
        memset(&closed, 0, sizeof(closed));
        closed.level.level = PG_LEVEL_RESTRICTED;
        closed.level.version.latest = true;
        pg_policy_bind_modes(NULL, &entry->policy, &closed, ref->labels, defaults);
    }
}

static struct ns_entry *add_namespace(struct pg_scanner *scanner, struct pg_str name)
{
    struct ns_entry *entry = NULL;
    if (scanner->namespaces_len == scanner->namespaces_cap) {
        scanner->namespaces_cap = scanner->namespaces_cap ? 2 * scanner->namespaces_cap : 8;
        scanner->namespaces =
            pg_xrealloc(scanner->namespaces, scanner->namespaces_cap, sizeof(*scanner->namespaces));
    }
    entry = &scanner->namespaces[scanner->namespaces_len++];
    memset(entry, 0, sizeof(*entry));
    entry->name = pg_xstrndup(name.ptr, name.len);
    pg_ns_policy_default(&entry->policy);
    index_namespace(scanner);
    return entry;
}

/*
 * Learn a Namespace's labels. Returns true when workloads of that namespace
 * were already judged without them (possible only when learning inline, in a
 * stream).
 */
static bool learn_object(struct pg_scanner *scanner, const struct pg_node *object,
                         const struct pg_node *list)
{
    struct pg_object_ref ref;
    struct ns_entry *entry = NULL;
    struct pg_ns_policy defaults;
    struct pg_buf errors = PG_BUF_INIT;
    bool late = false;
    if (pg_object_ref_read_item(&ref, object, list, NULL) != 0 || !is_namespace(&ref) ||
        !has_labels_of_interest(scanner, ref.labels)) {
        return false;
    }
    entry = find_namespace(scanner, ref.name);
    if (entry == NULL) {
        entry = add_namespace(scanner, ref.name);
    }
    late = !entry->labelled && entry->judged;
    entry->labelled = true;
    /* A later Namespace object with the same name wins, as a later apply would. */
    free(entry->errors);
    pg_ns_policy_default(&defaults);
    pg_ns_policy_from_labels(&entry->policy, &entry->error_count, &errors, ref.labels, &defaults);
    entry->errors = pg_xstrndup(errors.ptr ? errors.ptr : "", errors.len);
    pg_buf_release(&errors);
    bind_namespace(scanner, entry, &ref, &defaults);
    return late;
}

void pg_scanner_learn_namespaces(struct pg_scanner *scanner, const char *data, size_t len)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    int rc = 0;
    bool policies = scanner->options.policies != NULL;
    if (scanner->parent != NULL) {
        return; /* forks share their parent's table read-only */
    }
    if (!pg_bytes_contain(data, len, LABEL_PREFIX) &&
        (!policies || !pg_bytes_contain(data, len, PG_POLICY_LABEL))) {
        return;
    }
    if (pg_doc_reader_new(&reader, data, len, scanner->options.format, &scanner->options.limits,
                          NULL) != 0) {
        return;
    }
    /* Documents without the label text are skipped unparsed (one needle: none with policies). */
    if (!policies) {
        pg_doc_reader_set_filter(reader, LABEL_PREFIX);
    }
    while ((rc = pg_doc_reader_next(reader, &doc, NULL, NULL)) != 0) {
        if (rc < 0) {
            continue;
        }
        if (pg_object_is_list(doc->root)) {
            const struct pg_node *items = pg_node_get(doc->root, "items");
            size_t i = 0;
            for (i = 0; i < items->as.seq.len; i++) {
                learn_object(scanner, items->as.seq.items[i], doc->root);
            }
        } else if (doc->root != NULL) {
            learn_object(scanner, doc->root, NULL);
        }
        pg_doc_recycle(reader, doc);
    }
    pg_doc_reader_free(reader);
}

static char *dup_or_null(const char *text)
{
    return text != NULL ? pg_xstrndup(text, strlen(text)) : NULL;
}

void pg_scanner_learn_from(struct pg_scanner *scanner, const struct pg_scanner *learner)
{
    if (scanner == NULL || learner == NULL || scanner->parent != NULL ||
        learner->options.policies != scanner->options.policies) {
        return;
    }
    for (size_t i = 0; i < learner->namespaces_len; i++) {
        const struct ns_entry *from = &learner->namespaces[i];
        struct pg_str name = {from->name, strlen(from->name)};
        struct ns_entry *entry = NULL;
        if (!from->labelled) {
            continue;
        }
        entry = find_namespace(scanner, name);
        if (entry == NULL) {
            entry = add_namespace(scanner, name);
        }
        /* Everything but `judged` (inline learning) comes from the Namespace object alone. */
        entry->labelled = true;
        entry->policy = from->policy;
        entry->error_count = from->error_count;
        free(entry->errors);
        entry->errors = dup_or_null(from->errors);
        entry->custom = from->custom;
        entry->warn_custom = from->warn_custom;
        entry->bind_rc = from->bind_rc;
        free(entry->bind_error);
        entry->bind_error = dup_or_null(from->bind_error);
    }
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
    const struct pg_policy *custom; /* judged by this custom policy (with its exemptions) */
};

static bool same_lv(struct pg_level_version a, struct pg_level_version b)
{
    return a.level == b.level && a.version.latest == b.version.latest &&
           (a.version.latest || a.version.minor == b.version.minor);
}

/* What decides a namespace's policies: labels learned from the input and/or a custom policy. */
struct ns_view {
    bool known; /* `modes` apply (labels, or a binding) */
    struct pg_ns_policy modes;
    const struct pg_policy *custom;
    bool warn_custom;
};

static int namespace_view(struct ns_view *out, const struct pg_scanner *scanner, struct pg_str name,
                          struct pg_error *err)
{
    const struct ns_entry *entry = find_namespace(scanner, name);
    struct pg_ns_policy defaults;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (entry != NULL && entry->labelled) {
        if (entry->bind_rc == PG_EINVAL) {
            return pg_error_set(err, PG_EINVAL, "%s", entry->bind_error);
        }
        out->known = true;
        out->modes = entry->policy;
        out->custom = entry->custom;
        out->warn_custom = entry->warn_custom;
        return 0;
    }
    if (scanner->options.policies == NULL) {
        return 0;
    }
    /* No Namespace object in the input: only spec.namespaces can bind it. */
    rc = pg_policy_set_for_namespace(&out->custom, scanner->options.policies, name, NULL, err);
    if (rc != 0 || out->custom == NULL) {
        return rc;
    }
    pg_ns_policy_default(&defaults);
    out->modes = defaults;
    pg_policy_bind_modes(&out->warn_custom, &out->modes, out->custom, NULL, &defaults);
    out->known = true;
    return 0;
}

/* Add a policy unless the same level:version with the same custom policy is already there. */
static void add_applied(struct applied_policy out[3], size_t *count, enum pg_mode mode,
                        struct pg_level_version lv, const struct pg_policy *custom)
{
    for (size_t i = 0; i < *count; i++) {
        if (same_lv(out[i].lv, lv) && out[i].custom == custom) {
            return;
        }
    }
    out[*count].mode = mode;
    out[*count].lv = lv;
    out[*count].custom = custom;
    (*count)++;
}

/*
 * The policies a workload is judged by: a custom policy bound to its
 * namespace (alone with --level; else as its enforce mode); else the
 * override; else its namespace's labels (enforce always, warn/audit when not
 * privileged and not a repeat of an earlier policy); else restricted:latest.
 */
static int policies_for(struct pg_scanner *scanner, const struct pg_object_ref *ref,
                        struct applied_policy out[3], size_t *count_out, struct pg_error *err)
{
    static const struct pg_str DEFAULT_NS = {"default", 7};
    struct pg_level_version fallback = {PG_LEVEL_RESTRICTED, {true, 0}};
    struct pg_str name = ref->namespace_.len ? ref->namespace_ : DEFAULT_NS;
    struct ns_view ns;
    size_t count = 0;
    int rc = namespace_view(&ns, scanner, name, err);
    *count_out = 0;
    if (scanner->options.learn_inline && !ns.known) {
        /* Remembered, to warn if this namespace's labels come later in the stream. */
        struct ns_entry *entry = find_namespace(scanner, name);
        entry = entry != NULL ? entry : add_namespace(scanner, name);
        entry->judged = true;
    }
    if (rc != 0) {
        return rc;
    }
    if (scanner->options.has_level) {
        fallback = scanner->options.level;
    }
    if (!ns.known || (scanner->options.has_level && ns.custom == NULL)) {
        add_applied(out, &count, PG_MODE_ENFORCE, fallback, NULL);
    } else if (scanner->options.has_level) {
        add_applied(out, &count, PG_MODE_ENFORCE, ns.custom->level, ns.custom);
    } else {
        add_applied(out, &count, PG_MODE_ENFORCE, ns.modes.modes[PG_MODE_ENFORCE], ns.custom);
        for (enum pg_mode mode = PG_MODE_WARN; mode != PG_MODE_ENFORCE;
             mode = (mode == PG_MODE_WARN) ? PG_MODE_AUDIT : PG_MODE_ENFORCE) {
            struct pg_level_version lv = ns.modes.modes[mode];
            bool custom = mode == PG_MODE_WARN && ns.warn_custom;
            if (lv.level != PG_LEVEL_PRIVILEGED) {
                add_applied(out, &count, mode, lv, custom ? ns.custom : NULL);
            }
        }
    }
    *count_out = count;
    return 0;
}

static void evaluate(struct pg_scanner *scanner, const struct applied_policy *policy,
                     const struct pg_pod *pod)
{
    pg_exempted_list_reset(&scanner->exempted);
    /* A custom policy too at policy->lv: warn may be the policy at a warn-version label's. */
    pg_evaluate(&scanner->findings, pod, policy->lv);
    if (policy->custom == NULL) {
        return;
    }
    scanner->policy_uses[policy->custom->index]++;
    /* Fails only for an invalid date, refused by pg_scanner_new; then nothing is exempted. */
    if (pg_policy_apply(&scanner->exempted, &scanner->findings, policy->custom, pod,
                        scanner->options.today) != 0) {
        pg_exempted_list_reset(&scanner->exempted);
    }
}

static void judge_workload(struct pg_scanner *scanner, const struct position *pos,
                           const struct pg_workload *workload, const struct pg_pod *pod)
{
    struct applied_policy policies[3];
    struct pg_scan_violation violations[PG_CHECK_COUNT];
    struct pg_error err;
    size_t count = 0;
    bool violating = false;
    if (policies_for(scanner, &workload->ref, policies, &count, &err) != 0) {
        err.line = workload->ref.node->line;
        err.column = workload->ref.node->column;
        emit_diag(scanner, pos, PG_DIAG_ERROR, &err);
        return;
    }
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
        result.has_policy_set = scanner->options.policies != NULL;
        result.custom_policy = policies[i].custom;
        evaluate(scanner, &policies[i], pod);
        result.allowed = scanner->findings.forbidden == 0;
        violating = violating || (!result.allowed && result.mode == PG_MODE_ENFORCE);
        pg_scanner_build_violations(scanner, &result, violations);
        pg_scanner_build_exempted(scanner, &result, workload->ref.node);
        pg_scanner_build_exempted_violations(scanner, &result);
        pg_scanner_render_message(scanner, &result);
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
    /* Where each warning's path says it is: the labels, and the policy label's value. */
    const struct pg_node *labels = pg_node_get(pg_node_get(ref->node, "metadata"), "labels");
    const struct pg_node *at = labels != NULL ? labels : ref->node;
    const struct pg_node *policy_label = pg_node_get(labels, PG_POLICY_LABEL);
    struct pg_error err;
    if (entry == NULL) {
        return;
    }
    if (entry->error_count > 0) {
        pg_error_set_at(&err, PG_ETYPE, at->line, at->column, "metadata.labels",
                        "namespace %s has invalid Pod Security labels: %s", entry->name,
                        entry->errors);
        emit_diag(scanner, pos, PG_DIAG_WARNING, &err);
    }
    /* A policy label naming no policy: judged restricted:latest instead (fail closed). */
    if (entry->bind_rc != 0 && entry->bind_rc != PG_EINVAL) {
        at = policy_label != NULL ? policy_label : at;
        pg_error_set_at(&err, PG_ETYPE, at->line, at->column,
                        "metadata.labels[" PG_POLICY_LABEL "]",
                        "%s; enforcing restricted:latest instead", entry->bind_error);
        emit_diag(scanner, pos, PG_DIAG_WARNING, &err);
    }
}

/*
 * An object with a spec but no kind or apiVersion (a typo such as `apiversion:`) would hide a
 * workload without a word; kubectl refuses such an object. Values and other files in a walked
 * chart have no spec, so they stay silent.
 */
static void warn_if_untyped(struct pg_scanner *scanner, const struct position *pos,
                            const struct pg_object_ref *ref)
{
    const struct pg_node *spec = pg_node_get(ref->node, "spec");
    struct pg_error err;
    if ((ref->kind.len > 0 && ref->api_version.len > 0) || spec == NULL ||
        spec->kind != PG_NODE_MAP) {
        return;
    }
    pg_error_set_at(&err, PG_EINVAL, ref->node->line, ref->node->column, "",
                    "an object with a spec but %s is not judged (kubectl would refuse it)",
                    ref->kind.len == 0 && ref->api_version.len == 0 ? "neither kind nor apiVersion"
                    : ref->kind.len == 0                            ? "no kind"
                                                                    : "no apiVersion");
    emit_diag(scanner, pos, PG_DIAG_WARNING, &err);
}

/* One object, or an item of `list` (NULL when not in one). */
static void scan_object(struct pg_scanner *scanner, const struct position *pos,
                        struct pg_arena *arena, const struct pg_node *object,
                        const struct pg_node *list)
{
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_pod_options pod_options;
    struct pg_error err;
    int rc = pg_workload_identify_item(&workload, object, list, &err);
    if (rc < 0) {
        emit_diag(scanner, pos, PG_DIAG_ERROR, &err);
        return;
    }
    if (rc == 0) {
        if (is_namespace(&workload.ref)) {
            if (scanner->options.learn_inline && learn_object(scanner, object, list)) {
                pg_error_set_at(&err, PG_EINVAL, object->line, object->column, "metadata.labels",
                                "namespace %.*s: its Pod Security labels come after workloads in "
                                "it, which were judged without them (in a stream, put Namespaces "
                                "first)",
                                (int)workload.ref.name.len, workload.ref.name.ptr);
                emit_diag(scanner, pos, PG_DIAG_WARNING, &err);
            }
            report_label_errors(scanner, pos, &workload.ref);
        } else {
            warn_if_untyped(scanner, pos, &workload.ref);
        }
        return;
    }
    pod_options.apply_defaults = scanner->options.apply_defaults;
    pod_options.is_pod = workload.kind == PG_KIND_POD;
    pod_options.whole_floats_are_integers = true;
    rc = pg_pod_extract(&pod, arena, workload.pod_metadata, workload.pod_spec, workload.spec_path,
                        &pod_options, &scanner->options.limits, &err);
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
        pg_error_set_at(&err, PG_EPARSE, doc->warnings[i].line, doc->warnings[i].column, "", "%.*s",
                        (int)doc->warnings[i].message.len, doc->warnings[i].message.ptr);
        emit_diag(scanner, pos, PG_DIAG_WARNING, &err);
    }
    if (doc->root == NULL) {
        return;
    }
    if (!pg_object_is_list(doc->root)) {
        scan_object(scanner, pos, doc->arena, doc->root, NULL);
        return;
    }
    const struct pg_node *items = pg_node_get(doc->root, "items");
    pos->in_list = true;
    for (size_t i = 0; i < items->as.seq.len; i++) {
        pos->item = i;
        scan_object(scanner, pos, doc->arena, items->as.seq.items[i], doc->root);
    }
    pos->in_list = false;
}

size_t pg_scanner_scan_part(struct pg_scanner *scanner, const char *source_name, const char *data,
                            size_t len, uint32_t first_line, size_t first_index,
                            const struct pg_scan_sink *sink)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct position pos = {source_name, first_index, false, 0, sink};
    struct pg_error err;
    size_t next_index = first_index;
    int rc = pg_doc_reader_new(&reader, data, len, scanner->options.format,
                               &scanner->options.limits, &err);
    if (rc != 0) {
        emit_diag(scanner, &pos, PG_DIAG_ERROR, &err);
        return first_index;
    }
    pg_doc_reader_set_origin(reader, first_line, first_index);
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
        scanner->doc = doc;
        scan_document(scanner, &pos, doc);
        scanner->doc = NULL;
        pg_doc_recycle(reader, doc);
    }
    next_index = pg_doc_reader_next_index(reader);
    pg_doc_reader_free(reader);
    return next_index;
}

void pg_scanner_set_learn_inline(struct pg_scanner *scanner, bool learn_inline)
{
    scanner->options.learn_inline = learn_inline && scanner->parent == NULL;
}

void pg_scanner_count_source(struct pg_scanner *scanner)
{
    scanner->stats.sources++;
}

void pg_scanner_scan(struct pg_scanner *scanner, const char *source_name, const char *data,
                     size_t len, const struct pg_scan_sink *sink)
{
    pg_scanner_count_source(scanner);
    (void)pg_scanner_scan_part(scanner, source_name, data, len, 1, 0, sink);
}

void pg_scanner_report_error_at(struct pg_scanner *scanner, const char *source_name,
                                size_t document, uint32_t line, const char *message,
                                const struct pg_scan_sink *sink)
{
    struct position pos = {source_name, document, false, 0, sink};
    struct pg_error err;
    pg_error_set_at(&err, PG_ELIMIT, line, 1, NULL, "%s", message);
    emit_diag(scanner, &pos, PG_DIAG_ERROR, &err);
}

static void report_exemption(struct pg_scanner *scanner, const struct pg_scan_sink *sink,
                             const struct pg_policy *policy,
                             const struct pg_policy_exemption *exemption)
{
    struct position pos = {policy->source, policy->document, false, 0, sink};
    struct pg_error err;
    char path[64];
    char date[16];
    if (snprintf(path, sizeof(path), "spec.exemptions[%zu]", exemption->index) < 0) {
        path[0] = '\0';
    }
    if (pg_policy_exemption_expired(exemption, scanner->options.today)) {
        (void)pg_date_format(date, sizeof(date), exemption->expires);
        pg_error_set_at(&err, PG_ETYPE, exemption->line, exemption->column, path,
                        "exemption %s/%zu expired on %s and no longer applies (reason: %s)",
                        policy->name.ptr, exemption->index, date, exemption->reason.ptr);
    } else if (scanner->exemption_uses[exemption->set_index] == 0) {
        pg_error_set_at(
            &err, PG_ETYPE, exemption->line, exemption->column, path,
            "exemption %s/%zu is unused: it removed no finding in this scan%s "
            "(reason: %s)",
            policy->name.ptr, exemption->index,
            scanner->policy_uses[policy->index] == 0 ? ", and the policy judged no workload" : "",
            exemption->reason.ptr);
    } else {
        return;
    }
    emit_diag(scanner, &pos, PG_DIAG_WARNING, &err);
}

size_t pg_scanner_finish(struct pg_scanner *scanner, const struct pg_scan_sink *sink)
{
    const struct pg_policy_set *set = NULL;
    size_t before = 0;
    if (scanner == NULL || sink == NULL || scanner->options.policies == NULL) {
        return 0;
    }
    set = scanner->options.policies;
    before = scanner->stats.warnings;
    for (size_t p = 0; p < pg_policy_set_len(set); p++) {
        const struct pg_policy *policy = pg_policy_set_get(set, p);
        for (size_t e = 0; e < policy->exemptions_len; e++) {
            report_exemption(scanner, sink, policy, &policy->exemptions[e]);
        }
    }
    return scanner->stats.warnings - before;
}
