/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runAsUser (restricted; v1.23, v1.35 relaxed; spec §3.14): neither the pod
 * nor a container may set runAsUser to 0. Unset and any other value, even a
 * negative one, are fine; a container's own value does not undo a pod-level 0.
 * From v1.35 a pod with hostUsers: false passes.
 */
#include "checks/checks.h"
#include "checks/text.h"

static bool is_root(const struct pg_int_field *field)
{
    return field->node != NULL && field->value == 0;
}

static void add(struct pg_findings *out, enum pg_finding_kind kind, uint32_t container,
                const struct pg_node *node)
{
    struct pg_finding finding = {
        .check = PG_CHECK_RUN_AS_USER,
        .kind = kind,
        .container = container,
        .number = 0,
        .value = PG_STR_LIT("0"),
        .name = PG_STR_LIT(""),
        .node = node,
    };
    pg_findings_add(out, &finding);
}

void pg_check_run_as_user_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor)
{
    size_t i = 0;
    if (pg_check_user_namespace(pod, minor)) {
        return;
    }
    if (is_root(&pod->sc.run_as_user)) {
        add(out, PG_FIND_POD_VALUE, PG_FINDING_POD, pod->sc.run_as_user.node);
    }
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_int_field *run_as_user = &pod->containers[i].sc.run_as_user;
        if (is_root(run_as_user)) {
            add(out, PG_FIND_CONTAINER_VALUE, (uint32_t)i, run_as_user->node);
        }
    }
}

void pg_check_run_as_user_render(struct pg_buf *reason, struct pg_buf *detail,
                                 const struct pg_check_view *view)
{
    struct pg_text_list containers;
    pg_text_put_reason(reason, PG_STR_LIT("runAsUser=0"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    pg_text_put_setters(detail, pg_text_has_pod(view, PG_KINDS_ALL), view->pod, &containers);
    PG_BUF_PUT_LIT(detail, " must not set runAsUser=0");
    pg_text_list_release(&containers);
}
