/* SPDX-License-Identifier: Apache-2.0 */
/* Checked allocation: abort on OOM or overflow (see xalloc.h for why that is safe). */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(size_t size)
{
    /* The one place library code may print: there is nothing else left to do. */
    (void)fprintf(stderr, "podgate: out of memory allocating %zu bytes\n", size);
    abort();
}

void *pg_xmalloc(size_t size)
{
    void *ptr = malloc(size ? size : 1);
    if (ptr == NULL) {
        die_oom(size);
    }
    return ptr;
}

void *pg_xcalloc(size_t count, size_t size)
{
    void *ptr = NULL;
    if (size != 0 && count > SIZE_MAX / size) {
        die_oom(SIZE_MAX);
    }
    ptr = calloc(count ? count : 1, size ? size : 1);
    if (ptr == NULL) {
        die_oom(count * size);
    }
    return ptr;
}

void *pg_xrealloc(void *ptr, size_t count, size_t size)
{
    void *grown = NULL;
    if (size != 0 && count > SIZE_MAX / size) {
        die_oom(SIZE_MAX);
    }
    grown = realloc(ptr, (count * size) != 0 ? count * size : 1);
    if (grown == NULL) {
        die_oom(count * size);
    }
    return grown;
}

char *pg_xstrndup(const char *text, size_t len)
{
    char *copy = pg_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}
