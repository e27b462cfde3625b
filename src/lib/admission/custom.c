/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Custom policies in the webhook (DESIGN §4): binding a request's namespace
 * to a podgate Policy, and the podgate-only parts of a bound response (the
 * `podgate-exemptions` audit annotation, warnings about expired exemptions).
 * The decision itself stays in decide.c; nothing here runs for unbound
 * namespaces, so their responses stay byte-identical to upstream's.
 */
#include "admission/admission_internal.h"

#include <string.h>

/* An annotation names at most this many exempted findings, then `(+N more)`. */
#define EXEMPTIONS_LISTED_MAX 32

void pg_adm_bind_custom(struct pg_adm_policy *policy, const struct pg_adm_ctx *ctx,
                        const struct pg_node *labels)
{
    const struct pg_ns_policy *defaults = pg_admission_config_defaults(ctx->config);
    struct pg_error err;
    struct pg_policy closed;
    int rc = 0;
    policy->custom = NULL;
    policy->warn_custom = false;
    if (ctx->policies == NULL) {
        return;
    }
    rc = pg_policy_set_for_namespace(&policy->custom, ctx->policies, ctx->request->namespace_,
                                     labels, &err);
    if (rc == 0 && policy->custom != NULL) {
        pg_policy_bind_modes(&policy->warn_custom, &policy->policy, policy->custom, labels,
                             defaults);
        return;
    }
    if (rc == 0) {
        return;
    }
    /* Fail closed like an invalid enforce label (spec §5.2): restricted:latest. */
    memset(&closed, 0, sizeof(closed));
    closed.level.level = PG_LEVEL_RESTRICTED;
    closed.level.version.latest = true;
    pg_policy_bind_modes(NULL, &policy->policy, &closed, labels, defaults);
    pg_buf_puts(&policy->bind_error, err.message);
}

/* `<check> container "<name>" <value>`, `<check> volume "<name>" <value>`, `<check> pod <value>`.
 */
static void put_exempted(struct pg_buf *out, const struct pg_exempted_finding *item,
                         const struct pg_pod *pod)
{
    const struct pg_finding *finding = &item->finding;
    char number[32];
    struct pg_str value;
    pg_buf_printf(out, "%s/%zu: %s ", item->policy->name.ptr, item->exemption->index,
                  pg_check_name(finding->check));
    if (finding->kind == PG_FIND_VOLUME) {
        pg_buf_puts(out, "volume ");
        pg_buf_put_go_quoted(out, finding->name);
    } else if (finding->kind == PG_FIND_ANNOTATION) {
        pg_buf_puts(out, "annotation ");
        pg_buf_put_go_quoted(out, finding->name);
    } else if (finding->container != PG_FINDING_POD && finding->container < pod->containers_len) {
        pg_buf_puts(out, "container ");
        pg_buf_put_go_quoted(out, pod->containers[finding->container].name);
    } else {
        pg_buf_puts(out, "pod");
    }
    if (pg_policy_finding_value(&value, number, sizeof(number), finding)) {
        pg_buf_putc(out, ' ');
        pg_buf_put_str(out, value);
    }
}

static void annotate_exempted(struct pg_adm_ctx *ctx, const struct pg_exempted_list *exempted,
                              const struct pg_pod *pod)
{
    struct pg_buf *annotation = NULL;
    size_t i = 0;
    if (exempted->len == 0) {
        return;
    }
    annotation = pg_adm_annotate(ctx->response, PG_ADM_ANN_PODGATE_EXEMPTIONS);
    for (i = 0; i < exempted->len && i < EXEMPTIONS_LISTED_MAX; i++) {
        if (i > 0) {
            pg_buf_puts(annotation, ", ");
        }
        put_exempted(annotation, &exempted->items[i], pod);
    }
    if (exempted->len > EXEMPTIONS_LISTED_MAX) {
        pg_buf_printf(annotation, " (+%zu more)", exempted->len - EXEMPTIONS_LISTED_MAX);
    }
}

static bool removes_any(const struct pg_policy_exemption *exemption,
                        const struct pg_findings *findings, const struct pg_pod *pod)
{
    size_t i = 0;
    for (i = 0; i < findings->len; i++) {
        if (pg_policy_exemption_matches(exemption, &findings->items[i], pod)) {
            return true;
        }
    }
    return false;
}

/* One warning per expired exemption that would still have removed a finding. */
static void warn_expired(struct pg_adm_ctx *ctx, const struct pg_policy *custom,
                         const struct pg_findings *findings, const struct pg_pod *pod)
{
    struct pg_buf warning = PG_BUF_INIT;
    char date[16];
    size_t i = 0;
    for (i = 0; i < custom->exemptions_len; i++) {
        const struct pg_policy_exemption *exemption = &custom->exemptions[i];
        if (!pg_policy_exemption_expired(exemption, ctx->today) ||
            !removes_any(exemption, findings, pod)) {
            continue;
        }
        (void)pg_date_format(date, sizeof(date), exemption->expires);
        pg_buf_clear(&warning);
        pg_buf_printf(&warning,
                      "podgate: exemption %s/%zu expired on %s and no longer applies (reason: %s)",
                      custom->name.ptr, exemption->index, date, exemption->reason.ptr);
        pg_adm_warn(ctx->response, pg_buf_str(&warning));
    }
    pg_buf_release(&warning);
}

void pg_adm_report_custom(struct pg_adm_ctx *ctx, const struct pg_policy *custom,
                          const struct pg_exempted_list *exempted,
                          const struct pg_findings *findings, const struct pg_pod *pod)
{
    annotate_exempted(ctx, exempted, pod);
    warn_expired(ctx, custom, findings, pod);
}
