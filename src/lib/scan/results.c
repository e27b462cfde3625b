/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A judged workload's result: its violations with their locations (found in
 * the document), the findings exemptions removed, grouped as the violations
 * they would have been, and upstream's message.
 */
#include "scan/scanner.h"

#include "scan/locate.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * Where a finding's node is: its key when it has one, and its field path. A
 * container finding is searched for inside its container only (a small
 * subtree), then prefixed with the container's path; anything else is
 * searched from the object root.
 */
static void locate(struct pg_scanner *scanner, struct pg_scan_location *out,
                   const struct pg_node *root, const struct pg_pod *pod,
                   const struct pg_finding *finding)
{
    char path[PG_ERROR_PATH_MAX];
    char relative[PG_ERROR_PATH_MAX];
    const struct pg_node *node = finding->node;
    out->line = node->key_line ? node->key_line : node->line;
    out->column = node->key_line ? node->key_column : node->column;
    path[0] = '\0';
    if (finding->container < pod->containers_len &&
        pg_locate_path(relative, sizeof(relative), scanner->doc,
                       pod->containers[finding->container].node, node)) {
        size_t len = pg_pod_container_path(path, sizeof(path), pod, finding->container);
        size_t rel_len = strlen(relative);
        /* Truncate rather than fail: a path is only a hint next to line:column. */
        if (rel_len > 0 && len + 1 < sizeof(path)) {
            size_t room = sizeof(path) - len - 2;
            size_t copy = rel_len < room ? rel_len : room;
            path[len] = '.';
            memcpy(path + len + 1, relative, copy);
            path[len + 1 + copy] = '\0';
        }
    } else if (!pg_locate_path(path, sizeof(path), scanner->doc, root, node)) {
        path[0] = '\0';
    }
    out->path = pg_arena_strndup(scanner->scratch, path, strlen(path));
}

/* Pod-level findings already located, by node: an open-addressing set of node pointers. */
struct node_set {
    const struct pg_node **slots;
    size_t mask;
};

/* Whether `node` was in the set; it is afterwards. */
static bool node_set_add(struct node_set *set, const struct pg_node *node)
{
    /* Nodes are arena addresses, not input: no need for a seed here. */
    size_t i = (size_t)(((uintptr_t)node >> 4) * 2654435761u) & set->mask;
    while (set->slots[i] != NULL) {
        if (set->slots[i] == node) {
            return true;
        }
        i = (i + 1) & set->mask;
    }
    set->slots[i] = node;
    return false;
}

/* A set sized for the pod-level findings of `check`. */
static void node_set_init(struct node_set *set, struct pg_arena *arena,
                          const struct pg_findings *findings, enum pg_check_id check)
{
    size_t size = 16;
    size_t count = 0;
    for (size_t i = 0; i < findings->len; i++) {
        count +=
            findings->items[i].check == check && findings->items[i].container == PG_FINDING_POD;
    }
    while (size < 2 * count) {
        size *= 2;
    }
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of node pointers, on purpose */
    set->slots = pg_arena_calloc(arena, size, sizeof(*set->slots));
    set->mask = size - 1;
}

/*
 * Whether the message of `check` names its CONTAINER_UNSET findings.
 * runAsNonRoot and seccompProfile_restricted name the explicit setters when
 * there are any, and the containers that leave the field unset only
 * otherwise (their renderers, spec §3.13 and §3.17); a location must not
 * point at a container the message does not mention.
 */
static bool unset_findings_named(const struct pg_findings *findings, enum pg_check_id check)
{
    if (check != PG_CHECK_RUN_AS_NON_ROOT && check != PG_CHECK_SECCOMP_PROFILE_RESTRICTED) {
        return true;
    }
    for (size_t i = 0; i < findings->len; i++) {
        const struct pg_finding *g = &findings->items[i];
        if (g->check == check &&
            (g->kind == PG_FIND_POD_VALUE || g->kind == PG_FIND_CONTAINER_VALUE)) {
            return false;
        }
    }
    return true;
}

/*
 * One location per container the message names (its first finding wins), one
 * per distinct pod-level node: the offending key, or the closest existing
 * parent when the fix is to add a field. Linear: comparing each finding with
 * the earlier ones made 10,000 violating containers or volumes cost seconds.
 */
/* A location and the container it belongs to, for ordering by the container's name. */
struct named_location {
    struct pg_scan_location location;
    struct pg_str name;
    size_t order; /* visiting order: ties keep it */
};

static int compare_named_locations(const void *a, const void *b)
{
    const struct named_location *x = a;
    const struct named_location *y = b;
    size_t common = x->name.len < y->name.len ? x->name.len : y->name.len;
    int bytes = common > 0 ? memcmp(x->name.ptr, y->name.ptr, common) : 0;
    if (bytes != 0) {
        return bytes;
    }
    if (x->name.len != y->name.len) {
        return x->name.len < y->name.len ? -1 : 1;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * hostProbesAndHostLifecycle names its containers sorted by byte value (spec §3.8): its
 * locations follow the message, as every other check's do. `owners` holds each location's
 * container index.
 */
static void sort_by_container_name(struct pg_scanner *scanner, struct pg_scan_location *locations,
                                   const uint32_t *owners, size_t len, const struct pg_pod *pod)
{
    struct named_location *named = NULL;
    if (len < 2) {
        return;
    }
    named = pg_arena_calloc(scanner->scratch, len, sizeof(*named));
    for (size_t i = 0; i < len; i++) {
        named[i].location = locations[i];
        named[i].name = owners[i] < pod->containers_len ? pod->containers[owners[i]].name
                                                        : (struct pg_str){"", 0};
        named[i].order = i;
    }
    qsort(named, len, sizeof(*named), compare_named_locations);
    for (size_t i = 0; i < len; i++) {
        locations[i] = named[i].location;
    }
}

static size_t collect_locations(struct pg_scanner *scanner, struct pg_scan_location *out,
                                const struct pg_scan_result *result,
                                const struct pg_findings *findings, enum pg_check_id check)
{
    bool by_name = check == PG_CHECK_HOST_PROBES_AND_HOST_LIFECYCLE;
    uint32_t *owners =
        by_name ? pg_arena_calloc(scanner->scratch, findings->len + 1, sizeof(*owners)) : NULL;
    bool unset_named = unset_findings_named(findings, check);
    size_t containers_len = result->pod->containers_len;
    bool *located = pg_arena_calloc(scanner->scratch, containers_len + 1, sizeof(*located));
    struct node_set pod_nodes = {NULL, 0};
    size_t count = 0;
    node_set_init(&pod_nodes, scanner->scratch, findings, check);
    for (size_t i = 0; i < findings->len; i++) {
        const struct pg_finding *f = &findings->items[i];
        if (f->check != check || f->node == NULL ||
            (f->kind == PG_FIND_CONTAINER_UNSET && !unset_named)) {
            continue;
        }
        if (f->container == PG_FINDING_POD
                ? node_set_add(&pod_nodes, f->node)
                : f->container < containers_len && located[f->container]) {
            continue;
        }
        if (f->container < containers_len) {
            located[f->container] = true;
        }
        locate(scanner, &out[count], result->workload->ref.node, result->pod, f);
        if (owners != NULL) {
            owners[count] = f->container;
        }
        count++;
    }
    if (by_name) {
        sort_by_container_name(scanner, out, owners, count, result->pod);
    }
    return count;
}

void pg_scanner_build_violations(struct pg_scanner *scanner, struct pg_scan_result *result,
                                 struct pg_scan_violation *violations)
{
    size_t offsets[PG_CHECK_COUNT][4];
    size_t count = 0;
    pg_buf_clear(&scanner->texts);
    for (int check = 0; check < PG_CHECK_COUNT; check++) {
        struct pg_scan_violation *v = &violations[count];
        struct pg_scan_location *locations = NULL;
        /* Straight into the text buffer, reason then detail: no buffer of their own. A check
           without findings (all exempted) appends nothing. */
        offsets[count][0] = scanner->texts.len;
        if ((scanner->findings.forbidden & ((pg_check_set)1 << check)) == 0 ||
            !pg_render_check(&scanner->texts, NULL, &scanner->findings, (enum pg_check_id)check,
                             result->pod)) {
            continue;
        }
        v->check = (enum pg_check_id)check;
        offsets[count][1] = scanner->texts.len - offsets[count][0];
        offsets[count][2] = scanner->texts.len;
        (void)pg_render_check(NULL, &scanner->texts, &scanner->findings, v->check, result->pod);
        offsets[count][3] = scanner->texts.len - offsets[count][2];
        locations =
            pg_arena_calloc(scanner->scratch, scanner->findings.len + 1, sizeof(*locations));
        v->locations = locations;
        v->locations_len =
            collect_locations(scanner, locations, result, &scanner->findings, v->check);
        count++;
    }
    /* Point into the text buffer only once it has stopped growing. */
    for (size_t i = 0; i < count; i++) {
        violations[i].reason.ptr = scanner->texts.ptr + offsets[i][0];
        violations[i].reason.len = offsets[i][1];
        violations[i].detail.ptr = scanner->texts.ptr + offsets[i][2];
        violations[i].detail.len = offsets[i][3];
    }
    result->violations = violations;
    result->violations_len = count;
}

void pg_scanner_render_message(struct pg_scanner *scanner, struct pg_scan_result *result)
{
    char lv[64];
    pg_buf_clear(&scanner->message);
    result->message.ptr = "";
    result->message.len = 0;
    if (result->allowed) {
        return;
    }
    (void)pg_level_version_format(lv, sizeof(lv), result->policy);
    pg_buf_puts(&scanner->message, result->mode == PG_MODE_ENFORCE
                                       ? "violates PodSecurity \""
                                       : "would violate PodSecurity \"");
    pg_buf_puts(&scanner->message, lv);
    pg_buf_puts(&scanner->message, "\": ");
    pg_render_details(&scanner->message, &scanner->findings, result->pod);
    result->message = pg_buf_str(&scanner->message);
}

/* The findings the custom policy removed, for writers, counted as uses of their exemptions. */
void pg_scanner_build_exempted(struct pg_scanner *scanner, struct pg_scan_result *result,
                               const struct pg_node *root)
{
    const struct pg_exempted_list *list = &scanner->exempted;
    struct pg_scan_exempted *out = pg_arena_calloc(scanner->scratch, list->len + 1, sizeof(*out));
    for (size_t i = 0; i < list->len; i++) {
        const struct pg_exempted_finding *item = &list->items[i];
        const struct pg_finding *f = &item->finding;
        char buf[32];
        struct pg_str value = {"", 0};
        out[i].check = f->check;
        out[i].container = f->container;
        out[i].container_name = PG_STR_LIT("");
        if (f->container != PG_FINDING_POD && f->container < result->pod->containers_len) {
            out[i].container_name = result->pod->containers[f->container].name;
        }
        out[i].has_value = pg_policy_finding_value(&value, buf, sizeof(buf), f);
        out[i].value.ptr = pg_arena_strndup(scanner->scratch, value.ptr, value.len);
        out[i].value.len = value.len;
        out[i].kind = f->kind;
        out[i].name =
            f->kind == PG_FIND_VOLUME || f->kind == PG_FIND_ANNOTATION ? f->name : PG_STR_LIT("");
        out[i].policy = item->policy->name;
        out[i].exemption = item->exemption->index;
        out[i].reason = item->exemption->reason;
        if (f->node != NULL) {
            locate(scanner, &out[i].location, root, result->pod, f);
        } else {
            out[i].location.path = "";
        }
        scanner->exemption_uses[item->exemption->set_index]++;
    }
    result->exempted = out;
    result->exempted_len = list->len;
}

/*
 * One exempted violation: `group` holds the findings `exemption` removed from
 * `check`, in evaluation order, so upstream's renderer words them as it would
 * a pod where only they violate.
 */
static void exempted_violation(struct pg_scanner *scanner, struct pg_scan_exempted_violation *out,
                               const struct pg_scan_result *result,
                               const struct pg_policy_exemption *exemption, enum pg_check_id check)
{
    const struct pg_findings *group = &scanner->exempted_group;
    struct pg_scan_location *locations =
        pg_arena_calloc(scanner->scratch, group->len + 1, sizeof(*locations));
    struct pg_buf *text = &scanner->exempted_text;
    size_t reason_len = 0;
    pg_buf_clear(text);
    (void)pg_render_check(text, NULL, group, check, result->pod);
    reason_len = text->len;
    (void)pg_render_check(NULL, text, group, check, result->pod);
    out->violation.check = check;
    out->violation.reason.ptr = pg_arena_strndup(scanner->scratch, text->ptr, reason_len);
    out->violation.reason.len = reason_len;
    out->violation.detail.ptr =
        pg_arena_strndup(scanner->scratch, text->ptr + reason_len, text->len - reason_len);
    out->violation.detail.len = text->len - reason_len;
    out->violation.locations = locations;
    out->violation.locations_len = collect_locations(scanner, locations, result, group, check);
    out->policy = result->custom_policy->name;
    out->exemption = exemption->index;
    out->reason = exemption->reason;
    out->owner = exemption->owner;
}

/* The findings of `check` that the exemption at `index` removed, into scanner->exempted_group. */
static void gather_group(struct pg_scanner *scanner, enum pg_check_id check, size_t index)
{
    const struct pg_exempted_list *list = &scanner->exempted;
    pg_findings_reset(&scanner->exempted_group);
    for (size_t i = 0; i < list->len; i++) {
        if (list->items[i].finding.check == check && list->items[i].exemption->index == index) {
            pg_findings_add(&scanner->exempted_group, &list->items[i].finding);
        }
    }
}

/*
 * `exempted` as violations, one per check and exemption. Linear in the
 * exempted findings per check and exemption that removed any: a policy has a
 * handful of exemptions, a pod may have thousands of exempted findings.
 */
void pg_scanner_build_exempted_violations(struct pg_scanner *scanner, struct pg_scan_result *result)
{
    const struct pg_exempted_list *list = &scanner->exempted;
    const struct pg_policy *policy = result->custom_policy;
    struct pg_scan_exempted_violation *out =
        pg_arena_calloc(scanner->scratch, list->len + 1, sizeof(*out));
    bool *used = NULL;
    size_t count = 0;
    if (list->len == 0 || policy == NULL) {
        result->exempted_violations = out;
        return;
    }
    used = pg_arena_calloc(scanner->scratch, policy->exemptions_len + 1, sizeof(*used));
    for (int check = 0; check < PG_CHECK_COUNT; check++) {
        memset(used, 0, policy->exemptions_len * sizeof(*used));
        for (size_t i = 0; i < list->len; i++) {
            if (list->items[i].finding.check == (enum pg_check_id)check) {
                used[list->items[i].exemption->index] = true;
            }
        }
        for (size_t e = 0; e < policy->exemptions_len; e++) {
            if (used[e]) {
                gather_group(scanner, (enum pg_check_id)check, e);
                exempted_violation(scanner, &out[count], result, &policy->exemptions[e],
                                   (enum pg_check_id)check);
                count++;
            }
        }
    }
    result->exempted_violations = out;
    result->exempted_violations_len = count;
}
