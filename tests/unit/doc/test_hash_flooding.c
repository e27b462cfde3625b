/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hash flooding: keys chosen to collide under a fixed hash must not make the
 * duplicate-key index of a map (or the anchor index) quadratic. The index is
 * seeded per reader (util/hash.h), so keys that all share a bucket of plain
 * FNV-1a spread out.
 */
#include "harness.h"

#include "doc/reader.h"
#include "podgate/buf.h"
#include "podgate/doc.h"
#include "util/hash.h"

#define KEYS 2000
#define INDEX_BITS 12 /* the index of a map of KEYS entries has 4096 slots */

static uint32_t plain_fnv1a(const char *text, size_t len)
{
    uint32_t hash = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        hash ^= (unsigned char)text[i];
        hash *= 16777619u;
    }
    return hash;
}

/* A YAML map of KEYS keys whose unseeded FNV-1a agrees in the bits the index uses. */
static void colliding_map(struct pg_buf *out, const char *prefix)
{
    const uint32_t mask = (1u << INDEX_BITS) - 1;
    size_t found = 0;
    for (unsigned long i = 0; found < KEYS; i++) {
        char key[32];
        int len = snprintf(key, sizeof(key), "k%lx", i);
        if (len > 0 && (plain_fnv1a(key, (size_t)len) & mask) == 0x123) {
            pg_buf_printf(out, "%s%s: v\n", prefix, key);
            found++;
        }
    }
}

static void test_colliding_keys_do_not_make_a_map_quadratic(void)
{
    struct pg_buf text = PG_BUF_INIT;
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_error err;
    colliding_map(&text, "");
    PG_EXPECT_INT(pg_doc_reader_new(&reader, text.ptr, text.len, PG_FORMAT_YAML, NULL, &err), 0);
    PG_EXPECT_INT(pg_doc_reader_next(reader, &doc, NULL, &err), 1);
    PG_EXPECT_INT(doc->root->as.map.len, KEYS);
    /* Unseeded, every insert walks all earlier keys: about KEYS * KEYS / 2 probes. */
    PG_EXPECT(reader->tree.probes < 10 * KEYS);
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    pg_buf_release(&text);
}

static void test_seeded_hash_depends_on_the_seed(void)
{
    PG_EXPECT_INT(pg_hash_bytes(1, "key", 3), pg_hash_bytes(1, "key", 3));
    PG_EXPECT(pg_hash_bytes(1, "key", 3) != pg_hash_bytes(2, "key", 3));
    PG_EXPECT(pg_hash_bytes(1, "key", 3) != pg_hash_bytes(1, "kez", 3));
    PG_EXPECT(pg_hash_seed() != pg_hash_seed() || pg_hash_seed() != pg_hash_seed());
}

#define TEST(fn)                                                                                   \
    {                                                                                              \
#fn, fn                                                                                    \
    }

int main(void)
{
    static const struct pg_test_case cases[] = {
        TEST(test_colliding_keys_do_not_make_a_map_quadratic),
        TEST(test_seeded_hash_depends_on_the_seed),
    };
    return pg_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
