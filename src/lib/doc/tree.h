/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tree builder shared by the YAML and JSON readers. A reader feeds it
 * nodes in document order (open a container, add keys and values, close it);
 * the builder allocates everything in the document's arena, enforces the node,
 * depth and string limits, and resolves duplicate keys and YAML merge keys when
 * a map closes. It knows nothing about syntax. See docs/internals/doc.md.
 */
#ifndef PG_DOC_TREE_H
#define PG_DOC_TREE_H

#include "podgate/doc.h"

#include <string.h>

struct pg_arena;

/* One pending child of an open container: a map entry (key set) or a list item. */
struct pg_tree_slot {
    struct pg_str key;
    struct pg_node *value;
    uint32_t key_line;
    uint32_t key_column;
    bool merge; /* the YAML merge key `<<` */
};

struct pg_tree_frame {
    struct pg_node *node;
    size_t base; /* index of the container's first slot */
    bool has_merge;
};

/* Slot of the duplicate-key index: valid when `gen` matches the tree's generation. */
struct pg_tree_bucket {
    uint32_t gen;
    uint32_t entry;
};

/*
 * Builder state. The scratch arrays (frames, slots, index, warnings) are
 * malloc'd, reused from one document to the next and released by
 * pg_tree_release; everything a document keeps lives in its arena.
 */
struct pg_tree {
    struct pg_arena *arena;
    struct pg_limits limits;
    size_t nodes;
    size_t shared; /* nodes added a second time, through an alias */
    struct pg_node *root;
    struct pg_tree_frame *frames;
    size_t frames_len;
    size_t frames_cap;
    struct pg_tree_slot *slots;
    size_t slots_len;
    size_t slots_cap;
    struct pg_tree_bucket *buckets;
    uint32_t *entry_lines; /* key line of each entry of the map being closed */
    size_t buckets_cap;
    size_t entry_lines_cap;
    uint32_t gen;
    uint32_t seed; /* of the hash indexes (util/hash.h); read it with pg_tree_seed */
    bool seeded;
    size_t probes; /* index slots looked at, over the tree's life: for tests */
    struct pg_diag *warnings;
    size_t warnings_len;
    size_t warnings_dropped; /* duplicate keys past the kept warnings (tree.c) */
    size_t warnings_cap;
    /* Nodes taken from the arena in chunks, not handed out yet (tree.c). */
    struct pg_node *pool;
    size_t pool_left;
    size_t pool_chunk; /* nodes in the next chunk */
};

/* Start with no scratch memory; `limits` is copied. */
void pg_tree_init(struct pg_tree *tree, const struct pg_limits *limits);

/* Release the scratch memory (not the arena). */
void pg_tree_release(struct pg_tree *tree);

/* Begin a new document whose tree goes into `arena`. */
void pg_tree_reset(struct pg_tree *tree, struct pg_arena *arena);

/*
 * The seed of the hash indexes (duplicate keys of large maps, YAML anchors),
 * drawn on first use: most documents never need one, and drawing costs a
 * system call.
 */
uint32_t pg_tree_seed(struct pg_tree *tree);

/* Slow path of pg_tree_node: the limit error, or a new chunk of nodes. */
int pg_tree_node_refill(struct pg_node **out, struct pg_tree *tree, enum pg_node_kind kind,
                        uint32_t line, uint32_t column, struct pg_error *err);

/*
 * A new zeroed node of `kind` at line:column; PG_ELIMIT past max_nodes.
 * Inline: the readers make one per value, and most come from the pool.
 */
static inline int pg_tree_node(struct pg_node **out, struct pg_tree *tree, enum pg_node_kind kind,
                               uint32_t line, uint32_t column, struct pg_error *err)
{
    struct pg_node *node = tree->pool;
    if (tree->pool_left == 0 || tree->nodes >= tree->limits.max_nodes) {
        return pg_tree_node_refill(out, tree, kind, line, column, err);
    }
    tree->nodes++;
    tree->pool++;
    tree->pool_left--;
    /* Pool nodes are not zeroed: this sets every field. */
    *node = (struct pg_node){.kind = kind, .line = line, .column = column};
    *out = node;
    return 0;
}

/*
 * The max_nodes error for the node at line:column, the one past the limit (the builder's, and
 * the JSON reader's when it counts tokens before building).
 */
int pg_tree_too_many_nodes(const struct pg_tree *tree, uint32_t line, uint32_t column,
                           struct pg_error *err);

/* The error of pg_tree_check_string (out of line: it formats a message). */
int pg_tree_string_too_long(const struct pg_tree *tree, uint32_t line, uint32_t column,
                            struct pg_error *err);

/*
 * PG_ELIMIT when a scalar of `len` bytes at line:column exceeds max_string_bytes.
 * This and the other per-event queries below are inline: the readers call them
 * for every scalar.
 */
static inline int pg_tree_check_string(const struct pg_tree *tree, size_t len, uint32_t line,
                                       uint32_t column, struct pg_error *err)
{
    if (len > tree->limits.max_string_bytes) {
        return pg_tree_string_too_long(tree, line, column, err);
    }
    return 0;
}

/* Copy `len` bytes into the arena as a string view. */
struct pg_str pg_tree_copy_str(struct pg_tree *tree, const char *text, size_t len);

/* Number of open containers. */
static inline size_t pg_tree_depth(const struct pg_tree *tree)
{
    return tree->frames_len;
}

/* True when the innermost open container is a map. */
static inline bool pg_tree_in_map(const struct pg_tree *tree)
{
    return tree->frames_len > 0 && tree->frames[tree->frames_len - 1].node->kind == PG_NODE_MAP;
}

/* True when the innermost open container is a map waiting for its next key. */
static inline bool pg_tree_want_key(const struct pg_tree *tree)
{
    const struct pg_tree_frame *top = NULL;
    if (tree->frames_len == 0) {
        return false;
    }
    top = &tree->frames[tree->frames_len - 1];
    if (top->node->kind != PG_NODE_MAP) {
        return false;
    }
    return tree->slots_len == top->base || tree->slots[tree->slots_len - 1].value != NULL;
}

/* Room for one more slot (out of line: rarely needed once the stack has grown). */
void pg_tree_grow_slots(struct pg_tree *tree);

/*
 * Give the innermost open map its next key. `merge` marks the YAML merge key;
 * its value must then be a map or a list of maps (checked when the map closes).
 * Inline, like pg_tree_add: once per key and per value.
 */
static inline void pg_tree_key(struct pg_tree *tree, struct pg_str key, uint32_t line,
                               uint32_t column, bool merge)
{
    struct pg_tree_slot *slot = NULL;
    if (tree->slots_len == tree->slots_cap) {
        pg_tree_grow_slots(tree);
    }
    slot = &tree->slots[tree->slots_len++];
    slot->key = key;
    slot->value = NULL;
    slot->key_line = line;
    slot->key_column = column;
    slot->merge = merge;
    if (merge) {
        tree->frames[tree->frames_len - 1].has_merge = true;
    }
}

/*
 * Attach a finished node as the next list item, the pending key's value, or
 * the root. `shared` is true for a node reached through an alias: it is not
 * modified (its key position stays that of its anchor).
 */
static inline void pg_tree_add(struct pg_tree *tree, struct pg_node *node, bool shared)
{
    struct pg_tree_slot *slot = NULL;
    if (shared) {
        tree->shared++;
    }
    if (tree->frames_len == 0) {
        tree->root = node;
        return;
    }
    if (tree->frames[tree->frames_len - 1].node->kind == PG_NODE_MAP) {
        /* The reader gave the key first (pg_tree_want_key was false). */
        slot = &tree->slots[tree->slots_len - 1];
        slot->value = node;
        if (!shared) {
            node->key_line = slot->key_line;
            node->key_column = slot->key_column;
        }
        return;
    }
    if (tree->slots_len == tree->slots_cap) {
        pg_tree_grow_slots(tree);
    }
    slot = &tree->slots[tree->slots_len++];
    memset(slot, 0, sizeof(*slot));
    slot->value = node;
}

/*
 * Attach the container `node` (PG_NODE_SEQ or PG_NODE_MAP) like pg_tree_add
 * and make it the innermost open container. PG_ELIMIT past max_depth.
 */
int pg_tree_open(struct pg_tree *tree, struct pg_node *node, struct pg_error *err);

/*
 * Close the innermost container: its children are copied into the arena, a
 * duplicate key replaces the earlier value with a warning, and merge keys are
 * expanded (explicit keys win, then earlier merge sources over later ones).
 * PG_EPARSE when a merge value is not a map or a list of maps.
 */
int pg_tree_close(struct pg_tree *tree, struct pg_error *err);

/* Store the root, the warnings (sorted by position) and the node counts in `doc`. */
void pg_tree_finish(struct pg_doc *doc, struct pg_tree *tree);

#endif
