/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: build pod models directly as C structs, with dummy nodes to
 * mark fields as set, and judge one check at a minor, comparing the rendered
 * reason and detail with upstream's strings. Everything lives in one
 * caller-owned `struct pb` (on the stack); nothing is allocated.
 */
#ifndef PG_TEST_POD_BUILDER_H
#define PG_TEST_POD_BUILDER_H

#include "podgate/buf.h"
#include "podgate/eval.h"
#include "podgate/pod.h"
#include "podgate/policy.h"

#include <stdio.h>
#include <string.h>

#define PB_MAX_CONTAINERS 32
#define PB_MAX_PER_CONTAINER 8
#define PB_MAX_LIST 40
#define PB_MAX_NODES 1024

/* Slots of pg_container.probe_hosts (liveness, readiness, startup, postStart, preStop). */
enum pb_probe_slot {
    PB_LIVENESS_HTTP,
    PB_LIVENESS_TCP,
    PB_READINESS_HTTP,
    PB_READINESS_TCP,
    PB_STARTUP_HTTP,
    PB_STARTUP_TCP,
    PB_POST_START_HTTP,
    PB_POST_START_TCP,
    PB_PRE_STOP_HTTP,
    PB_PRE_STOP_TCP,
};

struct pb {
    struct pg_pod pod;
    struct pg_container containers[PB_MAX_CONTAINERS];
    struct pg_str_field caps_add[PB_MAX_CONTAINERS][PB_MAX_PER_CONTAINER];
    struct pg_str_field caps_drop[PB_MAX_CONTAINERS][PB_MAX_PER_CONTAINER];
    struct pg_port ports[PB_MAX_CONTAINERS][PB_MAX_PER_CONTAINER];
    struct pg_volume volumes[PB_MAX_LIST];
    struct pg_annotation annotations[PB_MAX_LIST];
    struct pg_sysctl sysctls[PB_MAX_LIST];
    struct pg_node nodes[PB_MAX_NODES];
    size_t nodes_len;
};

static inline struct pg_str pb_str(const char *text)
{
    struct pg_str s = {text, strlen(text)};
    return s;
}

/* A fresh dummy node; its `line` is its creation number, so tests can tell nodes apart. */
static inline const struct pg_node *pb_node(struct pb *b)
{
    struct pg_node *node = &b->nodes[b->nodes_len];
    b->nodes_len++;
    node->kind = PG_NODE_MAP;
    node->line = (uint32_t)b->nodes_len;
    return node;
}

static inline void pb_init(struct pb *b)
{
    memset(b, 0, sizeof(*b));
    b->pod.metadata = pb_node(b);
    b->pod.spec = pb_node(b);
    b->pod.containers = b->containers;
    b->pod.volumes = b->volumes;
    b->pod.annotations = b->annotations;
    b->pod.sysctls = b->sysctls;
    b->pod.spec_path = pb_str("spec");
}

/* Append a container (add them in visiting order: init, regular, ephemeral). */
static inline struct pg_container *pb_container_in(struct pb *b, enum pg_container_list list,
                                                   const char *name)
{
    size_t index = b->pod.containers_len;
    struct pg_container *c = &b->containers[index];
    c->node = pb_node(b);
    c->list = list;
    c->name = pb_str(name);
    c->image = pb_str("image");
    c->caps_add = b->caps_add[index];
    c->caps_drop = b->caps_drop[index];
    c->ports = b->ports[index];
    b->pod.containers_len++;
    return c;
}

static inline struct pg_container *pb_container(struct pb *b, const char *name)
{
    return pb_container_in(b, PG_CONTAINERS_REGULAR, name);
}

/* Give the container a securityContext ({} until fields are set). */
static inline const struct pg_node *pb_sc(struct pb *b, struct pg_container *c)
{
    if (c->security_context == NULL) {
        c->security_context = pb_node(b);
    }
    return c->security_context;
}

static inline const struct pg_node *pb_pod_sc(struct pb *b)
{
    if (b->pod.security_context == NULL) {
        b->pod.security_context = pb_node(b);
    }
    return b->pod.security_context;
}

static inline const struct pg_node *pb_set_bool(struct pb *b, struct pg_bool_field *f, bool value)
{
    f->node = pb_node(b);
    f->value = value;
    return f->node;
}

static inline const struct pg_node *pb_set_int(struct pb *b, struct pg_int_field *f, int64_t value)
{
    f->node = pb_node(b);
    f->value = value;
    return f->node;
}

static inline const struct pg_node *pb_set_str(struct pb *b, struct pg_str_field *f,
                                               const char *value)
{
    f->node = pb_node(b);
    f->value = pb_str(value);
    return f->node;
}

/* The container, after giving it a securityContext. */
static inline struct pg_container *pb_with_sc(struct pb *b, struct pg_container *c)
{
    pb_sc(b, c);
    return c;
}

/* The pod, after giving it a securityContext. */
static inline struct pg_pod *pb_pod_with_sc(struct pb *b)
{
    pb_pod_sc(b);
    return &b->pod;
}

/* Container securityContext fields, `c` evaluated once: PB_C_BOOL(&b, c, privileged, true). */
#define PB_C_BOOL(b, c, field, value) pb_set_bool((b), &pb_with_sc((b), (c))->field, (value))
#define PB_C_INT(b, c, field, value) pb_set_int((b), &pb_with_sc((b), (c))->field, (value))
#define PB_C_STR(b, c, field, value) pb_set_str((b), &pb_with_sc((b), (c))->field, (value))
/* Pod securityContext fields: PB_POD_BOOL(&b, sc.run_as_non_root, false). */
#define PB_POD_BOOL(b, field, value) pb_set_bool((b), &pb_pod_with_sc(b)->field, (value))
#define PB_POD_INT(b, field, value) pb_set_int((b), &pb_pod_with_sc(b)->field, (value))

/* A seccompProfile/appArmorProfile object; type NULL leaves `type` unset. */
static inline const struct pg_node *pb_profile(struct pb *b, struct pg_profile_field *profile,
                                               const char *type)
{
    profile->node = pb_node(b);
    if (type != NULL) {
        pb_set_str(b, &profile->type, type);
    }
    return profile->node;
}

static inline void pb_c_profile(struct pb *b, struct pg_container *c,
                                struct pg_profile_field *profile, const char *type)
{
    pb_sc(b, c);
    pb_profile(b, profile, type);
}

/* seLinuxOptions with any of type/user/role (NULL = unset). */
static inline void pb_selinux(struct pb *b, struct pg_selinux_field *options, const char *type,
                              const char *user, const char *role)
{
    options->node = pb_node(b);
    if (type != NULL) {
        pb_set_str(b, &options->type, type);
    }
    if (user != NULL) {
        pb_set_str(b, &options->user, user);
    }
    if (role != NULL) {
        pb_set_str(b, &options->role, role);
    }
}

static inline void pb_capabilities(struct pb *b, struct pg_container *c)
{
    pb_sc(b, c);
    if (c->capabilities == NULL) {
        c->capabilities = pb_node(b);
    }
}

static inline void pb_cap_add(struct pb *b, struct pg_container *c, const char *capability)
{
    pb_capabilities(b, c);
    pb_set_str(b, &c->caps_add[c->caps_add_len], capability);
    c->caps_add_len++;
}

static inline void pb_cap_drop(struct pb *b, struct pg_container *c, const char *capability)
{
    pb_capabilities(b, c);
    pb_set_str(b, &c->caps_drop[c->caps_drop_len], capability);
    c->caps_drop_len++;
}

/* A port entry with an explicit hostPort (0 included). */
static inline const struct pg_node *pb_host_port(struct pb *b, struct pg_container *c,
                                                 int64_t host_port)
{
    struct pg_port *port = &c->ports[c->ports_len];
    c->ports_len++;
    port->node = pb_node(b);
    pb_set_int(b, &port->container_port, 80);
    return pb_set_int(b, &port->host_port, host_port);
}

static inline const struct pg_node *pb_probe_host(struct pb *b, struct pg_container *c,
                                                  enum pb_probe_slot slot, const char *host)
{
    return pb_set_str(b, &c->probe_hosts[slot].host, host);
}

/* A volume with one source; PG_VOL_SOURCE_COUNT means no source at all. */
static inline struct pg_volume *pb_volume(struct pb *b, const char *name,
                                          enum pg_volume_source source)
{
    struct pg_volume *volume = &b->volumes[b->pod.volumes_len];
    b->pod.volumes_len++;
    volume->node = pb_node(b);
    volume->name = pb_str(name);
    if (source != PG_VOL_SOURCE_COUNT) {
        volume->sources |= (uint64_t)1 << source;
    }
    if (source == PG_VOL_HOST_PATH) {
        volume->host_path = pb_node(b);
    }
    return volume;
}

static inline const struct pg_node *pb_annotation(struct pb *b, const char *key, const char *value)
{
    struct pg_annotation *annotation = &b->annotations[b->pod.annotations_len];
    b->pod.annotations_len++;
    annotation->key = pb_str(key);
    annotation->value = pb_str(value);
    annotation->node = pb_node(b);
    return annotation->node;
}

static inline const struct pg_node *pb_sysctl(struct pb *b, const char *name)
{
    struct pg_sysctl *sysctl = &b->sysctls[b->pod.sysctls_len];
    b->pod.sysctls_len++;
    sysctl->node = pb_node(b);
    sysctl->name = pb_str(name);
    return sysctl->node;
}

static inline void pb_os(struct pb *b, const char *name)
{
    pb_set_str(b, &b->pod.os_name, name);
}

/* ---- judging ---- */

/* Render `check` from `findings`; true when the texts match (prints both otherwise). */
static inline bool pb_rendered_as(const struct pg_findings *findings, const struct pg_pod *pod,
                                  enum pg_check_id check, const char *reason, const char *detail)
{
    struct pg_buf got_reason = PG_BUF_INIT;
    struct pg_buf got_detail = PG_BUF_INIT;
    bool forbidden = pg_render_check(&got_reason, &got_detail, findings, check, pod);
    const char *r = got_reason.ptr != NULL ? got_reason.ptr : "";
    const char *d = got_detail.ptr != NULL ? got_detail.ptr : "";
    bool ok = forbidden && strcmp(r, reason) == 0 && strcmp(d, detail) == 0;
    if (!ok) {
        printf("#   %s at check %s:\n#     got:  %s (%s)\n#     want: %s (%s)\n",
               forbidden ? "forbidden" : "allowed", pg_check_name(check), r, d, reason, detail);
    }
    pg_buf_release(&got_reason);
    pg_buf_release(&got_detail);
    return ok;
}

/* Judge only `check` at `minor`; true when forbidden with exactly this reason and detail. */
static inline bool pb_forbids(const struct pb *b, enum pg_check_id check, unsigned minor,
                              const char *reason, const char *detail)
{
    struct pg_findings findings;
    bool ok = false;
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b->pod, (pg_check_set)1u << check, minor);
    ok = pb_rendered_as(&findings, &b->pod, check, reason, detail);
    pg_findings_release(&findings);
    return ok;
}

/* Judge only `check` at `minor`; true when it is allowed (prints the texts otherwise). */
static inline bool pb_allows(const struct pb *b, enum pg_check_id check, unsigned minor)
{
    struct pg_findings findings;
    struct pg_buf reason = PG_BUF_INIT;
    struct pg_buf detail = PG_BUF_INIT;
    bool allowed = false;
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b->pod, (pg_check_set)1u << check, minor);
    allowed = !pg_render_check(&reason, &detail, &findings, check, &b->pod) && findings.len == 0;
    if (!allowed) {
        printf("#   forbidden at v1.%u: %s (%s)\n", minor, reason.ptr ? reason.ptr : "",
               detail.ptr ? detail.ptr : "");
    }
    pg_buf_release(&reason);
    pg_buf_release(&detail);
    pg_findings_release(&findings);
    return allowed;
}

/* Keep only the findings for which keep() is true, in order (what an exemption does). */
static inline void pb_filter(struct pg_findings *findings,
                             bool (*keep)(const struct pg_finding *finding))
{
    size_t kept = 0;
    size_t i = 0;
    for (i = 0; i < findings->len; i++) {
        if (keep(&findings->items[i])) {
            findings->items[kept] = findings->items[i];
            kept++;
        }
    }
    findings->len = kept;
}

#endif
