/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scan records (see podgate/scan_record.h): deep copies of results and
 * diagnostics in one arena, and the order they came in. Only what report
 * writers read is copied; tree pointers become NULL.
 */
#include "podgate/scan_record.h"

#include "podgate/arena.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct entry {
    const struct pg_scan_result *result; /* exactly one of the two is set */
    const struct pg_scan_diag *diag;
};

struct pg_scan_record {
    struct pg_arena *arena;
    struct entry *entries;
    size_t len;
    size_t cap;
    const char *source; /* the last source copied: results of one source share it */
};

int pg_scan_record_new(struct pg_scan_record **out, struct pg_error *err)
{
    struct pg_scan_record *record = NULL;
    if (out == NULL) {
        return pg_error_set(err, PG_EINVAL, "pg_scan_record_new: NULL argument");
    }
    record = pg_xcalloc(1, sizeof(*record));
    record->arena = pg_arena_new();
    *out = record;
    return 0;
}

void pg_scan_record_free(struct pg_scan_record *record)
{
    if (record == NULL) {
        return;
    }
    pg_arena_free(record->arena);
    free(record->entries);
    free(record);
}

void pg_scan_record_clear(struct pg_scan_record *record)
{
    pg_arena_reset(record->arena);
    record->len = 0;
    record->source = NULL;
}

size_t pg_scan_record_len(const struct pg_scan_record *record)
{
    return record->len;
}

static struct entry *add_entry(struct pg_scan_record *record)
{
    struct entry *entry = NULL;
    if (record->len == record->cap) {
        record->cap = record->cap != 0 ? 2 * record->cap : 64;
        record->entries = pg_xrealloc(record->entries, record->cap, sizeof(*record->entries));
    }
    entry = &record->entries[record->len++];
    memset(entry, 0, sizeof(*entry));
    return entry;
}

static struct pg_str copy_str(struct pg_arena *arena, struct pg_str text)
{
    struct pg_str copy = {pg_arena_strndup(arena, text.ptr, text.len), text.len};
    return copy;
}

static const char *copy_cstr(struct pg_arena *arena, const char *text)
{
    return text != NULL ? pg_arena_strndup(arena, text, strlen(text)) : NULL;
}

static const char *copy_source(struct pg_scan_record *record, const char *source)
{
    if (source == NULL) {
        return NULL;
    }
    if (record->source == NULL || strcmp(record->source, source) != 0) {
        record->source = copy_cstr(record->arena, source);
    }
    return record->source;
}

/* The workload's identity; the tree it came from is not kept. */
static const struct pg_workload *copy_workload(struct pg_arena *arena,
                                               const struct pg_workload *workload)
{
    struct pg_workload *copy = NULL;
    if (workload == NULL) {
        return NULL;
    }
    copy = pg_arena_calloc(arena, 1, sizeof(*copy));
    copy->kind = workload->kind;
    copy->ref.api_version = copy_str(arena, workload->ref.api_version);
    copy->ref.kind = copy_str(arena, workload->ref.kind);
    copy->ref.namespace_ = copy_str(arena, workload->ref.namespace_);
    copy->ref.name = copy_str(arena, workload->ref.name);
    copy->spec_path = workload->spec_path; /* static */
    copy->has_template = workload->has_template;
    return copy;
}

static void copy_location(struct pg_arena *arena, struct pg_scan_location *out,
                          const struct pg_scan_location *location)
{
    *out = *location;
    out->path = copy_cstr(arena, location->path);
}

static void copy_violation(struct pg_arena *arena, struct pg_scan_violation *out,
                           const struct pg_scan_violation *v)
{
    struct pg_scan_location *locations =
        pg_arena_calloc(arena, v->locations_len + 1, sizeof(*locations));
    for (size_t j = 0; j < v->locations_len; j++) {
        copy_location(arena, &locations[j], &v->locations[j]);
    }
    out->check = v->check;
    out->reason = copy_str(arena, v->reason);
    out->detail = copy_str(arena, v->detail);
    out->locations = locations;
    out->locations_len = v->locations_len;
}

static const struct pg_scan_violation *
copy_violations(struct pg_arena *arena, const struct pg_scan_violation *violations, size_t len)
{
    struct pg_scan_violation *copy = pg_arena_calloc(arena, len + 1, sizeof(*copy));
    for (size_t i = 0; i < len; i++) {
        copy_violation(arena, &copy[i], &violations[i]);
    }
    return copy;
}

static const struct pg_scan_exempted_violation *
copy_exempted_violations(struct pg_arena *arena, const struct pg_scan_exempted_violation *exempted,
                         size_t len)
{
    struct pg_scan_exempted_violation *copy = pg_arena_calloc(arena, len + 1, sizeof(*copy));
    for (size_t i = 0; i < len; i++) {
        copy[i] = exempted[i];
        copy_violation(arena, &copy[i].violation, &exempted[i].violation);
        copy[i].policy = copy_str(arena, exempted[i].policy);
        copy[i].reason = copy_str(arena, exempted[i].reason);
        copy[i].owner = copy_str(arena, exempted[i].owner);
    }
    return copy;
}

static const struct pg_scan_exempted *
copy_exempted(struct pg_arena *arena, const struct pg_scan_exempted *exempted, size_t len)
{
    struct pg_scan_exempted *copy = pg_arena_calloc(arena, len + 1, sizeof(*copy));
    for (size_t i = 0; i < len; i++) {
        copy[i] = exempted[i];
        copy[i].container_name = copy_str(arena, exempted[i].container_name);
        copy[i].value = copy_str(arena, exempted[i].value);
        copy[i].name = copy_str(arena, exempted[i].name);
        copy[i].policy = copy_str(arena, exempted[i].policy);
        copy[i].reason = copy_str(arena, exempted[i].reason);
        copy_location(arena, &copy[i].location, &exempted[i].location);
    }
    return copy;
}

static void record_result(const struct pg_scan_result *result, void *ctx)
{
    struct pg_scan_record *record = ctx;
    struct pg_scan_result *copy = pg_arena_alloc(record->arena, sizeof(*copy));
    *copy = *result;
    copy->source = copy_source(record, result->source);
    copy->workload = copy_workload(record->arena, result->workload);
    copy->violations = copy_violations(record->arena, result->violations, result->violations_len);
    copy->message = copy_str(record->arena, result->message);
    copy->pod = NULL;
    copy->findings = NULL;
    copy->exempted = copy_exempted(record->arena, result->exempted, result->exempted_len);
    copy->exempted_violations = copy_exempted_violations(record->arena, result->exempted_violations,
                                                         result->exempted_violations_len);
    add_entry(record)->result = copy;
}

static void record_diag(const struct pg_scan_diag *diag, void *ctx)
{
    struct pg_scan_record *record = ctx;
    struct pg_scan_diag *copy = pg_arena_alloc(record->arena, sizeof(*copy));
    *copy = *diag;
    copy->source = copy_source(record, diag->source);
    copy->path = copy_cstr(record->arena, diag->path);
    copy->message = copy_cstr(record->arena, diag->message);
    add_entry(record)->diag = copy;
}

struct pg_scan_sink pg_scan_record_sink(struct pg_scan_record *record)
{
    struct pg_scan_sink sink = {record_result, record_diag, record};
    return sink;
}

void pg_scan_record_replay(const struct pg_scan_record *record, const struct pg_scan_sink *sink)
{
    pg_scan_record_replay_shifted(record, 0, sink);
}

void pg_scan_record_replay_shifted(const struct pg_scan_record *record, size_t document_offset,
                                   const struct pg_scan_sink *sink)
{
    for (size_t i = 0; i < record->len; i++) {
        const struct entry *entry = &record->entries[i];
        if (entry->result != NULL && sink->result != NULL) {
            struct pg_scan_result result = *entry->result;
            result.document += document_offset;
            sink->result(&result, sink->ctx);
        } else if (entry->diag != NULL && sink->diag != NULL) {
            struct pg_scan_diag diag = *entry->diag;
            diag.document += document_offset;
            sink->diag(&diag, sink->ctx);
        }
    }
}
