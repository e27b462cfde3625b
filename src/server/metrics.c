/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The metrics of spec §7 (names, labels and help texts of upstream, with
 * component-base's "[ALPHA] " prefix), plus podgate's request counters, in
 * the Prometheus text format. Series live in a small hash table under a
 * mutex; label sets are stored rendered, in label-name order, as the Go
 * client prints them. Rendering and hashing a label set for each event of each
 * request was most of the metrics' cost, so events first look for their series
 * in a small cache keyed by the raw fields the label set is made from.
 *
 * The optional namespace label takes at most a configured number of distinct values; later
 * namespaces share the value "_other" (never a namespace name: those are DNS labels), so
 * reviews naming made-up namespaces (an exempt user may send any) cannot grow the series and
 * memory without bound. A namespace keeps the value it first got.
 *
 * policy_version rule: `latest` for latest or privileged; `v1.N` when N is
 * no newer than the reference version, `future` above it. The reference is
 * the library's newest policy version (PG_MAX_MINOR, v1.37), standing in for
 * upstream's server build version.
 */
#include "server.h"

#include "util/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 256

enum family {
    FAMILY_ERRORS,
    FAMILY_EVALUATIONS,
    FAMILY_EXEMPTIONS,
    FAMILY_HTTP_REQUESTS,
    FAMILY_COUNT,
};

struct series {
    struct series *next;
    enum family family;
    char *labels;
    uint64_t value;
};

/*
 * The fields an event's label set is rendered from, as a key of fixed size: zeroed before it is
 * filled, so that two keys of the same label set are the same bytes, padding included.
 */
struct event_key {
    uint8_t family;
    uint8_t deny;
    uint8_t fatal;
    uint8_t mode;
    uint8_t level;
    uint8_t latest;
    uint8_t resource;
    int64_t minor;
    char operation[sizeof(((struct pg_admission_result *)NULL)->operation)];
    char subresource[sizeof(((struct pg_admission_result *)NULL)->subresource)];
    char namespace_[sizeof(((struct pg_admission_result *)NULL)->namespace_)]; /* "": no label */
};

/* Slots of the direct-mapped event cache: far more than the label sets a cluster's traffic
   mostly uses (a few operations × modes × levels), small enough to stay in cache itself. */
#define EVENT_CACHE_SLOTS 64

_Static_assert(sizeof(struct event_key) % 8 == 0, "event_key_slot reads whole words");

struct event_cache_slot {
    bool used;
    struct event_key key;
    struct series *series;
};

/* A namespace given its own label value. */
struct namespace_value {
    struct namespace_value *next;
    char name[];
};

#define OTHER_NAMESPACES "_other"

struct pg_metrics {
    pthread_mutex_t lock;
    size_t namespace_values_max; /* 0: no namespace label */
    struct namespace_value *namespaces[BUCKETS];
    size_t namespaces_len;
    struct event_cache_slot event_cache[EVENT_CACHE_SLOTS];
    struct series *buckets[BUCKETS];
    size_t series_len;
    double duration_sum;
    uint64_t duration_count;
};

static const char *const NAMES[FAMILY_COUNT] = {
    "pod_security_errors_total",
    "pod_security_evaluations_total",
    "pod_security_exemptions_total",
    "podgate_http_requests_total",
};

#define ERRORS_HELP                                                                                \
    "[ALPHA] Number of errors preventing normal evaluation. Non-fatal errors may result in the "   \
    "latest restricted profile being used for evaluation."

static const char *const HELP[FAMILY_COUNT] = {
    ERRORS_HELP,
    "[ALPHA] Number of policy evaluations that occurred, not counting ignored or exempt requests.",
    "[ALPHA] Number of exempt requests, not counting ignored or out of scope requests.",
    "Number of HTTP requests served, by status code.",
};

struct pg_metrics *pg_metrics_new(size_t namespace_values_max)
{
    struct pg_metrics *metrics = pg_xcalloc(1, sizeof(*metrics));
    (void)pthread_mutex_init(&metrics->lock, NULL);
    metrics->namespace_values_max = namespace_values_max;
    return metrics;
}

void pg_metrics_free(struct pg_metrics *metrics)
{
    size_t i = 0;
    if (metrics == NULL) {
        return;
    }
    for (i = 0; i < BUCKETS; i++) {
        struct series *s = metrics->buckets[i];
        while (s != NULL) {
            struct series *next = s->next;
            free(s->labels);
            free(s);
            s = next;
        }
        while (metrics->namespaces[i] != NULL) {
            struct namespace_value *next = metrics->namespaces[i]->next;
            free(metrics->namespaces[i]);
            metrics->namespaces[i] = next;
        }
    }
    (void)pthread_mutex_destroy(&metrics->lock);
    free(metrics);
}

static uint32_t hash(enum family family, const char *text)
{
    uint32_t h = 2166136261u ^ (uint32_t)family;
    while (*text != '\0') {
        h = (h ^ (unsigned char)*text++) * 16777619u;
    }
    return h;
}

/* The series of `family` with `labels`, created at 0 when new; the caller holds the lock. */
static struct series *find_series(struct pg_metrics *metrics, enum family family,
                                  const char *labels)
{
    uint32_t bucket = hash(family, labels) % BUCKETS;
    struct series *s = NULL;
    for (s = metrics->buckets[bucket]; s != NULL; s = s->next) {
        if (s->family == family && strcmp(s->labels, labels) == 0) {
            return s;
        }
    }
    s = pg_xcalloc(1, sizeof(*s));
    s->family = family;
    s->labels = pg_xstrndup(labels, strlen(labels));
    s->next = metrics->buckets[bucket];
    metrics->buckets[bucket] = s;
    metrics->series_len++;
    return s;
}

/* The namespace label value of `name`: the name while under the limit; the caller holds the lock.
 */
static const char *namespace_label(struct pg_metrics *metrics, const char *name)
{
    uint32_t bucket = 0;
    struct namespace_value *value = NULL;
    size_t len = strlen(name);
    if (len == 0) {
        return name; /* cluster-scoped: nothing to bound */
    }
    bucket = hash(FAMILY_COUNT, name) % BUCKETS;
    for (value = metrics->namespaces[bucket]; value != NULL; value = value->next) {
        if (strcmp(value->name, name) == 0) {
            return name;
        }
    }
    if (metrics->namespaces_len >= metrics->namespace_values_max) {
        return OTHER_NAMESPACES;
    }
    value = pg_xmalloc(sizeof(*value) + len + 1);
    memcpy(value->name, name, len + 1);
    value->next = metrics->namespaces[bucket];
    metrics->namespaces[bucket] = value;
    metrics->namespaces_len++;
    return name;
}

/*
 * A label set being rendered, on the stack: every request renders one per metric event, and
 * the values are bounded (the result's fixed-size fields, enum names), so no heap is needed.
 * LABELS_MAX holds the longest set with every value fully escaped; a set that would not fit
 * is truncated, never overrun.
 */
#define LABELS_MAX 1024

struct labels {
    char text[LABELS_MAX];
    size_t len;
};

static void labels_put(struct labels *labels, const char *data, size_t len)
{
    if (len > sizeof(labels->text) - 1 - labels->len) {
        len = sizeof(labels->text) - 1 - labels->len;
    }
    memcpy(labels->text + labels->len, data, len);
    labels->len += len;
    labels->text[labels->len] = '\0';
}

/* A label value escaped as the text format wants (\\, \", \n). */
static void put_label(struct labels *labels, const char *name, const char *value, bool first)
{
    /* Plain appends, no printf, and the bytes between escapes copied in one piece. */
    const char *run = value;
    if (!first) {
        labels_put(labels, ",", 1);
    }
    labels_put(labels, name, strlen(name));
    labels_put(labels, "=\"", 2);
    for (; *value != '\0'; value++) {
        const char *escape = *value == '\\'   ? "\\\\"
                             : *value == '"'  ? "\\\""
                             : *value == '\n' ? "\\n"
                                              : NULL;
        if (escape == NULL) {
            continue;
        }
        labels_put(labels, run, (size_t)(value - run));
        labels_put(labels, escape, 2);
        run = value + 1;
    }
    labels_put(labels, run, (size_t)(value - run));
    labels_put(labels, "\"", 1);
}

const char *pg_metrics_version_label(struct pg_level_version lv, char *buf, size_t size)
{
    if (lv.version.latest || lv.level == PG_LEVEL_PRIVILEGED) {
        return "latest";
    }
    if (lv.version.minor > PG_MAX_MINOR) {
        return "future";
    }
    (void)snprintf(buf, size, "v1.%lld", (long long)lv.version.minor);
    return buf;
}

static const char *resource_label(enum pg_admission_resource resource)
{
    switch (resource) {
    case PG_ADMISSION_RESOURCE_POD:
        return "pod";
    case PG_ADMISSION_RESOURCE_NAMESPACE:
        return "namespace";
    case PG_ADMISSION_RESOURCE_CONTROLLER:
        return "controller";
    }
    return "controller";
}

/* The request labels shared by every family, after the family's own; `namespace_` NULL: none. */
static void put_request_labels(struct labels *labels, const char *namespace_,
                               const struct pg_admission_result *result, bool first)
{
    if (namespace_ != NULL) {
        put_label(labels, "namespace", namespace_, first);
        first = false;
    }
    put_label(labels, "request_operation", result->operation, first);
    put_label(labels, "resource", resource_label(result->resource), false);
    put_label(labels, "subresource", result->subresource, false);
}

static void render_evaluation(struct labels *labels, const char *namespace_,
                              const struct pg_admission_result *result,
                              const struct pg_admission_metric *event)
{
    char version[32];
    put_label(labels, "decision", event->deny ? "deny" : "allow", true);
    put_label(labels, "mode", pg_mode_name(event->mode), false);
    if (namespace_ != NULL) {
        put_label(labels, "namespace", namespace_, false);
    }
    put_label(labels, "policy_level", pg_level_name(event->policy.level), false);
    put_label(labels, "policy_version",
              pg_metrics_version_label(event->policy, version, sizeof(version)), false);
    put_label(labels, "request_operation", result->operation, false);
    put_label(labels, "resource", resource_label(result->resource), false);
    put_label(labels, "subresource", result->subresource, false);
}

/* The family of an event and its label set, rendered; the caller holds the lock. */
static enum family render_event(struct labels *labels, struct pg_metrics *metrics,
                                const struct pg_admission_result *result,
                                const struct pg_admission_metric *event)
{
    const char *namespace_ =
        metrics->namespace_values_max > 0 ? namespace_label(metrics, result->namespace_) : NULL;
    labels->len = 0;
    labels->text[0] = '\0';
    switch (event->kind) {
    case PG_ADMISSION_METRIC_EVALUATION:
        render_evaluation(labels, namespace_, result, event);
        return FAMILY_EVALUATIONS;
    case PG_ADMISSION_METRIC_EXEMPTION:
        put_request_labels(labels, namespace_, result, true);
        return FAMILY_EXEMPTIONS;
    case PG_ADMISSION_METRIC_ERROR:
        put_label(labels, "fatal", event->fatal ? "true" : "false", true);
        put_request_labels(labels, namespace_, result, false);
        return FAMILY_ERRORS;
    }
    return FAMILY_ERRORS;
}

/* Copy the C string `text` (stored in an array of `size`) into a zeroed key field. */
static void key_text(char *field, const char *text, size_t size)
{
    size_t len = strnlen(text, size - 1);
    memcpy(field, text, len);
}

/* Every field render_event reads for this event, and nothing else. */
static void make_event_key(struct event_key *key, const struct pg_metrics *metrics,
                           const struct pg_admission_result *result,
                           const struct pg_admission_metric *event)
{
    memset(key, 0, sizeof(*key));
    key->family = (uint8_t)event->kind;
    key->resource = (uint8_t)result->resource;
    key_text(key->operation, result->operation, sizeof(key->operation));
    key_text(key->subresource, result->subresource, sizeof(key->subresource));
    /* The raw name: a namespace's label value never changes once given (namespace_label). */
    if (metrics->namespace_values_max > 0) {
        key_text(key->namespace_, result->namespace_, sizeof(key->namespace_));
    }
    if (event->kind == PG_ADMISSION_METRIC_EVALUATION) {
        key->deny = event->deny;
        key->mode = (uint8_t)event->mode;
        key->level = (uint8_t)event->policy.level;
        key->latest = event->policy.version.latest;
        key->minor = event->policy.version.latest ? 0 : event->policy.version.minor;
    } else if (event->kind == PG_ADMISSION_METRIC_ERROR) {
        key->fatal = event->fatal;
    }
}

/* The key's slot: a multiplicative hash over the key a word at a time (its size is a multiple
   of 8: it holds an int64_t). */
static size_t event_key_slot(const struct event_key *key)
{
    const unsigned char *bytes = (const unsigned char *)key;
    uint64_t h = 0;
    for (size_t i = 0; i + 8 <= sizeof(*key); i += 8) {
        uint64_t word = 0;
        memcpy(&word, bytes + i, sizeof(word));
        h = (h ^ word) * 0x9E3779B97F4A7C15u;
        h ^= h >> 29;
    }
    return (size_t)(h % EVENT_CACHE_SLOTS);
}

/* Count one event; the caller holds the lock. A label set is rendered only on a cache miss. */
static void count_event(struct pg_metrics *metrics, const struct pg_admission_result *result,
                        const struct pg_admission_metric *event)
{
    struct event_key key;
    struct event_cache_slot *slot = NULL;
    make_event_key(&key, metrics, result, event);
    slot = &metrics->event_cache[event_key_slot(&key)];
    if (!slot->used || memcmp(&slot->key, &key, sizeof(key)) != 0) {
        struct labels labels;
        enum family family = render_event(&labels, metrics, result, event);
        slot->series = find_series(metrics, family, labels.text);
        slot->key = key;
        slot->used = true;
    }
    slot->series->value++;
}

void pg_metrics_record(struct pg_metrics *metrics, const struct pg_admission_result *result)
{
    size_t i = 0;
    if (result->metrics_len == 0) {
        return;
    }
    (void)pthread_mutex_lock(&metrics->lock);
    for (i = 0; i < result->metrics_len; i++) {
        count_event(metrics, result, &result->metrics[i]);
    }
    (void)pthread_mutex_unlock(&metrics->lock);
}

void pg_metrics_observe_request(struct pg_metrics *metrics, int status, double seconds)
{
    /* Once per request: the label without printf, both updates under one lock. */
    char labels[16] = "code=\"000\"";
    if (status < 100 || status > 999) {
        status = 0; /* cannot happen: HTTP statuses have three digits */
    }
    labels[6] = (char)('0' + status / 100);
    labels[7] = (char)('0' + status / 10 % 10);
    labels[8] = (char)('0' + status % 10);
    (void)pthread_mutex_lock(&metrics->lock);
    find_series(metrics, FAMILY_HTTP_REQUESTS, labels)->value++;
    metrics->duration_sum += seconds;
    metrics->duration_count++;
    (void)pthread_mutex_unlock(&metrics->lock);
}

static int compare_series(const void *a, const void *b)
{
    const struct series *x = *(const struct series *const *)a;
    const struct series *y = *(const struct series *const *)b;
    if (x->family != y->family) {
        return x->family < y->family ? -1 : 1;
    }
    return strcmp(x->labels, y->labels);
}

static void render_sorted(struct pg_buf *out, struct series **all, size_t len)
{
    size_t i = 0;
    int family = -1;
    for (i = 0; i < len; i++) {
        if ((int)all[i]->family != family) {
            family = (int)all[i]->family;
            pg_buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n", NAMES[family], HELP[family],
                          NAMES[family]);
        }
        pg_buf_printf(out, "%s{%s} %llu\n", NAMES[family], all[i]->labels,
                      (unsigned long long)all[i]->value);
    }
}

void pg_metrics_render_cache(struct pg_buf *out, const struct pg_nscache_health *health)
{
    /* Indexed by enum pg_nscache_relist and enum pg_nscache_call. */
    static const char *const REASONS[PG_NSCACHE_RELIST_COUNT] = {"gone", "error_event",
                                                                 "undecodable"};
    static const char *const CALLS[PG_NSCACHE_CALL_COUNT] = {"list", "watch", "get", "list_pods"};
    size_t i = 0;
    pg_buf_printf(out,
                  "# HELP podgate_namespace_cache_synced 1 when the namespace cache is listed and "
                  "watched, 0 before the first LIST and while a relist is pending.\n"
                  "# TYPE podgate_namespace_cache_synced gauge\npodgate_namespace_cache_synced "
                  "%d\n"
                  "# HELP podgate_namespace_watch_restarts_total Namespace watch streams that "
                  "ended and were reopened.\n# TYPE podgate_namespace_watch_restarts_total "
                  "counter\npodgate_namespace_watch_restarts_total %llu\n"
                  "# HELP podgate_namespace_relists_total Namespace relists after the first "
                  "LIST, by cause.\n# TYPE podgate_namespace_relists_total counter\n",
                  health->synced ? 1 : 0, (unsigned long long)health->watch_restarts);
    for (i = 0; i < PG_NSCACHE_RELIST_COUNT; i++) {
        pg_buf_printf(out, "podgate_namespace_relists_total{reason=\"%s\"} %llu\n", REASONS[i],
                      (unsigned long long)health->relists[i]);
    }
    pg_buf_printf(out, "# HELP podgate_kube_api_errors_total Failed Kubernetes API calls, by "
                       "call.\n# TYPE podgate_kube_api_errors_total counter\n");
    for (i = 0; i < PG_NSCACHE_CALL_COUNT; i++) {
        pg_buf_printf(out, "podgate_kube_api_errors_total{call=\"%s\"} %llu\n", CALLS[i],
                      (unsigned long long)health->api_errors[i]);
    }
}

void pg_metrics_render(struct pg_metrics *metrics, struct pg_buf *out)
{
    struct series **all = NULL;
    size_t len = 0;
    size_t i = 0;
    (void)pthread_mutex_lock(&metrics->lock);
    all = pg_xcalloc(metrics->series_len + 1, sizeof(*all));
    for (i = 0; i < BUCKETS; i++) {
        struct series *s = NULL;
        for (s = metrics->buckets[i]; s != NULL; s = s->next) {
            all[len++] = s;
        }
    }
    qsort(all, len, sizeof(*all), compare_series);
    render_sorted(out, all, len);
    pg_buf_printf(out,
                  "# HELP podgate_http_request_duration_seconds Time spent serving HTTP "
                  "requests.\n# TYPE podgate_http_request_duration_seconds summary\n"
                  "podgate_http_request_duration_seconds_sum %.6f\n"
                  "podgate_http_request_duration_seconds_count %llu\n",
                  metrics->duration_sum, (unsigned long long)metrics->duration_count);
    (void)pthread_mutex_unlock(&metrics->lock);
    free(all);
}
