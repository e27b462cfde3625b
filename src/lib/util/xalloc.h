/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checked allocation. These abort with a message on out-of-memory and on size
 * overflow; that is safe because every input-driven size is checked against
 * struct pg_limits before allocating, so only a real OOM can reach the abort.
 */
#ifndef PG_UTIL_XALLOC_H
#define PG_UTIL_XALLOC_H

#include <stddef.h>

void *pg_xmalloc(size_t size);
void *pg_xcalloc(size_t count, size_t size);
void *pg_xrealloc(void *ptr, size_t count, size_t size);
char *pg_xstrndup(const char *text, size_t len);

#endif
