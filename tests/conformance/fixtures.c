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
