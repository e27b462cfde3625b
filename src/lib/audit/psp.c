/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PSP analysis. A PSP "stays within" a level when every pod it admits (after its own
 * defaulting) passes that level at latest. Each PSP field that admits more is reported with
 * the level it goes beyond and the check that would reject such pods. Rules follow the PSP
 * admission plugin (k8s.io/kubernetes pkg/security/podsecuritypolicy): an absent `volumes` list
 * allows no volume, an absent seccomp allow-list keeps the default, an absent AppArmor
 * allow-list allows any profile, `allowPrivilegeEscalation` defaults to true.
 */
#include "audit/psp.h"

#include "podgate/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECCOMP_ALLOWED "seccomp.security.alpha.kubernetes.io/allowedProfileNames"
#define SECCOMP_DEFAULT "seccomp.security.alpha.kubernetes.io/defaultProfileName"
#define APPARMOR_ALLOWED "apparmor.security.beta.kubernetes.io/allowedProfileNames"
#define APPARMOR_DEFAULT "apparmor.security.beta.kubernetes.io/defaultProfileName"
#define MAX_FIELDS 48
#define MAX_VALUE 200

struct field_list {
    struct pg_audit_psp_field items[MAX_FIELDS];
    size_t len;
};

struct psp_builder {
    struct pg_arena *arena;
    const struct pg_node *spec;
    const struct pg_node *annotations;
    enum pg_level level;
    struct field_list beyond;
    struct field_list defaults;
    struct field_list uncovered;
};

/* Capabilities baseline allows containers to add (spec §3.3). */
static const char *const BASELINE_CAPS[] = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",       "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT",
};

/* PSP volume names restricted allows (spec §3.12; `image` has no PSP name). */
static const char *const RESTRICTED_VOLUMES[] = {
    "configMap", "csi",    "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
    "projected", "secret",
};

/* Sysctls baseline allows at latest (spec §3.18, v1.37 list). */
static const char *const SAFE_SYSCTLS[] = {
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
};

/* seLinuxOptions types baseline allows at latest (spec §3.15, v1.31 list). */
static const char *const SELINUX_TYPES[] = {
    "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t",
};

static bool str_is(struct pg_str text, const char *literal)
{
    size_t len = strlen(literal);
    return text.len == len && memcmp(text.ptr, literal, len) == 0;
}

static bool in_set(struct pg_str text, const char *const *set, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (str_is(text, set[i])) {
            return true;
        }
    }
    return false;
}

static bool node_true(const struct pg_node *node)
{
    return node != NULL && node->kind == PG_NODE_BOOL && node->as.boolean;
}

static struct pg_str node_text(const struct pg_node *node)
{
    if (node == NULL || node->kind == PG_NODE_NULL) {
        return PG_STR_LIT("");
    }
    return node->kind == PG_NODE_STR ? node->as.str : node->text;
}

static size_t seq_len(const struct pg_node *node)
{
    return node != NULL && node->kind == PG_NODE_SEQ ? node->as.seq.len : 0;
}

static struct pg_str seq_text(const struct pg_node *node, size_t i)
{
    return node_text(node->as.seq.items[i]);
}

static bool seq_has(const struct pg_node *node, const char *literal)
{
    for (size_t i = 0; i < seq_len(node); i++) {
        if (str_is(seq_text(node, i), literal)) {
            return true;
        }
    }
    return false;
}

static const char *copy_value(struct pg_arena *arena, struct pg_buf *value)
{
    const char *copy = NULL;
    if (value->len > MAX_VALUE) {
        value->len = MAX_VALUE;
        pg_buf_puts(value, "…");
    }
    copy = pg_arena_strndup(arena, value->ptr ? value->ptr : "", value->len);
    pg_buf_release(value);
    return copy;
}

static void append(struct field_list *list, const struct pg_audit_psp_field *field)
{
    if (list->len < MAX_FIELDS) {
        list->items[list->len++] = *field;
    }
}

/* A field that admits pods `beyond` forbids: the PSP stays within the level below at most. */
static void beyond(struct psp_builder *b, const char *field, const char *value, enum pg_level level,
                   enum pg_check_id check, const char *note)
{
    struct pg_audit_psp_field item = {field, value, level, check, note};
    append(&b->beyond, &item);
    if (b->level >= level) {
        b->level = (enum pg_level)(level - 1);
    }
}

/* A default (mutation) or a control without an equivalent: information, no level. */
static void info(struct field_list *list, const char *field, const char *value,
                 enum pg_check_id check, const char *note)
{
    struct pg_audit_psp_field item = {field, value, PG_LEVEL_PRIVILEGED, check, note};
    append(list, &item);
}

/* A value as written: a literal, or the items of a list joined with ", ". */
static const char *literal(struct psp_builder *b, const char *text)
{
    return pg_arena_strndup(b->arena, text, strlen(text));
}

static const char *str_value(struct psp_builder *b, struct pg_str text)
{
    struct pg_buf value = PG_BUF_INIT;
    pg_buf_put_str(&value, text);
    return copy_value(b->arena, &value);
}

/* The items of `seq` that are (keep=true) or are not (keep=false) in `set`, joined. */
static const char *filter_join(struct psp_builder *b, const struct pg_node *seq,
                               const char *const *set, size_t set_len, bool keep, size_t *count)
{
    struct pg_buf value = PG_BUF_INIT;
    *count = 0;
    for (size_t i = 0; i < seq_len(seq); i++) {
        struct pg_str item = seq_text(seq, i);
        if (in_set(item, set, set_len) != keep) {
            continue;
        }
        if (*count > 0) {
            pg_buf_puts(&value, ", ");
        }
        pg_buf_put_str(&value, item);
        (*count)++;
    }
    return copy_value(b->arena, &value);
}

static const char *join_all(struct psp_builder *b, const struct pg_node *seq)
{
    size_t count = 0;
    return filter_join(b, seq, NULL, 0, false, &count);
}

static void host_fields(struct psp_builder *b)
{
    static const char *const FIELDS[] = {"hostNetwork", "hostPID", "hostIPC"};
    if (node_true(pg_node_get(b->spec, "privileged"))) {
        beyond(b, "spec.privileged", literal(b, "true"), PG_LEVEL_BASELINE, PG_CHECK_PRIVILEGED,
               "allows privileged containers");
    }
    for (size_t i = 0; i < 3; i++) {
        char field[32];
        if (node_true(pg_node_get(b->spec, FIELDS[i]))) {
            (void)snprintf(field, sizeof(field), "spec.%s", FIELDS[i]);
            beyond(b, literal(b, field), literal(b, "true"), PG_LEVEL_BASELINE,
                   PG_CHECK_HOST_NAMESPACES, "allows sharing a host namespace");
        }
    }
}

static void host_ports(struct psp_builder *b)
{
    const struct pg_node *ranges = pg_node_get(b->spec, "hostPorts");
    struct pg_buf value = PG_BUF_INIT;
    bool any = false;
    for (size_t i = 0; i < seq_len(ranges); i++) {
        const struct pg_node *min = pg_node_get(ranges->as.seq.items[i], "min");
        const struct pg_node *max = pg_node_get(ranges->as.seq.items[i], "max");
        bool nonzero = max != NULL && max->kind == PG_NODE_INT && max->as.integer > 0;
        if (!nonzero) {
            continue;
        }
        if (any) {
            pg_buf_puts(&value, ", ");
        }
        pg_buf_put_str(&value, node_text(min));
        pg_buf_putc(&value, '-');
        pg_buf_put_str(&value, node_text(max));
        any = true;
    }
    if (!any) {
        pg_buf_release(&value);
        return;
    }
    beyond(b, "spec.hostPorts", copy_value(b->arena, &value), PG_LEVEL_BASELINE,
           PG_CHECK_HOST_PORTS, "allows host ports");
}

/* `/var/log, /proc (read-only)` from allowedHostPaths. */
static const char *host_paths(struct psp_builder *b, const struct pg_node *paths)
{
    struct pg_buf value = PG_BUF_INIT;
    for (size_t i = 0; i < seq_len(paths); i++) {
        const struct pg_node *entry = paths->as.seq.items[i];
        pg_buf_puts(&value, i > 0 ? ", " : "");
        pg_buf_put_str(&value, node_text(pg_node_get(entry, "pathPrefix")));
        pg_buf_puts(&value, node_true(pg_node_get(entry, "readOnly")) ? " (read-only)" : "");
    }
    return copy_value(b->arena, &value);
}

static void volumes(struct psp_builder *b)
{
    const struct pg_node *list = pg_node_get(b->spec, "volumes");
    const struct pg_node *paths = pg_node_get(b->spec, "allowedHostPaths");
    size_t count = 0;
    const char *others = NULL;
    if (seq_has(list, "*")) {
        beyond(b, "spec.volumes", literal(b, "*"), PG_LEVEL_BASELINE, PG_CHECK_HOST_PATH_VOLUMES,
               "allows every volume type, hostPath included");
        return;
    }
    if (seq_has(list, "hostPath")) {
        beyond(b, "spec.volumes", literal(b, "hostPath"), PG_LEVEL_BASELINE,
               PG_CHECK_HOST_PATH_VOLUMES, "allows hostPath volumes");
        if (seq_len(paths) > 0) {
            info(&b->uncovered, "spec.allowedHostPaths", host_paths(b, paths),
                 PG_CHECK_HOST_PATH_VOLUMES,
                 "PSS cannot allow only some host paths: baseline forbids them all");
        }
    }
    others = filter_join(b, list, RESTRICTED_VOLUMES,
                         sizeof(RESTRICTED_VOLUMES) / sizeof(RESTRICTED_VOLUMES[0]), false, &count);
    if (seq_has(list, "hostPath")) {
        count--; /* hostPath is reported above, at baseline */
    }
    if (count > 0) {
        beyond(b, "spec.volumes", others, PG_LEVEL_RESTRICTED, PG_CHECK_RESTRICTED_VOLUMES,
               "allows volume types restricted forbids");
    }
}

/* Capabilities a PSP lets pods have (allowed) or gives them (defaultAdd). */
static void capability_list(struct psp_builder *b, const char *key, const char *field)
{
    const struct pg_node *caps = pg_node_get(b->spec, key);
    static const char *const NET_BIND[] = {"NET_BIND_SERVICE"};
    size_t count = 0;
    const char *outside = NULL;
    if (seq_has(caps, "*")) {
        beyond(b, field, literal(b, "*"), PG_LEVEL_BASELINE, PG_CHECK_CAPABILITIES_BASELINE,
               "allows any capability");
        return;
    }
    outside = filter_join(b, caps, BASELINE_CAPS, sizeof(BASELINE_CAPS) / sizeof(BASELINE_CAPS[0]),
                          false, &count);
    if (count > 0) {
        beyond(b, field, outside, PG_LEVEL_BASELINE, PG_CHECK_CAPABILITIES_BASELINE,
               "capabilities beyond the default set");
    }
    outside = filter_join(b, caps, NET_BIND, 1, false, &count);
    if (count > 0) {
        beyond(b, field, outside, PG_LEVEL_RESTRICTED, PG_CHECK_CAPABILITIES_RESTRICTED,
               "restricted allows adding only NET_BIND_SERVICE");
    }
}

static void capabilities(struct psp_builder *b)
{
    const struct pg_node *drop = pg_node_get(b->spec, "requiredDropCapabilities");
    const struct pg_node *add_caps = pg_node_get(b->spec, "defaultAddCapabilities");
    capability_list(b, "allowedCapabilities", "spec.allowedCapabilities");
    capability_list(b, "defaultAddCapabilities", "spec.defaultAddCapabilities");
    if (seq_len(add_caps) > 0) {
        info(&b->defaults, "spec.defaultAddCapabilities", join_all(b, add_caps), PG_CHECK_COUNT,
             "added to every container: apps may need them in their own securityContext");
    }
    if (seq_has(drop, "ALL")) {
        info(&b->defaults, "spec.requiredDropCapabilities", join_all(b, drop),
             PG_CHECK_CAPABILITIES_RESTRICTED,
             "drops ALL in every container: restricted needs capabilities.drop [\"ALL\"] set");
        return;
    }
    beyond(b, "spec.requiredDropCapabilities",
           seq_len(drop) > 0 ? join_all(b, drop) : literal(b, ""), PG_LEVEL_RESTRICTED,
           PG_CHECK_CAPABILITIES_RESTRICTED, "does not require dropping ALL");
    if (seq_len(drop) > 0) {
        info(&b->defaults, "spec.requiredDropCapabilities", join_all(b, drop), PG_CHECK_COUNT,
             "dropped from every container");
    }
}

static void privilege_escalation(struct psp_builder *b)
{
    const struct pg_node *allow = pg_node_get(b->spec, "allowPrivilegeEscalation");
    const struct pg_node *dflt = pg_node_get(b->spec, "defaultAllowPrivilegeEscalation");
    bool allowed = pg_node_unset(allow) || node_true(allow);
    if (allowed) {
        beyond(b, "spec.allowPrivilegeEscalation",
               pg_node_unset(allow) ? literal(b, "") : literal(b, "true"), PG_LEVEL_RESTRICTED,
               PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, "allows privilege escalation (the default)");
    }
    if (!pg_node_unset(dflt)) {
        bool to_false = !node_true(dflt);
        info(&b->defaults, "spec.defaultAllowPrivilegeEscalation", str_value(b, node_text(dflt)),
             to_false ? PG_CHECK_ALLOW_PRIVILEGE_ESCALATION : PG_CHECK_COUNT,
             "sets allowPrivilegeEscalation where containers leave it unset");
    } else if (!allowed) {
        info(&b->defaults, "spec.allowPrivilegeEscalation", literal(b, "false"),
             PG_CHECK_ALLOW_PRIVILEGE_ESCALATION,
             "sets allowPrivilegeEscalation=false where containers leave it unset");
    }
}

/* `min-max, …` of a MustRunAs rule's ranges; *has_root when a range includes UID 0. */
static const char *ranges_text(struct psp_builder *b, const struct pg_node *ranges, bool *has_root)
{
    struct pg_buf value = PG_BUF_INIT;
    *has_root = seq_len(ranges) == 0;
    for (size_t i = 0; i < seq_len(ranges); i++) {
        const struct pg_node *min = pg_node_get(ranges->as.seq.items[i], "min");
        if (min == NULL || min->kind != PG_NODE_INT || min->as.integer <= 0) {
            *has_root = true;
        }
        if (i > 0) {
            pg_buf_puts(&value, ", ");
        }
        pg_buf_put_str(&value, node_text(min));
        pg_buf_putc(&value, '-');
        pg_buf_put_str(&value, node_text(pg_node_get(ranges->as.seq.items[i], "max")));
    }
    return copy_value(b->arena, &value);
}

static void run_as_user(struct psp_builder *b)
{
    const struct pg_node *strategy = pg_node_get(b->spec, "runAsUser");
    struct pg_str rule = node_text(pg_node_get(strategy, "rule"));
    bool has_root = true;
    const char *ranges = NULL;
    if (str_is(rule, "MustRunAsNonRoot")) {
        info(&b->defaults, "spec.runAsUser.rule", literal(b, "MustRunAsNonRoot"),
             PG_CHECK_RUN_AS_NON_ROOT,
             "sets runAsNonRoot=true on pods that set neither runAsNonRoot nor runAsUser");
        return;
    }
    if (!str_is(rule, "MustRunAs")) {
        const char *value = str_value(b, rule);
        beyond(b, "spec.runAsUser.rule", value, PG_LEVEL_RESTRICTED, PG_CHECK_RUN_AS_NON_ROOT,
               "pods need not set runAsNonRoot=true");
        beyond(b, "spec.runAsUser.rule", value, PG_LEVEL_RESTRICTED, PG_CHECK_RUN_AS_USER,
               "allows runAsUser=0");
        return;
    }
    ranges = ranges_text(b, pg_node_get(strategy, "ranges"), &has_root);
    beyond(b, "spec.runAsUser.rule", literal(b, "MustRunAs"), PG_LEVEL_RESTRICTED,
           PG_CHECK_RUN_AS_NON_ROOT, "pins the UID but restricted needs runAsNonRoot=true set");
    if (has_root) {
        beyond(b, "spec.runAsUser.ranges", ranges, PG_LEVEL_RESTRICTED, PG_CHECK_RUN_AS_USER,
               "a range includes UID 0");
    }
    info(&b->defaults, "spec.runAsUser.ranges", ranges, PG_CHECK_COUNT,
         "sets runAsUser to the first range's min where unset: pods may run as the image's "
         "user once PSP is gone");
}

static void se_linux(struct psp_builder *b)
{
    const struct pg_node *strategy = pg_node_get(b->spec, "seLinux");
    const struct pg_node *options = pg_node_get(strategy, "seLinuxOptions");
    struct pg_str rule = node_text(pg_node_get(strategy, "rule"));
    struct pg_str type = node_text(pg_node_get(options, "type"));
    if (!str_is(rule, "MustRunAs")) {
        beyond(b, "spec.seLinux.rule", str_value(b, rule), PG_LEVEL_BASELINE,
               PG_CHECK_SE_LINUX_OPTIONS, "allows any SELinux user, role and type");
        return;
    }
    if (!in_set(type, SELINUX_TYPES, sizeof(SELINUX_TYPES) / sizeof(SELINUX_TYPES[0])) ||
        node_text(pg_node_get(options, "user")).len > 0 ||
        node_text(pg_node_get(options, "role")).len > 0) {
        beyond(b, "spec.seLinux.seLinuxOptions", str_value(b, type), PG_LEVEL_BASELINE,
               PG_CHECK_SE_LINUX_OPTIONS, "sets a type, user or role baseline forbids");
    }
    info(&b->defaults, "spec.seLinux.seLinuxOptions", str_value(b, type), PG_CHECK_COUNT,
         "sets seLinuxOptions where unset");
}

static bool has_prefix(struct pg_str text, const char *prefix)
{
    size_t len = strlen(prefix);
    return text.len >= len && memcmp(text.ptr, prefix, len) == 0;
}

/* The next comma-separated item of `list` from *pos (PSP annotations are split on ","). */
static bool next_item(struct pg_str *out, struct pg_str list, size_t *pos)
{
    size_t start = *pos;
    if (start > list.len || list.len == 0) {
        return false;
    }
    while (*pos < list.len && list.ptr[*pos] != ',') {
        (*pos)++;
    }
    out->ptr = list.ptr + start;
    out->len = *pos - start;
    (*pos)++;
    return true;
}

static bool seccomp_restricted_ok(struct pg_str profile)
{
    return str_is(profile, "runtime/default") || str_is(profile, "docker/default") ||
           has_prefix(profile, "localhost/");
}

static void seccomp(struct psp_builder *b)
{
    const struct pg_node *allowed_node = pg_node_get(b->annotations, SECCOMP_ALLOWED);
    struct pg_str allowed = node_text(allowed_node);
    struct pg_str dflt = node_text(pg_node_get(b->annotations, SECCOMP_DEFAULT));
    struct pg_str item;
    size_t pos = 0;
    bool unconfined = str_is(dflt, "unconfined");
    bool other = dflt.len > 0 && !unconfined && !seccomp_restricted_ok(dflt);
    while (next_item(&item, allowed, &pos)) {
        unconfined = unconfined || str_is(item, "*") || str_is(item, "unconfined");
        other = other || !seccomp_restricted_ok(item);
    }
    if (unconfined) {
        beyond(b, "metadata.annotations[" SECCOMP_ALLOWED "]", str_value(b, allowed),
               PG_LEVEL_BASELINE, PG_CHECK_SECCOMP_PROFILE_BASELINE,
               "allows the Unconfined profile");
    }
    if (dflt.len == 0 || other) {
        beyond(b, "metadata.annotations[" SECCOMP_DEFAULT "]", str_value(b, dflt),
               PG_LEVEL_RESTRICTED, PG_CHECK_SECCOMP_PROFILE_RESTRICTED,
               dflt.len == 0 ? "no default profile: pods may run without one"
                             : "allows profiles other than RuntimeDefault and Localhost");
    }
    if (dflt.len > 0) {
        info(&b->defaults, "metadata.annotations[" SECCOMP_DEFAULT "]", str_value(b, dflt),
             seccomp_restricted_ok(dflt) ? PG_CHECK_SECCOMP_PROFILE_RESTRICTED : PG_CHECK_COUNT,
             "sets the seccomp profile where pods leave it unset");
    }
}

static void app_armor(struct psp_builder *b)
{
    const struct pg_node *allowed_node = pg_node_get(b->annotations, APPARMOR_ALLOWED);
    struct pg_str dflt = node_text(pg_node_get(b->annotations, APPARMOR_DEFAULT));
    struct pg_str item;
    struct pg_buf bad = PG_BUF_INIT;
    size_t pos = 0;
    if (pg_node_unset(allowed_node)) {
        beyond(b, "metadata.annotations[" APPARMOR_ALLOWED "]", literal(b, ""), PG_LEVEL_BASELINE,
               PG_CHECK_APP_ARMOR_PROFILE,
               "no allow-list: any AppArmor profile, unconfined included");
    }
    while (next_item(&item, node_text(allowed_node), &pos)) {
        if (!str_is(item, "runtime/default") && !has_prefix(item, "localhost/")) {
            pg_buf_puts(&bad, bad.len > 0 ? ", " : "");
            pg_buf_put_str(&bad, item);
        }
    }
    if (bad.len > 0) {
        beyond(b, "metadata.annotations[" APPARMOR_ALLOWED "]", copy_value(b->arena, &bad),
               PG_LEVEL_BASELINE, PG_CHECK_APP_ARMOR_PROFILE,
               "allows AppArmor profiles baseline forbids");
    }
    pg_buf_release(&bad);
    if (dflt.len > 0) {
        info(&b->defaults, "metadata.annotations[" APPARMOR_DEFAULT "]", str_value(b, dflt),
             PG_CHECK_COUNT, "sets the AppArmor profile where pods leave it unset");
    }
}

static void proc_mount_and_sysctls(struct psp_builder *b)
{
    static const char *const DEFAULT_ONLY[] = {"Default"};
    const struct pg_node *proc_mounts = pg_node_get(b->spec, "allowedProcMountTypes");
    const struct pg_node *unsafe = pg_node_get(b->spec, "allowedUnsafeSysctls");
    size_t count = 0;
    const char *value = filter_join(b, proc_mounts, DEFAULT_ONLY, 1, false, &count);
    if (count > 0) {
        beyond(b, "spec.allowedProcMountTypes", value, PG_LEVEL_BASELINE, PG_CHECK_PROC_MOUNT,
               "allows an unmasked /proc");
    }
    value = filter_join(b, unsafe, SAFE_SYSCTLS, sizeof(SAFE_SYSCTLS) / sizeof(SAFE_SYSCTLS[0]),
                        false, &count);
    if (count > 0) {
        beyond(b, "spec.allowedUnsafeSysctls", value, PG_LEVEL_BASELINE, PG_CHECK_SYSCTLS,
               "allows sysctls baseline forbids");
    }
}

static void uncovered(struct psp_builder *b)
{
    static const char *const RULES[] = {"fsGroup", "supplementalGroups", "runAsGroup"};
    static const char *const LISTS[] = {"allowedFlexVolumes", "allowedCSIDrivers",
                                        "forbiddenSysctls"};
    char field[64];
    if (node_true(pg_node_get(b->spec, "readOnlyRootFilesystem"))) {
        info(&b->uncovered, "spec.readOnlyRootFilesystem", literal(b, "true"), PG_CHECK_COUNT,
             "PSS does not require a read-only root");
        info(&b->defaults, "spec.readOnlyRootFilesystem", literal(b, "true"), PG_CHECK_COUNT,
             "sets readOnlyRootFilesystem=true where unset");
    }
    for (size_t i = 0; i < 3; i++) {
        struct pg_str rule = node_text(pg_node_get(pg_node_get(b->spec, RULES[i]), "rule"));
        if (!str_is(rule, "MustRunAs") && !str_is(rule, "MayRunAs")) {
            continue;
        }
        (void)snprintf(field, sizeof(field), "spec.%s.rule", RULES[i]);
        info(&b->uncovered, literal(b, field), str_value(b, rule), PG_CHECK_COUNT,
             "PSS does not restrict group IDs");
        if (str_is(rule, "MustRunAs")) {
            info(&b->defaults, literal(b, field), str_value(b, rule), PG_CHECK_COUNT,
                 "sets the group ID where unset");
        }
    }
    for (size_t i = 0; i < 3; i++) {
        if (seq_len(pg_node_get(b->spec, LISTS[i])) > 0) {
            (void)snprintf(field, sizeof(field), "spec.%s", LISTS[i]);
            info(&b->uncovered, literal(b, field), join_all(b, pg_node_get(b->spec, LISTS[i])),
                 PG_CHECK_COUNT, "PSS has no such allow- or deny-list");
        }
    }
}

/* Copy `list` into the arena: fields beyond baseline first, then beyond restricted, each in
 * the order they were found (the order of the PSP's fields). */
static void copy_list(const struct pg_audit_psp_field **out, size_t *out_len,
                      struct pg_arena *arena, const struct field_list *list)
{
    struct pg_audit_psp_field *items = pg_arena_calloc(arena, list->len + 1, sizeof(*items));
    size_t len = 0;
    for (int level = PG_LEVEL_PRIVILEGED; level <= PG_LEVEL_RESTRICTED; level++) {
        for (size_t i = 0; i < list->len; i++) {
            if ((int)list->items[i].beyond == level) {
                items[len++] = list->items[i];
            }
        }
    }
    *out = items;
    *out_len = len;
}

bool pg_psp_is(const struct pg_object_ref *ref)
{
    return str_is(ref->kind, "PodSecurityPolicy") &&
           (str_is(ref->api_version, "policy/v1beta1") ||
            str_is(ref->api_version, "extensions/v1beta1"));
}

void pg_psp_analyze(struct pg_audit_psp *out, struct pg_arena *arena,
                    const struct pg_object_ref *ref)
{
    struct psp_builder *b = pg_xcalloc(1, sizeof(*b));
    b->arena = arena;
    b->spec = pg_node_get(ref->node, "spec");
    b->annotations = pg_node_get(pg_node_get(ref->node, "metadata"), "annotations");
    b->level = PG_LEVEL_RESTRICTED;
    host_fields(b);
    host_ports(b);
    volumes(b);
    capabilities(b);
    privilege_escalation(b);
    run_as_user(b);
    se_linux(b);
    seccomp(b);
    app_armor(b);
    proc_mount_and_sysctls(b);
    uncovered(b);
    memset(out, 0, sizeof(*out));
    out->name = pg_arena_strndup(arena, ref->name.ptr ? ref->name.ptr : "", ref->name.len);
    out->level = b->level;
    copy_list(&out->beyond, &out->beyond_len, arena, &b->beyond);
    copy_list(&out->defaults, &out->defaults_len, arena, &b->defaults);
    copy_list(&out->uncovered, &out->uncovered_len, arena, &b->uncovered);
    free(b);
}
