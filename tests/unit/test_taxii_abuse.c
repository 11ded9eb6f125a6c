/* Unit tests of the TAXII server's defences (src/taxii internals): the
 * access-log escaping, the login throttle, the bounded pool queue, and the
 * credential checks the server splits between its network threads and its
 * auth pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "store/store.h"
#include "taxii/taxii_int.h"

#define SEC 1000000LL

/* s escaped as a log field (or, when text, as a message). */
static const char *esc(const char *s, size_t n, bool text)
{
	static taxii_log_line l;

	l.n = 0;
	if (text)
		taxii_log_text(&l, s, n);
	else
		taxii_log_esc(&l, s, n);
	l.v[l.n] = 0;
	return l.v;
}

static void test_log_escape(void **state)
{
	(void)state;
	assert_string_equal(esc("/api1/collections/", 18, false), "/api1/collections/");
	assert_string_equal(esc("/a\nb\r", 5, false), "/a\\x0ab\\x0d");
	assert_string_equal(esc("a b\t\"c\"\\", 8, false), "a\\x20b\\x09\\x22c\\x22\\x5c");
	assert_string_equal(esc("a b\x7f", 4, true), "a b\\x7f");
	/* UTF-8 passes, broken UTF-8 does not */
	assert_string_equal(esc("caf\xc3\xa9 \xe2\x82\xac", 9, true), "caf\xc3\xa9 \xe2\x82\xac");
	assert_string_equal(esc("\xff\xfe", 2, false), "\\xff\\xfe");
	assert_string_equal(esc("\xc3", 1, false), "\\xc3");		/* cut short */
	assert_string_equal(esc("\xc0\xaf", 2, false), "\\xc0\\xaf");	/* overlong */
	assert_string_equal(esc("\xed\xa0\x80", 3, false), "\\xed\\xa0\\x80");	/* surrogate */
	assert_string_equal(esc("\xf4\x90\x80\x80", 4, false), "\\xf4\\x90\\x80\\x80");
	assert_string_equal(esc("\xf0\x9f\x94\x91", 4, false), "\xf0\x9f\x94\x91");
	/* C1 controls and the line and paragraph separators */
	assert_string_equal(esc("a\xc2\x85z", 4, false), "a\\xc2\\x85z");
	assert_string_equal(esc("\xe2\x80\xa8\xe2\x80\xa9", 6, false),
			    "\\xe2\\x80\\xa8\\xe2\\x80\\xa9");
	assert_string_equal(esc("\xc2\xa0", 2, false), "\xc2\xa0");
	/* a NUL inside is a byte like the others */
	assert_string_equal(esc("a\0b", 3, false), "a\\x00b");
}

static void test_log_cut(void **state)
{
	taxii_log_line l;
	char big[2000];

	(void)state;
	memset(big, '\n', sizeof(big));
	l.n = 0;
	taxii_log_esc(&l, big, sizeof(big));
	assert_int_equal(l.n, sizeof(l.v) - 1);
	for (size_t i = 0; i < l.n; i++)
		assert_true(l.v[i] != '\n');
}

static struct sockaddr_in v4(const char *a)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, a, &in.sin_addr), 1);
	return in;
}

/* The text of an IPv4 or IPv6 address, as the access log and the audit
 * trail write it (IPv4 formatted by hand). */
static const char *addr_text(const struct sockaddr *sa)
{
	static char out[INET6_ADDRSTRLEN];

	memset(out, 'x', sizeof(out));
	taxii_addr_text(sa, out);
	return out;
}

static void test_addr_text(void **state)
{
	static const char *const v4s[] = { "0.0.0.0", "127.0.0.1", "10.0.100.9", "9.99.100.255",
					   "255.255.255.255", "192.168.1.10" };
	struct sockaddr_in6 in6;

	(void)state;
	for (size_t i = 0; i < sizeof(v4s) / sizeof(v4s[0]); i++) {
		struct sockaddr_in in = v4(v4s[i]);

		assert_string_equal(addr_text((struct sockaddr *)&in), v4s[i]);
	}
	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::1:0:7", &in6.sin6_addr), 1);
	assert_string_equal(addr_text((struct sockaddr *)&in6), "2001:db8::1:0:7");
	assert_string_equal(addr_text(NULL), "-");
	in6.sin6_family = AF_UNIX;
	assert_string_equal(addr_text((struct sockaddr *)&in6), "-");
}

#define SA(x) ((const struct sockaddr *)&(x))

static void test_throttle_backoff(void **state)
{
	taxii_limits l = { .login_failures = 2, .login_backoff = 1, .login_backoff_max = 4 };
	taxii_throttle *t = taxii_throttle_new(&l);
	struct sockaddr_in a = v4("192.0.2.1"), b = v4("192.0.2.2");
	int64_t t0 = 1000 * SEC;

	(void)state;
	assert_non_null(t);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(a), t0), 0);
	taxii_throttle_record(t, "alice", SA(a), false, t0);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(a), t0), 0);	/* 1 of 2 free */
	taxii_throttle_record(t, "alice", SA(a), false, t0);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(a), t0 + SEC / 2), SEC / 2);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(a), t0 + SEC), 0);
	/* the same name from another address, another name from the same one */
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(b), t0), 0);
	assert_int_equal(taxii_throttle_wait(t, "bob", SA(a), t0), 0);
	/* doubling, up to the cap */
	taxii_throttle_record(t, "alice", SA(a), false, t0 + SEC);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(a), t0 + SEC), 2 * SEC);
	taxii_throttle_record(t, "alice", SA(a), false, t0 + 3 * SEC);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(a), t0 + 3 * SEC), 4 * SEC);
	taxii_throttle_record(t, "alice", SA(a), false, t0 + 7 * SEC);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(a), t0 + 7 * SEC), 4 * SEC);
	/* a success clears the pair */
	taxii_throttle_record(t, "alice", SA(a), true, t0 + 11 * SEC);
	taxii_throttle_record(t, "alice", SA(a), false, t0 + 11 * SEC);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(a), t0 + 11 * SEC), 0);
	/* counts are forgotten after twice the longest wait without a failure */
	taxii_throttle_record(t, "carol", SA(a), false, t0);
	taxii_throttle_record(t, "carol", SA(a), false, t0);
	assert_true(taxii_throttle_wait(t, "carol", SA(a), t0) > 0);
	taxii_throttle_record(t, "carol", SA(a), false, t0 + 9 * SEC);
	assert_int_equal(taxii_throttle_wait(t, "carol", SA(a), t0 + 9 * SEC), 0);
	taxii_throttle_free(t);
}

static void test_throttle_wide(void **state)
{
	taxii_limits l = { .login_failures = 2, .login_backoff = 10, .login_backoff_max = 100 };
	taxii_throttle *t = taxii_throttle_new(&l);
	struct sockaddr_in src[6], home = v4("198.51.100.9"), spray = v4("203.0.113.5");
	int64_t t0 = 1000 * SEC;
	char name[32];

	(void)state;
	for (int i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "192.0.2.%d", i + 1);
		src[i] = v4(name);
	}
	/* alice logs in from home; then one address fails her 10 times: it adds
	 * only 2 of them to her name's count */
	taxii_throttle_record(t, "alice", SA(home), true, t0);
	for (int i = 0; i < 10; i++)
		taxii_throttle_record(t, "alice", SA(src[0]), false, t0 + i);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(src[5]), t0 + 10), 0);
	/* three more addresses: 8 = 4 x 2 failures of the name */
	for (int i = 1; i < 4; i++) {
		taxii_throttle_record(t, "alice", SA(src[i]), false, t0 + 10);
		taxii_throttle_record(t, "alice", SA(src[i]), false, t0 + 10);
	}
	assert_true(taxii_throttle_wait(t, "alice", SA(src[5]), t0 + 20) > 0);
	/* ... but not from home, where she logged in */
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(home), t0 + 20), 0);
	/* one address spraying 8 names: the address waits, even for a new name,
	 * except for a name that logged in from there */
	taxii_throttle_record(t, "bob", SA(spray), true, t0);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		taxii_throttle_record(t, name, SA(spray), false, t0 + 30);
	}
	assert_true(taxii_throttle_wait(t, "dave", SA(spray), t0 + 31) > 0);
	assert_int_equal(taxii_throttle_wait(t, "bob", SA(spray), t0 + 31), 0);
	assert_int_equal(taxii_throttle_wait(t, "dave", SA(src[4]), t0 + 31), 0);
	taxii_throttle_free(t);
}

static void test_throttle_ipv6(void **state)
{
	taxii_limits l = { .login_failures = 1, .login_backoff = 5, .login_backoff_max = 5 };
	taxii_throttle *t = taxii_throttle_new(&l);
	struct sockaddr_in6 a, b, c;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	b = c = a;
	inet_pton(AF_INET6, "2001:db8:1:2::1", &a.sin6_addr);
	inet_pton(AF_INET6, "2001:db8:1:2:ffff::7", &b.sin6_addr);	/* same /64 */
	inet_pton(AF_INET6, "2001:db8:1:3::1", &c.sin6_addr);
	taxii_throttle_record(t, "alice", SA(a), false, 100 * SEC);
	assert_true(taxii_throttle_wait(t, "alice", SA(b), 100 * SEC) > 0);
	assert_int_equal(taxii_throttle_wait(t, "alice", SA(c), 100 * SEC), 0);
	taxii_throttle_free(t);
}

/* A job that waits until *gate opens. */
typedef struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool open;
	int started, ran;
} gate;

static void wait_gate(void *arg)
{
	gate *g = arg;

	pthread_mutex_lock(&g->mu);
	g->started++;
	while (!g->open)
		pthread_cond_wait(&g->cv, &g->mu);
	g->ran++;
	pthread_mutex_unlock(&g->mu);
}

static void test_pool_bound(void **state)
{
	gate g = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0, 0 };
	taxii_pool *p = taxii_pool_new(1, 2);
	int started = 0;

	(void)state;
	assert_non_null(p);
	assert_true(taxii_pool_submit(p, wait_gate, &g));
	for (int i = 0; i < 5000 && !started; i++) {	/* the thread takes it */
		usleep(1000);
		pthread_mutex_lock(&g.mu);
		started = g.started;
		pthread_mutex_unlock(&g.mu);
	}
	assert_int_equal(started, 1);
	assert_true(taxii_pool_submit(p, wait_gate, &g));	/* 1 waiting */
	assert_true(taxii_pool_submit(p, wait_gate, &g));	/* 2 waiting */
	assert_false(taxii_pool_submit(p, wait_gate, &g));	/* full */
	pthread_mutex_lock(&g.mu);
	g.open = true;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.mu);
	taxii_pool_free(p);
	assert_int_equal(g.ran, 3);
}

static void test_auth_split(void **state)
{
	char dbp[] = "/tmp/test_taxii_abuse_XXXXXX", user[64], hash[crypto_pwhash_STRBYTES], p[96];
	taxii_config cfg = { .api_root = "api1", .max_content_length = 4096 };
	store_org o = { 0 };
	store *s = NULL;
	taxii_memo *m = taxii_memo_new();
	taxii_ctx *ctx = taxii_ctx_new(&cfg);
	taxii_who who;
	cc_err e;
	int fd;

	(void)state;
	fd = mkstemp(dbp);
	assert_true(fd >= 0);
	close(fd);
	unlink(dbp);
	assert_non_null(ctx);
	assert_non_null(m);
	assert_int_equal(store_open(dbp, &s, &e), 0);
	assert_int_equal(store_org_add(s, "acme", &o, &e), 0);
	assert_int_equal(crypto_pwhash_str(hash, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(store_user_add(s, "u", o.id, hash, &e), 0);
	ctx->auth_deferred = true;

	assert_int_equal(taxii_auth_peek(ctx, NULL, user), TAXII_AUTH_NONE);
	assert_int_equal(taxii_auth_peek(ctx, "Basic !!", user), TAXII_AUTH_NONE);
	assert_int_equal(taxii_auth_peek(ctx, "Basic dTpwdw==", user), TAXII_AUTH_VERIFY);
	assert_string_equal(user, "u");
	/* deferred: the handler's check never runs argon2, so a miss is a no */
	assert_false(taxii_auth_check(ctx, s, m, "Basic dTpwdw==", &who));
	assert_false(taxii_auth_verify(ctx, s, m, "Basic dTpwdXg="));	/* u:pux */
	assert_false(taxii_auth_verify(ctx, s, m, "Basic eDpwdw=="));	/* x:pw, no user */
	assert_true(taxii_auth_verify(ctx, s, m, "Basic dTpwdw=="));	/* u:pw */
	assert_int_equal(taxii_auth_peek(ctx, "Basic dTpwdw==", user), TAXII_AUTH_KNOWN);
	assert_int_equal(taxii_auth_peek(ctx, "Basic dTpwdXg=", user), TAXII_AUTH_VERIFY);
	taxii_memo_start(m, false, 0);
	assert_true(taxii_auth_check(ctx, s, m, "Basic dTpwdw==", &who));
	assert_string_equal(who.user, "u");
	assert_int_equal(who.org_id, o.id);
	/* a new password: the old one is known to peek until the handler sees
	 * the new hash, which forgets it */
	assert_int_equal(crypto_pwhash_str(hash, "pw2", 3, crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(store_user_set_pwhash(s, "u", hash, &e), 0);
	taxii_memo_start(m, false, 0);
	assert_false(taxii_auth_check(ctx, s, m, "Basic dTpwdw==", &who));
	assert_int_equal(taxii_auth_peek(ctx, "Basic dTpwdw==", user), TAXII_AUTH_VERIFY);
	assert_false(taxii_auth_verify(ctx, s, m, "Basic dTpwdw=="));

	taxii_memo_free(m);
	taxii_ctx_free(ctx);
	store_org_clear(&o);
	store_close(s);
	unlink(dbp);
	snprintf(p, sizeof(p), "%s-wal", dbp);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbp);
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_escape),
		cmocka_unit_test(test_log_cut),
		cmocka_unit_test(test_addr_text),
		cmocka_unit_test(test_throttle_backoff),
		cmocka_unit_test(test_throttle_wide),
		cmocka_unit_test(test_throttle_ipv6),
		cmocka_unit_test(test_pool_bound),
		cmocka_unit_test(test_auth_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
