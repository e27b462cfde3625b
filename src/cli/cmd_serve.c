/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate serve`: the Pod Security admission webhook, with the flags of
 * upstream's standalone webhook. Reads the configuration, starts the
 * namespace cache and the HTTPS server, reloads the serving certificate and
 * the custom policy file when they change, and on SIGTERM or SIGINT reports not ready, keeps
 * serving for --shutdown-delay-duration, stops accepting connections, finishes the reviews in
 * flight and exits 0.
 */
#include "cli.h"

#include "podgate/admission.h"
#include "server/server.h"

#include <curl/curl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The one piece of global mutable state: set by the signal handler. */
static volatile sig_atomic_t stop_requested = 0;

struct serve_cli {
    const char *config_file;
    const char *policy_file;
    const char *kubeconfig;
    const char *bind_address;
    const char *cert_file;
    const char *key_file;
    const char *cert_dir;
    unsigned port;
    unsigned threads;
    unsigned connection_timeout;
    int64_t shutdown_delay_ns;
    double qps;
    int burst;
    size_t max_pods;
    size_t metrics_namespace_limit;
    bool tls13_only;
    bool enforce_workloads;
    bool metrics_namespace_label;
};

/* Everything serve owns, released in one place. */
struct serve_state {
    struct pg_admission_config *config;
    struct pg_policy_store *policies;
    struct pg_kube_client *client;
    struct pg_nscache *cache;
    struct pg_nscache_lookup lookup; /* without a deadline: the server sets one per review */
    struct pg_metrics *metrics;
    struct pg_server *server;
    struct pg_admission_handler handler;
    char cert_path[4096];
    char key_path[4096];
};

static const char USAGE[] =
    "usage: podgate serve --tls-cert-file FILE --tls-private-key-file FILE [options]\n"
    "\n"
    "Run the Pod Security admission webhook (AdmissionReview v1 over HTTPS), with the\n"
    "verdicts, messages, audit annotations and metrics of upstream's pod-security webhook.\n"
    "Endpoints: /healthz, /readyz (once the namespace cache has synced), /metrics; any\n"
    "other path is the admission endpoint.\n"
    "\n"
    "options:\n"
    "      --config FILE               PodSecurityConfiguration (default: privileged:latest\n"
    "                                  for every mode, no exemptions)\n"
    "      --policy-file FILE          podgate Policy documents (as for scan --policy): a\n"
    "                                  namespace bound to a policy is enforced at its level\n"
    "                                  minus its exemptions; re-read when the file changes\n"
    "      --kubeconfig FILE           Kubernetes API access (default: in-cluster service\n"
    "                                  account)\n"
    "      --secure-port PORT          HTTPS port (default 8443; 0 picks a free port)\n"
    "      --bind-address ADDR         IPv4 or IPv6 address to listen on (default 0.0.0.0;\n"
    "                                  :: listens on every address of both families)\n"
    "      --tls-cert-file FILE        serving certificate chain (PEM); re-read when it changes\n"
    "      --tls-private-key-file FILE serving key (PEM); re-read when it changes\n"
    "      --cert-dir DIR              use DIR/webhook.crt and DIR/webhook.key\n"
    "      --tls-min-version VERSION   VersionTLS12 (default) or VersionTLS13; TLS below\n"
    "                                  1.2 is never served\n"
    "      --client-qps-limit QPS      API client rate limit (default 20)\n"
    "      --client-qps-burst N        API client burst (default 50)\n"
    "      --enforce-workloads         deny controllers (Deployment, Job, ...) whose pod template\n"
    "                                  violates the namespace's enforce level (upstream only\n"
    "                                  warns), on create and on updates that change the\n"
    "                                  template; scaling and deleting stay allowed\n"
    "      --metrics-namespace-label   add a namespace label to the pod_security_* metrics\n"
    "      --metrics-namespace-label-limit N\n"
    "                                  at most N distinct namespace values (default 1000);\n"
    "                                  later namespaces are counted as namespace=\"_other\"\n"
    "      --namespace-max-pods N      namespace dry run: check at most N pods (default 0: all\n"
    "                                  pods within the time budget; upstream checks 3000)\n"
    "      --threads N                 HTTPS worker threads (default: number of CPUs)\n"
    "      --connection-timeout SEC    close idle or slow connections after SEC (default 60)\n"
    "      --shutdown-delay-duration D on SIGTERM, answer /readyz with 503 but keep serving\n"
    "                                  for D (a Go duration, e.g. 5s; default 0) before the\n"
    "                                  listener closes and in-flight reviews drain\n"
    "      --version                   print the version\n"
    "  -h, --help                      show this help\n"
    "\n"
    "Upstream's --tls-cipher-suites, --tls-sni-cert-key, --http2-max-streams-per-connection,\n"
    "--permit-port-sharing and --permit-address-sharing are not supported: they fail.\n";

enum {
    OPT_CONFIG = 256,
    OPT_POLICY_FILE,
    OPT_KUBECONFIG,
    OPT_SECURE_PORT,
    OPT_BIND_ADDRESS,
    OPT_CERT,
    OPT_KEY,
    OPT_CERT_DIR,
    OPT_QPS,
    OPT_BURST,
    OPT_ENFORCE_WORKLOADS,
    OPT_NS_LABEL,
    OPT_NS_LABEL_LIMIT,
    OPT_MAX_PODS,
    OPT_THREADS,
    OPT_CONN_TIMEOUT,
    OPT_SHUTDOWN_DELAY,
    OPT_TLS_MIN_VERSION,
    OPT_VERSION,
    OPT_UNSUPPORTED,
};

static const struct option OPTIONS[] = {
    {"config", required_argument, NULL, OPT_CONFIG},
    {"policy-file", required_argument, NULL, OPT_POLICY_FILE},
    {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
    {"secure-port", required_argument, NULL, OPT_SECURE_PORT},
    {"bind-address", required_argument, NULL, OPT_BIND_ADDRESS},
    {"tls-cert-file", required_argument, NULL, OPT_CERT},
    {"tls-private-key-file", required_argument, NULL, OPT_KEY},
    {"cert-dir", required_argument, NULL, OPT_CERT_DIR},
    {"client-qps-limit", required_argument, NULL, OPT_QPS},
    {"client-qps-burst", required_argument, NULL, OPT_BURST},
    {"enforce-workloads", no_argument, NULL, OPT_ENFORCE_WORKLOADS},
    {"metrics-namespace-label", no_argument, NULL, OPT_NS_LABEL},
    {"metrics-namespace-label-limit", required_argument, NULL, OPT_NS_LABEL_LIMIT},
    {"namespace-max-pods", required_argument, NULL, OPT_MAX_PODS},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"connection-timeout", required_argument, NULL, OPT_CONN_TIMEOUT},
    {"shutdown-delay-duration", required_argument, NULL, OPT_SHUTDOWN_DELAY},
    {"tls-min-version", required_argument, NULL, OPT_TLS_MIN_VERSION},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, 'h'},
    /* Upstream's secure-serving flags that podgate lacks: named as such, not "unknown". */
    {"tls-cipher-suites", required_argument, NULL, OPT_UNSUPPORTED},
    {"tls-sni-cert-key", required_argument, NULL, OPT_UNSUPPORTED},
    {"http2-max-streams-per-connection", required_argument, NULL, OPT_UNSUPPORTED},
    {"permit-port-sharing", optional_argument, NULL, OPT_UNSUPPORTED},
    {"permit-address-sharing", optional_argument, NULL, OPT_UNSUPPORTED},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *what, const char *arg)
{
    (void)fprintf(stderr, "podgate serve: %s%s%s\nRun 'podgate serve --help' for usage.\n", what,
                  arg != NULL ? ": " : "", arg != NULL ? arg : "");
    return PG_EXIT_USAGE;
}

static bool parse_unsigned(unsigned long *out, const char *text, unsigned long max)
{
    char *end = NULL;
    unsigned long value = 0;
    if (text[0] < '0' || text[0] > '9') {
        return false;
    }
    value = strtoul(text, &end, 10);
    if (*end != '\0' || value > max) {
        return false;
    }
    *out = value;
    return true;
}

static bool parse_number_option(struct serve_cli *cli, int option, const char *arg)
{
    unsigned long value = 0;
    char *end = NULL;
    switch (option) {
    case OPT_SECURE_PORT:
        return parse_unsigned(&value, arg, 65535) && ((cli->port = (unsigned)value), true);
    case OPT_BURST:
        return parse_unsigned(&value, arg, 1000000) && ((cli->burst = (int)value), true);
    case OPT_MAX_PODS:
        return parse_unsigned(&value, arg, 100000000) && ((cli->max_pods = value), true);
    case OPT_NS_LABEL_LIMIT:
        return parse_unsigned(&value, arg, 1000000) && value > 0 &&
               ((cli->metrics_namespace_limit = value), true);
    case OPT_THREADS:
        return parse_unsigned(&value, arg, 1024) && value > 0 &&
               ((cli->threads = (unsigned)value), true);
    case OPT_CONN_TIMEOUT:
        return parse_unsigned(&value, arg, 86400) &&
               ((cli->connection_timeout = (unsigned)value), true);
    case OPT_QPS:
        cli->qps = strtod(arg, &end);
        return end != arg && *end == '\0';
    case OPT_SHUTDOWN_DELAY:
        return pg_admission_parse_duration(&cli->shutdown_delay_ns, arg) == 0 &&
               cli->shutdown_delay_ns >= 0;
    default:
        return false;
    }
}

static int parse_option(struct serve_cli *cli, int option, const char *arg)
{
    switch (option) {
    case OPT_CONFIG:
        cli->config_file = arg;
        return 0;
    case OPT_POLICY_FILE:
        cli->policy_file = arg;
        return 0;
    case OPT_KUBECONFIG:
        cli->kubeconfig = arg;
        return 0;
    case OPT_BIND_ADDRESS:
        cli->bind_address = arg;
        return 0;
    case OPT_CERT:
        cli->cert_file = arg;
        return 0;
    case OPT_KEY:
        cli->key_file = arg;
        return 0;
    case OPT_CERT_DIR:
        cli->cert_dir = arg;
        return 0;
    case OPT_ENFORCE_WORKLOADS:
        cli->enforce_workloads = true;
        return 0;
    case OPT_NS_LABEL:
        cli->metrics_namespace_label = true;
        return 0;
    case OPT_TLS_MIN_VERSION:
    case OPT_VERSION:
    case OPT_UNSUPPORTED:
        return 0; /* parse_special_option */
    default:
        return parse_number_option(cli, option, arg) ? 0 : -1;
    }
}

/*
 * The options whose errors need more than "invalid value": upstream's TLS versions below 1.2
 * and the upstream flags podgate lacks. 0 when `option` is none of them or is fine, 1 when
 * the command is done (--version), else the exit status.
 */
static int parse_special_option(struct serve_cli *cli, int option, int index, char **argv)
{
    if (option == OPT_VERSION) {
        return pg_cmd_version(1, argv) == PG_EXIT_OK ? 1 : PG_EXIT_USAGE;
    }
    if (option == OPT_UNSUPPORTED) {
        (void)fprintf(stderr, "podgate serve: --%s is not supported\n", OPTIONS[index].name);
        return PG_EXIT_USAGE;
    }
    if (option != OPT_TLS_MIN_VERSION) {
        return 0;
    }
    if (strcmp(optarg, "VersionTLS12") == 0 || strcmp(optarg, "VersionTLS13") == 0) {
        cli->tls13_only = strcmp(optarg, "VersionTLS13") == 0;
        return 0;
    }
    if (strcmp(optarg, "VersionTLS10") == 0 || strcmp(optarg, "VersionTLS11") == 0) {
        (void)fprintf(stderr,
                      "podgate serve: --tls-min-version: %s is not supported: TLS 1.2 or 1.3 "
                      "only\n",
                      optarg);
        return PG_EXIT_USAGE;
    }
    return usage_error("--tls-min-version: invalid value", optarg);
}

static int parse_args(struct serve_cli *cli, int argc, char **argv)
{
    int option = 0;
    int index = 0;
    int rc = 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    memset(cli, 0, sizeof(*cli));
    cli->port = 8443;
    cli->qps = 20;
    cli->burst = 50;
    cli->metrics_namespace_limit = PG_METRICS_NAMESPACE_VALUES_DEFAULT;
    cli->threads = cpus > 0 ? (unsigned)cpus : 1;
    optind = 1;
    opterr = 0;
    while ((option = getopt_long(argc, argv, ":h", OPTIONS, &index)) != -1) {
        char problem[160];
        if (option == 'h') {
            (void)fputs(USAGE, stdout);
            return 1;
        }
        if (option == '?' || option == ':') {
            pg_cli_option_problem(problem, sizeof(problem), option, argv);
            return usage_error(problem, NULL);
        }
        rc = parse_special_option(cli, option, index, argv);
        if (rc != 0) {
            return rc;
        }
        if (parse_option(cli, option, optarg) != 0) {
            return usage_error("invalid value", optarg);
        }
    }
    if (optind < argc) {
        return usage_error("unexpected argument", argv[optind]);
    }
    return 0;
}

/* 1 at the first SIGTERM/SIGINT, 2 at a second one (it cuts the shutdown delay short). */
static void on_signal(int signo)
{
    (void)signo;
    stop_requested = stop_requested == 0 ? 1 : 2;
}

static void install_signals(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_signal;
    (void)sigemptyset(&action.sa_mask);
    (void)sigaction(SIGTERM, &action, NULL);
    (void)sigaction(SIGINT, &action, NULL);
    action.sa_handler = SIG_IGN;
    (void)sigaction(SIGPIPE, &action, NULL);
}

static int load_config(struct serve_state *state, const struct serve_cli *cli, struct pg_error *err)
{
    char *data = NULL;
    size_t len = 0;
    char why[512];
    int rc = 0;
    if (cli->config_file == NULL || cli->config_file[0] == '\0') {
        state->config = pg_admission_config_new_default();
        return 0;
    }
    if (pg_cli_read_file(&data, &len, cli->config_file, (size_t)16 * 1024 * 1024, why,
                         sizeof(why)) != 0) {
        return pg_error_set(err, PG_EIO, "%s", why);
    }
    rc = pg_admission_config_parse(&state->config, data, len, err);
    free(data);
    return rc;
}

static int load_policies(struct serve_state *state, const struct serve_cli *cli,
                         struct pg_error *err)
{
    struct pg_log_line line;
    int rc = 0;
    if (cli->policy_file == NULL) {
        return 0;
    }
    rc = pg_policy_store_new(&state->policies, cli->policy_file, err);
    if (rc != 0) {
        return rc;
    }
    pg_log_begin(&line, "info", "policy file loaded");
    pg_log_str(&line, "file", cli->policy_file);
    pg_log_int(&line, "policies", (int64_t)pg_policy_store_len(state->policies));
    pg_log_end(&line);
    return 0;
}

static int resolve_tls_files(struct serve_state *state, const struct serve_cli *cli,
                             struct pg_error *err)
{
    if (cli->cert_file != NULL && cli->key_file != NULL) {
        (void)snprintf(state->cert_path, sizeof(state->cert_path), "%s", cli->cert_file);
        (void)snprintf(state->key_path, sizeof(state->key_path), "%s", cli->key_file);
        return 0;
    }
    if (cli->cert_dir != NULL) {
        (void)snprintf(state->cert_path, sizeof(state->cert_path), "%s/webhook.crt", cli->cert_dir);
        (void)snprintf(state->key_path, sizeof(state->key_path), "%s/webhook.key", cli->cert_dir);
        return 0;
    }
    return pg_error_set(err, PG_EINVAL,
                        "--tls-cert-file and --tls-private-key-file (or --cert-dir) are required");
}

static int start_cluster_side(struct serve_state *state, const struct serve_cli *cli,
                              struct pg_error *err)
{
    struct pg_kube_config kube;
    int rc = pg_kube_config_load(&kube, cli->kubeconfig, NULL, err);
    if (rc != 0) {
        return rc;
    }
    rc = pg_kube_client_new(&state->client, &kube, cli->qps, cli->burst, err);
    pg_kube_config_release(&kube);
    if (rc == 0) {
        rc = pg_nscache_new(&state->cache, state->client, err);
    }
    if (rc == 0) {
        rc = pg_nscache_start(state->cache, err);
    }
    return rc;
}

static int start(struct serve_state *state, const struct serve_cli *cli, struct pg_error *err)
{
    struct pg_server_options options;
    int rc = load_config(state, cli, err);
    if (rc == 0) {
        rc = load_policies(state, cli, err);
    }
    if (rc == 0) {
        rc = resolve_tls_files(state, cli, err);
    }
    if (rc == 0) {
        rc = start_cluster_side(state, cli, err);
    }
    if (rc != 0) {
        return rc;
    }
    state->metrics =
        pg_metrics_new(cli->metrics_namespace_label ? cli->metrics_namespace_limit : 0);
    state->handler.config = state->config;
    state->handler.get_namespace = pg_nscache_get_namespace;
    state->lookup.cache = state->cache;
    state->lookup.deadline_ns = 0;
    state->handler.namespace_ctx = &state->lookup;
    state->handler.list_pods = pg_nscache_list_pods;
    state->handler.pods_ctx = state->cache;
    state->handler.max_pods_to_check = cli->max_pods;
    state->handler.enforce_workloads = cli->enforce_workloads;
    if (state->policies != NULL) {
        state->handler.acquire_policies = pg_policy_store_acquire;
        state->handler.release_policies = pg_policy_store_release;
        state->handler.policies_ctx = state->policies;
    }
    memset(&options, 0, sizeof(options));
    options.bind_address = cli->bind_address;
    options.port = cli->port;
    options.tls13_only = cli->tls13_only;
    options.cert_file = state->cert_path;
    options.key_file = state->key_path;
    options.threads = cli->threads;
    options.connection_timeout_s = cli->connection_timeout;
    options.handler = &state->handler;
    options.metrics = state->metrics;
    options.cache = state->cache;
    return pg_server_start(&state->server, &options, err);
}

static void log_listening(const struct serve_state *state, const struct serve_cli *cli)
{
    struct pg_log_line line;
    pg_log_begin(&line, "info", "listening");
    pg_log_str(&line, "address", cli->bind_address != NULL ? cli->bind_address : "0.0.0.0");
    pg_log_int(&line, "port", pg_server_port(state->server));
    pg_log_int(&line, "threads", cli->threads);
    pg_log_str(&line, "version", PG_VERSION);
    pg_log_end(&line);
}

/* Re-read a changed policy file; a bad one is logged once and the last good set stays. */
static void poll_policies(struct serve_state *state, const struct serve_cli *cli)
{
    struct pg_log_line line;
    struct pg_error err;
    int rc = 0;
    if (state->policies == NULL) {
        return;
    }
    pg_error_clear(&err);
    rc = pg_policy_store_poll(state->policies, &err);
    if (rc == 0) {
        return;
    }
    if (rc > 0) {
        pg_log_begin(&line, "info", "policy file reloaded");
        pg_log_int(&line, "policies", (int64_t)pg_policy_store_len(state->policies));
    } else {
        pg_log_begin(&line, "error", "policy file not reloaded: keeping the last good policies");
        pg_log_str(&line, "error", err.message);
    }
    pg_log_str(&line, "file", cli->policy_file);
    pg_log_end(&line);
}

/*
 * Serve, watching the certificate and policy files once a second, until `signals` SIGTERMs
 * have come or, when until_ns > 0, until CLOCK_MONOTONIC reaches it. A signal ends the sleep
 * at once (EINTR).
 */
static void serve_until(struct serve_state *state, const struct serve_cli *cli, int signals,
                        int64_t until_ns)
{
    struct timespec slice = {0, 100 * 1000 * 1000};
    struct timespec now;
    unsigned ticks = 0;
    while (stop_requested < signals) {
        if (until_ns > 0 && (clock_gettime(CLOCK_MONOTONIC, &now) != 0 ||
                             (int64_t)now.tv_sec * 1000000000 + now.tv_nsec >= until_ns)) {
            return;
        }
        (void)nanosleep(&slice, NULL);
        if (++ticks % 10 == 0) {
            pg_server_poll(state->server);
            poll_policies(state, cli);
        }
    }
}

/*
 * The shutdown delay of Kubernetes' generic apiserver: after SIGTERM the API server may route
 * reviews here until the endpoint removal reaches it, and the fail-closed pods entry would
 * reject pods meanwhile; so report not ready at once and keep serving for the delay (a second
 * SIGTERM ends it).
 */
static void delay_shutdown(struct serve_state *state, const struct serve_cli *cli)
{
    struct pg_log_line line;
    struct timespec now;
    if (cli->shutdown_delay_ns <= 0 || clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        return;
    }
    pg_server_set_not_ready(state->server);
    pg_log_begin(&line, "info", "shutting down: not ready, serving for the shutdown delay");
    pg_log_double(&line, "seconds", (double)cli->shutdown_delay_ns / 1e9);
    pg_log_end(&line);
    serve_until(state, cli, 2,
                (int64_t)now.tv_sec * 1000000000 + now.tv_nsec + cli->shutdown_delay_ns);
}

static void release(struct serve_state *state)
{
    pg_server_free(state->server);
    pg_nscache_free(state->cache);
    pg_kube_client_free(state->client);
    pg_metrics_free(state->metrics);
    pg_admission_config_free(state->config);
    pg_policy_store_free(state->policies);
}

int pg_cmd_serve(int argc, char **argv)
{
    struct serve_cli cli;
    struct serve_state state;
    struct pg_error err;
    int rc = parse_args(&cli, argc, argv);
    if (rc != 0) {
        return rc == 1 ? PG_EXIT_OK : rc;
    }
    memset(&state, 0, sizeof(state));
    pg_error_clear(&err);
    install_signals();
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        pg_log_message("error", "cannot initialise libcurl", NULL);
        return PG_EXIT_USAGE;
    }
    if (start(&state, &cli, &err) != 0) {
        pg_log_message("error", "cannot start", err.message);
        release(&state);
        curl_global_cleanup();
        return PG_EXIT_USAGE;
    }
    log_listening(&state, &cli);
    serve_until(&state, &cli, 1, 0);
    delay_shutdown(&state, &cli);
    pg_log_message("info", "shutting down: draining in-flight reviews", NULL);
    pg_server_drain(state.server, 25000);
    release(&state);
    curl_global_cleanup();
    pg_log_message("info", "stopped", NULL);
    return PG_EXIT_OK;
}
