/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pod extraction on hostile input: every field a check reads, given the wrong
 * type, is an error with its position and field path, never a guess that
 * could turn a rejected pod into an allowed one.
 */
#include "harness.h"

#include "doc/doc_test_util.h"
#include "doc/reader.h"
#include "podgate/pod.h"
#include "podgate/workload.h"

/*
 * A Pod whose spec is `spec` (YAML flow style), read with `options`; *run_as_user gets the
 * pod's runAsUser (-1 when unset).
 */
static int extract_with(struct pg_error *err, const char *kind_and_spec,
                        const struct pg_pod_options *options, int64_t *run_as_user)
{
    char text[1024];
    struct docs docs;
    struct pg_workload workload;
    struct pg_pod pod;
    int rc = 0;
    (void)snprintf(text, sizeof(text), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n%s\n",
                   kind_and_spec);
    pg_error_clear(err);
    read_docs(&docs, text, PG_FORMAT_YAML);
    if (docs.count != 1 || docs.rc[0] != 1) {
        *err = docs.err[0];
        free_docs(&docs);
        return docs.count == 1 ? docs.rc[0] : 99;
    }
    rc = pg_workload_identify(&workload, docs.doc[0]->root, err);
    if (rc == 1) {
        rc = pg_pod_extract(&pod, docs.doc[0]->arena, workload.pod_metadata, workload.pod_spec,
                            workload.spec_path, options, NULL, err);
    }
    *run_as_user = rc == 0 && pod.sc.run_as_user.node != NULL ? pod.sc.run_as_user.value : -1;
    free_docs(&docs);
    return rc;
}

/* Read as a scan reads it, without the whole-float rule: the type tests below see every float. */
static int extract(struct pg_error *err, const char *kind_and_spec)
{
    struct pg_pod_options options = {true, true, false};
    int64_t run_as_user = 0;
    return extract_with(err, kind_and_spec, &options, &run_as_user);
}

struct type_case {
    const char *spec;
    uint32_t column; /* on line 5, where spec is */
    const char *message;
};

static void expect_type_errors(const struct type_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        struct pg_error err;
        char spec[512];
        size_t path_len = strcspn(cases[i].message, ":");
        (void)snprintf(spec, sizeof(spec), "spec: %s", cases[i].spec);
        PG_EXPECT_INT(extract(&err, spec), PG_ETYPE);
        PG_EXPECT_STR(err.message, cases[i].message);
        PG_EXPECT_INT(err.line, 5);
        PG_EXPECT_INT(err.column, cases[i].column);
        PG_EXPECT_INT(strlen(err.path), path_len);
        PG_EXPECT(strncmp(err.path, cases[i].message, path_len) == 0);
    }
}

static const struct type_case POD_FIELDS[] = {
    {"{hostNetwork: \"true\"}", 21, "spec.hostNetwork: expected boolean, got string \"true\""},
    {"{hostPID: 1}", 17, "spec.hostPID: expected boolean, got integer 1"},
    {"{hostIPC: []}", 17, "spec.hostIPC: expected boolean, got list"},
    {"{hostUsers: {}}", 19, "spec.hostUsers: expected boolean, got object"},
    {"{runtimeClassName: 5}", 26, "spec.runtimeClassName: expected string, got integer 5"},
    {"{os: linux}", 12, "spec.os: expected object, got string \"linux\""},
    {"{os: {name: true}}", 19, "spec.os.name: expected string, got boolean true"},
};

static void test_wrong_types_are_errors_pod_fields(void)
{
    expect_type_errors(POD_FIELDS, sizeof(POD_FIELDS) / sizeof(POD_FIELDS[0]));
}

static const struct type_case POD_SECURITY_CONTEXT[] = {
    {"{securityContext: []}", 25, "spec.securityContext: expected object, got list"},
    {"{securityContext: {runAsNonRoot: \"yes\"}}", 40,
     "spec.securityContext.runAsNonRoot: expected boolean, got string \"yes\""},
    {"{securityContext: {runAsUser: -1.5}}", 37,
     "spec.securityContext.runAsUser: expected integer, got number -1.5"},
    {"{securityContext: {runAsUser: 99999999999999999999}}", 37,
     "spec.securityContext.runAsUser: expected integer, got number 99999999999999999999"},
    {"{securityContext: {runAsUser: \"0\"}}", 37,
     "spec.securityContext.runAsUser: expected integer, got string \"0\""},
    {"{securityContext: {runAsUser: 1e3}}", 37,
     "spec.securityContext.runAsUser: expected integer, got number 1e3"},
    {"{securityContext: {runAsUser: .inf}}", 37,
     "spec.securityContext.runAsUser: expected integer, got number .inf"},
    {"{securityContext: {seLinuxOptions: x}}", 42,
     "spec.securityContext.seLinuxOptions: expected object, got string \"x\""},
    {"{securityContext: {seLinuxOptions: {type: 1}}}", 49,
     "spec.securityContext.seLinuxOptions.type: expected string, got integer 1"},
    {"{securityContext: {seLinuxOptions: {user: [u]}}}", 49,
     "spec.securityContext.seLinuxOptions.user: expected string, got list"},
    {"{securityContext: {seLinuxOptions: {role: {}}}}", 49,
     "spec.securityContext.seLinuxOptions.role: expected string, got object"},
    {"{securityContext: {seccompProfile: [RuntimeDefault]}}", 42,
     "spec.securityContext.seccompProfile: expected object, got list"},
    {"{securityContext: {seccompProfile: {type: 0}}}", 49,
     "spec.securityContext.seccompProfile.type: expected string, got integer 0"},
    {"{securityContext: {appArmorProfile: {type: false}}}", 50,
     "spec.securityContext.appArmorProfile.type: expected string, got boolean false"},
    {"{securityContext: {windowsOptions: 1}}", 42,
     "spec.securityContext.windowsOptions: expected object, got integer 1"},
    {"{securityContext: {windowsOptions: {hostProcess: \"true\"}}}", 56,
     "spec.securityContext.windowsOptions.hostProcess: expected boolean, got string \"true\""},
    {"{securityContext: {sysctls: {}}}", 35,
     "spec.securityContext.sysctls: expected list, got object"},
    {"{securityContext: {sysctls: [x]}}", 36,
     "spec.securityContext.sysctls[0]: expected object, got string \"x\""},
    {"{securityContext: {sysctls: [{name: 1}]}}", 43,
     "spec.securityContext.sysctls[0].name: expected string, got integer 1"},
};

static void test_wrong_types_are_errors_pod_security_context(void)
{
    expect_type_errors(POD_SECURITY_CONTEXT,
                       sizeof(POD_SECURITY_CONTEXT) / sizeof(POD_SECURITY_CONTEXT[0]));
}

static const struct type_case VOLUMES[] = {
    {"{volumes: {}}", 17, "spec.volumes: expected list, got object"},
    {"{volumes: [v]}", 18, "spec.volumes[0]: expected object, got string \"v\""},
    {"{volumes: [{name: 1}]}", 25, "spec.volumes[0].name: expected string, got integer 1"},
    {"{volumes: [{name: v, hostPath: /etc}]}", 38,
     "spec.volumes[0].hostPath: expected object, got string \"/etc\""},
    {"{volumes: [{name: v, nfs: []}]}", 33, "spec.volumes[0].nfs: expected object, got list"},
};

static void test_wrong_types_are_errors_volumes(void)
{
    expect_type_errors(VOLUMES, sizeof(VOLUMES) / sizeof(VOLUMES[0]));
}

static const struct type_case CONTAINER_LISTS[] = {
    {"{containers: {}}", 20, "spec.containers: expected list, got object"},
    {"{initContainers: x}", 24, "spec.initContainers: expected list, got string \"x\""},
    {"{ephemeralContainers: 1}", 29, "spec.ephemeralContainers: expected list, got integer 1"},
    {"{containers: [c]}", 21, "spec.containers[0]: expected object, got string \"c\""},
    {"{containers: [null]}", 21, "spec.containers[0]: expected object, got null"},
    {"{containers: [{name: 1}]}", 28, "spec.containers[0].name: expected string, got integer 1"},
    {"{containers: [{name: a, image: []}]}", 38,
     "spec.containers[0].image: expected string, got list"},
};

static void test_wrong_types_are_errors_container_lists(void)
{
    expect_type_errors(CONTAINER_LISTS, sizeof(CONTAINER_LISTS) / sizeof(CONTAINER_LISTS[0]));
}

static const struct type_case CONTAINER_SECURITY_CONTEXT[] = {
    {"{containers: [{name: a, securityContext: x}]}", 48,
     "spec.containers[0].securityContext: expected object, got string \"x\""},
    {"{containers: [{name: a, securityContext: {privileged: maybe}}]}", 61,
     "spec.containers[0].securityContext.privileged: expected boolean, got string \"maybe\""},
    {"{containers: [{name: a, securityContext: {privileged: !!str true}}]}", 61,
     "spec.containers[0].securityContext.privileged: expected boolean, got string \"true\""},
    {"{containers: [{name: a, securityContext: {privileged: 1}}]}", 61,
     "spec.containers[0].securityContext.privileged: expected boolean, got integer 1"},
    {"{containers: [{name: a, securityContext: {allowPrivilegeEscalation: 0}}]}", 75,
     "spec.containers[0].securityContext.allowPrivilegeEscalation: expected boolean, got integer "
     "0"},
    {"{containers: [{name: a, securityContext: {capabilities: []}}]}", 63,
     "spec.containers[0].securityContext.capabilities: expected object, got list"},
    {"{containers: [{name: a, securityContext: {capabilities: {add: ALL}}}]}", 69,
     "spec.containers[0].securityContext.capabilities.add: expected list, got string \"ALL\""},
    {"{containers: [{name: a, securityContext: {capabilities: {add: [1]}}}]}", 70,
     "spec.containers[0].securityContext.capabilities.add[0]: expected string, got integer 1"},
    {"{containers: [{name: a, securityContext: {capabilities: {drop: [ALL, null]}}}]}", 76,
     "spec.containers[0].securityContext.capabilities.drop[1]: expected string, got null"},
    {"{containers: [{name: a, securityContext: {procMount: {}}}]}", 60,
     "spec.containers[0].securityContext.procMount: expected string, got object"},
    {"{containers: [{name: a, securityContext: {runAsUser: 1.0}}]}", 60,
     "spec.containers[0].securityContext.runAsUser: expected integer, got number 1.0"},
    {"{containers: [{name: a, securityContext: {runAsNonRoot: on_}}]}", 63,
     "spec.containers[0].securityContext.runAsNonRoot: expected boolean, got string \"on_\""},
    {"{containers: [{name: a, securityContext: {seccompProfile: {type: [x]}}}]}", 72,
     "spec.containers[0].securityContext.seccompProfile.type: expected string, got list"},
    {"{containers: [{name: a, securityContext: {windowsOptions: {hostProcess: 1}}}]}", 79,
     "spec.containers[0].securityContext.windowsOptions.hostProcess: expected boolean, got integer "
     "1"},
    {"{initContainers: [{name: a, securityContext: {privileged: \"true\"}}]}", 65,
     "spec.initContainers[0].securityContext.privileged: expected boolean, got string \"true\""},
    {"{ephemeralContainers: [{name: a, securityContext: {privileged: yes_}}]}", 70,
     "spec.ephemeralContainers[0].securityContext.privileged: expected boolean, got string "
     "\"yes_\""},
};

static void test_wrong_types_are_errors_container_security_context(void)
{
    expect_type_errors(CONTAINER_SECURITY_CONTEXT,
                       sizeof(CONTAINER_SECURITY_CONTEXT) / sizeof(CONTAINER_SECURITY_CONTEXT[0]));
}

static const struct type_case PORTS[] = {
    {"{containers: [{name: a, ports: {}}]}", 38,
     "spec.containers[0].ports: expected list, got object"},
    {"{containers: [{name: a, ports: [80]}]}", 39,
     "spec.containers[0].ports[0]: expected object, got integer 80"},
    {"{containers: [{name: a, ports: [{hostPort: \"80\"}]}]}", 50,
     "spec.containers[0].ports[0].hostPort: expected integer, got string \"80\""},
    {"{containers: [{name: a, ports: [{hostPort: 4294967296}]}]}", 50,
     "spec.containers[0].ports[0].hostPort: 4294967296 is out of range [-2147483648, 2147483647]"},
    {"{containers: [{name: a, ports: [{hostPort: 80.0}]}]}", 50,
     "spec.containers[0].ports[0].hostPort: expected integer, got number 80.0"},
    {"{hostNetwork: true, containers: [{name: a, ports: [{containerPort: \"80\"}]}]}", 74,
     "spec.containers[0].ports[0].containerPort: expected integer, got string \"80\""},
};

static void test_wrong_types_are_errors_ports(void)
{
    expect_type_errors(PORTS, sizeof(PORTS) / sizeof(PORTS[0]));
}

static const struct type_case PROBES_AND_HOOKS[] = {
    {"{containers: [{name: a, livenessProbe: x}]}", 46,
     "spec.containers[0].livenessProbe: expected object, got string \"x\""},
    {"{containers: [{name: a, readinessProbe: {httpGet: []}}]}", 57,
     "spec.containers[0].readinessProbe.httpGet: expected object, got list"},
    {"{containers: [{name: a, startupProbe: {tcpSocket: {host: 1}}}]}", 64,
     "spec.containers[0].startupProbe.tcpSocket.host: expected string, got integer 1"},
    {"{containers: [{name: a, lifecycle: []}]}", 42,
     "spec.containers[0].lifecycle: expected object, got list"},
    {"{containers: [{name: a, lifecycle: {postStart: {httpGet: {host: 5}}}}]}", 71,
     "spec.containers[0].lifecycle.postStart.httpGet.host: expected string, got integer 5"},
    {"{containers: [{name: a, lifecycle: {preStop: x}}]}", 52,
     "spec.containers[0].lifecycle.preStop: expected object, got string \"x\""},
};

static void test_wrong_types_are_errors_probes_and_hooks(void)
{
    expect_type_errors(PROBES_AND_HOOKS, sizeof(PROBES_AND_HOOKS) / sizeof(PROBES_AND_HOOKS[0]));
}

static const struct type_case NUL_CHARACTERS[] = {
    {"{containers: [{name: \"a\\0b\"}]}", 28,
     "spec.containers[0].name: a string must not contain a NUL character"},
    {"{containers: [{name: a, image: \"i\\0\"}]}", 38,
     "spec.containers[0].image: a string must not contain a NUL character"},
    {"{containers: [{name: a, securityContext: {capabilities: {add: [\"NET_ADMIN\\0\"]}}}]}", 70,
     "spec.containers[0].securityContext.capabilities.add[0]: a string must not contain a NUL "
     "character"},
    {"{containers: [{name: a, securityContext: {seccompProfile: {type: \"Unconfined\\0\"}}}]}", 72,
     "spec.containers[0].securityContext.seccompProfile.type: a string must not contain a NUL "
     "character"},
};

static void test_wrong_types_are_errors_nul_characters(void)
{
    expect_type_errors(NUL_CHARACTERS, sizeof(NUL_CHARACTERS) / sizeof(NUL_CHARACTERS[0]));
}

static void test_wrong_types_are_errors_in_object_identity(void)
{
    static const struct {
        const char *text;
        const char *message;
    } CASES[] = {
        {"apiVersion: 1\nkind: Pod\n", "apiVersion: expected string, got integer"},
        {"apiVersion: v1\nkind: [Pod]\n", "kind: expected string, got list"},
        {"apiVersion: v1\nkind: Pod\nmetadata: x\n", "metadata: expected object, got string"},
        {"apiVersion: v1\nkind: Pod\nmetadata: {name: 5}\n",
         "metadata.name: expected string, got integer"},
        {"apiVersion: v1\nkind: Pod\nmetadata: {namespace: {}}\n",
         "metadata.namespace: expected string, got object"},
        {"apiVersion: v1\nkind: Pod\nmetadata: {namespace: \"a\\0b\"}\n",
         "metadata.namespace: a string must not contain a NUL character"},
        {"apiVersion: v1\nkind: Pod\nmetadata: {labels: []}\n",
         "metadata.labels: expected object, got list"},
        {"apiVersion: v1\nkind: Pod\nspec: x\n", "spec: expected object, got string"},
        {"apiVersion: apps/v1\nkind: Deployment\nspec: {template: []}\n",
         "spec.template: expected object, got list"},
        {"apiVersion: apps/v1\nkind: Deployment\nspec: {template: {spec: 1}}\n",
         "spec.template.spec: expected object, got integer"},
        {"apiVersion: apps/v1\nkind: Deployment\nspec: {template: {metadata: 1}}\n",
         "spec.template.metadata: expected object, got integer"},
        {"apiVersion: batch/v1\nkind: CronJob\nspec: {jobTemplate: {spec: {template: 1}}}\n",
         "spec.jobTemplate.spec.template: expected object, got integer"},
    };
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        struct docs docs;
        struct pg_workload workload;
        struct pg_error err;
        read_docs(&docs, CASES[i].text, PG_FORMAT_YAML);
        PG_EXPECT_INT(docs.rc[0], 1);
        PG_EXPECT_INT(pg_workload_identify(&workload, docs.doc[0]->root, &err), PG_ETYPE);
        PG_EXPECT_STR(err.message, CASES[i].message);
        free_docs(&docs);
    }
}

/* The spec and metadata handed to pg_pod_extract directly must be objects too. */
static void test_extract_rejects_a_spec_that_is_not_an_object(void)
{
    struct docs docs;
    struct pg_pod pod;
    struct pg_error err;
    read_docs(&docs, "spec: [1]\nmetadata: x\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(pg_pod_extract(&pod, docs.doc[0]->arena, NULL, node_at(root_of(&docs), "spec"),
                                 "spec", NULL, NULL, &err),
                  PG_ETYPE);
    PG_EXPECT_STR(err.message, "spec: expected object, got list");
    PG_EXPECT_INT(pg_pod_extract(&pod, docs.doc[0]->arena, node_at(root_of(&docs), "metadata"),
                                 NULL, "spec", NULL, NULL, &err),
                  PG_ETYPE);
    PG_EXPECT_STR(err.message, "metadata: expected object, got string \"x\"");
    free_docs(&docs);
}

/* Values in messages are quoted like Go's %q: input never reaches a terminal raw. */
static void test_type_errors_quote_and_cut_the_value(void)
{
    struct pg_error err;
    PG_EXPECT_INT(extract(&err, "spec: {containers: [{name: a, securityContext: "
                                "{privileged: \"\\e[2J\\u0007\\x9b\"}}]}"),
                  PG_ETYPE);
    PG_EXPECT_STR(err.message, "spec.containers[0].securityContext.privileged: expected boolean, "
                               "got string \"\\x1b[2J\\a\\u009b\"");
    PG_EXPECT_INT(extract(&err, "spec: {hostPID: \"0123456789012345678901234567890123456789"
                                "012345678901234567890123\u00e9xyz\"}"),
                  PG_ETYPE);
    PG_EXPECT_STR(err.message,
                  "spec.hostPID: expected boolean, got string "
                  "\"0123456789012345678901234567890123456789012345678901234567890123\"…");
    PG_EXPECT_INT(extract(&err, "metadata:\n  annotations: {\"\\e]0;x\": [1]}\nspec: {}"),
                  PG_ETYPE);
    PG_EXPECT_STR(err.message, "metadata.annotations[\"\\x1b]0;x\"]: expected string, got list");
}

static void test_annotation_values_of_other_types_are_errors(void)
{
    struct docs docs;
    struct pg_pod pod;
    struct pg_error err;
    read_docs(&docs, "metadata: {annotations: {\"a\\e\": 1, b: ~}}\n", PG_FORMAT_YAML);
    PG_EXPECT_INT(pg_pod_extract(&pod, docs.doc[0]->arena, node_at(root_of(&docs), "metadata"),
                                 NULL, "spec", NULL, NULL, &err),
                  PG_ETYPE);
    PG_EXPECT_STR(err.message, "metadata.annotations[\"a\\x1b\"]: expected string, got integer");
    PG_EXPECT_STR(err.path, "metadata.annotations");
    free_docs(&docs);
}

static bool unread_security_context(const char *key, size_t len)
{
    return len == strlen("securityContext") && memcmp(key, "securityContext", len) == 0;
}

/*
 * A field that is read but was left unread (PG_NODE_UNREAD, admission/unread.c) is an error
 * naming it, never an absent field: absent, a pod-level securityContext reads as "nothing
 * set", which could allow what the field forbids.
 */
static void test_unread_field_that_is_read_is_an_error(void)
{
    static const char POD[] = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
                              "\"p\"},\n\"spec\":{\"securityContext\":{\"runAsUser\":0},"
                              "\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}";
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_pod_options options = {false, false, false};
    struct pg_error err;
    PG_EXPECT_INT(pg_doc_reader_new(&reader, POD, strlen(POD), PG_FORMAT_JSON, NULL, &err), 0);
    reader->json_unread = unread_security_context;
    PG_EXPECT_INT(pg_doc_reader_next(reader, &doc, NULL, &err), 1);
    PG_EXPECT_INT(node_at(node_at(doc->root, "spec"), "securityContext")->kind, PG_NODE_UNREAD);
    PG_EXPECT_INT(pg_workload_identify(&workload, doc->root, &err), 1);
    PG_EXPECT_INT(pg_pod_extract(&pod, doc->arena, workload.pod_metadata, workload.pod_spec,
                                 workload.spec_path, &options, NULL, &err),
                  PG_ETYPE);
    PG_EXPECT_STR(err.message, "spec.securityContext: internal error: this field is read but was "
                               "left unread when decoding the request");
    PG_EXPECT_INT(err.line, 2);
    PG_EXPECT_INT(err.column, 27);
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
}

/* kubectl sends 0.0 and 1e3 as 0 and 1000; a fraction, or a float past int64, stays an error. */
static void test_whole_floats_are_integers_when_asked(void)
{
    static const struct {
        const char *value;
        int rc;
        int64_t run_as_user;
    } cases[] = {
        {"0.0", 0, 0},
        {"1e3", 0, 1000},
        {"-2.0", 0, -2},
        {"9007199254740992.0", 0, 9007199254740992}, /* 2^53 */
        {"-9007199254740992.0", 0, -9007199254740992},
        {"9007199254740994.0", PG_ETYPE, -1}, /* past 2^53: Go would not send these digits */
        {"-9.223372036854775808e18", PG_ETYPE, -1},
        {"-9223372036854775809", PG_ETYPE, -1}, /* an integer literal past int64 */
        {"1.5", PG_ETYPE, -1},
        {".nan", PG_ETYPE, -1},
        {"-.inf", PG_ETYPE, -1},
    };
    struct pg_pod_options options = {true, true, true};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pg_error err;
        char spec[128];
        int64_t run_as_user = 0;
        (void)snprintf(spec, sizeof(spec), "spec: {securityContext: {runAsUser: %s}}",
                       cases[i].value);
        PG_EXPECT_INT(extract_with(&err, spec, &options, &run_as_user), cases[i].rc);
        PG_EXPECT(run_as_user == cases[i].run_as_user);
    }
}

#define TEST(fn)                                                                                   \
    {                                                                                              \
#fn, fn                                                                                    \
    }

int main(void)
{
    static const struct pg_test_case cases[] = {
        TEST(test_wrong_types_are_errors_pod_fields),
        TEST(test_whole_floats_are_integers_when_asked),
        TEST(test_wrong_types_are_errors_pod_security_context),
        TEST(test_wrong_types_are_errors_volumes),
        TEST(test_wrong_types_are_errors_container_lists),
        TEST(test_wrong_types_are_errors_container_security_context),
        TEST(test_wrong_types_are_errors_ports),
        TEST(test_wrong_types_are_errors_probes_and_hooks),
        TEST(test_wrong_types_are_errors_nul_characters),
        TEST(test_wrong_types_are_errors_in_object_identity),
        TEST(test_extract_rejects_a_spec_that_is_not_an_object),
        TEST(test_type_errors_quote_and_cut_the_value),
        TEST(test_annotation_values_of_other_types_are_errors),
        TEST(test_unread_field_that_is_read_is_an_error),
    };
    return pg_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
