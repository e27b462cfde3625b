/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Recognises the nine workload kinds by kind and API group and finds their
 * pod template (spec §6.3). Other kinds, and these kind names in other API
 * groups (an OpenKruise DaemonSet, say), are not workloads.
 */
#include "podgate/workload.h"

#include <string.h>

struct kind_info {
    const char *kind;
    enum pg_workload_kind workload;
    const char *groups; /* space-separated API groups; "" is core */
    const char *spec_path;
};

static const struct kind_info KINDS[] = {
    {"Pod", PG_KIND_POD, "", "spec"},
    {"PodTemplate", PG_KIND_POD_TEMPLATE, "", "template.spec"},
    {"ReplicationController", PG_KIND_REPLICATION_CONTROLLER, "", "spec.template.spec"},
    {"ReplicaSet", PG_KIND_REPLICA_SET, "apps extensions", "spec.template.spec"},
    {"Deployment", PG_KIND_DEPLOYMENT, "apps extensions", "spec.template.spec"},
    {"StatefulSet", PG_KIND_STATEFUL_SET, "apps", "spec.template.spec"},
    {"DaemonSet", PG_KIND_DAEMON_SET, "apps extensions", "spec.template.spec"},
    {"Job", PG_KIND_JOB, "batch", "spec.template.spec"},
    {"CronJob", PG_KIND_CRON_JOB, "batch", "spec.jobTemplate.spec.template.spec"},
};

const char *pg_workload_kind_name(enum pg_workload_kind kind)
{
    switch (kind) {
    case PG_KIND_POD:
    case PG_KIND_POD_TEMPLATE:
    case PG_KIND_REPLICATION_CONTROLLER:
    case PG_KIND_REPLICA_SET:
    case PG_KIND_DEPLOYMENT:
    case PG_KIND_STATEFUL_SET:
    case PG_KIND_DAEMON_SET:
    case PG_KIND_JOB:
    case PG_KIND_CRON_JOB:
        return KINDS[kind].kind;
    }
    return "Unknown";
}

static bool str_eq(struct pg_str s, const char *text)
{
    size_t len = strlen(text);
    return s.len == len && memcmp(s.ptr, text, len) == 0;
}

static int type_error(struct pg_error *err, const struct pg_node *node, const char *path,
                      const char *want)
{
    return pg_error_set_at(err, PG_ETYPE, node->line, node->column, path, "%s: expected %s, got %s",
                           path, want, pg_node_kind_name(node->kind));
}

/* A string field: absent/null gives "", any other non-string is a type error. */
static int read_string(struct pg_str *out, const struct pg_node *map, const char *key,
                       const char *path, struct pg_error *err)
{
    const struct pg_node *node = pg_node_get(map, key);
    out->ptr = "";
    out->len = 0;
    if (pg_node_unset(node)) {
        return 0;
    }
    if (node->kind != PG_NODE_STR) {
        return type_error(err, node, path, "string");
    }
    /* A NUL would cut the name short wherever it becomes a C string (namespace lookups). */
    if (memchr(node->as.str.ptr, '\0', node->as.str.len) != NULL) {
        return pg_error_set_at(err, PG_ETYPE, node->line, node->column, path,
                               "%s: a string must not contain a NUL character", path);
    }
    *out = node->as.str;
    return 0;
}

static int read_metadata(struct pg_object_ref *out, const struct pg_node *object,
                         struct pg_error *err)
{
    const struct pg_node *metadata = pg_node_get(object, "metadata");
    int rc = 0;
    if (pg_node_unset(metadata)) {
        return 0;
    }
    if (metadata->kind != PG_NODE_MAP) {
        return type_error(err, metadata, "metadata", "object");
    }
    rc = read_string(&out->name, metadata, "name", "metadata.name", err);
    if (rc == 0) {
        rc = read_string(&out->namespace_, metadata, "namespace", "metadata.namespace", err);
    }
    if (rc == 0) {
        const struct pg_node *labels = pg_node_get(metadata, "labels");
        if (!pg_node_unset(labels) && labels->kind != PG_NODE_MAP) {
            return type_error(err, labels, "metadata.labels", "object");
        }
        out->labels = pg_node_unset(labels) ? NULL : labels;
    }
    return rc;
}

int pg_object_ref_read(struct pg_object_ref *out, const struct pg_node *object,
                       struct pg_error *err)
{
    int rc = 0;
    memset(out, 0, sizeof(*out));
    out->api_version.ptr = "";
    out->kind.ptr = "";
    out->name.ptr = "";
    out->namespace_.ptr = "";
    out->node = object;
    if (object == NULL || object->kind != PG_NODE_MAP) {
        if (object == NULL) {
            return pg_error_set(err, PG_ETYPE, "document is empty");
        }
        return pg_error_set_at(err, PG_ETYPE, object->line, object->column, "",
                               "expected a Kubernetes object (a mapping), got %s",
                               pg_node_kind_name(object->kind));
    }
    rc = read_string(&out->api_version, object, "apiVersion", "apiVersion", err);
    if (rc == 0) {
        rc = read_string(&out->kind, object, "kind", "kind", err);
    }
    if (rc == 0) {
        rc = read_metadata(out, object, err);
    }
    return rc;
}

bool pg_list_item_type(struct pg_str *kind_out, struct pg_str *api_version_out,
                       const struct pg_node *list)
{
    const struct pg_node *kind = pg_node_get(list, "kind");
    const struct pg_node *api_version = pg_node_get(list, "apiVersion");
    if (kind == NULL || kind->kind != PG_NODE_STR || kind->as.str.len <= 4 ||
        memcmp(kind->as.str.ptr + kind->as.str.len - 4, "List", 4) != 0) {
        return false;
    }
    kind_out->ptr = kind->as.str.ptr;
    kind_out->len = kind->as.str.len - 4;
    api_version_out->ptr = NULL;
    api_version_out->len = 0;
    if (api_version != NULL && api_version->kind == PG_NODE_STR) {
        *api_version_out = api_version->as.str;
    }
    return true;
}

int pg_object_ref_read_item(struct pg_object_ref *out, const struct pg_node *item,
                            const struct pg_node *list, struct pg_error *err)
{
    struct pg_str kind;
    struct pg_str api_version;
    int rc = pg_object_ref_read(out, item, err);
    if (rc != 0 || list == NULL || !pg_list_item_type(&kind, &api_version, list)) {
        return rc;
    }
    if (out->kind.len == 0) {
        out->kind = kind;
    }
    if (out->api_version.len == 0 && api_version.ptr != NULL) {
        out->api_version = api_version;
    }
    return 0;
}

/* The group of an apiVersion: "apps/v1" → "apps", "v1" → "". */
static struct pg_str api_group(struct pg_str api_version)
{
    const char *slash = memchr(api_version.ptr, '/', api_version.len);
    struct pg_str group = {api_version.ptr, 0};
    if (slash != NULL) {
        group.len = (size_t)(slash - api_version.ptr);
    }
    return group;
}

static bool group_listed(struct pg_str group, const char *groups)
{
    const char *cursor = groups;
    if (group.len == 0) {
        return groups[0] == '\0';
    }
    while (*cursor != '\0') {
        size_t len = strcspn(cursor, " ");
        if (len == group.len && memcmp(cursor, group.ptr, len) == 0) {
            return true;
        }
        cursor += len;
        cursor += (*cursor == ' ');
    }
    return false;
}

static const struct kind_info *find_kind(const struct pg_object_ref *ref)
{
    size_t i = 0;
    struct pg_str group = api_group(ref->api_version);
    if (ref->api_version.len == 0) {
        return NULL;
    }
    for (i = 0; i < sizeof(KINDS) / sizeof(KINDS[0]); i++) {
        if (str_eq(ref->kind, KINDS[i].kind) && group_listed(group, KINDS[i].groups)) {
            return &KINDS[i];
        }
    }
    return NULL;
}

/* Walk `path` ("spec.template") through maps; absent gives NULL, a non-map is an error. */
static int walk_maps(const struct pg_node **out, const struct pg_node *object, const char *path,
                     struct pg_error *err)
{
    const struct pg_node *node = object;
    const char *cursor = path;
    char key[32];
    while (*cursor != '\0') {
        size_t len = strcspn(cursor, ".");
        if (len >= sizeof(key)) {
            return pg_error_set(err, PG_EINVAL, "internal: path segment too long");
        }
        memcpy(key, cursor, len);
        key[len] = '\0';
        node = pg_node_get(node, key);
        if (pg_node_unset(node)) {
            *out = NULL;
            return 0;
        }
        if (node->kind != PG_NODE_MAP) {
            char prefix[128];
            size_t plen = (size_t)(cursor - path) + len;
            memcpy(prefix, path, plen < sizeof(prefix) ? plen : sizeof(prefix) - 1);
            prefix[plen < sizeof(prefix) ? plen : sizeof(prefix) - 1] = '\0';
            return type_error(err, node, prefix, "object");
        }
        cursor += len;
        cursor += (*cursor == '.');
    }
    *out = node;
    return 0;
}

static int find_template(struct pg_workload *out, const struct pg_node *object,
                         struct pg_error *err)
{
    char path[64];
    size_t len = strlen(out->spec_path);
    const struct pg_node *template_node = NULL;
    int rc = 0;
    if (out->kind == PG_KIND_POD) {
        out->has_template = true;
        out->pod_metadata = pg_node_get(object, "metadata");
        return walk_maps(&out->pod_spec, object, "spec", err);
    }
    /* The template is the spec path without its final ".spec". Every step is walked from the
       object, so that an error names the whole path (spec.template.spec). */
    memcpy(path, out->spec_path, len - 5);
    path[len - 5] = '\0';
    rc = walk_maps(&template_node, object, path, err);
    if (rc != 0) {
        return rc;
    }
    out->has_template = template_node != NULL;
    if (template_node == NULL) {
        return 0;
    }
    memcpy(path + len - 5, ".metadata", sizeof(".metadata"));
    rc = walk_maps(&out->pod_metadata, object, path, err);
    if (rc == 0) {
        rc = walk_maps(&out->pod_spec, object, out->spec_path, err);
    }
    return rc;
}

int pg_workload_identify(struct pg_workload *out, const struct pg_node *object,
                         struct pg_error *err)
{
    return pg_workload_identify_item(out, object, NULL, err);
}

int pg_workload_identify_item(struct pg_workload *out, const struct pg_node *object,
                              const struct pg_node *list, struct pg_error *err)
{
    const struct kind_info *info = NULL;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    rc = pg_object_ref_read_item(&out->ref, object, list, err);
    if (rc != 0) {
        return rc;
    }
    info = find_kind(&out->ref);
    if (info == NULL) {
        return 0;
    }
    out->kind = info->workload;
    out->spec_path = info->spec_path;
    rc = find_template(out, object, err);
    if (rc == 0 && out->pod_metadata != NULL && out->pod_metadata->kind != PG_NODE_MAP) {
        out->pod_metadata = NULL;
    }
    return rc != 0 ? rc : 1;
}

bool pg_object_is_list(const struct pg_node *object)
{
    const struct pg_node *kind = pg_node_get(object, "kind");
    const struct pg_node *items = pg_node_get(object, "items");
    if (kind == NULL || kind->kind != PG_NODE_STR || items == NULL || items->kind != PG_NODE_SEQ) {
        return false;
    }
    return kind->as.str.len >= 4 && memcmp(kind->as.str.ptr + kind->as.str.len - 4, "List", 4) == 0;
}
