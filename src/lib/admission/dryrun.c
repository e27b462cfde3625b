/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The namespace dry run (spec §6.6): when a namespace's enforce level
 * tightens, evaluate its existing pods at the new level and warn, grouped by
 * reasons. Upstream lists every pod at once and checks at most 3,000; here the
 * pods are read page by page (`limit`/`continue`) and checked until the time
 * budget runs out, in upstream's order: pods without a controller and the
 * first pod of each controller first, the other pods of a controller after
 * them. Pages holding such deferred pods are kept (up to a memory cap).
 */
#include "admission/admission_internal.h"
#include "doc/reader.h"

#include "podgate/eval.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_RETAINED_BYTES ((size_t)64 * 1024 * 1024)

struct group {
    char *reasons;
    char *pod_name;
    size_t count;
};

struct page {
    struct pg_buf bytes;
    struct pg_doc *doc;
};

struct dry_run {
    struct pg_adm_ctx *ctx;
    struct pg_level_version enforce;
    int64_t deadline;
    size_t max_pods;
    size_t total;
    size_t checked;
    bool stopped;
    char **controllers; /* controller UIDs seen */
    size_t controllers_len;
    struct page *pages; /* pages kept for deferred pods */
    size_t pages_len;
    size_t retained_bytes;
    size_t retained_max;
    const struct pg_node **deferred;
    size_t deferred_len;
    struct group *groups;
    size_t groups_len;
    size_t unjudged;              /* pods whose model could not be built */
    struct pg_buf unjudged_name;  /* the first such pod, quoted */
    struct pg_buf unjudged_error; /* and why */
    struct pg_findings findings;
    struct pg_buf reasons;
    struct pg_arena *scratch; /* one pod model at a time */
};

static bool controller_seen(struct dry_run *run, struct pg_str uid)
{
    size_t i = 0;
    for (i = 0; i < run->controllers_len; i++) {
        if (strlen(run->controllers[i]) == uid.len &&
            memcmp(run->controllers[i], uid.ptr, uid.len) == 0) {
            return true;
        }
    }
    run->controllers = pg_xrealloc(run->controllers, run->controllers_len + 1, sizeof(char *));
    run->controllers[run->controllers_len++] = pg_xstrndup(uid.ptr, uid.len);
    return false;
}

/* The UID of the owner reference with `controller: true`; false when there is none. */
static bool controller_uid(struct pg_str *out, const struct pg_node *pod)
{
    const struct pg_node *owners = pg_node_get(pg_node_get(pod, "metadata"), "ownerReferences");
    size_t i = 0;
    if (owners == NULL || owners->kind != PG_NODE_SEQ) {
        return false;
    }
    for (i = 0; i < owners->as.seq.len; i++) {
        const struct pg_node *owner = owners->as.seq.items[i];
        const struct pg_node *controller = pg_node_get(owner, "controller");
        const struct pg_node *uid = pg_node_get(owner, "uid");
        if (controller != NULL && controller->kind == PG_NODE_BOOL && controller->as.boolean) {
            out->ptr = uid != NULL && uid->kind == PG_NODE_STR ? uid->as.str.ptr : "";
            out->len = uid != NULL && uid->kind == PG_NODE_STR ? uid->as.str.len : 0;
            return true;
        }
    }
    return false;
}

static struct pg_str string_at(const struct pg_node *map, const char *key)
{
    const struct pg_node *node = pg_node_get(map, key);
    struct pg_str value = {"", 0};
    if (node != NULL && node->kind == PG_NODE_STR) {
        value = node->as.str;
    }
    return value;
}

static bool runtime_class_exempt(const struct dry_run *run, const struct pg_node *pod)
{
    struct pg_str runtime_class = string_at(pg_node_get(pod, "spec"), "runtimeClassName");
    return pg_admission_config_exempt(run->ctx->config, PG_EXEMPT_RUNTIME_CLASSES, runtime_class);
}

static void add_to_group(struct dry_run *run, struct pg_str reasons, struct pg_str name)
{
    size_t i = 0;
    struct group *group = NULL;
    for (i = 0; i < run->groups_len && group == NULL; i++) {
        if (strlen(run->groups[i].reasons) == reasons.len &&
            memcmp(run->groups[i].reasons, reasons.ptr, reasons.len) == 0) {
            group = &run->groups[i];
        }
    }
    if (group == NULL) {
        run->groups = pg_xrealloc(run->groups, run->groups_len + 1, sizeof(*run->groups));
        group = &run->groups[run->groups_len++];
        group->reasons = pg_xstrndup(reasons.ptr, reasons.len);
        group->pod_name = pg_xstrndup(name.ptr, name.len);
        group->count = 0;
    } else if (strlen(group->pod_name) > 0 || name.len > 0) {
        /* Keep the byte-smallest pod name. */
        size_t old_len = strlen(group->pod_name);
        size_t common = old_len < name.len ? old_len : name.len;
        int cmp = memcmp(name.ptr, group->pod_name, common);
        if (cmp < 0 || (cmp == 0 && name.len < old_len)) {
            free(group->pod_name);
            group->pod_name = pg_xstrndup(name.ptr, name.len);
        }
    }
    group->count++;
}

/* Evaluate one pod; false once the budget or the pod cap is used up. */
static bool check_pod(struct dry_run *run, const struct pg_node *pod)
{
    struct pg_pod model;
    struct pg_error err;
    const struct pg_node *metadata = pg_node_get(pod, "metadata");
    if (run->stopped) {
        return false;
    }
    pg_arena_reset(run->scratch);
    if (pg_adm_extract_pod(&model, run->scratch, &run->ctx->limits, metadata,
                           pg_node_get(pod, "spec"), &err) == 0) {
        pg_evaluate(&run->findings, &model, run->enforce);
        if (run->findings.forbidden != 0) {
            pg_buf_clear(&run->reasons);
            pg_render_reasons(&run->reasons, &run->findings, &model);
            add_to_group(run, pg_buf_str(&run->reasons), string_at(metadata, "name"));
        }
    } else if (run->unjudged++ == 0) {
        /* A LIST cannot return such a pod unless a limit is crossed; say so rather than
           count it as passing. */
        pg_buf_put_go_quoted(&run->unjudged_name, string_at(metadata, "name"));
        pg_buf_puts(&run->unjudged_error, err.message);
    }
    run->checked++;
    if (pg_adm_now(run->ctx->handler) >= run->deadline ||
        (run->max_pods > 0 && run->checked >= run->max_pods)) {
        run->stopped = true;
    }
    return !run->stopped;
}

static void defer_pod(struct dry_run *run, const struct pg_node *pod)
{
    run->deferred = pg_xrealloc(run->deferred, run->deferred_len + 1, sizeof(*run->deferred));
    run->deferred[run->deferred_len++] = pod;
}

/* Walk one page's items; returns true when the page must be kept for deferred pods. */
static bool walk_items(struct dry_run *run, const struct pg_node *items, bool can_defer)
{
    size_t i = 0;
    bool keep = false;
    for (i = 0; i < items->as.seq.len; i++) {
        const struct pg_node *pod = items->as.seq.items[i];
        struct pg_str uid;
        if (pod->kind != PG_NODE_MAP || runtime_class_exempt(run, pod)) {
            continue;
        }
        run->total++;
        if (!controller_uid(&uid, pod) || !controller_seen(run, uid)) {
            (void)check_pod(run, pod);
        } else if (can_defer) {
            defer_pod(run, pod);
            keep = true;
        }
    }
    return keep;
}

static int64_t remaining_items(const struct pg_node *list)
{
    const struct pg_node *remaining =
        pg_node_get(pg_node_get(list, "metadata"), "remainingItemCount");
    if (remaining != NULL && remaining->kind == PG_NODE_INT && remaining->as.integer > 0) {
        return remaining->as.integer;
    }
    return 0;
}

/* Parse a page, walk it, and keep it when needed. Sets *next to the continue token. */
static int take_page(struct dry_run *run, struct page *page, struct pg_str *next,
                     int64_t *remaining)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_error err;
    const struct pg_node *items = NULL;
    bool can_defer = run->retained_bytes + page->bytes.len <= run->retained_max;
    int rc = pg_doc_reader_new(&reader, page->bytes.ptr, page->bytes.len, PG_FORMAT_JSON,
                               &run->ctx->limits, &err);
    if (rc == 0) {
        /* Pods as a LIST returns them carry managedFields and the rest: not built, as in a
           review (unread.c). */
        reader->json_unread = pg_adm_unread_key;
    }
    if (rc == 0 && pg_doc_reader_next(reader, &page->doc, NULL, &err) != 1) {
        rc = PG_EPARSE;
    }
    pg_doc_reader_free(reader);
    if (rc != 0 || page->doc->root == NULL) {
        return rc != 0 ? rc : PG_EPARSE;
    }
    items = pg_node_get(page->doc->root, "items");
    *next = string_at(pg_node_get(page->doc->root, "metadata"), "continue");
    *remaining = remaining_items(page->doc->root);
    if (items != NULL && items->kind == PG_NODE_SEQ && walk_items(run, items, can_defer)) {
        run->pages = pg_xrealloc(run->pages, run->pages_len + 1, sizeof(*run->pages));
        run->pages[run->pages_len++] = *page;
        run->retained_bytes += page->bytes.len;
        page->doc = NULL;
        pg_buf_init(&page->bytes, 0);
    }
    return 0;
}

/* Page through the pods. Returns 0, or <0 when the first page could not be read. */
static int list_and_check(struct dry_run *run, struct pg_str ns)
{
    const struct pg_admission_handler *handler = run->ctx->handler;
    struct page page = {PG_BUF_INIT, NULL};
    struct pg_buf token = PG_BUF_INIT;
    struct pg_buf error = PG_BUF_INIT;
    struct pg_str next = {"", 0};
    int64_t remaining = 0;
    bool first = true;
    int rc = 0;
    do {
        pg_buf_clear(&page.bytes);
        pg_buf_clear(&token);
        pg_buf_put_str(&token, next);
        rc = handler->list_pods(&page.bytes, ns, pg_buf_str(&token), run->deadline, &error,
                                handler->pods_ctx);
        pg_doc_free(page.doc);
        page.doc = NULL;
        if (rc == 0) {
            rc = take_page(run, &page, &next, &remaining);
        }
        if (rc != 0) {
            break;
        }
        first = false;
    } while (next.len > 0 && !run->stopped && pg_adm_now(handler) < run->deadline);
    if (rc != 0 && first) {
        rc = -1;
    } else {
        rc = 0;
        run->total += next.len > 0 ? (size_t)remaining : 0;
        run->stopped = run->stopped || next.len > 0;
    }
    pg_doc_free(page.doc);
    pg_buf_release(&page.bytes);
    pg_buf_release(&token);
    pg_buf_release(&error);
    return rc;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void emit_warnings(struct dry_run *run, struct pg_str ns)
{
    struct pg_adm_response *response = run->ctx->response;
    struct pg_buf text = PG_BUF_INIT;
    char **lines = pg_xcalloc(run->groups_len + 1, sizeof(char *));
    char lv[64];
    size_t i = 0;
    if (run->checked < run->total) {
        pg_buf_printf(&text,
                      "new PodSecurity enforce level only checked against the first %zu of %zu "
                      "existing pods",
                      run->checked, run->total);
        pg_adm_warn(response, pg_buf_str(&text));
    }
    if (run->unjudged > 0) {
        pg_buf_clear(&text);
        if (run->unjudged == 1) {
            pg_buf_printf(&text,
                          "existing pod %s could not be checked against the new "
                          "PodSecurity enforce level: %s",
                          pg_buf_str(&run->unjudged_name).ptr,
                          pg_buf_str(&run->unjudged_error).ptr);
        } else {
            pg_buf_printf(&text,
                          "%zu existing pods could not be checked against the new "
                          "PodSecurity enforce level; the first, %s: %s",
                          run->unjudged, pg_buf_str(&run->unjudged_name).ptr,
                          pg_buf_str(&run->unjudged_error).ptr);
        }
        pg_adm_warn(response, pg_buf_str(&text));
    }
    if (run->groups_len > 0) {
        (void)pg_level_version_format(lv, sizeof(lv), run->enforce);
        pg_buf_clear(&text);
        pg_buf_puts(&text, "existing pods in namespace ");
        pg_buf_put_go_quoted(&text, ns);
        pg_buf_printf(&text, " violate the new PodSecurity enforce level \"%s\"", lv);
        pg_adm_warn(response, pg_buf_str(&text));
    }
    for (i = 0; i < run->groups_len; i++) {
        const struct group *g = &run->groups[i];
        pg_buf_clear(&text);
        if (g->count == 1) {
            pg_buf_printf(&text, "%s: %s", g->pod_name, g->reasons);
        } else {
            pg_buf_printf(&text, "%s (and %zu other pod%s): %s", g->pod_name, g->count - 1,
                          g->count == 2 ? "" : "s", g->reasons);
        }
        lines[i] = pg_xstrndup(text.ptr, text.len);
    }
    qsort(lines, run->groups_len, sizeof(char *), compare_strings);
    for (i = 0; i < run->groups_len; i++) {
        pg_adm_warn(response, (struct pg_str){lines[i], strlen(lines[i])});
        free(lines[i]);
    }
    free(lines);
    pg_buf_release(&text);
}

static void release(struct dry_run *run)
{
    size_t i = 0;
    for (i = 0; i < run->controllers_len; i++) {
        free(run->controllers[i]);
    }
    for (i = 0; i < run->pages_len; i++) {
        pg_doc_free(run->pages[i].doc);
        pg_buf_release(&run->pages[i].bytes);
    }
    for (i = 0; i < run->groups_len; i++) {
        free(run->groups[i].reasons);
        free(run->groups[i].pod_name);
    }
    free(run->controllers);
    free(run->pages);
    free(run->deferred);
    free(run->groups);
    pg_findings_release(&run->findings);
    pg_buf_release(&run->reasons);
    pg_buf_release(&run->unjudged_name);
    pg_buf_release(&run->unjudged_error);
    pg_arena_free(run->scratch);
}

/* Budget: 1 s (or the handler's), at most half of the time the request has left. */
static int64_t dry_run_deadline(const struct pg_adm_ctx *ctx, int64_t now)
{
    int64_t budget = ctx->handler->pod_check_budget_ns > 0 ? ctx->handler->pod_check_budget_ns
                                                           : PG_ADMISSION_POD_CHECK_BUDGET_NS;
    if (ctx->deadline_ns != 0 && (ctx->deadline_ns - now) / 2 < budget) {
        budget = (ctx->deadline_ns - now) / 2;
    }
    return now + budget;
}

void pg_adm_dry_run(struct pg_adm_ctx *ctx, struct pg_str namespace_name,
                    struct pg_level_version enforce)
{
    struct dry_run run;
    size_t i = 0;
    memset(&run, 0, sizeof(run));
    run.ctx = ctx;
    run.enforce = enforce;
    run.deadline = dry_run_deadline(ctx, pg_adm_now(ctx->handler));
    run.max_pods = ctx->handler->max_pods_to_check;
    run.retained_max = ctx->handler->pod_page_bytes_max > 0 ? ctx->handler->pod_page_bytes_max
                                                            : DEFAULT_RETAINED_BYTES;
    pg_findings_init(&run.findings);
    pg_buf_init(&run.reasons, 0);
    pg_buf_init(&run.unjudged_name, 0);
    pg_buf_init(&run.unjudged_error, 0);
    run.scratch = pg_arena_new();
    if (ctx->handler->list_pods == NULL || pg_adm_now(ctx->handler) >= run.deadline ||
        list_and_check(&run, namespace_name) != 0) {
        pg_adm_warn(ctx->response,
                    PG_STR_LIT("failed to list pods while checking new PodSecurity enforce level"));
        release(&run);
        return;
    }
    for (i = 0; i < run.deferred_len && !run.stopped; i++) {
        (void)check_pod(&run, run.deferred[i]);
    }
    emit_warnings(&run, namespace_name);
    release(&run);
}
