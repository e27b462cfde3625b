/* SPDX-License-Identifier: Apache-2.0 */
/*
 * appArmorProfile (baseline, v1.0; spec §3.2): a set appArmorProfile (pod or
 * container) must have type RuntimeDefault or Localhost, and every
 * container.apparmor.security.beta.kubernetes.io/… annotation must be empty,
 * runtime/default or localhost/…. Fields and annotations are both reported.
 * Annotation findings are pod-level (the key suffix need not name a container).
 */
#include "checks/checks.h"
#include "checks/text.h"

#define ANNOTATION_PREFIX "container.apparmor.security.beta.kubernetes.io/"

static bool annotation_value_allowed(struct pg_str value)
{
    return value.len == 0 || pg_check_str_eq(value, "runtime/default") ||
           pg_check_str_has_prefix(value, "localhost/");
}

static void judge_profile(struct pg_findings *out, const struct pg_profile_field *profile,
                          uint32_t container)
{
    enum pg_finding_kind kind =
        container == PG_FINDING_POD ? PG_FIND_POD_VALUE : PG_FIND_CONTAINER_VALUE;
    if (profile->node != NULL && !pg_check_profile_type_allowed(profile->type.value)) {
        pg_check_add(out, PG_CHECK_APP_ARMOR_PROFILE, kind, container, profile->type.value,
                     pg_check_node_or(profile->type.node, profile->node));
    }
}

static void judge_annotations(struct pg_findings *out, const struct pg_pod *pod)
{
    size_t a = 0;
    for (a = 0; a < pod->annotations_len; a++) {
        const struct pg_annotation *annotation = &pod->annotations[a];
        struct pg_finding finding = {
            .check = PG_CHECK_APP_ARMOR_PROFILE,
            .kind = PG_FIND_ANNOTATION,
            .container = PG_FINDING_POD,
            .number = 0,
            .value = pg_check_str_or_empty(annotation->value),
            .name = pg_check_str_or_empty(annotation->key),
            .node = annotation->node,
        };
        if (pg_check_str_has_prefix(annotation->key, ANNOTATION_PREFIX) &&
            !annotation_value_allowed(annotation->value)) {
            pg_findings_add(out, &finding);
        }
    }
}

void pg_check_app_armor_profile_judge(struct pg_findings *out, const struct pg_pod *pod,
                                      unsigned minor)
{
    size_t i = 0;
    (void)minor;
    judge_profile(out, &pod->sc.app_armor_profile, PG_FINDING_POD);
    for (i = 0; i < pod->containers_len; i++) {
        judge_profile(out, &pod->containers[i].sc.app_armor_profile, (uint32_t)i);
    }
    judge_annotations(out, pod);
}

/* "pod", "container(s) …" and "annotation(s)", joined with " and ". */
static void put_setters(struct pg_buf *detail, const struct pg_check_view *view,
                        const struct pg_text_list *containers, size_t annotations)
{
    bool pod_setter = pg_text_has_pod(view, PG_KIND_BIT(PG_FIND_POD_VALUE));
    pg_text_put_setters(detail, pod_setter, view->pod, containers);
    if (annotations > 0) {
        if (pod_setter || containers->len > 0) {
            PG_BUF_PUT_LIT(detail, " and ");
        }
        pg_text_put_plural(detail, annotations, PG_STR_LIT("annotation"),
                           PG_STR_LIT("annotations"));
    }
}

void pg_check_app_armor_profile_render(struct pg_buf *reason, struct pg_buf *detail,
                                       const struct pg_check_view *view)
{
    const unsigned type_kinds =
        PG_KIND_BIT(PG_FIND_POD_VALUE) | PG_KIND_BIT(PG_FIND_CONTAINER_VALUE);
    struct pg_text_list containers;
    struct pg_text_list types;
    struct pg_text_list annotations;
    struct pg_buf scratch = PG_BUF_INIT;
    pg_text_list_init(&containers);
    pg_text_list_init(&types);
    pg_text_list_init(&annotations);
    pg_text_collect_values(&types, view, type_kinds);
    pg_text_collect_annotations(&annotations, &scratch, view);
    /* The reason counts distinct bad types plus bad annotations. */
    if (reason != NULL) {
        pg_text_put_plural(reason, types.len + annotations.len,
                           PG_STR_LIT("forbidden AppArmor profile"),
                           PG_STR_LIT("forbidden AppArmor profiles"));
    }
    if (detail != NULL) {
        pg_text_collect_containers(&containers, view, PG_KIND_BIT(PG_FIND_CONTAINER_VALUE));
        put_setters(detail, view, &containers, annotations.len);
        PG_BUF_PUT_LIT(detail, " must not set AppArmor profile type to ");
        pg_text_put_quote_list(detail, &types);
        if (types.len > 0 && annotations.len > 0) {
            PG_BUF_PUT_LIT(detail, ", ");
        }
        pg_text_put_quote_list(detail, &annotations);
    }
    pg_text_list_release(&annotations);
    pg_text_list_release(&types);
    pg_text_list_release(&containers);
    pg_buf_release(&scratch);
}
