/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The namespace cache, an informer in miniature: a thread LISTs namespaces
 * (paged), then WATCHes from the list's resourceVersion, resumes the watch
 * from the last version seen when the stream ends, relists on 410 Gone, and
 * backs off on errors. Only the pod-security labels are kept. Lookups copy a
 * namespace's labels into the request's arena under a read lock; a miss falls
 * back to a live GET, as upstream does. Pods for the namespace dry run are
 * read with a live paged LIST (no pod cache). Its health (relists, watch restarts, API errors)
 * is counted for the metrics.
 */
#include "server.h"

#include "podgate/doc.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LABEL_PREFIX "pod-security.kubernetes.io/"
#define MAX_LABELS 6
#define BUCKETS 1024
#define PAGE_LIMIT 500
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 30000

/* Lengths are kept next to the strings: every review's lookup hands them to the library. */
struct ns_entry {
    struct ns_entry *next;
    char *name;
    size_t name_len;
    size_t count;
    char *keys[MAX_LABELS];
    char *values[MAX_LABELS];
    size_t key_lens[MAX_LABELS];
    size_t value_lens[MAX_LABELS];
};

struct ns_table {
    struct ns_entry *buckets[BUCKETS];
};

struct pg_nscache {
    pthread_rwlock_t lock;
    struct ns_table *table;
    atomic_bool synced;
    atomic_bool stop;
    pthread_t thread;
    bool started;
    struct pg_kube_client *client;
    char resource_version[128];
    bool relist;
    enum pg_nscache_relist relist_reason;
    bool watch_broken; /* the stream sent a line that is not a watch event */
    long backoff_ms;
    atomic_bool current; /* pg_nscache_health's `synced` */
    atomic_uint_fast64_t watch_restarts;
    atomic_uint_fast64_t relists[PG_NSCACHE_RELIST_COUNT];
    atomic_uint_fast64_t api_errors[PG_NSCACHE_CALL_COUNT];
};

static void count_error(struct pg_nscache *cache, enum pg_nscache_call call)
{
    atomic_fetch_add(&cache->api_errors[call], 1);
}

/* The watch lost track of changes: relist before watching again. */
static void need_relist(struct pg_nscache *cache, enum pg_nscache_relist reason)
{
    cache->relist = true;
    cache->relist_reason = reason;
    atomic_store(&cache->current, false);
}

static uint32_t hash(const char *text, size_t len)
{
    uint32_t h = 2166136261u;
    size_t i = 0;
    for (i = 0; i < len; i++) {
        h = (h ^ (unsigned char)text[i]) * 16777619u;
    }
    return h % BUCKETS;
}

static void entry_free(struct ns_entry *entry)
{
    size_t i = 0;
    for (i = 0; i < entry->count; i++) {
        free(entry->keys[i]);
        free(entry->values[i]);
    }
    free(entry->name);
    free(entry);
}

static void table_free(struct ns_table *table)
{
    size_t i = 0;
    if (table == NULL) {
        return;
    }
    for (i = 0; i < BUCKETS; i++) {
        struct ns_entry *entry = table->buckets[i];
        while (entry != NULL) {
            struct ns_entry *next = entry->next;
            entry_free(entry);
            entry = next;
        }
    }
    free(table);
}

static struct ns_entry **table_slot(struct ns_table *table, const char *name, size_t len)
{
    struct ns_entry **slot = &table->buckets[hash(name, len)];
    while (*slot != NULL && ((*slot)->name_len != len || memcmp((*slot)->name, name, len) != 0)) {
        slot = &(*slot)->next;
    }
    return slot;
}

/* Replace or remove the entry for `entry->name` (NULL labels entry = delete). */
static void table_put(struct ns_table *table, struct ns_entry *entry, bool remove)
{
    struct ns_entry **slot = table_slot(table, entry->name, entry->name_len);
    if (*slot != NULL) {
        struct ns_entry *old = *slot;
        *slot = old->next;
        entry_free(old);
    }
    if (remove) {
        entry_free(entry);
        return;
    }
    entry->next = table->buckets[hash(entry->name, entry->name_len)];
    table->buckets[hash(entry->name, entry->name_len)] = entry;
}

/* An entry from a Namespace object; NULL when it has no name. */
static struct ns_entry *entry_from(const struct pg_node *object)
{
    const struct pg_node *metadata = pg_node_get(object, "metadata");
    const struct pg_node *name = pg_node_get(metadata, "name");
    const struct pg_node *labels = pg_node_get(metadata, "labels");
    struct ns_entry *entry = NULL;
    size_t i = 0;
    if (name == NULL || name->kind != PG_NODE_STR) {
        return NULL;
    }
    entry = pg_xcalloc(1, sizeof(*entry));
    entry->name = pg_xstrndup(name->as.str.ptr, name->as.str.len);
    entry->name_len = name->as.str.len;
    for (i = 0; labels != NULL && labels->kind == PG_NODE_MAP && i < labels->as.map.len; i++) {
        const struct pg_map_entry *label = &labels->as.map.entries[i];
        if (entry->count == MAX_LABELS || label->key.len <= sizeof(LABEL_PREFIX) - 1 ||
            memcmp(label->key.ptr, LABEL_PREFIX, sizeof(LABEL_PREFIX) - 1) != 0 ||
            label->value->kind != PG_NODE_STR) {
            continue;
        }
        entry->keys[entry->count] = pg_xstrndup(label->key.ptr, label->key.len);
        entry->values[entry->count] =
            pg_xstrndup(label->value->as.str.ptr, label->value->as.str.len);
        entry->key_lens[entry->count] = label->key.len;
        entry->value_lens[entry->count] = label->value->as.str.len;
        entry->count++;
    }
    return entry;
}

static const struct pg_node *entry_labels(const struct ns_entry *entry, struct pg_arena *arena)
{
    struct pg_str keys[MAX_LABELS];
    struct pg_str values[MAX_LABELS];
    size_t i = 0;
    for (i = 0; i < entry->count; i++) {
        keys[i] = (struct pg_str){entry->keys[i], entry->key_lens[i]};
        values[i] = (struct pg_str){entry->values[i], entry->value_lens[i]};
    }
    return pg_admission_labels_node(arena, keys, values, entry->count);
}

static struct pg_doc *parse_json(const char *data, size_t len)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_error err;
    if (pg_doc_reader_new(&reader, data, len, PG_FORMAT_JSON, NULL, &err) == 0 &&
        pg_doc_reader_next(reader, &doc, NULL, &err) == 1 && doc->root == NULL) {
        pg_doc_free(doc);
        doc = NULL;
    }
    pg_doc_reader_free(reader);
    return doc;
}

static void copy_string(char *dst, size_t size, const struct pg_node *node)
{
    if (node != NULL && node->kind == PG_NODE_STR && node->as.str.len < size) {
        memcpy(dst, node->as.str.ptr, node->as.str.len);
        dst[node->as.str.len] = '\0';
    }
}

/* One page of the namespace LIST into `table`; sets `next` to the continue token. */
static int list_page(struct pg_nscache *cache, struct ns_table *table, char *next, size_t size)
{
    struct pg_buf path = PG_BUF_INIT;
    struct pg_buf body = PG_BUF_INIT;
    struct pg_buf error = PG_BUF_INIT;
    struct pg_doc *doc = NULL;
    const struct pg_node *items = NULL;
    long status = 0;
    size_t i = 0;
    int rc = 0;
    pg_buf_printf(&path, "/api/v1/namespaces?limit=%d%s%s", PAGE_LIMIT, next[0] ? "&continue=" : "",
                  next);
    rc = pg_kube_get(cache->client, &body, &status, path.ptr, 30000, &error);
    doc = rc == 0 ? parse_json(body.ptr, body.len) : NULL;
    if (rc == 0 && doc == NULL) {
        rc = PG_EPARSE;
    }
    if (rc != 0) {
        pg_log_message("warn", "namespace list failed", error.len > 0 ? error.ptr : "bad JSON");
        count_error(cache, PG_NSCACHE_CALL_LIST);
        goto cleanup;
    }
    items = pg_node_get(doc->root, "items");
    if (items != NULL && items->kind != PG_NODE_SEQ && items->kind != PG_NODE_NULL) {
        /* client-go fails to decode such a list; keep the old cache rather than empty it. */
        pg_log_message("warn", "namespace list failed", "items is not a list");
        count_error(cache, PG_NSCACHE_CALL_LIST);
        rc = PG_EPARSE;
        goto cleanup;
    }
    for (i = 0; items != NULL && items->kind == PG_NODE_SEQ && i < items->as.seq.len; i++) {
        struct ns_entry *entry = entry_from(items->as.seq.items[i]);
        if (entry != NULL) {
            table_put(table, entry, false);
        }
    }
    next[0] = '\0';
    copy_string(next, size, pg_node_get(pg_node_get(doc->root, "metadata"), "continue"));
    copy_string(cache->resource_version, sizeof(cache->resource_version),
                pg_node_get(pg_node_get(doc->root, "metadata"), "resourceVersion"));
cleanup:
    pg_doc_free(doc);
    pg_buf_release(&path);
    pg_buf_release(&body);
    pg_buf_release(&error);
    return rc;
}

static int list_all(struct pg_nscache *cache)
{
    struct ns_table *table = pg_xcalloc(1, sizeof(*table));
    struct ns_table *old = NULL;
    char next[4096] = "";
    int rc = 0;
    do {
        char *escaped = curl_easy_escape(NULL, next, 0);
        char token[4096] = "";
        if (escaped != NULL) {
            (void)snprintf(token, sizeof(token), "%s", escaped);
            curl_free(escaped);
        }
        rc = list_page(cache, table, token, sizeof(token));
        (void)snprintf(next, sizeof(next), "%s", token);
    } while (rc == 0 && next[0] != '\0' && !atomic_load(&cache->stop));
    if (rc != 0 || atomic_load(&cache->stop)) {
        table_free(table);
        return rc != 0 ? rc : PG_EIO;
    }
    (void)pthread_rwlock_wrlock(&cache->lock);
    old = cache->table;
    cache->table = table;
    (void)pthread_rwlock_unlock(&cache->lock);
    table_free(old);
    if (atomic_load(&cache->synced)) {
        atomic_fetch_add(&cache->relists[cache->relist_reason], 1); /* not the first LIST */
    }
    atomic_store(&cache->synced, true);
    atomic_store(&cache->current, true);
    cache->relist = false;
    cache->backoff_ms = BACKOFF_MIN_MS;
    return 0;
}

static void apply_event(struct pg_nscache *cache, const char *type, const struct pg_node *object)
{
    struct ns_entry *entry = entry_from(object);
    copy_string(cache->resource_version, sizeof(cache->resource_version),
                pg_node_get(pg_node_get(object, "metadata"), "resourceVersion"));
    if (strcmp(type, "BOOKMARK") == 0 || entry == NULL) {
        if (entry != NULL) {
            entry_free(entry);
        }
        return;
    }
    (void)pthread_rwlock_wrlock(&cache->lock);
    table_put(cache->table, entry, strcmp(type, "DELETED") == 0);
    (void)pthread_rwlock_unlock(&cache->lock);
    /* The watch works again: the next failure starts backing off from the minimum. */
    cache->backoff_ms = BACKOFF_MIN_MS;
}

/* One watch event line; false to end the watch (relist needed). */
static bool on_event(const char *line, size_t len, void *ctx)
{
    struct pg_nscache *cache = ctx;
    struct pg_doc *doc = parse_json(line, len);
    const struct pg_node *type_node = pg_node_get(doc != NULL ? doc->root : NULL, "type");
    const struct pg_node *object = pg_node_get(doc != NULL ? doc->root : NULL, "object");
    char type[32] = "";
    bool go_on = true;
    copy_string(type, sizeof(type), type_node);
    if (doc == NULL || type[0] == '\0' || object == NULL) {
        /*
         * Not a watch event. client-go stops the watch on a decode error and the
         * reflector starts over after a backoff; events may have been lost, so relist.
         */
        pg_log_message("warn", "namespace watch failed", "undecodable watch event, relisting");
        need_relist(cache, PG_NSCACHE_RELIST_UNDECODABLE);
        cache->watch_broken = true;
        go_on = false;
    } else if (strcmp(type, "ERROR") == 0) {
        const struct pg_node *code = pg_node_get(object, "code");
        bool gone = code != NULL && code->kind == PG_NODE_INT && code->as.integer == 410;
        /* 410 Gone: our resourceVersion is too old; anything else: start over too. */
        pg_log_message("info", "namespace watch error event",
                       gone ? "410 Gone, relisting" : "relisting");
        need_relist(cache, gone ? PG_NSCACHE_RELIST_GONE : PG_NSCACHE_RELIST_ERROR_EVENT);
        go_on = false;
    } else {
        apply_event(cache, type, object);
        /* A watch that delivers again (bookmarks come about once a minute) is current. */
        atomic_store(&cache->current, !cache->relist);
    }
    pg_doc_free(doc);
    return go_on;
}

static void backoff(struct pg_nscache *cache)
{
    struct timespec slice = {0, 20 * 1000 * 1000};
    long waited = 0;
    while (waited < cache->backoff_ms && !atomic_load(&cache->stop)) {
        (void)nanosleep(&slice, NULL);
        waited += 20;
    }
    cache->backoff_ms =
        cache->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : cache->backoff_ms * 2;
}

static void watch_once(struct pg_nscache *cache)
{
    struct pg_buf path = PG_BUF_INIT;
    struct pg_buf error = PG_BUF_INIT;
    long status = 0;
    int rc = 0;
    pg_buf_printf(&path,
                  "/api/v1/namespaces?watch=1&allowWatchBookmarks=true&timeoutSeconds=%d"
                  "&resourceVersion=%s",
                  300 + (int)(cache->backoff_ms % 300), cache->resource_version);
    rc = pg_kube_watch(cache->client, path.ptr, on_event, cache, &cache->stop, &status, &error);
    if (!atomic_load(&cache->stop)) {
        atomic_fetch_add(&cache->watch_restarts, 1);
    }
    if (status == 410) {
        need_relist(cache, PG_NSCACHE_RELIST_GONE);
    } else if (cache->watch_broken) {
        cache->watch_broken = false;
        count_error(cache, PG_NSCACHE_CALL_WATCH);
        backoff(cache);
    } else if (rc != 0) {
        pg_log_message("warn", "namespace watch failed", error.ptr != NULL ? error.ptr : "");
        if (!atomic_load(&cache->stop)) {
            count_error(cache, PG_NSCACHE_CALL_WATCH);
            /* Unreachable or refused: changes are not arriving, until the next event. */
            atomic_store(&cache->current, false);
        }
        backoff(cache);
    } else {
        cache->backoff_ms = BACKOFF_MIN_MS;
    }
    pg_buf_release(&path);
    pg_buf_release(&error);
}

static void *run(void *arg)
{
    struct pg_nscache *cache = arg;
    cache->relist = true;
    cache->backoff_ms = BACKOFF_MIN_MS;
    while (!atomic_load(&cache->stop)) {
        if (cache->relist && list_all(cache) != 0) {
            backoff(cache);
            continue;
        }
        watch_once(cache);
    }
    return NULL;
}

int pg_nscache_new(struct pg_nscache **out, struct pg_kube_client *client, struct pg_error *err)
{
    struct pg_nscache *cache = NULL;
    if (client == NULL) {
        return pg_error_set(err, PG_EINVAL, "the namespace cache needs an API client");
    }
    cache = pg_xcalloc(1, sizeof(*cache));
    (void)pthread_rwlock_init(&cache->lock, NULL);
    cache->table = pg_xcalloc(1, sizeof(*cache->table));
    cache->client = client;
    *out = cache;
    return 0;
}

int pg_nscache_start(struct pg_nscache *cache, struct pg_error *err)
{
    if (pthread_create(&cache->thread, NULL, run, cache) != 0) {
        return pg_error_set(err, PG_EIO, "cannot start the namespace watch thread");
    }
    cache->started = true;
    return 0;
}

void pg_nscache_stop(struct pg_nscache *cache)
{
    if (cache == NULL || !cache->started) {
        return;
    }
    atomic_store(&cache->stop, true);
    (void)pthread_join(cache->thread, NULL);
    cache->started = false;
}

void pg_nscache_free(struct pg_nscache *cache)
{
    if (cache == NULL) {
        return;
    }
    pg_nscache_stop(cache);
    table_free(cache->table);
    (void)pthread_rwlock_destroy(&cache->lock);
    free(cache);
}

void pg_nscache_health(struct pg_nscache_health *out, struct pg_nscache *cache)
{
    size_t i = 0;
    memset(out, 0, sizeof(*out));
    out->synced = atomic_load(&cache->current);
    out->watch_restarts = atomic_load(&cache->watch_restarts);
    for (i = 0; i < PG_NSCACHE_RELIST_COUNT; i++) {
        out->relists[i] = atomic_load(&cache->relists[i]);
    }
    for (i = 0; i < PG_NSCACHE_CALL_COUNT; i++) {
        out->api_errors[i] = atomic_load(&cache->api_errors[i]);
    }
}

bool pg_nscache_synced(const struct pg_nscache *cache)
{
    return atomic_load(&cache->synced);
}

static bool is_dns_label(struct pg_str name)
{
    size_t i = 0;
    if (name.len == 0 || name.len > 63) {
        return false;
    }
    for (i = 0; i < name.len; i++) {
        char c = name.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return false;
        }
    }
    return true;
}

static int64_t monotonic_ns(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        return 0;
    }
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* Milliseconds left until `deadline_ns`, at most `cap_ms`; 0 when none are left. */
static long remaining_ms(int64_t deadline_ns, long cap_ms)
{
    int64_t left = (deadline_ns - monotonic_ns()) / 1000000;
    if (left <= 0) {
        return 0;
    }
    return left < cap_ms ? (long)left : cap_ms;
}

int64_t pg_nscache_lookup_deadline(const char *timeout, int64_t received_ns)
{
    int64_t wait_ns = PG_NSCACHE_LOOKUP_TIMEOUT_MS * 1000000;
    int64_t given = 0;
    /* An invalid timeout is ignored, as upstream does; the API server always sends one. */
    if (timeout != NULL && pg_admission_parse_duration(&given, timeout) == 0 && given > 0 &&
        given < wait_ns) {
        wait_ns = given;
    }
    return received_ns + wait_ns;
}

/*
 * Cache miss: a live GET, as upstream's namespace getter does, until the review's deadline:
 * the API server stops waiting for the webhook then, and the HTTP worker that the GET holds
 * should be free to answer others.
 */
static int live_get(const struct pg_node **labels_out, struct pg_nscache *cache,
                    struct pg_arena *arena, struct pg_str name, long timeout_ms,
                    struct pg_buf *error)
{
    struct pg_buf path = PG_BUF_INIT;
    struct pg_buf body = PG_BUF_INIT;
    struct pg_buf why = PG_BUF_INIT;
    struct pg_doc *doc = NULL;
    struct ns_entry *entry = NULL;
    long status = 0;
    int rc = 0;
    pg_buf_printf(&path, "/api/v1/namespaces/%.*s", (int)name.len, name.ptr);
    if (!is_dns_label(name)) {
        rc = PG_ENOENT;
    } else if (timeout_ms <= 0) {
        pg_buf_puts(&why, "context deadline exceeded");
        rc = PG_EIO;
    } else {
        rc = pg_kube_get(cache->client, &body, &status, path.ptr, timeout_ms, &why);
    }
    doc = rc == 0 ? parse_json(body.ptr, body.len) : NULL;
    entry = doc != NULL ? entry_from(doc->root) : NULL;
    if (entry != NULL) {
        *labels_out = entry_labels(entry, arena);
        entry_free(entry);
    } else if (rc == PG_ENOENT || status == 404) {
        pg_buf_printf(error, "namespaces \"%.*s\" not found", (int)name.len, name.ptr);
        rc = PG_ENOENT;
    } else {
        pg_buf_put_str(error, pg_buf_str(&why));
        /* A deadline spent before asking made no API call: not an API error. */
        if (timeout_ms > 0) {
            count_error(cache, PG_NSCACHE_CALL_GET);
        }
        rc = rc != 0 ? rc : PG_EPARSE;
    }
    pg_doc_free(doc);
    pg_buf_release(&path);
    pg_buf_release(&body);
    pg_buf_release(&why);
    return rc;
}

int pg_nscache_get_namespace(const struct pg_node **labels_out, struct pg_arena *arena,
                             struct pg_str name, struct pg_buf *error, void *ctx)
{
    const struct pg_nscache_lookup *lookup = ctx;
    struct pg_nscache *cache = lookup->cache;
    struct ns_entry *entry = NULL;
    long timeout_ms = PG_NSCACHE_LOOKUP_TIMEOUT_MS;
    (void)pthread_rwlock_rdlock(&cache->lock);
    entry = *table_slot(cache->table, name.ptr, name.len);
    if (entry != NULL) {
        *labels_out = entry_labels(entry, arena);
    }
    (void)pthread_rwlock_unlock(&cache->lock);
    if (entry != NULL) {
        return 0;
    }
    if (lookup->deadline_ns != 0) {
        timeout_ms = remaining_ms(lookup->deadline_ns, PG_NSCACHE_LOOKUP_TIMEOUT_MS);
    }
    return live_get(labels_out, cache, arena, name, timeout_ms, error);
}

int pg_nscache_list_pods(struct pg_buf *page, struct pg_str name, struct pg_str continue_token,
                         int64_t deadline_ns, struct pg_buf *error, void *ctx)
{
    struct pg_nscache *cache = ctx;
    struct pg_buf path = PG_BUF_INIT;
    struct pg_buf token = PG_BUF_INIT;
    long timeout_ms = 0;
    long status = 0;
    char *escaped = NULL;
    int rc = 0;
    if (!is_dns_label(name)) {
        pg_buf_puts(error, "cannot list pods");
        return PG_EIO;
    }
    timeout_ms = remaining_ms(deadline_ns, LONG_MAX);
    if (timeout_ms <= 0) {
        pg_buf_puts(error, "context deadline exceeded");
        return PG_EIO;
    }
    pg_buf_put_str(&token, continue_token);
    escaped = curl_easy_escape(NULL, token.ptr != NULL ? token.ptr : "", (int)token.len);
    pg_buf_printf(&path, "/api/v1/namespaces/%.*s/pods?limit=%d%s%s", (int)name.len, name.ptr,
                  PAGE_LIMIT, token.len > 0 ? "&continue=" : "", escaped != NULL ? escaped : "");
    curl_free(escaped);
    rc = pg_kube_get(cache->client, page, &status, path.ptr, timeout_ms, error);
    if (rc != 0) {
        count_error(cache, PG_NSCACHE_CALL_LIST_PODS);
    }
    pg_buf_release(&path);
    pg_buf_release(&token);
    return rc;
}
