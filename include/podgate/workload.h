/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Workloads: which Kubernetes objects carry a pod template and where (spec
 * §6.3), and the object's identity (apiVersion, kind, namespace, name).
 */
#ifndef PODGATE_WORKLOAD_H
#define PODGATE_WORKLOAD_H

#include "podgate/common.h"
#include "podgate/doc.h"

enum pg_workload_kind {
    PG_KIND_POD,
    PG_KIND_POD_TEMPLATE,
    PG_KIND_REPLICATION_CONTROLLER,
    PG_KIND_REPLICA_SET,
    PG_KIND_DEPLOYMENT,
    PG_KIND_STATEFUL_SET,
    PG_KIND_DAEMON_SET,
    PG_KIND_JOB,
    PG_KIND_CRON_JOB,
};

/* Identity of any Kubernetes object; strings are empty when absent. */
struct pg_object_ref {
    const struct pg_node *node;
    struct pg_str api_version;
    struct pg_str kind;
    struct pg_str namespace_;
    struct pg_str name;
    const struct pg_node *labels; /* metadata.labels map, or NULL */
};

/* A workload and where its pod (template) lives. */
struct pg_workload {
    enum pg_workload_kind kind;
    struct pg_object_ref ref;
    const struct pg_node *pod_metadata; /* template metadata (or the Pod's), may be NULL */
    const struct pg_node *pod_spec;     /* may be NULL */
    const char *spec_path;              /* static: "spec", "spec.template.spec", … */
    bool has_template;                  /* false for a ReplicationController without one */
};

/*
 * Read an object's identity. Fails with PG_ETYPE (position and path in err)
 * when apiVersion, kind, metadata, name or namespace have the wrong type.
 */
PG_API int pg_object_ref_read(struct pg_object_ref *out, const struct pg_node *object,
                              struct pg_error *err);

/*
 * What a typed list says of its items: `PodList` holds objects of kind `Pod`, of the list's
 * apiVersion (*api_version_out: ptr NULL when that is not a string). False for `List`, which
 * holds anything (its items say what they are), and for anything not named `*List`.
 */
PG_API bool pg_list_item_type(struct pg_str *kind_out, struct pg_str *api_version_out,
                              const struct pg_node *list);

/*
 * pg_object_ref_read for an item of `list` (may be NULL): an item without apiVersion or kind
 * takes the List's, as kubectl decodes a typed list (a PodList's items are Pods, and the API
 * server leaves their kind out).
 */
PG_API int pg_object_ref_read_item(struct pg_object_ref *out, const struct pg_node *item,
                                   const struct pg_node *list, struct pg_error *err);

/*
 * Recognise a workload. Returns 1 and fills `out` for one of the nine kinds in
 * its API group (core v1, apps, extensions/v1beta1, batch); 0 for any
 * other object (skipped silently); PG_ETYPE when a field on the way to the
 * template has the wrong type.
 */
PG_API int pg_workload_identify(struct pg_workload *out, const struct pg_node *object,
                                struct pg_error *err);

/* pg_workload_identify for an item of `list` (may be NULL), typed as pg_object_ref_read_item. */
PG_API int pg_workload_identify_item(struct pg_workload *out, const struct pg_node *item,
                                     const struct pg_node *list, struct pg_error *err);

/* True when the object is a `List` or `*List` with an `items` sequence. */
PG_API bool pg_object_is_list(const struct pg_node *object);

/* "Pod", "Deployment", … */
PG_API const char *pg_workload_kind_name(enum pg_workload_kind kind);

#endif
