/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal interface of the 19 Pod Security checks (spec §2–§3): the const
 * registry (ID, level, first minor, override, judge, render) and, per check,
 * a judge that appends structured findings and a renderer that turns the
 * findings of that check back into upstream's exact reason and detail.
 *
 * Judges never build strings. Renderers derive everything from the findings
 * they are given (possibly a subset, after policy exemptions) plus the pod for
 * container names, so that dropping a finding changes the text exactly as if
 * the offending field had not been there.
 */
#ifndef PG_CHECKS_CHECKS_H
#define PG_CHECKS_CHECKS_H

#include "eval/findings.h"
#include "podgate/buf.h"
#include "podgate/eval.h"
#include "podgate/pod.h"
#include "podgate/policy.h"

#include <string.h>

/*
 * The findings of one check as its renderer sees them: `items` may hold
 * findings of other checks too, which the renderer skips (see pg_view_next).
 */
struct pg_check_view {
    const struct pg_finding *items;
    size_t len;
    enum pg_check_id check;
    const struct pg_pod *pod;
};

/* Append the findings of one check for `pod` judged at effective `minor`. */
typedef void (*pg_check_judge_fn)(struct pg_findings *out, const struct pg_pod *pod,
                                  unsigned minor);

/*
 * Append the reason to `reason` and the detail to `detail`; either may be NULL
 * to skip that part. Called only when the view holds at least one finding.
 */
typedef void (*pg_check_render_fn)(struct pg_buf *reason, struct pg_buf *detail,
                                   const struct pg_check_view *view);

/* One registry entry. `overrides` is meaningful only when `has_override` is true. */
struct pg_check_info {
    const char *name;
    enum pg_level level;
    unsigned first_minor;
    pg_check_judge_fn judge;
    pg_check_render_fn render;
    bool has_override;
    enum pg_check_id overrides; /* the baseline check this one replaces at restricted */
    unsigned overrides_from;    /* from this minor on */
};

/* The registry, indexed by enum pg_check_id (hot loops index it directly). */
extern const struct pg_check_info pg_checks_registry[PG_CHECK_COUNT];

/* The registry entry of a check, or NULL for an out-of-range value. Borrowed, static. */
const struct pg_check_info *pg_checks_info(enum pg_check_id id);

/* ---- small helpers shared by the check files ---- */

#define PG_KIND_BIT(kind) (1u << (unsigned)(kind))
#define PG_KINDS_ALL 0xffffffffu

static inline bool pg_check_str_eq(struct pg_str text, const char *literal)
{
    size_t len = strlen(literal);
    return text.len == len && (len == 0 || memcmp(text.ptr, literal, len) == 0);
}

static inline bool pg_check_str_has_prefix(struct pg_str text, const char *prefix)
{
    size_t len = strlen(prefix);
    return text.len >= len && (len == 0 || memcmp(text.ptr, prefix, len) == 0);
}

/* A string view that is never {NULL, …}: renderers may print it as is. */
static inline struct pg_str pg_check_str_or_empty(struct pg_str text)
{
    if (text.ptr == NULL) {
        return PG_STR_LIT("");
    }
    return text;
}

/* Where "add this field to the container" points: its securityContext, else the container. */
static inline const struct pg_node *pg_check_container_anchor(const struct pg_container *c)
{
    return c->security_context != NULL ? c->security_context : c->node;
}

/* Where "add this field to the pod" points: spec.securityContext, else spec. */
static inline const struct pg_node *pg_check_pod_anchor(const struct pg_pod *pod)
{
    return pod->security_context != NULL ? pod->security_context : pod->spec;
}

static inline const struct pg_node *pg_check_node_or(const struct pg_node *node,
                                                     const struct pg_node *fallback)
{
    return node != NULL ? node : fallback;
}

/* v1.25+: `spec.os.name` is exactly "windows" (spec §3.20). */
static inline bool pg_check_windows_exempt(const struct pg_pod *pod, unsigned minor)
{
    return minor >= 25 && pod->os_name.node != NULL &&
           pg_check_str_eq(pod->os_name.value, "windows");
}

/* v1.35+: `spec.hostUsers` is explicitly false, the pod runs in a user namespace. */
static inline bool pg_check_user_namespace(const struct pg_pod *pod, unsigned minor)
{
    return minor >= 35 && pod->host_users.node != NULL && !pod->host_users.value;
}

/* seccompProfile.type and appArmorProfile.type: only RuntimeDefault and Localhost pass. */
static inline bool pg_check_profile_type_allowed(struct pg_str type)
{
    return pg_check_str_eq(type, "RuntimeDefault") || pg_check_str_eq(type, "Localhost");
}

/* Append a finding that needs no `number`; `name` names a volume (else ""). */
static inline void pg_check_add_named(struct pg_findings *out, enum pg_check_id check,
                                      enum pg_finding_kind kind, uint32_t container,
                                      struct pg_str value, struct pg_str name,
                                      const struct pg_node *node)
{
    struct pg_finding finding = {
        .check = check,
        .kind = kind,
        .container = container,
        .number = 0,
        .value = pg_check_str_or_empty(value),
        .name = pg_check_str_or_empty(name),
        .node = node,
    };
    pg_findings_add(out, &finding);
}

/* Append a finding that needs no `name` or `number`. */
static inline void pg_check_add(struct pg_findings *out, enum pg_check_id check,
                                enum pg_finding_kind kind, uint32_t container, struct pg_str value,
                                const struct pg_node *node)
{
    pg_check_add_named(out, check, kind, container, value, PG_STR_LIT(""), node);
}

/* Append a finding for a pod volume, named by the volume. */
static inline void pg_check_add_volume(struct pg_findings *out, enum pg_check_id check,
                                       const struct pg_volume *volume, struct pg_str value,
                                       const struct pg_node *node)
{
    pg_check_add_named(out, check, PG_FIND_VOLUME, PG_FINDING_POD, value, volume->name, node);
}

/* The next finding of the view's check at or after *cursor, or NULL; advances *cursor. */
static inline const struct pg_finding *pg_view_next(const struct pg_check_view *view,
                                                    size_t *cursor)
{
    while (*cursor < view->len) {
        const struct pg_finding *finding = &view->items[*cursor];
        (*cursor)++;
        if (finding->check == view->check) {
            return finding;
        }
    }
    return NULL;
}

/* ---- the checks, in upstream evaluation order (spec §2.2) ---- */

void pg_check_app_armor_profile_judge(struct pg_findings *out, const struct pg_pod *pod,
                                      unsigned minor);
void pg_check_app_armor_profile_render(struct pg_buf *reason, struct pg_buf *detail,
                                       const struct pg_check_view *view);

void pg_check_capabilities_baseline_judge(struct pg_findings *out, const struct pg_pod *pod,
                                          unsigned minor);
void pg_check_capabilities_baseline_render(struct pg_buf *reason, struct pg_buf *detail,
                                           const struct pg_check_view *view);

void pg_check_host_namespaces_judge(struct pg_findings *out, const struct pg_pod *pod,
                                    unsigned minor);
void pg_check_host_namespaces_render(struct pg_buf *reason, struct pg_buf *detail,
                                     const struct pg_check_view *view);

void pg_check_host_path_volumes_judge(struct pg_findings *out, const struct pg_pod *pod,
                                      unsigned minor);
void pg_check_host_path_volumes_render(struct pg_buf *reason, struct pg_buf *detail,
                                       const struct pg_check_view *view);

void pg_check_host_ports_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor);
void pg_check_host_ports_render(struct pg_buf *reason, struct pg_buf *detail,
                                const struct pg_check_view *view);

void pg_check_host_probes_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor);
void pg_check_host_probes_render(struct pg_buf *reason, struct pg_buf *detail,
                                 const struct pg_check_view *view);

void pg_check_privileged_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor);
void pg_check_privileged_render(struct pg_buf *reason, struct pg_buf *detail,
                                const struct pg_check_view *view);

void pg_check_proc_mount_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor);
void pg_check_proc_mount_render(struct pg_buf *reason, struct pg_buf *detail,
                                const struct pg_check_view *view);
/* The strict v1.0 rule, reported under `check` (procMount or procMount_restricted). */
void pg_check_proc_mount_strict(struct pg_findings *out, const struct pg_pod *pod,
                                enum pg_check_id check);

void pg_check_se_linux_options_judge(struct pg_findings *out, const struct pg_pod *pod,
                                     unsigned minor);
void pg_check_se_linux_options_render(struct pg_buf *reason, struct pg_buf *detail,
                                      const struct pg_check_view *view);

void pg_check_seccomp_baseline_judge(struct pg_findings *out, const struct pg_pod *pod,
                                     unsigned minor);
void pg_check_seccomp_baseline_render(struct pg_buf *reason, struct pg_buf *detail,
                                      const struct pg_check_view *view);

void pg_check_sysctls_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor);
void pg_check_sysctls_render(struct pg_buf *reason, struct pg_buf *detail,
                             const struct pg_check_view *view);

void pg_check_windows_host_process_judge(struct pg_findings *out, const struct pg_pod *pod,
                                         unsigned minor);
void pg_check_windows_host_process_render(struct pg_buf *reason, struct pg_buf *detail,
                                          const struct pg_check_view *view);

void pg_check_allow_privilege_escalation_judge(struct pg_findings *out, const struct pg_pod *pod,
                                               unsigned minor);
void pg_check_allow_privilege_escalation_render(struct pg_buf *reason, struct pg_buf *detail,
                                                const struct pg_check_view *view);

void pg_check_capabilities_restricted_judge(struct pg_findings *out, const struct pg_pod *pod,
                                            unsigned minor);
void pg_check_capabilities_restricted_render(struct pg_buf *reason, struct pg_buf *detail,
                                             const struct pg_check_view *view);

void pg_check_proc_mount_restricted_judge(struct pg_findings *out, const struct pg_pod *pod,
                                          unsigned minor);
void pg_check_proc_mount_restricted_render(struct pg_buf *reason, struct pg_buf *detail,
                                           const struct pg_check_view *view);

void pg_check_restricted_volumes_judge(struct pg_findings *out, const struct pg_pod *pod,
                                       unsigned minor);
void pg_check_restricted_volumes_render(struct pg_buf *reason, struct pg_buf *detail,
                                        const struct pg_check_view *view);

void pg_check_run_as_non_root_judge(struct pg_findings *out, const struct pg_pod *pod,
                                    unsigned minor);
void pg_check_run_as_non_root_render(struct pg_buf *reason, struct pg_buf *detail,
                                     const struct pg_check_view *view);

void pg_check_run_as_user_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor);
void pg_check_run_as_user_render(struct pg_buf *reason, struct pg_buf *detail,
                                 const struct pg_check_view *view);

void pg_check_seccomp_restricted_judge(struct pg_findings *out, const struct pg_pod *pod,
                                       unsigned minor);
void pg_check_seccomp_restricted_render(struct pg_buf *reason, struct pg_buf *detail,
                                        const struct pg_check_view *view);

/* The check set of a level and minor computed from the registry (the slow reference for
   pg_checks_for's table). */
pg_check_set pg_checks_derive(enum pg_level level, unsigned minor);

#endif
