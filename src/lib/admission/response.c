/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AdmissionResponse under construction and its encoding. Field order and
 * string escapes follow Go's encoding/json on upstream's structs, so a
 * response is byte-identical to the upstream webhook's (minus the echoed
 * request, which the API server ignores).
 */
#include "admission/admission_internal.h"

#include <string.h>

static const char *const ANNOTATION_KEYS[PG_ADM_ANN_COUNT] = {
    "audit-violations", "enforce-policy", "error", "exempt", "podgate-exemptions",
};

/* A C string as a JSON string (the fixed keys and reasons, and the rare C string field). */
static void put_json_cstring(struct pg_buf *buf, const char *text)
{
    struct pg_str view = {text, strlen(text)};
    pg_buf_put_go_json_string(buf, view);
}

void pg_adm_response_init(struct pg_adm_response *response)
{
    memset(response, 0, sizeof(*response));
    response->allowed = true;
}

void pg_adm_response_release(struct pg_adm_response *response)
{
    size_t i = 0;
    pg_buf_release(&response->message);
    pg_buf_release(&response->details);
    pg_buf_release(&response->warnings);
    for (i = 0; i < PG_ADM_ANN_COUNT; i++) {
        pg_buf_release(&response->annotations[i]);
    }
}

void pg_adm_warn(struct pg_adm_response *response, struct pg_str text)
{
    if (response->warnings_len > 0) {
        pg_buf_putc(&response->warnings, ',');
    }
    pg_buf_put_go_json_string(&response->warnings, text);
    response->warnings_len++;
}

struct pg_buf *pg_adm_annotate(struct pg_adm_response *response, enum pg_adm_annotation key)
{
    pg_buf_clear(&response->annotations[key]);
    response->has_annotation[key] = true;
    return &response->annotations[key];
}

void pg_adm_metric(struct pg_adm_response *response, struct pg_admission_metric metric)
{
    if (response->metrics_len < PG_ADMISSION_METRICS_MAX) {
        response->metrics[response->metrics_len++] = metric;
    }
}

void pg_adm_deny_bad_request(struct pg_adm_response *response, const char *message,
                             const char *underlying)
{
    struct pg_buf *error = pg_adm_annotate(response, PG_ADM_ANN_ERROR);
    response->allowed = false;
    response->code = 400;
    response->status_reason = "BadRequest";
    response->details_from_request = false;
    pg_buf_clear(&response->message);
    pg_buf_puts(&response->message, message);
    /* errorResponse: the audit annotation adds ": <err>" when there is one. */
    pg_buf_puts(error, message);
    if (underlying != NULL && underlying[0] != '\0') {
        pg_buf_puts(error, ": ");
        pg_buf_puts(error, underlying);
    }
}

/* `pods`, or `<resource>.<group>` (schema.GroupResource.String). */
static void put_qualified_resource(struct pg_buf *buf, const struct pg_adm_request *request)
{
    pg_buf_put_str(buf, request->resource);
    if (request->resource_group.len > 0) {
        pg_buf_putc(buf, '.');
        pg_buf_put_str(buf, request->resource_group);
    }
}

struct pg_buf *pg_adm_deny_forbidden(struct pg_adm_response *response,
                                     const struct pg_adm_request *request, size_t reason_len)
{
    struct pg_buf *message = &response->message;
    response->allowed = false;
    response->code = 403;
    response->status_reason = "Forbidden";
    pg_buf_clear(message);
    /* The prefix is about resource, name and 20 bytes; the reason follows in the same room. */
    (void)pg_buf_reserve(message, request->resource.len + request->resource_group.len +
                                      request->name.len + 32 + reason_len);
    put_qualified_resource(message, request);
    if (request->name.len > 0) {
        pg_buf_putc(message, ' ');
        pg_buf_put_go_quoted(message, request->name);
    }
    PG_BUF_PUT_LIT(message, " is forbidden: ");
    /* Status.details come from the request when the response is encoded. */
    pg_buf_clear(&response->details);
    response->details_from_request = true;
    return message;
}

void pg_adm_deny_internal(struct pg_adm_response *response, struct pg_str cause)
{
    response->allowed = false;
    response->code = 500;
    response->status_reason = "InternalError";
    response->details_from_request = false;
    pg_buf_clear(&response->message);
    pg_buf_puts(&response->message, "Internal error occurred: ");
    pg_buf_put_str(&response->message, cause);
    pg_buf_clear(&response->details);
    pg_buf_puts(&response->details, "{\"causes\":[{\"message\":");
    pg_buf_put_go_json_string(&response->details, cause);
    pg_buf_puts(&response->details, "}]}");
}

/* A Forbidden status's StatusDetails: name, group, kind; empty ones omitted. */
static void encode_request_details(struct pg_buf *out, const struct pg_adm_request *request)
{
    PG_BUF_PUT_LIT(out, ",\"details\":{");
    if (request->name.len > 0) {
        PG_BUF_PUT_LIT(out, "\"name\":");
        pg_buf_put_go_json_string(out, request->name);
        pg_buf_putc(out, ',');
    }
    if (request->resource_group.len > 0) {
        PG_BUF_PUT_LIT(out, "\"group\":");
        pg_buf_put_go_json_string(out, request->resource_group);
        pg_buf_putc(out, ',');
    }
    PG_BUF_PUT_LIT(out, "\"kind\":");
    pg_buf_put_go_json_string(out, request->resource);
    pg_buf_putc(out, '}');
}

/* metav1.Status field order: metadata, status, message, reason, details, code. */
static void encode_status(struct pg_buf *out, const struct pg_adm_request *request,
                          const struct pg_adm_response *response)
{
    pg_buf_puts(out, ",\"status\":{\"metadata\":{},\"status\":\"Failure\"");
    if (response->message.len > 0) {
        pg_buf_puts(out, ",\"message\":");
        pg_buf_put_go_json_string(out, pg_buf_str(&response->message));
    }
    pg_buf_puts(out, ",\"reason\":");
    put_json_cstring(out, response->status_reason);
    if (response->details_from_request) {
        encode_request_details(out, request);
    } else if (response->details.len > 0) {
        pg_buf_puts(out, ",\"details\":");
        pg_buf_put_str(out, pg_buf_str(&response->details));
    }
    PG_BUF_PUT_LIT(out, ",\"code\":");
    pg_buf_put_int(out, response->code);
    pg_buf_putc(out, '}');
}

static void encode_annotations(struct pg_buf *out, const struct pg_adm_response *response)
{
    bool first = true;
    size_t i = 0;
    for (i = 0; i < PG_ADM_ANN_COUNT; i++) {
        if (!response->has_annotation[i]) {
            continue;
        }
        pg_buf_puts(out, first ? ",\"auditAnnotations\":{" : ",");
        first = false;
        put_json_cstring(out, ANNOTATION_KEYS[i]);
        pg_buf_putc(out, ':');
        pg_buf_put_go_json_string(out, pg_buf_str(&response->annotations[i]));
    }
    if (!first) {
        pg_buf_putc(out, '}');
    }
}

/* Bytes the encoded review will about take: fixed text, the parts, room for escapes. */
static size_t encoded_size_hint(const struct pg_adm_request *request,
                                const struct pg_adm_response *response)
{
    size_t parts = request->uid.len + request->name.len + request->resource.len +
                   request->resource_group.len + response->message.len + response->details.len +
                   response->warnings.len;
    size_t i = 0;
    for (i = 0; i < PG_ADM_ANN_COUNT; i++) {
        parts += response->annotations[i].len;
    }
    return 256 + parts + parts / 8;
}

void pg_adm_encode_review(struct pg_buf *out, const struct pg_adm_request *request,
                          const struct pg_adm_response *response)
{
    /* One allocation for the body rather than one per doubling of a denial's text. */
    pg_buf_reserve(out, encoded_size_hint(request, response));
    pg_buf_puts(out, "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\","
                     "\"response\":{\"uid\":");
    pg_buf_put_go_json_string(out, request->uid);
    pg_buf_puts(out, response->allowed ? ",\"allowed\":true" : ",\"allowed\":false");
    if (response->code != 0) {
        encode_status(out, request, response);
    }
    encode_annotations(out, response);
    if (response->warnings_len > 0) {
        pg_buf_puts(out, ",\"warnings\":[");
        pg_buf_put_str(out, pg_buf_str(&response->warnings));
        pg_buf_putc(out, ']');
    }
    pg_buf_puts(out, "}}\n");
}
