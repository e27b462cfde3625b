/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capabilities_baseline (baseline, v1.0; replaced at restricted from v1.22;
 * spec §3.3): securityContext.capabilities.add may only name capabilities of
 * the container runtime's default set, spelled exactly (no CAP_ prefix, no
 * lower case). One finding per forbidden add entry; drop is ignored.
 */
#include "checks/checks.h"
#include "checks/text.h"

static const char *const default_capabilities[] = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",       "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT",
};

static bool is_default(struct pg_str capability)
{
    size_t i = 0;
    for (i = 0; i < sizeof(default_capabilities) / sizeof(default_capabilities[0]); i++) {
        if (pg_check_str_eq(capability, default_capabilities[i])) {
            return true;
        }
    }
    return false;
}

void pg_check_capabilities_baseline_judge(struct pg_findings *out, const struct pg_pod *pod,
                                          unsigned minor)
{
    size_t i = 0;
    size_t a = 0;
    (void)minor;
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_container *container = &pod->containers[i];
        for (a = 0; a < container->caps_add_len; a++) {
            const struct pg_str_field *capability = &container->caps_add[a];
            if (!is_default(capability->value)) {
                pg_check_add(out, PG_CHECK_CAPABILITIES_BASELINE, PG_FIND_CONTAINER_VALUE,
                             (uint32_t)i, capability->value,
                             pg_check_node_or(capability->node, container->capabilities));
            }
        }
    }
}

void pg_check_capabilities_baseline_render(struct pg_buf *reason, struct pg_buf *detail,
                                           const struct pg_check_view *view)
{
    struct pg_text_list containers;
    struct pg_text_list capabilities;
    pg_text_put_reason(reason, PG_STR_LIT("non-default capabilities"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_list_init(&capabilities);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    pg_text_collect_values(&capabilities, view, PG_KINDS_ALL);
    pg_text_put_containers(detail, view->pod, &containers);
    PG_BUF_PUT_LIT(detail, " must not include ");
    pg_text_put_quote_list(detail, &capabilities);
    PG_BUF_PUT_LIT(detail, " in securityContext.capabilities.add");
    pg_text_list_release(&capabilities);
    pg_text_list_release(&containers);
}
