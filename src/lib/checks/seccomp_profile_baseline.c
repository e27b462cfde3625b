/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccompProfile_baseline (baseline; annotations v1.0–v1.18, fields from
 * v1.19; replaced at restricted from v1.19; spec §3.16).
 *
 * v1.0: the alpha annotations of the pod and of each container (by name)
 * must be runtime/default, docker/default or localhost/…; each bad one is a
 * PG_FIND_ANNOTATION (name = key). v1.19: a set seccompProfile must have type
 * RuntimeDefault or Localhost (POD_VALUE / CONTAINER_VALUE). The renderer
 * tells the variants apart by the kinds of the findings.
 */
#include "checks/checks.h"
#include "checks/text.h"

#define POD_ANNOTATION "seccomp.security.alpha.kubernetes.io/pod"
#define CONTAINER_ANNOTATION_PREFIX "container.seccomp.security.alpha.kubernetes.io/"

static bool annotation_value_allowed(struct pg_str value)
{
    /* Unlike AppArmor, an empty value is forbidden. */
    return pg_check_str_eq(value, "runtime/default") || pg_check_str_eq(value, "docker/default") ||
           pg_check_str_has_prefix(value, "localhost/");
}

static void add_annotation(struct pg_findings *out, const struct pg_annotation *annotation,
                           uint32_t container)
{
    struct pg_finding finding = {
        .check = PG_CHECK_SECCOMP_PROFILE_BASELINE,
        .kind = PG_FIND_ANNOTATION,
        .container = container,
        .number = 0,
        .value = pg_check_str_or_empty(annotation->value),
        .name = pg_check_str_or_empty(annotation->key),
        .node = annotation->node,
    };
    pg_findings_add(out, &finding);
}

/* The annotation key names this container: the prefix, then exactly its name. */
static bool names_container(struct pg_str key, struct pg_str name)
{
    size_t prefix_len = sizeof(CONTAINER_ANNOTATION_PREFIX) - 1;
    return pg_check_str_has_prefix(key, CONTAINER_ANNOTATION_PREFIX) &&
           key.len - prefix_len == name.len &&
           (name.len == 0 || memcmp(key.ptr + prefix_len, name.ptr, name.len) == 0);
}

static void judge_annotations(struct pg_findings *out, const struct pg_pod *pod)
{
    size_t a = 0;
    size_t i = 0;
    for (a = 0; a < pod->annotations_len; a++) {
        const struct pg_annotation *annotation = &pod->annotations[a];
        if (pg_check_str_eq(annotation->key, POD_ANNOTATION) &&
            !annotation_value_allowed(annotation->value)) {
            add_annotation(out, annotation, PG_FINDING_POD);
        }
    }
    /* Containers in visiting order; annotations naming no container are ignored. */
    for (i = 0; i < pod->containers_len; i++) {
        for (a = 0; a < pod->annotations_len; a++) {
            const struct pg_annotation *annotation = &pod->annotations[a];
            if (names_container(annotation->key, pod->containers[i].name) &&
                !annotation_value_allowed(annotation->value)) {
                add_annotation(out, annotation, (uint32_t)i);
            }
        }
    }
}

static void judge_fields(struct pg_findings *out, const struct pg_pod *pod)
{
    const struct pg_profile_field *pod_profile = &pod->sc.seccomp_profile;
    size_t i = 0;
    if (pod_profile->node != NULL && !pg_check_profile_type_allowed(pod_profile->type.value)) {
        pg_check_add(out, PG_CHECK_SECCOMP_PROFILE_BASELINE, PG_FIND_POD_VALUE, PG_FINDING_POD,
                     pod_profile->type.value,
                     pg_check_node_or(pod_profile->type.node, pod_profile->node));
    }
    for (i = 0; i < pod->containers_len; i++) {
        const struct pg_profile_field *profile = &pod->containers[i].sc.seccomp_profile;
        if (profile->node != NULL && !pg_check_profile_type_allowed(profile->type.value)) {
            pg_check_add(out, PG_CHECK_SECCOMP_PROFILE_BASELINE, PG_FIND_CONTAINER_VALUE,
                         (uint32_t)i, profile->type.value,
                         pg_check_node_or(profile->type.node, profile->node));
        }
    }
}

void pg_check_seccomp_baseline_judge(struct pg_findings *out, const struct pg_pod *pod,
                                     unsigned minor)
{
    if (minor < 19) {
        judge_annotations(out, pod);
    } else {
        judge_fields(out, pod);
    }
}

static void render_annotations(struct pg_buf *detail, const struct pg_check_view *view)
{
    struct pg_text_list entries;
    struct pg_buf scratch = PG_BUF_INIT;
    pg_text_list_init(&entries);
    pg_text_collect_annotations(&entries, &scratch, view);
    PG_BUF_PUT_LIT(detail, "forbidden ");
    pg_text_put_plural(detail, entries.len, PG_STR_LIT("annotation "), PG_STR_LIT("annotations "));
    pg_text_put_joined(detail, &entries, PG_STR_LIT(", "));
    pg_text_list_release(&entries);
    pg_buf_release(&scratch);
}

static void render_fields(struct pg_buf *detail, const struct pg_check_view *view)
{
    struct pg_text_list containers;
    struct pg_text_list types;
    pg_text_list_init(&containers);
    pg_text_list_init(&types);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    pg_text_collect_values(&types, view, PG_KINDS_ALL);
    pg_text_put_setters(detail, pg_text_has_pod(view, PG_KINDS_ALL), view->pod, &containers);
    PG_BUF_PUT_LIT(detail, " must not set securityContext.seccompProfile.type to ");
    pg_text_put_quote_list(detail, &types);
    pg_text_list_release(&types);
    pg_text_list_release(&containers);
}

void pg_check_seccomp_baseline_render(struct pg_buf *reason, struct pg_buf *detail,
                                      const struct pg_check_view *view)
{
    pg_text_put_reason(reason, PG_STR_LIT("seccompProfile"));
    if (detail == NULL) {
        return;
    }
    if (pg_text_has_kind(view, PG_KIND_BIT(PG_FIND_ANNOTATION))) {
        render_annotations(detail, view);
    } else {
        render_fields(detail, view);
    }
}
