/* SPDX-License-Identifier: Apache-2.0 */
/* Field paths of nodes, found by walking from an object's root (for report locations). */
#ifndef PG_SCAN_LOCATE_H
#define PG_SCAN_LOCATE_H

#include "podgate/doc.h"

/*
 * Write the field path of `target` below `root` ("spec.containers[0].image")
 * into buf. Returns true when found. The walk is bounded (depth and visits),
 * so a tree that shares nodes through aliases cannot make it explode. `doc` is
 * the document both nodes belong to (NULL when unknown): when it has no
 * aliases and few enough nodes, the path is found by positions first, with
 * the same result.
 */
bool pg_locate_path(char *buf, size_t size, const struct pg_doc *doc, const struct pg_node *root,
                    const struct pg_node *target);

#endif
