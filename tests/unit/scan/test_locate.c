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

/* The path of `target`, found both by the walk alone (no document) and guided by positions. */
static bool path_is(const struct pg_doc *doc, size_t size, const struct pg_node *root,
                    const struct pg_node *target, const char *want)
{
    char walked[256];
    char guided[256];
    bool found = pg_locate_path(walked, size, NULL, root, target);
    bool ok = pg_locate_path(guided, size, doc, root, target) == found &&
              strcmp(walked, want) == 0 && strcmp(guided, want) == 0;
    if (!ok) {
        printf("#   walked %s guided %s want %s\n", walked, guided, want);
    }
    return ok;
}

static void test_locate_writes_keys_and_list_indexes(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, POD, PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT(!docs.doc[0]->shared_nodes);
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "spec.containers.1.ports.1"),
                      "spec.containers[1].ports[1]"));
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "spec.containers.1.ports.1.hostPort"),
                      "spec.containers[1].ports[1].hostPort"));
    PG_EXPECT(path_is(docs.doc[0], 256, root, root, ""));
    PG_EXPECT(path_is(docs.doc[0], 256, node_at(root, "metadata"),
                      node_at(root, "spec.containers.0"), ""));
    free_docs(&docs);
}

static void test_locate_cuts_keys_at_nul_and_paths_at_the_buffer(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    const struct pg_node *volume = NULL;
    read_docs(&docs, POD, PG_FORMAT_YAML);
    root = root_of(&docs);
    volume = node_at(root, "spec.volumes.0");
    PG_EXPECT(volume != NULL && volume->as.map.len == 2);
    /* The key "a\0b" reads as "a" in a C string path; later segments still follow it. */
    PG_EXPECT(path_is(docs.doc[0], 256, root,
                      pg_node_get(volume->as.map.entries[1].value, "hostPath"),
                      "spec.volumes[0].a.hostPath"));
    PG_EXPECT(
        path_is(docs.doc[0], 12, root, node_at(root, "spec.containers.1.ports.1"), "spec.contai"));
    PG_EXPECT(path_is(docs.doc[0], 9, root, node_at(root, "spec.containers.1"), "spec.con"));
    PG_EXPECT(path_is(docs.doc[0], 6, root, node_at(root, "spec.containers.1"), "spec."));
    free_docs(&docs);
}

/* Positions out of document order (a duplicate key's value, merged entries) and flow style. */
static void test_locate_finds_nodes_whose_positions_are_out_of_order(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs,
              "a: {x: 1}\nb: [1, {y: [2, 3]}]\nc: {<<: {m: 1, n: {z: 4}}, k: 5}\n"
              "a: {w: 6}\nd: {p: 7}\n",
              PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT(!docs.doc[0]->shared_nodes);
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "a.w"), "a.w"));
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "b.1.y.1"), "b[1].y[1]"));
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "c.n.z"), "c.n.z"));
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "c.k"), "c.k"));
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "d.p"), "d.p"));
    free_docs(&docs);
}

/* With aliases a node has several paths: the first one in document order is the answer. */
static void test_locate_through_aliases_gives_the_first_path(void)
{
    struct docs docs;
    const struct pg_node *root = NULL;
    read_docs(&docs, "b: [0, &s {k: v}]\na: {l: *s}\nc: *s\n", PG_FORMAT_YAML);
    root = root_of(&docs);
    PG_EXPECT(root != NULL);
    PG_EXPECT(docs.doc[0]->shared_nodes);
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "c.k"), "b[1].k"));
    PG_EXPECT(path_is(docs.doc[0], 256, root, node_at(root, "a.l"), "b[1]"));
    free_docs(&docs);
}

static void test_container_path_names_the_list_and_keeps_a_prefix(void)
{
    struct docs docs;
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_pod_options options = {true, true, false};
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

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_locate_writes_keys_and_list_indexes)                                        \
    PG_TEST_ENTRY(test_locate_cuts_keys_at_nul_and_paths_at_the_buffer)                            \
    PG_TEST_ENTRY(test_locate_finds_nodes_whose_positions_are_out_of_order)                        \
    PG_TEST_ENTRY(test_locate_through_aliases_gives_the_first_path)                                \
    PG_TEST_ENTRY(test_container_path_names_the_list_and_keeps_a_prefix)

PG_TEST_MAIN(TESTS)
