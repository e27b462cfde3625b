/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test support for the admission handler: AdmissionReview bodies built from
 * JSON snippets, an in-memory namespace store and pod pages behind the
 * handler's callbacks, a fake clock, and a YAML-tree-to-JSON writer for
 * upstream's YAML fixtures. Header-only so unit and server tests share it.
 */
#ifndef PG_TEST_REVIEW_BUILDER_H
#define PG_TEST_REVIEW_BUILDER_H

#include "podgate/admission.h"
#include "podgate/arena.h"
#include "podgate/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A request's fields; NULL strings are left out of the JSON. */
struct review_spec {
    const char *uid;
    const char *operation;
    const char *group;
    const char *resource;
    const char *subresource;
    const char *namespace_;
    const char *name;
    const char *username;
    const char *object;     /* raw JSON */
    const char *old_object; /* raw JSON */
};

static inline void put_json_field(struct pg_buf *buf, const char *key, const char *value)
{
    if (value == NULL) {
        return;
    }
    pg_buf_printf(buf, ",\"%s\":", key);
    pg_buf_put_json_string(buf, (struct pg_str){value, strlen(value)});
}

/* The body of an AdmissionReview v1 request (caller releases the buffer). */
static inline void build_review(struct pg_buf *out, const struct review_spec *spec)
{
    const char *group = spec->group != NULL ? spec->group : "";
    pg_buf_puts(out, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                     "\"request\":{\"uid\":");
    pg_buf_put_json_string(out, (struct pg_str){spec->uid ? spec->uid : "uid-1",
                                                strlen(spec->uid ? spec->uid : "uid-1")});
    pg_buf_printf(out, ",\"kind\":{\"group\":\"%s\",\"version\":\"v1\",\"kind\":\"X\"}", group);
    pg_buf_printf(out, ",\"resource\":{\"group\":\"%s\",\"version\":\"v1\",\"resource\":\"%s\"}",
                  group, spec->resource ? spec->resource : "pods");
    put_json_field(out, "subResource", spec->subresource);
    put_json_field(out, "requestSubResource", spec->subresource);
    put_json_field(out, "name", spec->name);
    put_json_field(out, "namespace", spec->namespace_);
    put_json_field(out, "operation", spec->operation ? spec->operation : "CREATE");
    pg_buf_puts(out, ",\"userInfo\":{");
    if (spec->username != NULL) {
        pg_buf_puts(out, "\"username\":");
        pg_buf_put_json_string(out, (struct pg_str){spec->username, strlen(spec->username)});
    }
    pg_buf_putc(out, '}');
    if (spec->object != NULL) {
        pg_buf_printf(out, ",\"object\":%s", spec->object);
    }
    if (spec->old_object != NULL) {
        pg_buf_printf(out, ",\"oldObject\":%s", spec->old_object);
    }
    pg_buf_puts(out, "}}");
}

/* In-memory namespaces: "name" → up to 6 labels. */
struct fake_namespace {
    const char *name;
    const char *labels[12]; /* key, value, key, value, …, NULL */
};

struct fake_cluster {
    const struct fake_namespace *namespaces;
    size_t namespaces_len;
    const char *const *pod_pages; /* JSON PodList pages, continue tokens "1", "2", … */
    size_t pod_pages_len;
    size_t pod_list_calls;
    bool pods_fail;
    int64_t now;
    int64_t tick; /* the clock advances this much per reading */
};

static inline int fake_get_namespace(const struct pg_node **labels_out, struct pg_arena *arena,
                                     struct pg_str name, struct pg_buf *error, void *ctx)
{
    const struct fake_cluster *cluster = ctx;
    size_t i = 0;
    for (i = 0; i < cluster->namespaces_len; i++) {
        const struct fake_namespace *ns = &cluster->namespaces[i];
        struct pg_str keys[6];
        struct pg_str values[6];
        size_t count = 0;
        if (strlen(ns->name) != name.len || memcmp(ns->name, name.ptr, name.len) != 0) {
            continue;
        }
        while (count < 6 && ns->labels[count * 2] != NULL) {
            keys[count] = (struct pg_str){ns->labels[count * 2], strlen(ns->labels[count * 2])};
            values[count] =
                (struct pg_str){ns->labels[count * 2 + 1], strlen(ns->labels[count * 2 + 1])};
            count++;
        }
        *labels_out = count > 0 ? pg_admission_labels_node(arena, keys, values, count) : NULL;
        return 0;
    }
    pg_buf_puts(error, "namespaces \"");
    pg_buf_put(error, name.ptr, name.len);
    pg_buf_puts(error, "\" not found");
    return PG_ENOENT;
}

static inline int fake_list_pods(struct pg_buf *page, struct pg_str name,
                                 struct pg_str continue_token, int64_t deadline_ns,
                                 struct pg_buf *error, void *ctx)
{
    struct fake_cluster *cluster = ctx;
    size_t index = 0;
    (void)name;
    (void)deadline_ns;
    cluster->pod_list_calls++;
    if (cluster->pods_fail) {
        pg_buf_puts(error, "connection refused");
        return PG_EIO;
    }
    if (continue_token.len > 0) {
        index = (size_t)strtoul(continue_token.ptr, NULL, 10);
    }
    if (index < cluster->pod_pages_len) {
        pg_buf_puts(page, cluster->pod_pages[index]);
    }
    return 0;
}

static inline int64_t fake_clock(void *ctx)
{
    struct fake_cluster *cluster = ctx;
    cluster->now += cluster->tick;
    return cluster->now;
}

static inline void fake_handler(struct pg_admission_handler *out,
                                const struct pg_admission_config *config,
                                struct fake_cluster *cluster)
{
    memset(out, 0, sizeof(*out));
    out->config = config;
    out->get_namespace = fake_get_namespace;
    out->namespace_ctx = cluster;
    out->list_pods = fake_list_pods;
    out->pods_ctx = cluster;
    out->clock = fake_clock;
    out->clock_ctx = cluster;
}

/* Run the handler on a JSON body with content type application/json, read into `workspace`
   (NULL: fresh memory). */
static inline void run_review_in(struct pg_admission_result *result,
                                 const struct pg_admission_handler *handler, const char *body,
                                 struct pg_admission_workspace *workspace)
{
    struct pg_admission_http_request request;
    memset(&request, 0, sizeof(request));
    request.body = body;
    request.body_len = strlen(body);
    request.content_type = "application/json";
    request.workspace = workspace;
    pg_admission_handle(result, handler, &request);
}

/* Whether two results have the same HTTP status and the same body bytes. */
static inline bool same_response(const struct pg_admission_result *a,
                                 const struct pg_admission_result *b)
{
    return a->http_status == b->http_status && a->body.len == b->body.len &&
           (a->body.len == 0 || memcmp(a->body.ptr, b->body.ptr, a->body.len) == 0);
}

static inline void run_review(struct pg_admission_result *result,
                              const struct pg_admission_handler *handler, const char *body)
{
    run_review_in(result, handler, body, NULL);
}

/* A document tree as compact JSON (for YAML fixtures). */
static inline void node_to_json(struct pg_buf *out, const struct pg_node *node)
{
    size_t i = 0;
    if (node == NULL) {
        pg_buf_puts(out, "null");
        return;
    }
    switch (node->kind) {
    case PG_NODE_NULL:
        pg_buf_puts(out, "null");
        return;
    case PG_NODE_BOOL:
        pg_buf_puts(out, node->as.boolean ? "true" : "false");
        return;
    case PG_NODE_INT:
        pg_buf_put_int(out, node->as.integer);
        return;
    case PG_NODE_FLOAT:
        pg_buf_put_str(out, node->as.str);
        return;
    case PG_NODE_STR:
        pg_buf_put_json_string(out, node->as.str);
        return;
    case PG_NODE_SEQ:
        pg_buf_putc(out, '[');
        for (i = 0; i < node->as.seq.len; i++) {
            pg_buf_puts(out, i > 0 ? "," : "");
            node_to_json(out, node->as.seq.items[i]);
        }
        pg_buf_putc(out, ']');
        return;
    case PG_NODE_UNREAD:
        /* Only the admission reader makes these, and fixtures are read in full. */
        fprintf(stderr, "node_to_json: an unread node\n");
        abort();
    case PG_NODE_MAP:
        pg_buf_putc(out, '{');
        for (i = 0; i < node->as.map.len; i++) {
            pg_buf_puts(out, i > 0 ? "," : "");
            pg_buf_put_json_string(out, node->as.map.entries[i].key);
            pg_buf_putc(out, ':');
            node_to_json(out, node->as.map.entries[i].value);
        }
        pg_buf_putc(out, '}');
        return;
    }
}

#endif
