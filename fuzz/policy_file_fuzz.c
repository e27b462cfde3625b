/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the podgate Policy file loader (pg_policy_set_load): load
 * the input, walk the policies, free everything, print nothing.
 */
#include "podgate/custom_policy.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_policy_set *set = NULL;
    struct pg_error err;
    const struct pg_str name = {"payments", 8};
    size_t i = 0;
    if (pg_policy_set_load(&set, (const char *)data, size, "fuzz.yaml", &err) != 0) {
        return 0;
    }
    for (i = 0; i < pg_policy_set_len(set); i++) {
        (void)pg_policy_set_get(set, i);
    }
    (void)pg_policy_set_find(set, name);
    (void)pg_policy_set_exemptions_total(set);
    pg_policy_set_free(set);
    return 0;
}
