/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The byte-stream front end: a dump gives the same audit however its bytes are cut into
 * writes, whether it is streamed item by item or read whole, and whatever is dropped on the
 * way (white space, status, managedFields, unread container fields); errors keep the dump's
 * line numbers.
 */
#include "harness.h"

#include "audit_test_util.h"

#include <stdlib.h>

/* kubectl's layout: a List, 4-space indentation, status and managedFields, escapes. */
static const char DUMP[] =
    "{\n"
    "    \"apiVersion\": \"v1\",\n"
    "    \"items\": [\n"
    "        {\n"
    "            \"apiVersion\": \"v1\",\n"
    "            \"kind\": \"Namespace\",\n"
    "            \"metadata\": {\"name\": \"prod\", \"labels\": {\n"
    "                \"pod-security.kubernetes.io/enforce\": \"baseline\",\n"
    "                \"pod-security.kubernetes.io/enforce-version\": \"v1.22\"}},\n"
    "            \"status\": {\"phase\": \"Active\"}\n"
    "        },\n"
    "        {\n"
    "            \"apiVersion\": \"v1\",\n"
    "            \"kind\": \"Pod\",\n"
    "            \"metadata\": {\n"
    "                \"name\": \"web-\\\"1\\\\\",\n"
    "                \"namespace\": \"prod\",\n"
    "                \"managedFields\": [{\"manager\": \"kubelet\", \"fieldsV1\": {\"f:status\": "
    "{}}}],\n"
    "                \"annotations\": {\"items\": \"[{\\\"status\\\": 1}]\"}\n"
    "            },\n"
    "            \"spec\": {\"securityContext\": {\"runAsNonRoot\": true, \"seccompProfile\": "
    "{\"type\": \"RuntimeDefault\"}},\n"
    "                \"containers\": [{\"name\": \"app\", \"image\": \"nginx\",\n"
    "                    \"env\": [{\"name\": \"A\", \"value\": \"}]\\n{\"}],\n"
    "                    \"args\": [\"--x\"], \"resources\": {},\n"
    "                    \"securityContext\": {\"runAsUser\": 0, \"allowPrivilegeEscalation\": "
    "false, \"capabilities\": {\"drop\": [\"ALL\"]}}}]\n"
    "            },\n"
    "            \"status\": {\"phase\": \"Running\", \"conditions\": [{\"type\": \"Ready\"}]}\n"
    "        },\n"
    "        {\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": "
    "\"d\", "
    "\"namespace\": \"prod\"}, \"spec\": {\"template\": {\"spec\": {\"hostNetwork\": true, "
    "\"containers\": [{\"name\": \"c\", \"env\": 5}]}}}, \"status\": 7}\n"
    "    ],\n"
    "    \"kind\": \"List\",\n"
    "    \"metadata\": {\"resourceVersion\": \"\"}\n"
    "}\n";

/* The JSON report of an audit fed `len` bytes of `text` in writes of at most `chunk` bytes,
 * the first one `first` bytes long (caller frees). */
static char *report(const char *text, size_t len, size_t first, size_t chunk,
                    enum pg_doc_format format)
{
    struct pg_audit_options options;
    struct pg_audit *audit = NULL;
    struct pg_audit_feed *feed = NULL;
    struct pg_buf out = PG_BUF_INIT;
    size_t pos = 0;
    pg_audit_options_default(&options);
    if (pg_audit_new(&audit, &options, NULL) != 0 ||
        pg_audit_feed_new(&feed, audit, "dump", format, NULL) != 0) {
        return NULL;
    }
    while (pos < len) {
        size_t n = pos == 0 ? first : chunk;
        n = n < len - pos ? n : len - pos;
        pg_audit_feed_write(feed, text + pos, n);
        pos += n;
    }
    pg_audit_feed_end(feed);
    pg_audit_feed_free(feed);
    pg_audit_finish(audit);
    pg_audit_render(&out, audit, PG_AUDIT_JSON);
    pg_audit_free(audit);
    return out.ptr;
}

static void test_feed_reads_every_item_of_a_kubectl_list(void)
{
    char *whole = report(DUMP, strlen(DUMP), strlen(DUMP), 1, PG_FORMAT_AUTO);
    PG_EXPECT(whole != NULL);
    PG_EXPECT(strstr(whole, "\"objects\": 3, \"namespaces\": 1, \"pods\": 1, \"workloads\": 1") !=
              NULL);
    PG_EXPECT(strstr(whole, "\"errors\": 0") != NULL);
    /* The pod's name survived its escapes; runAsUser=0 fails restricted only from v1.23. */
    PG_EXPECT(strstr(whole, "\"name\": \"web-\\\"1\\\\\", \"count\": 1, \"reasons\": "
                            "\"runAsUser=0\"") != NULL);
    PG_EXPECT(strstr(whole, "\"pinned\": {\"version\": \"v1.22\", \"baseline\": {\"pods\": 0, "
                            "\"workloads\": 1}") != NULL);
    free(whole);
}

static void test_feed_gives_the_same_audit_wherever_the_writes_are_cut(void)
{
    size_t len = strlen(DUMP);
    char *whole = report(DUMP, len, len, 1, PG_FORMAT_AUTO);
    char *bytewise = report(DUMP, len, 1, 1, PG_FORMAT_AUTO);
    PG_EXPECT(whole != NULL && bytewise != NULL);
    PG_EXPECT_STR(bytewise, whole);
    free(bytewise);
    for (size_t cut = 1; cut < len; cut++) {
        char *split = report(DUMP, len, cut, len, PG_FORMAT_AUTO);
        if (split == NULL || strcmp(split, whole) != 0) {
            printf("#   cut at %zu differs\n", cut);
            free(split);
            free(whole);
            PG_EXPECT(false);
        }
        free(split);
    }
    free(whole);
}

static void test_feed_streaming_agrees_with_reading_the_dump_whole(void)
{
    size_t len = strlen(DUMP);
    char *streamed = report(DUMP, len, 7, 13, PG_FORMAT_JSON);
    char *whole = report(DUMP, len, len, len, PG_FORMAT_YAML);
    PG_EXPECT(streamed != NULL && whole != NULL);
    PG_EXPECT_STR(streamed, whole);
    free(streamed);
    free(whole);
}

static void test_feed_errors_keep_the_line_of_the_dump(void)
{
    static const char TEXT[] = "{\"kind\": \"List\", \"apiVersion\": \"v1\", \"items\": [\n"
                               "  {\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n"
                               "   \"status\": {\n\n},\n"
                               "   \"metadata\": {\"name\": \"p\"},\n"
                               "   \"spec\": {\"containers\": \"oops\"}},\n"
                               "  {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": 1},\n"
                               "  {\"bad\": tru}\n"
                               "]}\n";
    struct pg_audit *audit = audit_run(TEXT, NULL, 0);
    PG_EXPECT_INT(pg_audit_diag_count(audit), 3);
    PG_EXPECT_INT(pg_audit_diag_at(audit, 0)->line, 7);
    PG_EXPECT_STR(pg_audit_diag_at(audit, 0)->message,
                  "spec.containers: expected list, got string \"oops\"");
    PG_EXPECT_INT(pg_audit_diag_at(audit, 1)->line, 8);
    PG_EXPECT_INT(pg_audit_diag_at(audit, 2)->line, 9);
    pg_audit_free(audit);
}

static void test_feed_reports_a_truncated_dump(void)
{
    struct pg_audit *audit = audit_run("{\"items\": [{\"kind\": \"Pod\"", NULL, 0);
    PG_EXPECT_INT(pg_audit_diag_count(audit), 1);
    PG_EXPECT(strstr(pg_audit_diag_at(audit, 0)->message, "unexpected end of input") != NULL);
    pg_audit_free(audit);
    audit = audit_run("{\"items\": []}]", NULL, 0);
    PG_EXPECT_INT(pg_audit_diag_count(audit), 1);
    PG_EXPECT(strstr(pg_audit_diag_at(audit, 0)->message, "closing bracket") != NULL);
    pg_audit_free(audit);
}

static void test_feed_skips_an_item_over_the_size_limit_and_goes_on(void)
{
    struct pg_audit_options options;
    struct pg_audit *audit = NULL;
    struct pg_audit_feed *feed = NULL;
    struct pg_buf text = PG_BUF_INIT;
    pg_buf_puts(&text, "{\"items\": [{\"kind\": \"Pod\", \"apiVersion\": \"v1\", \"metadata\": "
                       "{\"name\": \"big\", \"labels\": {\"x\": \"");
    for (size_t i = 0; i < 5000; i++) {
        pg_buf_puts(&text, "0123456789");
    }
    pg_buf_puts(&text, "\"}}, \"spec\": {}}, {\"kind\": \"Pod\", \"apiVersion\": \"v1\", "
                       "\"metadata\": {\"name\": \"small\"}, \"spec\": {}}]}");
    pg_audit_options_default(&options);
    options.limits.max_document_bytes = 4096;
    PG_EXPECT_INT(pg_audit_new(&audit, &options, NULL), 0);
    PG_EXPECT_INT(pg_audit_feed_new(&feed, audit, "t", PG_FORMAT_AUTO, NULL), 0);
    for (size_t pos = 0; pos < text.len; pos += 1000) {
        pg_audit_feed_write(feed, text.ptr + pos, text.len - pos < 1000 ? text.len - pos : 1000);
    }
    pg_audit_feed_end(feed);
    pg_audit_feed_free(feed);
    pg_audit_finish(audit);
    PG_EXPECT_INT(pg_audit_stats(audit)->errors, 1);
    PG_EXPECT(strstr(pg_audit_diag_at(audit, 0)->message, "max_document_bytes") != NULL);
    PG_EXPECT_INT(pg_audit_stats(audit)->pods, 1);
    pg_audit_free(audit);
    pg_buf_release(&text);
}

static void test_feed_reads_arrays_and_streams_of_objects(void)
{
    struct pg_audit *audit = audit_run("[{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": "
                                       "{\"name\": \"a\"}, \"spec\": {}}]"
                                       "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": "
                                       "{\"name\": \"b\"}, \"spec\": {}}\n"
                                       "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": "
                                       "{\"name\": \"c\"}, \"spec\": {}, "
                                       "\"status\": [1]}",
                                       NULL, 0);
    PG_EXPECT_INT(pg_audit_stats(audit)->pods, 3);
    PG_EXPECT_INT(pg_audit_stats(audit)->errors, 0);
    pg_audit_free(audit);
}

/* Pages of a LIST as the API server sends them: the List names the kind, the items do not. */
#define NAMESPACE_PAGE                                                                             \
    "{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},"  \
    "\"items\":[{\"metadata\":{\"name\":\"prod\",\"labels\":{"                                     \
    "\"pod-security.kubernetes.io/enforce\":\"baseline\"}}}]}\n"
#define POD_PAGE                                                                                   \
    "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},"        \
    "\"items\":[{\"metadata\":{\"name\":\"p\",\"namespace\":\"prod\"},\"spec\":"                   \
    "{\"hostNetwork\":true,\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},"                    \
    "\"status\":{\"phase\":\"Running\"}},"                                                         \
    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"own-kind\"}}]}\n"
#define DEPLOYMENT_PAGE                                                                            \
    "{\"kind\":\"DeploymentList\",\"apiVersion\":\"apps/v1\",\"metadata\":{},"                     \
    "\"items\":[{\"metadata\":{\"name\":\"d\",\"namespace\":\"prod\"},\"spec\":{\"template\":"     \
    "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}]}\n"
static const char API_PAGES[] = NAMESPACE_PAGE POD_PAGE DEPLOYMENT_PAGE;

static void test_feed_types_api_server_items_by_their_list(void)
{
    size_t len = strlen(API_PAGES);
    char *whole = report(API_PAGES, len, len, len, PG_FORMAT_AUTO);
    PG_EXPECT(whole != NULL);
    PG_EXPECT(strstr(whole, "\"objects\": 4, \"namespaces\": 2, \"pods\": 1, \"workloads\": 1") !=
              NULL);
    /* The Namespace's labels were read; the pod fails baseline (hostNetwork). */
    PG_EXPECT(strstr(whole, "\"enforce\": \"baseline\"") != NULL);
    PG_EXPECT(strstr(whole, "\"violations\": {\"baseline\": 1, \"restricted\": 2}") != NULL);
    /* An item that says what it is stays that, whatever its List. */
    PG_EXPECT(strstr(whole, "\"name\": \"own-kind\", \"in_input\": true") != NULL);
    for (size_t cut = 1; cut < len; cut++) {
        char *split = report(API_PAGES, len, cut, 5, PG_FORMAT_AUTO);
        if (split == NULL || strcmp(split, whole) != 0) {
            printf("#   cut at %zu differs\n", cut);
            free(split);
            free(whole);
            PG_EXPECT(false);
        }
        free(split);
    }
    free(whole);
}

static void test_audit_types_list_items_read_whole(void)
{
    /* The same pages as YAML documents, read whole: Lists walked by pg_audit_add_object. */
    static const char DOCUMENTS[] = NAMESPACE_PAGE "---\n" POD_PAGE "---\n" DEPLOYMENT_PAGE;
    size_t len = strlen(API_PAGES);
    char *streamed = report(API_PAGES, len, len, len, PG_FORMAT_JSON);
    char *whole = report(DOCUMENTS, strlen(DOCUMENTS), len, len, PG_FORMAT_YAML);
    PG_EXPECT(streamed != NULL && whole != NULL);
    PG_EXPECT_STR(whole, streamed);
    free(streamed);
    free(whole);
}

/* An audit fed `text` in one write with the item type set; the caller frees it. */
static struct pg_audit *typed_audit(const char *text, const char *api_version, const char *kind)
{
    return audit_feed_text(text, PG_FORMAT_AUTO, api_version, kind, NULL, 0);
}

static void test_feed_types_items_as_told_when_the_list_does_not_say(void)
{
    /* kubectl's order (kind after the items) and no kind at all: only the caller knows. */
    static const char TEXT[] =
        "{\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":\"a\"},\"spec\":{}}],"
        "\"kind\":\"PodList\"}\n"
        "{\"items\":[{\"metadata\":{\"name\":\"b\"},\"spec\":{}}]}\n";
    struct pg_audit *audit = typed_audit(TEXT, NULL, NULL);
    PG_EXPECT_INT(pg_audit_stats(audit)->pods, 0);
    pg_audit_free(audit);
    audit = typed_audit(TEXT, "v1", "Pod");
    PG_EXPECT_INT(pg_audit_stats(audit)->pods, 2);
    PG_EXPECT_INT(pg_audit_stats(audit)->errors, 0);
    pg_audit_free(audit);
    /* The caller's type wins over the List's. */
    audit = typed_audit("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[{\"metadata\":"
                        "{\"name\":\"n\"}}]}",
                        "v1", "Namespace");
    PG_EXPECT_INT(pg_audit_stats(audit)->pods, 0);
    PG_EXPECT_INT(pg_audit_namespace_count(audit), 1);
    pg_audit_free(audit);
}

static void test_feed_reads_the_paging_metadata_of_a_list(void)
{
    static const char FIRST[] =
        "{\"kind\": \"PodList\", \"apiVersion\": \"v1\",\n"
        " \"metadata\": {\"resourceVersion\": \"7\", \"continue\": \"eyJ2Ijo+/=\\u0041\",\n"
        "              \"remainingItemCount\": 12},\n"
        " \"items\": [{\"metadata\": {\"name\": \"p\"}, \"spec\": {}}]}\n";
    static const char LAST[] = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
                               "{\"resourceVersion\":\"7\"},\"items\":[]}";
    static const char NULL_ITEMS[] = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
                                     "{\"continue\":\"c\"},\"items\":null}";
    struct pg_audit_options options;
    struct pg_audit *audit = NULL;
    struct pg_audit_feed *feed = NULL;
    pg_audit_options_default(&options);
    PG_EXPECT_INT(pg_audit_new(&audit, &options, NULL), 0);
    PG_EXPECT_INT(pg_audit_feed_new(&feed, audit, "page", PG_FORMAT_AUTO, NULL), 0);
    PG_EXPECT_STR(pg_audit_feed_list_info(feed)->continue_token, "");
    PG_EXPECT(!pg_audit_feed_list_info(feed)->found);
    for (size_t i = 0; FIRST[i] != '\0'; i++) {
        pg_audit_feed_write(feed, FIRST + i, 1);
    }
    pg_audit_feed_end(feed);
    PG_EXPECT(pg_audit_feed_list_info(feed)->found);
    PG_EXPECT_STR(pg_audit_feed_list_info(feed)->continue_token, "eyJ2Ijo+/=A");
    PG_EXPECT_INT(pg_audit_feed_list_info(feed)->remaining, 12);
    pg_audit_feed_free(feed);
    PG_EXPECT_INT(pg_audit_feed_new(&feed, audit, "page", PG_FORMAT_AUTO, NULL), 0);
    pg_audit_feed_write(feed, LAST, strlen(LAST));
    pg_audit_feed_end(feed);
    PG_EXPECT_STR(pg_audit_feed_list_info(feed)->continue_token, "");
    PG_EXPECT_INT(pg_audit_feed_list_info(feed)->remaining, -1);
    pg_audit_feed_free(feed);
    /* Go writes a nil slice as null: still a List, with nothing in it. */
    PG_EXPECT_INT(pg_audit_feed_new(&feed, audit, "page", PG_FORMAT_AUTO, NULL), 0);
    pg_audit_feed_write(feed, NULL_ITEMS, strlen(NULL_ITEMS));
    pg_audit_feed_end(feed);
    PG_EXPECT(pg_audit_feed_list_info(feed)->found);
    PG_EXPECT_STR(pg_audit_feed_list_info(feed)->continue_token, "c");
    pg_audit_feed_free(feed);
    pg_audit_finish(audit);
    PG_EXPECT_INT(pg_audit_stats(audit)->pods, 1);
    PG_EXPECT_INT(pg_audit_stats(audit)->objects, 1);
    pg_audit_free(audit);
}

static void test_feed_reports_a_broken_list_head_at_its_line(void)
{
    struct pg_audit *audit =
        audit_run("{\"kind\": \"PodList\",\n \"metadata\": {\"continue\": tru},\n \"items\": "
                  "[{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, "
                  "\"spec\": {}}]}",
                  NULL, 0);
    PG_EXPECT_INT(pg_audit_diag_count(audit), 1);
    PG_EXPECT_INT(pg_audit_diag_at(audit, 0)->line, 2);
    PG_EXPECT_INT(pg_audit_stats(audit)->pods, 1);
    pg_audit_free(audit);
}

/* A pod that fails baseline (hostNetwork), on one line. */
#define JSON_POD(name)                                                                             \
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"" name "\"}, "         \
    "\"spec\": {\"hostNetwork\": true, \"containers\": [{\"name\": \"c\", \"image\": \"i\"}]}}"

/* JSON the reader never sees (it only reads the values cut out): each has one input problem,
 * at `line`, after `pods` pods were read. */
struct broken_json {
    const char *text;
    uint32_t line;
    const char *message;
    size_t pods;
};

/* kubectl's List of the items, on one line. */
#define JSON_LIST(items) "{\"kind\": \"List\", \"items\": [" items "]}"

static const struct broken_json BROKEN_JSON[] = {
    {"garbage\n", 1, "invalid JSON: invalid literal", 0},
    /* A YAML dump given as JSON (--input-format json). */
    {"apiVersion: v1\nitems:\n- " JSON_POD("a") "\n", 1, "invalid JSON: invalid literal", 0},
    {JSON_LIST("\n" JSON_POD("a") "\n  garbage\n"), 3, "invalid JSON: expected ',' or ']'", 1},
    {"[" JSON_POD("a") "\n " JSON_POD("b") "]", 2, "invalid JSON: expected ',' or ']'", 1},
    {JSON_LIST(JSON_POD("a") ",\n"), 2, "invalid JSON: expected a value", 1},
    {JSON_LIST(JSON_POD("a") ", , " JSON_POD("b")), 1, "invalid JSON: expected a value", 1},
    {"[" JSON_POD("a") "\n}", 2, "invalid JSON: expected ',' or ']'", 1},
    {JSON_LIST(JSON_POD("a")) "\ntrailing", 2, "invalid JSON: invalid literal", 1},
    /* `kubectl get -o json > dump.json 2>&1` when one resource is forbidden. */
    {JSON_LIST(JSON_POD("a")) "\nError from server (Forbidden): podsecuritypolicies.policy is "
                              "forbidden\n",
     2, "invalid JSON: invalid literal", 1},
    {JSON_POD("a") ",\n" JSON_POD("b"), 1, "invalid JSON: unexpected character", 1},
    /* kubectl writes the List's kind and metadata after its items. */
    {"{\"items\": [" JSON_POD("a") "],\n \"kind\": \"List\" \"metadata\": {}}", 2,
     "invalid JSON: expected ',' or '}'", 1},
    {"{\"kind\": \"List\", \"items\": {\"a\":\n" JSON_POD("a") "}}", 1,
     "items: expected list, got object", 0},
};

/* An audit of `text` given as JSON in one write; the caller frees it. */
static struct pg_audit *json_audit(const char *text)
{
    return audit_feed_text(text, PG_FORMAT_JSON, NULL, NULL, NULL, 0);
}

static void test_feed_reports_broken_json_between_the_values_it_cuts_out(void)
{
    for (size_t i = 0; i < sizeof(BROKEN_JSON) / sizeof(BROKEN_JSON[0]); i++) {
        const struct broken_json *c = &BROKEN_JSON[i];
        struct pg_audit *audit = json_audit(c->text);
        printf("# case %zu\n", i);
        PG_EXPECT(audit != NULL);
        PG_EXPECT_INT(pg_audit_stats(audit)->errors, 1);
        PG_EXPECT_INT(pg_audit_diag_at(audit, 0)->line, c->line);
        PG_EXPECT_STR(pg_audit_diag_at(audit, 0)->message, c->message);
        PG_EXPECT_INT(pg_audit_stats(audit)->pods, c->pods);
        pg_audit_free(audit);
    }
}

static void test_feed_reports_broken_json_the_same_wherever_the_writes_are_cut(void)
{
    for (size_t i = 0; i < sizeof(BROKEN_JSON) / sizeof(BROKEN_JSON[0]); i++) {
        const char *text = BROKEN_JSON[i].text;
        size_t len = strlen(text);
        char *whole = report(text, len, len, len, PG_FORMAT_JSON);
        PG_EXPECT(whole != NULL);
        for (size_t cut = 1; cut < len; cut++) {
            char *split = report(text, len, cut, 3, PG_FORMAT_JSON);
            if (split == NULL || strcmp(split, whole) != 0) {
                printf("#   case %zu cut at %zu differs\n", i, cut);
                free(split);
                free(whole);
                PG_EXPECT(false);
            }
            free(split);
        }
        free(whole);
    }
}

/* The report of `text` streamed as JSON, which must be that of `text` read whole as YAML. */
static char *streamed_as_read_whole(const char *text)
{
    size_t len = strlen(text);
    char *streamed = report(text, len, len, len, PG_FORMAT_JSON);
    char *whole = report(text, len, len, len, PG_FORMAT_YAML);
    if (streamed == NULL || whole == NULL || strcmp(streamed, whole) != 0) {
        printf("#   streamed:\n%s\n#   read whole:\n%s\n", streamed, whole);
        free(streamed);
        streamed = NULL;
    }
    free(whole);
    return streamed;
}

static void test_feed_reads_items_that_are_not_objects_as_a_dump_read_whole(void)
{
    char *items = streamed_as_read_whole(
        "{\"kind\": \"List\", \"items\": [1, \"x\",\n null, [], " JSON_POD("a") "]}\n");
    char *not_a_list =
        streamed_as_read_whole("{\"kind\": \"List\",\n \"items\": {\"a\": " JSON_POD("a") "}}\n");
    PG_EXPECT(items != NULL && not_a_list != NULL);
    PG_EXPECT(strstr(items, "\"pods\": 1, ") != NULL);
    PG_EXPECT(strstr(items, "\"errors\": 4}") != NULL);
    PG_EXPECT(strstr(items, "{\"source\": \"dump\", \"line\": 2, \"message\": \"expected a "
                            "Kubernetes object (a mapping), got null\"}") != NULL);
    PG_EXPECT(strstr(not_a_list, "\"errors\": 1}") != NULL);
    PG_EXPECT(strstr(not_a_list, "{\"source\": \"dump\", \"line\": 2, \"message\": \"items: "
                                 "expected list, got object\"}") != NULL);
    free(items);
    free(not_a_list);
}

static void test_feed_reads_a_byte_order_mark_before_json_as_nothing(void)
{
    struct pg_audit *audit = json_audit("\xEF\xBB\xBF" JSON_POD("a"));
    PG_EXPECT(audit != NULL);
    PG_EXPECT_INT(pg_audit_stats(audit)->pods, 1);
    PG_EXPECT_INT(pg_audit_stats(audit)->errors, 0);
    pg_audit_free(audit);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_feed_reads_every_item_of_a_kubectl_list)                                    \
    PG_TEST_ENTRY(test_feed_gives_the_same_audit_wherever_the_writes_are_cut)                      \
    PG_TEST_ENTRY(test_feed_streaming_agrees_with_reading_the_dump_whole)                          \
    PG_TEST_ENTRY(test_feed_errors_keep_the_line_of_the_dump)                                      \
    PG_TEST_ENTRY(test_feed_reports_a_truncated_dump)                                              \
    PG_TEST_ENTRY(test_feed_skips_an_item_over_the_size_limit_and_goes_on)                         \
    PG_TEST_ENTRY(test_feed_reads_arrays_and_streams_of_objects)                                   \
    PG_TEST_ENTRY(test_feed_types_api_server_items_by_their_list)                                  \
    PG_TEST_ENTRY(test_audit_types_list_items_read_whole)                                          \
    PG_TEST_ENTRY(test_feed_types_items_as_told_when_the_list_does_not_say)                        \
    PG_TEST_ENTRY(test_feed_reads_the_paging_metadata_of_a_list)                                   \
    PG_TEST_ENTRY(test_feed_reports_a_broken_list_head_at_its_line)                                \
    PG_TEST_ENTRY(test_feed_reports_broken_json_between_the_values_it_cuts_out)                    \
    PG_TEST_ENTRY(test_feed_reports_broken_json_the_same_wherever_the_writes_are_cut)              \
    PG_TEST_ENTRY(test_feed_reads_items_that_are_not_objects_as_a_dump_read_whole)                 \
    PG_TEST_ENTRY(test_feed_reads_a_byte_order_mark_before_json_as_nothing)

PG_TEST_MAIN(TESTS)
