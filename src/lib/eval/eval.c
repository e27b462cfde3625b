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

/*
 * Where the findings of each check lie. Judges append in check order, so a
 * check's findings are normally one run and its renderer's view covers only
 * [first, end). Renderers still skip findings of other checks (pg_view_next),
 * so any order renders the same text; the spans only save walking the rest.
 */
struct check_spans {
    pg_check_set present; /* the checks that still have findings (after exemptions) */
    size_t count;         /* how many they are */
    size_t first[PG_CHECK_COUNT];
    size_t end[PG_CHECK_COUNT];
};

static void find_spans(struct check_spans *out, const struct pg_findings *findings)
{
    size_t i = 0;
    out->present = 0;
    out->count = 0;
    for (i = 0; i < findings->len; i++) {
        unsigned id = (unsigned)findings->items[i].check;
        if (id >= PG_CHECK_COUNT) {
            continue;
        }
        if ((out->present & bit(id)) == 0) {
            out->present |= bit(id);
            out->count++;
            out->first[id] = i;
        }
        out->end[id] = i + 1;
    }
}

static void render(struct pg_buf *reason, struct pg_buf *detail, const struct pg_findings *findings,
                   const struct check_spans *spans, unsigned id, const struct pg_pod *pod)
{
    struct pg_check_view view = {findings->items + spans->first[id],
                                 spans->end[id] - spans->first[id], (enum pg_check_id)id, pod};
    pg_checks_registry[id].render(reason, detail, &view);
}

/* Grow `out` once for about `len` more bytes. Only a hint: never fails the buffer at its
   maximum, where the text itself may still fit. */
static void reserve_hint(struct pg_buf *out, size_t len)
{
    if (out->max != 0 && (out->len > out->max || len > out->max - out->len)) {
        return;
    }
    (void)pg_buf_reserve(out, len);
}

bool pg_render_check(struct pg_buf *reason, struct pg_buf *detail,
                     const struct pg_findings *findings, enum pg_check_id check,
                     const struct pg_pod *pod)
{
    struct check_spans spans;
    if ((unsigned)check >= PG_CHECK_COUNT) {
        return false;
    }
    find_spans(&spans, findings);
    if ((spans.present & bit(check)) == 0) {
        return false;
    }
    if (reason != NULL || detail != NULL) {
        render(reason, detail, findings, &spans, (unsigned)check, pod);
    }
    return true;
}

void pg_render_reasons(struct pg_buf *out, const struct pg_findings *findings,
                       const struct pg_pod *pod)
{
    struct check_spans spans;
    bool first = true;
    find_spans(&spans, findings);
    for (pg_check_set left = spans.present; left != 0; left &= left - 1) {
        if (!first) {
            PG_BUF_PUT_LIT(out, ", ");
        }
        first = false;
        render(out, NULL, findings, &spans, (unsigned)__builtin_ctz(left), pod);
    }
}

/* `reason (detail)`, or just `reason` when the detail comes out empty. */
static void put_reason_and_detail(struct pg_buf *out, const struct pg_findings *findings,
                                  const struct check_spans *spans, unsigned id,
                                  const struct pg_pod *pod)
{
    size_t before_detail = 0;
    render(out, NULL, findings, spans, id, pod);
    PG_BUF_PUT_LIT(out, " (");
    before_detail = out->len;
    render(NULL, out, findings, spans, id, pod);
    if (out->len == before_detail && !pg_buf_failed(out)) {
        /* Empty detail: take the " (" back (upstream never gets here). */
        out->len -= 2;
        out->ptr[out->len] = '\0';
        return;
    }
    PG_BUF_PUT_LIT(out, ")");
}

void pg_render_details(struct pg_buf *out, const struct pg_findings *findings,
                       const struct pg_pod *pod)
{
    struct check_spans spans;
    bool first = true;
    find_spans(&spans, findings);
    /* Generous: upstream's reason (detail) runs 40 to 150 bytes a check. */
    reserve_hint(out, spans.count * 160);
    /* Set bits lowest first: upstream's check order. */
    for (pg_check_set left = spans.present; left != 0; left &= left - 1) {
        if (!first) {
            PG_BUF_PUT_LIT(out, ", ");
        }
        first = false;
        put_reason_and_detail(out, findings, &spans, (unsigned)__builtin_ctz(left), pod);
    }
}
