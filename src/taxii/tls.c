/*
 * tls.c — the server's certificate: a self-signed ECDSA P-256 certificate
 * made once with GnuTLS and kept next to the store, and SHA-256
 * fingerprints to print so clients can pin it; the PEM text the server
 * hands to GnuTLS.
 */
#include "taxii/taxii_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "util/file.h"

int taxii_tls_fingerprint(const char *pem, size_t len, char *fp, size_t fn, cc_err *e)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = { (unsigned char *)pem, (unsigned int)len };
	unsigned char dig[32];
	size_t dn = sizeof(dig), i;
	int rc = 0;

	if (fn < 96)
		return cc_err_set(e, CC_ERR, "tls: fingerprint buffer too small");
	if (gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) < 0 ||
	    gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, dig, &dn) < 0 || dn != 32) {
		rc = cc_err_set(e, CC_ERR, "tls: not a PEM X.509 certificate");
		goto out;
	}
	for (i = 0; i < dn; i++)
		snprintf(fp + 3 * i, fn - 3 * i, i + 1 < dn ? "%02X:" : "%02X", dig[i]);
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return rc;
}

/* Write data to path with mode, failing if it exists. */
static int write_new(const char *path, const void *data, size_t len, mode_t mode, cc_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	const char *p = data;

	if (fd < 0)
		return cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(path);
			return cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		unlink(path);
		return cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	}
	return 0;
}

static int make_cert(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
	unsigned char serial[16];
	time_t now = time(NULL);
	int rc;

	gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
	serial[0] &= 0x7f;
	rc = gnutls_x509_crt_set_version(crt, 3);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
	if (rc >= 0)
		rc = gnutls_x509_crt_set_activation_time(crt, now - 3600);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_expiration_time(crt, now + 825L * 24 * 3600);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
						   "cybercell", 9);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
							  GNUTLS_FSAN_SET);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS,
							  "\x7f\x00\x00\x01", 4, GNUTLS_FSAN_APPEND);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_key(crt, key);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_basic_constraints(crt, 0, -1);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
	if (rc >= 0)
		rc = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
	if (rc >= 0)
		rc = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0);
	return rc;
}

/* Create a new key and certificate at the two paths. */
static int generate(const char *cert_path, const char *key_path, cc_err *e)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t kp = { NULL, 0 }, cp = { NULL, 0 };
	int rc = 0, g;

	g = gnutls_x509_privkey_init(&key);
	if (g >= 0)
		g = gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
						 GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	if (g >= 0)
		g = gnutls_x509_crt_init(&crt);
	if (g >= 0)
		g = make_cert(crt, key);
	if (g >= 0)
		g = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &kp);
	if (g >= 0)
		g = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cp);
	if (g < 0) {
		rc = cc_err_set(e, CC_ERR, "tls: making the certificate: %s", gnutls_strerror(g));
		goto out;
	}
	rc = write_new(key_path, kp.data, kp.size, 0600, e);
	if (rc == 0) {
		rc = write_new(cert_path, cp.data, cp.size, 0644, e);
		if (rc != 0)
			unlink(key_path);
	}
out:
	if (kp.data) {
		gnutls_memset(kp.data, 0, kp.size);
		gnutls_free(kp.data);
	}
	gnutls_free(cp.data);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	return rc;
}

int taxii_tls_self_signed(const char *cert_path, const char *key_path, char *fp, size_t fn,
			  cc_err *e)
{
	cc_buf pem = CC_BUF_INIT;
	int rc;

	if (access(cert_path, F_OK) != 0 || access(key_path, F_OK) != 0) {
		if (access(cert_path, F_OK) == 0 || access(key_path, F_OK) == 0)
			return cc_err_set(e, CC_EIO, "tls: only one of %s and %s exists; remove it",
					  cert_path, key_path);
		rc = generate(cert_path, key_path, e);
		if (rc)
			return rc;
	}
	rc = cc_file_read_all(cert_path, &pem, e);
	if (rc == 0)
		rc = taxii_tls_fingerprint(pem.data, pem.len, fp, fn, e);
	cc_buf_free(&pem);
	return rc;
}

int taxii_tls_load(const taxii_serve_opts *o, cc_buf *cert, cc_buf *key, char *fp,
		   size_t fn, char *cert_path, size_t cpn, cc_err *e)
{
	int rc;

	if (!o->cert_file) {
		char key_path[4096];

		snprintf(cert_path, cpn, "%s.tls-cert.pem", o->db_path);
		snprintf(key_path, sizeof(key_path), "%s.tls-key.pem", o->db_path);
		rc = taxii_tls_self_signed(cert_path, key_path, fp, fn, e);
		if (rc == 0)
			rc = cc_file_read_all(cert_path, cert, e);
		if (rc == 0)
			rc = cc_file_read_all(key_path, key, e);
		return rc;
	}
	snprintf(cert_path, cpn, "%s", o->cert_file);
	rc = cc_file_read_all(o->cert_file, cert, e);
	if (rc == 0)
		rc = cc_file_read_all(o->key_file, key, e);
	if (rc == 0)
		rc = taxii_tls_fingerprint(cert->data, cert->len, fp, fn, e);
	return rc;
}
