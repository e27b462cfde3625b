/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the webhook's kubeconfig reader (src/server/kubeconfig.c):
 * read the input as a kubeconfig held in /fuzz, release the result, print
 * nothing. Never touches the file system or the network.
 */
#include "server/server.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_kube_config config;
    struct pg_error err;
    if (pg_kube_config_parse(&config, (const char *)data, size, "/fuzz", &err) == 0) {
        pg_kube_config_release(&config);
    }
    return 0;
}
