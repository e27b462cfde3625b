/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scalar resolution: what a plain YAML scalar means under go-yaml v2's rules
 * (the ones kubectl applies), and the number conversions both readers share.
 * Only text in, value out: no allocation that outlives a call.
 */
#ifndef PG_DOC_SCALAR_H
#define PG_DOC_SCALAR_H

#include "podgate/doc.h"

struct pg_scalar_value {
    enum pg_node_kind kind; /* PG_NODE_NULL, _BOOL, _INT, _FLOAT or _STR */
    bool boolean;
    int64_t integer;
    double number;
    bool integer_literal; /* an integer, even when it overflowed into a float */
};

/*
 * Give a new scalar node (of value->kind) its text and value: the one place
 * all three readers do it, so a node means the same whatever the format.
 */
static inline void pg_scalar_set_node(struct pg_node *node, const struct pg_scalar_value *value,
                                      struct pg_str text)
{
    node->text = text;
    switch (value->kind) {
    case PG_NODE_BOOL:
        node->as.boolean = value->boolean;
        break;
    case PG_NODE_INT:
        node->as.integer = value->integer;
        break;
    case PG_NODE_FLOAT:
        node->as.number = value->number;
        break;
    case PG_NODE_STR:
        node->as.str = text;
        break;
    case PG_NODE_NULL:
    case PG_NODE_SEQ:
    case PG_NODE_MAP:
    case PG_NODE_UNREAD:
        break;
    }
}

/*
 * Resolve a plain (unquoted, untagged) scalar: null, boolean, integer (decimal,
 * 0b, 0o, 0x, leading-0 octal, `_` ignored), float (`1.5`, `.5`, `1e3`,
 * `.inf`, `.nan`), else string. An integer beyond int64 is a float.
 */
void pg_scalar_resolve(struct pg_scalar_value *out, const char *text, size_t len);

/*
 * Resolve `text` for an explicit tag of `kind` (!!null, !!bool, !!int,
 * !!float): false when the text is not a value of that kind. !!float also
 * takes integers; !!int gives a float only when the integer overflows int64.
 */
bool pg_scalar_resolve_as(struct pg_scalar_value *out, enum pg_node_kind kind, const char *text,
                          size_t len);

/*
 * strtod over `len` bytes that already match a decimal number grammar, with
 * any `_` dropped. Uses the C locale's decimal point (podgate never changes it).
 */
double pg_scalar_to_double(const char *text, size_t len);

#endif
