/*
 * keys.c — Ed25519 key pairs in files (libsodium), and signatures in hex.
 *
 * A key file is one line: "cybercell-ed25519-secret <base64>" (the 64
 * bytes of libsodium's secret key, which holds the public key too) or
 * "cybercell-ed25519-public <base64>" (32 bytes).  A secret key file is
 * created with mode 0600 and refused when others may read it.
 */
#include "audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#define SECRET_TAG "cybercell-ed25519-secret "
#define PUBLIC_TAG "cybercell-ed25519-public "

void audit_key_generate(audit_key *k)
{
	if (sodium_init() < 0)
		abort();	/* no randomness: no key can be made safely */
	crypto_sign_keypair(k->pk, k->sk);
	k->has_sk = true;
}

void audit_key_wipe(audit_key *k)
{
	if (k)
		sodium_memzero(k, sizeof(*k));
}

void audit_key_hex(const audit_key *k, char out[AUDIT_PK_HEX])
{
	sodium_bin2hex(out, AUDIT_PK_HEX, k->pk, sizeof(k->pk));
}

bool audit_key_from_hex(const char *hex, audit_key *k)
{
	size_t n = 0;

	memset(k, 0, sizeof(*k));
	return hex && strlen(hex) == 64 &&
	       sodium_hex2bin(k->pk, sizeof(k->pk), hex, 64, NULL, &n, NULL) == 0 && n == 32;
}

/* Write tag and the base64 of len bytes to a new file path of mode. */
static int save(const char *path, const char *tag, const unsigned char *bytes, size_t len,
		mode_t mode, cc_err *e)
{
	char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)], line[160];
	int fd, n, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return cc_err_set(e, errno == EEXIST ? CC_ECONFLICT : CC_EIO, "%s: %s%s", path,
				  strerror(errno), errno == EEXIST ? " (a key is never replaced)" : "");
	sodium_bin2base64(b64, sizeof(b64), bytes, len, sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(line, sizeof(line), "%s%s\n", tag, b64);
	if (fchmod(fd, mode) != 0 || write(fd, line, (size_t)n) != n || fsync(fd) != 0)
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
	if (rc)
		unlink(path);
	sodium_memzero(b64, sizeof(b64));
	sodium_memzero(line, sizeof(line));
	return rc;
}

int audit_key_save_secret(const char *path, const audit_key *k, cc_err *e)
{
	if (!k->has_sk)
		return cc_err_set(e, CC_ERR, "%s: no secret key to write", path);
	return save(path, SECRET_TAG, k->sk, sizeof(k->sk), 0600, e);
}

int audit_key_save_public(const char *path, const audit_key *k, cc_err *e)
{
	return save(path, PUBLIC_TAG, k->pk, sizeof(k->pk), 0644, e);
}

/* Read the key line of path with tag into out (want bytes). */
static int load(const char *path, const char *tag, unsigned char *out, size_t want,
		bool secret, cc_err *e)
{
	char line[200];
	struct stat sb;
	size_t n = 0, tl = strlen(tag);
	ssize_t got;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cc_err_set(e, errno == ENOENT ? CC_ENOTFOUND : CC_EIO, "%s: %s", path,
				  strerror(errno));
	if (fstat(fd, &sb) != 0) {
		rc = cc_err_set(e, CC_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (secret && (sb.st_mode & 077)) {
		rc = cc_err_set(e, CC_ERR, "%s: a secret key others may read (mode %04o); "
				"make it 0600", path, (unsigned)(sb.st_mode & 07777));
		goto out;
	}
	got = read(fd, line, sizeof(line) - 1);
	line[got > 0 ? got : 0] = 0;
	line[strcspn(line, "\r\n")] = 0;
	if (strncmp(line, tag, tl) != 0 ||
	    sodium_base642bin(out, want, line + tl, strlen(line + tl), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || n != want)
		rc = cc_err_set(e, CC_ERR, "%s: not a cybercell %s key file (\"%s...\")", path,
				secret ? "secret" : "public", tag);
out:
	sodium_memzero(line, sizeof(line));
	close(fd);
	return rc;
}

int audit_key_load_secret(const char *path, audit_key *k, cc_err *e)
{
	int rc;

	memset(k, 0, sizeof(*k));
	if (sodium_init() < 0)
		return cc_err_set(e, CC_ERR, "%s: libsodium failed to start", path);
	rc = load(path, SECRET_TAG, k->sk, sizeof(k->sk), true, e);
	if (rc) {
		audit_key_wipe(k);
		return rc;
	}
	crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
	k->has_sk = true;
	return 0;
}

int audit_key_load_public(const char *path, audit_key *k, cc_err *e)
{
	memset(k, 0, sizeof(*k));
	if (sodium_init() < 0)
		return cc_err_set(e, CC_ERR, "%s: libsodium failed to start", path);
	return load(path, PUBLIC_TAG, k->pk, sizeof(k->pk), false, e);
}

void audit_sign(const audit_key *k, const char *msg, size_t len, char out[AUDIT_SIG_HEX])
{
	unsigned char sig[crypto_sign_BYTES];

	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, len, k->sk);
	sodium_bin2hex(out, AUDIT_SIG_HEX, sig, sizeof(sig));
}

bool audit_verify_sig(const unsigned char pk[32], const char *msg, size_t len,
		      const char *sig_hex)
{
	unsigned char sig[crypto_sign_BYTES];
	size_t n = 0;

	if (!sig_hex || strlen(sig_hex) != 2 * crypto_sign_BYTES ||
	    sodium_hex2bin(sig, sizeof(sig), sig_hex, strlen(sig_hex), NULL, &n, NULL) != 0 ||
	    n != sizeof(sig))
		return false;
	return crypto_sign_verify_detached(sig, (const unsigned char *)msg, len, pk) == 0;
}
