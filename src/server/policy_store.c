/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The webhook's custom policy file (`serve --policy-file`), re-read when it
 * changes. Each loaded set is immutable; reviews borrow the current one
 * through pg_admission_policies_acquire_fn, and a reload swaps the pointer
 * under a mutex. A swapped-out set lives on until its last review hands it
 * back, so in-flight reviews finish with the policies they started with. A
 * file that does not load leaves the last good set in place.
 */
#include "server.h"

#include "podgate/limits.h"
#include "util/xalloc.h"
#include "watched_file.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct holder {
    struct holder *next;
    struct pg_policy_set *set;
    size_t readers; /* reviews that acquired the set and have not released it */
};

struct pg_policy_store {
    pthread_mutex_t lock;
    struct pg_watched_file file; /* accepted: the last version tried, loaded or not */
    struct holder *current;
    struct holder *retired; /* swapped out, still read by reviews in flight */
};

/* The whole file, at most `max` bytes (the scanner's input limit). */
static int read_file(struct pg_buf *out, const char *path, size_t max, struct pg_error *err)
{
    char chunk[8192];
    size_t got = 0;
    FILE *stream = fopen(path, "rb");
    if (stream == NULL) {
        return pg_error_set(err, PG_EIO, "%s: cannot read: %s", path, strerror(errno));
    }
    while ((got = fread(chunk, 1, sizeof(chunk), stream)) > 0) {
        if (out->len + got > max) {
            (void)fclose(stream);
            return pg_error_set(err, PG_ELIMIT, "%s: larger than %zu bytes", path, max);
        }
        pg_buf_put(out, chunk, got);
    }
    if (ferror(stream)) {
        (void)fclose(stream);
        return pg_error_set(err, PG_EIO, "%s: cannot read", path);
    }
    if (fclose(stream) != 0) {
        return pg_error_set(err, PG_EIO, "%s: cannot read: %s", path, strerror(errno));
    }
    return 0;
}

static int load(struct pg_policy_set **out, const char *path, struct pg_error *err)
{
    struct pg_limits limits;
    struct pg_buf data = PG_BUF_INIT;
    int rc = 0;
    pg_limits_default(&limits);
    rc = read_file(&data, path, limits.max_input_bytes, err);
    if (rc == 0) {
        rc = pg_policy_set_load(out, data.ptr != NULL ? data.ptr : "", data.len, path, err);
    }
    pg_buf_release(&data);
    return rc;
}

static struct holder *holder_new(struct pg_policy_set *set)
{
    struct holder *holder = pg_xcalloc(1, sizeof(*holder));
    holder->set = set;
    return holder;
}

static void holder_free(struct holder *holder)
{
    if (holder == NULL) {
        return;
    }
    pg_policy_set_free(holder->set);
    free(holder);
}

int pg_policy_store_new(struct pg_policy_store **out, const char *path, struct pg_error *err)
{
    struct pg_policy_store *store = NULL;
    struct pg_policy_set *set = NULL;
    struct pg_watched_file file;
    int rc = 0;
    pg_watched_file_init(&file, path);
    rc = load(&set, path, err);
    if (rc != 0) {
        pg_watched_file_release(&file);
        return rc;
    }
    store = pg_xcalloc(1, sizeof(*store));
    (void)pthread_mutex_init(&store->lock, NULL);
    store->file = file;
    store->current = holder_new(set);
    *out = store;
    return 0;
}

void pg_policy_store_free(struct pg_policy_store *store)
{
    struct holder *holder = NULL;
    if (store == NULL) {
        return;
    }
    holder = store->retired;
    while (holder != NULL) {
        struct holder *next = holder->next;
        holder_free(holder);
        holder = next;
    }
    holder_free(store->current);
    pg_watched_file_release(&store->file);
    (void)pthread_mutex_destroy(&store->lock);
    free(store);
}

size_t pg_policy_store_len(struct pg_policy_store *store)
{
    size_t len = 0;
    (void)pthread_mutex_lock(&store->lock);
    len = pg_policy_set_len(store->current->set);
    (void)pthread_mutex_unlock(&store->lock);
    return len;
}

int pg_policy_store_poll(struct pg_policy_store *store, struct pg_error *err)
{
    struct pg_file_stamp stamp;
    struct pg_policy_set *set = NULL;
    struct holder *old = NULL;
    int rc = 0;
    if (!pg_watched_file_changed(&store->file, &stamp)) {
        return 0;
    }
    /* Remember a bad version too: it is reported once, not on every poll. */
    pg_watched_file_accept(&store->file, &stamp);
    rc = load(&set, store->file.path, err);
    if (rc != 0) {
        return rc;
    }
    (void)pthread_mutex_lock(&store->lock);
    old = store->current;
    store->current = holder_new(set);
    if (old->readers > 0) {
        old->next = store->retired;
        store->retired = old;
        old = NULL;
    }
    (void)pthread_mutex_unlock(&store->lock);
    holder_free(old);
    return 1;
}

const struct pg_policy_set *pg_policy_store_acquire(struct pg_date *today_out, void *ctx)
{
    struct pg_policy_store *store = ctx;
    const struct pg_policy_set *set = NULL;
    *today_out = pg_date_from_unix((int64_t)time(NULL));
    (void)pthread_mutex_lock(&store->lock);
    store->current->readers++;
    set = store->current->set;
    (void)pthread_mutex_unlock(&store->lock);
    return set;
}

/* Unlink and return the retired holder of `set` once its last reader is gone. */
static struct holder *release_retired(struct pg_policy_store *store,
                                      const struct pg_policy_set *set)
{
    struct holder **link = &store->retired;
    while (*link != NULL) {
        struct holder *holder = *link;
        if (holder->set != set) {
            link = &holder->next;
            continue;
        }
        holder->readers--;
        if (holder->readers > 0) {
            return NULL;
        }
        *link = holder->next;
        return holder;
    }
    return NULL;
}

void pg_policy_store_release(const struct pg_policy_set *set, void *ctx)
{
    struct pg_policy_store *store = ctx;
    struct holder *done = NULL;
    (void)pthread_mutex_lock(&store->lock);
    if (store->current->set == set) {
        store->current->readers--;
    } else {
        done = release_retired(store, set);
    }
    (void)pthread_mutex_unlock(&store->lock);
    holder_free(done);
}
