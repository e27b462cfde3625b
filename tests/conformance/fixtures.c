/* SPDX-License-Identifier: Apache-2.0 */
#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct expectation {
    const char *check;
    const char *substring;
};

/* Upstream test/run.go: the error substring each check's fail fixtures must produce. */
static const struct expectation SUBSTRINGS[] = {
    {"allowPrivilegeEscalation", "allowPrivilegeEscalation"},
    {"appArmorProfile", "forbidden AppArmor profile"},
    {"capabilities_baseline", "capabilities"},
    {"capabilities_restricted", "unrestricted capabilities"},
    {"hostNamespaces", "host namespaces"},
    {"hostPathVolumes", "hostPath"},
    {"hostPorts", "hostPort"},
    {"hostProbesAndHostLifecycle", "probe or lifecycle host"},
    {"privileged", "privileged"},
    {"procMount", "procMount"},
    {"procMount_restricted", "procMount"},
    {"restrictedVolumes", "restricted volume types"},
    {"runAsNonRoot", "runAsNonRoot"},
    {"runAsUser", "runAsUser"},
    {"seLinuxOptions", "seLinuxOptions"},
    {"seccompProfile_baseline", "seccompProfile"},
    {"seccompProfile_restricted", "seccompProfile"},
    {"sysctls", "forbidden sysctl"},
    {"windowsHostProcess", "hostProcess"},
};

const char *fixture_substring_for(const char *check)
{
    for (size_t i = 0; i < sizeof(SUBSTRINGS) / sizeof(SUBSTRINGS[0]); i++) {
        if (strcmp(SUBSTRINGS[i].check, check) == 0) {
            return SUBSTRINGS[i].substring;
        }
    }
    return NULL;
}

char *fixture_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long size = 0;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        (void)fclose(f);
        return NULL;
    }
    data = malloc((size_t)size + 1);
    if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        data = NULL;
    }
    if (data != NULL) {
        data[size] = '\0';
    }
    (void)fclose(f);
    *len = (size_t)size;
    return data;
}

int fixture_index_open(struct fixture_index *index, const char *root)
{
    char path[4096];
    (void)snprintf(path, sizeof(path), "%s/index.tsv", root);
    index->file = fopen(path, "r");
    if (index->file == NULL) {
        return -1;
    }
    if (fgets(index->line, sizeof(index->line), index->file) == NULL) { /* header */
        fixture_index_close(index);
        return -1;
    }
    return 0;
}

int fixture_index_next(struct fixture_row *out, struct fixture_index *index)
{
    char *fields[5];
    char *cursor = index->line;
    if (fgets(index->line, sizeof(index->line), index->file) == NULL) {
        return 0;
    }
    for (int i = 0; i < 5; i++) {
        fields[i] = cursor;
        cursor = strchr(cursor, i < 4 ? '\t' : '\n');
        if (cursor == NULL && i < 4) {
            return -1;
        }
        if (cursor != NULL) {
            *cursor++ = '\0';
        }
    }
    out->path = fields[0];
    out->level = fields[1];
    out->version = fields[2];
    out->want_pass = strcmp(fields[3], "pass") == 0;
    out->check = fields[4];
    return 1;
}

void fixture_index_close(struct fixture_index *index)
{
    if (index->file != NULL) {
        (void)fclose(index->file);
    }
    index->file = NULL;
}
