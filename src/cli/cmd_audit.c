/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate audit`: read a cluster, from the API server (audit_live.c) or from a dump
 * (`kubectl get … -A -o json`) in chunks, feed it to the library's audit, and print the
 * report as text, JSON or HTML. Progress goes to stderr on a terminal.
 */
#include "cli.h"
#include "limit_flags.h"

#include "audit_live.h"
#include "podgate/audit.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_BYTES ((size_t)1 << 20)
#define PROGRESS_STEP ((size_t)32 << 20)
#define MAX_WHAT_IF 64
#define DEFAULT_CHUNK_SIZE 500 /* kubectl's --chunk-size */
#define MAX_CHUNK_SIZE 1000000

struct audit_cli {
    struct pg_audit_options options;
    enum pg_audit_format format;
    enum pg_doc_format input_format;
    const char *files[64];
    size_t files_len;
    struct pg_audit_what_if what_if[MAX_WHAT_IF];
    char *what_if_names[MAX_WHAT_IF];
    size_t what_if_len;
    bool progress;
    struct pg_audit_live_options live;
    bool live_flags;  /* --kubeconfig, --context or --chunk-size given */
    bool input_flags; /* --input-format given */
};

static const char USAGE[] =
    "usage: podgate audit [--kubeconfig PATH] [--context NAME] [options]\n"
    "       podgate audit -f DUMP [options]\n"
    "\n"
    "Audit a cluster for Pod Security Admission: per namespace the current labels, the pods\n"
    "and workload templates violating each level (at the pinned version and at latest), the\n"
    "strictest level everything satisfies, and the `kubectl label` commands to get there;\n"
    "what breaks if a namespace gets a given label (--what-if); PodSecurityPolicy migration.\n"
    "\n"
    "Without -f, the cluster is read from its API server: namespaces, pods and every workload\n"
    "kind, listed cluster-wide in pages; PodSecurityPolicies where the server still has them,\n"
    "and then Roles and bindings to see which PSPs each namespace may use. The kubeconfig is\n"
    "--kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config, else the pod's\n"
    "service account. The user needs `list` on those resources (README: RBAC).\n"
    "\n"
    "  podgate audit -o html > report.html\n"
    "  kubectl get ns,pods,deploy,sts,ds,rs,rc,jobs,cronjobs,podtemplates,psp \\\n"
    "      -A -o json > dump.json     # add roles,rolebindings,clusterroles,clusterrolebindings\n"
    "                                 # to see which PSPs each namespace may use\n"
    "  podgate audit -f dump.json -o html > report.html\n"
    "\n"
    "options:\n"
    "      --kubeconfig PATH     the kubeconfig to read the cluster with\n"
    "      --context NAME        its context to use (default: its current-context)\n"
    "      --chunk-size N        objects per request (default 500, 0: all at once)\n"
    "  -f, --filename PATH       a dump (JSON or YAML) or - for stdin (repeatable)\n"
    "      --input-format FMT    of the dumps: auto (default), yaml or json\n"
    "  -o, --output FORMAT       text (default), json or html\n"
    "      --what-if NS=LEVEL[:VERSION]\n"
    "                            list what NS would reject and warn about with this enforce\n"
    "                            label, e.g. prod=restricted:v1.30 (repeatable)\n"
    "  -h, --help                show this help\n"
    "\n" PG_LIMIT_FLAGS_USAGE "\n"
    "exit codes: 0 report written, 2 usage error, the cluster could not be read, or some\n"
    "input could not be (a resource forbidden, an object unreadable: listed in the report)\n";

static int usage_error(const char *message, const char *arg)
{
    (void)fprintf(stderr, "podgate audit: %s%s\nRun 'podgate audit --help' for usage.\n", message,
                  arg);
    return PG_EXIT_USAGE;
}

/* NS=LEVEL[:VERSION] */
static int parse_what_if(struct audit_cli *cli, const char *text)
{
    const char *equals = strchr(text, '=');
    struct pg_error err;
    if (cli->what_if_len == MAX_WHAT_IF) {
        return usage_error("too many --what-if options", "");
    }
    if (equals == NULL || equals == text) {
        return usage_error("--what-if wants NAMESPACE=LEVEL[:VERSION], got ", text);
    }
    if (pg_level_version_parse(&cli->what_if[cli->what_if_len].enforce, equals + 1, &err) != 0) {
        return usage_error("--what-if: ", err.message);
    }
    cli->what_if_names[cli->what_if_len] = pg_xstrndup(text, (size_t)(equals - text));
    cli->what_if[cli->what_if_len].namespace_ = cli->what_if_names[cli->what_if_len];
    cli->what_if_len++;
    return 0;
}

static int parse_input_format(enum pg_doc_format *out, const char *text)
{
    if (strcmp(text, "auto") == 0) {
        *out = PG_FORMAT_AUTO;
    } else if (strcmp(text, "yaml") == 0) {
        *out = PG_FORMAT_YAML;
    } else if (strcmp(text, "json") == 0) {
        *out = PG_FORMAT_JSON;
    } else {
        return usage_error("--input-format: want auto, yaml or json, got ", text);
    }
    return 0;
}

static int parse_chunk_size(struct audit_cli *cli, const char *text)
{
    char *end = NULL;
    unsigned long long value = 0;
    errno = 0;
    value = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || value > MAX_CHUNK_SIZE) {
        return usage_error("--chunk-size wants a number of objects from 0 to 1000000, got ", text);
    }
    cli->live.chunk_size = (size_t)value;
    return 0;
}

enum long_only {
    OPT_WHAT_IF = 256,
    OPT_INPUT_FORMAT,
    OPT_KUBECONFIG,
    OPT_CONTEXT,
    OPT_CHUNK_SIZE,
};

static int parse_live_option(struct audit_cli *cli, int opt)
{
    cli->live_flags = true;
    switch (opt) {
    case OPT_KUBECONFIG:
        cli->live.kubeconfig = optarg;
        return 0;
    case OPT_CONTEXT:
        cli->live.context = optarg;
        return 0;
    default: /* OPT_CHUNK_SIZE */
        return parse_chunk_size(cli, optarg);
    }
}

static int parse_option(struct audit_cli *cli, int opt)
{
    char problem[160];
    int limit = pg_limit_flags_apply(&cli->options.limits, opt, optarg, problem, sizeof(problem));
    if (limit != 0) {
        return limit > 0 ? 0 : usage_error(problem, "");
    }
    switch (opt) {
    case 'f':
        if (cli->files_len == sizeof(cli->files) / sizeof(cli->files[0])) {
            return usage_error("too many -f options", "");
        }
        cli->files[cli->files_len++] = optarg;
        return 0;
    case 'o':
        if (pg_audit_format_parse(&cli->format, optarg) != 0) {
            return usage_error("unknown output format (want text, json or html): ", optarg);
        }
        return 0;
    case OPT_WHAT_IF:
        return parse_what_if(cli, optarg);
    case OPT_INPUT_FORMAT:
        cli->input_flags = true;
        return parse_input_format(&cli->input_format, optarg);
    case OPT_KUBECONFIG:
    case OPT_CONTEXT:
    case OPT_CHUNK_SIZE:
        return parse_live_option(cli, opt);
    default:
        return usage_error("invalid option", "");
    }
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(struct audit_cli *cli, int argc, char **argv)
{
    static const struct option LONG_OPTIONS[] = {
        {"filename", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"what-if", required_argument, NULL, OPT_WHAT_IF},
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
        {"context", required_argument, NULL, OPT_CONTEXT},
        {"chunk-size", required_argument, NULL, OPT_CHUNK_SIZE},
        {"help", no_argument, NULL, 'h'},
        PG_LIMIT_FLAGS_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int opt = 0;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":f:o:h", LONG_OPTIONS, NULL)) != -1) {
        int rc = 0;
        char problem[160];
        if (opt == 'h') {
            return fputs(USAGE, stdout) == EOF ? PG_EXIT_USAGE : PG_EXIT_OK;
        }
        if (opt == '?' || opt == ':') {
            pg_cli_option_problem(problem, sizeof(problem), opt, argv);
            return usage_error(problem, "");
        }
        rc = parse_option(cli, opt);
        if (rc != 0) {
            return rc;
        }
    }
    if (optind < argc) {
        return usage_error("unexpected argument (give dumps with -f): ", argv[optind]);
    }
    if (cli->files_len > 0 && cli->live_flags) {
        return usage_error("--kubeconfig, --context and --chunk-size read the cluster; a dump "
                           "(-f) is read instead",
                           "");
    }
    if (cli->files_len == 0 && cli->input_flags) {
        return usage_error("--input-format is for dumps (-f)", "");
    }
    return -1;
}

static void show_progress(const struct pg_audit *audit, size_t total)
{
    const struct pg_audit_stats *stats = pg_audit_stats(audit);
    if (total > 0) {
        (void)fprintf(stderr, "\rpodgate audit: %zu%% read, %zu pods, %zu workloads",
                      (size_t)((double)stats->bytes * 100.0 / (double)total), stats->pods,
                      stats->workloads);
    } else {
        (void)fprintf(stderr, "\rpodgate audit: %zu MB read, %zu pods, %zu workloads",
                      stats->bytes >> 20, stats->pods, stats->workloads);
    }
}

/* Feed one file in chunks; returns false when it could not be read (already reported). */
static bool feed_file(struct audit_cli *cli, struct pg_audit *audit, const char *path, size_t total)
{
    struct pg_audit_feed *feed = NULL;
    FILE *stream = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *chunk = NULL;
    size_t next_progress = PROGRESS_STEP;
    bool ok = true;
    struct pg_error err;
    if (stream == NULL || pg_audit_feed_new(&feed, audit, path, cli->input_format, &err) != 0) {
        char message[512];
        (void)snprintf(message, sizeof(message), "cannot read: %s", strerror(errno));
        pg_audit_add_error(audit, path, 0, message);
        if (stream != NULL && stream != stdin) {
            (void)fclose(stream);
        }
        return false;
    }
    chunk = pg_xmalloc(CHUNK_BYTES);
    for (;;) {
        size_t got = fread(chunk, 1, CHUNK_BYTES, stream);
        if (got == 0) {
            break;
        }
        pg_audit_feed_write(feed, chunk, got);
        if (cli->progress && pg_audit_stats(audit)->bytes >= next_progress) {
            show_progress(audit, total);
            next_progress += PROGRESS_STEP;
        }
    }
    if (ferror(stream)) {
        pg_audit_add_error(audit, path, 0, "read error");
        ok = false;
    }
    pg_audit_feed_end(feed);
    pg_audit_feed_free(feed);
    free(chunk);
    if (stream != stdin && fclose(stream) != 0) {
        ok = false;
    }
    return ok;
}

/* Bytes in every regular file given, for a percentage (0 when some size is unknown). */
static size_t total_size(const struct audit_cli *cli)
{
    size_t total = 0;
    for (size_t i = 0; i < cli->files_len; i++) {
        struct stat st;
        if (strcmp(cli->files[i], "-") == 0 || stat(cli->files[i], &st) != 0 ||
            !S_ISREG(st.st_mode)) {
            return 0;
        }
        total += (size_t)st.st_size;
    }
    return total;
}

static int run_audit(struct audit_cli *cli)
{
    struct pg_audit *audit = NULL;
    struct pg_buf out = PG_BUF_INIT;
    struct pg_error err;
    size_t total = total_size(cli);
    int exit_code = PG_EXIT_OK;
    cli->options.what_if = cli->what_if;
    cli->options.what_if_len = cli->what_if_len;
    if (pg_audit_new(&audit, &cli->options, &err) != 0) {
        (void)fprintf(stderr, "podgate audit: %s\n", err.message);
        return PG_EXIT_USAGE;
    }
    if (cli->files_len == 0 && pg_audit_live_read(audit, &cli->live) != 0) {
        pg_audit_free(audit);
        return PG_EXIT_USAGE; /* said why; there is nothing to report */
    }
    for (size_t i = 0; i < cli->files_len; i++) {
        (void)feed_file(cli, audit, cli->files[i], total);
    }
    if (cli->progress && cli->files_len > 0) {
        (void)fputs("\r\033[K", stderr);
    }
    pg_audit_finish(audit);
    pg_audit_render(&out, audit, cli->format);
    if (pg_buf_failed(&out) || fwrite(out.ptr, 1, out.len, stdout) != out.len ||
        fflush(stdout) != 0) {
        (void)fprintf(stderr, "podgate audit: writing the report failed\n");
        exit_code = PG_EXIT_USAGE;
    }
    if (pg_audit_stats(audit)->errors > 0) {
        (void)fprintf(stderr, "podgate audit: %zu input problem%s (listed in the report)\n",
                      pg_audit_stats(audit)->errors, pg_audit_stats(audit)->errors == 1 ? "" : "s");
        exit_code = PG_EXIT_USAGE;
    }
    pg_buf_release(&out);
    pg_audit_free(audit);
    return exit_code;
}

int pg_cmd_audit(int argc, char **argv)
{
    struct audit_cli cli;
    int rc = 0;
    memset(&cli, 0, sizeof(cli));
    pg_audit_options_default(&cli.options);
    cli.format = PG_AUDIT_TEXT;
    cli.input_format = PG_FORMAT_AUTO;
    cli.progress = isatty(fileno(stderr)) == 1;
    cli.live.chunk_size = DEFAULT_CHUNK_SIZE;
    rc = parse_args(&cli, argc, argv);
    if (rc < 0) {
        rc = run_audit(&cli);
    }
    for (size_t i = 0; i < cli.what_if_len; i++) {
        free(cli.what_if_names[i]);
    }
    return rc;
}
