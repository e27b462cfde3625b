/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded groups of objects that share a text (a reasons string, a warning), each with a count
 * and its byte-smallest name: what upstream's namespace dry run prints (spec §6.6), kept in
 * constant memory however many objects arrive. An optional 64-bit `mask` is part of the key,
 * so drift can keep "passes at these versions" apart and filter by version later.
 */
#ifndef PG_AUDIT_GROUPS_H
#define PG_AUDIT_GROUPS_H

#include "podgate/arena.h"
#include "podgate/audit.h"

struct pg_group_entry {
    uint64_t hash;
    uint64_t mask;
    char *text;
    size_t text_len;
    char *name;
    size_t name_len;
    size_t count;
};

struct pg_group_table {
    struct pg_group_entry *items;
    size_t len;
    size_t cap;
    size_t max;     /* entries kept */
    size_t dropped; /* objects whose new group did not fit */
};

void pg_group_table_init(struct pg_group_table *table, size_t max);
void pg_group_table_release(struct pg_group_table *table);

/* Count one object `name` under (`text`, `mask`); keeps the smaller name. */
void pg_group_table_add(struct pg_group_table *table, struct pg_str text, uint64_t mask,
                        struct pg_str name);

/*
 * The public view of the entries whose mask has a bit of `mask_filter` set, merged by text,
 * with upstream's lines (`name (and N other <noun>s): text`) sorted in byte order. Strings and
 * arrays are allocated in `arena`. `total` is how many objects the groups should hold; what
 * is not listed (the table was full) is reported as `dropped`.
 */
void pg_group_table_view(struct pg_audit_groups *out, struct pg_arena *arena,
                         const struct pg_group_table *table, uint64_t mask_filter, const char *noun,
                         size_t total);

#endif
