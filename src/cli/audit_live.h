/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate audit` without -f: read the objects the audit judges from the Kubernetes API server
 * into an audit, one page of one resource at a time. See audit_live.c.
 */
#ifndef PG_CLI_AUDIT_LIVE_H
#define PG_CLI_AUDIT_LIVE_H

#include "podgate/audit.h"

#include <stddef.h>

struct pg_audit_live_options {
    const char *kubeconfig; /* --kubeconfig, or NULL to look where kubectl looks */
    const char *context;    /* --context, or NULL for the kubeconfig's current-context */
    size_t chunk_size;      /* objects per page (`limit`); 0 lists each resource at once */
};

/*
 * List every resource into `audit` (not finished). Returns 0 when the cluster could be read:
 * resources that could not be listed (forbidden, paging expired) are diagnostics in the audit
 * and warnings on stderr. Returns -1, the reason printed on stderr, when there is nothing to
 * report: no usable configuration, the server unreachable, TLS failing, the credentials
 * refused, or no resource listed at all. Progress goes to stderr on a terminal.
 */
int pg_audit_live_read(struct pg_audit *audit, const struct pg_audit_live_options *options);

/*
 * The kubeconfig kubectl would read: `flag`, else the first file of $KUBECONFIG, else
 * ~/.kube/config when it exists; NULL for none (then the in-cluster service account).
 * The caller frees the result.
 */
char *pg_audit_live_kubeconfig_path(const char *flag);

#endif
