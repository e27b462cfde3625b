/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PodSecurityPolicy → Pod Security Standards, one hand-written PSP per mapping rule: each
 * starts from a PSP that stays within restricted and opens one thing.
 */
#include "harness.h"

#include "audit/psp.h"
#include "podgate/doc.h"

#include <stdio.h>

#define ANNOTATIONS_RESTRICTED                                                                     \
    "{seccomp.security.alpha.kubernetes.io/allowedProfileNames: 'runtime/default,localhost/x', "   \
    "seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default, "                   \
    "apparmor.security.beta.kubernetes.io/allowedProfileNames: runtime/default, "                  \
    "apparmor.security.beta.kubernetes.io/defaultProfileName: runtime/default}"
#define SPEC_RESTRICTED                                                                            \
    "privileged: false, allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], "        \
    "volumes: [configMap, emptyDir, projected, secret, downwardAPI, persistentVolumeClaim, csi, "  \
    "ephemeral], hostNetwork: false, hostIPC: false, hostPID: false, "                             \
    "runAsUser: {rule: MustRunAsNonRoot}, seLinux: {rule: MustRunAs, seLinuxOptions: "             \
    "{type: container_t}}, supplementalGroups: {rule: RunAsAny}, fsGroup: {rule: RunAsAny}"

struct analysis {
    struct pg_arena *arena;
    struct pg_audit_psp psp;
};

/* Analyse a PSP made of the given annotations and the restricted spec plus `extra` (later keys
 * win, as kubectl reads duplicate keys). */
static bool analyze(struct analysis *out, const char *annotations, const char *extra)
{
    char text[4096];
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    struct pg_object_ref ref;
    bool ok = false;
    (void)snprintf(text, sizeof(text),
                   "{apiVersion: policy/v1beta1, kind: PodSecurityPolicy, metadata: {name: p, "
                   "annotations: %s}, spec: {" SPEC_RESTRICTED "%s}}",
                   annotations, extra);
    out->arena = pg_arena_new();
    if (pg_doc_reader_new(&reader, text, strlen(text), PG_FORMAT_YAML, NULL, NULL) == 0 &&
        pg_doc_reader_next(reader, &doc, NULL, NULL) == 1 &&
        pg_object_ref_read(&ref, doc->root, NULL) == 0 && pg_psp_is(&ref)) {
        pg_psp_analyze(&out->psp, out->arena, &ref);
        ok = true;
    }
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    return ok;
}

static const struct pg_audit_psp_field *find(const struct pg_audit_psp_field *fields, size_t len,
                                             const char *field, enum pg_check_id check)
{
    for (size_t i = 0; i < len; i++) {
        if (strcmp(fields[i].field, field) == 0 && fields[i].check == check) {
            return &fields[i];
        }
    }
    return NULL;
}

static const struct pg_audit_psp_field *beyond(const struct analysis *a, const char *field,
                                               enum pg_check_id check)
{
    return find(a->psp.beyond, a->psp.beyond_len, field, check);
}

static void test_psp_within_restricted_lists_the_defaults_pods_rely_on(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ""));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_RESTRICTED);
    PG_EXPECT_INT(a.psp.beyond_len, 0);
    PG_EXPECT(find(a.psp.defaults, a.psp.defaults_len, "spec.requiredDropCapabilities",
                   PG_CHECK_CAPABILITIES_RESTRICTED) != NULL);
    PG_EXPECT(find(a.psp.defaults, a.psp.defaults_len, "spec.allowPrivilegeEscalation",
                   PG_CHECK_ALLOW_PRIVILEGE_ESCALATION) != NULL);
    PG_EXPECT(find(a.psp.defaults, a.psp.defaults_len, "spec.runAsUser.rule",
                   PG_CHECK_RUN_AS_NON_ROOT) != NULL);
    PG_EXPECT(find(a.psp.defaults, a.psp.defaults_len,
                   "metadata.annotations[seccomp.security.alpha.kubernetes.io/defaultProfileName]",
                   PG_CHECK_SECCOMP_PROFILE_RESTRICTED) != NULL);
    PG_EXPECT(find(a.psp.defaults, a.psp.defaults_len,
                   "metadata.annotations[apparmor.security.beta.kubernetes.io/defaultProfileName]",
                   PG_CHECK_COUNT) != NULL);
    PG_EXPECT_STR(a.psp.name, "p");
    pg_arena_free(a.arena);
}

static void test_psp_privileged_and_host_namespaces_go_beyond_baseline(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", privileged: true, hostPID: true, hostIPC: true, hostNetwork: true"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT(beyond(&a, "spec.privileged", PG_CHECK_PRIVILEGED) != NULL);
    PG_EXPECT_INT(beyond(&a, "spec.privileged", PG_CHECK_PRIVILEGED)->beyond, PG_LEVEL_BASELINE);
    PG_EXPECT(beyond(&a, "spec.hostPID", PG_CHECK_HOST_NAMESPACES) != NULL);
    PG_EXPECT(beyond(&a, "spec.hostIPC", PG_CHECK_HOST_NAMESPACES) != NULL);
    PG_EXPECT(beyond(&a, "spec.hostNetwork", PG_CHECK_HOST_NAMESPACES) != NULL);
    pg_arena_free(a.arena);
}

static void test_psp_host_ports_beyond_zero_go_beyond_baseline(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", hostPorts: [{min: 0, max: 0}]"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_RESTRICTED);
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", hostPorts: [{min: 0, max: 0}, {min: 80, max: 443}]"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT_STR(beyond(&a, "spec.hostPorts", PG_CHECK_HOST_PORTS)->value, "80-443");
    pg_arena_free(a.arena);
}

static void test_psp_volume_rules_map_to_host_path_and_restricted_volumes(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", volumes: ['*']"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT_STR(beyond(&a, "spec.volumes", PG_CHECK_HOST_PATH_VOLUMES)->value, "*");
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", volumes: [hostPath, secret], allowedHostPaths: [{pathPrefix: /var/log}]"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT(beyond(&a, "spec.volumes", PG_CHECK_HOST_PATH_VOLUMES) != NULL);
    PG_EXPECT(beyond(&a, "spec.volumes", PG_CHECK_RESTRICTED_VOLUMES) == NULL);
    PG_EXPECT(find(a.psp.uncovered, a.psp.uncovered_len, "spec.allowedHostPaths",
                   PG_CHECK_HOST_PATH_VOLUMES) != NULL);
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", volumes: [nfs, secret, cephFS]"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_BASELINE);
    PG_EXPECT_STR(beyond(&a, "spec.volumes", PG_CHECK_RESTRICTED_VOLUMES)->value, "nfs, cephFS");
    pg_arena_free(a.arena);
}

static void test_psp_capabilities_map_to_both_capability_checks(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", allowedCapabilities: [NET_BIND_SERVICE]"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_RESTRICTED);
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", allowedCapabilities: [CHOWN]"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_BASELINE);
    PG_EXPECT_STR(beyond(&a, "spec.allowedCapabilities", PG_CHECK_CAPABILITIES_RESTRICTED)->value,
                  "CHOWN");
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", allowedCapabilities: [NET_ADMIN, CHOWN]"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT_STR(beyond(&a, "spec.allowedCapabilities", PG_CHECK_CAPABILITIES_BASELINE)->value,
                  "NET_ADMIN");
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", allowedCapabilities: ['*']"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    pg_arena_free(a.arena);
}

static void test_psp_default_add_and_required_drop_capabilities(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", defaultAddCapabilities: [CHOWN], requiredDropCapabilities: [NET_RAW]"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_BASELINE);
    PG_EXPECT(beyond(&a, "spec.defaultAddCapabilities", PG_CHECK_CAPABILITIES_RESTRICTED) != NULL);
    PG_EXPECT_STR(
        beyond(&a, "spec.requiredDropCapabilities", PG_CHECK_CAPABILITIES_RESTRICTED)->value,
        "NET_RAW");
    PG_EXPECT_STR(
        find(a.psp.defaults, a.psp.defaults_len, "spec.defaultAddCapabilities", PG_CHECK_COUNT)
            ->value,
        "CHOWN");
    PG_EXPECT(find(a.psp.defaults, a.psp.defaults_len, "spec.requiredDropCapabilities",
                   PG_CHECK_COUNT) != NULL);
    pg_arena_free(a.arena);
}

static void test_psp_privilege_escalation_defaults_to_allowed(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", allowPrivilegeEscalation: null, defaultAllowPrivilegeEscalation: false"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_BASELINE);
    PG_EXPECT_STR(
        beyond(&a, "spec.allowPrivilegeEscalation", PG_CHECK_ALLOW_PRIVILEGE_ESCALATION)->value,
        "");
    PG_EXPECT(find(a.psp.defaults, a.psp.defaults_len, "spec.defaultAllowPrivilegeEscalation",
                   PG_CHECK_ALLOW_PRIVILEGE_ESCALATION) != NULL);
    pg_arena_free(a.arena);
}

static void test_psp_run_as_user_rules(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", runAsUser: {rule: RunAsAny}"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_BASELINE);
    PG_EXPECT(beyond(&a, "spec.runAsUser.rule", PG_CHECK_RUN_AS_NON_ROOT) != NULL);
    PG_EXPECT(beyond(&a, "spec.runAsUser.rule", PG_CHECK_RUN_AS_USER) != NULL);
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", runAsUser: {rule: MustRunAs, ranges: [{min: 1000, max: 2000}]}"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_BASELINE);
    PG_EXPECT(beyond(&a, "spec.runAsUser.rule", PG_CHECK_RUN_AS_NON_ROOT) != NULL);
    PG_EXPECT(beyond(&a, "spec.runAsUser.ranges", PG_CHECK_RUN_AS_USER) == NULL);
    PG_EXPECT_STR(
        find(a.psp.defaults, a.psp.defaults_len, "spec.runAsUser.ranges", PG_CHECK_COUNT)->value,
        "1000-2000");
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", runAsUser: {rule: MustRunAs, ranges: [{min: 0, max: 100}]}"));
    PG_EXPECT_STR(beyond(&a, "spec.runAsUser.ranges", PG_CHECK_RUN_AS_USER)->value, "0-100");
    pg_arena_free(a.arena);
}

static void test_psp_se_linux_rules(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED, ", seLinux: {rule: RunAsAny}"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT(beyond(&a, "spec.seLinux.rule", PG_CHECK_SE_LINUX_OPTIONS) != NULL);
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", seLinux: {rule: MustRunAs, seLinuxOptions: {type: spc_t}}"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT_STR(beyond(&a, "spec.seLinux.seLinuxOptions", PG_CHECK_SE_LINUX_OPTIONS)->value,
                  "spc_t");
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", seLinux: {rule: MustRunAs, seLinuxOptions: {type: container_t, "
                      "user: system_u}}"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    pg_arena_free(a.arena);
}

static void test_psp_seccomp_annotations(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a,
                      "{apparmor.security.beta.kubernetes.io/allowedProfileNames: "
                      "runtime/default}",
                      ""));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_BASELINE);
    PG_EXPECT_STR(
        beyond(&a, "metadata.annotations[seccomp.security.alpha.kubernetes.io/defaultProfileName]",
               PG_CHECK_SECCOMP_PROFILE_RESTRICTED)
            ->note,
        "no default profile: pods may run without one");
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a,
                      "{apparmor.security.beta.kubernetes.io/allowedProfileNames: "
                      "runtime/default, seccomp.security.alpha.kubernetes.io/"
                      "allowedProfileNames: '*', seccomp.security.alpha.kubernetes.io/"
                      "defaultProfileName: runtime/default}",
                      ""));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT(beyond(&a,
                     "metadata.annotations[seccomp.security.alpha.kubernetes.io/"
                     "allowedProfileNames]",
                     PG_CHECK_SECCOMP_PROFILE_BASELINE) != NULL);
    pg_arena_free(a.arena);
}

static void test_psp_app_armor_annotations(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a,
                      "{seccomp.security.alpha.kubernetes.io/defaultProfileName: "
                      "runtime/default}",
                      ""));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT(beyond(&a,
                     "metadata.annotations[apparmor.security.beta.kubernetes.io/"
                     "allowedProfileNames]",
                     PG_CHECK_APP_ARMOR_PROFILE) != NULL);
    pg_arena_free(a.arena);
    PG_EXPECT(analyze(&a,
                      "{seccomp.security.alpha.kubernetes.io/defaultProfileName: "
                      "runtime/default, apparmor.security.beta.kubernetes.io/"
                      "allowedProfileNames: 'runtime/default,unconfined,localhost/a'}",
                      ""));
    PG_EXPECT_STR(beyond(&a,
                         "metadata.annotations[apparmor.security.beta.kubernetes.io/"
                         "allowedProfileNames]",
                         PG_CHECK_APP_ARMOR_PROFILE)
                      ->value,
                  "unconfined");
    pg_arena_free(a.arena);
}

static void test_psp_proc_mount_and_sysctls(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", allowedProcMountTypes: [Default, Unmasked], allowedUnsafeSysctls: "
                      "[net.ipv4.tcp_rmem, 'kernel.msg*']"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_PRIVILEGED);
    PG_EXPECT_STR(beyond(&a, "spec.allowedProcMountTypes", PG_CHECK_PROC_MOUNT)->value, "Unmasked");
    PG_EXPECT_STR(beyond(&a, "spec.allowedUnsafeSysctls", PG_CHECK_SYSCTLS)->value, "kernel.msg*");
    pg_arena_free(a.arena);
}

static void test_psp_controls_without_an_equivalent_are_listed(void)
{
    struct analysis a;
    PG_EXPECT(analyze(&a, ANNOTATIONS_RESTRICTED,
                      ", readOnlyRootFilesystem: true, fsGroup: {rule: MustRunAs, ranges: "
                      "[{min: 1, max: 9}]}, forbiddenSysctls: ['*']"));
    PG_EXPECT_INT(a.psp.level, PG_LEVEL_RESTRICTED);
    PG_EXPECT(find(a.psp.uncovered, a.psp.uncovered_len, "spec.readOnlyRootFilesystem",
                   PG_CHECK_COUNT) != NULL);
    PG_EXPECT(find(a.psp.uncovered, a.psp.uncovered_len, "spec.fsGroup.rule", PG_CHECK_COUNT) !=
              NULL);
    PG_EXPECT(find(a.psp.uncovered, a.psp.uncovered_len, "spec.forbiddenSysctls", PG_CHECK_COUNT) !=
              NULL);
    PG_EXPECT(find(a.psp.defaults, a.psp.defaults_len, "spec.fsGroup.rule", PG_CHECK_COUNT) !=
              NULL);
    pg_arena_free(a.arena);
}

#define TESTS                                                                                      \
    PG_TEST_ENTRY(test_psp_within_restricted_lists_the_defaults_pods_rely_on)                      \
    PG_TEST_ENTRY(test_psp_privileged_and_host_namespaces_go_beyond_baseline)                      \
    PG_TEST_ENTRY(test_psp_host_ports_beyond_zero_go_beyond_baseline)                              \
    PG_TEST_ENTRY(test_psp_volume_rules_map_to_host_path_and_restricted_volumes)                   \
    PG_TEST_ENTRY(test_psp_capabilities_map_to_both_capability_checks)                             \
    PG_TEST_ENTRY(test_psp_default_add_and_required_drop_capabilities)                             \
    PG_TEST_ENTRY(test_psp_privilege_escalation_defaults_to_allowed)                               \
    PG_TEST_ENTRY(test_psp_run_as_user_rules)                                                      \
    PG_TEST_ENTRY(test_psp_se_linux_rules)                                                         \
    PG_TEST_ENTRY(test_psp_seccomp_annotations)                                                    \
    PG_TEST_ENTRY(test_psp_app_armor_annotations)                                                  \
    PG_TEST_ENTRY(test_psp_proc_mount_and_sysctls)                                                 \
    PG_TEST_ENTRY(test_psp_controls_without_an_equivalent_are_listed)

PG_TEST_MAIN(TESTS)
