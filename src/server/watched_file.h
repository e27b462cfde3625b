/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A file re-read when it changes, found by polling: what identifies one version of it, and
 * whether the file on disk is still the version last accepted. The serving certificate and
 * key (tls.c) and the custom policy file (policy_store.c) are watched this way. It does not
 * read the file or decide when a version counts as accepted: that is the caller's.
 */
#ifndef PG_SERVER_WATCHED_FILE_H
#define PG_SERVER_WATCHED_FILE_H

#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

/*
 * One version of a file: device, inode, size and mtime, from stat, which follows symlinks, so
 * a ConfigMap's `..data` swap (a new inode behind the same path) is a change. All zero when
 * the file cannot be stat'ed.
 */
struct pg_file_stamp {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

struct pg_watched_file {
    char *path;                 /* owned */
    struct pg_file_stamp stamp; /* of the version last accepted */
};

/*
 * Start watching `path` (copied), taking the version on disk now as accepted. Stamp before
 * reading the file: a change made while it is read is then seen by the next poll.
 */
void pg_watched_file_init(struct pg_watched_file *file, const char *path);
/* Release the path; the struct may be initialised again. */
void pg_watched_file_release(struct pg_watched_file *file);
/*
 * True when the file on disk is not the accepted version; *stamp_out gets the version on disk,
 * for pg_watched_file_accept once the caller has taken it (or decided to skip it).
 */
bool pg_watched_file_changed(const struct pg_watched_file *file, struct pg_file_stamp *stamp_out);
/* Take `stamp` (from pg_watched_file_changed) as the accepted version. */
void pg_watched_file_accept(struct pg_watched_file *file, const struct pg_file_stamp *stamp);

#endif
