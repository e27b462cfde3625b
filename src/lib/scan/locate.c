/* SPDX-License-Identifier: Apache-2.0 */
/* Depth-first search for a node's field path, with a visit budget. */
#include "scan/locate.h"

#include <stdio.h>
#include <string.h>

#define MAX_VISITS 200000
#define MAX_DEPTH 128

struct walk {
    char *buf;
    size_t size;
    size_t visits;
    const struct pg_node *target;
};

static bool walk_node(struct walk *walk, const struct pg_node *node, size_t len, size_t depth);

static bool advance(struct walk *walk, size_t *len, int written)
{
    if (written < 0 || (size_t)written >= walk->size - *len) {
        return false;
    }
    *len += (size_t)written;
    return true;
}

static bool append_key(struct walk *walk, size_t *len, struct pg_str key)
{
    int written = snprintf(walk->buf + *len, walk->size - *len, "%s%.*s", *len ? "." : "",
                           (int)key.len, key.ptr);
    return advance(walk, len, written);
}

static bool append_index(struct walk *walk, size_t *len, size_t index)
{
    int written = snprintf(walk->buf + *len, walk->size - *len, "[%zu]", index);
    return advance(walk, len, written);
}

static bool walk_children(struct walk *walk, const struct pg_node *node, size_t len,
                          size_t depth)
{
    size_t i = 0;
    if (node->kind == PG_NODE_MAP) {
        for (i = 0; i < node->as.map.len; i++) {
            const struct pg_map_entry *entry = &node->as.map.entries[i];
            size_t next = len;
            if (append_key(walk, &next, entry->key) &&
                walk_node(walk, entry->value, next, depth + 1)) {
                return true;
            }
        }
    } else if (node->kind == PG_NODE_SEQ) {
        for (i = 0; i < node->as.seq.len; i++) {
            size_t next = len;
            if (append_index(walk, &next, i) &&
                walk_node(walk, node->as.seq.items[i], next, depth + 1)) {
                return true;
            }
        }
    }
    return false;
}

static bool walk_node(struct walk *walk, const struct pg_node *node, size_t len, size_t depth)
{
    if (node == NULL || depth > MAX_DEPTH || ++walk->visits > MAX_VISITS) {
        return false;
    }
    walk->buf[len] = '\0';
    if (node == walk->target) {
        return true;
    }
    return walk_children(walk, node, len, depth);
}

bool pg_locate_path(char *buf, size_t size, const struct pg_node *root,
                    const struct pg_node *target)
{
    struct walk walk = {buf, size, 0, target};
    if (size == 0) {
        return false;
    }
    buf[0] = '\0';
    return walk_node(&walk, root, 0, 0);
}
