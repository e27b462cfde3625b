/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reader throughput: reads every file named on the command line with the doc
 * reader, and (for YAML) with a bare libyaml event loop as the yardstick, and
 * prints MB/s for both. Usage: doc_bench [--json] [--repeat N] FILE...
 */
#include "podgate/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

struct input {
    char *data;
    size_t len;
};

static double now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0.0;
    }
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load(struct input *out, const char *path)
{
    FILE *file = fopen(path, "rb");
    long size = 0;
    int rc = -1;
    out->data = NULL;
    if (file == NULL) {
        return -1;
    }
    if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 &&
        fseek(file, 0, SEEK_SET) == 0) {
        out->data = malloc((size_t)size + 1);
        out->len = (size_t)size;
        if (out->data != NULL && fread(out->data, 1, out->len, file) == out->len) {
            rc = 0;
        }
    }
    (void)fclose(file);
    return rc;
}

/* Events of a bare libyaml parse: the cost floor for the YAML reader. */
static size_t libyaml_events(const struct input *input)
{
    yaml_parser_t parser;
    yaml_event_t event;
    size_t count = 0;
    bool done = false;
    if (!yaml_parser_initialize(&parser)) {
        return 0;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)input->data, input->len);
    while (!done && yaml_parser_parse(&parser, &event)) {
        done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        count++;
    }
    yaml_parser_delete(&parser);
    return count;
}

static size_t read_all(const struct input *input, enum pg_doc_format format)
{
    struct pg_doc_reader *reader = NULL;
    struct pg_error err;
    size_t count = 0;
    int rc = 0;
    if (pg_doc_reader_new(&reader, input->data, input->len, format, NULL, &err) < 0) {
        return 0;
    }
    do {
        struct pg_doc *doc = NULL;
        rc = pg_doc_reader_next(reader, &doc, NULL, &err);
        count += rc > 0;
        pg_doc_free(doc);
    } while (rc != 0);
    pg_doc_reader_free(reader);
    return count;
}

int main(int argc, char **argv)
{
    struct input *inputs = calloc((size_t)argc, sizeof(*inputs));
    enum pg_doc_format format = PG_FORMAT_YAML;
    size_t count = 0;
    size_t bytes = 0;
    size_t docs = 0;
    long repeat = 5;
    double start = 0.0;
    double reader_time = 0.0;
    double libyaml_time = 0.0;
    int i = 0;
    long r = 0;
    for (i = 1; inputs != NULL && i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            format = PG_FORMAT_JSON;
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = strtol(argv[++i], NULL, 10);
        } else if (load(&inputs[count], argv[i]) == 0) {
            bytes += inputs[count++].len;
        } else {
            (void)fprintf(stderr, "doc_bench: cannot read %s\n", argv[i]);
        }
    }
    if (count == 0 || repeat < 1) {
        (void)fprintf(stderr, "usage: doc_bench [--json] [--repeat N] FILE...\n");
        return 2;
    }
    for (r = 0; r < repeat; r++) {
        size_t k = 0;
        start = now();
        for (k = 0; k < count; k++) {
            docs += read_all(&inputs[k], format);
        }
        reader_time += now() - start;
        start = now();
        for (k = 0; format == PG_FORMAT_YAML && k < count; k++) {
            (void)libyaml_events(&inputs[k]);
        }
        libyaml_time += now() - start;
    }
    printf("%zu files, %zu bytes, %zu documents per run\n", count, bytes, docs / (size_t)repeat);
    printf("reader:  %.1f MB/s\n", (double)bytes * (double)repeat / 1e6 / reader_time);
    if (format == PG_FORMAT_YAML) {
        printf("libyaml: %.1f MB/s (events only; reader/libyaml = %.2f)\n",
               (double)bytes * (double)repeat / 1e6 / libyaml_time, libyaml_time / reader_time);
    }
    for (i = 0; (size_t)i < count; i++) {
        free(inputs[i].data);
    }
    free(inputs);
    return 0;
}
