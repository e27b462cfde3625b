/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Builds the pod model from a pod spec and metadata: containers in visiting
 * order, volumes with their sources, the security fields every check reads.
 * With apply_defaults it also applies the API-server defaulting that changes
 * verdicts (spec §9), so a scan predicts what admission will see.
 */
#include "podgate/pod.h"
#include "podgate/arena.h"
#include "podgate/buf.h"
#include "workload/extract.h"

#include <string.h>

#define INT32_FIELD_MIN ((int64_t)INT32_MIN)
#define INT32_FIELD_MAX ((int64_t)INT32_MAX)

/* A key with its length, for keys chosen at run time (from a table, or passed down). */
struct field_key {
    const char *key;
    size_t len;
};

#define FIELD_KEY(key)                                                                             \
    {                                                                                              \
        (key), sizeof(key) - 1                                                                     \
    }

static const struct field_key VOLUME_SOURCE_KEYS[PG_VOL_SOURCE_COUNT] = {
    FIELD_KEY("configMap"),
    FIELD_KEY("csi"),
    FIELD_KEY("downwardAPI"),
    FIELD_KEY("emptyDir"),
    FIELD_KEY("ephemeral"),
    FIELD_KEY("image"),
    FIELD_KEY("persistentVolumeClaim"),
    FIELD_KEY("projected"),
    FIELD_KEY("secret"),
    FIELD_KEY("hostPath"),
    FIELD_KEY("gcePersistentDisk"),
    FIELD_KEY("awsElasticBlockStore"),
    FIELD_KEY("gitRepo"),
    FIELD_KEY("nfs"),
    FIELD_KEY("iscsi"),
    FIELD_KEY("glusterfs"),
    FIELD_KEY("rbd"),
    FIELD_KEY("flexVolume"),
    FIELD_KEY("cinder"),
    FIELD_KEY("cephfs"),
    FIELD_KEY("flocker"),
    FIELD_KEY("fc"),
    FIELD_KEY("azureFile"),
    FIELD_KEY("vsphereVolume"),
    FIELD_KEY("quobyte"),
    FIELD_KEY("azureDisk"),
    FIELD_KEY("photonPersistentDisk"),
    FIELD_KEY("portworxVolume"),
    FIELD_KEY("scaleIO"),
    FIELD_KEY("storageos"),
};

const char *pg_volume_source_name(enum pg_volume_source source)
{
    if ((int)source < 0 || source >= PG_VOL_SOURCE_COUNT) {
        return "unknown";
    }
    return VOLUME_SOURCE_KEYS[source].key;
}

static const struct field_key SECCOMP_PROFILE = FIELD_KEY("seccompProfile");
static const struct field_key APP_ARMOR_PROFILE = FIELD_KEY("appArmorProfile");

static int read_profile(struct pg_extract *ctx, struct pg_profile_field *out,
                        const struct pg_node *sc, const struct field_key *key)
{
    size_t saved = 0;
    int rc = pg_extract_map_n(ctx, &out->node, sc, key->key, key->len);
    if (rc != 0 || out->node == NULL) {
        return rc;
    }
    saved = pg_extract_push(ctx, key->key);
    rc = pg_extract_str(ctx, &out->type, out->node, "type");
    pg_extract_pop(ctx, saved);
    return rc;
}

static int read_selinux(struct pg_extract *ctx, struct pg_selinux_field *out,
                        const struct pg_node *sc)
{
    size_t saved = 0;
    int rc = pg_extract_map(ctx, &out->node, sc, "seLinuxOptions");
    if (rc != 0 || out->node == NULL) {
        return rc;
    }
    saved = pg_extract_push(ctx, "seLinuxOptions");
    rc = pg_extract_str(ctx, &out->type, out->node, "type");
    if (rc == 0) {
        rc = pg_extract_str(ctx, &out->user, out->node, "user");
    }
    if (rc == 0) {
        rc = pg_extract_str(ctx, &out->role, out->node, "role");
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

static int read_windows_options(struct pg_extract *ctx, struct pg_bool_field *host_process,
                                const struct pg_node *sc)
{
    const struct pg_node *windows = NULL;
    size_t saved = 0;
    int rc = pg_extract_map(ctx, &windows, sc, "windowsOptions");
    if (rc != 0 || windows == NULL) {
        return rc;
    }
    saved = pg_extract_push(ctx, "windowsOptions");
    rc = pg_extract_bool(ctx, host_process, windows, "hostProcess");
    pg_extract_pop(ctx, saved);
    return rc;
}

/* Fields shared by pod and container security contexts; `sc` is the context (may be NULL). */
static int read_security_common(struct pg_extract *ctx, struct pg_security_common *out,
                                const struct pg_node *sc)
{
    int rc = 0;
    if (sc == NULL) {
        return 0;
    }
    rc = pg_extract_bool(ctx, &out->run_as_non_root, sc, "runAsNonRoot");
    if (rc == 0) {
        rc = pg_extract_int(ctx, &out->run_as_user, sc, "runAsUser", INT64_MIN, INT64_MAX);
    }
    if (rc == 0) {
        rc = read_selinux(ctx, &out->se_linux_options, sc);
    }
    if (rc == 0) {
        rc = read_profile(ctx, &out->seccomp_profile, sc, &SECCOMP_PROFILE);
    }
    if (rc == 0) {
        rc = read_profile(ctx, &out->app_armor_profile, sc, &APP_ARMOR_PROFILE);
    }
    if (rc == 0) {
        rc = read_windows_options(ctx, &out->host_process, sc);
    }
    return rc;
}

static int read_capabilities(struct pg_extract *ctx, struct pg_container *out)
{
    size_t saved = 0;
    int rc = pg_extract_map(ctx, &out->capabilities, out->security_context, "capabilities");
    if (rc != 0 || out->capabilities == NULL) {
        return rc;
    }
    saved = pg_extract_push(ctx, "capabilities");
    rc = pg_extract_str_list(ctx, &out->caps_add, &out->caps_add_len, out->capabilities, "add");
    if (rc == 0) {
        rc = pg_extract_str_list(ctx, &out->caps_drop, &out->caps_drop_len, out->capabilities,
                                 "drop");
    }
    if (rc == 0 && out->caps_drop != NULL) {
        /* Where "drop ALL" is added when the list lacks it. */
        out->caps_drop_list = pg_node_get(out->capabilities, "drop");
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

static int read_container_security(struct pg_extract *ctx, struct pg_container *out)
{
    size_t saved = 0;
    int rc = pg_extract_map(ctx, &out->security_context, out->node, "securityContext");
    if (rc != 0 || out->security_context == NULL) {
        return rc;
    }
    saved = pg_extract_push(ctx, "securityContext");
    rc = read_security_common(ctx, &out->sc, out->security_context);
    if (rc == 0) {
        rc = pg_extract_bool(ctx, &out->privileged, out->security_context, "privileged");
    }
    if (rc == 0) {
        rc = pg_extract_bool(ctx, &out->allow_privilege_escalation, out->security_context,
                             "allowPrivilegeEscalation");
    }
    if (rc == 0) {
        rc = read_capabilities(ctx, out);
    }
    if (rc == 0) {
        rc = pg_extract_str(ctx, &out->proc_mount, out->security_context, "procMount");
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

/* httpGet.host and tcpSocket.host of one handler (probe or lifecycle hook). */
static int read_handler_hosts(struct pg_extract *ctx, struct pg_probe_host hosts[2],
                              const struct pg_node *parent, const struct field_key *key)
{
    static const struct field_key ACTIONS[2] = {FIELD_KEY("httpGet"), FIELD_KEY("tcpSocket")};
    const struct pg_node *handler = NULL;
    size_t saved = 0;
    size_t i = 0;
    int rc = pg_extract_map_n(ctx, &handler, parent, key->key, key->len);
    if (rc != 0 || handler == NULL) {
        return rc;
    }
    saved = pg_extract_push(ctx, key->key);
    for (i = 0; i < 2 && rc == 0; i++) {
        const struct pg_node *action = NULL;
        rc = pg_extract_map_n(ctx, &action, handler, ACTIONS[i].key, ACTIONS[i].len);
        if (rc == 0 && action != NULL) {
            size_t inner = pg_extract_push(ctx, ACTIONS[i].key);
            rc = pg_extract_str(ctx, &hosts[i].host, action, "host");
            pg_extract_pop(ctx, inner);
        }
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

static int read_probes(struct pg_extract *ctx, struct pg_container *out)
{
    static const struct field_key PROBES[3] = {
        FIELD_KEY("livenessProbe"), FIELD_KEY("readinessProbe"), FIELD_KEY("startupProbe")};
    static const struct field_key HOOKS[2] = {FIELD_KEY("postStart"), FIELD_KEY("preStop")};
    const struct pg_node *lifecycle = NULL;
    size_t saved = 0;
    size_t i = 0;
    int rc = 0;
    for (i = 0; i < 3 && rc == 0; i++) {
        rc = read_handler_hosts(ctx, &out->probe_hosts[2 * i], out->node, &PROBES[i]);
    }
    if (rc == 0) {
        rc = pg_extract_map(ctx, &lifecycle, out->node, "lifecycle");
    }
    if (rc != 0 || lifecycle == NULL) {
        return rc;
    }
    saved = pg_extract_push(ctx, "lifecycle");
    for (i = 0; i < 2 && rc == 0; i++) {
        rc = read_handler_hosts(ctx, &out->probe_hosts[6 + 2 * i], lifecycle, &HOOKS[i]);
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

static int read_ports(struct pg_extract *ctx, struct pg_container *out, bool default_host_ports)
{
    const struct pg_node *seq = NULL;
    size_t saved = 0;
    size_t i = 0;
    int rc = pg_extract_seq(ctx, &seq, out->node, "ports");
    if (rc != 0 || seq == NULL) {
        return rc;
    }
    out->ports = pg_arena_calloc(ctx->arena, seq->as.seq.len, sizeof(*out->ports));
    out->ports_len = seq->as.seq.len;
    saved = pg_extract_push(ctx, "ports");
    for (i = 0; i < seq->as.seq.len && rc == 0; i++) {
        struct pg_port *port = &out->ports[i];
        size_t inner = pg_extract_push_index(ctx, i);
        port->node = seq->as.seq.items[i];
        if (port->node->kind != PG_NODE_MAP) {
            rc = pg_extract_type_error(ctx, port->node, "object");
        }
        if (rc == 0) {
            rc = pg_extract_int(ctx, &port->host_port, port->node, "hostPort", INT32_FIELD_MIN,
                                INT32_FIELD_MAX);
        }
        /* containerPort only matters when it becomes the hostPort: the API server sets
           hostPort = containerPort for host-network pods (hostPort 0 too). Fields that cannot
           change a verdict are not validated. */
        if (rc == 0 && default_host_ports && port->host_port.value == 0) {
            rc = pg_extract_int(ctx, &port->container_port, port->node, "containerPort",
                                INT32_FIELD_MIN, INT32_FIELD_MAX);
        }
        if (rc == 0 && default_host_ports && port->host_port.value == 0 &&
            port->container_port.node != NULL) {
            port->host_port = port->container_port;
            port->host_port_defaulted = true;
        }
        pg_extract_pop(ctx, inner);
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

static int read_container(struct pg_extract *ctx, struct pg_container *out, bool default_host_ports)
{
    struct pg_str_field name = {0};
    struct pg_str_field image = {0};
    int rc = 0;
    if (out->node->kind != PG_NODE_MAP) {
        return pg_extract_type_error(ctx, out->node, "object");
    }
    rc = pg_extract_str(ctx, &name, out->node, "name");
    if (rc == 0) {
        rc = pg_extract_str(ctx, &image, out->node, "image");
    }
    out->name = name.value;
    out->image = image.value;
    if (rc == 0) {
        rc = read_container_security(ctx, out);
    }
    if (rc == 0) {
        rc = read_ports(ctx, out, default_host_ports && out->list != PG_CONTAINERS_EPHEMERAL);
    }
    if (rc == 0) {
        rc = read_probes(ctx, out);
    }
    return rc;
}

static const char *const CONTAINER_LIST_KEYS[3] = {"initContainers", "containers",
                                                   "ephemeralContainers"};

static int read_containers(struct pg_extract *ctx, struct pg_pod *pod, bool default_host_ports)
{
    const struct pg_node *lists[3] = {NULL, NULL, NULL};
    size_t total = 0;
    size_t list = 0;
    int rc = 0;
    for (list = 0; list < 3 && rc == 0; list++) {
        rc = pg_extract_seq(ctx, &lists[list], pod->spec, CONTAINER_LIST_KEYS[list]);
        total += lists[list] ? lists[list]->as.seq.len : 0;
    }
    if (rc != 0 || total == 0) {
        return rc;
    }
    pod->containers = pg_arena_calloc(ctx->arena, total, sizeof(*pod->containers));
    for (list = 0; list < 3 && rc == 0; list++) {
        size_t i = 0;
        for (i = 0; lists[list] != NULL && i < lists[list]->as.seq.len && rc == 0; i++) {
            struct pg_container *container = &pod->containers[pod->containers_len++];
            size_t saved = pg_extract_push(ctx, CONTAINER_LIST_KEYS[list]);
            pg_extract_push_index(ctx, i);
            container->node = lists[list]->as.seq.items[i];
            container->list = (enum pg_container_list)list;
            container->list_index = i;
            rc = read_container(ctx, container, default_host_ports);
            pg_extract_pop(ctx, saved);
        }
    }
    return rc;
}

/* The index of the volume source `key` names, or PG_VOL_SOURCE_COUNT. */
static size_t source_of_key(struct pg_str key)
{
    size_t source = 0;
    for (source = 0; source < PG_VOL_SOURCE_COUNT; source++) {
        const struct field_key *known = &VOLUME_SOURCE_KEYS[source];
        if (key.len == known->len && key.ptr[0] == known->key[0] &&
            memcmp(key.ptr, known->key, key.len) == 0) {
            return source;
        }
    }
    return PG_VOL_SOURCE_COUNT;
}

/* The sources among a volume's keys. Reading only those (a volume has two or three keys)
   instead of looking up all thirty keys made extraction of volume-heavy pods far cheaper. */
static uint64_t named_sources(const struct pg_node *volume)
{
    uint64_t named = 0;
    size_t i = 0;
    for (i = 0; i < volume->as.map.len; i++) {
        size_t source = source_of_key(volume->as.map.entries[i].key);
        if (source < PG_VOL_SOURCE_COUNT) {
            named |= (uint64_t)1 << source;
        }
    }
    return named;
}

static int read_volume(struct pg_extract *ctx, struct pg_volume *out, bool apply_defaults)
{
    struct pg_str_field name = {0};
    size_t source = 0;
    uint64_t named = 0;
    int rc = 0;
    if (out->node->kind != PG_NODE_MAP) {
        return pg_extract_type_error(ctx, out->node, "object");
    }
    rc = pg_extract_str(ctx, &name, out->node, "name");
    out->name = name.value;
    named = named_sources(out->node);
    /* In table order, so the first wrong type reported is the one it always was. */
    for (source = 0; source < PG_VOL_SOURCE_COUNT && rc == 0; source++) {
        const struct pg_node *node = NULL;
        if ((named & ((uint64_t)1 << source)) == 0) {
            continue;
        }
        rc = pg_extract_map_n(ctx, &node, out->node, VOLUME_SOURCE_KEYS[source].key,
                              VOLUME_SOURCE_KEYS[source].len);
        if (node != NULL) {
            out->sources |= (uint64_t)1 << source;
        }
        if (node != NULL && source == PG_VOL_HOST_PATH) {
            out->host_path = node;
        }
    }
    /* The API server defaults a volume with no source to emptyDir (spec §9); the table
       holds every v1 source, and unknown keys are dropped when the server decodes. */
    if (rc == 0 && apply_defaults && out->sources == 0) {
        out->sources = (uint64_t)1 << PG_VOL_EMPTY_DIR;
        out->defaulted_empty_dir = true;
    }
    return rc;
}

static int read_volumes(struct pg_extract *ctx, struct pg_pod *pod, bool apply_defaults)
{
    const struct pg_node *seq = NULL;
    size_t saved = 0;
    size_t i = 0;
    int rc = pg_extract_seq(ctx, &seq, pod->spec, "volumes");
    if (rc != 0 || seq == NULL) {
        return rc;
    }
    pod->volumes = pg_arena_calloc(ctx->arena, seq->as.seq.len, sizeof(*pod->volumes));
    pod->volumes_len = seq->as.seq.len;
    saved = pg_extract_push(ctx, "volumes");
    for (i = 0; i < seq->as.seq.len && rc == 0; i++) {
        size_t inner = pg_extract_push_index(ctx, i);
        pod->volumes[i].node = seq->as.seq.items[i];
        rc = read_volume(ctx, &pod->volumes[i], apply_defaults);
        pg_extract_pop(ctx, inner);
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

static int read_sysctls(struct pg_extract *ctx, struct pg_pod *pod)
{
    const struct pg_node *seq = NULL;
    size_t saved = 0;
    size_t i = 0;
    int rc = pg_extract_seq(ctx, &seq, pod->security_context, "sysctls");
    if (rc != 0 || seq == NULL) {
        return rc;
    }
    pod->sysctls = pg_arena_calloc(ctx->arena, seq->as.seq.len, sizeof(*pod->sysctls));
    pod->sysctls_len = seq->as.seq.len;
    saved = pg_extract_push(ctx, "sysctls");
    for (i = 0; i < seq->as.seq.len && rc == 0; i++) {
        struct pg_str_field name = {0};
        size_t inner = pg_extract_push_index(ctx, i);
        pod->sysctls[i].node = seq->as.seq.items[i];
        if (pod->sysctls[i].node->kind != PG_NODE_MAP) {
            rc = pg_extract_type_error(ctx, pod->sysctls[i].node, "object");
        } else {
            rc = pg_extract_str(ctx, &name, pod->sysctls[i].node, "name");
        }
        pod->sysctls[i].name = name.value;
        pg_extract_pop(ctx, inner);
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

/* An annotation that is not a string; the key is quoted, being any text. */
static int annotation_error(struct pg_extract *ctx, const struct pg_map_entry *entry)
{
    struct pg_buf key = PG_BUF_INIT;
    const char *path = NULL;
    int rc = 0;
    pg_extract_push(ctx, "annotations");
    path = pg_extract_path(ctx);
    pg_buf_put_go_quoted(&key, entry->key);
    rc = pg_error_set_at(ctx->err, PG_ETYPE, entry->value->line, entry->value->column, path,
                         "%s[%.*s]: expected string, got %s", path,
                         pg_buf_failed(&key) ? 0 : (int)key.len, pg_buf_str(&key).ptr,
                         pg_node_kind_name(entry->value->kind));
    pg_buf_release(&key);
    return rc;
}

static int read_annotations(struct pg_extract *ctx, struct pg_pod *pod)
{
    const struct pg_node *map = NULL;
    size_t i = 0;
    int rc = 0;
    if (pod->metadata == NULL) {
        return 0;
    }
    ctx->depth = 0;
    pg_extract_push(ctx, "metadata");
    rc = pg_extract_map(ctx, &map, pod->metadata, "annotations");
    if (rc != 0 || map == NULL) {
        return rc;
    }
    pod->annotations = pg_arena_calloc(ctx->arena, map->as.map.len, sizeof(*pod->annotations));
    pod->annotations_len = map->as.map.len;
    for (i = 0; i < map->as.map.len; i++) {
        const struct pg_map_entry *entry = &map->as.map.entries[i];
        pod->annotations[i].key = entry->key;
        pod->annotations[i].node = entry->value;
        if (pg_node_unset(entry->value)) {
            pod->annotations[i].value.ptr = "";
            continue;
        }
        if (entry->value->kind != PG_NODE_STR) {
            return annotation_error(ctx, entry);
        }
        pod->annotations[i].value = entry->value->as.str;
    }
    return 0;
}

static int read_pod_security(struct pg_extract *ctx, struct pg_pod *pod)
{
    size_t saved = 0;
    int rc = pg_extract_map(ctx, &pod->security_context, pod->spec, "securityContext");
    if (rc != 0 || pod->security_context == NULL) {
        return rc;
    }
    saved = pg_extract_push(ctx, "securityContext");
    rc = read_security_common(ctx, &pod->sc, pod->security_context);
    if (rc == 0) {
        rc = read_sysctls(ctx, pod);
    }
    pg_extract_pop(ctx, saved);
    return rc;
}

static int read_pod_flags(struct pg_extract *ctx, struct pg_pod *pod)
{
    const struct pg_node *os = NULL;
    int rc = pg_extract_bool(ctx, &pod->host_network, pod->spec, "hostNetwork");
    if (rc == 0) {
        rc = pg_extract_bool(ctx, &pod->host_pid, pod->spec, "hostPID");
    }
    if (rc == 0) {
        rc = pg_extract_bool(ctx, &pod->host_ipc, pod->spec, "hostIPC");
    }
    if (rc == 0) {
        rc = pg_extract_bool(ctx, &pod->host_users, pod->spec, "hostUsers");
    }
    if (rc == 0) {
        rc = pg_extract_str(ctx, &pod->runtime_class_name, pod->spec, "runtimeClassName");
    }
    if (rc == 0) {
        rc = pg_extract_map(ctx, &os, pod->spec, "os");
    }
    if (rc == 0 && os != NULL) {
        size_t saved = pg_extract_push(ctx, "os");
        rc = pg_extract_str(ctx, &pod->os_name, os, "name");
        pg_extract_pop(ctx, saved);
    }
    return rc;
}

static int read_spec(struct pg_extract *ctx, struct pg_pod *pod,
                     const struct pg_pod_options *options)
{
    bool default_host_ports = false;
    int rc = read_pod_flags(ctx, pod);
    if (rc == 0) {
        rc = read_pod_security(ctx, pod);
    }
    default_host_ports = options->apply_defaults && options->is_pod && pod->host_network.value;
    if (rc == 0) {
        rc = read_containers(ctx, pod, default_host_ports);
    }
    if (rc == 0) {
        rc = read_volumes(ctx, pod, options->apply_defaults);
    }
    return rc;
}

static int check_object(struct pg_extract *ctx, const struct pg_node *node, const char *path)
{
    int rc = 0;
    if (pg_node_unset(node) || node->kind == PG_NODE_MAP) {
        return 0;
    }
    ctx->depth = 0;
    pg_extract_push(ctx, path);
    rc = pg_extract_type_error(ctx, node, "object");
    ctx->depth = 0;
    return rc;
}

int pg_pod_extract(struct pg_pod *out, struct pg_arena *arena, const struct pg_node *metadata,
                   const struct pg_node *spec, const char *spec_path,
                   const struct pg_pod_options *options, const struct pg_limits *limits,
                   struct pg_error *err)
{
    static const struct pg_pod_options NO_OPTIONS = {false, false, false};
    struct pg_limits default_limits;
    struct pg_extract ctx;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (limits == NULL) {
        pg_limits_default(&default_limits);
        limits = &default_limits;
    }
    ctx.arena = arena;
    ctx.limits = limits;
    ctx.err = err;
    ctx.whole_floats = options != NULL && options->whole_floats_are_integers;
    ctx.depth = 0;
    out->spec_path.ptr = spec_path != NULL ? spec_path : "spec";
    out->spec_path.len = strlen(out->spec_path.ptr);
    /* Absent and null are unset; anything else that is not an object cannot be judged (the
       callers check this already, but ignoring it here would judge an empty pod). */
    rc = check_object(&ctx, metadata, "metadata");
    if (rc == 0) {
        rc = check_object(&ctx, spec, out->spec_path.ptr);
    }
    if (rc != 0) {
        return rc;
    }
    out->metadata = pg_node_unset(metadata) ? NULL : metadata;
    out->spec = pg_node_unset(spec) ? NULL : spec;
    rc = read_annotations(&ctx, out);
    if (rc == 0 && out->spec != NULL) {
        ctx.depth = 0;
        pg_extract_push(&ctx, out->spec_path.ptr);
        rc = read_spec(&ctx, out, options != NULL ? options : &NO_OPTIONS);
    }
    return rc;
}

/* Append `len` bytes at *at as far as they fit (a NUL-terminated prefix, like snprintf); *at
   counts them all. */
static void put_bounded(char *buf, size_t size, size_t *at, const char *text, size_t len)
{
    size_t room = *at < size ? size - 1 - *at : 0;
    size_t copy = len < room ? len : room;
    if (copy > 0) {
        memcpy(buf + *at, text, copy);
        buf[*at + copy] = '\0';
    }
    *at += len;
}

size_t pg_pod_container_path(char *buf, size_t size, const struct pg_pod *pod,
                             size_t container_index)
{
    /* By hand, not snprintf: every location of a container finding starts with this. */
    const struct pg_container *container = NULL;
    const char *list = NULL;
    char digits[24];
    char *index = digits + sizeof(digits);
    size_t at = 0;
    size_t number = 0;
    if (size > 0) {
        buf[0] = '\0';
    }
    put_bounded(buf, size, &at, pod->spec_path.ptr, pod->spec_path.len);
    if (container_index >= pod->containers_len) {
        return at;
    }
    container = &pod->containers[container_index];
    list = CONTAINER_LIST_KEYS[container->list];
    number = container->list_index;
    do {
        index--;
        *index = (char)('0' + (int)(number % 10));
        number /= 10;
    } while (number != 0);
    put_bounded(buf, size, &at, ".", 1);
    put_bounded(buf, size, &at, list, strlen(list));
    put_bounded(buf, size, &at, "[", 1);
    put_bounded(buf, size, &at, index, (size_t)(digits + sizeof(digits) - index));
    put_bounded(buf, size, &at, "]", 1);
    return at;
}
