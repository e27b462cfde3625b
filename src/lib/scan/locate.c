/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Depth-first search for a node's field path, with a visit budget. The walk
 * keeps the route as a stack of segments and renders text only for the node
 * it finds: formatting every visited prefix cost more than the search. When
 * the path is known to be unique, a descent guided by positions finds it
 * first, looking at one level of children at a time.
 */
#include "scan/locate.h"

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

static bool walk_children(struct walk *walk, const struct pg_node *node, size_t depth);

/*
 * `depth` is the number of route segments leading to `node`. Scalars end the
 * search here, without a call into walk_children: most nodes are scalars.
 */
static inline bool walk_node(struct walk *walk, const struct pg_node *node, size_t depth)
{
    if (node == walk->target) {
        walk->route[depth].key = NULL;
        walk->route[depth].index = SIZE_MAX; /* end marker */
        return true;
    }
    if (node == NULL || depth + 1 >= MAX_DEPTH || ++walk->visits > MAX_VISITS) {
        return false;
    }
    return (node->kind == PG_NODE_MAP || node->kind == PG_NODE_SEQ) &&
           walk_children(walk, node, depth);
}

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

/* Whether `node` starts after line:column. */
static bool starts_after(const struct pg_node *node, uint32_t line, uint32_t column)
{
    return node->line > line || (node->line == line && node->column > column);
}

/* The child that starts last at or before line:column, or NULL; its segment goes in *segment. */
static const struct pg_node *last_child_before(struct segment *segment, const struct pg_node *node,
                                               uint32_t line, uint32_t column)
{
    const struct pg_node *best = NULL;
    size_t len = node->kind == PG_NODE_MAP ? node->as.map.len : node->as.seq.len;
    for (size_t i = 0; i < len; i++) {
        const struct pg_node *child =
            node->kind == PG_NODE_MAP ? node->as.map.entries[i].value : node->as.seq.items[i];
        if (child == NULL || starts_after(child, line, column) ||
            (best != NULL && !starts_after(child, best->line, best->column))) {
            continue;
        }
        best = child;
        segment->key = node->kind == PG_NODE_MAP ? &node->as.map.entries[i].key : NULL;
        segment->index = i;
    }
    return best;
}

/*
 * Without aliases every node has one parent and its text holds its whole
 * subtree, so the target can only lie under the child that starts last at or
 * before it. Follows those children down from `node`; false when positions
 * lead elsewhere (the caller then walks everything). The path is unique, so
 * finding it this way gives what the depth-first walk would.
 */
static bool seek(struct walk *walk, const struct pg_node *node)
{
    uint32_t line = walk->target->line;
    uint32_t column = walk->target->column;
    size_t depth = 0;
    while (node != walk->target) {
        /* The walk's limits: it would not look deeper either. */
        if (node == NULL || depth + 1 >= MAX_DEPTH ||
            (node->kind != PG_NODE_MAP && node->kind != PG_NODE_SEQ)) {
            return false;
        }
        node = last_child_before(&walk->route[depth], node, line, column);
        depth++;
    }
    walk->route[depth].key = NULL;
    walk->route[depth].index = SIZE_MAX; /* end marker */
    return true;
}

/* Append what fits of `text` (the path stays NUL-terminated); false when it did not all fit. */
static bool put(char *buf, size_t size, size_t *len, const char *text, size_t text_len)
{
    size_t room = size - 1 - *len;
    size_t copy = text_len < room ? text_len : room;
    if (copy > 0) {
        memcpy(buf + *len, text, copy);
    }
    *len += copy;
    buf[*len] = '\0';
    return copy == text_len;
}

static bool put_segment(char *buf, size_t size, size_t *len, const struct segment *segment)
{
    char digits[24];
    char *start = digits + sizeof(digits);
    size_t index = segment->index;
    if (segment->key != NULL) {
        /* Up to a NUL byte, as printf's %.*s would stop: the path is a C string. */
        size_t key_len = segment->key->len > 0 ? strnlen(segment->key->ptr, segment->key->len) : 0;
        return (*len == 0 || put(buf, size, len, ".", 1)) &&
               put(buf, size, len, segment->key->ptr, key_len);
    }
    start--;
    *start = ']';
    do {
        start--;
        *start = (char)('0' + (int)(index % 10));
        index /= 10;
    } while (index != 0);
    start--;
    *start = '[';
    return put(buf, size, len, start, (size_t)(digits + sizeof(digits) - start));
}

/* The route as text, cut to the buffer (a path is only a hint next to line:column). By hand:
   snprintf per segment was most of the cost of locating. */
static void render(char *buf, size_t size, const struct segment *route)
{
    size_t len = 0;
    for (size_t i = 0; !(route[i].key == NULL && route[i].index == SIZE_MAX); i++) {
        if (!put_segment(buf, size, &len, &route[i])) {
            return;
        }
    }
}

bool pg_locate_path(char *buf, size_t size, const struct pg_doc *doc, const struct pg_node *root,
                    const struct pg_node *target)
{
    struct walk walk;
    /* Unique paths, and a walk that could not run out of visits before finding the target. */
    bool guided = doc != NULL && !doc->shared_nodes && doc->nodes <= MAX_VISITS && target != NULL;
    if (size == 0) {
        return false;
    }
    buf[0] = '\0';
    walk.visits = 0;
    walk.target = target;
    if (!(guided && seek(&walk, root)) && !walk_node(&walk, root, 0)) {
        return false;
    }
    render(buf, size, walk.route);
    return true;
}
