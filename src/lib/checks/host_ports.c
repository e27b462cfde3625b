/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostPorts (baseline, v1.0; spec §3.7): no container port may use a
 * non-zero hostPort. One finding per (container, port); the message sorts the
 * port numbers as text, as upstream does ("10000" < "8080").
 */
#include "checks/checks.h"
#include "checks/text.h"

static void judge_container(struct pg_findings *out, const struct pg_container *container,
                            uint32_t index)
{
    size_t i = 0;
    for (i = 0; i < container->ports_len; i++) {
        const struct pg_port *port = &container->ports[i];
        /* A hostPort defaulted from containerPort (hostNetwork) has no node of its own. */
        bool set = port->host_port.node != NULL || port->host_port_defaulted;
        struct pg_finding finding = {
            .check = PG_CHECK_HOST_PORTS,
            .kind = PG_FIND_CONTAINER_VALUE,
            .container = index,
            .number = port->host_port.value,
            .value = PG_STR_LIT(""),
            .name = PG_STR_LIT(""),
            .node = NULL,
        };
        if (!set || port->host_port.value == 0) {
            continue;
        }
        finding.node = pg_check_node_or(port->host_port.node,
                                        pg_check_node_or(port->container_port.node, port->node));
        pg_findings_add(out, &finding);
    }
}

void pg_check_host_ports_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor)
{
    size_t i = 0;
    (void)minor;
    for (i = 0; i < pod->containers_len; i++) {
        judge_container(out, &pod->containers[i], (uint32_t)i);
    }
}

void pg_check_host_ports_render(struct pg_buf *reason, struct pg_buf *detail,
                                const struct pg_check_view *view)
{
    struct pg_text_list containers;
    struct pg_text_list ports;
    size_t cursor = 0;
    size_t i = 0;
    const struct pg_finding *finding = NULL;
    pg_text_put_reason(reason, PG_STR_LIT("hostPort"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_list_init(&ports);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        union pg_text_item port = {.number = finding->number};
        pg_text_list_push(&ports, port);
    }
    pg_text_list_sort_numbers(&ports);
    pg_text_put_containers(detail, view->pod, &containers);
    pg_text_put_plural(detail, containers.len, PG_STR_LIT(" uses "), PG_STR_LIT(" use "));
    pg_text_put_plural(detail, ports.len, PG_STR_LIT("hostPort "), PG_STR_LIT("hostPorts "));
    for (i = 0; i < ports.len; i++) {
        if (i > 0) {
            PG_BUF_PUT_LIT(detail, ", ");
        }
        pg_buf_put_int(detail, ports.items[i].number);
    }
    pg_text_list_release(&ports);
    pg_text_list_release(&containers);
}
