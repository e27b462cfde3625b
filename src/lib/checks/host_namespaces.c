/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostNamespaces (baseline, v1.0; spec §3.5): spec.hostNetwork, hostPID and
 * hostIPC must not be true. One finding per true field, in that order.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_host_namespaces_judge(struct pg_findings *out, const struct pg_pod *pod,
                                    unsigned minor)
{
    (void)minor;
    if (pod->host_network.node != NULL && pod->host_network.value) {
        pg_check_add(out, PG_CHECK_HOST_NAMESPACES, PG_FIND_HOST_NAMESPACE, PG_FINDING_POD,
                     PG_STR_LIT("hostNetwork"), pod->host_network.node);
    }
    if (pod->host_pid.node != NULL && pod->host_pid.value) {
        pg_check_add(out, PG_CHECK_HOST_NAMESPACES, PG_FIND_HOST_NAMESPACE, PG_FINDING_POD,
                     PG_STR_LIT("hostPID"), pod->host_pid.node);
    }
    if (pod->host_ipc.node != NULL && pod->host_ipc.value) {
        pg_check_add(out, PG_CHECK_HOST_NAMESPACES, PG_FIND_HOST_NAMESPACE, PG_FINDING_POD,
                     PG_STR_LIT("hostIPC"), pod->host_ipc.node);
    }
}

static bool has_field(const struct pg_check_view *view, struct pg_str field)
{
    size_t cursor = 0;
    const struct pg_finding *finding = NULL;
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        if (finding->value.len == field.len &&
            memcmp(finding->value.ptr, field.ptr, field.len) == 0) {
            return true;
        }
    }
    return false;
}

void pg_check_host_namespaces_render(struct pg_buf *reason, struct pg_buf *detail,
                                     const struct pg_check_view *view)
{
    /* Always hostNetwork, hostPID, hostIPC, whatever order the findings are in. */
    static const struct pg_str fields[] = {
        {"hostNetwork", sizeof("hostNetwork") - 1},
        {"hostPID", sizeof("hostPID") - 1},
        {"hostIPC", sizeof("hostIPC") - 1},
    };
    bool first = true;
    size_t i = 0;
    pg_text_put_reason(reason, PG_STR_LIT("host namespaces"));
    if (detail == NULL) {
        return;
    }
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (!has_field(view, fields[i])) {
            continue;
        }
        if (!first) {
            PG_BUF_PUT_LIT(detail, ", ");
        }
        pg_buf_put_str(detail, fields[i]);
        PG_BUF_PUT_LIT(detail, "=true");
        first = false;
    }
}
