/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reader object shared by reader.c (the public front) and the two format
 * back ends, yaml_reader.c and json_reader.c. Each back end reads one document
 * per call from `pos` and keeps its own scratch memory here between calls.
 */
#ifndef PG_DOC_READER_H
#define PG_DOC_READER_H

#include "doc/tree.h"
#include "podgate/doc.h"

struct pg_yaml_anchor;
struct pg_yaml_open_anchor;
struct pg_json_frame;

/* Line and column of byte `pos`, advanced monotonically through a JSON stream. */
struct pg_json_cursor {
    size_t pos;
    uint32_t line;
    uint32_t column;
};

/*
 * Whether nothing reads the value of map key `key` (`len` bytes, unescaped). When nothing does
 * and the value is an object or a list, the fast JSON reader checks it as usual but builds one
 * PG_NODE_UNREAD node in its place (json_fast.c). The checking reader, which runs only for a
 * document the fast one gives up on, builds everything.
 */
typedef bool (*pg_doc_unread_fn)(const char *key, size_t len);

struct pg_doc_reader {
    const char *data;
    size_t len;
    enum pg_doc_format format; /* never PG_FORMAT_AUTO after pg_doc_reader_new */
    struct pg_limits limits;
    size_t body;          /* offset of the first byte after a byte order mark */
    size_t pos;           /* where the next document starts */
    uint32_t line;        /* 1-based line of `pos` */
    uint32_t origin_line; /* line of the first byte (pg_doc_reader_set_origin), normally 1 */
    size_t index;         /* index of the next document */
    bool done;
    struct pg_arena *spare_arena; /* a recycled document's arena, reset, for the next one */
    const char *filter; /* YAML: skip documents whose text lacks this (pg_doc_reader_set_filter) */
    bool filter_found;  /* filter_at is known: */
    size_t filter_at;   /* the filter's first occurrence at or after `pos` (or `len`: none) */
    struct pg_tree tree;

    /* YAML: whether the input has only LF/CRLF breaks (checked once), and scratch: anchors by name
     * (hash index) and the anchors of open containers. */
    bool yaml_breaks_checked;
    bool yaml_simple_breaks;
    struct pg_yaml_anchor *anchors;
    size_t anchors_len;
    size_t anchors_cap;
    uint32_t *anchor_index; /* open addressing, 0 = empty, else anchor number + 1 */
    size_t anchor_index_cap;
    struct pg_yaml_open_anchor *open_anchors;
    size_t open_anchors_len;
    size_t open_anchors_cap;

    /* JSON scratch: the token array of the current document and the walk's stack. */
    void *json_tokens;
    size_t json_tokens_cap;
    struct pg_json_frame *json_stack;
    size_t json_stack_cap;
    struct pg_json_cursor json_cursor;
    bool json_checked_only;       /* skip the fast reader (tests compare the two) */
    pg_doc_unread_fn json_unread; /* NULL: build every value; kept by pg_doc_reader_rebind */
};

/* Whether `needle` occurs in the `len` bytes at `data` (memmem is not POSIX). */
bool pg_bytes_contain(const char *data, size_t len, const char *needle);

/* Offset of the first occurrence of `needle` in the `len` bytes at `data`, or `len`. */
size_t pg_bytes_find(const char *data, size_t len, const char *needle);

/*
 * Point `reader` at a new input of the same format, as pg_doc_reader_new would (same size check,
 * `limits` copied, NULL = defaults; origin and filter cleared), but keep its scratch: the tree's
 * stacks, the token arrays and a recycled document's arena. For a caller that reads many small
 * inputs one after another, such as the webhook with one review per request.
 */
int pg_doc_reader_rebind(struct pg_doc_reader *reader, const char *data, size_t len,
                         const struct pg_limits *limits, struct pg_error *err);

/* Create a document with a fresh (or recycled) arena, and point the tree builder at it. */
struct pg_doc *pg_doc_start(struct pg_doc_reader *reader);

/*
 * Free `doc` (NULL is a no-op) but keep its arena's largest block for the
 * reader's next document: a stream of documents then reuses memory that is
 * already mapped and in cache, instead of a malloc and free of each block
 * per document. Nothing of `doc` may be used afterwards, as after
 * pg_doc_free; the arena goes with pg_doc_reader_free.
 */
void pg_doc_recycle(struct pg_doc_reader *reader, struct pg_doc *doc);

/* Read the next YAML document (contract of pg_doc_reader_next). */
int pg_yaml_read_next(struct pg_doc_reader *reader, struct pg_doc **out, size_t *index_out,
                      struct pg_error *err);
void pg_yaml_release(struct pg_doc_reader *reader);

/* Read the next JSON document (contract of pg_doc_reader_next). */
int pg_json_read_next(struct pg_doc_reader *reader, struct pg_doc **out, size_t *index_out,
                      struct pg_error *err);
void pg_json_release(struct pg_doc_reader *reader);

/*
 * Read the object or array document at `start` (line:column) in one pass into
 * the tree (json_fast.c). True with *end_out just past it, the tree finished
 * but for pg_tree_finish, and the position cursor at *end_out; false on
 * anything it does not accept, leaving the tree to be reset: the checking
 * reader then reads the document again and reports the error.
 */
bool pg_json_fast_read(struct pg_doc_reader *reader, size_t start, uint32_t line, uint32_t column,
                       size_t *end_out);

#endif
