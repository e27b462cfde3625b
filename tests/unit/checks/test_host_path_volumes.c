/* SPDX-License-Identifier: Apache-2.0 */
/* hostPathVolumes (spec §3.6). */
#include "harness.h"

#include "checks/pod_builder.h"

static void test_host_path_volumes_lists_volumes_in_array_order(void)
{
    struct pb b;
    pb_init(&b);
    pb_volume(&b, "a", PG_VOL_HOST_PATH);
    pb_volume(&b, "b", PG_VOL_HOST_PATH);
    pb_volume(&b, "c", PG_VOL_EMPTY_DIR);
    PG_EXPECT(
        pb_forbids(&b, PG_CHECK_HOST_PATH_VOLUMES, 0, "hostPath volumes", "volumes \"a\", \"b\""));
}

static void test_host_path_volumes_single_volume_is_singular(void)
{
    struct pb b;
    pb_init(&b);
    pb_volume(&b, "z", PG_VOL_EMPTY_DIR);
    pb_volume(&b, "data", PG_VOL_HOST_PATH);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_HOST_PATH_VOLUMES, PG_MAX_MINOR, "hostPath volumes",
                         "volume \"data\""));
}

static void test_host_path_volumes_points_at_host_path_node(void)
{
    struct pb b;
    struct pg_findings findings;
    struct pg_volume *volume = NULL;
    pb_init(&b);
    volume = pb_volume(&b, "data", PG_VOL_HOST_PATH);
    pg_findings_init(&findings);
    pg_evaluate_checks(&findings, &b.pod, (pg_check_set)1u << PG_CHECK_HOST_PATH_VOLUMES, 0);
    PG_EXPECT_INT(findings.len, 1);
    PG_EXPECT(findings.items[0].node == volume->host_path);
    PG_EXPECT_PGSTR(findings.items[0].name, "data");
    pg_findings_release(&findings);
}

static void test_host_path_volumes_allows_other_sources(void)
{
    struct pb b;
    pb_init(&b);
    pb_volume(&b, "a", PG_VOL_NFS);
    pb_volume(&b, "b", PG_VOL_SECRET);
    PG_EXPECT(pb_allows(&b, PG_CHECK_HOST_PATH_VOLUMES, 0));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_host_path_volumes_lists_volumes_in_array_order)                             \
    PG_TEST_ENTRY(test_host_path_volumes_single_volume_is_singular)                                \
    PG_TEST_ENTRY(test_host_path_volumes_points_at_host_path_node)                                 \
    PG_TEST_ENTRY(test_host_path_volumes_allows_other_sources)

PG_TEST_MAIN(TESTS)
