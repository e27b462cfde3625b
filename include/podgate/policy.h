/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pod Security Standards vocabulary: levels, versions, the 19 upstream check
 * IDs, and which checks run at a level:version (spec §1–§2).
 */
#ifndef PODGATE_POLICY_H
#define PODGATE_POLICY_H

#include "podgate/common.h"

enum pg_level {
    PG_LEVEL_PRIVILEGED,
    PG_LEVEL_BASELINE,
    PG_LEVEL_RESTRICTED,
};

/* The newest policy version this library knows: `latest` evaluates as v1.37. */
#define PG_MAX_MINOR 37

/*
 * A policy version. `latest` is true for `latest`; otherwise `minor` is the
 * minor as written (it may exceed PG_MAX_MINOR: evaluation clamps, printing
 * does not).
 */
struct pg_version {
    bool latest;
    int64_t minor;
};

/* A level:version pair as parsed, e.g. restricted:v1.30. */
struct pg_level_version {
    enum pg_level level;
    struct pg_version version;
};

/*
 * The check IDs, in upstream evaluation order (spec §2.2): baseline checks by
 * byte order, then restricted checks by byte order.
 */
enum pg_check_id {
    PG_CHECK_APP_ARMOR_PROFILE,
    PG_CHECK_CAPABILITIES_BASELINE,
    PG_CHECK_HOST_NAMESPACES,
    PG_CHECK_HOST_PATH_VOLUMES,
    PG_CHECK_HOST_PORTS,
    PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE,
    PG_CHECK_PRIVILEGED,
    PG_CHECK_PROC_MOUNT,
    PG_CHECK_SE_LINUX_OPTIONS,
    PG_CHECK_SECCOMP_PROFILE_BASELINE,
    PG_CHECK_SYSCTLS,
    PG_CHECK_WINDOWS_HOST_PROCESS,
    PG_CHECK_ALLOW_PRIVILEGE_ESCALATION,
    PG_CHECK_CAPABILITIES_RESTRICTED,
    PG_CHECK_PROC_MOUNT_RESTRICTED,
    PG_CHECK_RESTRICTED_VOLUMES,
    PG_CHECK_RUN_AS_NON_ROOT,
    PG_CHECK_RUN_AS_USER,
    PG_CHECK_SECCOMP_PROFILE_RESTRICTED,
    PG_CHECK_COUNT,
};

/* A set of checks, bit i = enum pg_check_id i. */
typedef uint32_t pg_check_set;

/* Upstream ID ("runAsNonRoot"), or NULL for an out-of-range value. */
PG_API const char *pg_check_name(enum pg_check_id id);

/* Look up an upstream ID (exact, case-sensitive). Returns 0 or PG_ENOENT. */
PG_API int pg_check_from_name(enum pg_check_id *out, const char *name, size_t len);

/* The level a check belongs to (baseline or restricted; privileged when out of range). */
PG_API enum pg_level pg_check_level(enum pg_check_id id);

/* "privileged" | "baseline" | "restricted", or NULL for an out-of-range value. */
PG_API const char *pg_level_name(enum pg_level level);

/* Parse a level exactly as upstream (case-sensitive). 0 or PG_EINVAL. */
PG_API int pg_level_parse(enum pg_level *out, const char *text, size_t len);

/* Parse `latest` or `v1.N` (spec §1.2). 0 or PG_EINVAL. */
PG_API int pg_version_parse(struct pg_version *out, const char *text, size_t len);

/* Parse `LEVEL[:VERSION]`; the version defaults to latest. 0 or PG_EINVAL (err says why). */
PG_API int pg_level_version_parse(struct pg_level_version *out, const char *text,
                                  struct pg_error *err);

/* The minor a version evaluates as: clamped to PG_MAX_MINOR. */
PG_API unsigned pg_version_effective_minor(struct pg_version version);

/*
 * Print `level:version` as written (`restricted:latest`, `baseline:v1.99`)
 * into buf (NUL-terminated). Returns the length, or the size it needed when
 * that is >= size (like snprintf).
 */
PG_API size_t pg_level_version_format(char *buf, size_t size, struct pg_level_version lv);

/* The checks that run at a level and effective minor, after overrides (spec §2.3). */
PG_API pg_check_set pg_checks_for(enum pg_level level, unsigned minor);

/* The first minor at which a check exists (0 … PG_MAX_MINOR). */
PG_API unsigned pg_check_first_minor(enum pg_check_id id);

#endif
