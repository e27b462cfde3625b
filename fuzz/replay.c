/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stand-alone driver for fuzz targets: runs LLVMFuzzerTestOneInput on every
 * file named on the command line, and on every regular file in every directory
 * named there, so that ordinary builds replay the corpus as a test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    uint8_t *data = NULL;
    long size = 0;
    int rc = 1;
    if (file == NULL) {
        (void)fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    if (fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 ||
        fseek(file, 0, SEEK_SET) != 0) {
        (void)fprintf(stderr, "replay: cannot size %s\n", path);
        goto cleanup;
    }
    data = malloc((size_t)size + 1);
    if (data == NULL || fread(data, 1, (size_t)size, file) != (size_t)size) {
        (void)fprintf(stderr, "replay: cannot read %s\n", path);
        goto cleanup;
    }
    (void)LLVMFuzzerTestOneInput(data, (size_t)size);
    rc = 0;
cleanup:
    free(data);
    (void)fclose(file);
    return rc;
}

static int run_directory(const char *path, int *count)
{
    DIR *dir = opendir(path);
    struct dirent *entry = NULL;
    int failures = 0;
    if (dir == NULL) {
        (void)fprintf(stderr, "replay: cannot open directory %s\n", path);
        return 1;
    }
    while ((entry = readdir(dir)) != NULL) {
        char child[4096];
        struct stat info;
        int written = snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
        if (written < 0 || (size_t)written >= sizeof(child)) {
            failures++;
            continue;
        }
        if (stat(child, &info) != 0 || !S_ISREG(info.st_mode)) {
            continue;
        }
        failures += run_file(child);
        (*count)++;
    }
    (void)closedir(dir);
    return failures;
}

int main(int argc, char **argv)
{
    int failures = 0;
    int count = 0;
    int i = 0;
    for (i = 1; i < argc; i++) {
        struct stat info;
        if (stat(argv[i], &info) != 0) {
            (void)fprintf(stderr, "replay: no such file %s\n", argv[i]);
            failures++;
        } else if (S_ISDIR(info.st_mode)) {
            failures += run_directory(argv[i], &count);
        } else {
            failures += run_file(argv[i]);
            count++;
        }
    }
    printf("replayed %d inputs, %d unreadable\n", count, failures);
    return failures == 0 && count > 0 ? 0 : 1;
}
