/* SPDX-License-Identifier: Apache-2.0 */
/* Documentation of the 19 checks, written from the Pod Security Standards spec. */
#include "podgate/checkdoc.h"

static const struct pg_check_doc DOCS[PG_CHECK_COUNT] = {
    [PG_CHECK_APP_ARMOR_PROFILE] =
        {"AppArmor profile must not be disabled or overridden",
         "AppArmor profile types, if set, must be RuntimeDefault or Localhost; AppArmor "
         "annotations, if set, must be empty, runtime/default or localhost/*.",
         "spec.securityContext.appArmorProfile.type, containers[*].securityContext."
         "appArmorProfile.type, metadata.annotations[container.apparmor.security.beta."
         "kubernetes.io/*]",
         "baseline from v1.0 (the field checks apply to every version)",
         "Remove the Unconfined profile, or set appArmorProfile.type: RuntimeDefault."},
    [PG_CHECK_CAPABILITIES_BASELINE] =
        {"Adding capabilities beyond the default set is forbidden",
         "securityContext.capabilities.add may only list AUDIT_WRITE, CHOWN, DAC_OVERRIDE, "
         "FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, "
         "SYS_CHROOT.",
         "containers[*].securityContext.capabilities.add",
         "baseline from v1.0; at restricted replaced by capabilities_restricted from v1.22",
         "Remove the extra capabilities from securityContext.capabilities.add."},
    [PG_CHECK_HOST_NAMESPACES] = {"Sharing the host namespaces is forbidden",
                                  "hostNetwork, hostPID and hostIPC must be unset or false.",
                                  "spec.hostNetwork, spec.hostPID, spec.hostIPC",
                                  "baseline from v1.0",
                                  "Remove hostNetwork/hostPID/hostIPC or set them to false."},
    [PG_CHECK_HOST_PATH_VOLUMES] =
        {"hostPath volumes are forbidden", "No volume may use hostPath.",
         "spec.volumes[*].hostPath",
         "baseline from v1.0; at restricted replaced by restrictedVolumes",
         "Replace the hostPath volume with a persistentVolumeClaim, configMap, secret or "
         "emptyDir."},
    [PG_CHECK_HOST_PORTS] = {"Host ports are forbidden",
                             "Container ports must not set a non-zero hostPort.",
                             "containers[*].ports[*].hostPort", "baseline from v1.0",
                             "Remove hostPort and expose the port through a Service."},
    [PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE] =
        {"Probes and lifecycle hooks must not target other hosts",
         "httpGet.host and tcpSocket.host of probes and lifecycle handlers must be unset.",
         "containers[*].{liveness,readiness,startup}Probe.{httpGet,tcpSocket}.host, "
         "containers[*].lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host",
         "baseline from v1.34", "Remove the host field; probes then target the pod's own IP."},
    [PG_CHECK_PRIVILEGED] =
        {"Privileged containers are forbidden",
         "securityContext.privileged must be unset or false.",
         "containers[*].securityContext.privileged", "baseline from v1.0",
         "Remove securityContext.privileged or set it to false; grant specific capabilities "
         "instead."},
    [PG_CHECK_PROC_MOUNT] =
        {"The default /proc mask must be kept",
         "securityContext.procMount must be unset or Default.",
         "containers[*].securityContext.procMount, spec.hostUsers",
         "baseline from v1.0; from v1.35 pods with hostUsers: false are exempt; at "
         "restricted replaced by procMount_restricted from v1.35",
         "Remove securityContext.procMount or set it to Default."},
    [PG_CHECK_SE_LINUX_OPTIONS] =
        {"Custom SELinux options are forbidden",
         "seLinuxOptions.type must be empty or an allowed container type; user and role must "
         "be unset.",
         "spec.securityContext.seLinuxOptions, containers[*].securityContext.seLinuxOptions",
         "baseline from v1.0; container_engine_t is allowed from v1.31",
         "Remove seLinuxOptions.user/role and use container_t (or leave type empty)."},
    [PG_CHECK_SECCOMP_PROFILE_BASELINE] =
        {"Seccomp must not be explicitly disabled",
         "Seccomp profile types, if set, must be RuntimeDefault or Localhost (before v1.19: "
         "the seccomp annotations must be runtime/default, docker/default or localhost/*).",
         "spec.securityContext.seccompProfile.type, containers[*].securityContext."
         "seccompProfile.type (v1.0-v1.18: seccomp annotations)",
         "baseline: annotations v1.0-v1.18, fields from v1.19; at restricted replaced by "
         "seccompProfile_restricted from v1.19",
         "Set seccompProfile.type: RuntimeDefault instead of Unconfined."},
    [PG_CHECK_SYSCTLS] = {"Only safe sysctls may be set",
                          "spec.securityContext.sysctls may only name sysctls from the safe set.",
                          "spec.securityContext.sysctls[*].name",
                          "baseline from v1.0; the safe set grows at v1.27, v1.29, v1.32 and v1.37",
                          "Remove the unsafe sysctl, or set it on the node instead."},
    [PG_CHECK_WINDOWS_HOST_PROCESS] =
        {"Windows HostProcess containers are forbidden",
         "windowsOptions.hostProcess must be unset or false.",
         "spec.securityContext.windowsOptions.hostProcess, containers[*].securityContext."
         "windowsOptions.hostProcess",
         "baseline from v1.0", "Remove windowsOptions.hostProcess or set it to false."},
    [PG_CHECK_ALLOW_PRIVILEGE_ESCALATION] =
        {"Privilege escalation must be disallowed",
         "Every container must set securityContext.allowPrivilegeEscalation: false.",
         "containers[*].securityContext.allowPrivilegeEscalation, spec.os.name",
         "restricted from v1.8; Windows pods are exempt from v1.25",
         "Set securityContext.allowPrivilegeEscalation: false on every container."},
    [PG_CHECK_CAPABILITIES_RESTRICTED] =
        {"Containers must drop ALL capabilities and add only NET_BIND_SERVICE",
         "Every container must drop ALL and may add only NET_BIND_SERVICE.",
         "containers[*].securityContext.capabilities.{drop,add}, spec.os.name",
         "restricted from v1.22; Windows pods are exempt from v1.25",
         "Set securityContext.capabilities.drop: [\"ALL\"] and add back only "
         "NET_BIND_SERVICE if needed."},
    [PG_CHECK_PROC_MOUNT_RESTRICTED] =
        {"The default /proc mask must be kept, even in user namespaces",
         "securityContext.procMount must be unset or Default.",
         "containers[*].securityContext.procMount", "restricted from v1.35",
         "Remove securityContext.procMount or set it to Default."},
    [PG_CHECK_RESTRICTED_VOLUMES] =
        {"Only non-host volume types are allowed",
         "Volumes must be configMap, csi, downwardAPI, emptyDir, ephemeral, image, "
         "persistentVolumeClaim, projected or secret.",
         "spec.volumes[*]", "restricted from v1.0",
         "Replace the volume with a persistentVolumeClaim or one of the allowed types."},
    [PG_CHECK_RUN_AS_NON_ROOT] =
        {"Containers must run as non-root",
         "runAsNonRoot must be true at the pod level or in every container, and never false.",
         "spec.securityContext.runAsNonRoot, containers[*].securityContext.runAsNonRoot, "
         "spec.hostUsers",
         "restricted from v1.0; from v1.35 pods with hostUsers: false are exempt",
         "Set spec.securityContext.runAsNonRoot: true and run the image as a non-zero UID."},
    [PG_CHECK_RUN_AS_USER] =
        {"Containers must not run as UID 0", "runAsUser must not be 0.",
         "spec.securityContext.runAsUser, containers[*].securityContext.runAsUser, "
         "spec.hostUsers",
         "restricted from v1.23; from v1.35 pods with hostUsers: false are exempt",
         "Set runAsUser to a non-zero UID, or remove it and set runAsNonRoot: true."},
    [PG_CHECK_SECCOMP_PROFILE_RESTRICTED] =
        {"A seccomp profile must be set",
         "The pod or every container must set seccompProfile.type to RuntimeDefault or "
         "Localhost.",
         "spec.securityContext.seccompProfile.type, containers[*].securityContext."
         "seccompProfile.type, spec.os.name",
         "restricted from v1.19; Windows pods are exempt from v1.25",
         "Set spec.securityContext.seccompProfile.type: RuntimeDefault."},
};

const struct pg_check_doc *pg_check_doc(enum pg_check_id id)
{
    if ((int)id < 0 || id >= PG_CHECK_COUNT) {
        return NULL;
    }
    return &DOCS[id];
}

bool pg_check_doc_range(unsigned *first_out, unsigned *last_out, enum pg_check_id id,
                        enum pg_level level)
{
    bool found = false;
    if ((int)id < 0 || id >= PG_CHECK_COUNT) {
        return false;
    }
    for (unsigned minor = 0; minor <= PG_MAX_MINOR; minor++) {
        if ((pg_checks_for(level, minor) & ((pg_check_set)1 << id)) == 0) {
            continue;
        }
        if (!found) {
            *first_out = minor;
            found = true;
        }
        *last_out = minor;
    }
    return found;
}
