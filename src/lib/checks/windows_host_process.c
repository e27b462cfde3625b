/* SPDX-License-Identifier: Apache-2.0 */
/*
 * windowsHostProcess (baseline, v1.0; spec §3.19): neither the pod nor any
 * container may set securityContext.windowsOptions.hostProcess=true. There is
 * no Windows exemption.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_windows_host_process_judge(struct pg_findings *out, const struct pg_pod *pod,
                                         unsigned minor)
{
    size_t i = 0;
    (void)minor;
    if (pod->sc.host_process.node != NULL && pod->sc.host_process.value) {
        pg_check_add(out, PG_CHECK_WINDOWS_HOST_PROCESS, PG_FIND_POD_VALUE, PG_FINDING_POD,
                     PG_STR_LIT("true"), pod->sc.host_process.node);
    }
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_bool_field *host_process = &pod->containers[i].sc.host_process;
        if (host_process->node != NULL && host_process->value) {
            pg_check_add(out, PG_CHECK_WINDOWS_HOST_PROCESS, PG_FIND_CONTAINER_VALUE, (uint32_t)i,
                         PG_STR_LIT("true"), host_process->node);
        }
    }
}

void pg_check_windows_host_process_render(struct pg_buf *reason, struct pg_buf *detail,
                                          const struct pg_check_view *view)
{
    struct pg_text_list containers;
    pg_text_put_reason(reason, PG_STR_LIT("hostProcess"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    pg_text_put_setters(detail, pg_text_has_pod(view, PG_KINDS_ALL), view->pod, &containers);
    PG_BUF_PUT_LIT(detail, " must not set securityContext.windowsOptions.hostProcess=true");
    pg_text_list_release(&containers);
}
