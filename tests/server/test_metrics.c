/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The admission metrics: events of every kind with varied fields, recorded into one metrics
 * object, must give the same series and counts as rendering each result on its own in a fresh
 * object (whose event cache is empty, so every label set there is rendered from the fields).
 * There are more distinct label sets than the event cache has slots, so entries are replaced.
 */
#include "harness.h"

#include "server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally {
    char **series; /* `name{labels}` */
    uint64_t *counts;
    size_t len;
    size_t cap;
};

static void tally_add(struct tally *t, const char *series, size_t len, uint64_t count)
{
    for (size_t i = 0; i < t->len; i++) {
        if (strlen(t->series[i]) == len && memcmp(t->series[i], series, len) == 0) {
            t->counts[i] += count;
            return;
        }
    }
    if (t->len == t->cap) {
        t->cap = t->cap == 0 ? 64 : t->cap * 2;
        t->series = realloc(t->series, t->cap * sizeof(*t->series));
        t->counts = realloc(t->counts, t->cap * sizeof(*t->counts));
        PG_EXPECT(t->series != NULL && t->counts != NULL);
    }
    t->series[t->len] = strndup(series, len);
    t->counts[t->len] = count;
    t->len++;
}

static uint64_t tally_get(const struct tally *t, const char *series)
{
    for (size_t i = 0; i < t->len; i++) {
        if (strcmp(t->series[i], series) == 0) {
            return t->counts[i];
        }
    }
    return 0;
}

static void tally_free(struct tally *t)
{
    for (size_t i = 0; i < t->len; i++) {
        free(t->series[i]);
    }
    free(t->series);
    free(t->counts);
}

/* Every `name{labels} value` line of a rendering, but the request duration summary. */
static void tally_rendering(struct tally *t, struct pg_metrics *metrics)
{
    struct pg_buf text = PG_BUF_INIT;
    const char *line = NULL;
    pg_metrics_render(metrics, &text);
    for (line = text.ptr; line != NULL && *line != '\0';) {
        const char *end = strchr(line, '\n');
        const char *space = NULL;
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        space = memchr(line, ' ', len);
        if (line[0] != '#' && space != NULL && memchr(line, '{', len) != NULL) {
            tally_add(t, line, (size_t)(space - line), strtoull(space + 1, NULL, 10));
        }
        line = end != NULL ? end + 1 : NULL;
    }
    pg_buf_release(&text);
}

/* A small deterministic generator (xorshift), so a failure can be replayed. */
static uint32_t next(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

static void random_result(struct pg_admission_result *result, uint32_t *state)
{
    static const char *const OPERATIONS[] = {"create", "update", "connect"};
    static const char *const SUBRESOURCES[] = {"", "ephemeralcontainers", "exec"};
    static const char *const NAMESPACES[] = {"a", "b", "team-1", "quote\"d", ""};
    size_t events = 1 + next(state) % PG_ADMISSION_METRICS_MAX;
    memset(result->operation, 'x', sizeof(result->operation)); /* bytes after the NUL vary */
    (void)snprintf(result->operation, sizeof(result->operation), "%s", OPERATIONS[next(state) % 3]);
    (void)snprintf(result->subresource, sizeof(result->subresource), "%s",
                   SUBRESOURCES[next(state) % 3]);
    (void)snprintf(result->namespace_, sizeof(result->namespace_), "%s",
                   NAMESPACES[next(state) % 5]);
    result->resource = (enum pg_admission_resource)(next(state) % 3);
    result->metrics_len = events;
    for (size_t i = 0; i < events; i++) {
        struct pg_admission_metric *event = &result->metrics[i];
        memset(event, 0, sizeof(*event));
        event->kind = (enum pg_admission_metric_kind)(next(state) % 3);
        event->deny = next(state) % 2 == 0;
        event->fatal = next(state) % 2 == 0;
        event->mode = (enum pg_mode)(next(state) % 3);
        event->policy.level = (enum pg_level)(next(state) % 3);
        event->policy.version.latest = next(state) % 4 == 0;
        event->policy.version.minor = (int64_t)(next(state) % 42); /* past v1.37: "future" */
    }
}

static void check_against_fresh(size_t namespace_values)
{
    struct pg_metrics *shared = pg_metrics_new(namespace_values);
    struct tally expected = {0};
    struct tally got = {0};
    struct pg_admission_result *result = calloc(1, sizeof(*result));
    uint32_t state = 2463534242u;
    size_t mismatches = 0;
    PG_EXPECT(result != NULL);
    for (int i = 0; i < 3000; i++) {
        struct pg_metrics *fresh = pg_metrics_new(namespace_values);
        random_result(result, &state);
        pg_metrics_record(shared, result);
        pg_metrics_record(fresh, result);
        tally_rendering(&expected, fresh);
        pg_metrics_free(fresh);
    }
    tally_rendering(&got, shared);
    PG_EXPECT(expected.len > 200); /* well over the cache's 64 slots */
    PG_EXPECT_INT((long long)got.len, (long long)expected.len);
    for (size_t i = 0; i < expected.len; i++) {
        if (tally_get(&got, expected.series[i]) != expected.counts[i]) {
            printf("#   %s: %llu, expected %llu\n", expected.series[i],
                   (unsigned long long)tally_get(&got, expected.series[i]),
                   (unsigned long long)expected.counts[i]);
            mismatches++;
        }
    }
    PG_EXPECT_INT((long long)mismatches, 0);
    tally_free(&expected);
    tally_free(&got);
    free(result);
    pg_metrics_free(shared);
}

static void test_counts_match_fresh_rendering(void)
{
    check_against_fresh(0);
}

static void test_counts_match_fresh_rendering_with_namespaces(void)
{
    check_against_fresh(PG_METRICS_NAMESPACE_VALUES_DEFAULT);
}

static void record_exemption(struct pg_metrics *metrics, struct pg_admission_result *result,
                             const char *namespace_)
{
    memset(result, 0, sizeof(*result));
    (void)snprintf(result->operation, sizeof(result->operation), "create");
    (void)snprintf(result->namespace_, sizeof(result->namespace_), "%s", namespace_);
    result->metrics_len = 1;
    result->metrics[0].kind = PG_ADMISSION_METRIC_EXEMPTION;
    pg_metrics_record(metrics, result);
}

#define EXEMPTIONS_IN(ns)                                                                          \
    "pod_security_exemptions_total{namespace=\"" ns "\",request_operation=\"create\","             \
    "resource=\"pod\",subresource=\"\"}"

static void test_namespace_values_past_the_limit_are_other(void)
{
    struct pg_metrics *metrics = pg_metrics_new(2);
    struct pg_admission_result *result = calloc(1, sizeof(*result));
    struct tally got = {0};
    static const char *const SEEN[] = {"a", "b", "c", "a", "", "d", "c", "b"};
    PG_EXPECT(result != NULL);
    for (size_t i = 0; i < sizeof(SEEN) / sizeof(SEEN[0]); i++) {
        record_exemption(metrics, result, SEEN[i]);
    }
    tally_rendering(&got, metrics);
    PG_EXPECT_INT((long long)got.len, 4);
    PG_EXPECT_INT((long long)tally_get(&got, EXEMPTIONS_IN("a")), 2);
    PG_EXPECT_INT((long long)tally_get(&got, EXEMPTIONS_IN("b")), 2);
    PG_EXPECT_INT((long long)tally_get(&got, EXEMPTIONS_IN("_other")), 3);
    /* A cluster-scoped request has no namespace to count. */
    PG_EXPECT_INT((long long)tally_get(&got, EXEMPTIONS_IN("")), 1);
    tally_free(&got);
    free(result);
    pg_metrics_free(metrics);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_counts_match_fresh_rendering)                                               \
    PG_TEST_ENTRY(test_counts_match_fresh_rendering_with_namespaces)                               \
    PG_TEST_ENTRY(test_namespace_values_past_the_limit_are_other)

PG_TEST_MAIN(TESTS)
