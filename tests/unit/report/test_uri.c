/* SPDX-License-Identifier: Apache-2.0 */
#include "harness.h"
#include "report/uri.h"

/* Whether `path` has URI `want` of kind `want_kind`; prints what it got otherwise. */
static bool uri_is(const char *path, const char *base_dir, const char *want,
                   enum pg_uri_kind want_kind)
{
    struct pg_buf buf = PG_BUF_INIT;
    enum pg_uri_kind kind = pg_uri_from_path(&buf, path, base_dir);
    bool same = buf.ptr != NULL && strcmp(buf.ptr, want) == 0 && kind == want_kind;
    if (!same) {
        printf("#   uri of %s: got %s (kind %d), want %s (kind %d)\n", path,
               buf.ptr != NULL ? buf.ptr : "(null)", (int)kind, want, (int)want_kind);
    }
    pg_buf_release(&buf);
    return same;
}

static void test_uri_normalises_relative_paths(void)
{
    PG_EXPECT(uri_is("./k8s//app.yaml", "/work", "k8s/app.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("k8s/./base/../app.yaml", NULL, "k8s/app.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("a/../../shared/x.yaml", NULL, "../shared/x.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("../../x.yaml", "relative/base", "../../x.yaml", PG_URI_RELATIVE));
}

/* A path that climbs out of the current directory is judged like its absolute spelling. */
static void test_uri_resolves_climbing_paths_against_the_base(void)
{
    PG_EXPECT(uri_is("../cases/crlf.yaml", "/tmp/qa/cases", "crlf.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("../repo/k8s/../app.yaml", "/work/repo", "app.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("a/../../shared/x.yaml", "/work", "file:///shared/x.yaml", PG_URI_ABSOLUTE));
    PG_EXPECT(uri_is("../../../x.yaml", "/work", "file:///x.yaml", PG_URI_ABSOLUTE));
    PG_EXPECT(uri_is("../x y.yaml", "/work/repo", "file:///work/x%20y.yaml", PG_URI_ABSOLUTE));
}

static void test_uri_makes_absolute_paths_under_the_base_relative(void)
{
    PG_EXPECT(uri_is("/work/repo/k8s/app.yaml", "/work/repo", "k8s/app.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("/work/repo/k8s/app.yaml", "/work/repo/", "k8s/app.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("/work/repo/../repo/app.yaml", "/work/./repo", "app.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("/app.yaml", "/", "app.yaml", PG_URI_RELATIVE));
}

static void test_uri_keeps_other_absolute_paths_absolute(void)
{
    PG_EXPECT(uri_is("/work/repository/app.yaml", "/work/repo", "file:///work/repository/app.yaml",
                     PG_URI_ABSOLUTE));
    PG_EXPECT(uri_is("/work/repo/../shared/x.yaml", "/work/repo", "file:///work/shared/x.yaml",
                     PG_URI_ABSOLUTE));
    PG_EXPECT(uri_is("/etc/../../x.yaml", NULL, "file:///x.yaml", PG_URI_ABSOLUTE));
    PG_EXPECT(uri_is("/work/repo/app.yaml", "relative/base", "file:///work/repo/app.yaml",
                     PG_URI_ABSOLUTE));
}

static void test_uri_percent_encodes_reserved_and_non_ascii_bytes(void)
{
    PG_EXPECT(uri_is("a b/c:d#e?f%.yaml", NULL, "a%20b/c%3Ad%23e%3Ff%25.yaml", PG_URI_RELATIVE));
    PG_EXPECT(uri_is("d\xc3\xa9p~_-.yaml", NULL, "d%C3%A9p~_-.yaml", PG_URI_RELATIVE));
}

static void test_uri_of_stdin(void)
{
    PG_EXPECT(uri_is("-", "/work", "stdin", PG_URI_STDIN));
    PG_EXPECT(uri_is("./-", "/work", "-", PG_URI_RELATIVE));
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_uri_normalises_relative_paths)
                 PG_TEST_ENTRY(test_uri_resolves_climbing_paths_against_the_base)
                     PG_TEST_ENTRY(test_uri_makes_absolute_paths_under_the_base_relative)
                         PG_TEST_ENTRY(test_uri_keeps_other_absolute_paths_absolute)
                             PG_TEST_ENTRY(test_uri_percent_encodes_reserved_and_non_ascii_bytes)
                                 PG_TEST_ENTRY(test_uri_of_stdin))
