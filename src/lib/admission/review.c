/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The admission endpoint as bytes in, bytes out (spec §10): upstream's HTTP
 * errors for the body and content type, AdmissionReview v1 decoding, then the
 * decision and the encoded response. No sockets, no clocks of its own.
 */
#include "admission/admission_internal.h"
#include "doc/reader.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REVIEW_API_VERSION "admission.k8s.io/v1"

static int64_t monotonic_ns(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        return 0;
    }
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int64_t pg_adm_now(const struct pg_admission_handler *handler)
{
    if (handler->clock != NULL) {
        return handler->clock(handler->clock_ctx);
    }
    return monotonic_ns();
}

void pg_admission_result_init(struct pg_admission_result *result)
{
    memset(result, 0, sizeof(*result));
    pg_buf_init(&result->body, 0);
}

void pg_admission_result_release(struct pg_admission_result *result)
{
    pg_buf_release(&result->body);
}

/* Reset `out` for a new request, keeping the body's memory. */
static void result_reset(struct pg_admission_result *out)
{
    struct pg_buf body = out->body;
    memset(out, 0, sizeof(*out));
    out->body = body;
    pg_buf_clear(&out->body);
}

static void copy_field(char *dst, size_t size, struct pg_str value)
{
    size_t len = value.len < size - 1 ? value.len : size - 1;
    memcpy(dst, value.ptr, len);
    dst[len] = '\0';
}

/* Go's http.Error: the text plus a newline, as text/plain. */
static void http_error(struct pg_admission_result *out, int status, const char *text)
{
    out->http_status = status;
    out->content_type = "text/plain; charset=utf-8";
    pg_buf_puts(&out->body, text);
    pg_buf_putc(&out->body, '\n');
    struct pg_str view = {text, strlen(text)};
    copy_field(out->message, sizeof(out->message), view);
}

/* A string field of `map` (absent or null = ""); false when it is not a string. */
static bool get_string(struct pg_str *out, const struct pg_node *map, const char *key)
{
    const struct pg_node *node = pg_node_get(map, key);
    out->ptr = "";
    out->len = 0;
    if (pg_node_unset(node)) {
        return true;
    }
    if (node->kind != PG_NODE_STR) {
        return false;
    }
    *out = node->as.str;
    return true;
}

static bool is_map_or_unset(const struct pg_node *node)
{
    return pg_node_unset(node) || node->kind == PG_NODE_MAP;
}

/* GroupVersionKind / GroupVersionResource objects. */
static bool get_group_and(struct pg_str *group, struct pg_str *version, struct pg_str *name,
                          const struct pg_node *node, const char *name_key)
{
    if (!is_map_or_unset(node)) {
        return false;
    }
    return get_string(group, node, "group") && get_string(version, node, "version") &&
           get_string(name, node, name_key);
}

static bool decode_request(struct pg_adm_request *out, const struct pg_node *request)
{
    struct pg_str ignored;
    const struct pg_node *user_info = pg_node_get(request, "userInfo");
    if (request->kind != PG_NODE_MAP || !is_map_or_unset(user_info)) {
        return false;
    }
    if (!get_string(&out->uid, request, "uid") || !get_string(&out->name, request, "name") ||
        !get_string(&out->namespace_, request, "namespace") ||
        !get_string(&out->operation, request, "operation") ||
        !get_string(&out->subresource, request, "requestSubResource") ||
        !get_string(&ignored, request, "subResource") ||
        !get_string(&out->username, user_info, "username")) {
        return false;
    }
    if (!get_group_and(&out->kind_group, &out->kind_version, &out->kind_kind,
                       pg_node_get(request, "kind"), "kind") ||
        !get_group_and(&out->resource_group, &ignored, &out->resource,
                       pg_node_get(request, "resource"), "resource")) {
        return false;
    }
    out->object = pg_node_get(request, "object");
    out->old_object = pg_node_get(request, "oldObject");
    out->object = pg_node_unset(out->object) ? NULL : out->object;
    out->old_object = pg_node_unset(out->old_object) ? NULL : out->old_object;
    return true;
}

/*
 * The review's type, as the universal deserializer with a v1 AdmissionReview
 * default sees it: empty parts default to v1 AdmissionReview; v1beta1 is a
 * known but unexpected kind; anything else cannot be decoded.
 */
static bool check_review_type(struct pg_admission_result *out, const struct pg_node *root)
{
    struct pg_str api_version;
    struct pg_str kind;
    if (!get_string(&api_version, root, "apiVersion") || !get_string(&kind, root, "kind")) {
        http_error(out, 400, "unable to decode the request");
        return false;
    }
    if (api_version.len == 0) {
        api_version = PG_STR_LIT(REVIEW_API_VERSION);
    }
    if (kind.len == 0) {
        kind = PG_STR_LIT("AdmissionReview");
    }
    if (!pg_adm_str_eq(kind, "AdmissionReview")) {
        http_error(out, 400, "unable to decode the request");
        return false;
    }
    if (pg_adm_str_eq(api_version, "admission.k8s.io/v1beta1")) {
        http_error(out, 400,
                   "unexpected AdmissionReview kind: admission.k8s.io/v1beta1, "
                   "Kind=AdmissionReview");
        return false;
    }
    if (!pg_adm_str_eq(api_version, REVIEW_API_VERSION)) {
        http_error(out, 400, "unable to decode the request");
        return false;
    }
    return true;
}

/*
 * `resource[.group]` into dst, truncated to fit as snprintf would (that
 * printf cost 1,700 instructions a review).
 */
static void put_resource_name(char *dst, size_t size, const struct pg_adm_request *req)
{
    size_t len = 0;
    copy_field(dst, size, req->resource);
    len = strlen(dst);
    if (req->resource_group.len > 0 && len + 1 < size) {
        dst[len] = '.';
        copy_field(dst + len + 1, size - len - 1, req->resource_group);
    }
}

static void fill_result_fields(struct pg_admission_result *out, const struct pg_adm_request *req)
{
    size_t i = 0;
    out->reviewed = true;
    copy_field(out->uid, sizeof(out->uid), req->uid);
    copy_field(out->subresource, sizeof(out->subresource), req->subresource);
    copy_field(out->namespace_, sizeof(out->namespace_), req->namespace_);
    copy_field(out->name, sizeof(out->name), req->name);
    /* Metric label: create, update, or the operation in lower case (spec §7). */
    copy_field(out->operation, sizeof(out->operation), req->operation);
    for (i = 0; out->operation[i] != '\0'; i++) {
        char c = out->operation[i];
        out->operation[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    put_resource_name(out->resource_name, sizeof(out->resource_name), req);
    out->resource = PG_ADMISSION_RESOURCE_CONTROLLER;
    if (req->resource_group.len == 0 && pg_adm_str_eq(req->resource, "pods")) {
        out->resource = PG_ADMISSION_RESOURCE_POD;
    } else if (req->resource_group.len == 0 && pg_adm_str_eq(req->resource, "namespaces")) {
        out->resource = PG_ADMISSION_RESOURCE_NAMESPACE;
    }
}

static void finish_review(struct pg_admission_result *out, const struct pg_adm_request *req,
                          const struct pg_adm_response *response)
{
    size_t i = 0;
    out->http_status = 200;
    out->content_type = "application/json";
    pg_adm_encode_review(&out->body, req, response);
    out->allowed = response->allowed;
    out->status_code = response->code;
    out->warnings = response->warnings_len;
    copy_field(out->message, sizeof(out->message), pg_buf_str(&response->message));
    for (i = 0; i < response->metrics_len; i++) {
        out->metrics[i] = response->metrics[i];
    }
    out->metrics_len = response->metrics_len;
}

static int64_t request_deadline(const struct pg_admission_http_request *request)
{
    int64_t timeout = 0;
    if (request->timeout == NULL || request->timeout[0] == '\0') {
        return 0;
    }
    /* An invalid timeout is ignored, as upstream does. */
    if (pg_admission_parse_duration(&timeout, request->timeout) != 0) {
        return 0;
    }
    if (timeout > INT64_MAX - request->received_ns) {
        return 0;
    }
    return request->received_ns + timeout;
}

static void decide(struct pg_admission_result *out, const struct pg_admission_handler *handler,
                   const struct pg_admission_http_request *request, const struct pg_doc *doc)
{
    struct pg_adm_request req;
    struct pg_adm_response response;
    struct pg_adm_ctx ctx;
    const struct pg_node *review_request = pg_node_get(doc->root, "request");
    memset(&req, 0, sizeof(req));
    if (!check_review_type(out, doc->root)) {
        return;
    }
    if (!pg_node_unset(review_request) && !decode_request(&req, review_request)) {
        http_error(out, 400, "unable to decode the request");
        return;
    }
    if (pg_node_unset(review_request)) {
        /* Upstream dereferences the nil request and recovers from the panic. */
        http_error(out, 500, "internal server error");
        return;
    }
    pg_adm_response_init(&response);
    memset(&ctx, 0, sizeof(ctx));
    ctx.handler = handler;
    ctx.config = handler->config;
    ctx.arena = doc->arena;
    ctx.request = &req;
    ctx.response = &response;
    ctx.deadline_ns = request_deadline(request);
    if (handler->limits != NULL) {
        ctx.limits = *handler->limits;
    } else {
        pg_limits_default(&ctx.limits);
    }
    fill_result_fields(out, &req);
    if (handler->acquire_policies != NULL) {
        ctx.policies = handler->acquire_policies(&ctx.today, handler->policies_ctx);
    }
    pg_adm_validate(&ctx);
    /* The set is released only once nothing of this review points into it any more. */
    if (ctx.policies != NULL && handler->release_policies != NULL) {
        handler->release_policies(ctx.policies, handler->policies_ctx);
    }
    finish_review(out, &req, &response);
    pg_adm_response_release(&response);
}

/*
 * A workspace keeps the reader of reviews up to this size: a tree takes about five times its text,
 * so each workspace holds about 100 KiB at most; a larger review's memory is freed with it.
 */
#define WORKSPACE_KEEP_MAX_BODY ((size_t)16 * 1024)

struct pg_admission_workspace {
    struct pg_doc_reader *reader; /* NULL until the first review */
};

struct pg_admission_workspace *pg_admission_workspace_new(void)
{
    return pg_xcalloc(1, sizeof(struct pg_admission_workspace));
}

void pg_admission_workspace_free(struct pg_admission_workspace *workspace)
{
    if (workspace == NULL) {
        return;
    }
    pg_doc_reader_free(workspace->reader);
    free(workspace);
}

/* A reader for the body: the workspace's, pointed at it, else a new one. */
static int open_reader(struct pg_doc_reader **out, const struct pg_admission_http_request *request,
                       const struct pg_limits *limits, struct pg_error *err)
{
    struct pg_admission_workspace *workspace = request->workspace;
    int rc = 0;
    if (workspace == NULL || workspace->reader == NULL) {
        rc = pg_doc_reader_new(out, request->body, request->body_len, PG_FORMAT_JSON, limits, err);
    } else {
        *out = workspace->reader;
        workspace->reader = NULL; /* given back by close_reader */
        rc = pg_doc_reader_rebind(*out, request->body, request->body_len, limits, err);
    }
    if (rc == 0) {
        (*out)->json_unread = pg_adm_unread_key;
    }
    return rc;
}

static void close_reader(struct pg_doc_reader *reader, struct pg_doc *doc,
                         const struct pg_admission_http_request *request)
{
    struct pg_admission_workspace *workspace = request->workspace;
    if (reader == NULL || workspace == NULL || request->body_len > WORKSPACE_KEEP_MAX_BODY) {
        pg_doc_free(doc);
        pg_doc_reader_free(reader);
        return;
    }
    pg_doc_recycle(reader, doc);
    workspace->reader = reader;
}

static void decode_and_decide(struct pg_admission_result *out,
                              const struct pg_admission_handler *handler,
                              const struct pg_admission_http_request *request)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_limits limits;
    struct pg_error err;
    if (handler->limits != NULL) {
        limits = *handler->limits;
    } else {
        pg_limits_default(&limits);
    }
    if (open_reader(&reader, request, &limits, &err) != 0 ||
        pg_doc_reader_next(reader, &doc, NULL, &err) != 1 || doc->root == NULL ||
        doc->root->kind != PG_NODE_MAP) {
        http_error(out, 400, "unable to decode the request");
        goto cleanup;
    }
    decide(out, handler, request, doc);
cleanup:
    close_reader(reader, doc, request);
}

void pg_admission_handle(struct pg_admission_result *out,
                         const struct pg_admission_handler *handler,
                         const struct pg_admission_http_request *request)
{
    result_reset(out);
    if (request->body_len == 0 && !request->body_too_large) {
        http_error(out, 400, "request body is empty");
        return;
    }
    if (request->body_too_large || request->body_len >= PG_ADMISSION_MAX_BODY) {
        http_error(out, 413, "request entity is too large; limit is 3145728 bytes");
        return;
    }
    if (request->content_type == NULL || strcmp(request->content_type, "application/json") != 0) {
        http_error(out, 400, "unable to process a request with a non-json content type");
        return;
    }
    decode_and_decide(out, handler, request);
}
