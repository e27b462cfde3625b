/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Admission decisions for pods and pod controllers (spec §6.1–§6.4, §6.7):
 * routing, exemptions, the namespace lookup, the fully-privileged shortcut,
 * the significant-update rule, and enforce/audit/warn evaluation with
 * upstream's messages, audit annotations and metric events.
 */
#include "admission/admission_internal.h"

#include "podgate/eval.h"
#include "podgate/workload.h"

#include <string.h>

/* One evaluation, reused for an identical level:version (spec §6.4) and policy binding. */
struct cached_result {
    struct pg_level_version lv;
    char lv_text[64]; /* lv as labels and messages show it */
    bool custom;
    struct pg_findings findings;
    bool used;
    struct pg_buf details; /* pg_render_details of the findings, once rendered */
    bool rendered;
};

struct evaluation {
    const struct pg_pod *pod;
    const struct pg_policy *custom; /* the namespace's bound policy, or NULL */
    struct pg_date today;
    struct pg_exempted_list exempted; /* what the custom evaluation removed */
    const struct pg_findings *custom_findings;
    struct cached_result cache[3];
};

static const char *const IGNORED_POD_SUBRESOURCES[] = {
    "exec", "attach", "binding", "eviction", "log", "portforward", "proxy", "status",
};

static struct pg_admission_metric metric_of(enum pg_admission_metric_kind kind)
{
    struct pg_admission_metric metric;
    memset(&metric, 0, sizeof(metric));
    metric.kind = kind;
    return metric;
}

static void record_evaluation(struct pg_adm_ctx *ctx, bool deny, struct pg_level_version lv,
                              enum pg_mode mode)
{
    struct pg_admission_metric metric = metric_of(PG_ADMISSION_METRIC_EVALUATION);
    metric.deny = deny;
    metric.policy = lv;
    metric.mode = mode;
    pg_adm_metric(ctx->response, metric);
}

static void record_error(struct pg_adm_ctx *ctx, bool fatal)
{
    struct pg_admission_metric metric = metric_of(PG_ADMISSION_METRIC_ERROR);
    metric.fatal = fatal;
    pg_adm_metric(ctx->response, metric);
}

static void allow_exempt(struct pg_adm_ctx *ctx, const char *what)
{
    pg_buf_puts(pg_adm_annotate(ctx->response, PG_ADM_ANN_EXEMPT), what);
    pg_adm_metric(ctx->response, metric_of(PG_ADMISSION_METRIC_EXEMPTION));
}

/* Namespace, then user exemption (spec §6.2 steps 2–3); true when one applied. */
static bool exempt_namespace_or_user(struct pg_adm_ctx *ctx)
{
    if (pg_admission_config_exempt(ctx->config, PG_EXEMPT_NAMESPACES, ctx->request->namespace_)) {
        allow_exempt(ctx, "namespace");
        return true;
    }
    if (pg_admission_config_exempt(ctx->config, PG_EXEMPT_USERNAMES, ctx->request->username)) {
        allow_exempt(ctx, "user");
        return true;
    }
    return false;
}

static int lookup_policy(struct pg_adm_policy *out, struct pg_adm_ctx *ctx, struct pg_buf *error)
{
    const struct pg_node *labels = NULL;
    const struct pg_admission_handler *handler = ctx->handler;
    int rc = handler->get_namespace(&labels, ctx->arena, ctx->request->namespace_, error,
                                    handler->namespace_ctx);
    if (rc != 0) {
        return rc;
    }
    pg_ns_policy_from_labels(&out->policy, &out->error_count, &out->errors, labels,
                             pg_admission_config_defaults(ctx->config));
    pg_adm_bind_custom(out, ctx, labels);
    return 0;
}

static bool lv_equal(struct pg_level_version a, struct pg_level_version b)
{
    return a.level == b.level && a.version.latest == b.version.latest &&
           (a.version.latest || a.version.minor == b.version.minor);
}

/* Findings at `lv`; `custom`: the bound policy's findings, its exemptions applied. */
static struct cached_result *evaluate_at(struct evaluation *eval, struct pg_level_version lv,
                                         bool custom)
{
    struct pg_exempted_list *exempted = NULL;
    size_t i = 0;
    custom = custom && eval->custom != NULL;
    for (i = 0; i < 3 && eval->cache[i].used; i++) {
        if (lv_equal(eval->cache[i].lv, lv) && eval->cache[i].custom == custom) {
            return &eval->cache[i];
        }
    }
    if (i == 3) {
        i = 2; /* cannot happen: at most three modes */
    }
    eval->cache[i].used = true;
    eval->cache[i].lv = lv;
    /* Formatted once: the enforce annotation and every message of this result show it. */
    (void)pg_level_version_format(eval->cache[i].lv_text, sizeof(eval->cache[i].lv_text), lv);
    eval->cache[i].custom = custom;
    /* A custom policy too is judged at `lv`, not at its own version: warn may be the policy at
       a warn-version label's version. */
    pg_evaluate(&eval->cache[i].findings, eval->pod, lv);
    if (!custom) {
        return &eval->cache[i];
    }
    /* The first custom evaluation (enforce's, when there is one) is what the annotation and
       the expiry warnings report. */
    exempted = eval->custom_findings == NULL ? &eval->exempted : NULL;
    /* Fails only for an invalid date: then nothing is exempted (fail closed). */
    if (pg_policy_apply(exempted, &eval->cache[i].findings, eval->custom, eval->pod, eval->today) !=
            0 &&
        exempted != NULL) {
        pg_exempted_list_reset(exempted);
    }
    if (eval->custom_findings == NULL) {
        eval->custom_findings = &eval->cache[i].findings;
    }
    return &eval->cache[i];
}

#define PODSECURITY_QUOTE " PodSecurity \""
#define QUOTE_COLON "\": "

/* The details of a result's findings, rendered once: a denial's message and its audit
 * annotation usually show the same ones. */
static void render_details(struct cached_result *result, const struct pg_pod *pod)
{
    if (!result->rendered) {
        pg_render_details(&result->details, &result->findings, pod);
        result->rendered = true;
    }
}

/* Length of what put_violation writes (render_details done). */
static size_t violation_len(const char *prefix, const struct cached_result *result)
{
    return strlen(prefix) + sizeof(PODSECURITY_QUOTE) - 1 + strlen(result->lv_text) +
           sizeof(QUOTE_COLON) - 1 + result->details.len;
}

/*
 * `<prefix> PodSecurity "<lv>": <details>` into buf (render_details done),
 * with room reserved for all of it at once.
 */
static void put_violation(struct pg_buf *buf, const char *prefix,
                          const struct cached_result *result)
{
    (void)pg_buf_reserve(buf, violation_len(prefix, result));
    pg_buf_puts(buf, prefix);
    PG_BUF_PUT_LIT(buf, PODSECURITY_QUOTE);
    pg_buf_puts(buf, result->lv_text);
    PG_BUF_PUT_LIT(buf, QUOTE_COLON);
    pg_buf_put_str(buf, pg_buf_str(&result->details));
}

static void enforce_mode(struct pg_adm_ctx *ctx, struct evaluation *eval,
                         struct pg_level_version lv, bool custom)
{
    struct cached_result *result = evaluate_at(eval, lv, custom);
    pg_buf_puts(pg_adm_annotate(ctx->response, PG_ADM_ANN_ENFORCE_POLICY), result->lv_text);
    if (result->findings.forbidden != 0) {
        /* Straight into the message: no copy of the reason. */
        render_details(result, eval->pod);
        put_violation(
            pg_adm_deny_forbidden(ctx->response, ctx->request, violation_len("violates", result)),
            "violates", result);
    }
    record_evaluation(ctx, result->findings.forbidden != 0, lv, PG_MODE_ENFORCE);
}

static void audit_and_warn(struct pg_adm_ctx *ctx, struct evaluation *eval,
                           const struct pg_adm_policy *policy)
{
    struct pg_level_version audit = policy->policy.modes[PG_MODE_AUDIT];
    struct pg_level_version warn = policy->policy.modes[PG_MODE_WARN];
    struct cached_result *result = evaluate_at(eval, audit, false);
    struct pg_buf warning = PG_BUF_INIT;
    if (result->findings.forbidden != 0) {
        render_details(result, eval->pod);
        put_violation(pg_adm_annotate(ctx->response, PG_ADM_ANN_AUDIT_VIOLATIONS), "would violate",
                      result);
        record_evaluation(ctx, true, audit, PG_MODE_AUDIT);
    }
    /* No warnings on a request that is already denied. */
    if (!ctx->response->allowed) {
        return;
    }
    result = evaluate_at(eval, warn, policy->warn_custom);
    if (result->findings.forbidden != 0) {
        render_details(result, eval->pod);
        put_violation(&warning, "would violate", result);
        pg_adm_warn(ctx->response, pg_buf_str(&warning));
        record_evaluation(ctx, true, warn, PG_MODE_WARN);
    }
    pg_buf_release(&warning);
}

/* Label errors as upstream reports them, then a failed custom policy binding. */
static void annotate_policy_errors(struct pg_adm_ctx *ctx, const struct pg_adm_policy *policy)
{
    struct pg_buf *error = NULL;
    if (policy->error_count > 0) {
        error = pg_adm_annotate(ctx->response, PG_ADM_ANN_ERROR);
        pg_buf_puts(error, "Failed to parse policy: ");
        pg_buf_put_str(error, pg_buf_str(&policy->errors));
    }
    if (policy->bind_error.len > 0) {
        if (error == NULL) {
            error = pg_adm_annotate(ctx->response, PG_ADM_ANN_ERROR);
        } else {
            pg_buf_puts(error, "; ");
        }
        pg_buf_put_str(error, pg_buf_str(&policy->bind_error));
    }
    if (error != NULL) {
        record_error(ctx, false);
    }
}

/* EvaluatePod (spec §6.4). */
static void evaluate_pod(struct pg_adm_ctx *ctx, const struct pg_adm_policy *policy,
                         const struct pg_pod *pod, bool enforce)
{
    struct evaluation eval;
    size_t i = 0;
    if (pod->runtime_class_name.node != NULL &&
        pg_admission_config_exempt(ctx->config, PG_EXEMPT_RUNTIME_CLASSES,
                                   pod->runtime_class_name.value)) {
        allow_exempt(ctx, "runtimeClass");
        return;
    }
    memset(&eval, 0, sizeof(eval));
    eval.pod = pod;
    eval.custom = policy->custom;
    eval.today = ctx->today;
    pg_exempted_list_init(&eval.exempted);
    for (i = 0; i < 3; i++) {
        pg_findings_init(&eval.cache[i].findings);
        pg_buf_init(&eval.cache[i].details, 0);
    }
    annotate_policy_errors(ctx, policy);
    if (enforce) {
        enforce_mode(ctx, &eval, policy->policy.modes[PG_MODE_ENFORCE], true);
    }
    audit_and_warn(ctx, &eval, policy);
    if (eval.custom_findings != NULL) {
        pg_adm_report_custom(ctx, eval.custom, &eval.exempted, eval.custom_findings, pod);
    }
    for (i = 0; i < 3; i++) {
        pg_findings_release(&eval.cache[i].findings);
        pg_buf_release(&eval.cache[i].details);
    }
    pg_exempted_list_release(&eval.exempted);
}

int pg_adm_extract_pod(struct pg_pod *out, struct pg_arena *arena, const struct pg_limits *limits,
                       const struct pg_node *metadata, const struct pg_node *spec,
                       struct pg_error *err)
{
    /* Admission sees objects after API-server defaulting: no scanner defaulting. */
    struct pg_pod_options options = {false, true, false};
    if (metadata != NULL && metadata->kind != PG_NODE_MAP) {
        return pg_error_set(err, PG_ETYPE, "metadata: expected an object, got %s",
                            pg_node_kind_name(metadata->kind));
    }
    return pg_pod_extract(out, arena, metadata, spec, "spec", &options, limits, err);
}

/* A pod object: 0, or -1 with *why set ("failed to decode object" / "… pod"). */
static int decode_pod(struct pg_pod *out, struct pg_adm_ctx *ctx, const struct pg_node *object,
                      bool old, struct pg_buf *underlying)
{
    struct pg_object_ref ref;
    struct pg_error err;
    const char *what = old ? "failed to decode old object" : "failed to decode object";
    if (object == NULL) {
        pg_buf_puts(underlying, "Object 'Kind' is missing in 'null'");
        pg_adm_deny_bad_request(ctx->response, what, underlying->ptr);
        return -1;
    }
    if (pg_object_ref_read(&ref, object, &err) != 0 || ref.kind.len == 0 ||
        ref.api_version.len == 0) {
        pg_buf_puts(underlying, ref.kind.len == 0 ? "Object 'Kind' is missing" : err.message);
        pg_adm_deny_bad_request(ctx->response, what, underlying->ptr);
        return -1;
    }
    if (!pg_adm_str_eq(ref.kind, "Pod") || !pg_adm_str_eq(ref.api_version, "v1")) {
        pg_adm_deny_bad_request(ctx->response,
                                old ? "failed to decode old pod" : "failed to decode pod", NULL);
        return -1;
    }
    if (pg_adm_extract_pod(out, ctx->arena, &ctx->limits, pg_node_get(object, "metadata"),
                           pg_node_get(object, "spec"), &err) != 0) {
        pg_adm_deny_bad_request(ctx->response, what, err.message);
        return -1;
    }
    return 0;
}

static size_t count_list(const struct pg_pod *pod, enum pg_container_list list)
{
    size_t count = 0;
    size_t i = 0;
    for (i = 0; i < pod->containers_len; i++) {
        count += pod->containers[i].list == list;
    }
    return count;
}

static const struct pg_container *find_container(const struct pg_pod *pod,
                                                 enum pg_container_list list, size_t index,
                                                 const struct pg_str *name)
{
    size_t i = 0;
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_container *c = &pod->containers[i];
        if (c->list != list) {
            continue;
        }
        if (name == NULL
                ? c->list_index == index
                : c->name.len == name->len && memcmp(c->name.ptr, name->ptr, name->len) == 0) {
            return c;
        }
    }
    return NULL;
}

static bool same_image(const struct pg_container *a, const struct pg_container *b)
{
    return a->image.len == b->image.len && memcmp(a->image.ptr, b->image.ptr, a->image.len) == 0;
}

/* isSignificantPodUpdate (spec §6.2 step 8). */
static bool significant_update(const struct pg_pod *pod, const struct pg_pod *old)
{
    size_t i = 0;
    if (count_list(pod, PG_CONTAINERS_REGULAR) != count_list(old, PG_CONTAINERS_REGULAR) ||
        count_list(pod, PG_CONTAINERS_INIT) != count_list(old, PG_CONTAINERS_INIT)) {
        return true;
    }
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_container *c = &pod->containers[i];
        const struct pg_container *before = NULL;
        if (c->list == PG_CONTAINERS_EPHEMERAL) {
            before = find_container(old, c->list, 0, &c->name);
        } else {
            before = find_container(old, c->list, c->list_index, NULL);
        }
        if (before == NULL || !same_image(c, before)) {
            return true;
        }
    }
    return false;
}

static bool fully_privileged(const struct pg_ns_policy *policy)
{
    return policy->modes[PG_MODE_ENFORCE].level == PG_LEVEL_PRIVILEGED &&
           policy->modes[PG_MODE_AUDIT].level == PG_LEVEL_PRIVILEGED &&
           policy->modes[PG_MODE_WARN].level == PG_LEVEL_PRIVILEGED;
}

static bool is_ignored_pod_subresource(struct pg_str subresource)
{
    size_t i = 0;
    if (subresource.len == 0) {
        return false; /* the pod itself: by far the most reviews */
    }
    for (i = 0; i < sizeof(IGNORED_POD_SUBRESOURCES) / sizeof(IGNORED_POD_SUBRESOURCES[0]); i++) {
        if (pg_adm_str_eq(subresource, IGNORED_POD_SUBRESOURCES[i])) {
            return true;
        }
    }
    return false;
}

static void deny_lookup_failure(struct pg_adm_ctx *ctx, const struct pg_buf *error)
{
    struct pg_buf cause = PG_BUF_INIT;
    struct pg_buf *annotation = pg_adm_annotate(ctx->response, PG_ADM_ANN_ERROR);
    pg_buf_puts(&cause, "failed to lookup namespace ");
    pg_buf_put_go_quoted(&cause, ctx->request->namespace_);
    pg_adm_deny_internal(ctx->response, pg_buf_str(&cause));
    pg_buf_put_str(annotation, pg_buf_str(&ctx->response->message));
    pg_buf_puts(annotation, ": ");
    pg_buf_put_str(annotation, pg_buf_str(error));
    record_error(ctx, true);
    pg_buf_release(&cause);
}

/* Decode the pod(s) and evaluate; the namespace policy is known. */
static void validate_pod_object(struct pg_adm_ctx *ctx, const struct pg_adm_policy *policy)
{
    struct pg_pod pod;
    struct pg_pod old;
    struct pg_buf underlying = PG_BUF_INIT;
    if (decode_pod(&pod, ctx, ctx->request->object, false, &underlying) != 0) {
        record_error(ctx, true);
        goto cleanup;
    }
    if (pg_adm_str_eq(ctx->request->operation, "UPDATE")) {
        if (decode_pod(&old, ctx, ctx->request->old_object, true, &underlying) != 0) {
            record_error(ctx, true);
            goto cleanup;
        }
        if (!significant_update(&pod, &old)) {
            goto cleanup;
        }
    }
    evaluate_pod(ctx, policy, &pod, true);
cleanup:
    pg_buf_release(&underlying);
}

static void validate_pod(struct pg_adm_ctx *ctx)
{
    struct pg_adm_policy policy = {.errors = PG_BUF_INIT, .bind_error = PG_BUF_INIT};
    struct pg_buf error = PG_BUF_INIT;
    if (is_ignored_pod_subresource(ctx->request->subresource) || exempt_namespace_or_user(ctx)) {
        return;
    }
    if (lookup_policy(&policy, ctx, &error) != 0) {
        deny_lookup_failure(ctx, &error);
        goto cleanup;
    }
    if (policy.error_count == 0 && policy.bind_error.len == 0 && fully_privileged(&policy.policy)) {
        pg_buf_puts(pg_adm_annotate(ctx->response, PG_ADM_ANN_ENFORCE_POLICY), "privileged:latest");
        record_evaluation(ctx, false, policy.policy.modes[PG_MODE_ENFORCE], PG_MODE_ENFORCE);
        goto cleanup;
    }
    validate_pod_object(ctx, &policy);
cleanup:
    pg_buf_release(&policy.errors);
    pg_buf_release(&policy.bind_error);
    pg_buf_release(&error);
}

/* Controllers fail open: an allowed response with an `error` annotation. */
static void allow_with_error(struct pg_adm_ctx *ctx, const char *prefix, const char *detail)
{
    struct pg_buf *annotation = pg_adm_annotate(ctx->response, PG_ADM_ANN_ERROR);
    pg_buf_puts(annotation, prefix);
    pg_buf_puts(annotation, detail);
    record_error(ctx, true);
}

/* `group/version, Kind=kind` of an object (schema.GroupVersionKind.String). */
static void put_gvk(struct pg_buf *buf, const struct pg_object_ref *ref)
{
    const char *slash = memchr(ref->api_version.ptr, '/', ref->api_version.len);
    if (slash == NULL) {
        pg_buf_putc(buf, '/');
    }
    pg_buf_put_str(buf, ref->api_version);
    pg_buf_puts(buf, ", Kind=");
    pg_buf_put_str(buf, ref->kind);
}

/* Upstream reports nothing about a workload here (spec §6.3 step 4). */
static bool warn_and_audit_privileged(const struct pg_adm_policy *policy)
{
    const struct pg_ns_policy *p = &policy->policy;
    return policy->error_count == 0 && policy->bind_error.len == 0 &&
           p->modes[PG_MODE_WARN].level == PG_LEVEL_PRIVILEGED &&
           p->modes[PG_MODE_AUDIT].level == PG_LEVEL_PRIVILEGED;
}

/*
 * A workload's template: warn and audit as upstream; enforced with --enforce-workloads when
 * the request rolls out new pods, so that scaling and deleting a workload whose namespace was
 * tightened after it was created still work.
 */
static void evaluate_template(struct pg_adm_ctx *ctx, const struct pg_adm_policy *policy,
                              const struct pg_workload *workload, const struct pg_pod *pod)
{
    bool enforce = ctx->handler->enforce_workloads &&
                   pg_adm_template_update_significant(ctx->request, workload);
    if (!enforce && warn_and_audit_privileged(policy)) {
        return;
    }
    evaluate_pod(ctx, policy, pod, enforce);
}

static void evaluate_controller(struct pg_adm_ctx *ctx, const struct pg_adm_policy *policy)
{
    struct pg_workload workload;
    struct pg_pod pod;
    struct pg_error err;
    struct pg_buf gvk = PG_BUF_INIT;
    const struct pg_node *object = ctx->request->object;
    int rc = object == NULL ? pg_error_set(&err, PG_ETYPE, "Object 'Kind' is missing in 'null'")
                            : pg_workload_identify(&workload, object, &err);
    if (rc < 0 || workload.ref.kind.len == 0) {
        allow_with_error(
            ctx, "failed to decode object: ", rc < 0 ? err.message : "Object 'Kind' is missing");
    } else if (rc == 0) {
        put_gvk(&gvk, &workload.ref);
        allow_with_error(ctx, "failed to extract pod template: unexpected object type: ", gvk.ptr);
    } else if (!workload.has_template) {
        /* A ReplicationController without a template: nothing to judge. */
    } else if (pg_adm_extract_pod(&pod, ctx->arena, &ctx->limits, workload.pod_metadata,
                                  workload.pod_spec, &err) != 0) {
        allow_with_error(ctx, "failed to decode object: ", err.message);
    } else {
        evaluate_template(ctx, policy, &workload, &pod);
    }
    pg_buf_release(&gvk);
}

static void validate_controller(struct pg_adm_ctx *ctx)
{
    struct pg_adm_policy policy = {.errors = PG_BUF_INIT, .bind_error = PG_BUF_INIT};
    struct pg_buf error = PG_BUF_INIT;
    struct pg_buf prefix = PG_BUF_INIT;
    if (ctx->request->subresource.len > 0 || exempt_namespace_or_user(ctx)) {
        return;
    }
    if (lookup_policy(&policy, ctx, &error) != 0) {
        pg_buf_puts(&prefix, "failed to lookup namespace ");
        pg_buf_put_go_quoted(&prefix, ctx->request->namespace_);
        pg_buf_puts(&prefix, ": ");
        allow_with_error(ctx, prefix.ptr, error.ptr != NULL ? error.ptr : "");
        goto cleanup;
    }
    if (warn_and_audit_privileged(&policy) &&
        (!ctx->handler->enforce_workloads ||
         policy.policy.modes[PG_MODE_ENFORCE].level == PG_LEVEL_PRIVILEGED)) {
        goto cleanup;
    }
    evaluate_controller(ctx, &policy);
cleanup:
    pg_buf_release(&policy.errors);
    pg_buf_release(&policy.bind_error);
    pg_buf_release(&error);
    pg_buf_release(&prefix);
}

void pg_adm_validate(struct pg_adm_ctx *ctx)
{
    const struct pg_adm_request *request = ctx->request;
    if (request->resource_group.len == 0 && pg_adm_str_eq(request->resource, "namespaces")) {
        pg_adm_validate_namespace(ctx);
    } else if (request->resource_group.len == 0 && pg_adm_str_eq(request->resource, "pods")) {
        validate_pod(ctx);
    } else {
        validate_controller(ctx);
    }
}
