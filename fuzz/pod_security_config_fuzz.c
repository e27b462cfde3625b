/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the PodSecurityConfiguration reader: parse the input (YAML
 * or JSON), query the result as the webhook would, free everything, print
 * nothing.
 */
#include "podgate/admission.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_admission_config *config = NULL;
    struct pg_error err;
    const struct pg_str name = {"kube-system", 11};
    if (pg_admission_config_parse(&config, (const char *)data, size, &err) != 0) {
        return 0;
    }
    (void)pg_admission_config_defaults(config);
    (void)pg_admission_config_exempt(config, PG_EXEMPT_USERNAMES, name);
    (void)pg_admission_config_exempt(config, PG_EXEMPT_NAMESPACES, name);
    (void)pg_admission_config_exempt(config, PG_EXEMPT_RUNTIME_CLASSES, name);
    pg_admission_config_free(config);
    return 0;
}
