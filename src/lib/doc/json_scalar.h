/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON scalars for json_reader.c: string unescaping (with UTF-8 checks) and
 * RFC 8259 numbers and literals. Text in, value out; nothing is allocated.
 */
#ifndef PG_DOC_JSON_SCALAR_H
#define PG_DOC_JSON_SCALAR_H

#include "doc/scalar.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Copy text[start, end) (a string between its quotes) into `out` without its
 * escapes; `out` needs end - start bytes. False on an invalid escape, a lone
 * surrogate, a control character or invalid UTF-8, with *bad at its offset.
 */
bool pg_json_unescape(char *out, size_t *out_len, const char *text, size_t start, size_t end,
                      size_t *bad);

/*
 * `true`, `false`, `null` or a number (an integer that fits int64 is
 * PG_NODE_INT, any other number PG_NODE_FLOAT); false for anything else.
 */
bool pg_json_primitive(struct pg_scalar_value *out, const char *text, size_t len);

#endif
