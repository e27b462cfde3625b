/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespace requests (spec §6.5): label validation with upstream's 422
 * Invalid status and causes, the exempt-namespace warning, and the decision
 * to dry-run existing pods when the enforce level tightens.
 */
#include "admission/admission_internal.h"

#include "podgate/workload.h"

#include <stdio.h>
#include <string.h>

#define LABEL_PREFIX "pod-security.kubernetes.io/"

static const char *const LABEL_KEYS[6] = {"enforce", "enforce-version", "audit", "audit-version",
                                          "warn",    "warn-version"};

/* Policy and label errors of one labels map. */
struct ns_policy {
    struct pg_ns_policy policy;
    size_t error_count;
    struct pg_buf errors;
};

static void compute(struct ns_policy *out, const struct pg_adm_ctx *ctx,
                    const struct pg_node *labels)
{
    pg_buf_init(&out->errors, 0);
    pg_ns_policy_from_labels(&out->policy, &out->error_count, &out->errors, labels,
                             pg_admission_config_defaults(ctx->config));
}

static const struct pg_node *label_node(const struct pg_node *labels, size_t key)
{
    char full[64];
    (void)snprintf(full, sizeof(full), LABEL_PREFIX "%s", LABEL_KEYS[key]);
    return pg_node_get(labels, full);
}

/* One StatusCause per invalid label, in PolicyToEvaluate's order. */
static void put_causes(struct pg_buf *out, const struct pg_node *labels)
{
    size_t key = 0;
    bool first = true;
    for (key = 0; key < 6; key++) {
        const struct pg_node *node = label_node(labels, key);
        struct pg_str value = {"", 0};
        struct pg_level_version lv;
        bool version = key % 2 == 1;
        if (node == NULL) {
            continue;
        }
        if (node->kind != PG_NODE_NULL) {
            value = node->kind == PG_NODE_STR ? node->as.str : node->text;
        }
        if (version ? pg_version_parse(&lv.version, value.ptr, value.len) == 0
                    : pg_level_parse(&lv.level, value.ptr, value.len) == 0) {
            continue;
        }
        pg_buf_puts(out, first ? "" : ",");
        first = false;
        pg_buf_puts(out, "{\"reason\":\"FieldValueInvalid\",\"message\":");
        {
            struct pg_buf message = PG_BUF_INIT;
            pg_buf_puts(&message, "Invalid value: ");
            pg_buf_put_go_quoted(&message, value);
            pg_buf_puts(&message, version ? ": must be \"latest\" or \"v1.x\""
                                          : ": must be one of privileged, baseline, restricted");
            pg_buf_put_go_json_string(out, pg_buf_str(&message));
            pg_buf_release(&message);
        }
        pg_buf_puts(out, ",\"field\":\"metadata.labels[" LABEL_PREFIX);
        pg_buf_puts(out, LABEL_KEYS[key]);
        pg_buf_puts(out, "]\"}");
    }
}

/* apierrors.NewInvalid(Namespace, name, errs): 422 with one cause per error. */
static void deny_invalid(struct pg_adm_ctx *ctx, struct pg_str name, const struct ns_policy *policy,
                         const struct pg_node *labels)
{
    struct pg_adm_response *response = ctx->response;
    response->allowed = false;
    response->code = 422;
    response->status_reason = "Invalid";
    pg_buf_clear(&response->message);
    pg_buf_puts(&response->message, "Namespace ");
    pg_buf_put_go_quoted(&response->message, name);
    pg_buf_puts(&response->message, " is invalid: ");
    pg_buf_put_str(&response->message, pg_buf_str(&policy->errors));
    pg_buf_clear(&response->details);
    response->details_from_request = false;
    pg_buf_puts(&response->details, "{");
    if (name.len > 0) {
        pg_buf_puts(&response->details, "\"name\":");
        pg_buf_put_go_json_string(&response->details, name);
        pg_buf_putc(&response->details, ',');
    }
    pg_buf_puts(&response->details, "\"kind\":\"Namespace\",\"causes\":[");
    put_causes(&response->details, labels);
    pg_buf_puts(&response->details, "]}");
}

static bool policy_equivalent(const struct pg_ns_policy *a, const struct pg_ns_policy *b)
{
    size_t mode = 0;
    for (mode = 0; mode < 3; mode++) {
        if (!pg_level_version_equivalent(a->modes[mode], b->modes[mode])) {
            return false;
        }
    }
    return true;
}

/* exemptNamespaceWarning: empty when fully privileged or equivalent to the defaults. */
static void exempt_warning(struct pg_adm_ctx *ctx, struct pg_str name,
                           const struct pg_ns_policy *policy, const struct pg_node *labels)
{
    struct pg_buf text = PG_BUF_INIT;
    size_t mode = 0;
    bool any = false;
    if (!pg_admission_config_exempt(ctx->config, PG_EXEMPT_NAMESPACES, ctx->request->namespace_)) {
        return;
    }
    if ((policy->modes[0].level == PG_LEVEL_PRIVILEGED &&
         policy->modes[1].level == PG_LEVEL_PRIVILEGED &&
         policy->modes[2].level == PG_LEVEL_PRIVILEGED) ||
        policy_equivalent(policy, pg_admission_config_defaults(ctx->config))) {
        return;
    }
    pg_buf_puts(&text, "namespace ");
    pg_buf_put_go_quoted(&text, name);
    pg_buf_puts(&text, " is exempt from Pod Security, and the policy (");
    for (mode = 0; mode < 3; mode++) {
        char lv[64];
        bool labelled =
            label_node(labels, mode * 2) != NULL || label_node(labels, mode * 2 + 1) != NULL;
        if (policy->modes[mode].level == PG_LEVEL_PRIVILEGED || !labelled) {
            continue;
        }
        (void)pg_level_version_format(lv, sizeof(lv), policy->modes[mode]);
        pg_buf_printf(&text, "%s%s=%s", any ? ", " : "", pg_mode_name((enum pg_mode)mode), lv);
        any = true;
    }
    pg_buf_puts(&text, ") will be ignored");
    pg_adm_warn(ctx->response, pg_buf_str(&text));
    pg_buf_release(&text);
}

/* The Namespace object: 0, or -1 after denying with BadRequest. */
static int decode_namespace(struct pg_object_ref *out, struct pg_adm_ctx *ctx,
                            const struct pg_node *object, bool old)
{
    struct pg_error err;
    const char *what = old ? "failed to decode  old object" : "failed to decode object";
    if (object == NULL || pg_object_ref_read(out, object, &err) != 0 || out->kind.len == 0) {
        pg_adm_deny_bad_request(ctx->response, what,
                                object == NULL || out->kind.len == 0 ? "Object 'Kind' is missing"
                                                                     : err.message);
        return -1;
    }
    if (!pg_adm_str_eq(out->kind, "Namespace") || !pg_adm_str_eq(out->api_version, "v1")) {
        pg_adm_deny_bad_request(
            ctx->response, old ? "failed to decode  old namespace" : "failed to decode namespace",
            NULL);
        return -1;
    }
    return 0;
}

static bool same_level_version(struct pg_level_version a, struct pg_level_version b)
{
    return a.level == b.level && a.version.latest == b.version.latest &&
           (a.version.latest || a.version.minor == b.version.minor);
}

static void validate_update(struct pg_adm_ctx *ctx, const struct pg_object_ref *ns,
                            const struct ns_policy *now)
{
    struct pg_object_ref old_ref;
    struct ns_policy old;
    struct pg_level_version enforce = now->policy.modes[PG_MODE_ENFORCE];
    struct pg_level_version old_enforce;
    if (decode_namespace(&old_ref, ctx, ctx->request->old_object, true) != 0) {
        return;
    }
    compute(&old, ctx, old_ref.labels);
    old_enforce = old.policy.modes[PG_MODE_ENFORCE];
    /* Unchanged invalid labels are tolerated. */
    if (now->error_count > 0 && (old.error_count == 0 || old.errors.len != now->errors.len ||
                                 memcmp(old.errors.ptr, now->errors.ptr, now->errors.len) != 0)) {
        deny_invalid(ctx, ctx->request->name, now, ns->labels);
    } else if (same_level_version(enforce, old_enforce) || enforce.level == PG_LEVEL_PRIVILEGED) {
        /* Nothing tightened. */
    } else if (enforce.version.latest == old_enforce.version.latest &&
               (enforce.version.latest || enforce.version.minor == old_enforce.version.minor) &&
               enforce.level <= old_enforce.level) {
        /* Same version, level relaxed. */
    } else if (pg_admission_config_exempt(ctx->config, PG_EXEMPT_NAMESPACES,
                                          ctx->request->namespace_)) {
        exempt_warning(ctx, ns->name, &now->policy, ns->labels);
    } else {
        pg_adm_dry_run(ctx, ns->name, enforce);
    }
    pg_buf_release(&old.errors);
}

void pg_adm_validate_namespace(struct pg_adm_ctx *ctx)
{
    struct pg_object_ref ns;
    struct ns_policy now;
    if (ctx->request->subresource.len > 0) {
        return;
    }
    if (decode_namespace(&ns, ctx, ctx->request->object, false) != 0) {
        return;
    }
    compute(&now, ctx, ns.labels);
    if (pg_adm_str_eq(ctx->request->operation, "CREATE")) {
        if (now.error_count > 0) {
            deny_invalid(ctx, ctx->request->name, &now, ns.labels);
        } else {
            exempt_warning(ctx, ns.name, &now.policy, ns.labels);
        }
    } else if (pg_adm_str_eq(ctx->request->operation, "UPDATE")) {
        validate_update(ctx, &ns, &now);
    }
    pg_buf_release(&now.errors);
}
