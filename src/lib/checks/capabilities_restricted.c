/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capabilities_restricted (restricted; v1.22, Windows exemption from v1.25;
 * replaces capabilities_baseline; spec §3.4): every container must drop ALL
 * and may add only NET_BIND_SERVICE. Findings: PG_FIND_MISSING_DROP per
 * container that does not drop ALL, CONTAINER_VALUE per forbidden add entry.
 */
#include "checks/checks.h"
#include "checks/text.h"

static bool drops_all(const struct pg_container *container)
{
    size_t i = 0;
    for (i = 0; i < container->caps_drop_len; i++) {
        if (pg_check_str_eq(container->caps_drop[i].value, "ALL")) {
            return true;
        }
    }
    return false;
}

static void judge_container(struct pg_findings *out, const struct pg_container *container,
                            uint32_t index)
{
    size_t a = 0;
    if (container->security_context == NULL || container->capabilities == NULL) {
        pg_check_add(out, PG_CHECK_CAPABILITIES_RESTRICTED, PG_FIND_MISSING_DROP, index,
                     PG_STR_LIT(""), pg_check_container_anchor(container));
        return;
    }
    if (!drops_all(container)) {
        pg_check_add(out, PG_CHECK_CAPABILITIES_RESTRICTED, PG_FIND_MISSING_DROP, index,
                     PG_STR_LIT(""),
                     pg_check_node_or(container->caps_drop_list, container->capabilities));
    }
    for (a = 0; a < container->caps_add_len; a++) {
        const struct pg_str_field *capability = &container->caps_add[a];
        if (!pg_check_str_eq(capability->value, "NET_BIND_SERVICE")) {
            pg_check_add(out, PG_CHECK_CAPABILITIES_RESTRICTED, PG_FIND_CONTAINER_VALUE, index,
                         capability->value,
                         pg_check_node_or(capability->node, container->capabilities));
        }
    }
}

void pg_check_capabilities_restricted_judge(struct pg_findings *out, const struct pg_pod *pod,
                                            unsigned minor)
{
    size_t i = 0;
    if (pg_check_windows_exempt(pod, minor)) {
        return;
    }
    for (i = 0; i < pod->containers_len; i++) {
        judge_container(out, &pod->containers[i], (uint32_t)i);
    }
}

void pg_check_capabilities_restricted_render(struct pg_buf *reason, struct pg_buf *detail,
                                             const struct pg_check_view *view)
{
    const unsigned add_kind = PG_KIND_BIT(PG_FIND_CONTAINER_VALUE);
    struct pg_text_list missing_drop;
    struct pg_text_list adding;
    struct pg_text_list capabilities;
    pg_text_put_reason(reason, PG_STR_LIT("unrestricted capabilities"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&missing_drop);
    pg_text_list_init(&adding);
    pg_text_list_init(&capabilities);
    pg_text_collect_containers(&missing_drop, view, PG_KIND_BIT(PG_FIND_MISSING_DROP));
    pg_text_collect_containers(&adding, view, add_kind);
    pg_text_collect_values(&capabilities, view, add_kind);
    if (missing_drop.len > 0) {
        pg_text_put_containers(detail, view->pod, &missing_drop);
        PG_BUF_PUT_LIT(detail, " must set securityContext.capabilities.drop=[\"ALL\"]");
    }
    if (adding.len > 0) {
        if (missing_drop.len > 0) {
            PG_BUF_PUT_LIT(detail, "; ");
        }
        pg_text_put_containers(detail, view->pod, &adding);
        PG_BUF_PUT_LIT(detail, " must not include ");
        pg_text_put_quote_list(detail, &capabilities);
        PG_BUF_PUT_LIT(detail, " in securityContext.capabilities.add");
    }
    pg_text_list_release(&capabilities);
    pg_text_list_release(&adding);
    pg_text_list_release(&missing_drop);
}
