/* SPDX-License-Identifier: Apache-2.0 */
/*
 * privileged (baseline, v1.0; spec §3.9): no container may set
 * securityContext.privileged=true. Unset and false are fine.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_privileged_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor)
{
    size_t i = 0;
    (void)minor;
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_bool_field *privileged = &pod->containers[i].privileged;
        if (privileged->node != NULL && privileged->value) {
            pg_check_add(out, PG_CHECK_PRIVILEGED, PG_FIND_CONTAINER_VALUE, (uint32_t)i,
                         PG_STR_LIT("true"), privileged->node);
        }
    }
}

void pg_check_privileged_render(struct pg_buf *reason, struct pg_buf *detail,
                                const struct pg_check_view *view)
{
    struct pg_text_list containers;
    pg_text_put_reason(reason, PG_STR_LIT("privileged"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    pg_text_put_containers(detail, view->pod, &containers);
    PG_BUF_PUT_LIT(detail, " must not set securityContext.privileged=true");
    pg_text_list_release(&containers);
}
