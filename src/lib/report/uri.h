/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Source paths as the URIs SARIF artifact locations hold. Code scanning
 * matches results to files by a URI relative to the checkout, so relative
 * paths stay relative and absolute paths below the base directory become so.
 */
#ifndef PG_REPORT_URI_H
#define PG_REPORT_URI_H

#include "podgate/buf.h"

enum pg_uri_kind {
    PG_URI_RELATIVE, /* relative to the base directory (SARIF uriBaseId %SRCROOT%) */
    PG_URI_ABSOLUTE, /* a file:// URI */
    PG_URI_STDIN,    /* "stdin", for the source "-" */
};

/*
 * Append the URI of source `path` to `out`. "-" is "stdin". Otherwise the
 * path is normalised lexically ("./a//b/../c" is "a/c"): a relative path stays
 * relative, an absolute path below `base_dir` (absolute; NULL for none)
 * becomes relative to it, and any other absolute path a file:/// URI. A
 * relative path that climbs above its start ("../x") is first joined to
 * `base_dir`, so it is judged like its absolute spelling; with no absolute
 * base it stays relative, its leading ".." kept. Bytes
 * outside RFC 3986's unreserved set, except '/', are percent-encoded, so a
 * path like "a:b.yaml" cannot be read as a scheme.
 */
enum pg_uri_kind pg_uri_from_path(struct pg_buf *out, const char *path, const char *base_dir);

#endif
