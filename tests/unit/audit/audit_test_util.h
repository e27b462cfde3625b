/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the audit tests: run a whole audit over a text (YAML or JSON) with optional
 * what-ifs, find a namespace's results, and the pod specs the tests combine.
 */
#ifndef PG_TEST_AUDIT_UTIL_H
#define PG_TEST_AUDIT_UTIL_H

#include "podgate/audit.h"

#include <string.h>

/* Passes restricted at every version. */
#define SPEC_RESTRICTED                                                                            \
    "{securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}, "             \
    "containers: [{name: app, image: app, securityContext: {allowPrivilegeEscalation: false, "     \
    "capabilities: {drop: [ALL]}}}]}"
/* Passes baseline, fails restricted everywhere. */
#define SPEC_BASELINE "{containers: [{name: app, image: app}]}"
/* Fails baseline. */
#define SPEC_PRIVILEGED                                                                            \
    "{hostNetwork: true, containers: [{name: app, image: app, securityContext: "                   \
    "{privileged: true}}]}"
/* Passes restricted up to v1.22; runAsUser=0 fails it from v1.23. */
#define SPEC_ROOT_UID                                                                              \
    "{securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}, "             \
    "containers: [{name: app, image: app, securityContext: {runAsUser: 0, "                        \
    "allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}"

#define POD(ns, name, spec)                                                                        \
    "---\n{apiVersion: v1, kind: Pod, metadata: {name: " name ", namespace: " ns "}, spec: " spec  \
    "}\n"
#define OWNED_POD(ns, name, owner_kind, spec)                                                      \
    "---\n{apiVersion: v1, kind: Pod, metadata: {name: " name ", namespace: " ns                   \
    ", ownerReferences: [{apiVersion: apps/v1, kind: " owner_kind ", name: o, uid: u, "            \
    "controller: true}]}, spec: " spec "}\n"
#define DEPLOYMENT(ns, name, spec)                                                                 \
    "---\n{apiVersion: apps/v1, kind: Deployment, metadata: {name: " name ", namespace: " ns       \
    "}, spec: {template: {spec: " spec "}}}\n"
#define NAMESPACE(name, labels)                                                                    \
    "---\n{apiVersion: v1, kind: Namespace, metadata: {name: " name ", labels: " labels "}}\n"

/*
 * An audit of `text` fed in one write as `format`, its items typed as `api_version` `kind`
 * when both are given (else as the input says), with `what_if`; the caller frees it.
 */
static inline struct pg_audit *audit_feed_text(const char *text, enum pg_doc_format format,
                                               const char *api_version, const char *kind,
                                               const struct pg_audit_what_if *what_if,
                                               size_t what_if_len)
{
    struct pg_audit_options options;
    struct pg_audit *audit = NULL;
    struct pg_audit_feed *feed = NULL;
    pg_audit_options_default(&options);
    options.what_if = what_if;
    options.what_if_len = what_if_len;
    if (pg_audit_new(&audit, &options, NULL) != 0 ||
        pg_audit_feed_new(&feed, audit, "test", format, NULL) != 0) {
        pg_audit_free(audit);
        return NULL;
    }
    pg_audit_feed_set_item_type(feed, api_version, kind);
    pg_audit_feed_write(feed, text, strlen(text));
    pg_audit_feed_end(feed);
    pg_audit_feed_free(feed);
    pg_audit_finish(audit);
    return audit;
}

static inline struct pg_audit *audit_run(const char *text, const struct pg_audit_what_if *what_if,
                                         size_t what_if_len)
{
    return audit_feed_text(text, PG_FORMAT_AUTO, NULL, NULL, what_if, what_if_len);
}

static inline const struct pg_audit_namespace *audit_ns(const struct pg_audit *audit,
                                                        const char *name)
{
    for (size_t i = 0; audit != NULL && i < pg_audit_namespace_count(audit); i++) {
        if (strcmp(pg_audit_namespace_at(audit, i)->name, name) == 0) {
            return pg_audit_namespace_at(audit, i);
        }
    }
    return NULL;
}

#endif
