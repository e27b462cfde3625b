/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the admission handler: the input is the HTTP body of an
 * admission request, taken through decode, decision and encode exactly as
 * the server does, against a fixed in-memory set of namespaces (one per
 * level, one whose lookup fails) and a fixed two-page pod list for the
 * namespace dry run. Each input is handled twice, into fresh memory and into
 * a workspace kept across inputs as the server keeps one per worker thread, and
 * the two responses must be the same bytes (the target aborts otherwise).
 * Frees everything but that workspace, prints nothing.
 */
#include "podgate/admission.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Exemptions give the exempt paths something to match. */
static const char CONFIG[] = "apiVersion: pod-security.admission.config.k8s.io/v1\n"
                             "kind: PodSecurityConfiguration\n"
                             "defaults: {enforce: baseline, warn: restricted, audit: restricted}\n"
                             "exemptions:\n"
                             "  usernames: [admin]\n"
                             "  namespaces: [kube-system]\n"
                             "  runtimeClasses: [kata]\n";

static int namespace_labels(const struct pg_node **labels_out, struct pg_arena *arena,
                            struct pg_str name, struct pg_buf *error, void *ctx)
{
    static const struct {
        const char *name;
        const char *level;
    } namespaces[] = {{"restricted", "restricted"},
                      {"baseline", "baseline"},
                      {"privileged", "privileged"},
                      {"bad", "Restricted"}};
    struct pg_str keys[3] = {{"pod-security.kubernetes.io/enforce", 34},
                             {"pod-security.kubernetes.io/warn", 31},
                             {"pod-security.kubernetes.io/audit-version", 40}};
    struct pg_str values[3];
    size_t i = 0;
    (void)ctx;
    if (name.len == 6 && memcmp(name.ptr, "failed", 6) == 0) {
        pg_buf_puts(error, "connection refused");
        return PG_EIO;
    }
    for (i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++) {
        if (name.len == strlen(namespaces[i].name) &&
            memcmp(name.ptr, namespaces[i].name, name.len) == 0) {
            values[0] = (struct pg_str){namespaces[i].level, strlen(namespaces[i].level)};
            values[1] = (struct pg_str){"restricted", 10};
            values[2] = (struct pg_str){"v1.25", 5};
            *labels_out = pg_admission_labels_node(arena, keys, values, 3);
            return 0;
        }
    }
    if (name.len == 4 && memcmp(name.ptr, "open", 4) == 0) {
        *labels_out = NULL;
        return 0;
    }
    pg_buf_printf(error, "namespaces \"%.*s\" not found", (int)name.len, name.ptr);
    return PG_ENOENT;
}

/* Two pages: a privileged pod and a continue token, then a baseline-clean pod and one that
   cannot be judged (the dry run's warning about it). */
static int pod_pages(struct pg_buf *page, struct pg_str name, struct pg_str continue_token,
                     int64_t deadline_ns, struct pg_buf *error, void *ctx)
{
    (void)name;
    (void)deadline_ns;
    (void)error;
    (void)ctx;
    if (continue_token.len == 0) {
        pg_buf_puts(page, "{\"kind\":\"PodList\",\"metadata\":{\"continue\":\"2\","
                          "\"remainingItemCount\":1},\"items\":[{\"metadata\":{\"name\":\"p1\"},"
                          "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\","
                          "\"securityContext\":{\"privileged\":true}}]}}]}");
        return 0;
    }
    pg_buf_puts(page, "{\"kind\":\"PodList\",\"metadata\":{},\"items\":[{\"metadata\":"
                      "{\"name\":\"p2\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]}},"
                      "{\"metadata\":{\"name\":\"p3\"},\"spec\":{\"containers\":{}}}]}");
    return 0;
}

/* A clock that advances 1 ms per reading, so the dry-run budget is deterministic. */
static int64_t step_clock(void *ctx)
{
    int64_t *now = ctx;
    *now += 1000000;
    return *now;
}

/* The input handled with `workspace` (NULL: fresh memory), the clock restarted at 0. */
static void handle(struct pg_admission_result *result, struct pg_admission_handler *handler,
                   const uint8_t *data, size_t size, struct pg_admission_workspace *workspace)
{
    struct pg_admission_http_request request;
    int64_t *now = handler->clock_ctx;
    *now = 0;
    memset(&request, 0, sizeof(request));
    request.body = (const char *)data;
    request.body_len = size;
    request.content_type = "application/json";
    request.timeout = "10s";
    request.received_ns = step_clock(now);
    request.workspace = workspace;
    pg_admission_result_init(result);
    pg_admission_handle(result, handler, &request);
}

static bool same_response(const struct pg_admission_result *a, const struct pg_admission_result *b)
{
    return a->http_status == b->http_status && a->body.len == b->body.len &&
           (a->body.len == 0 || memcmp(a->body.ptr, b->body.ptr, a->body.len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Kept from one input to the next on purpose: what one review leaves in it must not
       change the next one's answer. Never freed; it stays reachable. */
    static struct pg_admission_workspace *workspace = NULL;
    struct pg_admission_result reused;
    struct pg_admission_config *config = NULL;
    struct pg_admission_handler handler;
    struct pg_admission_result result;
    struct pg_limits limits;
    int64_t now = 0;
    if (pg_admission_config_parse(&config, CONFIG, sizeof(CONFIG) - 1, NULL) != 0) {
        return 0;
    }
    pg_limits_default(&limits);
    limits.max_nodes = 20000;
    limits.max_depth = 64;
    memset(&handler, 0, sizeof(handler));
    handler.config = config;
    handler.get_namespace = namespace_labels;
    handler.list_pods = pod_pages;
    handler.clock = step_clock;
    handler.clock_ctx = &now;
    handler.limits = &limits;
    if (workspace == NULL) {
        workspace = pg_admission_workspace_new();
    }
    handle(&result, &handler, data, size, NULL);
    handle(&reused, &handler, data, size, workspace);
    if (!same_response(&result, &reused)) {
        abort();
    }
    pg_admission_result_release(&result);
    pg_admission_result_release(&reused);
    pg_admission_config_free(config);
    return 0;
}
