/*
 * STARTTLS for the probes, with OpenSSL reached through dlopen(): a
 * monitor execs every few seconds, and mapping and relocating libssl and
 * libcrypto (-z now) at every exec costs more than a cleartext probe
 * itself. Only a probe that asks for TLS loads them. The OpenSSL headers
 * give the prototypes, so every call is still type-checked.
 */
#include "tls.h"

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "conn.h"

#define OSSL_SYMBOLS(X)                                                                            \
	X(TLS_client_method)                                                                       \
	X(SSL_CTX_new)                                                                             \
	X(SSL_CTX_free)                                                                            \
	X(SSL_CTX_set_verify)                                                                      \
	X(SSL_CTX_load_verify_file)                                                                \
	X(SSL_CTX_set_default_verify_paths)                                                        \
	X(SSL_new)                                                                                 \
	X(SSL_free)                                                                                \
	X(SSL_set_fd)                                                                              \
	X(SSL_ctrl)                                                                                \
	X(SSL_set1_host)                                                                           \
	X(SSL_get0_param)                                                                          \
	X(SSL_connect)                                                                             \
	X(SSL_read)                                                                                \
	X(SSL_write)                                                                               \
	X(SSL_get_error)                                                                           \
	X(SSL_get_verify_result)                                                                   \
	X(X509_VERIFY_PARAM_set1_ip_asc)                                                           \
	X(X509_verify_cert_error_string)                                                           \
	X(ERR_get_error)                                                                           \
	X(ERR_error_string_n)                                                                      \
	X(ERR_clear_error)

struct ossl {
#define OSSL_FIELD(f) __typeof__(f) *f;
	OSSL_SYMBOLS(OSSL_FIELD)
#undef OSSL_FIELD
};

struct tls {
	const struct ossl *o;
	int fd; /* not owned */
	SSL_CTX *ctx;
	SSL *ssl;
};

/*
 * Loaded once per process and never unloaded (OpenSSL does not support
 * being unloaded); the only process-wide state of the probe library.
 */
static const struct ossl *ossl_load(struct error *err)
{
	static struct ossl o;
	static bool loaded;
	void *h;

	if (loaded)
		return &o;
	h = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		error_set(err, ELIBACC, "TLS: cannot load OpenSSL: %s", dlerror());
		return NULL;
	}
#define OSSL_LOAD(f)                                                                               \
	o.f = (__typeof__(o.f))dlsym(h, #f);                                                       \
	if (!o.f) {                                                                                \
		error_set(err, ELIBACC, "TLS: OpenSSL has no %s", #f);                             \
		return NULL;                                                                       \
	}
	OSSL_SYMBOLS(OSSL_LOAD)
#undef OSSL_LOAD
	loaded = true;
	return &o;
}

static bool is_ip_address(const char *host)
{
	unsigned char a[16];

	return inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1;
}

/* Trust anchors and the identity the peer must prove. */
static int tls_configure(struct tls *t, int fd, const char *host, const char *ca_file,
			 struct error *err)
{
	const struct ossl *o = t->o;
	int ok;

	o->SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	ok = ca_file ? o->SSL_CTX_load_verify_file(t->ctx, ca_file)
		     : o->SSL_CTX_set_default_verify_paths(t->ctx);
	if (ok != 1)
		return error_set(err, EPROTO, "TLS: cannot load CA certificates from '%s'",
				 ca_file ? ca_file : "the system's trust store");
	t->ssl = o->SSL_new(t->ctx);
	if (!t->ssl || o->SSL_set_fd(t->ssl, fd) != 1)
		return error_set(err, ENOMEM, "TLS: cannot create a session");
	if (is_ip_address(host)) {
		ok = o->X509_VERIFY_PARAM_set1_ip_asc(o->SSL_get0_param(t->ssl), host);
	} else {
		ok = o->SSL_set1_host(t->ssl, host) == 1 &&
		     o->SSL_ctrl(t->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
				 (void *)host) == 1;
	}
	if (ok != 1)
		return error_set(err, EINVAL, "TLS: cannot check the peer against '%s'", host);
	return 0;
}

/* Why the handshake failed, in words. */
static int tls_failure(struct tls *t, int ssl_error, struct error *err)
{
	const struct ossl *o = t->o;
	unsigned long e = o->ERR_get_error();
	long v = o->SSL_get_verify_result(t->ssl);
	char buf[256];

	if (v != X509_V_OK)
		return error_set(err, EPROTO, "TLS: certificate verification failed: %s",
				 o->X509_verify_cert_error_string(v));
	if (e) {
		o->ERR_error_string_n(e, buf, sizeof(buf));
		return error_set(err, EPROTO, "TLS handshake failed: %s", buf);
	}
	if (ssl_error == SSL_ERROR_ZERO_RETURN || ssl_error == SSL_ERROR_SYSCALL)
		return error_set(err, EPROTO,
				 "TLS handshake failed: the server closed the connection");
	return error_set(err, EPROTO, "TLS handshake failed (SSL error %d)", ssl_error);
}

/* events to wait for after an SSL call returned r, or 0 when it failed for good. */
static short tls_want(struct tls *t, int r, int *ret_ssl_error)
{
	int e = t->o->SSL_get_error(t->ssl, r);

	*ret_ssl_error = e;
	if (e == SSL_ERROR_WANT_READ)
		return POLLIN;
	if (e == SSL_ERROR_WANT_WRITE)
		return POLLOUT;
	return 0;
}

static int tls_handshake(struct tls *t, deadline_t deadline, int fd, struct error *err)
{
	for (;;) {
		int r, e;
		short ev;

		t->o->ERR_clear_error();
		r = t->o->SSL_connect(t->ssl);
		if (r == 1)
			return 0;
		ev = tls_want(t, r, &e);
		if (!ev)
			return tls_failure(t, e, err);
		r = fd_wait(fd, ev, deadline);
		if (r == -ETIME)
			return error_set(err, ETIME, "TLS handshake timed out");
		if (r < 0)
			return error_set(err, r, "TLS handshake: %s", strerror(-r));
	}
}

int tls_start(int fd, const char *host, const char *ca_file, deadline_t deadline, struct tls **ret,
	      struct error *err)
{
	struct tls *t;
	int r;

	t = calloc(1, sizeof(*t));
	if (!t)
		return error_set(err, ENOMEM, "TLS: out of memory");
	t->o = ossl_load(err);
	if (!t->o) {
		free(t);
		return -ELIBACC;
	}
	t->fd = fd;
	t->ctx = t->o->SSL_CTX_new(t->o->TLS_client_method());
	r = t->ctx ? tls_configure(t, fd, host, ca_file, err)
		   : error_set(err, ENOMEM, "TLS: cannot create a context");
	if (r >= 0)
		r = tls_handshake(t, deadline, fd, err);
	if (r < 0) {
		tls_free(t);
		return r;
	}
	*ret = t;
	return 0;
}

ssize_t tls_read(struct tls *t, void *buf, size_t size, short *events_needed, struct error *err)
{
	int r, e;

	t->o->ERR_clear_error();
	r = t->o->SSL_read(t->ssl, buf, (int)MIN(size, (size_t)INT32_MAX));
	if (r > 0)
		return r;
	*events_needed = tls_want(t, r, &e);
	if (*events_needed)
		return -EAGAIN;
	if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && !t->o->ERR_get_error()))
		return 0;
	return error_set(err, EPROTO, "TLS read failed (SSL error %d)", e);
}

int tls_write(struct tls *t, const void *buf, size_t size, deadline_t deadline, struct error *err)
{
	for (;;) {
		int r, e;
		short ev;

		t->o->ERR_clear_error();
		/* Default mode: SSL_write returns only when all of buf went out. */
		r = t->o->SSL_write(t->ssl, buf, (int)size);
		if (r > 0)
			return 0;
		ev = tls_want(t, r, &e);
		if (!ev)
			return error_set(err, EPROTO, "TLS write failed (SSL error %d)", e);
		r = fd_wait(t->fd, ev, deadline);
		if (r == -ETIME)
			return error_set(err, ETIME, "timed out sending");
		if (r < 0)
			return error_set(err, r, "send: %s", strerror(-r));
	}
}

struct tls *tls_free(struct tls *t)
{
	if (!t)
		return NULL;
	if (t->ssl)
		t->o->SSL_free(t->ssl);
	if (t->ctx)
		t->o->SSL_CTX_free(t->ctx);
	free(t);
	return NULL;
}
