/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seLinuxOptions (baseline; type list A at v1.0, list B at v1.31; spec
 * §3.15): a set seLinuxOptions (pod or container) must use an allowed type
 * and must not set user or role. Each object yields up to three findings:
 * its type (POD_VALUE/CONTAINER_VALUE), PG_FIND_USER and PG_FIND_ROLE.
 */
#include "checks/checks.h"
#include "checks/text.h"

struct allowed_type {
    const char *type;
    unsigned since_minor;
};

static const struct allowed_type allowed_types[] = {
    {"", 0},
    {"container_t", 0},
    {"container_init_t", 0},
    {"container_kvm_t", 0},
    {"container_engine_t", 31},
};

static bool type_allowed(struct pg_str type, unsigned minor)
{
    size_t i = 0;
    for (i = 0; i < sizeof(allowed_types) / sizeof(allowed_types[0]); i++) {
        if (allowed_types[i].since_minor <= minor && pg_check_str_eq(type, allowed_types[i].type)) {
            return true;
        }
    }
    return false;
}

static void judge_options(struct pg_findings *out, const struct pg_selinux_field *options,
                          uint32_t container, unsigned minor)
{
    enum pg_finding_kind type_kind =
        container == PG_FINDING_POD ? PG_FIND_POD_VALUE : PG_FIND_CONTAINER_VALUE;
    if (options->node == NULL) {
        return;
    }
    /* All three are tested every time: one object can add to all three parts. */
    if (!type_allowed(options->type.value, minor)) {
        pg_check_add(out, PG_CHECK_SE_LINUX_OPTIONS, type_kind, container, options->type.value,
                     pg_check_node_or(options->type.node, options->node));
    }
    if (options->user.value.len > 0) {
        pg_check_add(out, PG_CHECK_SE_LINUX_OPTIONS, PG_FIND_USER, container, options->user.value,
                     pg_check_node_or(options->user.node, options->node));
    }
    if (options->role.value.len > 0) {
        pg_check_add(out, PG_CHECK_SE_LINUX_OPTIONS, PG_FIND_ROLE, container, options->role.value,
                     pg_check_node_or(options->role.node, options->node));
    }
}

void pg_check_se_linux_options_judge(struct pg_findings *out, const struct pg_pod *pod,
                                     unsigned minor)
{
    size_t i = 0;
    judge_options(out, &pod->sc.se_linux_options, PG_FINDING_POD, minor);
    for (i = 0; i < pod->containers_len; i++) {
        judge_options(out, &pod->containers[i].sc.se_linux_options, (uint32_t)i, minor);
    }
}

/* One part of the detail, after "; " when another part came before it. */
static void put_part(struct pg_buf *detail, bool separate, struct pg_str part)
{
    if (separate) {
        PG_BUF_PUT_LIT(detail, "; ");
    }
    pg_buf_put_str(detail, part);
}

void pg_check_se_linux_options_render(struct pg_buf *reason, struct pg_buf *detail,
                                      const struct pg_check_view *view)
{
    const unsigned type_kinds =
        PG_KIND_BIT(PG_FIND_POD_VALUE) | PG_KIND_BIT(PG_FIND_CONTAINER_VALUE);
    struct pg_text_list containers;
    struct pg_text_list types;
    bool separate = false;
    pg_text_put_reason(reason, PG_STR_LIT("seLinuxOptions"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&containers);
    pg_text_list_init(&types);
    pg_text_collect_containers(&containers, view, PG_KINDS_ALL);
    pg_text_collect_values(&types, view, type_kinds);
    pg_text_put_setters(detail, pg_text_has_pod(view, PG_KINDS_ALL), view->pod, &containers);
    PG_BUF_PUT_LIT(detail, " set forbidden securityContext.seLinuxOptions: ");
    if (types.len > 0) {
        pg_text_put_plural(detail, types.len, PG_STR_LIT("type "), PG_STR_LIT("types "));
        pg_text_put_quote_list(detail, &types);
        separate = true;
    }
    if (pg_text_has_kind(view, PG_KIND_BIT(PG_FIND_USER))) {
        put_part(detail, separate, PG_STR_LIT("user may not be set"));
        separate = true;
    }
    if (pg_text_has_kind(view, PG_KIND_BIT(PG_FIND_ROLE))) {
        put_part(detail, separate, PG_STR_LIT("role may not be set"));
    }
    pg_text_list_release(&types);
    pg_text_list_release(&containers);
}
