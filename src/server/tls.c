/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reloadable serving credentials. The certificate chain and key are read into
 * a generation; GnuTLS asks for them per handshake through a retrieve
 * function, so a new generation takes effect on the next handshake while
 * established connections carry on. A pair is only swapped in when the key
 * matches the certificate, so a half-written rotation is never served.
 * Generations are kept until the store is freed: sessions may still point at
 * them, and rotations are rare.
 */
#include "server.h"

#include "util/xalloc.h"
#include "watched_file.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 16

struct generation {
    struct generation *older;
    gnutls_pcert_st pcerts[MAX_CHAIN];
    unsigned pcerts_len;
    gnutls_privkey_t key;
};

struct pg_tls_store {
    pthread_mutex_t lock;
    struct pg_watched_file cert_file;
    struct pg_watched_file key_file;
    struct generation *current;
};

static void generation_free(struct generation *gen)
{
    unsigned i = 0;
    if (gen == NULL) {
        return;
    }
    for (i = 0; i < gen->pcerts_len; i++) {
        gnutls_pcert_deinit(&gen->pcerts[i]);
    }
    if (gen->key != NULL) {
        gnutls_privkey_deinit(gen->key);
    }
    free(gen);
}

/* True when the private key belongs to the first certificate of the chain. */
static bool key_matches(const struct generation *gen)
{
    gnutls_pubkey_t from_key = NULL;
    unsigned char id_cert[64];
    unsigned char id_key[64];
    size_t cert_len = sizeof(id_cert);
    size_t key_len = sizeof(id_key);
    bool match = false;
    if (gnutls_pubkey_init(&from_key) < 0) {
        return false;
    }
    if (gnutls_pubkey_import_privkey(from_key, gen->key, 0, 0) >= 0 &&
        gnutls_pubkey_get_key_id(from_key, GNUTLS_KEYID_USE_SHA256, id_key, &key_len) >= 0 &&
        gnutls_pubkey_get_key_id(gen->pcerts[0].pubkey, GNUTLS_KEYID_USE_SHA256, id_cert,
                                 &cert_len) >= 0) {
        match = key_len == cert_len && memcmp(id_key, id_cert, key_len) == 0;
    }
    gnutls_pubkey_deinit(from_key);
    return match;
}

static int load_generation(struct generation **out, const char *cert_file, const char *key_file,
                           struct pg_error *err)
{
    struct generation *gen = pg_xcalloc(1, sizeof(*gen));
    gnutls_datum_t cert = {NULL, 0};
    gnutls_datum_t key = {NULL, 0};
    int rc = PG_ETLS;
    gen->pcerts_len = MAX_CHAIN;
    if (gnutls_load_file(cert_file, &cert) < 0 || gnutls_load_file(key_file, &key) < 0) {
        gen->pcerts_len = 0;
        rc = pg_error_set(err, PG_EIO, "cannot read %s or %s", cert_file, key_file);
        goto cleanup;
    }
    if (gnutls_pcert_list_import_x509_raw(gen->pcerts, &gen->pcerts_len, &cert, GNUTLS_X509_FMT_PEM,
                                          0) < 0 ||
        gen->pcerts_len == 0) {
        gen->pcerts_len = 0;
        rc = pg_error_set(err, PG_ETLS, "%s: no usable PEM certificate", cert_file);
        goto cleanup;
    }
    if (gnutls_privkey_init(&gen->key) < 0 ||
        gnutls_privkey_import_x509_raw(gen->key, &key, GNUTLS_X509_FMT_PEM, NULL, 0) < 0) {
        rc = pg_error_set(err, PG_ETLS, "%s: no usable PEM private key", key_file);
        goto cleanup;
    }
    if (!key_matches(gen)) {
        rc = pg_error_set(err, PG_ETLS, "%s does not match %s", key_file, cert_file);
        goto cleanup;
    }
    *out = gen;
    gen = NULL;
    rc = 0;
cleanup:
    gnutls_free(cert.data);
    gnutls_free(key.data);
    generation_free(gen);
    return rc;
}

int pg_tls_store_new(struct pg_tls_store **out, const char *cert_file, const char *key_file,
                     struct pg_error *err)
{
    struct pg_tls_store *store = pg_xcalloc(1, sizeof(*store));
    int rc = 0;
    (void)pthread_mutex_init(&store->lock, NULL);
    pg_watched_file_init(&store->cert_file, cert_file);
    pg_watched_file_init(&store->key_file, key_file);
    rc = load_generation(&store->current, cert_file, key_file, err);
    if (rc != 0) {
        pg_tls_store_free(store);
        return rc;
    }
    *out = store;
    return 0;
}

void pg_tls_store_free(struct pg_tls_store *store)
{
    struct generation *gen = NULL;
    if (store == NULL) {
        return;
    }
    gen = store->current;
    while (gen != NULL) {
        struct generation *older = gen->older;
        generation_free(gen);
        gen = older;
    }
    pg_watched_file_release(&store->cert_file);
    pg_watched_file_release(&store->key_file);
    (void)pthread_mutex_destroy(&store->lock);
    free(store);
}

int pg_tls_store_poll(struct pg_tls_store *store, struct pg_error *err)
{
    struct pg_file_stamp cert;
    struct pg_file_stamp key;
    struct generation *gen = NULL;
    int rc = 0;
    bool cert_changed = pg_watched_file_changed(&store->cert_file, &cert);
    bool key_changed = pg_watched_file_changed(&store->key_file, &key);
    if (!cert_changed && !key_changed) {
        return 0;
    }
    rc = load_generation(&gen, store->cert_file.path, store->key_file.path, err);
    if (rc != 0) {
        return rc; /* keep serving the old pair; try again on the next change or poll */
    }
    (void)pthread_mutex_lock(&store->lock);
    gen->older = store->current;
    store->current = gen;
    pg_watched_file_accept(&store->cert_file, &cert);
    pg_watched_file_accept(&store->key_file, &key);
    (void)pthread_mutex_unlock(&store->lock);
    return 1;
}

void pg_tls_store_attach(struct pg_tls_store *store, void *session)
{
    gnutls_session_set_ptr((gnutls_session_t)session, store);
}

int pg_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *privkey)
{
    struct pg_tls_store *store = gnutls_session_get_ptr(session);
    struct generation *gen = NULL;
    (void)req_ca_rdn;
    (void)nreqs;
    (void)pk_algos;
    (void)pk_algos_length;
    if (store == NULL) {
        return -1;
    }
    (void)pthread_mutex_lock(&store->lock);
    gen = store->current;
    (void)pthread_mutex_unlock(&store->lock);
    *pcert = gen->pcerts;
    *pcert_length = gen->pcerts_len;
    *privkey = gen->key;
    return 0;
}
