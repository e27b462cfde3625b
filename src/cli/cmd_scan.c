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
#include "stream.h"

#include "podgate/report.h"
#include "podgate/scan.h"

#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Standard input up to this size is read whole (two passes: Namespace labels anywhere in it
   apply); beyond it, it is scanned as a stream with flat memory. */
#define STREAM_THRESHOLD ((size_t)16 * 1024 * 1024)
#define STREAM_BLOCK ((size_t)1024 * 1024)

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
    struct pg_inputs inputs;
    bool stdin_used;
    bool stdin_streams; /* larger than STREAM_THRESHOLD: scanned as a stream */
    char *stdin_data;
    size_t stdin_len;
    size_t stdin_cap;
    struct pg_report *writer;
    bool failed_threshold;
    bool io_error;
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
    "  -o, --output FORMAT      text (default) or json\n"
    "      --level LEVEL[:VER]  judge every workload at this policy (enforce), ignoring\n"
    "                           Namespace labels; e.g. restricted, baseline:v1.30\n"
    "                           (default: Namespace labels in the input, else restricted:latest)\n"
    "      --fail-on MODE       enforce (default), warn, audit or never: which findings\n"
    "                           make the exit code 1\n"
    "      --no-defaults        do not apply API-server defaulting before judging\n"
    "      --input-format FMT   auto (default), yaml or json\n"
    "      --color WHEN         auto (default), always or never\n"
    "  -h, --help               show this help\n"
    "\n" PG_LIMIT_FLAGS_USAGE "\n"
    "exit codes: 0 no findings at the --fail-on threshold, 1 findings at the threshold,\n"
    "2 usage error or some input could not be read (everything readable is still reported)\n";

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

enum long_only {
    OPT_LEVEL = 256,
    OPT_FAIL_ON,
    OPT_NO_DEFAULTS,
    OPT_INPUT_FORMAT,
    OPT_COLOR,
};

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
        pg_inputs_add_path(&cli->inputs, optarg);
        return 0;
    case 'R':
        return 0;
    case 'o':
        if (pg_report_format_parse(&cli->report.format, optarg) != 0 ||
            cli->report.format == PG_REPORT_SARIF || cli->report.format == PG_REPORT_JUNIT) {
            return usage_error("unknown output format '%s' (want text or json)", optarg);
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
        {"level", required_argument, NULL, OPT_LEVEL},
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"no-defaults", no_argument, NULL, OPT_NO_DEFAULTS},
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"color", required_argument, NULL, OPT_COLOR},
        PG_LIMIT_FLAGS_OPTIONS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *color_mode = "auto";
    int opt = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:Ro:h", LONG_OPTIONS, NULL)) != -1) {
        int rc = 0;
        if (opt == 'h') {
            (void)fputs(USAGE, stdout);
            return PG_EXIT_OK;
        }
        rc = parse_option(cli, opt, &color_mode);
        if (rc != 0) {
            return rc;
        }
    }
    for (int i = optind; i < argc; i++) {
        pg_inputs_add_path(&cli->inputs, argv[i]);
    }
    if (cli->inputs.len == 0) {
        return usage_error("%s", "no input: give files, directories, or - for stdin");
    }
    cli->report.color =
        cli->report.format == PG_REPORT_TEXT && pg_cli_use_color(stdout, color_mode);
    return -1;
}

static bool flush_output(struct scan_cli *cli)
{
    struct pg_str out = pg_report_output(cli->writer);
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

/* Read one input; stdin is read once and kept, since both passes need it. */
static int load(struct scan_cli *cli, const struct pg_input *input, char **data, size_t *len,
                char *error, size_t error_size)
{
    if (input->error != NULL) {
        (void)snprintf(error, error_size, "cannot read: %s", input->error);
        return -1;
    }
    if (strcmp(input->path, "-") != 0) {
        return pg_cli_read_file(data, len, input->path, cli->scan.limits.max_input_bytes, error,
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
        (void)snprintf(error, error_size, "standard input can be read only once");
        return -1;
    }
    *data = cli->stdin_data;
    *len = cli->stdin_len;
    return 0;
}

static bool flush_output(struct scan_cli *cli);

/* Scan a large stdin in parts cut at document boundaries; stdin_data holds the start. */
static void scan_stream(struct scan_cli *cli, struct pg_scanner *scanner,
                        const struct pg_scan_sink *sink)
{
    enum pg_doc_format format = cli->scan.format != PG_FORMAT_AUTO
                                    ? cli->scan.format
                                    : pg_stream_detect_format(cli->stdin_data, cli->stdin_len);
    size_t max_part = cli->scan.limits.max_document_bytes + STREAM_BLOCK;
    uint32_t line = 1;
    size_t index = 0;
    bool eof = false;
    bool skipping = false;
    pg_scanner_count_source(scanner);
    while (!eof || cli->stdin_len > 0) {
        size_t cut = 0;
        if (!eof) {
            if (cli->stdin_cap - cli->stdin_len < STREAM_BLOCK) {
                cli->stdin_cap = cli->stdin_len + STREAM_BLOCK;
                cli->stdin_data = pg_xrealloc(cli->stdin_data, cli->stdin_cap, 1);
            }
            size_t got = fread(cli->stdin_data + cli->stdin_len, 1, STREAM_BLOCK, stdin);
            cli->stdin_len += got;
            eof = got == 0;
            if (eof && ferror(stdin)) {
                pg_scanner_report_error_at(scanner, "-", index, line, "standard input: read error",
                                           sink);
            }
        }
        cut = eof ? cli->stdin_len : pg_stream_find_cut(cli->stdin_data, cli->stdin_len, format);
        if (cut == 0 && cli->stdin_len > max_part && !skipping) {
            /* One document larger than the limit: report it and drop it up to the next cut. */
            pg_scanner_report_error_at(scanner, "-", index, line,
                                       "document larger than max_document_bytes", sink);
            skipping = true;
        }
        if (skipping && cut == 0) {
            cut = cli->stdin_len > 4 ? cli->stdin_len - 4 : 0;
        } else if (skipping) {
            skipping = false;
            index++;
        } else if (cut > 0) {
            index = pg_scanner_scan_part(scanner, "-", cli->stdin_data, cut, line, index, sink);
        }
        for (const char *p = cli->stdin_data;
             (p = memchr(p, '\n', (size_t)(cli->stdin_data + cut - p))) != NULL; p++) {
            line++;
        }
        memmove(cli->stdin_data, cli->stdin_data + cut, cli->stdin_len - cut);
        cli->stdin_len -= cut;
        if (!flush_output(cli)) {
            cli->io_error = true;
            return;
        }
    }
}

static void release(const struct scan_cli *cli, char *data)
{
    if (data != cli->stdin_data) {
        free(data);
    }
}

static void learn_pass(struct scan_cli *cli, struct pg_scanner *scanner)
{
    char error[512];
    for (size_t i = 0; i < cli->inputs.len; i++) {
        char *data = NULL;
        size_t len = 0;
        if (load(cli, &cli->inputs.items[i], &data, &len, error, sizeof(error)) == 0 &&
            !(data == cli->stdin_data && cli->stdin_streams)) {
            pg_scanner_learn_namespaces(scanner, data, len);
        }
        if (data != NULL) {
            release(cli, data);
        }
    }
}

static void scan_pass(struct scan_cli *cli, struct pg_scanner *scanner)
{
    const struct pg_scan_sink sink = {on_result, on_diag, cli};
    char error[512];
    for (size_t i = 0; i < cli->inputs.len && !cli->io_error; i++) {
        const struct pg_input *input = &cli->inputs.items[i];
        char *data = NULL;
        size_t len = 0;
        if (load(cli, input, &data, &len, error, sizeof(error)) != 0) {
            pg_scanner_report_error(scanner, input->path, error, &sink);
        } else if (data == cli->stdin_data && cli->stdin_streams) {
            /* No learning pass saw a streamed stdin: learn its Namespaces as they come. */
            pg_scanner_set_learn_inline(scanner, !cli->scan.has_level);
            scan_stream(cli, scanner, &sink);
            pg_scanner_set_learn_inline(scanner, false);
        } else {
            pg_scanner_scan(scanner, input->path, data, len, &sink);
            release(cli, data);
        }
        pg_report_end_source(cli->writer, input->path);
        cli->io_error = !flush_output(cli);
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
    if (!cli->scan.has_level) {
        learn_pass(cli, scanner);
    }
    scan_pass(cli, scanner);
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
    rc = parse_args(&cli, argc, argv);
    if (rc < 0) {
        rc = run_scan(&cli);
    }
    free(cli.stdin_data);
    pg_inputs_release(&cli.inputs);
    return rc;
}
