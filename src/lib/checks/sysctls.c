/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sysctls (baseline; allow-lists at v1.0, v1.27, v1.29, v1.32, v1.37; spec
 * §3.18): every spec.securityContext.sysctls[*].name must be on the list of
 * the evaluated version. Names match exactly; values are ignored.
 */
#include "checks/checks.h"
#include "checks/text.h"

struct allowed_sysctl {
    const char *name;
    unsigned since_minor;
};

static const struct allowed_sysctl allowed_sysctls[] = {
    {"kernel.shm_rmid_forced", 0},
    {"net.ipv4.ip_local_port_range", 0},
    {"net.ipv4.tcp_syncookies", 0},
    {"net.ipv4.ping_group_range", 0},
    {"net.ipv4.ip_unprivileged_port_start", 0},
    {"net.ipv4.ip_local_reserved_ports", 27},
    {"net.ipv4.tcp_keepalive_time", 29},
    {"net.ipv4.tcp_fin_timeout", 29},
    {"net.ipv4.tcp_keepalive_intvl", 29},
    {"net.ipv4.tcp_keepalive_probes", 29},
    {"net.ipv4.tcp_rmem", 32},
    {"net.ipv4.tcp_wmem", 32},
    {"net.ipv4.tcp_slow_start_after_idle", 37},
    {"net.ipv4.tcp_notsent_lowat", 37},
};

static bool allowed(struct pg_str name, unsigned minor)
{
    size_t i = 0;
    for (i = 0; i < sizeof(allowed_sysctls) / sizeof(allowed_sysctls[0]); i++) {
        if (allowed_sysctls[i].since_minor <= minor &&
            pg_check_str_eq(name, allowed_sysctls[i].name)) {
            return true;
        }
    }
    return false;
}

void pg_check_sysctls_judge(struct pg_findings *out, const struct pg_pod *pod, unsigned minor)
{
    size_t i = 0;
    for (i = 0; i < pod->sysctls_len; i++) {
        const struct pg_sysctl *sysctl = &pod->sysctls[i];
        if (!allowed(sysctl->name, minor)) {
            pg_check_add(out, PG_CHECK_SYSCTLS, PG_FIND_SYSCTL, PG_FINDING_POD, sysctl->name,
                         sysctl->node);
        }
    }
}

void pg_check_sysctls_render(struct pg_buf *reason, struct pg_buf *detail,
                             const struct pg_check_view *view)
{
    size_t cursor = 0;
    bool first = true;
    const struct pg_finding *finding = NULL;
    pg_text_put_reason(reason, PG_STR_LIT("forbidden sysctls"));
    if (detail == NULL) {
        return;
    }
    /* Array order, not sorted, not de-duplicated, not quoted (spec §11.9). */
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        if (!first) {
            PG_BUF_PUT_LIT(detail, ", ");
        }
        pg_buf_put_str(detail, finding->value);
        first = false;
    }
}
