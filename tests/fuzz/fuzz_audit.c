/*
 * fuzz_audit.c — what the safeguards read from outside: a trail file (as
 * audit verify, audit show and the next appender read it), a saved head,
 * key files, a duration, and an authorisation row as an insider with the
 * sqlite3 program could leave it in the store.
 *
 * Input: its first byte chooses (bit 0) whether every line that ends in a
 * "hash" field gets the BLAKE2b of its text and (bit 1) the hash of the
 * line before as its "prev" — so the fuzzer gets past the hash check to
 * the chain, the checkpoints and the appender — and (bit 2) whether the
 * input is also an authorisation row: lines id, user, reason, duration
 * (seconds), approver, approved_us, revoked_us, signature.  The rest is
 * the file, the head, the key file and the duration.
 *
 * What must hold: no crash, leak or undefined behaviour; a trail that
 * verifies intact still does after an append to it.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/audit.h"
#include "cmd/cmd.h"

#define COLL "11111111-2222-4333-8444-555555555555"

static audit_key g_hub;         /* the hub's key (a fixed seed) */
static store *g_store;          /* holds approver ann, endorsed by g_hub */
static int64_t g_coll;
static char g_trail[64], g_key[64];

static void setup(void)
{
	unsigned char seed[crypto_sign_SEEDBYTES] = { 1 };
	char path[64];
	store_org o = { 0 };
	store_collection c = { 0 };
	audit_key ann;

	if (sodium_init() < 0)
		abort();
	crypto_sign_seed_keypair(g_hub.pk, g_hub.sk, seed);
	g_hub.has_sk = true;
	seed[0] = 2;
	crypto_sign_seed_keypair(ann.pk, ann.sk, seed);
	ann.has_sk = true;
	snprintf(g_trail, sizeof(g_trail), "/dev/shm/fuzz_audit-%d.trail", (int)getpid());
	snprintf(g_key, sizeof(g_key), "/dev/shm/fuzz_audit-%d.key", (int)getpid());
	snprintf(path, sizeof(path), "/dev/shm/fuzz_audit-%d.db", (int)getpid());
	unlink(path);
	if (store_open(path, &g_store, NULL) != 0 || store_org_add(g_store, "o", &o, NULL) ||
	    store_collection_add(g_store, "c", "C", NULL, COLL, &c, NULL) ||
	    audit_approver_add(g_store, "ann", o.id, &ann, &g_hub, NULL))
		abort();
	g_coll = c.id;
	store_org_clear(&o);
	store_collection_clear(&c);
	if (!freopen("/dev/null", "w", stdout))
		abort();
}

/* Give every line that ends in a hash field the hash of its text and
 * (chain) the hash of the line before as its prev. */
static void fix_hashes(char *t, size_t n, int chain)
{
	static const char hf[] = ",\"hash\":\"", pf[] = "\"prev\":\"";
	const size_t suffix = sizeof(hf) - 1 + 64 + 2;
	char last[65] = AUDIT_GENESIS;

	for (size_t a = 0; a < n;) {
		char *nl = memchr(t + a, '\n', n - a);
		size_t len = nl ? (size_t)(nl - (t + a)) : n - a;
		char *line = t + a, *p;
		unsigned char h[32];

		a += len + 1;
		if (len < suffix || memcmp(line + len - suffix, hf, sizeof(hf) - 1) != 0)
			continue;
		p = memmem(line, len - suffix, pf, sizeof(pf) - 1);
		if (chain && p && (size_t)(p - line) + sizeof(pf) - 1 + 64 <= len - suffix)
			memcpy(p + sizeof(pf) - 1, last, 64);
		crypto_generichash(h, sizeof(h), (unsigned char *)line, len - suffix, NULL, 0);
		sodium_bin2hex(last, sizeof(last), h, sizeof(h));
		memcpy(line + len - 66, last, 64);
		line[len - 2] = '"';
	}
}

static void put_file(const char *path, const char *t, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, t, n) != (ssize_t)n)
		abort();
	close(fd);
}

/* audit show, its complaints about lines on stderr kept from the
 * fuzzer's own output. */
static void quiet_show(char **argv, const cc_cli *cli)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	if (saved < 0 || null < 0 || dup2(null, 2) < 0)
		abort();
	cmd_audit(5, argv, cli);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
}

/* The trail as verify, show and an appender read it. */
static void trail(void)
{
	const char *paths[1] = { g_trail };
	char *argv[] = { "audit", "show", "--since", "1970-01-01T00:00:00Z", (char *)g_trail, NULL };
	cc_cli cli = { "/dev/null", g_trail, g_key, NULL };
	audit_report r, r2;
	audit_entry en = { 0 }, *v[1] = { &en };
	audit_log *l = NULL;
	cc_err e;

	if (audit_verify(paths, 1, &g_hub, NULL, &r, &e) != 0)
		return;
	quiet_show(argv, &cli);
	audit_set(&en.actor, "hub");
	audit_set(&en.action, "fuzz");
	if (audit_log_open(g_trail, &l, &e) == 0 &&
	    audit_log_append(l, v, 1, &g_hub, NULL, &e) == 0 && r.intact &&
	    (audit_verify(paths, 1, &g_hub, NULL, &r2, &e) != 0 || !r2.intact))
		abort();	/* an intact trail stays intact after an append */
	audit_log_close(l);
	audit_entry_clear(&en);
}

/* The next line of *t (NUL-terminated in place), or "". */
static char *next_line(char **t)
{
	char *s = *t, *nl = strchr(s, '\n');

	if (nl) {
		*nl = 0;
		*t = nl + 1;
	} else {
		*t = s + strlen(s);
	}
	return s;
}

/* The text as an authorisation row of collection c. */
static void authz_row(char *t)
{
	store_authz a = { 0 };
	cc_buf msg = CC_BUF_INIT;
	cc_err e;

	snprintf(a.id, sizeof(a.id), "%s", next_line(&t));
	a.collection_id = g_coll;
	snprintf(a.coll_uuid, sizeof(a.coll_uuid), "%s", COLL);
	a.user = next_line(&t);
	a.reason = next_line(&t);
	a.duration_s = strtoll(next_line(&t), NULL, 10);
	a.approver = next_line(&t);
	a.approved_us = strtoll(next_line(&t), NULL, 10);
	a.revoked_us = strtoll(next_line(&t), NULL, 10);
	a.signature = next_line(&t);
	audit_authz_message(&a, a.approver, a.approved_us, &msg);
	audit_authz_valid(g_store, &a, g_hub.pk, 1700000000000000LL, &e);
	cc_buf_free(&msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	unsigned flags = size ? data[0] : 0;
	char *t;
	audit_head h;
	audit_key k;
	int64_t secs;
	cc_err e;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size)
		data++, size--;
	t = malloc(size + 1);
	if (!t)
		abort();
	memcpy(t, data, size);
	t[size] = 0;
	audit_head_parse(t, size, &h, &e);
	audit_duration_parse(t, &secs);
	audit_key_from_hex(t, &k);
	put_file(g_key, t, size);
	audit_key_load_public(g_key, &k, &e);
	audit_key_load_secret(g_key, &k, &e);
	audit_key_wipe(&k);
	if (flags & 1)
		fix_hashes(t, size, flags & 2);
	put_file(g_trail, t, size);
	trail();
	if (flags & 4)
		authz_row(t);
	free(t);
	return 0;
}
