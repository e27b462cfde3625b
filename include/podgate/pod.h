/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pod model: the fields the Pod Security checks read, extracted once from
 * a document tree and type-checked, each with the node it came from (for
 * locations). Checks judge this model, never the raw tree.
 *
 * A field is set when its `node` is non-NULL. An explicit null in the input is
 * the same as absent (node NULL); an empty object `{}` is set.
 */
#ifndef PODGATE_POD_H
#define PODGATE_POD_H

#include "podgate/common.h"
#include "podgate/doc.h"
#include "podgate/limits.h"

struct pg_bool_field {
    const struct pg_node *node;
    bool value;
};

struct pg_int_field {
    const struct pg_node *node;
    int64_t value;
};

struct pg_str_field {
    const struct pg_node *node;
    struct pg_str value;
};

/* seLinuxOptions, seccompProfile, appArmorProfile: the object and the strings read from it. */
struct pg_selinux_field {
    const struct pg_node *node; /* the seLinuxOptions object; NULL when unset */
    struct pg_str_field type;
    struct pg_str_field user;
    struct pg_str_field role;
};

struct pg_profile_field {
    const struct pg_node *node; /* the seccompProfile/appArmorProfile object */
    struct pg_str_field type;
};

/* The parts of a securityContext shared by pods and containers. */
struct pg_security_common {
    struct pg_bool_field run_as_non_root;
    struct pg_int_field run_as_user;
    struct pg_selinux_field se_linux_options;
    struct pg_profile_field seccomp_profile;
    struct pg_profile_field app_armor_profile;
    struct pg_bool_field host_process; /* windowsOptions.hostProcess */
};

struct pg_port {
    const struct pg_node *node; /* the port entry */
    struct pg_int_field host_port;
    struct pg_int_field container_port; /* read only when it defaults hostPort */
    bool host_port_defaulted;           /* hostPort filled in from containerPort (hostNetwork) */
};

/* A probe or lifecycle handler host: httpGet.host or tcpSocket.host. */
struct pg_probe_host {
    struct pg_str_field host;
};

enum pg_container_list {
    PG_CONTAINERS_INIT,
    PG_CONTAINERS_REGULAR,
    PG_CONTAINERS_EPHEMERAL,
};

struct pg_container {
    const struct pg_node *node;
    enum pg_container_list list;
    size_t list_index; /* index in its own list */
    struct pg_str name;
    struct pg_str image;
    const struct pg_node *security_context; /* NULL when unset */
    struct pg_security_common sc;
    struct pg_bool_field privileged;
    struct pg_bool_field allow_privilege_escalation;
    const struct pg_node *capabilities; /* NULL when unset */
    struct pg_str_field *caps_add;
    size_t caps_add_len;
    struct pg_str_field *caps_drop;
    size_t caps_drop_len;
    const struct pg_node *caps_drop_list; /* the drop list itself, NULL when unset */
    struct pg_str_field proc_mount;
    struct pg_port *ports;
    size_t ports_len;
    /* liveness, readiness, startup probes, postStart, preStop; httpGet then tcpSocket each */
    struct pg_probe_host probe_hosts[10];
};

/* The volume sources restrictedVolumes knows, in upstream's label order after the allowed ones. */
enum pg_volume_source {
    PG_VOL_CONFIG_MAP,
    PG_VOL_CSI,
    PG_VOL_DOWNWARD_API,
    PG_VOL_EMPTY_DIR,
    PG_VOL_EPHEMERAL,
    PG_VOL_IMAGE,
    PG_VOL_PERSISTENT_VOLUME_CLAIM,
    PG_VOL_PROJECTED,
    PG_VOL_SECRET,
    PG_VOL_FIRST_RESTRICTED,
    PG_VOL_HOST_PATH = PG_VOL_FIRST_RESTRICTED,
    PG_VOL_GCE_PERSISTENT_DISK,
    PG_VOL_AWS_ELASTIC_BLOCK_STORE,
    PG_VOL_GIT_REPO,
    PG_VOL_NFS,
    PG_VOL_ISCSI,
    PG_VOL_GLUSTERFS,
    PG_VOL_RBD,
    PG_VOL_FLEX_VOLUME,
    PG_VOL_CINDER,
    PG_VOL_CEPHFS,
    PG_VOL_FLOCKER,
    PG_VOL_FC,
    PG_VOL_AZURE_FILE,
    PG_VOL_VSPHERE_VOLUME,
    PG_VOL_QUOBYTE,
    PG_VOL_AZURE_DISK,
    PG_VOL_PHOTON_PERSISTENT_DISK,
    PG_VOL_PORTWORX_VOLUME,
    PG_VOL_SCALE_IO,
    PG_VOL_STORAGEOS,
    PG_VOL_SOURCE_COUNT,
};

/* JSON field name of a volume source ("hostPath"). */
PG_API const char *pg_volume_source_name(enum pg_volume_source source);

struct pg_volume {
    const struct pg_node *node;
    struct pg_str name;
    uint64_t sources;                /* bit per enum pg_volume_source that is set */
    const struct pg_node *host_path; /* the hostPath node, for locations */
    bool defaulted_empty_dir;        /* no source at all; the API server makes it emptyDir */
};

struct pg_annotation {
    struct pg_str key;
    struct pg_str value;
    const struct pg_node *node;
};

struct pg_sysctl {
    const struct pg_node *node;
    struct pg_str name;
};

/*
 * A pod (or pod template) as the checks see it. `containers` is in visiting
 * order: init, regular, ephemeral (spec §1.4).
 */
struct pg_pod {
    const struct pg_node *metadata; /* may be NULL */
    const struct pg_node *spec;     /* may be NULL */
    struct pg_annotation *annotations;
    size_t annotations_len;
    struct pg_bool_field host_network;
    struct pg_bool_field host_pid;
    struct pg_bool_field host_ipc;
    struct pg_bool_field host_users;
    struct pg_str_field os_name;
    struct pg_str_field runtime_class_name;
    const struct pg_node *security_context;
    struct pg_security_common sc;
    struct pg_sysctl *sysctls;
    size_t sysctls_len;
    struct pg_volume *volumes;
    size_t volumes_len;
    struct pg_container *containers;
    size_t containers_len;
    struct pg_str spec_path; /* field path of the pod spec, e.g. "spec.template.spec" */
};

struct pg_pod_options {
    /* Apply API-server defaulting that changes verdicts (scanner, not admission). */
    bool apply_defaults;
    /* The object is a Pod (not a template): hostNetwork defaults hostPorts. */
    bool is_pod;
    /* An integer field may hold a whole-valued float (80.0, 8e1): kubectl converts a manifest
       to JSON through float64 and sends it as 80 (scanner, not admission: the API server's
       own JSON always holds integers). */
    bool whole_floats_are_integers;
};

/*
 * Extract the pod model from a pod's (or template's) `metadata` and `spec`
 * nodes (either may be NULL). `spec_path` names where spec lives, for field
 * paths in errors and locations. Arrays are allocated in `arena`; node
 * pointers borrow from the tree. Returns 0, PG_ETYPE (a field has the wrong
 * type; err has its position and path) or PG_ELIMIT (too many items).
 */
PG_API int pg_pod_extract(struct pg_pod *out, struct pg_arena *arena,
                          const struct pg_node *metadata, const struct pg_node *spec,
                          const char *spec_path, const struct pg_pod_options *options,
                          const struct pg_limits *limits, struct pg_error *err);

/* Write the field path of a container ("spec.initContainers[0]") into buf; returns length. */
PG_API size_t pg_pod_container_path(char *buf, size_t size, const struct pg_pod *pod,
                                    size_t container_index);

#endif
