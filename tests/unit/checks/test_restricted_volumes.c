/* SPDX-License-Identifier: Apache-2.0 */
/* restrictedVolumes (spec §3.12). */
#include "harness.h"

#include "checks/pod_builder.h"

#define REASON "restricted volume types"

static void test_restricted_volumes_lists_every_restricted_type(void)
{
    static const enum pg_volume_source allowed[] = {
        PG_VOL_EMPTY_DIR,    PG_VOL_SECRET,     PG_VOL_PERSISTENT_VOLUME_CLAIM,
        PG_VOL_DOWNWARD_API, PG_VOL_CONFIG_MAP, PG_VOL_PROJECTED,
        PG_VOL_CSI,          PG_VOL_EPHEMERAL,  PG_VOL_IMAGE,
    };
    static const char *const allowed_names[] = {"a1", "a2", "a3", "a4", "a5",
                                                "a6", "a7", "a8", "a9"};
    static const char *const bad_names[] = {"b1",  "b2",  "b3",  "b4",  "b5",  "b6",  "b7",
                                            "b8",  "b9",  "b10", "b11", "b12", "b13", "b14",
                                            "b15", "b16", "b17", "b18", "b19", "b20", "b21"};
    struct pb b;
    unsigned i = 0;
    pb_init(&b);
    for (i = 0; i < 9; i++) {
        pb_volume(&b, allowed_names[i], allowed[i]);
    }
    for (i = 0; i < 21; i++) {
        pb_volume(&b, bad_names[i], (enum pg_volume_source)(PG_VOL_FIRST_RESTRICTED + i));
    }
    pb_volume(&b, "c1", PG_VOL_SOURCE_COUNT);
    PG_EXPECT(pb_forbids(
        &b, PG_CHECK_RESTRICTED_VOLUMES, 0, REASON,
        "volumes \"b1\", \"b2\", \"b3\", \"b4\", \"b5\", \"b6\", \"b7\", \"b8\", \"b9\", \"b10\", "
        "\"b11\", \"b12\", \"b13\", \"b14\", \"b15\", \"b16\", \"b17\", \"b18\", \"b19\", "
        "\"b20\", \"b21\", \"c1\" use restricted volume types \"awsElasticBlockStore\", "
        "\"azureDisk\", \"azureFile\", \"cephfs\", \"cinder\", \"fc\", \"flexVolume\", "
        "\"flocker\", \"gcePersistentDisk\", \"gitRepo\", \"glusterfs\", \"hostPath\", "
        "\"iscsi\", \"nfs\", \"photonPersistentDisk\", \"portworxVolume\", \"quobyte\", \"rbd\", "
        "\"scaleIO\", \"storageos\", \"unknown\", \"vsphereVolume\""));
}

static void test_restricted_volumes_single_volume_is_singular(void)
{
    struct pb b;
    pb_init(&b);
    pb_volume(&b, "volume1", PG_VOL_GCE_PERSISTENT_DISK);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_RESTRICTED_VOLUMES, PG_MAX_MINOR, REASON,
                         "volume \"volume1\" uses restricted volume type \"gcePersistentDisk\""));
}

static void test_restricted_volumes_allowed_source_wins(void)
{
    struct pb b;
    struct pg_volume *volume = NULL;
    pb_init(&b);
    volume = pb_volume(&b, "mixed", PG_VOL_HOST_PATH);
    volume->sources |= (uint64_t)1 << PG_VOL_SECRET;
    PG_EXPECT(pb_allows(&b, PG_CHECK_RESTRICTED_VOLUMES, PG_MAX_MINOR));
}

static void test_restricted_volumes_labels_first_restricted_source(void)
{
    struct pb b;
    struct pg_volume *volume = NULL;
    pb_init(&b);
    volume = pb_volume(&b, "v", PG_VOL_STORAGEOS);
    volume->sources |= (uint64_t)1 << PG_VOL_NFS;
    PG_EXPECT(pb_forbids(&b, PG_CHECK_RESTRICTED_VOLUMES, 0, REASON,
                         "volume \"v\" uses restricted volume type \"nfs\""));
}

static void test_restricted_volumes_treats_defaulted_volume_as_empty_dir(void)
{
    struct pb b;
    struct pg_volume *volume = NULL;
    pb_init(&b);
    volume = pb_volume(&b, "scratch", PG_VOL_SOURCE_COUNT);
    volume->defaulted_empty_dir = true;
    PG_EXPECT(pb_allows(&b, PG_CHECK_RESTRICTED_VOLUMES, 0));
}

static void test_restricted_volumes_uses_plural_verbs_for_two_volumes_one_type(void)
{
    struct pb b;
    pb_init(&b);
    pb_volume(&b, "x", PG_VOL_HOST_PATH);
    pb_volume(&b, "x", PG_VOL_HOST_PATH);
    PG_EXPECT(pb_forbids(&b, PG_CHECK_RESTRICTED_VOLUMES, 0, REASON,
                         "volumes \"x\", \"x\" use restricted volume type \"hostPath\""));
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_restricted_volumes_lists_every_restricted_type)                             \
    PG_TEST_ENTRY(test_restricted_volumes_single_volume_is_singular)                               \
    PG_TEST_ENTRY(test_restricted_volumes_allowed_source_wins)                                     \
    PG_TEST_ENTRY(test_restricted_volumes_labels_first_restricted_source)                          \
    PG_TEST_ENTRY(test_restricted_volumes_treats_defaulted_volume_as_empty_dir)                    \
    PG_TEST_ENTRY(test_restricted_volumes_uses_plural_verbs_for_two_volumes_one_type)

PG_TEST_MAIN(TESTS)
