/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group tables: a small array searched by hash (a namespace rarely has more than a few dozen
 * distinct reasons strings), capped at `max` entries so hostile input cannot grow it.
 */
#include "audit/groups.h"

#include "podgate/buf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_of(struct pg_str text, uint64_t mask)
{
    uint64_t hash = 0xcbf29ce484222325u ^ mask;
    for (size_t i = 0; i < text.len; i++) {
        hash ^= (unsigned char)text.ptr[i];
        hash *= 0x100000001b3u;
    }
    return hash;
}

/* Byte order, a shorter prefix first (spec §1.5 "sorted set"). */
static int compare_bytes(const char *a, size_t a_len, const char *b, size_t b_len)
{
    size_t n = a_len < b_len ? a_len : b_len;
    int cmp = n > 0 ? memcmp(a, b, n) : 0;
    if (cmp != 0) {
        return cmp;
    }
    return (a_len > b_len) - (a_len < b_len);
}

void pg_group_table_init(struct pg_group_table *table, size_t max)
{
    memset(table, 0, sizeof(*table));
    table->max = max;
}

void pg_group_table_release(struct pg_group_table *table)
{
    for (size_t i = 0; i < table->len; i++) {
        free(table->items[i].text);
        free(table->items[i].name);
    }
    free(table->items);
    memset(table, 0, sizeof(*table));
}

static struct pg_group_entry *find(struct pg_group_table *table, uint64_t hash, struct pg_str text,
                                   uint64_t mask)
{
    for (size_t i = 0; i < table->len; i++) {
        struct pg_group_entry *entry = &table->items[i];
        if (entry->hash == hash && entry->mask == mask && entry->text_len == text.len &&
            memcmp(entry->text, text.ptr, text.len) == 0) {
            return entry;
        }
    }
    return NULL;
}

void pg_group_table_add(struct pg_group_table *table, struct pg_str text, uint64_t mask,
                        struct pg_str name)
{
    uint64_t hash = hash_of(text, mask);
    struct pg_group_entry *entry = find(table, hash, text, mask);
    if (entry != NULL) {
        entry->count++;
        if (compare_bytes(name.ptr, name.len, entry->name, entry->name_len) < 0) {
            free(entry->name);
            entry->name = pg_xstrndup(name.ptr, name.len);
            entry->name_len = name.len;
        }
        return;
    }
    if (table->len == table->max) {
        table->dropped++;
        return;
    }
    if (table->len == table->cap) {
        table->cap = table->cap ? 2 * table->cap : 8;
        table->items = pg_xrealloc(table->items, table->cap, sizeof(*table->items));
    }
    entry = &table->items[table->len++];
    entry->hash = hash;
    entry->mask = mask;
    entry->text = pg_xstrndup(text.ptr, text.len);
    entry->text_len = text.len;
    entry->name = pg_xstrndup(name.ptr, name.len);
    entry->name_len = name.len;
    entry->count = 1;
}

static int compare_lines(const void *a, const void *b)
{
    const struct pg_audit_group *x = a;
    const struct pg_audit_group *y = b;
    return strcmp(x->line, y->line);
}

/* `name: text`, `name (and 1 other pod): text`, `name (and N other pods): text`. */
static const char *render_line(struct pg_arena *arena, const struct pg_audit_group *group,
                               const char *noun)
{
    struct pg_buf line = PG_BUF_INIT;
    const char *copy = NULL;
    pg_buf_puts(&line, group->name);
    if (group->count == 2) {
        pg_buf_printf(&line, " (and 1 other %s)", noun);
    } else if (group->count > 2) {
        pg_buf_printf(&line, " (and %zu other %ss)", group->count - 1, noun);
    }
    pg_buf_puts(&line, ": ");
    pg_buf_puts(&line, group->text);
    copy = pg_arena_strndup(arena, line.ptr, line.len);
    pg_buf_release(&line);
    return copy;
}

/* Merge entry `e` into the groups built so far (same text: add counts, keep smaller name). */
static void merge(struct pg_audit_group *groups, size_t *len, const struct pg_group_entry *e)
{
    for (size_t i = 0; i < *len; i++) {
        if (strlen(groups[i].text) == e->text_len &&
            memcmp(groups[i].text, e->text, e->text_len) == 0) {
            groups[i].count += e->count;
            if (strcmp(e->name, groups[i].name) < 0) {
                groups[i].name = e->name;
            }
            return;
        }
    }
    groups[*len].name = e->name;
    groups[*len].text = e->text;
    groups[*len].count = e->count;
    (*len)++;
}

void pg_group_table_view(struct pg_audit_groups *out, struct pg_arena *arena,
                         const struct pg_group_table *table, uint64_t mask_filter, const char *noun,
                         size_t total)
{
    struct pg_audit_group *groups = pg_arena_calloc(arena, table->len + 1, sizeof(*groups));
    size_t len = 0;
    size_t listed = 0;
    for (size_t i = 0; i < table->len; i++) {
        if ((table->items[i].mask & mask_filter) != 0) {
            merge(groups, &len, &table->items[i]);
        }
    }
    for (size_t i = 0; i < len; i++) {
        /* Names and texts move into the arena: the table may be released before the view. */
        groups[i].name = pg_arena_strndup(arena, groups[i].name, strlen(groups[i].name));
        groups[i].text = pg_arena_strndup(arena, groups[i].text, strlen(groups[i].text));
        groups[i].line = render_line(arena, &groups[i], noun);
        listed += groups[i].count;
    }
    if (len > 1) {
        qsort(groups, len, sizeof(*groups), compare_lines);
    }
    out->items = groups;
    out->len = len;
    out->dropped = total > listed ? total - listed : 0;
}
