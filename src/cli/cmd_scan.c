/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `podgate scan`: read manifests from files, directories or stdin, judge every
 * workload as Pod Security Admission would, print a report, and exit 0
 * (clean), 1 (findings at the --fail-on threshold) or 2 (usage error or
 * unreadable input; this wins).
 */
#include "cli.h"
#include "inputs.h"
#include "limit_flags.h"
#include "parts.h"
#include "policy_file.h"
#include "progress.h"
#include "scan_jobs.h"

#include "podgate/report.h"
#include "podgate/scan.h"
#include "podgate/scan_record.h"

#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Standard input up to this size is read whole (two passes: Namespace labels anywhere in it
   apply); beyond it, it is scanned as a stream with flat memory. */
#define STREAM_THRESHOLD ((size_t)16 * 1024 * 1024)
#define STREAM_BLOCK ((size_t)1024 * 1024)

/* More threads than this only costs memory: each holds a few records in flight. */
#define MAX_JOBS 1024
#define MAX_JOBS_TEXT "1024"

enum fail_on {
    FAIL_ON_NEVER,
    FAIL_ON_ENFORCE,
    FAIL_ON_WARN,
    FAIL_ON_AUDIT,
};

struct scan_cli {
    struct pg_scan_options scan;
    struct pg_report_options report;
    enum fail_on fail_on;
    size_t jobs; /* files scanned at a time (-j) */
    struct pg_inputs inputs;
    size_t paths_given; /* by -f and as arguments, before directories are walked */
    bool stdin_named;   /* `-` among them */
    bool stdin_used;
    bool stdin_streams; /* larger than STREAM_THRESHOLD: scanned as a stream */
    char *stdin_data;
    size_t stdin_len;
    size_t stdin_cap;
    struct pg_report *writer;
    struct pg_progress progress;
    bool stdout_is_terminal; /* the progress line must make way for output */
    bool failed_threshold;
    bool io_error;
    const char *policy_path;
    const char *now_text;
    struct pg_policy_set *policies;
    char cwd[4096];     /* SARIF URIs are relative to it */
    char timestamp[32]; /* JUnit */
    char hostname[256]; /* JUnit */
};

static const char USAGE[] =
    "usage: podgate scan [options] [PATH | -]...\n"
    "\n"
    "Evaluate Kubernetes manifests (YAML or JSON; files, directories walked\n"
    "recursively for *.yaml, *.yml, *.json, or - for stdin) against the Pod\n"
    "Security Standards, with the verdicts and words of Pod Security Admission.\n"
    "\n"
    "options:\n"
    "  -f, --filename PATH      a file, directory or - (repeatable; same as a PATH argument)\n"
    "  -R, --recursive          accepted for kubectl compatibility (directories are always\n"
    "                           walked recursively)\n"
    "  -o, --output FORMAT      text (default), json, sarif (code scanning) or junit\n"
    "                           (CI test reports)\n"
    "  -j, --jobs N             scan with N threads (default: the number of CPUs): N\n"
    "                           files at a time, or the parts of a large file or\n"
    "                           stdin; the report is the same for every N, -j1 scans\n"
    "                           one document after another\n"
    "      --level LEVEL[:VER]  judge every workload at this policy (enforce), ignoring\n"
    "                           Namespace labels; e.g. restricted, baseline:v1.30\n"
    "                           (default: Namespace labels in the input, else restricted:latest)\n"
    "      --fail-on MODE       enforce (default), warn, audit or never: which findings\n"
    "                           make the exit code 1\n"
    "      --policy FILE        custom policies (podgate.dev/v1alpha1 Policy): they judge the\n"
    "                           namespaces they bind; everything else is unchanged\n"
    "      --now YYYY-MM-DD     the day exemption expiry is judged on (default: today, UTC)\n"
    "      --no-defaults        do not apply API-server defaulting before judging\n"
    "      --input-format FMT   auto (default), yaml or json\n"
    "      --color WHEN         auto (default), always or never\n"
    "  -h, --help               show this help\n"
    "\n" PG_LIMIT_FLAGS_USAGE "\n"
    "exit codes: 0 no findings at the --fail-on threshold, 1 findings at the threshold,\n"
    "2 usage error or some input could not be read (everything readable is still reported)\n"
    "\n"
    "SARIF URIs are relative to the current directory. JUnit suites carry the time and\n"
    "host; with SOURCE_DATE_EPOCH set they carry that time and \"localhost\" instead.\n";

static int usage_error(const char *fmt, const char *arg) __attribute__((format(printf, 1, 0)));

static int usage_error(const char *fmt, const char *arg)
{
    (void)fprintf(stderr, "podgate scan: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    (void)fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
    (void)fprintf(stderr, "\nRun 'podgate scan --help' for usage.\n");
    return PG_EXIT_USAGE;
}

static int parse_fail_on(enum fail_on *out, const char *text)
{
    static const char *const NAMES[] = {"never", "enforce", "warn", "audit"};
    for (size_t i = 0; i < sizeof(NAMES) / sizeof(NAMES[0]); i++) {
        if (strcmp(text, NAMES[i]) == 0) {
            *out = (enum fail_on)i;
            return 0;
        }
    }
    return -1;
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
        return -1;
    }
    return 0;
}

/* A number of files to scan at a time: digits only, 1 to MAX_JOBS. */
static int parse_jobs(size_t *out, const char *text)
{
    char *end = NULL;
    unsigned long value = 0;
    if (text[0] < '0' || text[0] > '9') {
        return -1;
    }
    errno = 0;
    value = strtoul(text, &end, 10);
    if (errno != 0 || *end != '\0' || value == 0 || value > MAX_JOBS) {
        return -1;
    }
    *out = (size_t)value;
    return 0;
}

/* The default for -j: every CPU that is online. */
static size_t online_cpus(void)
{
    long count = sysconf(_SC_NPROCESSORS_ONLN);
    if (count < 1) {
        return 1;
    }
    return count > MAX_JOBS ? MAX_JOBS : (size_t)count;
}

enum long_only {
    OPT_LEVEL = 256,
    OPT_FAIL_ON,
    OPT_NO_DEFAULTS,
    OPT_INPUT_FORMAT,
    OPT_COLOR,
    OPT_POLICY,
    OPT_NOW,
};

/*
 * A path from -f or the arguments. A directory without manifests only gets a warning: the
 * report is still written, empty if nothing else was given, since CI uploads it whatever the
 * exit code. Standard input can only be read once.
 */
static int add_path(struct scan_cli *cli, const char *path)
{
    size_t before = cli->inputs.len;
    if (strcmp(path, "-") == 0) {
        if (cli->stdin_named) {
            return usage_error("%s", "standard input (-) can be given only once");
        }
        cli->stdin_named = true;
    }
    cli->paths_given++;
    pg_inputs_add_path(&cli->inputs, path);
    if (cli->inputs.len == before) {
        (void)fprintf(stderr, "podgate scan: warning: %s: no *.yaml, *.yml or *.json files\n",
                      path);
    }
    return 0;
}

static int parse_option(struct scan_cli *cli, int opt, const char **color_mode)
{
    struct pg_error err;
    int limit =
        pg_limit_flags_apply(&cli->scan.limits, opt, optarg, err.message, sizeof(err.message));
    if (limit != 0) {
        return limit > 0 ? 0 : usage_error("%s", err.message);
    }
    switch (opt) {
    case 'f':
        return add_path(cli, optarg);
    case 'R':
        return 0;
    case 'j':
        if (parse_jobs(&cli->jobs, optarg) != 0) {
            return usage_error("--jobs: '%s' is not a number from 1 to " MAX_JOBS_TEXT, optarg);
        }
        return 0;
    case 'o':
        if (pg_report_format_parse(&cli->report.format, optarg) != 0) {
            return usage_error("unknown output format '%s' (want text, json, sarif or junit)",
                               optarg);
        }
        return 0;
    case OPT_LEVEL:
        if (pg_level_version_parse(&cli->scan.level, optarg, &err) != 0) {
            return usage_error("%s", err.message);
        }
        cli->scan.has_level = true;
        return 0;
    case OPT_FAIL_ON:
        if (parse_fail_on(&cli->fail_on, optarg) != 0) {
            return usage_error("--fail-on: '%s' is not enforce, warn, audit or never", optarg);
        }
        return 0;
    case OPT_NO_DEFAULTS:
        cli->scan.apply_defaults = false;
        return 0;
    case OPT_INPUT_FORMAT:
        if (parse_input_format(&cli->scan.format, optarg) != 0) {
            return usage_error("--input-format: '%s' is not auto, yaml or json", optarg);
        }
        return 0;
    case OPT_COLOR:
        if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0 &&
            strcmp(optarg, "never") != 0) {
            return usage_error("--color: '%s' is not auto, always or never", optarg);
        }
        *color_mode = optarg;
        return 0;
    case OPT_POLICY:
        cli->policy_path = optarg;
        return 0;
    case OPT_NOW:
        if (pg_cli_today(&cli->scan.today, optarg) != 0) {
            return usage_error("--now: '%s' is not a date (YYYY-MM-DD)", optarg);
        }
        cli->now_text = optarg;
        return 0;
    default:
        return usage_error("%s", "invalid option");
    }
}

/* Returns -1 to continue, or an exit code. */
static int parse_args(struct scan_cli *cli, int argc, char **argv)
{
    static const struct option LONG_OPTIONS[] = {
        {"filename", required_argument, NULL, 'f'},
        {"recursive", no_argument, NULL, 'R'},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"level", required_argument, NULL, OPT_LEVEL},
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"no-defaults", no_argument, NULL, OPT_NO_DEFAULTS},
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"color", required_argument, NULL, OPT_COLOR},
        {"policy", required_argument, NULL, OPT_POLICY},
        {"now", required_argument, NULL, OPT_NOW},
        PG_LIMIT_FLAGS_OPTIONS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *color_mode = "auto";
    int opt = 0;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":f:Ro:j:h", LONG_OPTIONS, NULL)) != -1) {
        int rc = 0;
        char problem[160];
        if (opt == 'h') {
            (void)fputs(USAGE, stdout);
            return PG_EXIT_OK;
        }
        if (opt == '?' || opt == ':') {
            pg_cli_option_problem(problem, sizeof(problem), opt, argv);
            return usage_error("%s", problem);
        }
        rc = parse_option(cli, opt, &color_mode);
        if (rc != 0) {
            return rc;
        }
    }
    for (int i = optind; i < argc; i++) {
        int rc = add_path(cli, argv[i]);
        if (rc != 0) {
            return rc;
        }
    }
    if (cli->paths_given == 0) {
        return usage_error("%s", "no input: give files, directories, or - for stdin");
    }
    cli->report.color =
        cli->report.format == PG_REPORT_TEXT && pg_cli_use_color(stdout, color_mode);
    return -1;
}

/* Seconds since 1970 as SOURCE_DATE_EPOCH gives them: digits only. */
static int parse_epoch(time_t *out, const char *text)
{
    char *end = NULL;
    long long value = 0;
    if (text[0] < '0' || text[0] > '9') {
        return -1;
    }
    errno = 0;
    value = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || (long long)(time_t)value != value) {
        return -1;
    }
    *out = (time_t)value;
    return 0;
}

/*
 * What reports take from the environment: the directory SARIF URIs are
 * relative to, and JUnit's timestamp and host. SOURCE_DATE_EPOCH
 * (reproducible-builds.org) fixes the time and leaves the host out, so the
 * same input gives the same report. Returns -1 to continue, or an exit code.
 */
/*
 * The current directory as the shell names it ($PWD, like `pwd -L`) when that
 * is really where we are, else the physical one: paths given through a
 * symlinked directory then stay relative in SARIF.
 */
static bool logical_cwd(char *buf, size_t size)
{
    const char *pwd = getenv("PWD");
    struct stat here;
    struct stat named;
    if (pwd != NULL && pwd[0] == '/' && strlen(pwd) < size && stat(".", &here) == 0 &&
        stat(pwd, &named) == 0 && here.st_dev == named.st_dev && here.st_ino == named.st_ino) {
        memcpy(buf, pwd, strlen(pwd) + 1);
        return true;
    }
    return getcwd(buf, size) != NULL;
}

static int set_report_context(struct scan_cli *cli)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    time_t now = 0;
    struct tm tm;
    if (logical_cwd(cli->cwd, sizeof(cli->cwd))) {
        cli->report.base_dir = cli->cwd;
    }
    if (cli->report.format != PG_REPORT_JUNIT) {
        return -1;
    }
    if (epoch != NULL && epoch[0] != '\0') {
        if (parse_epoch(&now, epoch) != 0) {
            return usage_error("SOURCE_DATE_EPOCH: '%s' is not a number of seconds", epoch);
        }
    } else {
        now = time(NULL);
        if (gethostname(cli->hostname, sizeof(cli->hostname)) == 0) {
            cli->hostname[sizeof(cli->hostname) - 1] = '\0';
            cli->report.hostname = cli->hostname;
        }
    }
    if (gmtime_r(&now, &tm) == NULL ||
        strftime(cli->timestamp, sizeof(cli->timestamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
        return usage_error("%s", "cannot format the report time");
    }
    cli->report.timestamp = cli->timestamp;
    return -1;
}

static bool flush_output(struct scan_cli *cli)
{
    struct pg_str out = pg_report_output(cli->writer);
    if (out.len > 0 && cli->stdout_is_terminal) {
        pg_progress_clear(&cli->progress);
    }
    if (out.len > 0 && fwrite(out.ptr, 1, out.len, stdout) != out.len) {
        return false;
    }
    pg_report_consume(cli->writer);
    return true;
}

static bool reaches_threshold(enum fail_on fail_on, enum pg_mode mode)
{
    switch (fail_on) {
    case FAIL_ON_NEVER:
        return false;
    case FAIL_ON_ENFORCE:
        return mode == PG_MODE_ENFORCE;
    case FAIL_ON_WARN:
        return mode == PG_MODE_ENFORCE || mode == PG_MODE_WARN;
    case FAIL_ON_AUDIT:
        return true;
    }
    return true;
}

static void on_result(const struct pg_scan_result *result, void *ctx)
{
    struct scan_cli *cli = ctx;
    if (!result->allowed && reaches_threshold(cli->fail_on, result->mode)) {
        cli->failed_threshold = true;
    }
    pg_report_result(result, cli->writer);
}

static void on_diag(const struct pg_scan_diag *diag, void *ctx)
{
    struct scan_cli *cli = ctx;
    pg_report_diag(diag, cli->writer);
}

/*
 * Read the start of stdin (up to STREAM_THRESHOLD). Returns 0, with
 * stdin_streams set when there is more; -1 with a message on a read error.
 */
static int prefetch_stdin(struct scan_cli *cli, char *error, size_t error_size)
{
    cli->stdin_cap = STREAM_BLOCK;
    cli->stdin_data = pg_xmalloc(cli->stdin_cap);
    for (;;) {
        size_t got = 0;
        if (cli->stdin_len == cli->stdin_cap) {
            if (cli->stdin_cap >= STREAM_THRESHOLD) {
                cli->stdin_streams = true;
                return 0;
            }
            cli->stdin_cap *= 2;
            cli->stdin_data = pg_xrealloc(cli->stdin_data, cli->stdin_cap, 1);
        }
        got = fread(cli->stdin_data + cli->stdin_len, 1, cli->stdin_cap - cli->stdin_len, stdin);
        cli->stdin_len += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(stdin)) {
        (void)snprintf(error, error_size, "cannot read: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/*
 * Open an input for reading in parts. Files are streamed (flat memory); a
 * small stdin is kept in memory for both passes; a large one is streamed once.
 */
static int open_parts(struct scan_cli *cli, const struct pg_input *input, struct pg_parts *parts,
                      char *error, size_t error_size)
{
    if (input->error != NULL) {
        (void)snprintf(error, error_size, "cannot read: %s", input->error);
        return -1;
    }
    if (strcmp(input->path, "-") != 0) {
        return pg_parts_open_file(parts, input->path, cli->scan.format, &cli->scan.limits, error,
                                  error_size);
    }
    if (!cli->stdin_used) {
        cli->stdin_used = true;
        if (prefetch_stdin(cli, error, error_size) != 0) {
            free(cli->stdin_data);
            cli->stdin_data = NULL;
            return -1;
        }
    }
    if (cli->stdin_data == NULL) {
        (void)snprintf(error, error_size, "standard input could not be read, or was given twice");
        return -1;
    }
    if (!cli->stdin_streams) {
        pg_parts_open_buffer(parts, cli->stdin_data, cli->stdin_len, cli->scan.format,
                             &cli->scan.limits);
        return 0;
    }
    pg_parts_open_stream(parts, stdin, cli->stdin_data, cli->stdin_len, cli->scan.format,
                         &cli->scan.limits);
    cli->stdin_data = NULL; /* the parts own it now */
    return 0;
}

/* Read the start of stdin once; false when it is streamed or unreadable (no learning pass). */
static bool stdin_in_memory(struct scan_cli *cli)
{
    char error[512];
    if (!cli->stdin_used) {
        cli->stdin_used = true;
        if (prefetch_stdin(cli, error, sizeof(error)) != 0) {
            free(cli->stdin_data);
            cli->stdin_data = NULL; /* the scan pass reports it */
        }
    }
    return cli->stdin_data != NULL && !cli->stdin_streams;
}

/* Learn the Namespace labels of one input: every input with -j1, and those workers leave. */
static void learn_one(struct scan_cli *cli, struct pg_scanner *scanner,
                      const struct pg_input *input)
{
    char error[512];
    struct pg_parts parts;
    if (strcmp(input->path, "-") == 0 && !stdin_in_memory(cli)) {
        return; /* a streamed stdin learns as it is scanned */
    }
    if (open_parts(cli, input, &parts, error, sizeof(error)) != 0) {
        return; /* the scan pass reports it */
    }
    pg_scan_jobs_learn_source(scanner, &parts);
    pg_parts_close(&parts);
}

static void learn_pass(struct scan_cli *cli, struct pg_scanner *scanner)
{
    for (size_t i = 0; i < cli->inputs.len; i++) {
        learn_one(cli, scanner, &cli->inputs.items[i]);
        pg_progress_update(&cli->progress, "reading namespaces", i + 1, cli->inputs.len);
    }
}

/*
 * How many threads learn: -j, but no more than there are inputs (the main
 * thread is one of them, a large input is learned whole by one).
 */
static size_t learning_threads(const struct scan_cli *cli)
{
    return cli->jobs < cli->inputs.len ? cli->jobs : cli->inputs.len;
}

/* Whether a streamed stdin must learn Namespaces as it is scanned: it is then scanned in order. */
static bool learns_inline(const struct scan_cli *cli)
{
    return cli->stdin_streams && (!cli->scan.has_level || cli->scan.policies != NULL);
}

/*
 * The learning pass with worker threads, each learning files into a learner
 * of its own; what each learned is applied to `scanner` in input order, so
 * it learns what learn_pass would. Returns false, having done nothing, when
 * no worker thread could start.
 */
static bool learn_pass_parallel(struct scan_cli *cli, struct pg_scanner *scanner)
{
    struct pg_scan_jobs_options options = {.pass = PG_SCAN_JOBS_LEARN,
                                           .threads = learning_threads(cli) - 1,
                                           .inputs = &cli->inputs,
                                           .scan = &cli->scan};
    struct pg_scan_jobs *jobs = NULL;
    if (pg_scan_jobs_start(&jobs, &options) != 0) {
        return false;
    }
    for (size_t i = 0; i < cli->inputs.len; i++) {
        if (pg_scan_jobs_take(jobs, i)) {
            pg_scanner_learn_from(scanner, pg_scan_jobs_learner(jobs, i));
        } else {
            learn_one(cli, scanner, &cli->inputs.items[i]);
        }
        pg_scan_jobs_done(jobs, i);
        pg_progress_update(&cli->progress, "reading namespaces", i + 1, cli->inputs.len);
    }
    pg_scan_jobs_finish(jobs, NULL);
    return true;
}

/* After each part of an input scanned straight into the report: write out what it gave. */
static bool flush_part(void *ctx)
{
    struct scan_cli *cli = ctx;
    cli->io_error = !flush_output(cli);
    return !cli->io_error;
}

/* Scan one input straight into the report: every input with -j1, and those workers leave. */
static void scan_one(struct scan_cli *cli, struct pg_scanner *scanner, const struct pg_input *input,
                     const struct pg_scan_sink *sink)
{
    char error[512];
    struct pg_parts parts;
    bool streamed = strcmp(input->path, "-") == 0 && cli->stdin_streams;
    if (open_parts(cli, input, &parts, error, sizeof(error)) != 0) {
        pg_scanner_report_error(scanner, input->path, error, sink);
        return;
    }
    /* No learning pass saw a streamed stdin: learn its Namespaces as they come. */
    pg_scanner_set_learn_inline(scanner,
                                streamed && (!cli->scan.has_level || cli->scan.policies != NULL));
    pg_scan_jobs_scan_source(scanner, input->path, &parts, sink, flush_part, cli);
    pg_scanner_set_learn_inline(scanner, false);
    pg_parts_close(&parts);
}

/* An input is reported: close its group, write it out, move the progress line on. */
static void end_input(struct scan_cli *cli, size_t index)
{
    pg_report_end_source(cli->writer, cli->inputs.items[index].path);
    cli->io_error = cli->io_error || !flush_output(cli);
    pg_progress_update(&cli->progress, "scanning", index + 1, cli->inputs.len);
}

static void scan_pass(struct scan_cli *cli, struct pg_scanner *scanner)
{
    const struct pg_scan_sink sink = {on_result, on_diag, cli};
    for (size_t i = 0; i < cli->inputs.len && !cli->io_error; i++) {
        scan_one(cli, scanner, &cli->inputs.items[i], &sink);
        end_input(cli, i);
    }
}

/* An input the workers left, in its turn: read in parts that every thread scans. */
static void scan_left(struct scan_cli *cli, struct pg_scan_jobs *jobs, struct pg_scanner *own,
                      const struct pg_input *input, const struct pg_scan_sink *sink)
{
    char error[512];
    struct pg_parts parts;
    if (open_parts(cli, input, &parts, error, sizeof(error)) != 0) {
        pg_scanner_report_error(own, input->path, error, sink);
        return;
    }
    pg_scan_jobs_scan_parts(jobs, input->path, &parts, sink, flush_part, cli);
    pg_parts_close(&parts);
}

/*
 * The scan pass with worker threads: each input's results are replayed from
 * its record in input order, so the report is the one scan_pass writes. The
 * inputs the workers leave are read here in their turn with a fork of
 * `scanner`, which is not used while the workers run. Returns false, having
 * done nothing, when no worker thread could start.
 */
static bool scan_pass_parallel(struct scan_cli *cli, struct pg_scanner *scanner)
{
    const struct pg_scan_sink sink = {on_result, on_diag, cli};
    size_t threads = pg_scan_jobs_scan_threads(&cli->inputs, cli->jobs);
    struct pg_scan_jobs_options options = {.pass = PG_SCAN_JOBS_SCAN,
                                           .threads = threads - 1,
                                           .inputs = &cli->inputs,
                                           .scan = &cli->scan,
                                           .parent = scanner};
    struct pg_scan_jobs *jobs = NULL;
    struct pg_scanner *own = NULL;
    if (threads < 2 || pg_scanner_fork(&own, scanner, NULL) != 0) {
        return false;
    }
    options.own = own;
    if (pg_scan_jobs_start(&jobs, &options) != 0) {
        pg_scanner_free(own);
        return false;
    }
    for (size_t i = 0; i < cli->inputs.len && !cli->io_error; i++) {
        if (pg_scan_jobs_take(jobs, i)) {
            pg_scan_record_replay(pg_scan_jobs_record(jobs, i), &sink);
        } else {
            scan_left(cli, jobs, own, &cli->inputs.items[i], &sink);
        }
        pg_scan_jobs_done(jobs, i);
        end_input(cli, i);
    }
    pg_scan_jobs_finish(jobs, scanner);
    pg_scanner_merge(scanner, own);
    pg_scanner_free(own);
    return true;
}

/* Expired and unused exemptions, reported against the policy file. */
static void finish_policies(struct scan_cli *cli, struct pg_scanner *scanner)
{
    const struct pg_scan_sink sink = {on_result, on_diag, cli};
    if (pg_scanner_finish(scanner, &sink) > 0) {
        pg_report_end_source(cli->writer, cli->policy_path);
    }
}

static int run_scan(struct scan_cli *cli)
{
    struct pg_scanner *scanner = NULL;
    struct pg_error err;
    int exit_code = PG_EXIT_OK;
    if (pg_scanner_new(&scanner, &cli->scan, &err) != 0 ||
        pg_report_new(&cli->writer, &cli->report, &err) != 0) {
        (void)fprintf(stderr, "podgate scan: %s\n", err.message);
        pg_scanner_free(scanner);
        return PG_EXIT_USAGE;
    }
    pg_progress_start(&cli->progress, stderr);
    cli->stdout_is_terminal = isatty(fileno(stdout)) == 1;
    if ((!cli->scan.has_level || cli->scan.policies != NULL) &&
        (learning_threads(cli) < 2 || !learn_pass_parallel(cli, scanner))) {
        learn_pass(cli, scanner);
    }
    /* A streamed stdin learns Namespaces as it is scanned, for the inputs after it: in order. */
    if (cli->jobs < 2 || learns_inline(cli) || !scan_pass_parallel(cli, scanner)) {
        scan_pass(cli, scanner);
    }
    pg_progress_clear(&cli->progress);
    finish_policies(cli, scanner);
    pg_report_finish(cli->writer, pg_scanner_stats(scanner));
    cli->io_error =
        cli->io_error || !flush_output(cli) || pg_report_failed(cli->writer) || fflush(stdout) != 0;
    if (cli->io_error) {
        (void)fprintf(stderr, "podgate scan: writing the report failed\n");
    }
    if (cli->io_error || pg_scanner_stats(scanner)->errors > 0) {
        exit_code = PG_EXIT_USAGE;
    } else if (cli->failed_threshold) {
        exit_code = PG_EXIT_VIOLATIONS;
    }
    pg_report_free(cli->writer);
    pg_scanner_free(scanner);
    return exit_code;
}

int pg_cmd_scan(int argc, char **argv)
{
    struct scan_cli cli;
    int rc = 0;
    memset(&cli, 0, sizeof(cli));
    pg_scan_options_default(&cli.scan);
    cli.report.format = PG_REPORT_TEXT;
    cli.report.tool_version = PG_VERSION;
    cli.fail_on = FAIL_ON_ENFORCE;
    cli.jobs = online_cpus();
    rc = parse_args(&cli, argc, argv);
    if (rc < 0 && cli.now_text == NULL) {
        (void)pg_cli_today(&cli.scan.today, NULL);
    }
    if (rc < 0 && cli.policy_path != NULL &&
        pg_cli_load_policies(&cli.policies, "scan", cli.policy_path) != 0) {
        rc = PG_EXIT_USAGE;
    }
    if (rc < 0) {
        cli.scan.policies = cli.policies;
        rc = set_report_context(&cli);
    }
    if (rc < 0) {
        rc = run_scan(&cli);
    }
    pg_policy_set_free(cli.policies);
    free(cli.stdin_data);
    pg_inputs_release(&cli.inputs);
    return rc;
}
