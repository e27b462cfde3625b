/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The document tree: one read-only tree per YAML or JSON document, with the
 * 1-based line and column of every node, stored in an arena owned by the
 * document. The reader splits a source into documents so that an error in one
 * document does not hide the documents after it.
 *
 * Scalars are resolved the way kubectl reads YAML (go-yaml v2 rules): plain
 * `yes`/`on`/`y`/`true`… are booleans, `0644` is octal, `0x1F` hex, `_` is
 * ignored in numbers, `~`/`null`/empty are null; quoted scalars are strings.
 */
#ifndef PODGATE_DOC_H
#define PODGATE_DOC_H

#include "podgate/common.h"
#include "podgate/limits.h"

#include <string.h>

enum pg_node_kind {
    PG_NODE_NULL,
    PG_NODE_BOOL,
    PG_NODE_INT,   /* fits in int64 */
    PG_NODE_FLOAT, /* any other number, including integers that overflow int64 */
    PG_NODE_STR,
    PG_NODE_SEQ,
    PG_NODE_MAP,
    /*
     * An object or list that the reader checked (syntax, UTF-8, limits) but did
     * not build, because its caller said nothing reads it (admission reviews:
     * `managedFields`, `env`, ...). It has no children; reading into it is an
     * error, never an absent field (see pg_extract_type_error). Its `text` is
     * the value's source bytes, for comparing two values without reading them.
     */
    PG_NODE_UNREAD,
};

struct pg_node;

struct pg_map_entry {
    struct pg_str key;
    struct pg_node *value;
};

/*
 * One node. `line`/`column` are where the value starts; `key_line`/`key_column`
 * are where the key that holds it in its parent map starts (0 when the node is
 * not a map value). Map keys are unique: a duplicate key replaces the earlier
 * value (kubectl's last-wins) and leaves a warning on the document.
 * A node reached through a YAML alias is shared, so its key position is that
 * of its anchor.
 */
struct pg_node {
    enum pg_node_kind kind;
    uint32_t line;
    uint32_t column;
    uint32_t key_line;
    uint32_t key_column;
    union {
        bool boolean;
        int64_t integer;
        double number;
        struct pg_str str; /* PG_NODE_STR (a FLOAT's source text is in `text`) */
        struct {
            struct pg_node **items;
            size_t len;
        } seq;
        struct {
            struct pg_map_entry *entries;
            size_t len;
        } map;
    } as;
    struct pg_str text; /* every scalar as written (after unescaping); empty for SEQ/MAP; the
                           source bytes of an UNREAD value */
};

/* A warning or error attached to a position in a source. */
struct pg_diag {
    uint32_t line;
    uint32_t column;
    struct pg_str message;
};

struct pg_arena;

/*
 * One document of a stream. `root` is NULL for an empty document. The tree,
 * its strings and the warnings live in `arena` and die with pg_doc_free;
 * strings may also point into the reader's input, which must outlive the doc.
 */
struct pg_doc {
    struct pg_arena *arena;
    struct pg_node *root;
    size_t index;  /* 0-based position in the stream, empty documents counted */
    uint32_t line; /* 1-based line where the document's content starts */
    struct pg_diag *warnings;
    size_t warnings_len;
    size_t nodes;      /* nodes built for the tree (at least as many as it holds) */
    bool shared_nodes; /* an alias made some node reachable by more than one path */
};

PG_API void pg_doc_free(struct pg_doc *doc);

enum pg_doc_format {
    PG_FORMAT_AUTO, /* JSON if the first non-blank byte is `{` or `[`, else YAML */
    PG_FORMAT_YAML,
    PG_FORMAT_JSON, /* one JSON value or a stream of them */
};

struct pg_doc_reader;

/*
 * Start reading `data` (borrowed; must outlive the reader and every document it
 * returns). `limits` is copied; NULL means defaults. Fails with PG_ELIMIT if
 * the input is larger than max_input_bytes.
 */
PG_API int pg_doc_reader_new(struct pg_doc_reader **out, const char *data, size_t len,
                             enum pg_doc_format format, const struct pg_limits *limits,
                             struct pg_error *err);

/*
 * Read the next document. Returns 1 and sets *out (caller frees with
 * pg_doc_free) when there is one, 0 at the end of the stream, or a negative
 * PG_E* when this document could not be read; `err` then holds the position,
 * `*index_out` (may be NULL) the index of the failed document, and the next
 * call goes on with the document after it: always in YAML; in JSON after a
 * crossed limit (PG_ELIMIT) when the value's end was found (a message that
 * ends "nothing after it is read" says it was not), while after a syntax
 * error it returns 0, as the value's end is unknown.
 */
PG_API int pg_doc_reader_next(struct pg_doc_reader *reader, struct pg_doc **out, size_t *index_out,
                              struct pg_error *err);

PG_API void pg_doc_reader_free(struct pg_doc_reader *reader);

/*
 * Only return YAML documents whose text contains `needle` (borrowed; NULL
 * clears the filter); the others are skipped without being parsed, though
 * they still count in document indices. A prefilter for callers that look for
 * rare objects (Namespaces with pod-security labels): JSON is not filtered.
 */
PG_API void pg_doc_reader_set_filter(struct pg_doc_reader *reader, const char *needle);

/*
 * Declare that the data starts at `line` (1-based) of a larger stream whose
 * next document has index `index`: for reading a stream in parts. Call before
 * the first pg_doc_reader_next.
 */
PG_API void pg_doc_reader_set_origin(struct pg_doc_reader *reader, uint32_t line, size_t index);

/* The index the next document will get (after the last one read: how many were read). */
PG_API size_t pg_doc_reader_next_index(const struct pg_doc_reader *reader);

/* The value of the key of `key_len` bytes at `key` in map `node`, or NULL (also when node is not
   a map). */
PG_API const struct pg_node *pg_node_get_n(const struct pg_node *node, const char *key,
                                           size_t key_len);

/* Convenience: the value of `key` in map `node`, or NULL. Inline, so that the length of a literal
   key is known when compiling: an admission review looks up about a hundred keys. */
static inline const struct pg_node *pg_node_get(const struct pg_node *node, const char *key)
{
    return pg_node_get_n(node, key, key != NULL ? strlen(key) : 0);
}

/* True when the node is absent or an explicit null: both mean "unset" in the API. */
static inline bool pg_node_unset(const struct pg_node *node)
{
    return node == NULL || node->kind == PG_NODE_NULL;
}

/* Name of a kind for messages: "null", "boolean", "integer", "number", "string", "list", "object".
 */
PG_API const char *pg_node_kind_name(enum pg_node_kind kind);

#endif
