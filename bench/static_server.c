/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The baseline for bench/webhook.sh: the same HTTP/TLS stack as podgate serve
 * (libmicrohttpd thread pool, GnuTLS, same priorities) answering every POST
 * with a fixed AdmissionReview response, so the benchmark separates the cost
 * of admission from the cost of HTTPS. Listens on 127.0.0.1 only.
 *
 * usage: static_server PORT CERT KEY THREADS
 */
#include "bench_util.h"

#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

static volatile sig_atomic_t stop_requested = 0;

static const char RESPONSE[] =
    "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"response\":{"
    "\"uid\":\"1\",\"allowed\":true,\"auditAnnotations\":{\"enforce-policy\":"
    "\"restricted:latest\"}}}\n";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct MHD_Response *response = NULL;
    enum MHD_Result rc = MHD_NO;
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;
    if (*con_cls == NULL) {
        *con_cls = connection;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    response = MHD_create_response_from_buffer(sizeof(RESPONSE) - 1, (void *)(uintptr_t)RESPONSE,
                                               MHD_RESPMEM_PERSISTENT);
    (void)MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    rc = MHD_queue_response(connection, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return rc;
}

/* TCP_NODELAY from the start, as podgate serve sets it (src/server/http.c, set_no_delay). */
static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    const union MHD_ConnectionInfo *info = NULL;
    int on = 1;
    (void)cls;
    (void)socket_context;
    if (toe != MHD_CONNECTION_NOTIFY_STARTED) {
        return;
    }
    info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info != NULL) {
        (void)setsockopt(info->connect_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    }
}

static void on_signal(int signo)
{
    (void)signo;
    stop_requested = 1;
}

int main(int argc, char **argv)
{
    struct sockaddr_in address;
    struct MHD_Daemon *daemon = NULL;
    char *cert = NULL;
    char *key = NULL;
    size_t len = 0;
    if (argc != 5) {
        (void)fprintf(stderr, "usage: static_server PORT CERT KEY THREADS\n");
        return 2;
    }
    cert = bench_read_file(argv[2], &len);
    key = bench_read_file(argv[3], &len);
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)strtoul(argv[1], NULL, 10));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)signal(SIGTERM, on_signal);
    (void)signal(SIGINT, on_signal);
    daemon = MHD_start_daemon(
        MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL, NULL, on_request,
        NULL, MHD_OPTION_SOCK_ADDR, &address, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)strtoul(argv[4], NULL, 10), MHD_OPTION_HTTPS_MEM_CERT, cert,
        MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2", MHD_OPTION_END);
    if (daemon == NULL || cert == NULL || key == NULL) {
        (void)fprintf(stderr, "static_server: cannot start\n");
        return 1;
    }
    while (!stop_requested) {
        (void)pause();
    }
    MHD_stop_daemon(daemon);
    free(cert);
    free(key);
    return 0;
}
