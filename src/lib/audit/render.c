/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the three audit renderers share: the format names, the `kubectl label` command for a
 * recommendation, and the dispatch. The renderers themselves are render_text.c,
 * render_json.c and render_html.c.
 */
#include "audit/internal.h"

#include <string.h>

int pg_audit_format_parse(enum pg_audit_format *out, const char *name)
{
    static const char *const NAMES[] = {"text", "json", "html"};
    if (out == NULL || name == NULL) {
        return PG_EINVAL;
    }
    for (size_t i = 0; i < sizeof(NAMES) / sizeof(NAMES[0]); i++) {
        if (strcmp(name, NAMES[i]) == 0) {
            *out = (enum pg_audit_format)i;
            return 0;
        }
    }
    return PG_EINVAL;
}

/* Names come from the cluster: quote anything but the characters a namespace may hold. */
static void put_shell_word(struct pg_buf *out, const char *word)
{
    bool plain = word[0] != '\0';
    for (const char *c = word; *c != '\0' && plain; c++) {
        plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                *c == '-' || *c == '.' || *c == '_';
    }
    if (plain) {
        pg_buf_puts(out, word);
        return;
    }
    pg_buf_putc(out, '\'');
    for (const char *c = word; *c != '\0'; c++) {
        if (*c == '\'') {
            pg_buf_puts(out, "'\\''");
        } else {
            pg_buf_putc(out, *c);
        }
    }
    pg_buf_putc(out, '\'');
}

void pg_audit_label_command(struct pg_buf *out, const char *namespace_,
                            const struct pg_ns_policy *policy)
{
    static const enum pg_mode ORDER[3] = {PG_MODE_ENFORCE, PG_MODE_WARN, PG_MODE_AUDIT};
    pg_buf_puts(out, "kubectl label --overwrite ns ");
    put_shell_word(out, namespace_);
    for (size_t i = 0; i < 3; i++) {
        struct pg_level_version lv = policy->modes[ORDER[i]];
        const char *mode = pg_mode_name(ORDER[i]);
        pg_buf_printf(out, " pod-security.kubernetes.io/%s=%s", mode, pg_level_name(lv.level));
        pg_buf_printf(out, " pod-security.kubernetes.io/%s-version=", mode);
        pg_audit_put_version(out, lv.version);
    }
}

void pg_audit_put_level_version(struct pg_buf *out, struct pg_level_version lv)
{
    char text[64];
    size_t len = pg_level_version_format(text, sizeof(text), lv);
    pg_buf_put(out, text, len < sizeof(text) ? len : sizeof(text) - 1);
}

void pg_audit_put_version(struct pg_buf *out, struct pg_version version)
{
    if (version.latest) {
        pg_buf_puts(out, "latest");
    } else {
        pg_buf_printf(out, "v1.%lld", (long long)version.minor);
    }
}

void pg_audit_put_what_if_header(struct pg_buf *out, const struct pg_audit_what_if_result *w)
{
    pg_buf_puts(out, "existing pods in namespace ");
    pg_buf_put_go_quoted(out, (struct pg_str){w->namespace_, strlen(w->namespace_)});
    pg_buf_puts(out, " violate the new PodSecurity enforce level \"");
    pg_audit_put_level_version(out, w->enforce);
    pg_buf_putc(out, '"');
}

void pg_audit_render(struct pg_buf *out, const struct pg_audit *audit, enum pg_audit_format format)
{
    if (out == NULL || audit == NULL || !audit->finished) {
        return;
    }
    switch (format) {
    case PG_AUDIT_TEXT:
        pg_audit_render_text(out, audit);
        break;
    case PG_AUDIT_JSON:
        pg_audit_render_json(out, audit);
        break;
    case PG_AUDIT_HTML:
        pg_audit_render_html(out, audit);
        break;
    }
}
