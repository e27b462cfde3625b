/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An open-loop, constant-rate HTTPS load generator for bench/webhook.sh's
 * "p99 at half load". wrk paces each connection with delay() in whole
 * milliseconds and fires every timer due in the same millisecond together, so
 * at half load requests arrive in bursts and the measured tail is mostly the
 * burst draining (docs/internals/admission.md, "p99 at half load"). Here
 * request i is due at t0 + i / RATE, evenly spaced; it goes out at its due
 * time on an idle keep-alive connection, or, when none is idle, as soon as
 * one frees up. Its latency runs from the due time, not the send time, so
 * time spent queued in the client counts (corrected for coordinated omission,
 * as wrk2 does). Single-threaded: run it on a core of its own (taskset).
 *
 * Talks to 127.0.0.1 only and refuses any other address. Certificates are not
 * verified (the benchmark's self-signed one). Responses must carry
 * Content-Length; anything else is reported and ends the run.
 *
 * usage: paced_client --rate R --duration S --connections C --body FILE
 *                     [--path /] [--host 127.0.0.1] --port P [--warmup S]
 */
/* ppoll (a timeout in nanoseconds: poll's milliseconds are ten times the gap
 * between requests at the rates measured) and memmem. */
#define _GNU_SOURCE
#include "bench_util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <gnutls/gnutls.h>

enum {
    MAX_CONNECTIONS = 1024,
    RESPONSE_CAP = 65536,
    /* Wake this long before a due time and spin the rest: a sleeping thread
     * wakes tens of microseconds late, close to the gap between requests. */
    SPIN_NS = 60000,
};

/* No response at all for this long while requests are out: give up. */
static const int64_t STALL_NS = 10000000000LL;

struct options {
    double rate;
    double duration;
    double warmup;
    int connections;
    const char *body_file;
    const char *path;
    const char *host;
    int port;
};

struct conn {
    int fd;
    gnutls_session_t session;
    int busy;
    int dead;
    int64_t due;  /* due time of the request in flight */
    int64_t sent; /* when it went out */
    size_t len;
    char buf[RESPONSE_CAP + 1];
};

struct run {
    struct options opt;
    gnutls_certificate_credentials_t cred;
    struct conn *conns;
    int nconn;
    int rr; /* round-robin cursor over idle connections */
    char *request;
    size_t request_len;
    int64_t t0;
    int64_t measure_from; /* due times before this are warm-up */
    int64_t total;        /* requests to send */
    int64_t next;         /* next request to send */
    int64_t busy;
    int64_t *latency; /* ns from due to response, measured requests */
    int64_t *lag;     /* ns from due to send, measured requests */
    int64_t nlat;
    int64_t nlag;
    int64_t completed;
    int64_t non200;
    int64_t resets;
    int64_t last_send;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t due_ns(const struct run *r, int64_t i)
{
    return r->t0 + (int64_t)((double)i * 1e9 / r->opt.rate);
}

static void usage(void)
{
    (void)fprintf(stderr, "usage: paced_client --rate R --duration S --connections C --body FILE "
                          "[--path /] [--host 127.0.0.1] --port P [--warmup S]\n");
}

static int parse_number(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    return (errno == 0 && end != text && *end == '\0' && isfinite(*out)) ? 0 : -1;
}

static int parse_option(struct options *o, const char *name, const char *value)
{
    double v = 0;
    if (strcmp(name, "--body") == 0) {
        o->body_file = value;
    } else if (strcmp(name, "--path") == 0) {
        o->path = value;
    } else if (strcmp(name, "--host") == 0) {
        o->host = value;
    } else if (parse_number(value, &v) != 0) {
        return -1;
    } else if (strcmp(name, "--rate") == 0) {
        o->rate = v;
    } else if (strcmp(name, "--duration") == 0) {
        o->duration = v;
    } else if (strcmp(name, "--warmup") == 0) {
        o->warmup = v;
    } else if (strcmp(name, "--connections") == 0) {
        o->connections = (int)v;
    } else if (strcmp(name, "--port") == 0) {
        o->port = (int)v;
    } else {
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
    struct in_addr addr;
    *o = (struct options){.warmup = 0.5, .path = "/", .host = "127.0.0.1"};
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc || parse_option(o, argv[i], argv[i + 1]) != 0) {
            usage();
            return -1;
        }
    }
    if (o->rate <= 0 || o->duration <= 0 || o->warmup < 0 || o->connections < 1 ||
        o->connections > MAX_CONNECTIONS || o->body_file == NULL || o->port < 1 ||
        o->port > 65535 || o->path[0] != '/') {
        usage();
        return -1;
    }
    /* Load goes to this machine's loopback only, never anywhere else. */
    if (inet_pton(AF_INET, o->host, &addr) != 1 || ntohl(addr.s_addr) != INADDR_LOOPBACK) {
        (void)fprintf(stderr, "paced_client: refusing host %s: 127.0.0.1 only\n", o->host);
        return -1;
    }
    return 0;
}

#define REQUEST_HEAD                                                                               \
    "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\nContent-Length: "        \
    "%zu\r\n\r\n"

/* The whole request, headers and body, built once and sent as is every time. */
static int build_request(struct run *r)
{
    size_t body_len = 0;
    char *body = bench_read_file(r->opt.body_file, &body_len);
    int head_len = 0;
    int rc = -1;
    if (body == NULL) {
        (void)fprintf(stderr, "paced_client: cannot read %s\n", r->opt.body_file);
        goto cleanup;
    }
    head_len = snprintf(NULL, 0, REQUEST_HEAD, r->opt.path, r->opt.host, r->opt.port, body_len);
    r->request = malloc((size_t)head_len + body_len + 1);
    if (head_len < 0 || r->request == NULL) {
        goto cleanup;
    }
    (void)snprintf(r->request, (size_t)head_len + 1, REQUEST_HEAD, r->opt.path, r->opt.host,
                   r->opt.port, body_len);
    memcpy(r->request + head_len, body, body_len);
    r->request_len = (size_t)head_len + body_len;
    rc = 0;
cleanup:
    free(body);
    return rc;
}

static int tcp_connect(const struct options *o)
{
    struct sockaddr_in addr;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* checked in parse_args */
    /* Each request is one TLS record: send it now, do not wait for an ACK. */
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0 ||
        connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        (void)close(fd);
        return -1;
    }
    return fd;
}

/* Blocking handshake at start-up (nothing is timed yet); the socket is made
 * non-blocking afterwards for the measured part. */
static int conn_open(struct run *r, struct conn *c)
{
    int ret = 0;
    c->fd = tcp_connect(&r->opt);
    if (c->fd < 0) {
        (void)fprintf(stderr, "paced_client: connect: %s\n", strerror(errno));
        return -1;
    }
    if (gnutls_init(&c->session, GNUTLS_CLIENT) != GNUTLS_E_SUCCESS) {
        return -1;
    }
    if (gnutls_set_default_priority(c->session) != GNUTLS_E_SUCCESS ||
        gnutls_credentials_set(c->session, GNUTLS_CRD_CERTIFICATE, r->cred) != GNUTLS_E_SUCCESS) {
        return -1;
    }
    gnutls_transport_set_int(c->session, c->fd);
    gnutls_handshake_set_timeout(c->session, GNUTLS_DEFAULT_HANDSHAKE_TIMEOUT);
    do {
        ret = gnutls_handshake(c->session);
    } while (ret < 0 && gnutls_error_is_fatal(ret) == 0);
    if (ret < 0) {
        (void)fprintf(stderr, "paced_client: TLS handshake: %s\n", gnutls_strerror(ret));
        return -1;
    }
    return fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) == 0 ? 0 : -1;
}

static void conn_close(struct conn *c)
{
    if (c->session != NULL) {
        gnutls_deinit(c->session);
        c->session = NULL;
    }
    if (c->fd >= 0) {
        (void)close(c->fd);
        c->fd = -1;
    }
}

/* A dropped connection: its request in flight counts as an error, and the
 * run goes on with the others (no reconnect: a handshake would be timed). */
static void conn_drop(struct run *r, struct conn *c, const char *why)
{
    (void)fprintf(stderr, "paced_client: connection lost: %s\n", why);
    if (c->busy) {
        r->busy--;
    }
    c->busy = 0;
    c->dead = 1;
    r->resets++;
    conn_close(c);
}

/* The request fits one TLS record and a loopback socket buffer, so the send
 * nearly always completes at once; when it does not (EAGAIN), wait for the
 * socket to drain and resend the same data, as GnuTLS requires. */
static int send_request(struct run *r, struct conn *c)
{
    size_t off = 0;
    while (off < r->request_len) {
        ssize_t n = gnutls_record_send(c->session, r->request + off, r->request_len - off);
        if (n > 0) {
            off += (size_t)n;
        } else if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
            struct pollfd p = {.fd = c->fd, .events = POLLOUT};
            (void)poll(&p, 1, 1000);
        } else {
            conn_drop(r, c, gnutls_strerror((int)n));
            return -1;
        }
    }
    return 0;
}

static struct conn *pick_idle(struct run *r)
{
    for (int k = 0; k < r->nconn; k++) {
        struct conn *c = &r->conns[(r->rr + k) % r->nconn];
        if (!c->busy && !c->dead) {
            r->rr = (r->rr + k + 1) % r->nconn;
            return c;
        }
    }
    return NULL;
}

/* Sends every request that is due, as long as a connection is idle. */
static void send_due(struct run *r)
{
    int64_t now = now_ns();
    while (r->next < r->total && due_ns(r, r->next) <= now) {
        struct conn *c = pick_idle(r);
        if (c == NULL) {
            return;
        }
        c->due = due_ns(r, r->next);
        c->len = 0;
        if (send_request(r, c) != 0) {
            continue; /* dropped: the same request goes out on another one */
        }
        c->sent = now_ns();
        c->busy = 1;
        r->busy++;
        r->next++;
        r->last_send = c->sent;
        if (c->due >= r->measure_from) {
            r->lag[r->nlag++] = c->sent - c->due;
        }
        now = c->sent;
    }
}

static const char *find_header_end(const char *buf, size_t len)
{
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    return end != NULL ? end + 4 : NULL;
}

/* Headers of a complete head: the status, and the body length from
 * Content-Length; chunked or unframed responses are refused. */
static int parse_head(const char *head, int *status, size_t *body_len)
{
    const char *line = strstr(head, "\r\n");
    int have_length = 0;
    if ((strncmp(head, "HTTP/1.1 ", 9) != 0 && strncmp(head, "HTTP/1.0 ", 9) != 0) ||
        sscanf(head + 9, "%3d", status) != 1) {
        (void)fprintf(stderr, "paced_client: not an HTTP/1.x status line\n");
        return -1;
    }
    while (line != NULL && strncmp(line, "\r\n\r\n", 4) != 0) {
        line += 2;
        if (strncasecmp(line, "Content-Length:", 15) == 0) {
            *body_len = strtoul(line + 15, NULL, 10);
            have_length = 1;
        } else if (strncasecmp(line, "Transfer-Encoding:", 18) == 0) {
            (void)fprintf(stderr, "paced_client: Transfer-Encoding is not supported\n");
            return -1;
        }
        line = strstr(line, "\r\n");
    }
    if (!have_length) {
        (void)fprintf(stderr, "paced_client: response without Content-Length\n");
        return -1;
    }
    return 0;
}

/* 1: a whole response is in c->buf, 0: not yet, -1: one we cannot handle. */
static int response_complete(struct conn *c, int *status)
{
    const char *body = NULL;
    size_t body_len = 0;
    size_t head_len = 0;
    char saved = 0;
    int rc = 0;
    c->buf[c->len] = '\0';
    body = find_header_end(c->buf, c->len);
    if (body == NULL) {
        return 0;
    }
    head_len = (size_t)(body - c->buf);
    saved = c->buf[head_len];
    c->buf[head_len] = '\0';
    rc = parse_head(c->buf, status, &body_len);
    c->buf[head_len] = saved;
    if (rc != 0) {
        return -1;
    }
    if (head_len + body_len > RESPONSE_CAP) {
        (void)fprintf(stderr, "paced_client: response larger than %d bytes\n", RESPONSE_CAP);
        return -1;
    }
    if (c->len < head_len + body_len) {
        return 0;
    }
    /* One request in flight per connection: nothing may follow the body. */
    return c->len == head_len + body_len ? 1 : -1;
}

static void record(struct run *r, struct conn *c, int status)
{
    int64_t done = now_ns();
    if (status != 200) {
        r->non200++;
    }
    if (c->due >= r->measure_from) {
        r->latency[r->nlat++] = done - c->due;
    }
    r->completed++;
    c->busy = 0;
    c->len = 0;
    r->busy--;
}

/* Reads what the socket has; -1 on a response this client cannot handle. */
static int read_conn(struct run *r, struct conn *c)
{
    for (;;) {
        int status = 0;
        int done = 0;
        ssize_t n = 0;
        if (c->len == RESPONSE_CAP) {
            /* No end of the header in that much: asking for 0 bytes would read as a close. */
            (void)fprintf(stderr, "paced_client: response header larger than %d bytes\n",
                          RESPONSE_CAP);
            return -1;
        }
        n = gnutls_record_recv(c->session, c->buf + c->len, RESPONSE_CAP - c->len);
        if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
            return 0;
        }
        if (n == 0 || (n < 0 && gnutls_error_is_fatal((int)n))) {
            conn_drop(r, c, n == 0 ? "closed by the server" : gnutls_strerror((int)n));
            return 0;
        }
        if (n < 0) {
            return 0; /* a warning alert or a session ticket: poll again */
        }
        if (!c->busy) {
            (void)fprintf(stderr, "paced_client: data with no request in flight\n");
            return -1;
        }
        c->len += (size_t)n;
        done = response_complete(c, &status);
        if (done < 0) {
            return -1;
        }
        if (done == 1) {
            record(r, c, status);
        }
    }
}

/* Waits for responses until the next due time (or up to 100 ms when every
 * connection is busy or nothing is left to send), spinning the last
 * SPIN_NS. */
static int wait_and_read(struct run *r)
{
    struct pollfd pfds[MAX_CONNECTIONS];
    int idx[MAX_CONNECTIONS];
    int n = 0;
    int64_t wait = 100000000;
    struct timespec ts;
    for (int k = 0; k < r->nconn; k++) {
        if (r->conns[k].busy) {
            pfds[n] = (struct pollfd){.fd = r->conns[k].fd, .events = POLLIN};
            idx[n++] = k;
        }
    }
    if (r->next < r->total && r->busy < r->nconn) {
        wait = due_ns(r, r->next) - now_ns();
        wait = wait < SPIN_NS ? 0 : wait - SPIN_NS;
    }
    ts = (struct timespec){.tv_sec = wait / 1000000000, .tv_nsec = wait % 1000000000};
    if (ppoll(pfds, (nfds_t)n, &ts, NULL) < 0 && errno != EINTR) {
        return -1;
    }
    for (int k = 0; k < n; k++) {
        if (pfds[k].revents != 0 && read_conn(r, &r->conns[idx[k]]) != 0) {
            return -1;
        }
    }
    return 0;
}

static int live_connections(const struct run *r)
{
    int live = 0;
    for (int k = 0; k < r->nconn; k++) {
        live += !r->conns[k].dead;
    }
    return live;
}

static int run_load(struct run *r)
{
    int64_t last_progress = now_ns();
    int64_t last_completed = 0;
    r->t0 = now_ns() + 1000000; /* first request 1 ms from now */
    r->measure_from = r->t0 + (int64_t)(r->opt.warmup * 1e9);
    while (r->next < r->total || r->busy > 0) {
        send_due(r);
        if (live_connections(r) == 0) {
            (void)fprintf(stderr, "paced_client: every connection was lost\n");
            return -1;
        }
        if (wait_and_read(r) != 0) {
            return -1;
        }
        if (r->completed != last_completed) {
            last_completed = r->completed;
            last_progress = now_ns();
        } else if (r->busy > 0 && now_ns() - last_progress > STALL_NS) {
            (void)fprintf(stderr, "paced_client: no response for 10 s\n");
            return -1;
        }
    }
    return 0;
}

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank, in milliseconds. */
static double percentile_ms(const int64_t *sorted, int64_t n, double p)
{
    int64_t rank = (int64_t)ceil(p * (double)n);
    if (n == 0) {
        return 0;
    }
    rank = rank < 1 ? 1 : rank;
    return (double)sorted[rank - 1] / 1e6;
}

static void report(struct run *r)
{
    int64_t n = r->nlat;
    double span = (double)(r->last_send - r->measure_from) / 1e9;
    double achieved = span > 0 ? (double)r->nlag / span : 0;
    qsort(r->latency, (size_t)n, sizeof(int64_t), compare_i64);
    qsort(r->lag, (size_t)r->nlag, sizeof(int64_t), compare_i64);
    /* One line of key=value for scripts, then one for people. */
    (void)printf("paced rate=%.0f achieved=%.0f sent=%lld measured=%lld connections=%d "
                 "errors=%lld non200=%lld resets=%lld p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f "
                 "p999_ms=%.3f max_ms=%.3f send_lag_p99_ms=%.3f\n",
                 r->opt.rate, achieved, (long long)r->next, (long long)n, r->nconn,
                 (long long)(r->non200 + r->resets), (long long)r->non200, (long long)r->resets,
                 percentile_ms(r->latency, n, 0.5), percentile_ms(r->latency, n, 0.9),
                 percentile_ms(r->latency, n, 0.99), percentile_ms(r->latency, n, 0.999),
                 n > 0 ? (double)r->latency[n - 1] / 1e6 : 0, percentile_ms(r->lag, r->nlag, 0.99));
    (void)printf("%lld requests at %.0f/s (target %.0f/s, %d connections), %lld measured after "
                 "%.1f s warm-up: p50 %.3f ms, p99 %.3f ms, max %.3f ms; %lld errors\n",
                 (long long)r->next, achieved, r->opt.rate, r->nconn, (long long)n, r->opt.warmup,
                 percentile_ms(r->latency, n, 0.5), percentile_ms(r->latency, n, 0.99),
                 n > 0 ? (double)r->latency[n - 1] / 1e6 : 0, (long long)(r->non200 + r->resets));
}

static int setup(struct run *r)
{
    r->total = (int64_t)ceil(r->opt.rate * (r->opt.warmup + r->opt.duration));
    r->latency = malloc((size_t)r->total * sizeof(int64_t));
    r->lag = malloc((size_t)r->total * sizeof(int64_t));
    r->conns = calloc((size_t)r->opt.connections, sizeof(struct conn));
    if (r->latency == NULL || r->lag == NULL || r->conns == NULL || build_request(r) != 0 ||
        gnutls_certificate_allocate_credentials(&r->cred) != GNUTLS_E_SUCCESS) {
        return -1;
    }
    for (int k = 0; k < r->opt.connections; k++) {
        r->conns[k].fd = -1;
    }
    for (r->nconn = 0; r->nconn < r->opt.connections; r->nconn++) {
        if (conn_open(r, &r->conns[r->nconn]) != 0) {
            conn_close(&r->conns[r->nconn]);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct run r;
    int rc = 1;
    memset(&r, 0, sizeof(r));
    if (parse_args(argc, argv, &r.opt) != 0) {
        return 2;
    }
    /* The default 50 us timer slack would add itself to every wake-up. */
    (void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    if (setup(&r) != 0) {
        (void)fprintf(stderr, "paced_client: cannot set up %d connections to %s:%d\n",
                      r.opt.connections, r.opt.host, r.opt.port);
        goto cleanup;
    }
    if (run_load(&r) != 0) {
        goto cleanup;
    }
    report(&r);
    rc = (r.non200 + r.resets) > 0 ? 1 : 0;
cleanup:
    for (int k = 0; k < r.nconn; k++) {
        conn_close(&r.conns[k]);
    }
    if (r.cred != NULL) {
        gnutls_certificate_free_credentials(r.cred);
    }
    free(r.conns);
    free(r.latency);
    free(r.lag);
    free(r.request);
    return rc;
}
