/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A count of heap allocations for the benchmarks that report allocations/op. It works by
 * linking the bench with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc and bench_alloc.c
 * (bench/CMakeLists.txt): it covers every allocation the library makes through libc, not
 * the ones libc makes internally. A bench linked without --wrap must not link bench_alloc.c.
 */
#ifndef PG_BENCH_ALLOC_H
#define PG_BENCH_ALLOC_H

#include <stddef.h>

/* Heap allocations made so far. */
size_t bench_allocations(void);

#endif
