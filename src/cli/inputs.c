/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Expands the paths given to `scan` into a list of sources: files as named,
 * directories walked recursively for *.yaml, *.yml and *.json in byte order
 * of names, so output is deterministic.
 */
#include "inputs.h"

#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void add(struct pg_inputs *inputs, const char *path, const char *error)
{
    if (inputs->len == inputs->cap) {
        inputs->cap = inputs->cap ? inputs->cap * 2 : 16;
        inputs->items = pg_xrealloc(inputs->items, inputs->cap, sizeof(*inputs->items));
    }
    inputs->items[inputs->len].path = pg_xstrndup(path, strlen(path));
    inputs->items[inputs->len].error = error ? pg_xstrndup(error, strlen(error)) : NULL;
    inputs->len++;
}

static bool has_manifest_suffix(const char *name)
{
    static const char *const SUFFIXES[] = {".yaml", ".yml", ".json"};
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof(SUFFIXES) / sizeof(SUFFIXES[0]); i++) {
        size_t slen = strlen(SUFFIXES[i]);
        if (len > slen && strcmp(name + len - slen, SUFFIXES[i]) == 0) {
            return true;
        }
    }
    return false;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t dlen = strlen(dir);
    size_t nlen = strlen(name);
    bool slash = dlen > 0 && dir[dlen - 1] == '/';
    char *path = pg_xmalloc(dlen + nlen + 2);
    memcpy(path, dir, dlen);
    if (!slash) {
        path[dlen++] = '/';
    }
    memcpy(path + dlen, name, nlen + 1);
    return path;
}

static void walk(struct pg_inputs *inputs, const char *dir, size_t depth);

static void visit_entry(struct pg_inputs *inputs, const char *path, const char *name, size_t depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        add(inputs, path, strerror(errno));
        return;
    }
    if (S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        return; /* symlinked directories could loop; named ones are walked */
    }
    if (S_ISDIR(st.st_mode)) {
        if (strcmp(name, ".git") != 0) {
            walk(inputs, path, depth + 1);
        }
    } else if (has_manifest_suffix(name)) {
        /* A FIFO (or a link to one, or to /dev/zero) in a checked-out tree would hang or
           stream forever: a walk reads regular files only. Named paths are read as given. */
        add(inputs, path, S_ISLNK(st.st_mode) || S_ISREG(st.st_mode) ? NULL : "not a regular file");
    }
}

static void walk(struct pg_inputs *inputs, const char *dir, size_t depth)
{
    DIR *handle = NULL;
    struct dirent *entry = NULL;
    char **names = NULL;
    size_t len = 0;
    size_t cap = 0;
    if (depth > 64) {
        add(inputs, dir, "directory nesting deeper than 64");
        return;
    }
    handle = opendir(dir);
    if (handle == NULL) {
        add(inputs, dir, strerror(errno));
        return;
    }
    while ((entry = readdir(handle)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
            continue;
        }
        if (len == cap) {
            cap = cap ? cap * 2 : 32;
            names = pg_xrealloc(names, cap, sizeof(*names));
        }
        names[len++] = pg_xstrndup(entry->d_name, strlen(entry->d_name));
    }
    (void)closedir(handle);
    if (len > 0) {
        qsort(names, len, sizeof(*names), compare_names);
    }
    for (size_t i = 0; i < len; i++) {
        char *path = join(dir, names[i]);
        visit_entry(inputs, path, names[i], depth);
        free(path);
        free(names[i]);
    }
    free(names);
}

void pg_inputs_add_path(struct pg_inputs *inputs, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0) {
        add(inputs, path, NULL);
        return;
    }
    if (stat(path, &st) != 0) {
        add(inputs, path, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        walk(inputs, path, 0);
    } else {
        add(inputs, path, NULL);
    }
}

void pg_inputs_release(struct pg_inputs *inputs)
{
    for (size_t i = 0; i < inputs->len; i++) {
        free(inputs->items[i].path);
        free(inputs->items[i].error);
    }
    free(inputs->items);
    inputs->items = NULL;
    inputs->len = 0;
    inputs->cap = 0;
}
