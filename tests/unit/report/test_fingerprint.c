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

PG_TEST_MAIN(PG_TEST_ENTRY(test_fingerprint_is_pinned)
                 PG_TEST_ENTRY(test_fingerprint_ignores_positions_and_texts)
                     PG_TEST_ENTRY(test_fingerprint_tells_identities_apart))
