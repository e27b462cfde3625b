/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The keys of an AdmissionReview whose object or list values no judgement reads: the reader
 * checks those values (syntax, UTF-8, limits) but does not build them (PG_NODE_UNREAD, see
 * doc/reader.h). They are most of a pod's bytes as the API server sends it: managedFields
 * alone often doubles a pod. A key belongs here only if no check, workload decoder, exemption
 * or policy reads its value, at any depth and for any kind the webhook judges; the names are
 * matched wherever they occur. Reading into an unread value is an error (pg_extract_type_error
 * says which field), so a future reader of one of these fields fails its tests and denies,
 * rather than seeing the field as absent.
 */
#include "admission/admission_internal.h"

#define IS(literal) (memcmp(key, literal, sizeof(literal) - 1) == 0)

bool pg_adm_unread_key(const char *key, size_t len)
{
    switch (len) {
    case 3:
        return IS("env");
    case 4:
        return IS("args");
    case 5:
        return IS("extra"); /* userInfo.extra */
    case 6:
        return IS("status");
    case 7:
        /* options: request.options; sources: a projected volume's (its type is what counts) */
        return IS("envFrom") || IS("command") || IS("options") || IS("sources");
    case 8:
        return IS("affinity") || IS("selector") || IS("strategy");
    case 9:
        return IS("resources") || IS("dnsConfig");
    case 10:
        return IS("finalizers");
    case 11:
        return IS("tolerations");
    case 12:
        return IS("volumeMounts") || IS("nodeSelector") || IS("resizePolicy");
    case 13:
        return IS("managedFields") || IS("volumeDevices");
    case 14:
        return IS("readinessGates") || IS("resourceClaims") || IS("updateStrategy");
    case 15:
        return IS("schedulingGates");
    case 16:
        return IS("imagePullSecrets");
    case 20:
        return IS("volumeClaimTemplates");
    case 25:
        return IS("topologySpreadConstraints");
    default:
        return false;
    }
}
