/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procMount (baseline; v1.0 strict, v1.35 relaxed; spec §3.10): a container
 * must not set securityContext.procMount to anything but "Default". From
 * v1.35 a pod with hostUsers: false (a user namespace) passes. The strict
 * rule and the message are shared with procMount_restricted.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_proc_mount_strict(struct pg_findings *out, const struct pg_pod *pod,
                                enum pg_check_id check)
{
    size_t i = 0;
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_str_field *proc_mount = &pod->containers[i].proc_mount;
        if (proc_mount->node != NULL && !pg_check_str_eq(proc_mount->value, "Default")) {
            pg_check_add(out, check, PG_FIND_CONTAINER_VALUE, (uint32_t)i, proc_mount->value,
                         proc_mount->node);
        }
    }
}

void pg_check_proc_mount_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor)
{
    if (pg_check_user_namespace(pod, minor)) {
        return;
    }
    pg_check_proc_mount_strict(out, pod, PG_CHECK_PROC_MOUNT);
}

void pg_check_proc_mount_render(struct pg_buf *reason, struct pg_buf *detail,
                                const struct pg_check_view *view)
{
    struct pg_text_list containers;
    struct pg_text_list values;
    pg_text_put_reason(reason, PG_STR_LIT("procMount"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_list_init(&values);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    pg_text_collect_values(&values, view, PG_KINDS_ALL);
    pg_text_put_containers(detail, view->pod, &containers);
    PG_BUF_PUT_LIT(detail, " must not set securityContext.procMount to ");
    pg_text_put_quote_list(detail, &values);
    pg_text_list_release(&values);
    pg_text_list_release(&containers);
}
