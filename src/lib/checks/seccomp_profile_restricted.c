/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccompProfile_restricted (restricted; v1.19, Windows exemption from
 * v1.25; replaces seccompProfile_baseline; spec §3.17): the pod or every
 * container must set seccompProfile.type to RuntimeDefault or Localhost, and
 * nothing may set another type.
 *
 * Findings: bad pod type (POD_VALUE), bad container type (CONTAINER_VALUE),
 * container with no profile and no valid pod profile (CONTAINER_UNSET). The
 * message names explicit setters when there are any, else the implicit ones.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_seccomp_restricted_judge(struct pg_findings *out, const struct pg_pod *pod,
                                       unsigned minor)
{
    const struct pg_profile_field *pod_profile = &pod->sc.seccomp_profile;
    bool pod_ok = false;
    size_t i = 0;
    if (pg_check_windows_exempt(pod, minor)) {
        return;
    }
    if (pod_profile->node != NULL) {
        pod_ok = pg_check_profile_type_allowed(pod_profile->type.value);
        if (!pod_ok) {
            pg_check_add(out, PG_CHECK_SECCOMP_PROFILE_RESTRICTED, PG_FIND_POD_VALUE,
                         PG_FINDING_POD, pod_profile->type.value,
                         pg_check_node_or(pod_profile->type.node, pod_profile->node));
        }
    }
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_container *container = &pod->containers[i];
        const struct pg_profile_field *profile = &container->sc.seccomp_profile;
        if (profile->node != NULL && !pg_check_profile_type_allowed(profile->type.value)) {
            pg_check_add(out, PG_CHECK_SECCOMP_PROFILE_RESTRICTED, PG_FIND_CONTAINER_VALUE,
                         (uint32_t)i, profile->type.value,
                         pg_check_node_or(profile->type.node, profile->node));
        } else if (profile->node == NULL && !pod_ok) {
            pg_check_add(out, PG_CHECK_SECCOMP_PROFILE_RESTRICTED, PG_FIND_CONTAINER_UNSET,
                         (uint32_t)i, PG_STR_LIT(""), pg_check_container_anchor(container));
        }
    }
}

void pg_check_seccomp_restricted_render(struct pg_buf *reason, struct pg_buf *detail,
                                        const struct pg_check_view *view)
{
    const unsigned explicit_kinds =
        PG_KIND_BIT(PG_FIND_POD_VALUE) | PG_KIND_BIT(PG_FIND_CONTAINER_VALUE);
    struct pg_text_list containers;
    struct pg_text_list types;
    bool pod_setter = pg_text_has_pod(view, PG_KIND_BIT(PG_FIND_POD_VALUE));
    pg_text_put_reason(reason, PG_STR_LIT("seccompProfile"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_list_init(&types);
    pg_text_collect_containers(&containers, view, PG_KIND_BIT(PG_FIND_CONTAINER_VALUE));
    if (pod_setter || containers.len > 0) {
        pg_text_collect_values(&types, view, explicit_kinds);
        pg_text_put_setters(detail, pod_setter, view->pod, &containers);
        PG_BUF_PUT_LIT(detail, " must not set securityContext.seccompProfile.type to ");
        pg_text_put_quote_list(detail, &types);
    } else {
        pg_text_collect_containers(&containers, view, PG_KIND_BIT(PG_FIND_CONTAINER_UNSET));
        PG_BUF_PUT_LIT(detail, "pod or ");
        pg_text_put_containers(detail, view->pod, &containers);
        PG_BUF_PUT_LIT(detail,
                       " must set securityContext.seccompProfile.type to \"RuntimeDefault\" "
                       "or \"Localhost\"");
    }
    pg_text_list_release(&types);
    pg_text_list_release(&containers);
}
