/* SPDX-License-Identifier: Apache-2.0 */
/*
 * allowPrivilegeEscalation (restricted, v1.8; Windows exemption from v1.25;
 * spec §3.1): every container must explicitly set
 * securityContext.allowPrivilegeEscalation=false.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_allow_privilege_escalation_judge(struct pg_findings *out, const struct pg_pod *pod,
                                               unsigned minor)
{
    size_t i = 0;
    if (pg_check_windows_exempt(pod, minor)) {
        return;
    }
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_container *container = &pod->containers[i];
        const struct pg_bool_field *field = &container->allow_privilege_escalation;
        if (field->node == NULL) {
            pg_check_add(out, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, PG_FIND_CONTAINER_UNSET,
                         (uint32_t)i, PG_STR_LIT(""), pg_check_container_anchor(container));
        } else if (field->value) {
            pg_check_add(out, PG_CHECK_ALLOW_PRIVILEGE_ESCALATION, PG_FIND_CONTAINER_VALUE,
                         (uint32_t)i, PG_STR_LIT("true"), field->node);
        }
    }
}

void pg_check_allow_privilege_escalation_render(struct pg_buf *reason, struct pg_buf *detail,
                                                const struct pg_check_view *view)
{
    struct pg_text_list containers;
    pg_text_put_reason(reason, PG_STR_LIT("allowPrivilegeEscalation != false"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    pg_text_put_containers(detail, view->pod, &containers);
    PG_BUF_PUT_LIT(detail, " must set securityContext.allowPrivilegeEscalation=false");
    pg_text_list_release(&containers);
}
