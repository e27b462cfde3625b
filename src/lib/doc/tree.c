/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tree builder: arena nodes, limits, duplicate keys and merge keys. Maps
 * and lists collect their children on one scratch stack and are copied into
 * the arena once, when they close, so building is linear in the input.
 */
#include "doc/tree.h"

#include "podgate/arena.h"
#include "podgate/buf.h"
#include "util/hash.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Maps up to this size find duplicates by a linear scan; larger ones use the hash index. */
#define LINEAR_MAP_MAX 16
/* Keys longer than this are cut in warnings. */
#define WARNING_KEY_MAX 64
/* Warnings kept per document; the others are counted in one last warning. */
#define WARNINGS_MAX 100
/*
 * Nodes come from the arena in chunks that double up to NODE_CHUNK_MAX: one
 * allocation per chunk rather than per node, and a small
 * document still fits in the arena's first block. Under PG_ARENA_DEBUG each
 * node is its own allocation, so the sanitizers see its bounds.
 */
#ifdef PG_ARENA_DEBUG
#define NODE_CHUNK_MIN 1
#define NODE_CHUNK_MAX 1
#else
#define NODE_CHUNK_MIN 8
#define NODE_CHUNK_MAX 256
#endif

/* The entries of the map being closed, and how to find a key among them. */
struct map_build {
    struct pg_map_entry *entries;
    size_t len;
    size_t mask; /* index size - 1, or 0 for a linear scan */
};

static void *grow(void *ptr, size_t *cap, size_t need, size_t elem_size)
{
    size_t new_cap = 0;
    if (need <= *cap) {
        return ptr;
    }
    new_cap = *cap != 0 ? *cap : 16;
    while (new_cap < need) {
        new_cap *= 2;
    }
    *cap = new_cap;
    return pg_xrealloc(ptr, new_cap, elem_size);
}

void pg_tree_init(struct pg_tree *tree, const struct pg_limits *limits)
{
    memset(tree, 0, sizeof(*tree));
    tree->limits = *limits;
}

uint32_t pg_tree_seed(struct pg_tree *tree)
{
    if (!tree->seeded) {
        tree->seed = pg_hash_seed();
        tree->seeded = true;
    }
    return tree->seed;
}

void pg_tree_release(struct pg_tree *tree)
{
    free(tree->frames);
    free(tree->slots);
    free(tree->buckets);
    free(tree->entry_lines);
    free(tree->warnings);
    tree->frames = NULL;
    tree->slots = NULL;
    tree->buckets = NULL;
    tree->entry_lines = NULL;
    tree->warnings = NULL;
    tree->frames_cap = 0;
    tree->slots_cap = 0;
    tree->buckets_cap = 0;
    tree->entry_lines_cap = 0;
    tree->warnings_cap = 0;
}

void pg_tree_reset(struct pg_tree *tree, struct pg_arena *arena)
{
    tree->arena = arena;
    tree->nodes = 0;
    tree->shared = 0;
    tree->root = NULL;
    tree->frames_len = 0;
    tree->slots_len = 0;
    tree->warnings_len = 0;
    tree->warnings_dropped = 0;
    tree->pool = NULL;
    tree->pool_left = 0;
    tree->pool_chunk = NODE_CHUNK_MIN;
}

int pg_tree_node_refill(struct pg_node **out, struct pg_tree *tree, enum pg_node_kind kind,
                        uint32_t line, uint32_t column, struct pg_error *err)
{
    if (tree->nodes >= tree->limits.max_nodes) {
        return pg_tree_too_many_nodes(tree, line, column, err);
    }
    /* Not zeroed: pg_tree_node sets every field of the nodes it hands out. */
    tree->pool = pg_arena_alloc_uninit(tree->arena, tree->pool_chunk * sizeof(*tree->pool));
    tree->pool_left = tree->pool_chunk;
    if (tree->pool_chunk < NODE_CHUNK_MAX) {
        tree->pool_chunk *= 2;
    }
    return pg_tree_node(out, tree, kind, line, column, err);
}

int pg_tree_too_many_nodes(const struct pg_tree *tree, uint32_t line, uint32_t column,
                           struct pg_error *err)
{
    return pg_error_set_at(err, PG_ELIMIT, line, column, NULL,
                           "document has more than %zu nodes (max_nodes)", tree->limits.max_nodes);
}

int pg_tree_string_too_long(const struct pg_tree *tree, uint32_t line, uint32_t column,
                            struct pg_error *err)
{
    return pg_error_set_at(err, PG_ELIMIT, line, column, NULL,
                           "scalar longer than %zu bytes (max_string_bytes)",
                           tree->limits.max_string_bytes);
}

struct pg_str pg_tree_copy_str(struct pg_tree *tree, const char *text, size_t len)
{
    struct pg_str out = {pg_arena_strndup(tree->arena, text, len), len};
    return out;
}

void pg_tree_grow_slots(struct pg_tree *tree)
{
    tree->slots = grow(tree->slots, &tree->slots_cap, tree->slots_len + 1, sizeof(*tree->slots));
}

int pg_tree_open(struct pg_tree *tree, struct pg_node *node, struct pg_error *err)
{
    struct pg_tree_frame *frame = NULL;
    if (tree->frames_len >= tree->limits.max_depth) {
        return pg_error_set_at(err, PG_ELIMIT, node->line, node->column, NULL,
                               "nesting deeper than %zu (max_depth)", tree->limits.max_depth);
    }
    pg_tree_add(tree, node, false);
    tree->frames = grow(tree->frames, &tree->frames_cap, tree->frames_len + 1, sizeof(*frame));
    frame = &tree->frames[tree->frames_len++];
    frame->node = node;
    frame->base = tree->slots_len;
    frame->has_merge = false;
    return 0;
}

static void add_warning(struct pg_tree *tree, uint32_t line, uint32_t column, struct pg_str text)
{
    struct pg_diag *diag = NULL;
    tree->warnings =
        grow(tree->warnings, &tree->warnings_cap, tree->warnings_len + 1, sizeof(*diag));
    diag = &tree->warnings[tree->warnings_len++];
    diag->line = line;
    diag->column = column;
    diag->message = pg_tree_copy_str(tree, text.ptr, text.len);
}

static void warn_duplicate(struct pg_tree *tree, const struct pg_tree_slot *slot,
                           uint32_t first_line)
{
    struct pg_buf buf = PG_BUF_INIT;
    struct pg_str key = slot->key;
    /* One warning per duplicate would let a 3 MiB map of `a: 1` lines cost 600,000 warnings
       (240 MB, 100 MB of report): past a few, they are only counted. */
    if (tree->warnings_len >= WARNINGS_MAX) {
        tree->warnings_dropped++;
        return;
    }
    if (key.len > WARNING_KEY_MAX) {
        key.len = WARNING_KEY_MAX;
    }
    pg_buf_puts(&buf, "duplicate key ");
    pg_buf_put_go_quoted(&buf, key);
    pg_buf_printf(&buf, ": the last value wins (it replaces the value at line %u)",
                  (unsigned)first_line);
    if (!pg_buf_failed(&buf)) {
        add_warning(tree, slot->key_line, slot->key_column, pg_buf_str(&buf));
    }
    pg_buf_release(&buf);
}

static bool same_key(struct pg_str a, struct pg_str b)
{
    /* The first byte before memcmp: keys of one map rarely share length and first byte. */
    return a.len == b.len &&
           (a.len == 0 || (a.ptr[0] == b.ptr[0] && memcmp(a.ptr, b.ptr, a.len) == 0));
}

/* Index of `key` among the entries of a small map, or SIZE_MAX. */
static inline size_t map_scan(const struct map_build *map, struct pg_str key)
{
    size_t i = 0;
    for (i = 0; i < map->len; i++) {
        if (same_key(map->entries[i].key, key)) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* Index of `key` among the entries, or SIZE_MAX; *bucket_out is where to insert it. */
static size_t map_find(struct pg_tree *tree, const struct map_build *map, struct pg_str key,
                       size_t *bucket_out)
{
    size_t i = 0;
    if (map->mask == 0) {
        return map_scan(map, key);
    }
    /* Seeded: keys chosen to share a bucket would make each close quadratic (util/hash.h). */
    i = pg_hash_bytes(pg_tree_seed(tree), key.ptr, key.len) & map->mask;
    while (tree->buckets[i].gen == tree->gen) {
        size_t entry = tree->buckets[i].entry;
        tree->probes++;
        if (same_key(map->entries[entry].key, key)) {
            return entry;
        }
        i = (i + 1) & map->mask;
    }
    *bucket_out = i;
    return SIZE_MAX;
}

static void map_insert(struct pg_tree *tree, struct map_build *map, size_t bucket,
                       struct pg_str key, struct pg_node *value, uint32_t line)
{
    if (map->mask != 0) {
        tree->buckets[bucket].gen = tree->gen;
        tree->buckets[bucket].entry = (uint32_t)map->len;
    }
    tree->entry_lines[map->len] = line;
    map->entries[map->len].key = key;
    map->entries[map->len].value = value;
    map->len++;
}

/* Size the scratch index for up to `cap` entries and start a new generation. */
static void map_prepare(struct pg_tree *tree, struct map_build *map, size_t cap)
{
    size_t size = 64;
    tree->entry_lines =
        grow(tree->entry_lines, &tree->entry_lines_cap, cap, sizeof(*tree->entry_lines));
    map->mask = 0;
    if (cap <= LINEAR_MAP_MAX) {
        return;
    }
    while (size < cap * 2) {
        size *= 2;
    }
    if (size > tree->buckets_cap) {
        free(tree->buckets);
        tree->buckets = pg_xcalloc(size, sizeof(*tree->buckets));
        tree->buckets_cap = size;
        tree->gen = 0;
    }
    tree->gen++;
    if (tree->gen == 0) {
        /* Wrapped: stale buckets could look current, so clear them once. */
        memset(tree->buckets, 0, tree->buckets_cap * sizeof(*tree->buckets));
        tree->gen = 1;
    }
    map->mask = size - 1;
}

static int merge_error(const struct pg_node *node, struct pg_error *err)
{
    return pg_error_set_at(err, PG_EPARSE, node->line, node->column, NULL,
                           "map merge (<<) requires a map or a list of maps");
}

/* Check the merge values and add up how many entries they may contribute. */
static int count_merge_entries(size_t *out, const struct pg_tree *tree,
                               const struct pg_tree_frame *frame, struct pg_error *err)
{
    size_t total = 0;
    size_t i = 0;
    size_t j = 0;
    for (i = frame->base; i < tree->slots_len; i++) {
        const struct pg_node *value = tree->slots[i].value;
        if (!tree->slots[i].merge) {
            continue;
        }
        if (value->kind == PG_NODE_MAP) {
            total += value->as.map.len;
            continue;
        }
        if (value->kind != PG_NODE_SEQ) {
            return merge_error(value, err);
        }
        for (j = 0; j < value->as.seq.len; j++) {
            if (value->as.seq.items[j]->kind != PG_NODE_MAP) {
                return merge_error(value->as.seq.items[j], err);
            }
            total += value->as.seq.items[j]->as.map.len;
        }
    }
    *out = total;
    return 0;
}

/* Add the entries of `source` whose keys are not there yet (explicit keys win). */
static void merge_source(struct pg_tree *tree, struct map_build *map, const struct pg_node *source)
{
    size_t i = 0;
    for (i = 0; i < source->as.map.len; i++) {
        const struct pg_map_entry *entry = &source->as.map.entries[i];
        size_t bucket = 0;
        if (map_find(tree, map, entry->key, &bucket) == SIZE_MAX) {
            map_insert(tree, map, bucket, entry->key, entry->value, entry->value->key_line);
        }
    }
}

static void merge_all(struct pg_tree *tree, struct map_build *map,
                      const struct pg_tree_frame *frame)
{
    size_t i = 0;
    size_t j = 0;
    for (i = frame->base; i < tree->slots_len; i++) {
        const struct pg_node *value = tree->slots[i].value;
        if (!tree->slots[i].merge) {
            continue;
        }
        if (value->kind == PG_NODE_MAP) {
            merge_source(tree, map, value);
            continue;
        }
        /* A list of sources: earlier ones win, so add them in order. */
        for (j = 0; j < value->as.seq.len; j++) {
            merge_source(tree, map, value->as.seq.items[j]);
        }
    }
}

/*
 * The common map: at most LINEAR_MAP_MAX keys and no merge key. Same result
 * as the general path below (last value wins, one warning per duplicate),
 * without the scratch index.
 */
static void close_small_map(struct pg_tree *tree, const struct pg_tree_frame *frame)
{
    size_t count = tree->slots_len - frame->base;
    uint32_t lines[LINEAR_MAP_MAX];
    /* Not zeroed: only the first `len` entries are written and read. */
    struct pg_map_entry *entries = pg_arena_alloc_uninit(tree->arena, count * sizeof(*entries));
    size_t len = 0;
    size_t i = 0;
    for (i = frame->base; i < tree->slots_len; i++) {
        const struct pg_tree_slot *slot = &tree->slots[i];
        size_t j = 0;
        while (j < len && !same_key(entries[j].key, slot->key)) {
            j++;
        }
        if (j < len) {
            /* kubectl (encoding/json and go-yaml v2 into a map) keeps the last value. */
            warn_duplicate(tree, slot, lines[j]);
        } else {
            entries[len++].key = slot->key;
        }
        entries[j].value = slot->value;
        lines[j] = slot->key_line;
    }
    frame->node->as.map.entries = entries;
    frame->node->as.map.len = len;
}

static int close_map(struct pg_tree *tree, const struct pg_tree_frame *frame, struct pg_error *err)
{
    struct map_build map = {NULL, 0, 0};
    size_t cap = tree->slots_len - frame->base;
    size_t merged = 0;
    size_t i = 0;
    int rc = 0;
    if (!frame->has_merge && cap <= LINEAR_MAP_MAX) {
        close_small_map(tree, frame);
        return 0;
    }
    if (frame->has_merge) {
        rc = count_merge_entries(&merged, tree, frame, err);
        if (rc < 0) {
            return rc;
        }
        cap += merged;
    }
    map_prepare(tree, &map, cap);
    map.entries = pg_arena_calloc(tree->arena, cap, sizeof(*map.entries));
    for (i = frame->base; i < tree->slots_len; i++) {
        const struct pg_tree_slot *slot = &tree->slots[i];
        size_t bucket = 0;
        size_t found = 0;
        if (slot->merge) {
            continue;
        }
        /* Most maps are small: their scan is inlined here. */
        found =
            map.mask == 0 ? map_scan(&map, slot->key) : map_find(tree, &map, slot->key, &bucket);
        if (found == SIZE_MAX) {
            map_insert(tree, &map, bucket, slot->key, slot->value, slot->key_line);
            continue;
        }
        /* kubectl (encoding/json and go-yaml v2 into a map) keeps the last value. */
        warn_duplicate(tree, slot, tree->entry_lines[found]);
        map.entries[found].value = slot->value;
        tree->entry_lines[found] = slot->key_line;
    }
    if (frame->has_merge) {
        merge_all(tree, &map, frame);
    }
    frame->node->as.map.entries = map.entries;
    frame->node->as.map.len = map.len;
    return 0;
}

static void close_seq(struct pg_tree *tree, const struct pg_tree_frame *frame)
{
    size_t len = tree->slots_len - frame->base;
    size_t i = 0;
    /* Not zeroed: every item is written below. */
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of node pointers, on purpose */
    struct pg_node **items = pg_arena_alloc_uninit(tree->arena, len * sizeof(*items));
    for (i = 0; i < len; i++) {
        items[i] = tree->slots[frame->base + i].value;
    }
    frame->node->as.seq.items = items;
    frame->node->as.seq.len = len;
}

int pg_tree_close(struct pg_tree *tree, struct pg_error *err)
{
    const struct pg_tree_frame *frame = &tree->frames[tree->frames_len - 1];
    int rc = 0;
    if (frame->node->kind == PG_NODE_MAP) {
        rc = close_map(tree, frame, err);
    } else {
        close_seq(tree, frame);
    }
    tree->slots_len = frame->base;
    tree->frames_len--;
    return rc;
}

static int compare_diags(const void *a, const void *b)
{
    const struct pg_diag *x = a;
    const struct pg_diag *y = b;
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    if (x->column != y->column) {
        return x->column < y->column ? -1 : 1;
    }
    return 0;
}

/* The last warning of a document that had more than WARNINGS_MAX: how many were dropped. */
static void warn_dropped(struct pg_tree *tree)
{
    struct pg_buf buf = PG_BUF_INIT;
    const struct pg_diag *last = &tree->warnings[tree->warnings_len - 1];
    pg_buf_printf(&buf, "%zu more duplicate keys in this document (only the first %d are shown)",
                  tree->warnings_dropped, WARNINGS_MAX);
    if (!pg_buf_failed(&buf)) {
        add_warning(tree, last->line, last->column, pg_buf_str(&buf));
    }
    pg_buf_release(&buf);
}

void pg_tree_finish(struct pg_doc *doc, struct pg_tree *tree)
{
    doc->root = tree->root;
    doc->nodes = tree->nodes;
    doc->shared_nodes = tree->shared > 0;
    doc->warnings = NULL;
    if (tree->warnings_len == 0) {
        doc->warnings_len = 0;
        return;
    }
    /* Maps close inner-first; report in reading order instead. */
    qsort(tree->warnings, tree->warnings_len, sizeof(*tree->warnings), compare_diags);
    if (tree->warnings_dropped > 0) {
        warn_dropped(tree);
    }
    doc->warnings_len = tree->warnings_len;
    doc->warnings = pg_arena_calloc(tree->arena, tree->warnings_len, sizeof(*doc->warnings));
    memcpy(doc->warnings, tree->warnings, tree->warnings_len * sizeof(*doc->warnings));
}
