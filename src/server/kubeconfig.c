/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the Kubernetes API is and how to authenticate: a kubeconfig file
 * (the cluster and user of its current-context, or of a context named by the
 * caller; relative paths are relative to the file) or, without one, the
 * in-cluster service account
 * (KUBERNETES_SERVICE_HOST/PORT and /var/run/secrets/kubernetes.io/
 * serviceaccount/{token,ca.crt}).
 */
#include "server.h"

#include "podgate/doc.h"
#include "util/xalloc.h"

#include <gnutls/gnutls.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

static int in_cluster(struct pg_kube_config *out, struct pg_error *err)
{
    const char *host = getenv("KUBERNETES_SERVICE_HOST");
    const char *port = getenv("KUBERNETES_SERVICE_PORT");
    struct pg_buf server = PG_BUF_INIT;
    if (host == NULL || host[0] == '\0' || port == NULL || port[0] == '\0') {
        return pg_error_set(err, PG_EINVAL,
                            "no --kubeconfig and not in a cluster (KUBERNETES_SERVICE_HOST and "
                            "KUBERNETES_SERVICE_PORT are unset)");
    }
    /* An IPv6 service address needs brackets in a URL. */
    pg_buf_printf(&server, strchr(host, ':') != NULL ? "https://[%s]:%s" : "https://%s:%s", host,
                  port);
    out->server = pg_xstrndup(server.ptr, server.len);
    out->token_file = pg_xstrndup(SA_DIR "/token", strlen(SA_DIR "/token"));
    out->ca_file = pg_xstrndup(SA_DIR "/ca.crt", strlen(SA_DIR "/ca.crt"));
    pg_buf_release(&server);
    return 0;
}

/*
 * Only the bytes Go's StdEncoding takes (the alphabet, padding, and the line breaks it
 * skips). GnuTLS's decoder alone is laxer: it skips blanks and stops at a `-` (where PEM
 * armour would start) without an error, so "QUJD-_xx" would decode to "ABC".
 */
static bool base64_text(struct pg_str text)
{
    for (size_t i = 0; i < text.len; i++) {
        unsigned char c = (unsigned char)text.ptr[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n';
        if (!ok) {
            return false;
        }
    }
    return true;
}

/*
 * Standard base64, padded, as Go decodes a kubeconfig's []byte fields; NULL when invalid.
 * NUL-terminated: the values are PEM text.
 */
static char *base64_decode(struct pg_str text)
{
    /* GnuTLS's datum has no const member; the decoder only reads it. */
    gnutls_datum_t in = {(unsigned char *)(uintptr_t)text.ptr, (unsigned)text.len};
    gnutls_datum_t decoded = {NULL, 0};
    char *out = NULL;
    if (text.len > UINT_MAX || !base64_text(text) || gnutls_base64_decode2(&in, &decoded) != 0) {
        return NULL;
    }
    out = pg_xmalloc((size_t)decoded.size + 1);
    if (decoded.size > 0) {
        memcpy(out, decoded.data, decoded.size);
    }
    out[decoded.size] = '\0';
    gnutls_free(decoded.data);
    return out;
}

static const struct pg_node *named_entry(const struct pg_node *list, struct pg_str name,
                                         const char *inner)
{
    size_t i = 0;
    if (list == NULL || list->kind != PG_NODE_SEQ) {
        return NULL;
    }
    for (i = 0; i < list->as.seq.len; i++) {
        const struct pg_node *entry = list->as.seq.items[i];
        const struct pg_node *entry_name = pg_node_get(entry, "name");
        if (entry_name != NULL && entry_name->kind == PG_NODE_STR &&
            entry_name->as.str.len == name.len &&
            memcmp(entry_name->as.str.ptr, name.ptr, name.len) == 0) {
            return pg_node_get(entry, inner);
        }
    }
    return NULL;
}

static struct pg_str str_at(const struct pg_node *map, const char *key)
{
    const struct pg_node *node = pg_node_get(map, key);
    struct pg_str empty = {"", 0};
    return node != NULL && node->kind == PG_NODE_STR ? node->as.str : empty;
}

/* A path from the file, made absolute against the kubeconfig's directory. */
static char *resolve_path(struct pg_str path, const char *base_dir)
{
    struct pg_buf full = PG_BUF_INIT;
    char *result = NULL;
    if (path.len == 0) {
        return NULL;
    }
    if (path.ptr[0] != '/' && base_dir != NULL) {
        pg_buf_printf(&full, "%s/", base_dir);
    }
    pg_buf_put_str(&full, path);
    result = pg_xstrndup(full.ptr, full.len);
    pg_buf_release(&full);
    return result;
}

static int data_field(char **out, const struct pg_node *map, const char *key, struct pg_error *err)
{
    struct pg_str text = str_at(map, key);
    if (text.len == 0) {
        return 0;
    }
    *out = base64_decode(text);
    if (*out == NULL) {
        return pg_error_set(err, PG_EPARSE, "kubeconfig: %s is not valid base64", key);
    }
    return 0;
}

static int read_cluster(struct pg_kube_config *out, const struct pg_node *cluster,
                        const char *base_dir, struct pg_error *err)
{
    struct pg_str server = str_at(cluster, "server");
    const struct pg_node *insecure = pg_node_get(cluster, "insecure-skip-tls-verify");
    if (server.len == 0) {
        return pg_error_set(err, PG_EINVAL, "kubeconfig: the current cluster has no server");
    }
    out->server = pg_xstrndup(server.ptr, server.len);
    while (out->server[0] != '\0' && out->server[strlen(out->server) - 1] == '/') {
        out->server[strlen(out->server) - 1] = '\0';
    }
    out->ca_file = resolve_path(str_at(cluster, "certificate-authority"), base_dir);
    out->insecure = insecure != NULL && insecure->kind == PG_NODE_BOOL && insecure->as.boolean;
    return data_field(&out->ca_data, cluster, "certificate-authority-data", err);
}

/* kubectl runs exec plugins and auth providers for credentials; podgate runs neither. */
static void note_credential_plugin(struct pg_kube_config *out, const struct pg_node *user)
{
    const struct pg_node *exec = pg_node_get(user, "exec");
    const struct pg_node *provider = pg_node_get(user, "auth-provider");
    struct pg_buf text = PG_BUF_INIT;
    if (!pg_node_unset(exec)) {
        struct pg_str command = str_at(exec, "command");
        pg_buf_printf(&text, "an exec plugin (%.*s)", (int)command.len, command.ptr);
    } else if (!pg_node_unset(provider)) {
        struct pg_str name = str_at(provider, "name");
        pg_buf_printf(&text, "an auth-provider (%.*s)", (int)name.len, name.ptr);
    }
    if (text.len > 0 && !pg_buf_failed(&text)) {
        out->credential_plugin = pg_xstrndup(text.ptr, text.len);
    }
    pg_buf_release(&text);
}

static int read_user(struct pg_kube_config *out, const struct pg_node *user, const char *base_dir,
                     struct pg_error *err)
{
    struct pg_str token = str_at(user, "token");
    note_credential_plugin(out, user);
    if (token.len > 0) {
        out->token = pg_xstrndup(token.ptr, token.len);
    }
    out->token_file = resolve_path(str_at(user, "tokenFile"), base_dir);
    out->cert_file = resolve_path(str_at(user, "client-certificate"), base_dir);
    out->key_file = resolve_path(str_at(user, "client-key"), base_dir);
    if (data_field(&out->cert_data, user, "client-certificate-data", err) != 0) {
        return PG_EPARSE;
    }
    return data_field(&out->key_data, user, "client-key-data", err);
}

static int read_kubeconfig(struct pg_kube_config *out, const struct pg_node *root,
                           const char *base_dir, const char *context_name, struct pg_error *err)
{
    struct pg_str current = str_at(root, "current-context");
    const struct pg_node *context = NULL;
    const struct pg_node *cluster = NULL;
    const struct pg_node *user = NULL;
    if (context_name != NULL && context_name[0] != '\0') {
        current.ptr = context_name;
        current.len = strlen(context_name);
    }
    if (current.len == 0) {
        return pg_error_set(err, PG_EINVAL, "kubeconfig: no current-context");
    }
    context = named_entry(pg_node_get(root, "contexts"), current, "context");
    if (context == NULL) {
        return pg_error_set(err, PG_EINVAL, "kubeconfig: context \"%.*s\" not found",
                            (int)current.len, current.ptr);
    }
    cluster = named_entry(pg_node_get(root, "clusters"), str_at(context, "cluster"), "cluster");
    user = named_entry(pg_node_get(root, "users"), str_at(context, "user"), "user");
    if (cluster == NULL) {
        return pg_error_set(err, PG_EINVAL, "kubeconfig: the current context has no cluster");
    }
    if (read_cluster(out, cluster, base_dir, err) != 0) {
        return err != NULL ? err->code : PG_EINVAL;
    }
    return user != NULL ? read_user(out, user, base_dir, err) : 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct pg_buf data = PG_BUF_INIT;
    char chunk[8192];
    size_t n = 0;
    if (f == NULL) {
        return NULL;
    }
    pg_buf_init(&data, (size_t)16 * 1024 * 1024);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        pg_buf_put(&data, chunk, n);
    }
    (void)fclose(f);
    pg_buf_putc(&data, '\0');
    *len = data.len - 1;
    return data.ptr;
}

int pg_kube_config_parse(struct pg_kube_config *out, const char *data, size_t len,
                         const char *base_dir, const char *context, struct pg_error *err)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    rc = pg_doc_reader_new(&reader, data, len, PG_FORMAT_AUTO, NULL, err);
    if (rc == 0 && pg_doc_reader_next(reader, &doc, NULL, err) != 1) {
        rc = pg_error_set(err, PG_EPARSE, "kubeconfig: no document");
    }
    if (rc == 0) {
        rc = read_kubeconfig(out, doc->root, base_dir, context, err);
    }
    if (rc != 0) {
        pg_kube_config_release(out);
    }
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    return rc;
}

int pg_kube_config_load(struct pg_kube_config *out, const char *path, const char *context,
                        struct pg_error *err)
{
    char *data = NULL;
    char *base_dir = NULL;
    size_t len = 0;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (path == NULL || path[0] == '\0') {
        return in_cluster(out, err);
    }
    data = read_file(path, &len);
    if (data == NULL) {
        return pg_error_set(err, PG_EIO, "cannot read kubeconfig %s", path);
    }
    base_dir = pg_xstrndup(path, strlen(path));
    *(strrchr(base_dir, '/') != NULL ? strrchr(base_dir, '/') : base_dir) = '\0';
    rc = pg_kube_config_parse(out, data, len, base_dir[0] != '\0' ? base_dir : ".", context, err);
    free(base_dir);
    free(data);
    return rc;
}
