/* SPDX-License-Identifier: Apache-2.0 */
#include "harness.h"
#include "report/fingerprint.h"

/* A Deployment shop/api judged in enforce mode, starting at `line`. */
static struct pg_scan_result deployment(struct pg_workload *workload, uint32_t line)
{
    struct pg_scan_result result;
    memset(workload, 0, sizeof(*workload));
    workload->ref.kind = PG_STR_LIT("Deployment");
    workload->ref.namespace_ = PG_STR_LIT("shop");
    workload->ref.name = PG_STR_LIT("api");
    memset(&result, 0, sizeof(result));
    result.workload = workload;
    result.mode = PG_MODE_ENFORCE;
    result.line = line;
    return result;
}

static void test_fingerprint_is_pinned(void)
{
    /* Changing the value reopens every code-scanning alert: this pins it. */
    struct pg_workload workload;
    struct pg_scan_result result = deployment(&workload, 7);
    char out[PG_FINGERPRINT_SIZE];
    pg_fingerprint_violation(out, "k8s/app.yaml", &result, PG_CHECK_RUN_AS_NON_ROOT);
    PG_EXPECT_STR(out, "a715b0721ab893a3");
}

static void test_fingerprint_ignores_positions_and_texts(void)
{
    struct pg_workload workload_a;
    struct pg_workload workload_b;
    struct pg_scan_result a = deployment(&workload_a, 7);
    struct pg_scan_result b = deployment(&workload_b, 70);
    char out_a[PG_FINGERPRINT_SIZE];
    char out_b[PG_FINGERPRINT_SIZE];
    b.document = 3;
    b.message = PG_STR_LIT("violates PodSecurity \"restricted:v1.30\": something else");
    b.policy.version.minor = 30;
    pg_fingerprint_violation(out_a, "k8s/app.yaml", &a, PG_CHECK_PRIVILEGED);
    pg_fingerprint_violation(out_b, "k8s/app.yaml", &b, PG_CHECK_PRIVILEGED);
    PG_EXPECT_STR(out_a, out_b);
}

static void test_fingerprint_tells_identities_apart(void)
{
    struct pg_workload workload;
    struct pg_scan_result result = deployment(&workload, 7);
    char base[PG_FINGERPRINT_SIZE];
    char other[PG_FINGERPRINT_SIZE];
    pg_fingerprint_violation(base, "k8s/app.yaml", &result, PG_CHECK_PRIVILEGED);
    pg_fingerprint_violation(other, "k8s/app.yaml", &result, PG_CHECK_HOST_PORTS);
    PG_EXPECT(strcmp(base, other) != 0);
    pg_fingerprint_violation(other, "k8s/other.yaml", &result, PG_CHECK_PRIVILEGED);
    PG_EXPECT(strcmp(base, other) != 0);
    result.mode = PG_MODE_AUDIT;
    pg_fingerprint_violation(other, "k8s/app.yaml", &result, PG_CHECK_PRIVILEGED);
    PG_EXPECT(strcmp(base, other) != 0);
    /* Field boundaries count: namespace "sho" + name "papi" is another object. */
    result.mode = PG_MODE_ENFORCE;
    workload.ref.namespace_ = PG_STR_LIT("sho");
    workload.ref.name = PG_STR_LIT("papi");
    pg_fingerprint_violation(other, "k8s/app.yaml", &result, PG_CHECK_PRIVILEGED);
    PG_EXPECT(strcmp(base, other) != 0);
}

/* Repeats of one identity in a source get distinct fingerprints; first uses stay as they are. */
static void test_repeated_identities_are_told_apart(void)
{
    struct pg_fingerprint_seen seen = {0};
    char first[PG_FINGERPRINT_SIZE] = "55adfd3edcc9a25a";
    char second[PG_FINGERPRINT_SIZE] = "55adfd3edcc9a25a";
    char third[PG_FINGERPRINT_SIZE] = "55adfd3edcc9a25a";
    char other[PG_FINGERPRINT_SIZE] = "0123456789abcdef";
    char again[PG_FINGERPRINT_SIZE] = "55adfd3edcc9a25a";
    pg_fingerprint_disambiguate(&seen, first);
    pg_fingerprint_disambiguate(&seen, other);
    pg_fingerprint_disambiguate(&seen, second);
    pg_fingerprint_disambiguate(&seen, third);
    PG_EXPECT_STR(first, "55adfd3edcc9a25a");
    PG_EXPECT_STR(other, "0123456789abcdef");
    PG_EXPECT(strcmp(second, first) != 0 && strcmp(third, first) != 0);
    PG_EXPECT(strcmp(second, third) != 0);
    PG_EXPECT_INT(strlen(second), 16);
    /* A new source starts afresh; many distinct ones grow the table and stay themselves. */
    pg_fingerprint_seen_clear(&seen);
    pg_fingerprint_disambiguate(&seen, again);
    PG_EXPECT_STR(again, "55adfd3edcc9a25a");
    for (unsigned i = 1; i <= 5000; i++) {
        char fingerprint[PG_FINGERPRINT_SIZE];
        char expected[PG_FINGERPRINT_SIZE];
        (void)snprintf(fingerprint, sizeof(fingerprint), "%016x", i);
        memcpy(expected, fingerprint, sizeof(expected));
        pg_fingerprint_disambiguate(&seen, fingerprint);
        PG_EXPECT_STR(fingerprint, expected);
    }
    pg_fingerprint_seen_release(&seen);
}

PG_TEST_MAIN(PG_TEST_ENTRY(test_fingerprint_is_pinned)
                 PG_TEST_ENTRY(test_repeated_identities_are_told_apart)
                     PG_TEST_ENTRY(test_fingerprint_ignores_positions_and_texts)
                         PG_TEST_ENTRY(test_fingerprint_tells_identities_apart))
