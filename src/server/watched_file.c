/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polling a file for a new version (watched_file.h): a stat per poll, compared with the stamp
 * of the version last accepted. No inotify: a ConfigMap or Secret volume swaps a symlink,
 * which stat sees, and the main loop already ticks.
 */
#include "watched_file.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void stamp_of(struct pg_file_stamp *out, const char *path)
{
    struct stat st;
    memset(out, 0, sizeof(*out));
    if (stat(path, &st) == 0) {
        out->dev = st.st_dev;
        out->ino = st.st_ino;
        out->size = st.st_size;
        out->mtime = st.st_mtim;
    }
}

static bool same_stamp(const struct pg_file_stamp *a, const struct pg_file_stamp *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

void pg_watched_file_init(struct pg_watched_file *file, const char *path)
{
    file->path = pg_xstrndup(path, strlen(path));
    stamp_of(&file->stamp, path);
}

void pg_watched_file_release(struct pg_watched_file *file)
{
    free(file->path);
    file->path = NULL;
}

bool pg_watched_file_changed(const struct pg_watched_file *file, struct pg_file_stamp *stamp_out)
{
    stamp_of(stamp_out, file->path);
    return !same_stamp(stamp_out, &file->stamp);
}

void pg_watched_file_accept(struct pg_watched_file *file, const struct pg_file_stamp *stamp)
{
    file->stamp = *stamp;
}
