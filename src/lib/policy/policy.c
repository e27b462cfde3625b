/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Levels, versions and check sets (spec §1–§2): parsing and printing
 * level:version exactly as upstream, clamping versions for evaluation, and
 * resolving which checks run at a level and minor from the check registry.
 * It does not evaluate pods (see eval).
 */
#include "podgate/policy.h"

#include "checks/checks.h"
#include "util/decimal.h"

#include <string.h>

/* Longest input quoted back in an error message; the rest is cut. */
#define QUOTE_MAX 64

const char *pg_check_name(enum pg_check_id id)
{
    const struct pg_check_info *info = pg_checks_info(id);
    return info != NULL ? info->name : NULL;
}

int pg_check_from_name(enum pg_check_id *out, const char *name, size_t len)
{
    unsigned id = 0;
    if (out == NULL || name == NULL) {
        return PG_EINVAL;
    }
    for (id = 0; id < PG_CHECK_COUNT; id++) {
        const char *known = pg_checks_info((enum pg_check_id)id)->name;
        if (strlen(known) == len && memcmp(known, name, len) == 0) {
            *out = (enum pg_check_id)id;
            return 0;
        }
    }
    return PG_ENOENT;
}

enum pg_level pg_check_level(enum pg_check_id id)
{
    const struct pg_check_info *info = pg_checks_info(id);
    return info != NULL ? info->level : PG_LEVEL_PRIVILEGED;
}

unsigned pg_check_first_minor(enum pg_check_id id)
{
    const struct pg_check_info *info = pg_checks_info(id);
    return info != NULL ? info->first_minor : 0;
}

const char *pg_level_name(enum pg_level level)
{
    switch (level) {
    case PG_LEVEL_PRIVILEGED:
        return "privileged";
    case PG_LEVEL_BASELINE:
        return "baseline";
    case PG_LEVEL_RESTRICTED:
        return "restricted";
    }
    return NULL;
}

static bool text_is(const char *text, size_t len, const char *literal)
{
    return strlen(literal) == len && memcmp(text, literal, len) == 0;
}

int pg_level_parse(enum pg_level *out, const char *text, size_t len)
{
    static const enum pg_level levels[] = {PG_LEVEL_PRIVILEGED, PG_LEVEL_BASELINE,
                                           PG_LEVEL_RESTRICTED};
    size_t i = 0;
    if (out == NULL || (text == NULL && len != 0)) {
        return PG_EINVAL;
    }
    for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (text_is(text, len, pg_level_name(levels[i]))) {
            *out = levels[i];
            return 0;
        }
    }
    return PG_EINVAL;
}

/* `0|[1-9][0-9]*` that fits in int64 (spec §1.2). */
static int parse_minor(int64_t *out, const char *digits, size_t len)
{
    int64_t value = 0;
    size_t i = 0;
    if (len == 0 || (digits[0] == '0' && len > 1)) {
        return PG_EINVAL;
    }
    for (i = 0; i < len; i++) {
        int digit = digits[i] - '0';
        if (digits[i] < '0' || digits[i] > '9') {
            return PG_EINVAL;
        }
        if (value > (INT64_MAX - digit) / 10) {
            return PG_EINVAL;
        }
        value = value * 10 + digit;
    }
    *out = value;
    return 0;
}

int pg_version_parse(struct pg_version *out, const char *text, size_t len)
{
    int64_t minor = 0;
    if (out == NULL || (text == NULL && len != 0)) {
        return PG_EINVAL;
    }
    if (text_is(text, len, "latest")) {
        out->latest = true;
        out->minor = 0;
        return 0;
    }
    if (len < 3 || memcmp(text, "v1.", 3) != 0) {
        return PG_EINVAL;
    }
    if (parse_minor(&minor, text + 3, len - 3) != 0) {
        return PG_EINVAL;
    }
    out->latest = false;
    out->minor = minor;
    return 0;
}

int pg_level_version_parse(struct pg_level_version *out, const char *text, struct pg_error *err)
{
    const char *colon = NULL;
    size_t level_len = 0;
    struct pg_level_version parsed = {PG_LEVEL_PRIVILEGED, {true, 0}};
    if (out == NULL || text == NULL) {
        return pg_error_set(err, PG_EINVAL, "no level:version given");
    }
    colon = strchr(text, ':');
    level_len = colon != NULL ? (size_t)(colon - text) : strlen(text);
    if (pg_level_parse(&parsed.level, text, level_len) != 0) {
        return pg_error_set(err, PG_EINVAL,
                            "invalid level \"%.*s\": must be one of privileged, baseline, "
                            "restricted",
                            (int)(level_len < QUOTE_MAX ? level_len : QUOTE_MAX), text);
    }
    if (colon != NULL && pg_version_parse(&parsed.version, colon + 1, strlen(colon + 1)) != 0) {
        size_t version_len = strlen(colon + 1);
        return pg_error_set(err, PG_EINVAL,
                            "invalid version \"%.*s\": must be \"latest\" or \"v1.x\"",
                            (int)(version_len < QUOTE_MAX ? version_len : QUOTE_MAX), colon + 1);
    }
    *out = parsed;
    return 0;
}

unsigned pg_version_effective_minor(struct pg_version version)
{
    if (version.latest || version.minor > PG_MAX_MINOR) {
        return PG_MAX_MINOR;
    }
    if (version.minor < 0) {
        return 0;
    }
    return (unsigned)version.minor;
}

/*
 * By hand, not snprintf: every admission review formats one or two of these, and the
 * format machinery cost more than the rest of its response encoding.
 */
size_t pg_level_version_format(char *buf, size_t size, struct pg_level_version lv)
{
    char text[64];
    char digits[24];
    const char *level = pg_level_name(lv.level);
    struct pg_str minor = PG_STR_LIT("latest");
    size_t len = 0;
    if (level == NULL) {
        level = "";
    }
    if (!lv.version.latest) {
        minor = pg_decimal(&digits, lv.version.minor);
    }
    len = strlen(level);
    memcpy(text, level, len);
    text[len++] = ':';
    if (!lv.version.latest) {
        memcpy(text + len, "v1.", 3);
        len += 3;
    }
    memcpy(text + len, minor.ptr, minor.len);
    len += minor.len;
    if (size > 0) {
        /* Cut to fit, as snprintf would; the return value is still the whole length. */
        size_t kept = len < size ? len : size - 1;
        memcpy(buf, text, kept);
        buf[kept] = '\0';
    }
    return len;
}

/*
 * Baseline: every baseline check that exists at `minor`. Restricted: every
 * check that exists at `minor`, minus the baseline checks an active
 * restricted check replaces (spec §2.3). One pass over the registry: this
 * runs on every evaluation.
 */
pg_check_set pg_checks_derive(enum pg_level level, unsigned minor)
{
    pg_check_set set = 0;
    pg_check_set overridden = 0;
    unsigned id = 0;
    if (level != PG_LEVEL_BASELINE && level != PG_LEVEL_RESTRICTED) {
        return 0;
    }
    for (id = 0; id < PG_CHECK_COUNT; id++) {
        const struct pg_check_info *info = &pg_checks_registry[id];
        if (info->first_minor > minor) {
            continue;
        }
        if (info->level == PG_LEVEL_BASELINE) {
            set |= (pg_check_set)1u << id;
        } else if (level == PG_LEVEL_RESTRICTED) {
            set |= (pg_check_set)1u << id;
            if (info->has_override && minor >= info->overrides_from) {
                overridden |= (pg_check_set)1u << (unsigned)info->overrides;
            }
        }
    }
    return set & ~overridden;
}

/*
 * The check sets of spec §2.3, one row per version where a set changes, newest
 * last. Evaluation looks them up instead of deriving them from the registry
 * each time (which cost more than a whole compliant evaluation); a unit test
 * checks every row against pg_checks_derive.
 */
struct check_set_row {
    enum pg_level level;
    unsigned from_minor;
    pg_check_set checks;
};

static const struct check_set_row CHECK_SETS[] = {
    {PG_LEVEL_BASELINE, 0, 0x00fdfu},    {PG_LEVEL_BASELINE, 34, 0x00fffu},
    {PG_LEVEL_RESTRICTED, 0, 0x18fd7u},  {PG_LEVEL_RESTRICTED, 8, 0x19fd7u},
    {PG_LEVEL_RESTRICTED, 19, 0x59dd7u}, {PG_LEVEL_RESTRICTED, 22, 0x5bdd5u},
    {PG_LEVEL_RESTRICTED, 23, 0x7bdd5u}, {PG_LEVEL_RESTRICTED, 34, 0x7bdf5u},
    {PG_LEVEL_RESTRICTED, 35, 0x7fd75u},
};

pg_check_set pg_checks_for(enum pg_level level, unsigned minor)
{
    pg_check_set checks = 0;
    for (size_t i = 0; i < sizeof(CHECK_SETS) / sizeof(CHECK_SETS[0]); i++) {
        if (CHECK_SETS[i].level == level && CHECK_SETS[i].from_minor <= minor) {
            checks = CHECK_SETS[i].checks;
        }
    }
    return checks;
}
