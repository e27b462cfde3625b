/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostProbesAndHostLifecycle (baseline, v1.34; spec §3.8): probes and
 * lifecycle handlers must not set httpGet.host or tcpSocket.host. The only
 * check whose message sorts and de-duplicates container names.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_host_probes_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor)
{
    size_t i = 0;
    size_t h = 0;
    (void)minor;
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_container *container = &pod->containers[i];
        size_t hosts = sizeof(container->probe_hosts) / sizeof(container->probe_hosts[0]);
        for (h = 0; h < hosts; h++) {
            const struct pg_str_field *host = &container->probe_hosts[h].host;
            if (host->node != NULL && host->value.len > 0) {
                pg_check_add(out, PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE, PG_FIND_CONTAINER_VALUE,
                             (uint32_t)i, host->value, host->node);
            }
        }
    }
}

void pg_check_host_probes_render(struct pg_buf *reason, struct pg_buf *detail,
                                 const struct pg_check_view *view)
{
    struct pg_text_list names;
    struct pg_text_list hosts;
    size_t cursor = 0;
    const struct pg_finding *finding = NULL;
    pg_text_put_reason(reason, PG_STR_LIT("probe or lifecycle host"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&names);
    pg_text_list_init(&hosts);
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        if (finding->container < view->pod->containers_len) {
            pg_text_list_push_str(&names, view->pod->containers[finding->container].name);
        }
    }
    pg_text_list_sort_strs(&names);
    pg_text_collect_values(&hosts, view, PG_KINDS_ALL);
    pg_text_put_subjects_use(detail, &names, PG_STR_LIT("container "), PG_STR_LIT("containers "),
                             &hosts, PG_STR_LIT("probe or lifecycle host "),
                             PG_STR_LIT("probe or lifecycle hosts "));
    pg_text_list_release(&hosts);
    pg_text_list_release(&names);
}
