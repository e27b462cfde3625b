/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The check registry: one const row per upstream check (spec §2.1), indexed
 * by enum pg_check_id, which is upstream's evaluation order. Which checks run
 * at a level:version is derived from these rows by pg_checks_for.
 */
#include "checks/checks.h"

#define NO_OVERRIDE false, PG_CHECK_COUNT, 0

const struct pg_check_info pg_checks_registry[PG_CHECK_COUNT] = {
    [PG_CHECK_APP_ARMOR_PROFILE] = {"appArmorProfile", PG_LEVEL_BASELINE, 0,
                                    pg_check_app_armor_profile_judge,
                                    pg_check_app_armor_profile_render, NO_OVERRIDE},
    [PG_CHECK_CAPABILITIES_BASELINE] = {"capabilities_baseline", PG_LEVEL_BASELINE, 0,
                                        pg_check_capabilities_baseline_judge,
                                        pg_check_capabilities_baseline_render, NO_OVERRIDE},
    [PG_CHECK_HOST_NAMESPACES] = {"hostNamespaces", PG_LEVEL_BASELINE, 0,
                                  pg_check_host_namespaces_judge, pg_check_host_namespaces_render,
                                  NO_OVERRIDE},
    [PG_CHECK_HOST_PATH_VOLUMES] = {"hostPathVolumes", PG_LEVEL_BASELINE, 0,
                                    pg_check_host_path_volumes_judge,
                                    pg_check_host_path_volumes_render, NO_OVERRIDE},
    [PG_CHECK_HOST_PORTS] = {"hostPorts", PG_LEVEL_BASELINE, 0, pg_check_host_ports_judge,
                             pg_check_host_ports_render, NO_OVERRIDE},
    [PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE] = {"hostProbesAndHostLifecycle", PG_LEVEL_BASELINE,
                                                 34, pg_check_host_probes_judge,
                                                 pg_check_host_probes_render, NO_OVERRIDE},
    [PG_CHECK_PRIVILEGED] = {"privileged", PG_LEVEL_BASELINE, 0, pg_check_privileged_judge,
                             pg_check_privileged_render, NO_OVERRIDE},
    [PG_CHECK_PROC_MOUNT] = {"procMount", PG_LEVEL_BASELINE, 0, pg_check_proc_mount_judge,
                             pg_check_proc_mount_render, NO_OVERRIDE},
    [PG_CHECK_SE_LINUX_OPTIONS] = {"seLinuxOptions", PG_LEVEL_BASELINE, 0,
                                   pg_check_se_linux_options_judge,
                                   pg_check_se_linux_options_render, NO_OVERRIDE},
    [PG_CHECK_SECCOMP_PROFILE_BASELINE] = {"seccompProfile_baseline", PG_LEVEL_BASELINE, 0,
                                           pg_check_seccomp_baseline_judge,
                                           pg_check_seccomp_baseline_render, NO_OVERRIDE},
    [PG_CHECK_SYSCTLS] = {"sysctls", PG_LEVEL_BASELINE, 0, pg_check_sysctls_judge,
                          pg_check_sysctls_render, NO_OVERRIDE},
    [PG_CHECK_WINDOWS_HOST_PROCESS] = {"windowsHostProcess", PG_LEVEL_BASELINE, 0,
                                       pg_check_windows_host_process_judge,
                                       pg_check_windows_host_process_render, NO_OVERRIDE},
    [PG_CHECK_ALLOW_PRIVILEGE_ESCALATION] = {"allowPrivilegeEscalation", PG_LEVEL_RESTRICTED, 8,
                                             pg_check_allow_privilege_escalation_judge,
                                             pg_check_allow_privilege_escalation_render,
                                             NO_OVERRIDE},
    [PG_CHECK_CAPABILITIES_RESTRICTED] = {"capabilities_restricted", PG_LEVEL_RESTRICTED, 22,
                                          pg_check_capabilities_restricted_judge,
                                          pg_check_capabilities_restricted_render, true,
                                          PG_CHECK_CAPABILITIES_BASELINE, 22},
    [PG_CHECK_PROC_MOUNT_RESTRICTED] = {"procMount_restricted", PG_LEVEL_RESTRICTED, 35,
                                        pg_check_proc_mount_restricted_judge,
                                        pg_check_proc_mount_restricted_render, true,
                                        PG_CHECK_PROC_MOUNT, 35},
    [PG_CHECK_RESTRICTED_VOLUMES] = {"restrictedVolumes", PG_LEVEL_RESTRICTED, 0,
                                     pg_check_restricted_volumes_judge,
                                     pg_check_restricted_volumes_render, true,
                                     PG_CHECK_HOST_PATH_VOLUMES, 0},
    [PG_CHECK_RUN_AS_NON_ROOT] = {"runAsNonRoot", PG_LEVEL_RESTRICTED, 0,
                                  pg_check_run_as_non_root_judge, pg_check_run_as_non_root_render,
                                  NO_OVERRIDE},
    [PG_CHECK_RUN_AS_USER] = {"runAsUser", PG_LEVEL_RESTRICTED, 23, pg_check_run_as_user_judge,
                              pg_check_run_as_user_render, NO_OVERRIDE},
    [PG_CHECK_SECCOMP_PROFILE_RESTRICTED] = {"seccompProfile_restricted", PG_LEVEL_RESTRICTED, 19,
                                             pg_check_seccomp_restricted_judge,
                                             pg_check_seccomp_restricted_render, true,
                                             PG_CHECK_SECCOMP_PROFILE_BASELINE, 19},
};

const struct pg_check_info *pg_checks_info(enum pg_check_id id)
{
    if ((unsigned)id >= PG_CHECK_COUNT) {
        return NULL;
    }
    return &pg_checks_registry[id];
}
