/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the JSON document reader: read every document of the
 * input (errors included, as a caller would), free everything, print nothing.
 * The body is doc_fuzz_common.h's, shared with the other document format.
 */
#include "doc_fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return doc_fuzz_read_all(data, size, PG_FORMAT_JSON);
}
