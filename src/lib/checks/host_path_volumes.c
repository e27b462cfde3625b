/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostPathVolumes (baseline, v1.0; spec §3.6): no volume may set hostPath,
 * even `{}`. Replaced at restricted by restrictedVolumes.
 */
#include "checks/checks.h"
#include "checks/text.h"

void pg_check_host_path_volumes_judge(struct pg_findings *out, const struct pg_pod *pod,
                                      unsigned minor)
{
    size_t i = 0;
    (void)minor;
    for (i = 0; i < pod->volumes_len; i++) {
        const struct pg_volume *volume = &pod->volumes[i];
        if ((volume->sources & ((uint64_t)1 << PG_VOL_HOST_PATH)) != 0) {
            pg_check_add_volume(out, PG_CHECK_HOST_PATH_VOLUMES, volume, PG_STR_LIT("hostPath"),
                                pg_check_node_or(volume->host_path, volume->node));
        }
    }
}

void pg_check_host_path_volumes_render(struct pg_buf *reason, struct pg_buf *detail,
                                       const struct pg_check_view *view)
{
    struct pg_text_list names;
    size_t cursor = 0;
    const struct pg_finding *finding = NULL;
    pg_text_put_reason(reason, PG_STR_LIT("hostPath volumes"));
    if (detail == NULL) {
        return;
    }
    pg_text_list_init(&names);
    while ((finding = pg_view_next(view, &cursor)) != NULL) {
        pg_text_list_push_str(&names, finding->name);
    }
    pg_text_put_plural(detail, names.len, PG_STR_LIT("volume "), PG_STR_LIT("volumes "));
    pg_text_put_quote_list(detail, &names);
    pg_text_list_release(&names);
}
