/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PodSecurityConfiguration reader (spec §8): strict decoding of the three
 * accepted apiVersions, defaulting of empty fields, and upstream's validation
 * of levels, versions and exemption lists. The result is immutable.
 */
#include "admission/admission_internal.h"

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_GROUP "pod-security.admission.config.k8s.io/"

struct name_list {
    char **items;
    size_t len;
};

struct pg_admission_config {
    struct pg_ns_policy defaults;
    struct name_list exempt[3]; /* indexed by enum pg_admission_exemption */
};

static const char *const MODE_KEYS[3][2] = {
    {"enforce", "enforce-version"},
    {"audit", "audit-version"},
    {"warn", "warn-version"},
};

static const char *const EXEMPT_KEYS[3] = {"usernames", "namespaces", "runtimeClasses"};

struct pg_admission_config *pg_admission_config_new_default(void)
{
    struct pg_admission_config *config = pg_xcalloc(1, sizeof(*config));
    pg_ns_policy_default(&config->defaults);
    return config;
}

void pg_admission_config_free(struct pg_admission_config *config)
{
    size_t list = 0;
    size_t i = 0;
    if (config == NULL) {
        return;
    }
    for (list = 0; list < 3; list++) {
        for (i = 0; i < config->exempt[list].len; i++) {
            free(config->exempt[list].items[i]);
        }
        free(config->exempt[list].items);
    }
    free(config);
}

const struct pg_ns_policy *pg_admission_config_defaults(const struct pg_admission_config *config)
{
    return &config->defaults;
}

bool pg_admission_config_exempt(const struct pg_admission_config *config,
                                enum pg_admission_exemption list, struct pg_str name)
{
    const struct name_list *names = &config->exempt[list];
    size_t i = 0;
    if (name.len == 0) {
        return false;
    }
    for (i = 0; i < names->len; i++) {
        if (strlen(names->items[i]) == name.len &&
            memcmp(names->items[i], name.ptr, name.len) == 0) {
            return true;
        }
    }
    return false;
}

/* Validation errors, upstream's field.ErrorList aggregated as `[e1, e2]`. */
struct field_errors {
    struct pg_buf text;
    size_t count;
};

static void field_error_start(struct field_errors *errors)
{
    pg_buf_puts(&errors->text, errors->count == 0 ? "" : ", ");
    errors->count++;
}

static void invalid_value(struct field_errors *errors, const char *path, struct pg_str value,
                          const char *detail)
{
    field_error_start(errors);
    pg_buf_printf(&errors->text, "%s: Invalid value: ", path);
    pg_buf_put_go_quoted(&errors->text, value);
    pg_buf_printf(&errors->text, ": %s", detail);
}

static bool is_alnum_lower(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])? */
static bool is_dns1123_label(const char *text, size_t len)
{
    size_t i = 0;
    if (len == 0 || !is_alnum_lower(text[0]) || !is_alnum_lower(text[len - 1])) {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (!is_alnum_lower(text[i]) && text[i] != '-') {
            return false;
        }
    }
    return true;
}

static bool is_dns1123_subdomain(const char *text)
{
    const char *label = text;
    for (;;) {
        const char *dot = strchr(label, '.');
        size_t len = dot != NULL ? (size_t)(dot - label) : strlen(label);
        if (!is_dns1123_label(label, len)) {
            return false;
        }
        if (dot == NULL) {
            return true;
        }
        label = dot + 1;
    }
}

static const char LABEL_MESSAGE[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

static const char SUBDOMAIN_MESSAGE[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

static void validate_name(struct field_errors *errors, enum pg_admission_exemption list,
                          const char *path, const char *name)
{
    struct pg_str value = {name, strlen(name)};
    switch (list) {
    case PG_EXEMPT_USERNAMES:
        if (value.len == 0) {
            invalid_value(errors, path, value, "username must not be empty");
        }
        return;
    case PG_EXEMPT_NAMESPACES:
        if (value.len > 63) {
            invalid_value(errors, path, value, "must be no more than 63 characters");
        }
        if (!is_dns1123_label(name, value.len)) {
            invalid_value(errors, path, value, LABEL_MESSAGE);
        }
        return;
    case PG_EXEMPT_RUNTIME_CLASSES:
        if (value.len > 253) {
            invalid_value(errors, path, value, "must be no more than 253 characters");
        }
        if (!is_dns1123_subdomain(name)) {
            invalid_value(errors, path, value, SUBDOMAIN_MESSAGE);
        }
        return;
    }
}

static void validate_list(struct field_errors *errors, const struct pg_admission_config *config,
                          enum pg_admission_exemption list)
{
    const struct name_list *names = &config->exempt[list];
    size_t i = 0;
    size_t j = 0;
    char path[64];
    for (i = 0; i < names->len; i++) {
        (void)snprintf(path, sizeof(path), "exemptions.%s[%zu]", EXEMPT_KEYS[list], i);
        validate_name(errors, list, path, names->items[i]);
        for (j = 0; j < i; j++) {
            if (strcmp(names->items[i], names->items[j]) == 0) {
                field_error_start(errors);
                pg_buf_printf(&errors->text, "%s: Duplicate value: ", path);
                pg_buf_put_go_quoted(&errors->text,
                                     (struct pg_str){names->items[i], strlen(names->items[i])});
                break;
            }
        }
    }
}

/* Strict decoding: every key of `map` must be one of `allowed` (NULL-terminated). */
static int check_fields(const struct pg_node *map, const char *where, const char *const *allowed,
                        struct pg_error *err)
{
    size_t i = 0;
    size_t k = 0;
    for (i = 0; i < map->as.map.len; i++) {
        struct pg_str key = map->as.map.entries[i].key;
        bool known = false;
        for (k = 0; allowed[k] != NULL && !known; k++) {
            known = strlen(allowed[k]) == key.len && memcmp(allowed[k], key.ptr, key.len) == 0;
        }
        if (!known) {
            return pg_error_set(err, PG_ETYPE, "strict decoding error: unknown field \"%s%.*s\"",
                                where, (int)key.len, key.ptr);
        }
    }
    return 0;
}

static int read_string(struct pg_str *out, const struct pg_node *node, const char *path,
                       struct pg_error *err)
{
    out->ptr = "";
    out->len = 0;
    if (pg_node_unset(node)) {
        return 0;
    }
    if (node->kind != PG_NODE_STR) {
        return pg_error_set_at(err, PG_ETYPE, node->line, node->column, path,
                               "%s: expected a string, got %s", path,
                               pg_node_kind_name(node->kind));
    }
    *out = node->as.str;
    return 0;
}

static int read_defaults(struct pg_admission_config *config, struct field_errors *errors,
                         const struct pg_node *defaults, struct pg_error *err)
{
    static const char *const FIELDS[] = {"enforce", "enforce-version", "audit", "audit-version",
                                         "warn",    "warn-version",    NULL};
    size_t mode = 0;
    char path[64];
    if (pg_node_unset(defaults)) {
        return 0;
    }
    if (defaults->kind != PG_NODE_MAP) {
        return pg_error_set(err, PG_ETYPE, "defaults: expected an object");
    }
    if (check_fields(defaults, "defaults.", FIELDS, err) != 0) {
        return err != NULL ? err->code : PG_ETYPE;
    }
    for (mode = 0; mode < 3; mode++) {
        struct pg_str level = {"", 0};
        struct pg_str version = {"", 0};
        struct pg_level_version *lv = &config->defaults.modes[mode];
        (void)snprintf(path, sizeof(path), "defaults.%s", MODE_KEYS[mode][0]);
        if (read_string(&level, pg_node_get(defaults, MODE_KEYS[mode][0]), path, err) != 0) {
            return PG_ETYPE;
        }
        if (level.len > 0 && pg_level_parse(&lv->level, level.ptr, level.len) != 0) {
            invalid_value(errors, path, level, "must be one of privileged, baseline, restricted");
        }
        (void)snprintf(path, sizeof(path), "defaults.%s", MODE_KEYS[mode][1]);
        if (read_string(&version, pg_node_get(defaults, MODE_KEYS[mode][1]), path, err) != 0) {
            return PG_ETYPE;
        }
        if (version.len > 0 && pg_version_parse(&lv->version, version.ptr, version.len) != 0) {
            invalid_value(errors, path, version, "must be \"latest\" or \"v1.x\"");
        }
    }
    return 0;
}

static int read_list(struct name_list *out, const struct pg_node *node, const char *path,
                     struct pg_error *err)
{
    size_t i = 0;
    if (pg_node_unset(node)) {
        return 0;
    }
    if (node->kind != PG_NODE_SEQ) {
        return pg_error_set(err, PG_ETYPE, "%s: expected a list", path);
    }
    out->items = pg_xcalloc(node->as.seq.len + 1, sizeof(char *));
    for (i = 0; i < node->as.seq.len; i++) {
        struct pg_str value = {"", 0};
        if (read_string(&value, node->as.seq.items[i], path, err) != 0) {
            return PG_ETYPE;
        }
        out->items[out->len++] = pg_xstrndup(value.ptr, value.len);
    }
    return 0;
}

static int read_exemptions(struct pg_admission_config *config, const struct pg_node *exemptions,
                           struct pg_error *err)
{
    static const char *const FIELDS[] = {"usernames", "namespaces", "runtimeClasses", NULL};
    size_t list = 0;
    char path[64];
    if (pg_node_unset(exemptions)) {
        return 0;
    }
    if (exemptions->kind != PG_NODE_MAP) {
        return pg_error_set(err, PG_ETYPE, "exemptions: expected an object");
    }
    if (check_fields(exemptions, "exemptions.", FIELDS, err) != 0) {
        return PG_ETYPE;
    }
    for (list = 0; list < 3; list++) {
        (void)snprintf(path, sizeof(path), "exemptions.%s", EXEMPT_KEYS[list]);
        if (read_list(&config->exempt[list], pg_node_get(exemptions, EXEMPT_KEYS[list]), path,
                      err) != 0) {
            return PG_ETYPE;
        }
    }
    return 0;
}

static int check_type(const struct pg_node *root, struct pg_error *err)
{
    static const char *const FIELDS[] = {"apiVersion", "kind", "defaults", "exemptions", NULL};
    static const char *const VERSIONS[] = {CONFIG_GROUP "v1", CONFIG_GROUP "v1beta1",
                                           CONFIG_GROUP "v1alpha1"};
    const struct pg_node *api_version = pg_node_get(root, "apiVersion");
    const struct pg_node *kind = pg_node_get(root, "kind");
    bool known = false;
    size_t i = 0;
    if (root->kind != PG_NODE_MAP) {
        return pg_error_set(err, PG_ETYPE, "expected a PodSecurityConfiguration object");
    }
    if (check_fields(root, "", FIELDS, err) != 0) {
        return PG_ETYPE;
    }
    for (i = 0; i < 3 && api_version != NULL && api_version->kind == PG_NODE_STR; i++) {
        known = known || pg_adm_str_eq(api_version->as.str, VERSIONS[i]);
    }
    if (!known || kind == NULL || kind->kind != PG_NODE_STR ||
        !pg_adm_str_eq(kind->as.str, "PodSecurityConfiguration")) {
        return pg_error_set(err, PG_ETYPE,
                            "no kind PodSecurityConfiguration is registered for that apiVersion "
                            "(want kind PodSecurityConfiguration, apiVersion " CONFIG_GROUP
                            "v1, v1beta1 or v1alpha1)");
    }
    return 0;
}

static int decode_document(struct pg_admission_config *config, const struct pg_doc *doc,
                           struct pg_error *err)
{
    struct field_errors errors = {PG_BUF_INIT, 0};
    int rc = 0;
    if (doc->warnings_len > 0) {
        return pg_error_set_at(err, PG_ETYPE, doc->warnings[0].line, doc->warnings[0].column, NULL,
                               "strict decoding error: %.*s", (int)doc->warnings[0].message.len,
                               doc->warnings[0].message.ptr);
    }
    rc = check_type(doc->root, err);
    if (rc == 0) {
        rc = read_defaults(config, &errors, pg_node_get(doc->root, "defaults"), err);
    }
    if (rc == 0) {
        rc = read_exemptions(config, pg_node_get(doc->root, "exemptions"), err);
    }
    if (rc == 0) {
        validate_list(&errors, config, PG_EXEMPT_NAMESPACES);
        validate_list(&errors, config, PG_EXEMPT_RUNTIME_CLASSES);
        validate_list(&errors, config, PG_EXEMPT_USERNAMES);
    }
    if (rc == 0 && errors.count > 0) {
        rc = pg_error_set(err, PG_EINVAL, "%s%s%s", errors.count > 1 ? "[" : "", errors.text.ptr,
                          errors.count > 1 ? "]" : "");
    }
    pg_buf_release(&errors.text);
    return rc;
}

static bool only_blanks(const char *data, size_t len)
{
    size_t i = 0;
    for (i = 0; i < len; i++) {
        if (data[i] != ' ' && data[i] != '\t' && data[i] != '\n' && data[i] != '\r') {
            return false;
        }
    }
    return true;
}

int pg_admission_config_parse(struct pg_admission_config **out, const char *data, size_t len,
                              struct pg_error *err)
{
    struct pg_admission_config *config = pg_admission_config_new_default();
    struct pg_doc_reader *reader = NULL;
    struct pg_doc *doc = NULL;
    int rc = 0;
    if (out == NULL || (data == NULL && len > 0)) {
        pg_admission_config_free(config);
        return pg_error_set(err, PG_EINVAL, "invalid argument");
    }
    if (len > 0 && !only_blanks(data, len)) {
        rc = pg_doc_reader_new(&reader, data, len, PG_FORMAT_AUTO, NULL, err);
        if (rc == 0) {
            rc = pg_doc_reader_next(reader, &doc, NULL, err);
            rc = rc == 1 ? 0 : (rc == 0 ? pg_error_set(err, PG_EPARSE, "empty document") : rc);
        }
        if (rc == 0 && doc->root != NULL) {
            rc = decode_document(config, doc, err);
        }
    }
    if (rc == 0) {
        *out = config;
        config = NULL;
    }
    pg_doc_free(doc);
    pg_doc_reader_free(reader);
    pg_admission_config_free(config);
    return rc;
}
