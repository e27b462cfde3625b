/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the C benchmarks: a monotonic clock and reading a whole file. The
 * allocation count is in bench_alloc.h, apart, because it needs the linker's --wrap.
 */
#ifndef PG_BENCH_UTIL_H
#define PG_BENCH_UTIL_H

#include <stddef.h>

/* Nanoseconds on the monotonic clock. */
double bench_now_ns(void);

/* The whole file, NUL-terminated, in malloc'd memory (the caller frees); NULL on error. */
char *bench_read_file(const char *path, size_t *len);

#endif
