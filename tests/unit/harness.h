/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny TAP harness. Each test is a function; a failing assertion prints the
 * expression and both values, marks the test failed and returns from it. The
 * plan is counted from the table, never typed by hand.
 *
 *   static void test_x(void) { PG_EXPECT_INT(1 + 1, 2); }
 *   PG_TEST_MAIN(PG_TEST_ENTRY(test_x) PG_TEST_ENTRY(test_y))
 */
#ifndef PG_TEST_HARNESS_H
#define PG_TEST_HARNESS_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct pg_test_case {
    const char *name;
    void (*fn)(void);
};

/* Per-process state of the running test: the one mutable global, test code only. */
static bool pg_test_failed_flag;

#define PG_FAIL_AT(...)                                                                            \
    do {                                                                                           \
        printf("#   %s:%d: ", __FILE__, __LINE__);                                                 \
        printf(__VA_ARGS__);                                                                       \
        printf("\n");                                                                              \
        pg_test_failed_flag = true;                                                                \
    } while (0)

#define PG_EXPECT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            PG_FAIL_AT("expected %s", #cond);                                                      \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define PG_EXPECT_INT(actual, expected)                                                            \
    do {                                                                                           \
        long long pg_a_ = (long long)(actual);                                                     \
        long long pg_e_ = (long long)(expected);                                                   \
        if (pg_a_ != pg_e_) {                                                                      \
            PG_FAIL_AT("%s == %s: got %lld, want %lld", #actual, #expected, pg_a_, pg_e_);         \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define PG_EXPECT_STR(actual, expected)                                                            \
    do {                                                                                           \
        const char *pg_a_ = (actual);                                                              \
        const char *pg_e_ = (expected);                                                            \
        if (pg_a_ == NULL || strcmp(pg_a_, pg_e_) != 0) {                                          \
            PG_FAIL_AT("%s:\n#     got:  %s\n#     want: %s", #actual, pg_a_ ? pg_a_ : "(null)",   \
                       pg_e_);                                                                     \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Compare a pg_str (ptr,len) with a C string. */
#define PG_EXPECT_PGSTR(actual, expected)                                                          \
    do {                                                                                           \
        struct pg_str pg_a_ = (actual);                                                            \
        const char *pg_e_ = (expected);                                                            \
        if (pg_a_.len != strlen(pg_e_) || memcmp(pg_a_.ptr, pg_e_, pg_a_.len) != 0) {              \
            PG_FAIL_AT("%s:\n#     got:  %.*s\n#     want: %s", #actual, (int)pg_a_.len,           \
                       pg_a_.ptr ? pg_a_.ptr : "", pg_e_);                                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static inline int pg_test_run(const struct pg_test_case *cases, size_t count)
{
    size_t i = 0;
    int failures = 0;
    printf("1..%zu\n", count);
    for (i = 0; i < count; i++) {
        pg_test_failed_flag = false;
        cases[i].fn();
        printf("%s %zu - %s\n", pg_test_failed_flag ? "not ok" : "ok", i + 1, cases[i].name);
        if (pg_test_failed_flag) {
            failures++;
        }
    }
    (void)fflush(stdout);
    return failures == 0 ? 0 : 1;
}

#define PG_TEST_ENTRY(fn) {#fn, fn},
/* Usage: PG_TEST_MAIN(PG_TEST_ENTRY(a) PG_TEST_ENTRY(b)) */
#define PG_TEST_MAIN(entries)                                                                      \
    int main(void)                                                                                 \
    {                                                                                              \
        static const struct pg_test_case cases[] = {entries};                                      \
        return pg_test_run(cases, sizeof(cases) / sizeof(cases[0]));                               \
    }

#endif
