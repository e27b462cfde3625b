/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Baseline for the scan benchmark: a bare libyaml event parse of a file,
 * nothing else. `podgate scan` throughput is compared against this.
 *
 *   yaml_baseline FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv)
{
    yaml_parser_t parser;
    yaml_event_t event;
    FILE *input = NULL;
    size_t events = 0;
    int done = 0;
    if (argc != 2 || (input = fopen(argv[1], "rb")) == NULL) {
        (void)fprintf(stderr, "usage: yaml_baseline FILE\n");
        return 2;
    }
    if (!yaml_parser_initialize(&parser)) {
        return 2;
    }
    yaml_parser_set_input_file(&parser, input);
    while (!done) {
        if (!yaml_parser_parse(&parser, &event)) {
            (void)fprintf(stderr, "parse error: %s\n", parser.problem);
            break;
        }
        done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
    }
    yaml_parser_delete(&parser);
    (void)fclose(input);
    printf("%zu events\n", events);
    return done ? 0 : 1;
}
