/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit object: options, the namespace table, and the dispatch of each incoming object to
 * the part that cares (workloads and pods to judge.c, Namespaces to their labels, PSPs to
 * psp.c, RBAC to rbac.c). Objects are borrowed for one call; everything kept is copied.
 */
#include "audit/internal.h"

#include "audit/psp.h"
#include "podgate/workload.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_PREFIX "pod-security.kubernetes.io/"
#define MAX_LABEL_VALUE 256
#define MAX_PSPS 10000
#define MAX_RBAC_ENTRIES 100000

static const char *const LABEL_NAMES[PG_AUDIT_LABELS] = {
    "enforce", "enforce-version", "audit", "audit-version", "warn", "warn-version",
};

const char *pg_audit_label_name(size_t index)
{
    return index < PG_AUDIT_LABELS ? LABEL_NAMES[index] : NULL;
}

void pg_audit_options_default(struct pg_audit_options *out)
{
    memset(out, 0, sizeof(*out));
    pg_limits_default(&out->limits);
    out->apply_defaults = false;
    out->max_groups = 200;
    out->max_namespaces = 20000;
    out->max_diags = 100;
}

bool pg_audit_str_eq(struct pg_str text, const char *literal)
{
    size_t len = strlen(literal);
    return text.len == len && (len == 0 || memcmp(text.ptr, literal, len) == 0);
}

static uint64_t hash_name(struct pg_str name)
{
    uint64_t hash = 0xcbf29ce484222325u;
    for (size_t i = 0; i < name.len; i++) {
        hash ^= (unsigned char)name.ptr[i];
        hash *= 0x100000001b3u;
    }
    return hash;
}

static void init_what_if(struct pg_audit *audit, const struct pg_audit_options *options)
{
    audit->what_if_len = options->what_if_len;
    audit->what_if = pg_xcalloc(options->what_if_len + 1, sizeof(*audit->what_if));
    for (size_t i = 0; i < options->what_if_len; i++) {
        struct pg_audit_what_if_state *state = &audit->what_if[i];
        state->namespace_ =
            pg_xstrndup(options->what_if[i].namespace_, strlen(options->what_if[i].namespace_));
        state->namespace_len = strlen(state->namespace_);
        state->pub.namespace_ = state->namespace_;
        state->pub.enforce = options->what_if[i].enforce;
        pg_group_table_init(&state->groups[PG_SUBJECT_POD], audit->options.max_groups);
        pg_group_table_init(&state->groups[PG_SUBJECT_WORKLOAD], audit->options.max_groups);
    }
}

int pg_audit_new(struct pg_audit **out, const struct pg_audit_options *options,
                 struct pg_error *err)
{
    struct pg_audit *audit = NULL;
    if (out == NULL || options == NULL || (options->what_if_len > 0 && options->what_if == NULL)) {
        return pg_error_set(err, PG_EINVAL, "pg_audit_new: invalid argument");
    }
    for (size_t i = 0; i < options->what_if_len; i++) {
        if (options->what_if[i].namespace_ == NULL || options->what_if[i].namespace_[0] == '\0') {
            return pg_error_set(err, PG_EINVAL, "what-if %zu has no namespace", i + 1);
        }
    }
    audit = pg_xcalloc(1, sizeof(*audit));
    audit->options = *options;
    audit->options.what_if = NULL;
    if (audit->options.max_groups == 0) {
        audit->options.max_groups = 200;
    }
    pg_verdict_table_init(&audit->table);
    init_what_if(audit, options);
    audit->options.what_if_len = 0;
    pg_rbac_init(&audit->rbac, MAX_RBAC_ENTRIES);
    audit->results = pg_arena_new();
    audit->scratch = pg_arena_new();
    pg_findings_init(&audit->findings);
    pg_buf_init(&audit->text, 0);
    audit->diags = pg_xcalloc(audit->options.max_diags + 1, sizeof(*audit->diags));
    *out = audit;
    return 0;
}

static void free_ns(struct pg_audit_ns *ns)
{
    free(ns->name);
    free(ns->label_errors);
    for (size_t i = 0; i < PG_AUDIT_LABELS; i++) {
        free(ns->labels[i]);
    }
    for (size_t s = 0; s < PG_SUBJECTS; s++) {
        for (size_t l = 0; l < 3; l++) {
            pg_group_table_release(&ns->drift[s][l]);
        }
    }
    free(ns);
}

void pg_audit_free(struct pg_audit *audit)
{
    if (audit == NULL) {
        return;
    }
    for (size_t i = 0; i < audit->namespaces_len; i++) {
        free_ns(audit->namespaces[i]);
    }
    free(audit->namespaces);
    free(audit->ns_index);
    for (size_t i = 0; i < audit->what_if_len; i++) {
        free(audit->what_if[i].namespace_);
        pg_group_table_release(&audit->what_if[i].groups[PG_SUBJECT_POD]);
        pg_group_table_release(&audit->what_if[i].groups[PG_SUBJECT_WORKLOAD]);
    }
    free(audit->what_if);
    free(audit->psps);
    free(audit->diags);
    free(audit->sorted);
    pg_rbac_release(&audit->rbac);
    pg_findings_release(&audit->findings);
    pg_buf_release(&audit->text);
    pg_arena_free(audit->results);
    pg_arena_free(audit->scratch);
    free(audit);
}

/* Grow the open-addressing index to twice the namespaces, rehashing every entry. */
static void grow_index(struct pg_audit *audit)
{
    size_t cap = audit->ns_index_cap ? 2 * audit->ns_index_cap : 64;
    free(audit->ns_index);
    audit->ns_index = pg_xcalloc(cap, sizeof(*audit->ns_index));
    audit->ns_index_cap = cap;
    for (size_t i = 0; i < audit->namespaces_len; i++) {
        size_t slot = (size_t)audit->namespaces[i]->hash & (cap - 1);
        while (audit->ns_index[slot] != 0) {
            slot = (slot + 1) & (cap - 1);
        }
        audit->ns_index[slot] = (uint32_t)(i + 1);
    }
}

static struct pg_audit_ns *new_ns(struct pg_audit *audit, struct pg_str name, uint64_t hash)
{
    struct pg_audit_ns *ns = pg_xcalloc(1, sizeof(*ns));
    ns->name = pg_xstrndup(name.ptr != NULL ? name.ptr : "", name.len);
    ns->name_len = name.len;
    ns->hash = hash;
    pg_ns_policy_default(&ns->policy);
    for (size_t s = 0; s < PG_SUBJECTS; s++) {
        for (size_t l = 0; l < 3; l++) {
            pg_group_table_init(&ns->drift[s][l], audit->options.max_groups);
        }
    }
    if (audit->namespaces_len == audit->namespaces_cap) {
        audit->namespaces_cap = audit->namespaces_cap ? 2 * audit->namespaces_cap : 16;
        audit->namespaces =
            pg_xrealloc(audit->namespaces, audit->namespaces_cap, sizeof(struct pg_audit_ns *));
    }
    audit->namespaces[audit->namespaces_len++] = ns;
    if (2 * audit->namespaces_len > audit->ns_index_cap) {
        grow_index(audit);
    } else {
        size_t slot = (size_t)hash & (audit->ns_index_cap - 1);
        while (audit->ns_index[slot] != 0) {
            slot = (slot + 1) & (audit->ns_index_cap - 1);
        }
        audit->ns_index[slot] = (uint32_t)audit->namespaces_len;
    }
    return ns;
}

struct pg_audit_ns *pg_audit_ns_get(struct pg_audit *audit, struct pg_str name)
{
    uint64_t hash = hash_name(name);
    if (audit->ns_index_cap > 0) {
        size_t slot = (size_t)hash & (audit->ns_index_cap - 1);
        while (audit->ns_index[slot] != 0) {
            struct pg_audit_ns *ns = audit->namespaces[audit->ns_index[slot] - 1];
            if (ns->hash == hash && ns->name_len == name.len &&
                memcmp(ns->name, name.ptr, name.len) == 0) {
                return ns;
            }
            slot = (slot + 1) & (audit->ns_index_cap - 1);
        }
    }
    if (audit->namespaces_len >= audit->options.max_namespaces) {
        return NULL;
    }
    return new_ns(audit, name, hash);
}

void pg_audit_add_error(struct pg_audit *audit, const char *source, uint32_t line,
                        const char *message)
{
    struct pg_audit_diag *diag = NULL;
    audit->stats.errors++;
    if (audit->diags_len == audit->options.max_diags) {
        return;
    }
    diag = &audit->diags[audit->diags_len++];
    diag->source = pg_arena_strndup(audit->results, source, strlen(source));
    diag->line = line;
    diag->message = pg_arena_strndup(audit->results, message, strlen(message));
}

/* An error whose line is relative to the object's text, which starts at line `base`. */
static void add_error_at(struct pg_audit *audit, const char *source, uint32_t base,
                         const struct pg_error *err)
{
    /* The message already names the field path where there is one. */
    pg_audit_add_error(audit, source, err->line > 0 ? base + err->line - 1 : base, err->message);
}

/* Keep the six pod-security labels as written (shortened) and the policy they give. */
static void read_namespace(struct pg_audit *audit, const struct pg_object_ref *ref)
{
    struct pg_audit_ns *ns = pg_audit_ns_get(audit, ref->name);
    struct pg_ns_policy defaults;
    struct pg_buf errors = PG_BUF_INIT;
    size_t error_count = 0;
    char key[64];
    if (ns == NULL) {
        return;
    }
    ns->in_input = true;
    for (size_t i = 0; i < PG_AUDIT_LABELS; i++) {
        const struct pg_node *value = NULL;
        (void)snprintf(key, sizeof(key), LABEL_PREFIX "%s", LABEL_NAMES[i]);
        value = pg_node_get(ref->labels, key);
        free(ns->labels[i]);
        ns->labels[i] = NULL;
        if (value != NULL && value->kind != PG_NODE_NULL) {
            struct pg_str text = value->kind == PG_NODE_STR ? value->as.str : value->text;
            ns->labels[i] = pg_xstrndup(text.ptr != NULL ? text.ptr : "",
                                        text.len < MAX_LABEL_VALUE ? text.len : MAX_LABEL_VALUE);
        }
    }
    /* A later Namespace object with the same name wins, as a later write would. */
    pg_ns_policy_default(&defaults);
    pg_ns_policy_from_labels(&ns->policy, &error_count, &errors, ref->labels, &defaults);
    free(ns->label_errors);
    ns->label_errors = error_count > 0 ? pg_xstrndup(errors.ptr, errors.len) : NULL;
    pg_buf_release(&errors);
}

static void read_psp(struct pg_audit *audit, const struct pg_object_ref *ref)
{
    audit->stats.psps++;
    if (audit->psps_len == MAX_PSPS) {
        return;
    }
    if (audit->psps_len == audit->psps_cap) {
        audit->psps_cap = audit->psps_cap ? 2 * audit->psps_cap : 8;
        audit->psps = pg_xrealloc(audit->psps, audit->psps_cap, sizeof(*audit->psps));
    }
    pg_psp_analyze(&audit->psps[audit->psps_len++], audit->results, ref);
}

static void read_workload(struct pg_audit *audit, const struct pg_workload *workload,
                          const char *source, uint32_t base)
{
    static const struct pg_str DEFAULT_NS = {"default", 7};
    struct pg_audit_ns *ns = pg_audit_ns_get(
        audit, workload->ref.namespace_.len > 0 ? workload->ref.namespace_ : DEFAULT_NS);
    /* Whole floats: a file to audit may be a manifest kubectl would send (the API's own
       JSON never holds them). */
    struct pg_pod_options pod_options = {audit->options.apply_defaults,
                                         workload->kind == PG_KIND_POD, true};
    struct pg_pod pod;
    struct pg_error err;
    if (ns == NULL) {
        pg_error_set_at(&err, PG_ELIMIT, workload->ref.node->line, workload->ref.node->column, NULL,
                        "more than %zu namespaces (max_namespaces): not counted",
                        audit->options.max_namespaces);
        add_error_at(audit, source, base, &err);
        return;
    }
    if (!workload->has_template) {
        return; /* a ReplicationController without a template makes no pods */
    }
    pg_arena_reset(audit->scratch);
    if (pg_pod_extract(&pod, audit->scratch, workload->pod_metadata, workload->pod_spec,
                       workload->spec_path, &pod_options, &audit->options.limits, &err) != 0) {
        add_error_at(audit, source, base, &err);
        return;
    }
    pg_audit_judge(audit, ns, workload, &pod);
}

/* `base` is the line where the text the object was read from starts. */
static void add_one(struct pg_audit *audit, const struct pg_node *object, const char *source,
                    uint32_t base)
{
    struct pg_workload workload;
    struct pg_error err;
    int rc = 0;
    audit->stats.objects++;
    rc = pg_workload_identify(&workload, object, &err);
    if (rc < 0) {
        add_error_at(audit, source, base, &err);
        return;
    }
    if (rc == 1) {
        read_workload(audit, &workload, source, base);
    } else if (pg_audit_str_eq(workload.ref.kind, "Namespace") &&
               pg_audit_str_eq(workload.ref.api_version, "v1")) {
        read_namespace(audit, &workload.ref);
    } else if (pg_psp_is(&workload.ref)) {
        read_psp(audit, &workload.ref);
    } else {
        (void)pg_rbac_add(&audit->rbac, &workload.ref);
    }
}

static struct pg_node string_node(struct pg_str text, const struct pg_node *at)
{
    struct pg_node node;
    memset(&node, 0, sizeof(node));
    node.kind = PG_NODE_STR;
    node.line = at->line;
    node.column = at->column;
    node.as.str = text;
    node.text = text;
    return node;
}

/*
 * The API server sends a List's items without kind or apiVersion (kubectl adds them when it
 * prints): only the List says what they are. Such an item is judged as a shallow copy of
 * itself with the two fields added; the item itself is borrowed and stays as it is.
 */
static void add_typed(struct pg_audit *audit, const struct pg_node *object,
                      const struct pg_audit_item_type *type, const char *source, uint32_t base)
{
    struct pg_map_entry *entries = NULL;
    struct pg_node typed;
    struct pg_node api_version;
    struct pg_node kind;
    size_t len = 0;
    if (type == NULL || type->kind.len == 0 || object->kind != PG_NODE_MAP ||
        pg_node_get(object, "kind") != NULL || pg_node_get(object, "apiVersion") != NULL) {
        add_one(audit, object, source, base);
        return;
    }
    len = object->as.map.len;
    api_version = string_node(type->api_version, object);
    kind = string_node(type->kind, object);
    entries = pg_xcalloc(len + 2, sizeof(*entries));
    entries[0].key = PG_STR_LIT("apiVersion");
    entries[0].value = &api_version;
    entries[1].key = PG_STR_LIT("kind");
    entries[1].value = &kind;
    if (len > 0) {
        memcpy(entries + 2, object->as.map.entries, len * sizeof(*entries));
    }
    typed = *object;
    typed.as.map.entries = entries;
    typed.as.map.len = len + 2;
    add_one(audit, &typed, source, base);
    free(entries);
}

void pg_audit_item_type_of_list(struct pg_audit_item_type *out, const struct pg_node *list)
{
    struct pg_str kind;
    struct pg_str api_version;
    memset(out, 0, sizeof(*out));
    /* Typed only with both: the audit types an item as a whole (add_typed). */
    if (pg_list_item_type(&kind, &api_version, list) && api_version.ptr != NULL) {
        out->kind = kind;
        out->api_version = api_version;
    }
}

bool pg_audit_names_list(const struct pg_node *object)
{
    const struct pg_node *kind = pg_node_get(object, "kind");
    return kind != NULL && kind->kind == PG_NODE_STR && kind->as.str.len >= 4 &&
           memcmp(kind->as.str.ptr + kind->as.str.len - 4, "List", 4) == 0;
}

/* One object, or each item of a List (typed by that List, not by `type`). */
static void add_any(struct pg_audit *audit, const struct pg_node *object,
                    const struct pg_audit_item_type *type, const char *source, uint32_t base)
{
    const struct pg_node *items = NULL;
    struct pg_audit_item_type item_type;
    struct pg_error err;
    if (!pg_object_is_list(object)) {
        items = pg_node_get(object, "items");
        /* Items that are neither a list nor null (Go's empty slice) hide whatever they hold:
         * judging the List as an object would count it and read nothing. */
        if (!pg_node_unset(items) && pg_audit_names_list(object)) {
            pg_error_set_at(&err, PG_ETYPE, items->line, items->column, "items",
                            "items: expected list, got %s", pg_node_kind_name(items->kind));
            add_error_at(audit, source, base, &err);
            return;
        }
        add_typed(audit, object, type, source, base);
        return;
    }
    items = pg_node_get(object, "items");
    pg_audit_item_type_of_list(&item_type, object);
    for (size_t i = 0; i < items->as.seq.len; i++) {
        add_typed(audit, items->as.seq.items[i], &item_type, source, base);
    }
}

void pg_audit_add_item(struct pg_audit *audit, const struct pg_node *object,
                       const struct pg_audit_item_type *type, const char *source, uint32_t base)
{
    if (audit == NULL || object == NULL || audit->finished) {
        return;
    }
    add_any(audit, object, type, source != NULL ? source : "", base);
}

void pg_audit_add_object(struct pg_audit *audit, const struct pg_node *object, const char *source,
                         uint32_t base)
{
    pg_audit_add_item(audit, object, NULL, source, base);
}

const struct pg_audit_stats *pg_audit_stats(const struct pg_audit *audit)
{
    return &audit->stats;
}

size_t pg_audit_namespace_count(const struct pg_audit *audit)
{
    return audit->finished ? audit->namespaces_len : 0;
}

const struct pg_audit_namespace *pg_audit_namespace_at(const struct pg_audit *audit, size_t index)
{
    if (!audit->finished || index >= audit->namespaces_len) {
        return NULL;
    }
    return audit->sorted[index];
}

size_t pg_audit_what_if_count(const struct pg_audit *audit)
{
    return audit->finished ? audit->what_if_len : 0;
}

const struct pg_audit_what_if_result *pg_audit_what_if_at(const struct pg_audit *audit,
                                                          size_t index)
{
    if (!audit->finished || index >= audit->what_if_len) {
        return NULL;
    }
    return &audit->what_if[index].pub;
}

size_t pg_audit_psp_count(const struct pg_audit *audit)
{
    return audit->finished ? audit->psps_len : 0;
}

const struct pg_audit_psp *pg_audit_psp_at(const struct pg_audit *audit, size_t index)
{
    if (!audit->finished || index >= audit->psps_len) {
        return NULL;
    }
    return &audit->psps[index];
}

size_t pg_audit_diag_count(const struct pg_audit *audit)
{
    return audit->diags_len;
}

const struct pg_audit_diag *pg_audit_diag_at(const struct pg_audit *audit, size_t index)
{
    return index < audit->diags_len ? &audit->diags[index] : NULL;
}
