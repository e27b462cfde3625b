/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading custom policies: read `podgate.dev/v1alpha1` Policy documents with
 * the doc reader and compile them into an immutable set. Validation is
 * strict, because a typo in a security exemption must not silently widen or
 * void it: every unknown key, bad value, duplicate or empty scope list
 * rejects the whole file with its position. Matching lives in
 * custom_apply.c, namespace binding in custom_bind.c.
 */
#include "checks/checks.h"
#include "policy/custom.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_VERSION "podgate.dev/v1alpha1"
#define POLICY_NAME_MAX 63
#define QUOTE_MAX 80

struct loader {
    struct pg_policy_set *set;
    const char *source;
    struct pg_error *err;
};

static int fail(const struct loader *ld, const struct pg_node *node, bool at_key, const char *path,
                const char *fmt, ...) PG_PRINTF(5, 6);

/* Reject the file: `source:line:column: path: what`, pointing at the node or at its key. */
static int fail(const struct loader *ld, const struct pg_node *node, bool at_key, const char *path,
                const char *fmt, ...)
{
    char what[PG_ERROR_MESSAGE_MAX];
    uint32_t line = node != NULL ? node->line : 1;
    uint32_t column = node != NULL ? node->column : 1;
    va_list args;
    if (at_key && node != NULL && node->key_line != 0) {
        line = node->key_line;
        column = node->key_column;
    }
    va_start(args, fmt);
    if (vsnprintf(what, sizeof(what), fmt, args) < 0) {
        what[0] = '\0';
    }
    va_end(args);
    return pg_error_set_at(ld->err, PG_ETYPE, line, column, path, "%s:%u:%u: %s: %s", ld->source,
                           (unsigned)line, (unsigned)column, path, what);
}

/* Field paths for messages; a path too long for the buffer is cut, which only shortens a message.
 */
static void join_path(char *out, size_t size, const char *parent, const char *key)
{
    if (snprintf(out, size, "%s%s%s", parent, parent[0] != '\0' ? "." : "", key) < 0) {
        out[0] = '\0';
    }
}

static void index_path(char *out, size_t size, const char *parent, size_t index)
{
    if (snprintf(out, size, "%s[%zu]", parent, index) < 0) {
        out[0] = '\0';
    }
}

static bool text_is(struct pg_str text, const char *literal)
{
    return text.len == strlen(literal) && memcmp(text.ptr, literal, text.len) == 0;
}

/* At most QUOTE_MAX bytes of a string, for messages. */
static int quote_len(struct pg_str text)
{
    return (int)(text.len < QUOTE_MAX ? text.len : QUOTE_MAX);
}

static struct pg_str copy_str(const struct loader *ld, struct pg_str text)
{
    struct pg_str copy = {pg_arena_strndup(ld->set->arena, text.ptr != NULL ? text.ptr : "",
                                           text.ptr != NULL ? text.len : 0),
                          text.ptr != NULL ? text.len : 0};
    return copy;
}

/* Every key of `map` must be one of `allowed` (NULL-terminated). */
static int check_keys(const struct loader *ld, const struct pg_node *map, const char *path,
                      const char *const *allowed)
{
    for (size_t i = 0; i < map->as.map.len; i++) {
        const struct pg_map_entry *entry = &map->as.map.entries[i];
        bool known = false;
        char key_path[PG_ERROR_PATH_MAX];
        for (size_t k = 0; allowed[k] != NULL && !known; k++) {
            known = text_is(entry->key, allowed[k]);
        }
        if (!known) {
            if (snprintf(key_path, sizeof(key_path), "%s%s%.*s", path, path[0] ? "." : "",
                         quote_len(entry->key), entry->key.ptr) < 0) {
                key_path[0] = '\0';
            }
            return fail(ld, entry->value, true, key_path, "unknown key \"%.*s\"",
                        quote_len(entry->key), entry->key.ptr);
        }
    }
    return 0;
}

static int expect_kind(const struct loader *ld, const struct pg_node *node, const char *path,
                       enum pg_node_kind kind)
{
    if (node->kind != kind) {
        return fail(ld, node, false, path, "expected %s, got %s", pg_node_kind_name(kind),
                    pg_node_kind_name(node->kind));
    }
    return 0;
}

/* A required child: present and not null, else "missing" at the parent. */
static int require(const struct pg_node **out, const struct loader *ld, const struct pg_node *map,
                   const char *path, const char *key, const char *why)
{
    char child_path[PG_ERROR_PATH_MAX];
    *out = pg_node_get(map, key);
    if (pg_node_unset(*out)) {
        join_path(child_path, sizeof(child_path), path, key);
        return fail(ld, map, true, child_path, "missing%s", why);
    }
    return 0;
}

/*
 * A key written without a value (`containers:`, `expires: ~`) would read as
 * absent: the widest scope, or an exemption that never expires. That is
 * rarely what was meant (a list indented one level too far, an unfilled
 * template), so it rejects the file instead.
 */
static int reject_null(const struct loader *ld, const struct pg_node *map, const char *path,
                       const char *key, const char *instead)
{
    const struct pg_node *node = pg_node_get(map, key);
    char child_path[PG_ERROR_PATH_MAX];
    if (node == NULL || node->kind != PG_NODE_NULL) {
        return 0;
    }
    join_path(child_path, sizeof(child_path), path, key);
    return fail(ld, node, true, child_path, "null: %s or leave the key out", instead);
}

/* An optional string (absent or null: empty); required ones go through `require` first. */
static int read_string(struct pg_str *out, const struct loader *ld, const struct pg_node *map,
                       const char *path, const char *key)
{
    const struct pg_node *node = pg_node_get(map, key);
    char child_path[PG_ERROR_PATH_MAX];
    out->ptr = "";
    out->len = 0;
    if (pg_node_unset(node)) {
        return 0;
    }
    join_path(child_path, sizeof(child_path), path, key);
    if (expect_kind(ld, node, child_path, PG_NODE_STR) != 0) {
        return PG_ETYPE;
    }
    *out = copy_str(ld, node->as.str);
    return 0;
}

/* The scalar text `values` compares with: strings as is, integers in decimal, booleans. */
static int value_text(struct pg_str *out, const struct loader *ld, const struct pg_node *node,
                      const char *path)
{
    char number[32];
    switch (node->kind) {
    case PG_NODE_STR:
        *out = copy_str(ld, node->as.str);
        return 0;
    case PG_NODE_INT:
        (void)snprintf(number, sizeof(number), "%" PRId64, node->as.integer);
        *out = copy_str(ld, (struct pg_str){number, strlen(number)});
        return 0;
    case PG_NODE_BOOL:
        *out = node->as.boolean ? PG_STR_LIT("true") : PG_STR_LIT("false");
        return 0;
    case PG_NODE_NULL:
    case PG_NODE_FLOAT:
    case PG_NODE_SEQ:
    case PG_NODE_MAP:
    case PG_NODE_UNREAD:
        break;
    }
    return fail(ld, node, false, path, "expected a string or an integer, got %s",
                pg_node_kind_name(node->kind));
}

/*
 * An optional, non-empty list of globs (`as_glob`) or of values. An empty
 * list is an error: it would read as "no scope", the widest exemption.
 */
static int read_list(struct pg_str_list *out, const struct loader *ld, const struct pg_node *map,
                     const char *path, const char *key, bool as_glob)
{
    const struct pg_node *node = pg_node_get(map, key);
    char list_path[PG_ERROR_PATH_MAX];
    struct pg_str *items = NULL;
    out->items = NULL;
    out->len = 0;
    if (reject_null(ld, map, path, key, "list at least one entry") != 0) {
        return PG_ETYPE;
    }
    if (node == NULL) {
        return 0;
    }
    join_path(list_path, sizeof(list_path), path, key);
    if (expect_kind(ld, node, list_path, PG_NODE_SEQ) != 0) {
        return PG_ETYPE;
    }
    if (node->as.seq.len == 0) {
        return fail(ld, node, false, list_path, "empty list: leave the key out instead");
    }
    items = pg_arena_calloc(ld->set->arena, node->as.seq.len, sizeof(*items));
    for (size_t i = 0; i < node->as.seq.len; i++) {
        const struct pg_node *item = node->as.seq.items[i];
        const char *why = NULL;
        char item_path[PG_ERROR_PATH_MAX];
        index_path(item_path, sizeof(item_path), list_path, i);
        if (!as_glob) {
            if (value_text(&items[i], ld, item, item_path) != 0) {
                return PG_ETYPE;
            }
            continue;
        }
        if (expect_kind(ld, item, item_path, PG_NODE_STR) != 0) {
            return PG_ETYPE;
        }
        if (pg_glob_validate(item->as.str, &why) != 0) {
            return fail(ld, item, false, item_path, "bad glob \"%.*s\": %s",
                        quote_len(item->as.str), item->as.str.ptr, why);
        }
        items[i] = copy_str(ld, item->as.str);
    }
    out->items = items;
    out->len = node->as.seq.len;
    return 0;
}

/* The restricted check that replaces `check` at this level and minor, if any (for hints). */
static const char *replaced_by(enum pg_check_id check, pg_check_set active)
{
    for (unsigned id = 0; id < PG_CHECK_COUNT; id++) {
        const struct pg_check_info *info = &pg_checks_registry[id];
        if (info->has_override && info->overrides == check &&
            (active & ((pg_check_set)1u << id)) != 0) {
            return info->name;
        }
    }
    return NULL;
}

static int read_check(pg_check_set *checks, const struct loader *ld, const struct pg_node *item,
                      const char *path, const struct pg_policy *policy)
{
    unsigned minor = pg_version_effective_minor(policy->level.version);
    pg_check_set active = pg_checks_for(policy->level.level, minor);
    enum pg_check_id check = PG_CHECK_COUNT;
    const char *replacement = NULL;
    char lv[64];
    if (expect_kind(ld, item, path, PG_NODE_STR) != 0) {
        return PG_ETYPE;
    }
    if (pg_check_from_name(&check, item->as.str.ptr, item->as.str.len) != 0) {
        return fail(ld, item, false, path,
                    "unknown check \"%.*s\" (run 'podgate explain' for the list)",
                    quote_len(item->as.str), item->as.str.ptr);
    }
    if ((active & ((pg_check_set)1u << check)) == 0) {
        (void)pg_level_version_format(lv, sizeof(lv), policy->level);
        replacement = replaced_by(check, active);
        return fail(ld, item, false, path, "check \"%s\" does not run at %s%s%s%s",
                    pg_check_name(check), lv, replacement ? " (it is replaced by " : "",
                    replacement ? replacement : "", replacement ? ")" : "");
    }
    *checks |= (pg_check_set)1u << check;
    return 0;
}

/* Item `index` of `list` names a check an earlier item named: say which (a likely typo). */
static int duplicate_check(const struct loader *ld, const struct pg_node *list, size_t index,
                           const char *item_path)
{
    struct pg_str name = list->as.seq.items[index]->as.str;
    size_t earlier = 0;
    for (; earlier < index; earlier++) {
        struct pg_str other = list->as.seq.items[earlier]->as.str;
        if (other.len == name.len && memcmp(other.ptr, name.ptr, name.len) == 0) {
            break;
        }
    }
    return fail(ld, list->as.seq.items[index], false, item_path,
                "duplicate check \"%.*s\" (also checks[%zu])", quote_len(name), name.ptr, earlier);
}

static int read_checks(pg_check_set *out, const struct loader *ld, const struct pg_node *map,
                       const char *path, const struct pg_policy *policy)
{
    const struct pg_node *node = NULL;
    char list_path[PG_ERROR_PATH_MAX];
    *out = 0;
    if (require(&node, ld, map, path, "checks", " (the upstream check ids to exempt)") != 0) {
        return PG_ETYPE;
    }
    join_path(list_path, sizeof(list_path), path, "checks");
    if (expect_kind(ld, node, list_path, PG_NODE_SEQ) != 0) {
        return PG_ETYPE;
    }
    if (node->as.seq.len == 0) {
        return fail(ld, node, false, list_path, "empty list: name at least one check");
    }
    for (size_t i = 0; i < node->as.seq.len; i++) {
        char item_path[PG_ERROR_PATH_MAX];
        pg_check_set before = *out;
        index_path(item_path, sizeof(item_path), list_path, i);
        if (read_check(out, ld, node->as.seq.items[i], item_path, policy) != 0) {
            return PG_ETYPE;
        }
        if (*out == before) {
            return duplicate_check(ld, node, i, item_path);
        }
    }
    return 0;
}

static bool is_blank(struct pg_str text)
{
    for (size_t i = 0; i < text.len; i++) {
        if (text.ptr[i] != ' ' && text.ptr[i] != '\t' && text.ptr[i] != '\n' &&
            text.ptr[i] != '\r') {
            return false;
        }
    }
    return true;
}

static int read_reason_and_expiry(struct pg_policy_exemption *out, const struct loader *ld,
                                  const struct pg_node *map, const char *path)
{
    const struct pg_node *node = NULL;
    char child_path[PG_ERROR_PATH_MAX];
    struct pg_str expires = {"", 0};
    if (require(&node, ld, map, path, "reason", " (every exemption must say why)") != 0 ||
        read_string(&out->reason, ld, map, path, "reason") != 0 ||
        read_string(&out->owner, ld, map, path, "owner") != 0 ||
        reject_null(ld, map, path, "expires", "give the last day it applies (YYYY-MM-DD)") != 0 ||
        read_string(&expires, ld, map, path, "expires") != 0) {
        return PG_ETYPE;
    }
    if (is_blank(out->reason)) {
        join_path(child_path, sizeof(child_path), path, "reason");
        return fail(ld, node, false, child_path, "empty: every exemption must say why");
    }
    out->has_expiry = pg_node_get(map, "expires") != NULL;
    if (out->has_expiry && pg_date_parse(&out->expires, expires.ptr, expires.len) != 0) {
        join_path(child_path, sizeof(child_path), path, "expires");
        return fail(ld, pg_node_get(map, "expires"), false, child_path,
                    "bad date \"%.*s\": want YYYY-MM-DD, a real calendar day", quote_len(expires),
                    expires.ptr);
    }
    return 0;
}

/* `volumes` scopes volume findings, which are pod-level: it only fits the volume checks. */
static int check_volume_scope(const struct loader *ld, const struct pg_policy_exemption *out,
                              const struct pg_node *map, const char *path)
{
    const pg_check_set volume_checks = ((pg_check_set)1u << PG_CHECK_HOST_PATH_VOLUMES) |
                                       ((pg_check_set)1u << PG_CHECK_RESTRICTED_VOLUMES);
    char child_path[PG_ERROR_PATH_MAX];
    if (out->volumes.len == 0) {
        return 0;
    }
    join_path(child_path, sizeof(child_path), path, "volumes");
    if (out->containers.len > 0 || out->images.len > 0) {
        return fail(ld, pg_node_get(map, "volumes"), true, child_path,
                    "cannot be combined with containers or images: volumes belong to the pod");
    }
    if ((out->checks & ~volume_checks) != 0) {
        return fail(ld, pg_node_get(map, "volumes"), true, child_path,
                    "only hostPathVolumes and restrictedVolumes report volumes");
    }
    return 0;
}

static int read_exemption(struct pg_policy_exemption *out, const struct loader *ld,
                          const struct pg_node *node, const char *path,
                          const struct pg_policy *policy)
{
    static const char *const KEYS[] = {"checks", "containers", "images",  "values", "volumes",
                                       "reason", "owner",      "expires", NULL};
    if (expect_kind(ld, node, path, PG_NODE_MAP) != 0 || check_keys(ld, node, path, KEYS) != 0 ||
        read_checks(&out->checks, ld, node, path, policy) != 0 ||
        read_list(&out->containers, ld, node, path, "containers", true) != 0 ||
        read_list(&out->images, ld, node, path, "images", true) != 0 ||
        read_list(&out->values, ld, node, path, "values", false) != 0 ||
        read_list(&out->volumes, ld, node, path, "volumes", true) != 0 ||
        read_reason_and_expiry(out, ld, node, path) != 0 ||
        check_volume_scope(ld, out, node, path) != 0) {
        return PG_ETYPE;
    }
    out->line = node->line;
    out->column = node->column;
    return 0;
}

static int read_exemptions(struct pg_policy *policy, const struct loader *ld,
                           const struct pg_node *spec)
{
    const struct pg_node *node = pg_node_get(spec, "exemptions");
    struct pg_policy_exemption *exemptions = NULL;
    if (pg_node_unset(node)) {
        return 0;
    }
    if (expect_kind(ld, node, "spec.exemptions", PG_NODE_SEQ) != 0) {
        return PG_ETYPE;
    }
    exemptions = pg_arena_calloc(ld->set->arena, node->as.seq.len + 1, sizeof(*exemptions));
    for (size_t i = 0; i < node->as.seq.len; i++) {
        char path[PG_ERROR_PATH_MAX];
        index_path(path, sizeof(path), "spec.exemptions", i);
        exemptions[i].index = i;
        exemptions[i].set_index = ld->set->exemptions_total + i;
        if (read_exemption(&exemptions[i], ld, node->as.seq.items[i], path, policy) != 0) {
            return PG_ETYPE;
        }
    }
    policy->exemptions = exemptions;
    policy->exemptions_len = node->as.seq.len;
    ld->set->exemptions_total += node->as.seq.len;
    return 0;
}

static bool is_literal(struct pg_str pattern)
{
    for (size_t i = 0; i < pattern.len; i++) {
        if (strchr("*?[\\", pattern.ptr[i]) != NULL) {
            return false;
        }
    }
    return true;
}

/* Two patterns surely claim a common namespace: equal, or one is a name the other matches. */
static bool patterns_overlap(struct pg_str a, struct pg_str b)
{
    return (a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0) ||
           (is_literal(a) && pg_glob_match(b, a)) || (is_literal(b) && pg_glob_match(a, b));
}

/* The first namespace pattern of an earlier policy that overlaps `mine`, or NULL. */
static const struct pg_policy *earlier_claim(const struct pg_policy_set *set, struct pg_str mine,
                                             struct pg_str *theirs_out)
{
    for (size_t p = 0; p < set->len; p++) {
        const struct pg_policy *other = &set->policies[p];
        for (size_t j = 0; j < other->namespaces.len; j++) {
            if (patterns_overlap(mine, other->namespaces.items[j])) {
                *theirs_out = other->namespaces.items[j];
                return other;
            }
        }
    }
    return NULL;
}

/*
 * A namespace may be claimed by one policy only. Overlaps that involve a
 * plain name are caught here; two globs that happen to overlap are caught
 * when a namespace matches both (pg_policy_set_for_namespace).
 */
static int check_namespace_claims(const struct loader *ld, const struct pg_policy *policy,
                                  const struct pg_node *spec)
{
    const struct pg_node *list = pg_node_get(spec, "namespaces");
    for (size_t i = 0; i < policy->namespaces.len; i++) {
        struct pg_str mine = policy->namespaces.items[i];
        struct pg_str theirs = {"", 0};
        const struct pg_policy *other = earlier_claim(ld->set, mine, &theirs);
        char path[PG_ERROR_PATH_MAX];
        if (other == NULL) {
            continue;
        }
        index_path(path, sizeof(path), "spec.namespaces", i);
        return fail(ld, list->as.seq.items[i], false, path,
                    "\"%s\" overlaps \"%s\" of policy \"%s\" (line %u): a namespace can be "
                    "claimed by one policy only",
                    mine.ptr, theirs.ptr, other->name.ptr, (unsigned)other->line);
    }
    return 0;
}

static int read_level(struct pg_policy *policy, const struct loader *ld, const struct pg_node *spec)
{
    const struct pg_node *node = NULL;
    struct pg_str version = {"latest", 6};
    if (require(&node, ld, spec, "spec", "level", " (privileged, baseline or restricted)") != 0 ||
        expect_kind(ld, node, "spec.level", PG_NODE_STR) != 0) {
        return PG_ETYPE;
    }
    if (pg_level_parse(&policy->level.level, node->as.str.ptr, node->as.str.len) != 0) {
        return fail(ld, node, false, "spec.level",
                    "invalid level \"%.*s\": must be one of privileged, baseline, restricted",
                    quote_len(node->as.str), node->as.str.ptr);
    }
    node = pg_node_get(spec, "version");
    if (!pg_node_unset(node)) {
        if (expect_kind(ld, node, "spec.version", PG_NODE_STR) != 0) {
            return PG_ETYPE;
        }
        version = node->as.str;
    }
    if (pg_version_parse(&policy->level.version, version.ptr, version.len) != 0) {
        return fail(ld, node, false, "spec.version",
                    "invalid version \"%.*s\": must be \"latest\" or \"v1.x\"", quote_len(version),
                    version.ptr);
    }
    return 0;
}

static int read_spec(struct pg_policy *policy, const struct loader *ld,
                     const struct pg_node *object)
{
    static const char *const KEYS[] = {"level", "version", "namespaces", "exemptions", NULL};
    const struct pg_node *spec = NULL;
    if (require(&spec, ld, object, "", "spec", "") != 0 ||
        expect_kind(ld, spec, "spec", PG_NODE_MAP) != 0 ||
        check_keys(ld, spec, "spec", KEYS) != 0 || read_level(policy, ld, spec) != 0 ||
        read_list(&policy->namespaces, ld, spec, "spec", "namespaces", true) != 0 ||
        check_namespace_claims(ld, policy, spec) != 0 || read_exemptions(policy, ld, spec) != 0) {
        return PG_ETYPE;
    }
    return 0;
}

/* A policy name is also a label value: keep it to a lowercase RFC 1123 label. */
static bool valid_name(struct pg_str name)
{
    if (name.len == 0 || name.len > POLICY_NAME_MAX || name.ptr[0] == '-' ||
        name.ptr[name.len - 1] == '-') {
        return false;
    }
    for (size_t i = 0; i < name.len; i++) {
        char c = name.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return false;
        }
    }
    return true;
}

static int read_metadata(struct pg_policy *policy, const struct loader *ld,
                         const struct pg_node *object)
{
    static const char *const KEYS[] = {"name", "labels", "annotations", NULL};
    const struct pg_node *metadata = NULL;
    const struct pg_node *name = NULL;
    const struct pg_policy *earlier = NULL;
    if (require(&metadata, ld, object, "", "metadata", "") != 0 ||
        expect_kind(ld, metadata, "metadata", PG_NODE_MAP) != 0 ||
        check_keys(ld, metadata, "metadata", KEYS) != 0 ||
        require(&name, ld, metadata, "metadata", "name", "") != 0 ||
        expect_kind(ld, name, "metadata.name", PG_NODE_STR) != 0) {
        return PG_ETYPE;
    }
    if (!valid_name(name->as.str)) {
        return fail(ld, name, false, "metadata.name",
                    "invalid policy name \"%.*s\": use at most 63 of a-z, 0-9 and '-', "
                    "starting and ending with a letter or digit",
                    quote_len(name->as.str), name->as.str.ptr);
    }
    earlier = pg_policy_set_find(ld->set, name->as.str);
    if (earlier != NULL) {
        return fail(ld, name, false, "metadata.name",
                    "duplicate policy name \"%s\" (first defined at line %u)", earlier->name.ptr,
                    (unsigned)earlier->line);
    }
    policy->name = copy_str(ld, name->as.str);
    return 0;
}

static int check_type(const struct loader *ld, const struct pg_node *object)
{
    static const char *const KEYS[] = {"apiVersion", "kind", "metadata", "spec", NULL};
    const struct pg_node *node = NULL;
    if (check_keys(ld, object, "", KEYS) != 0 ||
        require(&node, ld, object, "", "apiVersion", " (" API_VERSION ")") != 0) {
        return PG_ETYPE;
    }
    if (expect_kind(ld, node, "apiVersion", PG_NODE_STR) != 0) {
        return PG_ETYPE;
    }
    if (!text_is(node->as.str, API_VERSION)) {
        return fail(ld, node, false, "apiVersion", "want \"" API_VERSION "\", got \"%.*s\"",
                    quote_len(node->as.str), node->as.str.ptr);
    }
    if (require(&node, ld, object, "", "kind", " (Policy)") != 0 ||
        expect_kind(ld, node, "kind", PG_NODE_STR) != 0) {
        return PG_ETYPE;
    }
    if (!text_is(node->as.str, "Policy")) {
        return fail(ld, node, false, "kind", "want \"Policy\", got \"%.*s\"",
                    quote_len(node->as.str), node->as.str.ptr);
    }
    return 0;
}

/* How the doc reader (tree.c, warn_duplicate) words what follows a duplicate key's name. */
#define LAST_VALUE_WINS ": the last value wins (it replaces the value at line "

/*
 * The doc reader's duplicate-key warning speaks for scan, where the last
 * value wins; here the file is rejected, so the message must not say that.
 * Any other wording is passed on as it is.
 */
static int reject_duplicate_key(const struct loader *ld, const struct pg_diag *warning)
{
    const size_t marker_len = sizeof(LAST_VALUE_WINS) - 1;
    struct pg_str text = warning->message;
    size_t cut = 0;
    while (cut + marker_len <= text.len &&
           memcmp(text.ptr + cut, LAST_VALUE_WINS, marker_len) != 0) {
        cut++;
    }
    if (cut + marker_len >= text.len || text.ptr[text.len - 1] != ')') {
        return pg_error_set_at(ld->err, PG_ETYPE, warning->line, warning->column, "",
                               "%s:%u:%u: %.*s", ld->source, (unsigned)warning->line,
                               (unsigned)warning->column, (int)text.len, text.ptr);
    }
    return pg_error_set_at(
        ld->err, PG_ETYPE, warning->line, warning->column, "",
        "%s:%u:%u: %.*s (first at line %.*s): a policy file must not repeat a key", ld->source,
        (unsigned)warning->line, (unsigned)warning->column, (int)cut, text.ptr,
        (int)(text.len - cut - marker_len - 1), text.ptr + cut + marker_len);
}

static int load_document(const struct loader *ld, const struct pg_doc *doc)
{
    struct pg_policy policy;
    struct pg_policy_set *set = ld->set;
    memset(&policy, 0, sizeof(policy));
    if (doc->root == NULL) {
        return 0;
    }
    /* A duplicate key would silently drop half of a scope: refuse it in a policy file. */
    if (doc->warnings_len > 0) {
        return reject_duplicate_key(ld, &doc->warnings[0]);
    }
    if (expect_kind(ld, doc->root, "(document)", PG_NODE_MAP) != 0 ||
        check_type(ld, doc->root) != 0) {
        return PG_ETYPE;
    }
    policy.source = ld->source;
    policy.document = doc->index;
    policy.line = doc->root->line;
    if (read_metadata(&policy, ld, doc->root) != 0 || read_spec(&policy, ld, doc->root) != 0) {
        return PG_ETYPE;
    }
    if (set->len == set->cap) {
        set->cap = set->cap != 0 ? set->cap * 2 : 4;
        set->policies = pg_xrealloc(set->policies, set->cap, sizeof(*set->policies));
    }
    policy.index = set->len;
    set->policies[set->len++] = policy;
    return 0;
}

static int load_all(const struct loader *ld, const char *data, size_t len)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_error read_err;
    int rc = pg_doc_reader_new(&reader, data, len, PG_FORMAT_AUTO, NULL, &read_err);
    while (rc == 0) {
        rc = pg_doc_reader_next(reader, &doc, NULL, &read_err);
        if (rc <= 0) {
            break;
        }
        rc = load_document(ld, doc);
        pg_doc_free(doc);
        if (rc != 0) {
            pg_doc_reader_free(reader);
            return rc;
        }
    }
    pg_doc_reader_free(reader);
    if (rc < 0) {
        return pg_error_set_at(ld->err, read_err.code, read_err.line, read_err.column,
                               read_err.path, "%s:%u:%u: %s", ld->source, (unsigned)read_err.line,
                               (unsigned)read_err.column, read_err.message);
    }
    if (ld->set->len == 0) {
        return pg_error_set_at(ld->err, PG_ETYPE, 1, 1, "", "%s:1:1: no Policy document found",
                               ld->source);
    }
    return 0;
}

int pg_policy_set_load(struct pg_policy_set **out, const char *data, size_t len,
                       const char *source_name, struct pg_error *err)
{
    struct pg_policy_set *set = NULL;
    struct loader ld;
    int rc = 0;
    if (out == NULL || (data == NULL && len != 0)) {
        return pg_error_set(err, PG_EINVAL, "pg_policy_set_load: NULL argument");
    }
    *out = NULL;
    set = pg_xcalloc(1, sizeof(*set));
    set->arena = pg_arena_new();
    ld.set = set;
    ld.err = err;
    if (source_name == NULL) {
        source_name = "(policy)";
    }
    ld.source = pg_arena_strndup(set->arena, source_name, strlen(source_name));
    rc = load_all(&ld, data != NULL ? data : "", len);
    if (rc != 0) {
        pg_policy_set_free(set);
        return rc;
    }
    *out = set;
    return 0;
}

void pg_policy_set_free(struct pg_policy_set *set)
{
    if (set == NULL) {
        return;
    }
    free(set->policies);
    pg_arena_free(set->arena);
    free(set);
}

size_t pg_policy_set_len(const struct pg_policy_set *set)
{
    return set != NULL ? set->len : 0;
}

const struct pg_policy *pg_policy_set_get(const struct pg_policy_set *set, size_t index)
{
    if (set == NULL || index >= set->len) {
        return NULL;
    }
    return &set->policies[index];
}

const struct pg_policy *pg_policy_set_find(const struct pg_policy_set *set, struct pg_str name)
{
    if (set == NULL || name.ptr == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < set->len; i++) {
        struct pg_str known = set->policies[i].name;
        if (known.len == name.len && memcmp(known.ptr, name.ptr, name.len) == 0) {
            return &set->policies[i];
        }
    }
    return NULL;
}

size_t pg_policy_set_exemptions_total(const struct pg_policy_set *set)
{
    return set != NULL ? set->exemptions_total : 0;
}
