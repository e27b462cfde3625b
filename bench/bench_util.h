/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the C benchmarks: a monotonic clock, reading a whole file,
 * and a count of heap allocations. The count works by linking the bench with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (bench/CMakeLists.txt): it covers every
 * allocation the library makes through libc, not the ones libc makes internally.
 */
#ifndef PG_BENCH_UTIL_H
#define PG_BENCH_UTIL_H

#include <stddef.h>

/* Nanoseconds on the monotonic clock. */
double bench_now_ns(void);

/* The whole file, NUL-terminated, in malloc'd memory (the caller frees); NULL on error. */
char *bench_read_file(const char *path, size_t *len);

/* Heap allocations made so far (only in a bench linked with the --wrap options). */
size_t bench_allocations(void);

#endif
