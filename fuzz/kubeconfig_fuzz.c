/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the kubeconfig reader (src/server/kubeconfig.c): read the
 * input as a kubeconfig held in /fuzz, by its current-context and by a
 * context named `fuzz`, release the results, print nothing. Never touches
 * the file system or the network.
 */
#include "server/server.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_kube_config config;
    struct pg_error err;
    if (pg_kube_config_parse(&config, (const char *)data, size, "/fuzz", NULL, &err) == 0) {
        pg_kube_config_release(&config);
    }
    /* A context named on the command line (`--context`) instead of current-context. */
    if (pg_kube_config_parse(&config, (const char *)data, size, "/fuzz", "fuzz", &err) == 0) {
        pg_kube_config_release(&config);
    }
    return 0;
}
