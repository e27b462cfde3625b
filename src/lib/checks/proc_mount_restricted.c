/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procMount_restricted (restricted, v1.35; replaces procMount; spec §3.11):
 * the strict v1.0 procMount rule, which ignores hostUsers, with the same
 * reason and detail as procMount.
 */
#include "checks/checks.h"

void pg_check_proc_mount_restricted_judge(struct pg_findings *out, const struct pg_pod *pod,
                                          unsigned minor)
{
    (void)minor;
    pg_check_proc_mount_strict(out, pod, PG_CHECK_PROC_MOUNT_RESTRICTED);
}

void pg_check_proc_mount_restricted_render(struct pg_buf *reason, struct pg_buf *detail,
                                           const struct pg_check_view *view)
{
    pg_check_proc_mount_render(reason, detail, view);
}
