/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kubeconfig reader: which context's cluster and user it takes (current-context, or one
 * named by the caller as `podgate audit --context` does), where relative paths point, and
 * that credentials it cannot produce (exec plugins, auth providers) are named.
 */
#include "harness.h"

#include "server/server.h"

static const char KUBECONFIG[] =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: prod\n"
    "contexts:\n"
    "- {name: prod, context: {cluster: prod, user: admin}}\n"
    "- {name: dev, context: {cluster: dev, user: eks}}\n"
    "- {name: gke, context: {cluster: dev, user: gcp}}\n"
    "clusters:\n"
    "- {name: prod, cluster: {server: 'https://10.0.0.1:6443/', certificate-authority: ca.crt}}\n"
    "- {name: dev, cluster: {server: 'https://127.0.0.1:8443', insecure-skip-tls-verify: true}}\n"
    "users:\n"
    "- {name: admin, user: {token: secret, client-key: /abs/key.pem}}\n"
    "- {name: eks, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, "
    "command: aws, args: [eks, get-token]}}}\n"
    "- {name: gcp, user: {auth-provider: {name: gcp}}}\n";

static int parse(struct pg_kube_config *out, const char *context, struct pg_error *err)
{
    return pg_kube_config_parse(out, KUBECONFIG, sizeof(KUBECONFIG) - 1, "/etc/kube", context, err);
}

static void test_kubeconfig_reads_the_current_context(void)
{
    struct pg_kube_config config;
    struct pg_error err;
    PG_EXPECT_INT(parse(&config, NULL, &err), 0);
    PG_EXPECT_STR(config.server, "https://10.0.0.1:6443");
    PG_EXPECT_STR(config.ca_file, "/etc/kube/ca.crt");
    PG_EXPECT_STR(config.key_file, "/abs/key.pem");
    PG_EXPECT_STR(config.token, "secret");
    PG_EXPECT(config.credential_plugin == NULL);
    PG_EXPECT(!config.insecure);
    pg_kube_config_release(&config);
    /* An empty name is no name. */
    PG_EXPECT_INT(parse(&config, "", &err), 0);
    PG_EXPECT_STR(config.server, "https://10.0.0.1:6443");
    pg_kube_config_release(&config);
}

static void test_kubeconfig_reads_the_context_named_by_the_caller(void)
{
    struct pg_kube_config config;
    struct pg_error err;
    PG_EXPECT_INT(parse(&config, "dev", &err), 0);
    PG_EXPECT_STR(config.server, "https://127.0.0.1:8443");
    PG_EXPECT(config.insecure);
    PG_EXPECT(config.token == NULL);
    pg_kube_config_release(&config);
}

static void test_kubeconfig_reports_a_context_it_does_not_have(void)
{
    struct pg_kube_config config;
    struct pg_error err;
    PG_EXPECT_INT(parse(&config, "staging", &err), PG_EINVAL);
    PG_EXPECT_STR(err.message, "kubeconfig: context \"staging\" not found");
}

static void test_kubeconfig_names_credentials_it_cannot_produce(void)
{
    struct pg_kube_config config;
    struct pg_error err;
    PG_EXPECT_INT(parse(&config, "dev", &err), 0);
    PG_EXPECT_STR(config.credential_plugin, "an exec plugin (aws)");
    pg_kube_config_release(&config);
    PG_EXPECT_INT(parse(&config, "gke", &err), 0);
    PG_EXPECT_STR(config.credential_plugin, "an auth-provider (gcp)");
    pg_kube_config_release(&config);
}

/* `*-data` fields are standard base64, padded, as Go's encoding/json reads a []byte; line
   breaks (a wrapped value) are fine, the URL-safe alphabet and missing padding are not. */
static void test_kubeconfig_decodes_data_fields(void)
{
    static const char DATA[] =
        "current-context: c\n"
        "contexts: [{name: c, context: {cluster: c, user: u}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://k:6443', certificate-authority-data: "
        "\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\\nCg==\"}}]\n"
        "users: [{name: u, user: {client-certificate-data: Y2VydA==, client-key-data: a2V5}}]\n";
    static const char URL_SAFE[] =
        "current-context: c\n"
        "contexts: [{name: c, context: {cluster: c, user: u}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://k:6443', certificate-authority-data: "
        "\"-_-_\"}}]\n"
        "users: [{name: u, user: {token: t}}]\n";
    static const char URL_SAFE_FORMAT[] =
        "current-context: c\n"
        "contexts: [{name: c, context: {cluster: c, user: u}}]\n"
        "clusters: [{name: c, cluster: {server: 'https://k:6443', certificate-authority-data: "
        "\"%s\"}}]\n"
        "users: [{name: u, user: {token: t}}]\n";
    static const char *const MIDDLE[] = {"QUJD-_xx", "QUJD-", "QUJD_REVG", "QUJD\\tREVG",
                                         "QUJD REVG"};
    struct pg_kube_config config;
    struct pg_error err;
    /* client-key-data lacks its padding ("a2V5" is "key" whole: 3 bytes need none) */
    PG_EXPECT_INT(pg_kube_config_parse(&config, DATA, sizeof(DATA) - 1, "/", NULL, &err), 0);
    PG_EXPECT_STR(config.ca_data, "-----BEGIN CERTIFICATE-----\n");
    PG_EXPECT_STR(config.cert_data, "cert");
    PG_EXPECT_STR(config.key_data, "key");
    pg_kube_config_release(&config);
    PG_EXPECT_INT(pg_kube_config_parse(&config, URL_SAFE, sizeof(URL_SAFE) - 1, "/", NULL, &err),
                  PG_EPARSE);
    PG_EXPECT_STR(err.message, "kubeconfig: certificate-authority-data is not valid base64");
    /* Not cut short at a `-` or `_` in the middle either (GnuTLS alone stops at `-`). */
    for (size_t i = 0; i < sizeof(MIDDLE) / sizeof(MIDDLE[0]); i++) {
        char text[512];
        (void)snprintf(text, sizeof(text), URL_SAFE_FORMAT, MIDDLE[i]);
        PG_EXPECT_INT(pg_kube_config_parse(&config, text, strlen(text), "/", NULL, &err),
                      PG_EPARSE);
    }
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_kubeconfig_decodes_data_fields)                                             \
    PG_TEST_ENTRY(test_kubeconfig_reads_the_current_context)                                       \
    PG_TEST_ENTRY(test_kubeconfig_reads_the_context_named_by_the_caller)                           \
    PG_TEST_ENTRY(test_kubeconfig_reports_a_context_it_does_not_have)                              \
    PG_TEST_ENTRY(test_kubeconfig_names_credentials_it_cannot_produce)

PG_TEST_MAIN(TESTS)
