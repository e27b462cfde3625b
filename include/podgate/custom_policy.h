/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Custom policies (DESIGN §4): a level:version minus exemptions, read from
 * `podgate.dev/v1alpha1` Policy documents and bound to namespaces by the label
 * `podgate.dev/policy` or by `spec.namespaces` globs. An exemption removes
 * findings, never checks wholesale, and upstream's text is then rendered from
 * the findings that remain. A loaded set is immutable and may be shared by
 * threads without locks; nothing here reads the clock: callers pass "today".
 */
#ifndef PODGATE_CUSTOM_POLICY_H
#define PODGATE_CUSTOM_POLICY_H

#include "podgate/common.h"
#include "podgate/doc.h"
#include "podgate/eval.h"
#include "podgate/labels.h"
#include "podgate/pod.h"
#include "podgate/policy.h"

/* The Namespace label that binds a namespace to a policy by name; it wins over spec.namespaces. */
#define PG_POLICY_LABEL "podgate.dev/policy"

/* A calendar day (UTC) as the number YYYYMMDD, so dates order as integers. 0 is invalid. */
struct pg_date {
    uint32_t ymd;
};

/* Parse exactly `YYYY-MM-DD` naming a real day (leap years checked). 0 or PG_EINVAL. */
PG_API int pg_date_parse(struct pg_date *out, const char *text, size_t len);

/* The UTC day of a Unix time in seconds (pure arithmetic: no time zone, no libc). */
PG_API struct pg_date pg_date_from_unix(int64_t seconds);

/* True for a date pg_date_parse would accept. */
PG_API bool pg_date_valid(struct pg_date date);

/* `YYYY-MM-DD` into buf (NUL-terminated); returns the length like snprintf. */
PG_API size_t pg_date_format(char *buf, size_t size, struct pg_date date);

/*
 * Glob matching used for namespaces, container names, images and volume
 * names. `*` matches any run of bytes including `/` and `:` (so
 * `docker.io/istio/proxyv2:*` matches `docker.io/istio/proxyv2:1.2`), `?` one byte,
 * `[abc]`, `[a-z]`, `[!a-z]` one byte of (not) a set, and `\x` a literal x.
 * Everything else is literal and the whole text must match: `name:*` does
 * not match a tag-less `name`, and a digest `name@sha256:…` is just text.
 */
PG_API bool pg_glob_match(struct pg_str pattern, struct pg_str text);

/*
 * Check a pattern's syntax: 0, or PG_EINVAL with a static description in
 * *why (an empty pattern, an unterminated `[`, a reversed range, a trailing `\`).
 */
PG_API int pg_glob_validate(struct pg_str pattern, const char **why);

/* A list of strings owned by the policy set. Every `ptr` is also NUL-terminated. */
struct pg_str_list {
    const struct pg_str *items;
    size_t len;
};

/*
 * One exemption. It removes a finding when the finding's check is in
 * `checks` and every given scope matches: `containers`/`images` (globs over
 * the container's name/image; such an exemption never removes a pod-level
 * finding), `values` (exact offending values, see pg_policy_finding_value)
 * and `volumes` (globs over volume names; only volume findings). An empty
 * list means "not scoped by this".
 */
struct pg_policy_exemption {
    size_t index;     /* 0-based position in its policy */
    size_t set_index; /* 0-based position among all exemptions of the set */
    pg_check_set checks;
    struct pg_str_list containers;
    struct pg_str_list images;
    struct pg_str_list values;
    struct pg_str_list volumes;
    struct pg_str reason;
    struct pg_str owner; /* empty when not given */
    bool has_expiry;
    struct pg_date expires; /* last day it applies (inclusive) */
    uint32_t line;          /* where the exemption starts in the source */
    uint32_t column;
};

struct pg_policy {
    size_t index; /* 0-based position in the set */
    struct pg_str name;
    struct pg_level_version level; /* the enforce level:version of bound namespaces */
    struct pg_str_list namespaces; /* globs */
    const struct pg_policy_exemption *exemptions;
    size_t exemptions_len;
    const char *source; /* the source name given to pg_policy_set_load */
    size_t document;    /* 0-based document index in the source */
    uint32_t line;      /* where the document starts */
};

struct pg_policy_set;

/*
 * Load and validate every Policy document in `data` (YAML or JSON, several
 * documents allowed; empty documents are skipped). `data` is only read during
 * the call; the set copies what it keeps and belongs to the caller
 * (pg_policy_set_free). Any problem rejects the whole file: PG_EPARSE
 * (unreadable YAML/JSON), PG_ELIMIT, or PG_ETYPE for a wrong apiVersion/kind,
 * an unknown or missing key, a bad level/version/glob/date, an unknown check
 * or one that does not run at the policy's level:version, a missing reason,
 * duplicate policy names, a namespace claimed by two policies, or a file
 * with no policy. `err` then holds the position and a message that starts
 * with `source:line:column: field.path: `.
 */
PG_API int pg_policy_set_load(struct pg_policy_set **out, const char *data, size_t len,
                              const char *source_name, struct pg_error *err);

PG_API void pg_policy_set_free(struct pg_policy_set *set);

/* The policies in file order; pointers borrow from the set and live as long as it. */
PG_API size_t pg_policy_set_len(const struct pg_policy_set *set);
PG_API const struct pg_policy *pg_policy_set_get(const struct pg_policy_set *set, size_t index);

/* The policy called `name`, or NULL. */
PG_API const struct pg_policy *pg_policy_set_find(const struct pg_policy_set *set,
                                                  struct pg_str name);

/* Number of exemptions over all policies (the range of pg_policy_exemption.set_index). */
PG_API size_t pg_policy_set_exemptions_total(const struct pg_policy_set *set);

/*
 * The policy bound to a namespace: the one named by its `podgate.dev/policy`
 * label when `ns_labels` (a labels map or NULL) has one, else the one whose
 * spec.namespaces matches `ns_name`. Sets *out (NULL when unbound) and
 * returns 0; or PG_ENOENT when the label names no policy, PG_ETYPE when the
 * label is not a string, PG_EINVAL when two policies' globs claim the
 * namespace (err says which). On error *out is NULL: callers fail closed.
 */
PG_API int pg_policy_set_for_namespace(const struct pg_policy **out,
                                       const struct pg_policy_set *set, struct pg_str ns_name,
                                       const struct pg_node *ns_labels, struct pg_error *err);

/*
 * Turn the modes a namespace's Pod Security labels give (`modes`, from
 * pg_ns_policy_from_labels) into the modes of a namespace bound to `policy`:
 * enforce becomes the policy's level:version; audit stays; warn stays when
 * the namespace has a `warn` label, and otherwise follows the policy as
 * upstream's warn follows enforce (spec §5.2 step 9). *warn_custom_out is set
 * when warn is the policy itself: its level, at its version or at the
 * `warn-version` label's when there is one. Warn results then apply its
 * exemptions too: pg_evaluate at modes->modes[PG_MODE_WARN], then
 * pg_policy_apply (pg_policy_evaluate would use the policy's own version).
 */
PG_API void pg_policy_bind_modes(bool *warn_custom_out, struct pg_ns_policy *modes,
                                 const struct pg_policy *policy, const struct pg_node *ns_labels,
                                 const struct pg_ns_policy *defaults);

/* True when the exemption has an expiry and `today` is after it. */
PG_API bool pg_policy_exemption_expired(const struct pg_policy_exemption *exemption,
                                        struct pg_date today);

/* True when scoped by containers or images (it can never remove pod-level findings). */
PG_API bool pg_policy_exemption_container_scoped(const struct pg_policy_exemption *exemption);

/* True when it has no scope at all: its checks are exempted entirely. */
PG_API bool pg_policy_exemption_unscoped(const struct pg_policy_exemption *exemption);

/*
 * A finding's offending value as `values` matches it: the capability, type,
 * host, sysctl, procMount, volume type (`hostPath`), annotation value,
 * `hostNetwork`/`hostPID`/`hostIPC`, `true`/`false`/`0`, or the host port in
 * decimal (written into buf). Returns false for findings about a field that
 * is missing (CONTAINER_UNSET, MISSING_DROP): they have no value to exempt.
 */
PG_API bool pg_policy_finding_value(struct pg_str *out, char *buf, size_t size,
                                    const struct pg_finding *finding);

/* True when the finding is about the pod, not one container (annotations always are). */
PG_API bool pg_policy_finding_pod_level(const struct pg_finding *finding);

/* Whether `exemption` (ignoring expiry) removes `finding` of `pod`. */
PG_API bool pg_policy_exemption_matches(const struct pg_policy_exemption *exemption,
                                        const struct pg_finding *finding, const struct pg_pod *pod);

/* A finding an exemption removed; `finding.node` and strings borrow from the pod's tree. */
struct pg_exempted_finding {
    struct pg_finding finding;
    const struct pg_policy *policy;
    const struct pg_policy_exemption *exemption;
};

/* A growable list, reusable across calls like struct pg_findings. */
struct pg_exempted_list {
    struct pg_exempted_finding *items;
    size_t len;
    size_t cap;
};

PG_API void pg_exempted_list_init(struct pg_exempted_list *list);
PG_API void pg_exempted_list_reset(struct pg_exempted_list *list);
PG_API void pg_exempted_list_release(struct pg_exempted_list *list);

/*
 * Remove from `findings` (as pg_evaluate left them for policy->level) every
 * finding an unexpired exemption of `policy` matches, keeping the order of
 * the rest and recomputing `findings->forbidden`; each removed finding is
 * appended to `exempted_out` (may be NULL) with the first exemption that
 * matched it. Rendering the remaining findings then gives upstream's text for
 * a pod without the exempted parts. Returns 0, or PG_EINVAL (findings
 * untouched: fail closed) for a NULL argument or an invalid `today`.
 */
PG_API int pg_policy_apply(struct pg_exempted_list *exempted_out, struct pg_findings *findings,
                           const struct pg_policy *policy, const struct pg_pod *pod,
                           struct pg_date today);

/* pg_evaluate at policy->level, then pg_policy_apply. Same return values. */
PG_API int pg_policy_evaluate(struct pg_findings *out, struct pg_exempted_list *exempted_out,
                              const struct pg_policy *policy, const struct pg_pod *pod,
                              struct pg_date today);

#endif
