/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the doc reader tests: read every document of a source
 * into a fixed table, and find nodes by a dotted path ("spec.containers.0").
 */
#ifndef PG_TEST_DOC_UTIL_H
#define PG_TEST_DOC_UTIL_H

#include "podgate/doc.h"

#include <stdlib.h>
#include <string.h>

#define DOCS_MAX 16

/* Results of reading a whole source: one entry per call that did not return 0. */
struct docs {
    struct pg_doc *doc[DOCS_MAX];
    int rc[DOCS_MAX];
    size_t index[DOCS_MAX];
    struct pg_error err[DOCS_MAX];
    size_t count;
    int new_rc;
    struct pg_error new_err;
};

/* Read the documents of `reader` into `out` (zeroed by the caller), up to DOCS_MAX. */
static inline void read_docs_from(struct docs *out, struct pg_doc_reader *reader)
{
    while (out->count < DOCS_MAX) {
        size_t i = out->count;
        int rc = pg_doc_reader_next(reader, &out->doc[i], &out->index[i], &out->err[i]);
        if (rc == 0) {
            break;
        }
        out->rc[i] = rc;
        out->count++;
    }
}

static inline void read_docs_len(struct docs *out, const char *text, size_t len,
                                 enum pg_doc_format format, const struct pg_limits *limits)
{
    struct pg_doc_reader *reader = NULL;
    memset(out, 0, sizeof(*out));
    out->new_rc = pg_doc_reader_new(&reader, text, len, format, limits, &out->new_err);
    if (out->new_rc < 0) {
        return;
    }
    read_docs_from(out, reader);
    pg_doc_reader_free(reader);
}

static inline void read_docs(struct docs *out, const char *text, enum pg_doc_format format)
{
    read_docs_len(out, text, strlen(text), format, NULL);
}

static inline void free_docs(struct docs *docs)
{
    size_t i = 0;
    for (i = 0; i < docs->count; i++) {
        pg_doc_free(docs->doc[i]);
        docs->doc[i] = NULL;
    }
}

/* The node at a dotted path of map keys and list indexes, or NULL. */
static inline const struct pg_node *node_at(const struct pg_node *node, const char *path)
{
    char part[128];
    while (node != NULL && *path != '\0') {
        size_t len = strcspn(path, ".");
        if (len >= sizeof(part)) {
            return NULL;
        }
        memcpy(part, path, len);
        part[len] = '\0';
        path += len + (path[len] == '.' ? 1 : 0);
        if (node->kind == PG_NODE_SEQ) {
            char *end = NULL;
            unsigned long index = strtoul(part, &end, 10);
            node = (*end == '\0' && index < node->as.seq.len) ? node->as.seq.items[index] : NULL;
        } else {
            node = pg_node_get(node, part);
        }
    }
    return node;
}

/* The root of the only document of a source that must read cleanly, or NULL. */
static inline const struct pg_node *root_of(const struct docs *docs)
{
    if (docs->count != 1 || docs->rc[0] != 1 || docs->doc[0] == NULL) {
        return NULL;
    }
    return docs->doc[0]->root;
}

static inline struct pg_str cstr(const char *text)
{
    struct pg_str s = {text, strlen(text)};
    return s;
}

#endif
