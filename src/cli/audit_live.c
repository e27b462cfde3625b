/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate audit` without -f: list every resource the audit judges, cluster-wide, from the
 * Kubernetes API server in pages (`limit` and `continue`, as kubectl's --chunk-size does), and
 * stream each page's bytes into the audit's feed as they arrive, so that memory stays flat
 * with cluster size. Failures that leave nothing to report (no configuration, the server
 * unreachable, TLS, refused credentials) end the command; a resource that cannot be listed
 * (forbidden, paging expired) becomes a diagnostic in the report. No policy logic lives here.
 */
#include "audit_live.h"

#include "podgate/doc.h"
#include "progress.h"
#include "server/server.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* kubectl's client rate limit. */
#define CLIENT_QPS 50.0
#define CLIENT_BURST 300
#define MAX_MESSAGE 400

/* A resource listed cluster-wide, and what its items are (the API server leaves that out). */
struct resource {
    const char *name; /* as `kubectl get` calls it, for messages */
    const char *path;
    const char *api_version;
    const char *kind;
};

/* The objects the audit judges. The first request doubles as the connection check. */
static const struct resource WORKLOADS[] = {
    {"namespaces", "/api/v1/namespaces", "v1", "Namespace"},
    {"pods", "/api/v1/pods", "v1", "Pod"},
    {"replicationcontrollers", "/api/v1/replicationcontrollers", "v1", "ReplicationController"},
    {"podtemplates", "/api/v1/podtemplates", "v1", "PodTemplate"},
    {"deployments", "/apis/apps/v1/deployments", "apps/v1", "Deployment"},
    {"statefulsets", "/apis/apps/v1/statefulsets", "apps/v1", "StatefulSet"},
    {"daemonsets", "/apis/apps/v1/daemonsets", "apps/v1", "DaemonSet"},
    {"replicasets", "/apis/apps/v1/replicasets", "apps/v1", "ReplicaSet"},
    {"jobs", "/apis/batch/v1/jobs", "batch/v1", "Job"},
    {"cronjobs", "/apis/batch/v1/cronjobs", "batch/v1", "CronJob"},
};

/* Gone since Kubernetes 1.25: a 404 there means "no PSPs", not a problem. */
static const struct resource PSP = {"podsecuritypolicies",
                                    "/apis/policy/v1beta1/podsecuritypolicies", "policy/v1beta1",
                                    "PodSecurityPolicy"};

/* Who may `use` which PSP: only listed when there are PSPs. */
static const struct resource RBAC[] = {
    {"roles", "/apis/rbac.authorization.k8s.io/v1/roles", "rbac.authorization.k8s.io/v1", "Role"},
    {"rolebindings", "/apis/rbac.authorization.k8s.io/v1/rolebindings",
     "rbac.authorization.k8s.io/v1", "RoleBinding"},
    {"clusterroles", "/apis/rbac.authorization.k8s.io/v1/clusterroles",
     "rbac.authorization.k8s.io/v1", "ClusterRole"},
    {"clusterrolebindings", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
     "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
};

enum outcome {
    OUTCOME_LISTED,  /* every page read */
    OUTCOME_ABSENT,  /* 404 */
    OUTCOME_PARTIAL, /* reported as a diagnostic; the audit goes on */
    OUTCOME_FATAL,   /* reported on stderr; nothing to report */
};

struct lister {
    struct pg_audit *audit;
    struct pg_kube_client *client;
    const char *server;
    size_t chunk_size;
    struct pg_progress progress;
    size_t listed; /* resources read to their last page */
};

/* One page being read: the feed its bytes go to. */
struct page {
    struct lister *lister;
    const struct resource *resource;
    struct pg_audit_feed *feed;
    size_t number;
};

char *pg_audit_live_kubeconfig_path(const char *flag)
{
    const char *list = getenv("KUBECONFIG");
    const char *home = getenv("HOME");
    struct pg_buf path = PG_BUF_INIT;
    char *result = NULL;
    if (flag != NULL && flag[0] != '\0') {
        return pg_xstrndup(flag, strlen(flag));
    }
    if (list != NULL && list[0] != '\0') {
        /* kubectl merges every file of the list; podgate reads the first one. */
        const char *end = strchr(list, ':');
        return pg_xstrndup(list, end != NULL ? (size_t)(end - list) : strlen(list));
    }
    if (home == NULL || home[0] == '\0') {
        return NULL;
    }
    pg_buf_printf(&path, "%s/.kube/config", home);
    if (!pg_buf_failed(&path) && access(path.ptr, F_OK) == 0) {
        result = pg_xstrndup(path.ptr, path.len);
    }
    pg_buf_release(&path);
    return result;
}

/* A continue token is base64 with `+`, `/` and `=`: percent-encoded by libcurl (all but RFC
   3986's unreserved bytes). */
static void put_query_value(struct pg_buf *out, const char *text)
{
    char *escaped = curl_easy_escape(NULL, text, 0);
    if (escaped == NULL) {
        /* Out of memory: as pg_xmalloc, since a page without its token would list again. */
        (void)fputs("podgate: out of memory escaping a continue token\n", stderr);
        abort();
    }
    pg_buf_puts(out, escaped);
    curl_free(escaped);
}

static void page_path(struct pg_buf *out, const struct lister *lister,
                      const struct resource *resource, const char *token)
{
    pg_buf_puts(out, resource->path);
    if (lister->chunk_size > 0) {
        pg_buf_printf(out, "?limit=%zu", lister->chunk_size);
    }
    if (token != NULL && token[0] != '\0') {
        pg_buf_puts(out, lister->chunk_size > 0 ? "&continue=" : "?continue=");
        put_query_value(out, token);
    }
}

static void show_progress(struct page *page)
{
    const struct pg_audit_stats *stats = pg_audit_stats(page->lister->audit);
    const struct pg_audit_list_info *info = pg_audit_feed_list_info(page->feed);
    char text[256];
    char left[48] = "";
    if (!pg_progress_due(&page->lister->progress)) {
        return;
    }
    if (info->remaining >= 0) {
        (void)snprintf(left, sizeof(left), ", %lld more", (long long)info->remaining);
    }
    (void)snprintf(text, sizeof(text),
                   "podgate audit: listing %s (page %zu%s): %zu objects, %zu pods, %zu workloads",
                   page->resource->name, page->number, left, stats->objects, stats->pods,
                   stats->workloads);
    pg_progress_draw(&page->lister->progress, text);
}

static bool on_data(const char *data, size_t len, void *ctx)
{
    struct page *page = ctx;
    pg_audit_feed_write(page->feed, data, len);
    show_progress(page);
    return true;
}

/* A buffer's text, "" when it is empty or failed (then its pointer may be NULL). */
static const char *text_of(const struct pg_buf *buf)
{
    return buf->ptr != NULL && !pg_buf_failed(buf) ? buf->ptr : "";
}

/* The `message` of the API server's Status object, else the start of the body as it is. */
static void status_message(struct pg_buf *out, const struct pg_buf *body)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    const struct pg_node *message = NULL;
    size_t len = body->len < MAX_MESSAGE ? body->len : MAX_MESSAGE;
    if (body->len > 0 &&
        pg_doc_reader_new(&reader, body->ptr, body->len, PG_FORMAT_JSON, NULL, NULL) == 0 &&
        pg_doc_reader_next(reader, &doc, NULL, NULL) == 1) {
        message = pg_node_get(doc->root, "message");
    }
    if (message != NULL && message->kind == PG_NODE_STR) {
        pg_buf_put_str(out, message->as.str);
    } else {
        for (size_t i = 0; i < len; i++) {
            /* A proxy's HTML page, say: keep it on one printable line. */
            char c = body->ptr[i];
            if (c < 0x20 || c > 0x7e) {
                c = ' ';
            }
            pg_buf_putc(out, c);
        }
    }
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
}

/*
 * GET one page into the audit. *next_out gets the List's continue token (caller frees; ""
 * on the last page). On failure returns the client's error, with *status and `error` set.
 */
static int read_page(char **next_out, struct page *page, const char *path, long *status,
                     struct pg_buf *error)
{
    struct lister *lister = page->lister;
    struct pg_buf source = PG_BUF_INIT;
    const struct pg_audit_list_info *info = NULL;
    int rc = 0;
    pg_buf_printf(&source, "%s%s (page %zu)", lister->server, page->resource->path, page->number);
    rc = pg_audit_feed_new(&page->feed, lister->audit, text_of(&source), PG_FORMAT_AUTO, NULL);
    if (rc != 0) {
        pg_buf_puts(error, "cannot start reading");
        goto cleanup;
    }
    pg_audit_feed_set_item_type(page->feed, page->resource->api_version, page->resource->kind);
    rc = pg_kube_get_stream(lister->client, path, on_data, page, status, error);
    if (rc == 0) {
        pg_audit_feed_end(page->feed);
        info = pg_audit_feed_list_info(page->feed);
        *next_out = pg_xstrndup(info->continue_token, strlen(info->continue_token));
        if (!info->found) {
            pg_audit_add_error(lister->audit, text_of(&source), 0,
                               "the response is not a List: the rest of this resource is "
                               "not read");
            **next_out = '\0';
        }
    }
cleanup:
    pg_audit_feed_free(page->feed);
    page->feed = NULL;
    pg_buf_release(&source);
    return rc;
}

/* Tell the user now (the report comes at the end) and put it in the report. */
static void partial_failure(struct lister *lister, const struct resource *resource,
                            const char *message)
{
    struct pg_buf source = PG_BUF_INIT;
    pg_buf_printf(&source, "%s%s", lister->server, resource->path);
    pg_audit_add_error(lister->audit, text_of(&source), 0, message);
    pg_progress_clear(&lister->progress);
    (void)fprintf(stderr, "podgate audit: warning: %s: %s\n", text_of(&source), message);
    pg_buf_release(&source);
}

/* A page that could not be read. */
struct failure {
    const char *path;
    int rc;
    long status; /* 0: no HTTP answer */
    const struct pg_buf *error;
    size_t objects; /* of this resource, read before */
};

/* Nothing else would work either: say why on stderr. */
static enum outcome fatal_failure(struct lister *lister, const struct failure *failure)
{
    struct pg_buf message = PG_BUF_INIT;
    pg_progress_clear(&lister->progress);
    if (failure->status == 401) {
        (void)fprintf(stderr,
                      "podgate audit: %s refused the kubeconfig's credentials (401 "
                      "Unauthorized) for GET %s: ",
                      lister->server, failure->path);
        status_message(&message, failure->error);
    } else {
        (void)fprintf(stderr, "podgate audit: %s %s (GET %s): ",
                      failure->rc == PG_ETLS ? "TLS failed with the Kubernetes API server at"
                                             : "cannot reach the Kubernetes API server at",
                      lister->server, failure->path);
        pg_buf_puts(&message, text_of(failure->error));
    }
    (void)fprintf(stderr, "%s\n", text_of(&message));
    pg_buf_release(&message);
    return OUTCOME_FATAL;
}

/* Why a page failed: fatal when no other request can work either, else a diagnostic. */
static enum outcome page_failed(struct lister *lister, const struct resource *resource,
                                const struct failure *failure)
{
    struct pg_buf message = PG_BUF_INIT;
    enum outcome outcome = OUTCOME_PARTIAL;
    if (failure->status == 0 || failure->status == 401) {
        return fatal_failure(lister, failure);
    }
    if (failure->status == 403) {
        pg_buf_puts(&message, "forbidden (403): ");
        status_message(&message, failure->error);
        pg_buf_printf(&message, "; podgate audit needs `list` on %s (see the README's RBAC)",
                      resource->name);
    } else if (failure->status == 410) {
        /* kubectl get stops with the same 410; the items already read stay counted. The
         * server's words suggest its inconsistent token, which podgate does not use. */
        pg_buf_printf(&message,
                      "the continue token expired (410 Gone: listing took longer than the API "
                      "server keeps its snapshot) after %zu objects, so the rest of %s is "
                      "missing from this report; run the audit again (a larger --chunk-size "
                      "lists faster)",
                      failure->objects, resource->name);
    } else {
        outcome = failure->status == 404 ? OUTCOME_ABSENT : OUTCOME_PARTIAL;
        pg_buf_printf(&message, "HTTP %ld: ", failure->status);
        status_message(&message, failure->error);
    }
    partial_failure(lister, resource, text_of(&message));
    pg_buf_release(&message);
    return outcome;
}

/* Every page of one resource. `absent_ok`: a 404 is silent (an API gone from the server). */
static enum outcome list_resource(struct lister *lister, const struct resource *resource,
                                  bool absent_ok)
{
    struct page page = {lister, resource, NULL, 0};
    struct pg_buf path = PG_BUF_INIT;
    struct pg_buf error = PG_BUF_INIT;
    char *token = NULL;
    char *next = NULL;
    size_t objects = pg_audit_stats(lister->audit)->objects;
    enum outcome outcome = OUTCOME_LISTED;
    do {
        struct failure failure = {NULL, 0, 0, &error, 0};
        free(token);
        token = next;
        next = NULL;
        page.number++;
        pg_buf_clear(&path);
        pg_buf_clear(&error);
        page_path(&path, lister, resource, token);
        failure.path = text_of(&path);
        failure.rc = read_page(&next, &page, text_of(&path), &failure.status, &error);
        if (failure.rc != 0) {
            failure.objects = pg_audit_stats(lister->audit)->objects - objects;
            outcome = absent_ok && failure.status == 404 ? OUTCOME_ABSENT
                                                         : page_failed(lister, resource, &failure);
            break;
        }
        if (token != NULL && next[0] != '\0' && strcmp(next, token) == 0) {
            /* kubectl would loop forever; an audit had better end. */
            partial_failure(lister, resource, "the server sent the same continue token twice");
            outcome = OUTCOME_PARTIAL;
            break;
        }
    } while (next[0] != '\0');
    lister->listed += outcome == OUTCOME_LISTED ? 1 : 0;
    free(token);
    free(next);
    pg_buf_release(&path);
    pg_buf_release(&error);
    return outcome;
}

/* The workloads, then PSPs, then (only when there are PSPs) who may use them. */
static int list_all(struct lister *lister)
{
    enum outcome outcome = OUTCOME_LISTED;
    for (size_t i = 0; i < sizeof(WORKLOADS) / sizeof(WORKLOADS[0]); i++) {
        if (list_resource(lister, &WORKLOADS[i], false) == OUTCOME_FATAL) {
            return -1;
        }
    }
    outcome = list_resource(lister, &PSP, true);
    if (outcome == OUTCOME_FATAL) {
        return -1;
    }
    if (outcome != OUTCOME_ABSENT && pg_audit_stats(lister->audit)->psps > 0) {
        for (size_t i = 0; i < sizeof(RBAC) / sizeof(RBAC[0]); i++) {
            if (list_resource(lister, &RBAC[i], false) == OUTCOME_FATAL) {
                return -1;
            }
        }
    }
    if (lister->listed == 0) {
        (void)fprintf(stderr, "podgate audit: nothing could be listed from %s (see above)\n",
                      lister->server);
        return -1;
    }
    return 0;
}

/* Where the API is and how to log in, as kubectl would find it; -1 after saying why not. */
static int load_config(struct pg_kube_config *out, const struct pg_audit_live_options *options)
{
    char *path = pg_audit_live_kubeconfig_path(options->kubeconfig);
    struct pg_error err;
    int rc = 0;
    if (path == NULL && options->context != NULL) {
        (void)fprintf(stderr, "podgate audit: --context needs a kubeconfig (--kubeconfig, "
                              "$KUBECONFIG or ~/.kube/config), and none was found\n");
        return -1;
    }
    rc = pg_kube_config_load(out, path, options->context, &err);
    if (rc == PG_EIO) {
        (void)fprintf(stderr, "podgate audit: %s\n", err.message); /* names the file */
    } else if (rc != 0 && path != NULL) {
        (void)fprintf(stderr, "podgate audit: %s (%s)\n", err.message, path);
    } else if (rc != 0) {
        (void)fprintf(stderr,
                      "podgate audit: found no kubeconfig ($KUBECONFIG, ~/.kube/config): %s\n",
                      err.message);
    }
    free(path);
    return rc == 0 ? 0 : -1;
}

/* A user whose only credentials come from a plugin podgate does not run would be refused. */
static bool has_credentials(const struct pg_kube_config *config)
{
    return config->token != NULL || config->token_file != NULL || config->cert_file != NULL ||
           config->cert_data != NULL;
}

int pg_audit_live_read(struct pg_audit *audit, const struct pg_audit_live_options *options)
{
    struct pg_kube_config config;
    struct lister lister;
    struct pg_error err;
    bool curl_ready = false;
    int rc = -1;
    memset(&lister, 0, sizeof(lister));
    if (load_config(&config, options) != 0) {
        return -1;
    }
    if (config.credential_plugin != NULL && !has_credentials(&config)) {
        (void)fprintf(stderr,
                      "podgate audit: the kubeconfig's user gets its credentials from %s, which "
                      "podgate does not run; use a kubeconfig with a token or a client "
                      "certificate (for example a service account's, see the README)\n",
                      config.credential_plugin);
        goto cleanup;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        (void)fprintf(stderr, "podgate audit: cannot initialise libcurl\n");
        goto cleanup;
    }
    curl_ready = true;
    if (pg_kube_client_new(&lister.client, &config, CLIENT_QPS, CLIENT_BURST, &err) != 0) {
        (void)fprintf(stderr, "podgate audit: %s\n", err.message);
        goto cleanup;
    }
    lister.audit = audit;
    lister.server = config.server;
    lister.chunk_size = options->chunk_size;
    pg_progress_start(&lister.progress, stderr);
    rc = list_all(&lister);
    pg_progress_clear(&lister.progress);
cleanup:
    pg_kube_client_free(lister.client);
    pg_kube_config_release(&config);
    if (curl_ready) {
        curl_global_cleanup();
    }
    return rc;
}
