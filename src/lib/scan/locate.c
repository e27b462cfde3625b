/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Depth-first search for a node's field path, with a visit budget. The walk
 * keeps the route as a stack of segments and renders text only for the node
 * it finds: formatting every visited prefix cost more than the search.
 */
#include "scan/locate.h"

#include <stdio.h>
#include <string.h>

#define MAX_VISITS 200000
#define MAX_DEPTH 128

struct segment {
    const struct pg_str *key; /* NULL: a list index */
    size_t index;
};

struct walk {
    struct segment route[MAX_DEPTH];
    size_t visits;
    const struct pg_node *target;
};

static bool walk_node(struct walk *walk, const struct pg_node *node, size_t depth);

static bool walk_children(struct walk *walk, const struct pg_node *node, size_t depth)
{
    if (node->kind == PG_NODE_MAP) {
        for (size_t i = 0; i < node->as.map.len; i++) {
            walk->route[depth].key = &node->as.map.entries[i].key;
            if (walk_node(walk, node->as.map.entries[i].value, depth + 1)) {
                return true;
            }
        }
    } else if (node->kind == PG_NODE_SEQ) {
        for (size_t i = 0; i < node->as.seq.len; i++) {
            walk->route[depth].key = NULL;
            walk->route[depth].index = i;
            if (walk_node(walk, node->as.seq.items[i], depth + 1)) {
                return true;
            }
        }
    }
    return false;
}

/* `depth` is the number of route segments leading to `node`. */
static bool walk_node(struct walk *walk, const struct pg_node *node, size_t depth)
{
    if (node == walk->target) {
        walk->route[depth].key = NULL;
        walk->route[depth].index = SIZE_MAX; /* end marker */
        return true;
    }
    if (node == NULL || depth + 1 >= MAX_DEPTH || ++walk->visits > MAX_VISITS) {
        return false;
    }
    return walk_children(walk, node, depth);
}

static void render(char *buf, size_t size, const struct segment *route)
{
    size_t len = 0;
    for (size_t i = 0; !(route[i].key == NULL && route[i].index == SIZE_MAX); i++) {
        int written = route[i].key != NULL
                          ? snprintf(buf + len, size - len, "%s%.*s", len > 0 ? "." : "",
                                     (int)route[i].key->len, route[i].key->ptr)
                          : snprintf(buf + len, size - len, "[%zu]", route[i].index);
        if (written < 0 || (size_t)written >= size - len) {
            return; /* truncated, still NUL-terminated */
        }
        len += (size_t)written;
    }
}

bool pg_locate_path(char *buf, size_t size, const struct pg_node *root,
                    const struct pg_node *target)
{
    struct walk walk;
    if (size == 0) {
        return false;
    }
    buf[0] = '\0';
    walk.visits = 0;
    walk.target = target;
    if (!walk_node(&walk, root, 0)) {
        return false;
    }
    render(buf, size, walk.route);
    return true;
}
