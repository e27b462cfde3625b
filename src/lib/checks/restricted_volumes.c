/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restrictedVolumes (restricted, v1.0; replaces hostPathVolumes; spec §3.12):
 * a volume must use one of the allowed sources. A bad volume's label is the
 * first restricted source it sets, in upstream's order, else "unknown".
 */
#include "checks/checks.h"
#include "checks/text.h"

/* configMap … secret: the sources before PG_VOL_FIRST_RESTRICTED. */
#define ALLOWED_SOURCES (((uint64_t)1 << PG_VOL_FIRST_RESTRICTED) - 1)

static struct pg_str label_of(const struct pg_volume *volume)
{
    unsigned source = 0;
    for (source = PG_VOL_FIRST_RESTRICTED; source < PG_VOL_SOURCE_COUNT; source++) {
        if ((volume->sources & ((uint64_t)1 << source)) != 0) {
            const char *name = pg_volume_source_name((enum pg_volume_source)source);
            return (struct pg_str){name, strlen(name)};
        }
    }
    return PG_STR_LIT("unknown");
}

void pg_check_restricted_volumes_judge(struct pg_findings *out, const struct pg_pod *pod,
                                       unsigned minor)
{
    size_t i = 0;
    (void)minor;
    for (i = 0; i < pod->volumes_len; i++) {
        const struct pg_volume *volume = &pod->volumes[i];
        const struct pg_node *node = volume->node;
        /* An allowed source wins over any other source on the same volume. A
         * source-less volume the extractor defaulted is the API server's emptyDir. */
        if ((volume->sources & ALLOWED_SOURCES) != 0 || volume->defaulted_empty_dir) {
            continue;
        }
        if ((volume->sources & ((uint64_t)1 << PG_VOL_HOST_PATH)) != 0) {
            node = pg_check_node_or(volume->host_path, volume->node);
        }
        pg_check_add_volume(out, PG_CHECK_RESTRICTED_VOLUMES, volume, label_of(volume), node);
    }
}

void pg_check_restricted_volumes_render(struct pg_buf *reason, struct pg_buf *detail,
                                        const struct pg_check_view *view)
{
    struct pg_text_list names;
    struct pg_text_list labels;
    size_t cursor = 0;
    const struct pg_finding *finding = NULL;
    pg_text_put_reason(reason, PG_STR_LIT("restricted volume types"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&names);
    pg_text_list_init(&labels);
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        pg_text_list_push_str(&names, finding->name);
    }
    pg_text_collect_values(&labels, view, PG_KINDS_ALL);
    pg_text_put_subjects_use(detail, &names, PG_STR_LIT("volume "), PG_STR_LIT("volumes "), &labels,
                             PG_STR_LIT("restricted volume type "),
                             PG_STR_LIT("restricted volume types "));
    pg_text_list_release(&labels);
    pg_text_list_release(&names);
}
