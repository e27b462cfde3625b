/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field paths of report locations: the path of a node below an object's root
 * and the path of a container, written into fixed buffers that keep a
 * NUL-terminated prefix when the path does not fit.
 */
#include "harness.h"

#include "doc/doc_test_util.h"
#include "podgate/pod.h"
#include "podgate/workload.h"
#include "scan/locate.h"

static const char POD[] = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                          "spec:\n  containers:\n  - name: a\n  - name: b\n"
                          "    ports: [{containerPort: 80}, {containerPort: 81, hostPort: 81}]\n"
                          "  initContainers:\n  - name: i\n"
                          "  volumes:\n  - name: v\n    \"a\\0b\": {hostPath: {path: /x}}\n";

static void test_locate_writes_keys_and_list_indexes(void)
{
    struct docs docs;
    char path[256];
    const struct pg_node *root = NULL;
    read_docs(&docs, POD, PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT(pg_locate_path(path, sizeof(path), root, node_at(root, "spec.containers.1.ports.1")));
    PG_EXPECT_STR(path, "spec.containers[1].ports[1]");
    PG_EXPECT(pg_locate_path(path, sizeof(path), root, root));
    PG_EXPECT_STR(path, "");
    PG_EXPECT(!pg_locate_path(path, sizeof(path), node_at(root, "metadata"),
                              node_at(root, "spec.containers.0")));
    PG_EXPECT_STR(path, "");
    free_docs(&docs);
}

static void test_locate_cuts_keys_at_nul_and_paths_at_the_buffer(void)
{
    struct docs docs;
    char path[256];
    char small[12];
    const struct pg_node *root = NULL;
    const struct pg_node *volume = NULL;
    read_docs(&docs, POD, PG_FORMAT_YAML);
    root = root_of(&docs);
    volume = node_at(root, "spec.volumes.0");
    PG_EXPECT(volume != NULL && volume->as.map.len == 2);
    /* The key "a\0b" reads as "a" in a C string path; later segments still follow it. */
    PG_EXPECT(pg_locate_path(path, sizeof(path), root,
                             pg_node_get(volume->as.map.entries[1].value, "hostPath")));
    PG_EXPECT_STR(path, "spec.volumes[0].a.hostPath");
    PG_EXPECT(
        pg_locate_path(small, sizeof(small), root, node_at(root, "spec.containers.1.ports.1")));
    PG_EXPECT_STR(small, "spec.contai");
    PG_EXPECT(pg_locate_path(small, 9, root, node_at(root, "spec.containers.1")));
    PG_EXPECT_STR(small, "spec.con");
    PG_EXPECT(pg_locate_path(small, 6, root, node_at(root, "spec.containers.1")));
    PG_EXPECT_STR(small, "spec.");
    free_docs(&docs);
}

static void test_container_path_names_the_list_and_keeps_a_prefix(void)
{
    struct docs docs;
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_pod_options options = {true, true};
    struct pg_error err;
    char path[64];
    char small[10];
    read_docs(&docs, POD, PG_FORMAT_YAML);
    PG_EXPECT_INT(pg_workload_identify(&workload, root_of(&docs), &err), 1);
    PG_EXPECT_INT(pg_pod_extract(&pod, docs.doc[0]->arena, workload.pod_metadata, workload.pod_spec,
                                 workload.spec_path, &options, NULL, &err),
                  0);
    PG_EXPECT_INT(pod.containers_len, 3);
    PG_EXPECT_INT(pg_pod_container_path(path, sizeof(path), &pod, 0), 22);
    PG_EXPECT_STR(path, "spec.initContainers[0]");
    PG_EXPECT_INT(pg_pod_container_path(path, sizeof(path), &pod, 2), 18);
    PG_EXPECT_STR(path, "spec.containers[1]");
    PG_EXPECT_INT(pg_pod_container_path(path, sizeof(path), &pod, 7), 4);
    PG_EXPECT_STR(path, "spec");
    /* Like snprintf: the full length comes back, the buffer holds what fits. */
    PG_EXPECT_INT(pg_pod_container_path(small, sizeof(small), &pod, 2), 18);
    PG_EXPECT_STR(small, "spec.cont");
    free_docs(&docs);
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_locate_writes_keys_and_list_indexes)
                 PG_TEST_ENTRY(test_locate_cuts_keys_at_nul_and_paths_at_the_buffer)
                     PG_TEST_ENTRY(test_container_path_names_the_list_and_keeps_a_prefix))
