/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runAsNonRoot (restricted; v1.0, v1.35 relaxed; spec §3.13): the pod or
 * every container must set runAsNonRoot=true, and nothing may set it to
 * false. From v1.35 a pod with hostUsers: false passes.
 *
 * Findings: the pod's explicit false (POD_VALUE), each container's explicit
 * false (CONTAINER_VALUE), and each container that inherits no true from the
 * pod (CONTAINER_UNSET). The message names the explicit setters when there
 * are any and the implicit containers only otherwise, as upstream does.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_run_as_non_root_judge(struct pg_findings *out, const struct pg_pod *pod,
                                    unsigned minor)
{
    const struct pg_bool_field *pod_field = &pod->sc.run_as_non_root;
    bool pod_ok = pod_field->node != NULL && pod_field->value;
    size_t i = 0;
    if (pg_check_user_namespace(pod, minor)) {
        return;
    }
    if (pod_field->node != NULL && !pod_field->value) {
        pg_check_add(out, PG_CHECK_RUN_AS_NON_ROOT, PG_FIND_POD_VALUE, PG_FINDING_POD,
                     PG_STR_LIT("false"), pod_field->node);
    }
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_container *container = &pod->containers[i];
        const struct pg_bool_field *field = &container->sc.run_as_non_root;
        if (field->node != NULL && !field->value) {
            pg_check_add(out, PG_CHECK_RUN_AS_NON_ROOT, PG_FIND_CONTAINER_VALUE, (uint32_t)i,
                         PG_STR_LIT("false"), field->node);
        } else if (field->node == NULL && !pod_ok) {
            pg_check_add(out, PG_CHECK_RUN_AS_NON_ROOT, PG_FIND_CONTAINER_UNSET, (uint32_t)i,
                         PG_STR_LIT(""), pg_check_container_anchor(container));
        }
    }
}

void pg_check_run_as_non_root_render(struct pg_buf *reason, struct pg_buf *detail,
                                     const struct pg_check_view *view)
{
    struct pg_text_list containers;
    bool pod_setter = pg_text_has_pod(view, PG_KIND_BIT(PG_FIND_POD_VALUE));
    pg_text_put_reason(reason, PG_STR_LIT("runAsNonRoot != true"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_collect_containers(&containers, view, PG_KIND_BIT(PG_FIND_CONTAINER_VALUE));
    if (pod_setter || containers.len > 0) {
        pg_text_put_setters(detail, pod_setter, view->pod, &containers);
        PG_BUF_PUT_LIT(detail, " must not set securityContext.runAsNonRoot=false");
    } else {
        pg_text_collect_containers(&containers, view, PG_KIND_BIT(PG_FIND_CONTAINER_UNSET));
        PG_BUF_PUT_LIT(detail, "pod or ");
        pg_text_put_containers(detail, view->pod, &containers);
        PG_BUF_PUT_LIT(detail, " must set securityContext.runAsNonRoot=true");
    }
    pg_text_list_release(&containers);
}
