/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Applying a custom policy: remove the findings its exemptions match, keep
 * the order of the rest, and let eval render upstream's text from them. The
 * one rule that keeps a sidecar exemption from opening the pod lives here:
 * container- and image-scoped exemptions never touch pod-level findings.
 */
#include "podgate/custom_policy.h"

#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pg_exempted_list_init(struct pg_exempted_list *list)
{
    list->items = NULL;
    list->len = 0;
    list->cap = 0;
}

void pg_exempted_list_reset(struct pg_exempted_list *list)
{
    list->len = 0;
}

void pg_exempted_list_release(struct pg_exempted_list *list)
{
    if (list == NULL) {
        return;
    }
    free(list->items);
    pg_exempted_list_init(list);
}

static void exempted_add(struct pg_exempted_list *list, const struct pg_finding *finding,
                         const struct pg_policy *policy,
                         const struct pg_policy_exemption *exemption)
{
    if (list->len == list->cap) {
        size_t cap = list->cap != 0 ? list->cap * 2 : 8;
        list->items = pg_xrealloc(list->items, cap, sizeof(*list->items));
        list->cap = cap;
    }
    list->items[list->len].finding = *finding;
    list->items[list->len].policy = policy;
    list->items[list->len].exemption = exemption;
    list->len++;
}

bool pg_policy_exemption_expired(const struct pg_policy_exemption *exemption, struct pg_date today)
{
    /* `expires` is the last day the exemption applies. */
    return exemption->has_expiry && today.ymd > exemption->expires.ymd;
}

bool pg_policy_exemption_container_scoped(const struct pg_policy_exemption *exemption)
{
    return exemption->containers.len > 0 || exemption->images.len > 0;
}

bool pg_policy_exemption_unscoped(const struct pg_policy_exemption *exemption)
{
    return !pg_policy_exemption_container_scoped(exemption) && exemption->values.len == 0 &&
           exemption->volumes.len == 0;
}

bool pg_policy_finding_pod_level(const struct pg_finding *finding)
{
    /*
     * Annotations are pod metadata even when their key names a container
     * (seccomp's alpha per-container annotation): whoever may exempt a
     * container must not be able to exempt what the pod declares.
     */
    return finding->container == PG_FINDING_POD || finding->kind == PG_FIND_ANNOTATION;
}

bool pg_policy_finding_value(struct pg_str *out, char *buf, size_t size,
                             const struct pg_finding *finding)
{
    int written = 0;
    switch (finding->kind) {
    case PG_FIND_CONTAINER_UNSET:
    case PG_FIND_MISSING_DROP:
        /* About a field that is missing: there is no offending value to name. */
        return false;
    case PG_FIND_POD_VALUE:
    case PG_FIND_CONTAINER_VALUE:
    case PG_FIND_ANNOTATION:
    case PG_FIND_VOLUME:
    case PG_FIND_SYSCTL:
    case PG_FIND_HOST_NAMESPACE:
    case PG_FIND_USER:
    case PG_FIND_ROLE:
        break;
    }
    if (finding->check != PG_CHECK_HOST_PORTS) {
        *out = finding->value.ptr != NULL ? finding->value : PG_STR_LIT("");
        return true;
    }
    /* hostPorts keeps the port as a number: compare its decimal text. */
    written = snprintf(buf, size, "%" PRId64, finding->number);
    if (written < 0 || (size_t)written >= size) {
        return false;
    }
    out->ptr = buf;
    out->len = (size_t)written;
    return true;
}

static bool any_glob_matches(const struct pg_str_list *globs, struct pg_str text)
{
    for (size_t i = 0; i < globs->len; i++) {
        if (pg_glob_match(globs->items[i], text)) {
            return true;
        }
    }
    return false;
}

static bool value_listed(const struct pg_str_list *values, const struct pg_finding *finding)
{
    char buf[32];
    struct pg_str value = {"", 0};
    if (!pg_policy_finding_value(&value, buf, sizeof(buf), finding)) {
        return false;
    }
    for (size_t i = 0; i < values->len; i++) {
        if (values->items[i].len == value.len &&
            memcmp(values->items[i].ptr, value.ptr, value.len) == 0) {
            return true;
        }
    }
    return false;
}

/* The container scope: both lists must match when both are given. */
static bool container_matches(const struct pg_policy_exemption *exemption,
                              const struct pg_finding *finding, const struct pg_pod *pod)
{
    const struct pg_container *container = NULL;
    if (pg_policy_finding_pod_level(finding) || finding->container >= pod->containers_len) {
        return false;
    }
    container = &pod->containers[finding->container];
    return (exemption->containers.len == 0 ||
            any_glob_matches(&exemption->containers, container->name)) &&
           (exemption->images.len == 0 || any_glob_matches(&exemption->images, container->image));
}

bool pg_policy_exemption_matches(const struct pg_policy_exemption *exemption,
                                 const struct pg_finding *finding, const struct pg_pod *pod)
{
    if (exemption == NULL || finding == NULL || pod == NULL ||
        (unsigned)finding->check >= PG_CHECK_COUNT ||
        (exemption->checks & ((pg_check_set)1u << finding->check)) == 0) {
        return false;
    }
    if (pg_policy_exemption_container_scoped(exemption) &&
        !container_matches(exemption, finding, pod)) {
        return false;
    }
    if (exemption->volumes.len > 0 && (finding->kind != PG_FIND_VOLUME ||
                                       !any_glob_matches(&exemption->volumes, finding->name))) {
        return false;
    }
    return exemption->values.len == 0 || value_listed(&exemption->values, finding);
}

/* The first unexpired exemption that removes the finding, or NULL. */
static const struct pg_policy_exemption *first_match(const struct pg_policy *policy,
                                                     const struct pg_finding *finding,
                                                     const struct pg_pod *pod, struct pg_date today)
{
    for (size_t i = 0; i < policy->exemptions_len; i++) {
        const struct pg_policy_exemption *exemption = &policy->exemptions[i];
        if (!pg_policy_exemption_expired(exemption, today) &&
            pg_policy_exemption_matches(exemption, finding, pod)) {
            return exemption;
        }
    }
    return NULL;
}

int pg_policy_apply(struct pg_exempted_list *exempted_out, struct pg_findings *findings,
                    const struct pg_policy *policy, const struct pg_pod *pod, struct pg_date today)
{
    size_t kept = 0;
    if (findings == NULL || policy == NULL || pod == NULL || !pg_date_valid(today)) {
        return PG_EINVAL;
    }
    findings->forbidden = 0;
    for (size_t i = 0; i < findings->len; i++) {
        const struct pg_finding *finding = &findings->items[i];
        const struct pg_policy_exemption *exemption = first_match(policy, finding, pod, today);
        if (exemption != NULL) {
            if (exempted_out != NULL) {
                exempted_add(exempted_out, finding, policy, exemption);
            }
            continue;
        }
        /* Compact in place: renderers rely on the judges' order. */
        findings->items[kept] = *finding;
        if ((unsigned)finding->check < PG_CHECK_COUNT) {
            findings->forbidden |= (pg_check_set)1u << finding->check;
        }
        kept++;
    }
    findings->len = kept;
    return 0;
}

int pg_policy_evaluate(struct pg_findings *out, struct pg_exempted_list *exempted_out,
                       const struct pg_policy *policy, const struct pg_pod *pod,
                       struct pg_date today)
{
    if (out == NULL || policy == NULL || pod == NULL) {
        return PG_EINVAL;
    }
    pg_evaluate(out, pod, policy->level);
    return pg_policy_apply(exempted_out, out, policy, pod, today);
}
