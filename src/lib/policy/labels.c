/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespace label evaluation (spec §5.2): parse the six pod-security labels
 * with upstream's fail-closed/fail-open fallbacks and error texts.
 */
#include "podgate/labels.h"

#include <string.h>

#define LABEL_PREFIX "pod-security.kubernetes.io/"

const char *pg_mode_name(enum pg_mode mode)
{
    switch (mode) {
    case PG_MODE_ENFORCE:
        return "enforce";
    case PG_MODE_AUDIT:
        return "audit";
    case PG_MODE_WARN:
        return "warn";
    }
    return "unknown";
}

void pg_ns_policy_default(struct pg_ns_policy *out)
{
    size_t i = 0;
    for (i = 0; i < 3; i++) {
        out->modes[i].level = PG_LEVEL_PRIVILEGED;
        out->modes[i].version.latest = true;
        out->modes[i].version.minor = 0;
    }
}

bool pg_labels_have_pod_security(const struct pg_node *labels)
{
    size_t i = 0;
    if (labels == NULL || labels->kind != PG_NODE_MAP) {
        return false;
    }
    for (i = 0; i < labels->as.map.len; i++) {
        struct pg_str key = labels->as.map.entries[i].key;
        if (key.len > sizeof(LABEL_PREFIX) - 1 &&
            memcmp(key.ptr, LABEL_PREFIX, sizeof(LABEL_PREFIX) - 1) == 0) {
            return true;
        }
    }
    return false;
}

bool pg_level_version_equivalent(struct pg_level_version a, struct pg_level_version b)
{
    if (a.level == PG_LEVEL_PRIVILEGED && b.level == PG_LEVEL_PRIVILEGED) {
        return true;
    }
    return a.level == b.level && a.version.latest == b.version.latest &&
           (a.version.latest || a.version.minor == b.version.minor);
}

/* Collected errors, kept as offsets into one buffer so duplicates can be collapsed. */
struct label_errors {
    struct pg_buf text;
    size_t starts[12];
    size_t lens[12];
    size_t count;
};

static void add_error(struct label_errors *errors, const char *key, struct pg_str value,
                      const char *must)
{
    size_t start = errors->text.len;
    size_t i = 0;
    pg_buf_puts(&errors->text, "metadata.labels[" LABEL_PREFIX);
    pg_buf_puts(&errors->text, key);
    pg_buf_puts(&errors->text, "]: Invalid value: ");
    pg_buf_put_go_quoted(&errors->text, value);
    pg_buf_puts(&errors->text, ": ");
    pg_buf_puts(&errors->text, must);
    for (i = 0; i < errors->count; i++) {
        if (errors->lens[i] == errors->text.len - start &&
            memcmp(errors->text.ptr + errors->starts[i], errors->text.ptr + start,
                   errors->lens[i]) == 0) {
            errors->text.len = start; /* exact duplicate: collapsed */
            return;
        }
    }
    errors->starts[errors->count] = start;
    errors->lens[errors->count] = errors->text.len - start;
    errors->count++;
}

/* The label's value: *present false when absent; a non-string value reads as its text. */
static struct pg_str label_value(const struct pg_node *labels, const char *key, bool *present)
{
    char full[64];
    const struct pg_node *node = NULL;
    struct pg_str empty = {"", 0};
    size_t len = strlen(key);
    memcpy(full, LABEL_PREFIX, sizeof(LABEL_PREFIX) - 1);
    memcpy(full + sizeof(LABEL_PREFIX) - 1, key, len + 1);
    node = pg_node_get_n(labels, full, sizeof(LABEL_PREFIX) - 1 + len);
    *present = node != NULL;
    if (node == NULL || node->kind == PG_NODE_NULL) {
        return empty;
    }
    return node->kind == PG_NODE_STR ? node->as.str : node->text;
}

static bool apply_level(struct pg_level_version *mode, struct label_errors *errors,
                        const struct pg_node *labels, const char *key, enum pg_level fallback)
{
    bool present = false;
    struct pg_str value = label_value(labels, key, &present);
    if (!present) {
        return false;
    }
    if (pg_level_parse(&mode->level, value.ptr, value.len) != 0) {
        mode->level = fallback;
        add_error(errors, key, value, "must be one of privileged, baseline, restricted");
        return false;
    }
    return true;
}

static bool apply_version(struct pg_level_version *mode, struct label_errors *errors,
                          const struct pg_node *labels, const char *key)
{
    bool present = false;
    struct pg_str value = label_value(labels, key, &present);
    if (!present) {
        return false;
    }
    if (pg_version_parse(&mode->version, value.ptr, value.len) != 0) {
        mode->version.latest = true;
        mode->version.minor = 0;
        add_error(errors, key, value, "must be \"latest\" or \"v1.x\"");
    }
    return true;
}

static void render_errors(struct pg_buf *out, const struct label_errors *errors)
{
    size_t i = 0;
    if (out == NULL || errors->count == 0) {
        return;
    }
    if (errors->count > 1) {
        pg_buf_putc(out, '[');
    }
    for (i = 0; i < errors->count; i++) {
        if (i > 0) {
            pg_buf_puts(out, ", ");
        }
        pg_buf_put(out, errors->text.ptr + errors->starts[i], errors->lens[i]);
    }
    if (errors->count > 1) {
        pg_buf_putc(out, ']');
    }
}

void pg_ns_policy_from_labels(struct pg_ns_policy *out, size_t *error_count, struct pg_buf *errors,
                              const struct pg_node *labels, const struct pg_ns_policy *defaults)
{
    struct label_errors collected;
    struct pg_level_version *enforce = &out->modes[PG_MODE_ENFORCE];
    struct pg_level_version *warn = &out->modes[PG_MODE_WARN];
    bool enforce_valid = false;
    bool warn_level_given = false;
    bool warn_version_given = false;
    *out = *defaults;
    *error_count = 0;
    if (labels == NULL || labels->kind != PG_NODE_MAP || labels->as.map.len == 0) {
        return;
    }
    pg_buf_init(&collected.text, 0);
    collected.count = 0;
    enforce_valid = apply_level(enforce, &collected, labels, "enforce", PG_LEVEL_RESTRICTED);
    apply_version(enforce, &collected, labels, "enforce-version");
    apply_level(&out->modes[PG_MODE_AUDIT], &collected, labels, "audit", PG_LEVEL_PRIVILEGED);
    apply_version(&out->modes[PG_MODE_AUDIT], &collected, labels, "audit-version");
    (void)label_value(labels, "warn", &warn_level_given);
    apply_level(warn, &collected, labels, "warn", PG_LEVEL_PRIVILEGED);
    warn_version_given = apply_version(warn, &collected, labels, "warn-version");
    /* Warn follows a valid enforce label when warn has no level label of its own. */
    if (!warn_level_given && enforce_valid && enforce->level > warn->level) {
        warn->level = enforce->level;
        if (!warn_version_given) {
            warn->version = enforce->version;
        }
    }
    *error_count = collected.count;
    render_errors(errors, &collected);
    pg_buf_release(&collected.text);
}
