/* SPDX-License-Identifier: Apache-2.0 */
/* Lexical path normalisation and percent-encoding for SARIF artifact URIs. */
#include "report/uri.h"

#include <string.h>

static void truncate_to(struct pg_buf *buf, size_t len)
{
    if (buf->ptr != NULL && len <= buf->len) {
        buf->len = len;
        buf->ptr[len] = '\0';
    }
}

/* Drop the last segment; a relative path that has none left (or only "..") climbs instead. */
static void pop_segment(struct pg_buf *out, bool absolute)
{
    size_t start = out->len;
    while (start > 0 && out->ptr[start - 1] != '/') {
        start--;
    }
    if (out->len > start && !(out->len - start == 2 && memcmp(out->ptr + start, "..", 2) == 0)) {
        truncate_to(out, start > 0 ? start - 1 : 0);
    } else if (!absolute) {
        pg_buf_puts(out, out->len > 0 ? "/.." : "..");
    }
}

/* The segments of `path` without "", "." and resolvable "..", joined by '/', no leading '/'. */
static void normalise(struct pg_buf *out, const char *path)
{
    bool absolute = path[0] == '/';
    const char *cursor = path;
    while (*cursor != '\0') {
        size_t len = strcspn(cursor, "/");
        if (len == 2 && cursor[0] == '.' && cursor[1] == '.') {
            pop_segment(out, absolute);
        } else if (len > 0 && !(len == 1 && cursor[0] == '.')) {
            if (out->len > 0) {
                pg_buf_putc(out, '/');
            }
            pg_buf_put(out, cursor, len);
        }
        cursor += len;
        cursor += *cursor == '/';
    }
}

static bool unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '/';
}

static void percent_encode(struct pg_buf *out, const char *text)
{
    static const char HEX[] = "0123456789ABCDEF";
    for (size_t i = 0; text[i] != '\0'; i++) {
        unsigned char c = (unsigned char)text[i];
        if (unreserved(c)) {
            pg_buf_putc(out, (char)c);
            continue;
        }
        pg_buf_putc(out, '%');
        pg_buf_putc(out, HEX[c >> 4]);
        pg_buf_putc(out, HEX[c & 15]);
    }
}

/* The part of normalised absolute `path` below normalised `base`, or NULL when outside. */
static const char *below(const struct pg_buf *path, const struct pg_buf *base)
{
    if (base->len == 0) {
        return pg_buf_str(path).ptr;
    }
    if (path->len > base->len && memcmp(path->ptr, base->ptr, base->len) == 0 &&
        path->ptr[base->len] == '/') {
        return path->ptr + base->len + 1;
    }
    return NULL;
}

/* Whether normalised relative `path` climbs above its start ("..", "../x"). */
static bool climbs(const struct pg_buf *path)
{
    return path->len >= 2 && memcmp(path->ptr, "..", 2) == 0 &&
           (path->len == 2 || path->ptr[2] == '/');
}

enum pg_uri_kind pg_uri_from_path(struct pg_buf *out, const char *path, const char *base_dir)
{
    struct pg_buf normal = PG_BUF_INIT;
    struct pg_buf base = PG_BUF_INIT;
    enum pg_uri_kind kind = PG_URI_RELATIVE;
    const char *relative = NULL;
    bool absolute = path[0] == '/';
    if (strcmp(path, "-") == 0) {
        pg_buf_puts(out, "stdin");
        return PG_URI_STDIN;
    }
    normalise(&normal, path);
    /* `../repo/x.yaml` run from /work/repo is repo's x.yaml, as its absolute spelling is. */
    if (!absolute && climbs(&normal) && base_dir != NULL && base_dir[0] == '/') {
        struct pg_buf joined = PG_BUF_INIT;
        pg_buf_puts(&joined, base_dir);
        pg_buf_putc(&joined, '/');
        pg_buf_puts(&joined, path);
        pg_buf_clear(&normal);
        normalise(&normal, pg_buf_str(&joined).ptr);
        pg_buf_release(&joined);
        absolute = true;
    }
    relative = pg_buf_str(&normal).ptr;
    if (absolute) {
        if (base_dir != NULL && base_dir[0] == '/') {
            normalise(&base, base_dir);
            relative = below(&normal, &base);
        } else {
            relative = NULL;
        }
    }
    if (relative == NULL) {
        kind = PG_URI_ABSOLUTE;
        pg_buf_puts(out, "file:///");
        relative = pg_buf_str(&normal).ptr;
    }
    percent_encode(out, relative);
    pg_buf_release(&normal);
    pg_buf_release(&base);
    return kind;
}
