/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation and aggregate rendering (spec §4.1): run the judges of a check
 * set in upstream order, then render reasons and details from the findings
 * that remain. Evaluation allocates nothing beyond the reused findings array.
 */
#include "podgate/eval.h"

#include "checks/checks.h"
#include "podgate/buf.h"

static pg_check_set bit(unsigned id)
{
    return (pg_check_set)1u << id;
}

void pg_evaluate_checks(struct pg_findings *out, const struct pg_pod *pod, pg_check_set checks,
                        unsigned minor)
{
    unsigned id = 0;
    pg_findings_reset(out);
    if (minor > PG_MAX_MINOR) {
        minor = PG_MAX_MINOR;
    }
    /* Visit only the set bits, lowest first: that is upstream's evaluation order. */
    for (pg_check_set left = checks & ((bit(PG_CHECK_COUNT) - 1)); left != 0; left &= left - 1) {
        const struct pg_check_info *info = NULL;
        id = (unsigned)__builtin_ctz(left);
        info = &pg_checks_registry[id];
        /* A check with no variant at or below the minor does not run (spec §2.1). */
        if (info->first_minor <= minor) {
            info->judge(out, pod, minor);
        }
    }
}

void pg_evaluate(struct pg_findings *out, const struct pg_pod *pod, struct pg_level_version lv)
{
    unsigned minor = pg_version_effective_minor(lv.version);
    pg_evaluate_checks(out, pod, pg_checks_for(lv.level, minor), minor);
}

/* The checks that still have findings (exemptions may have removed some). */
static pg_check_set checks_present(const struct pg_findings *findings)
{
    pg_check_set present = 0;
    size_t i = 0;
    for (i = 0; i < findings->len; i++) {
        unsigned id = (unsigned)findings->items[i].check;
        if (id < PG_CHECK_COUNT) {
            present |= bit(id);
        }
    }
    return present;
}

static void render(struct pg_buf *reason, struct pg_buf *detail, const struct pg_findings *findings,
                   enum pg_check_id check, const struct pg_pod *pod)
{
    struct pg_check_view view = {findings->items, findings->len, check, pod};
    pg_checks_info(check)->render(reason, detail, &view);
}

bool pg_render_check(struct pg_buf *reason, struct pg_buf *detail,
                     const struct pg_findings *findings, enum pg_check_id check,
                     const struct pg_pod *pod)
{
    if ((unsigned)check >= PG_CHECK_COUNT || (checks_present(findings) & bit(check)) == 0) {
        return false;
    }
    if (reason != NULL || detail != NULL) {
        render(reason, detail, findings, check, pod);
    }
    return true;
}

void pg_render_reasons(struct pg_buf *out, const struct pg_findings *findings,
                       const struct pg_pod *pod)
{
    pg_check_set present = checks_present(findings);
    bool first = true;
    unsigned id = 0;
    for (id = 0; id < PG_CHECK_COUNT; id++) {
        if ((present & bit(id)) == 0) {
            continue;
        }
        if (!first) {
            pg_buf_puts(out, ", ");
        }
        first = false;
        render(out, NULL, findings, (enum pg_check_id)id, pod);
    }
}

/* `reason (detail)`, or just `reason` when the detail comes out empty. */
static void put_reason_and_detail(struct pg_buf *out, const struct pg_findings *findings,
                                  enum pg_check_id check, const struct pg_pod *pod)
{
    size_t before_detail = 0;
    render(out, NULL, findings, check, pod);
    pg_buf_puts(out, " (");
    before_detail = out->len;
    render(NULL, out, findings, check, pod);
    if (out->len == before_detail && !pg_buf_failed(out)) {
        /* Empty detail: take the " (" back (upstream never gets here). */
        out->len -= 2;
        out->ptr[out->len] = '\0';
        return;
    }
    pg_buf_putc(out, ')');
}

void pg_render_details(struct pg_buf *out, const struct pg_findings *findings,
                       const struct pg_pod *pod)
{
    pg_check_set present = checks_present(findings);
    bool first = true;
    unsigned id = 0;
    for (id = 0; id < PG_CHECK_COUNT; id++) {
        if ((present & bit(id)) == 0) {
            continue;
        }
        if (!first) {
            pg_buf_puts(out, ", ");
        }
        first = false;
        put_reason_and_detail(out, findings, (enum pg_check_id)id, pod);
    }
}
