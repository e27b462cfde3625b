/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The polled file watch behind certificate and policy reloads: a new version is seen when the
 * file is rewritten, when a ConfigMap-style symlink swap points the path at another file, and
 * when the file goes away or comes back; an accepted version is quiet until the next change.
 * Files live in a fresh temporary directory; no test waits for the clock.
 */
#include "harness.h"

#include "server/watched_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct scratch {
    char dir[256];
    char path[320];
};

static void scratch_path(struct scratch *s, const char *name)
{
    int n = snprintf(s->path, sizeof(s->path), "%s/%s", s->dir, name);
    PG_EXPECT(n > 0 && (size_t)n < sizeof(s->path));
}

static bool scratch_new(struct scratch *s)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(s->dir, sizeof(s->dir), "%s/watched_file.XXXXXX",
                     tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    return n > 0 && (size_t)n < sizeof(s->dir) && mkdtemp(s->dir) != NULL;
}

static void write_file(struct scratch *s, const char *name, const char *text)
{
    FILE *f = NULL;
    scratch_path(s, name);
    f = fopen(s->path, "wb");
    PG_EXPECT(f != NULL);
    if (f == NULL) {
        return;
    }
    PG_EXPECT(fputs(text, f) >= 0);
    PG_EXPECT(fclose(f) == 0);
}

static void remove_file(struct scratch *s, const char *name)
{
    scratch_path(s, name);
    (void)unlink(s->path);
}

static void test_watched_file_sees_a_rewrite_until_it_is_accepted(void)
{
    struct scratch s;
    struct pg_watched_file file;
    struct pg_file_stamp stamp;
    PG_EXPECT(scratch_new(&s));
    write_file(&s, "policy.yaml", "one");
    pg_watched_file_init(&file, s.path);
    PG_EXPECT(!pg_watched_file_changed(&file, &stamp));
    write_file(&s, "policy.yaml", "one two");
    PG_EXPECT(pg_watched_file_changed(&file, &stamp));
    PG_EXPECT(pg_watched_file_changed(&file, &stamp)); /* still new until accepted */
    pg_watched_file_accept(&file, &stamp);
    PG_EXPECT(!pg_watched_file_changed(&file, &stamp));
    pg_watched_file_release(&file);
    remove_file(&s, "policy.yaml");
    PG_EXPECT_INT(rmdir(s.dir), 0);
}

static void test_watched_file_sees_a_symlink_swap_to_a_file_of_the_same_size(void)
{
    struct scratch s;
    struct pg_watched_file file;
    struct pg_file_stamp stamp;
    char link[320];
    char next[320];
    PG_EXPECT(scratch_new(&s));
    write_file(&s, "v1", "same");
    write_file(&s, "v2", "size");
    scratch_path(&s, "current");
    (void)snprintf(link, sizeof(link), "%s", s.path);
    scratch_path(&s, "next");
    (void)snprintf(next, sizeof(next), "%s", s.path);
    PG_EXPECT_INT(symlink("v1", link), 0);
    pg_watched_file_init(&file, link);
    PG_EXPECT(!pg_watched_file_changed(&file, &stamp));
    /* What the kubelet does to a ConfigMap volume: a new link renamed over the old one. */
    PG_EXPECT_INT(symlink("v2", next), 0);
    PG_EXPECT_INT(rename(next, link), 0);
    PG_EXPECT(pg_watched_file_changed(&file, &stamp));
    pg_watched_file_accept(&file, &stamp);
    PG_EXPECT(!pg_watched_file_changed(&file, &stamp));
    pg_watched_file_release(&file);
    remove_file(&s, "current");
    remove_file(&s, "v1");
    remove_file(&s, "v2");
    PG_EXPECT_INT(rmdir(s.dir), 0);
}

static void test_watched_file_sees_the_file_go_and_come_back(void)
{
    struct scratch s;
    struct pg_watched_file file;
    struct pg_file_stamp stamp;
    PG_EXPECT(scratch_new(&s));
    write_file(&s, "tls.crt", "cert");
    pg_watched_file_init(&file, s.path);
    remove_file(&s, "tls.crt");
    PG_EXPECT(pg_watched_file_changed(&file, &stamp));
    pg_watched_file_accept(&file, &stamp);
    PG_EXPECT(!pg_watched_file_changed(&file, &stamp)); /* still missing: no news */
    write_file(&s, "tls.crt", "cert");
    PG_EXPECT(pg_watched_file_changed(&file, &stamp));
    pg_watched_file_release(&file);
    remove_file(&s, "tls.crt");
    PG_EXPECT_INT(rmdir(s.dir), 0);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_watched_file_sees_a_rewrite_until_it_is_accepted)                           \
    PG_TEST_ENTRY(test_watched_file_sees_a_symlink_swap_to_a_file_of_the_same_size)                \
    PG_TEST_ENTRY(test_watched_file_sees_the_file_go_and_come_back)

PG_TEST_MAIN(TESTS)
