/* SPDX-License-Identifier: Apache-2.0 */
/* windowsHostProcess (spec §3.19). */
#include "harness.h"

#include "checks/pod_builder.h"

#define CHECK PG_CHECK_WINDOWS_HOST_PROCESS

static void test_windows_host_process_names_pod_and_containers(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_BOOL(&b, sc.host_process, true);
    pb_container(&b, "a");
    pb_sc(&b, pb_container(&b, "b"));
    pb_sc(&b, pb_container(&b, "c")); /* windowsOptions {} leaves hostProcess unset */
    PB_C_BOOL(&b, pb_container(&b, "d"), sc.host_process, false);
    PB_C_BOOL(&b, pb_container(&b, "e"), sc.host_process, true);
    PB_C_BOOL(&b, pb_container(&b, "f"), sc.host_process, true);
    PG_EXPECT(pb_forbids(&b, CHECK, 0, "hostProcess",
                         "pod and containers \"e\", \"f\" must not set "
                         "securityContext.windowsOptions.hostProcess=true"));
}

static void test_windows_host_process_has_no_windows_exemption(void)
{
    struct pb b;
    pb_init(&b);
    pb_os(&b, "windows");
    PB_C_BOOL(&b, pb_container(&b, "w"), sc.host_process, true);
    PG_EXPECT(pb_forbids(&b, CHECK, PG_MAX_MINOR, "hostProcess",
                         "container \"w\" must not set "
                         "securityContext.windowsOptions.hostProcess=true"));
}

static void test_windows_host_process_allows_false(void)
{
    struct pb b;
    pb_init(&b);
    PB_POD_BOOL(&b, sc.host_process, false);
    PB_C_BOOL(&b, pb_container(&b, "a"), sc.host_process, false);
    PG_EXPECT(pb_allows(&b, CHECK, 0));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_windows_host_process_names_pod_and_containers)                              \
    PG_TEST_ENTRY(test_windows_host_process_has_no_windows_exemption)                              \
    PG_TEST_ENTRY(test_windows_host_process_allows_false)

PG_TEST_MAIN(TESTS)
