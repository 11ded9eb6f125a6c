/* Unit tests of src/taxii request parsing: media types, Basic credentials,
 * the filters of the query arguments as libmicrohttpd gives them; and the
 * handler against an in-memory store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "store/store.h"
#include "taxii/taxii.h"
#include "util/time.h"

static void test_accept(void **state)
{
	(void)state;
	assert_true(taxii_accept_ok("application/taxii+json;version=2.1"));
	assert_true(taxii_accept_ok("application/taxii+json"));
	assert_true(taxii_accept_ok("application/taxii+json; version=2.1"));
	assert_true(taxii_accept_ok("Application/TAXII+JSON;version=\"2.1\""));
	assert_true(taxii_accept_ok("text/html, application/taxii+json;version=2.1;q=0.9"));
	assert_true(taxii_accept_ok("*/*"));
	assert_true(taxii_accept_ok("application/*"));
	assert_true(taxii_accept_ok(NULL));
	assert_true(taxii_accept_ok(""));
	assert_false(taxii_accept_ok("application/json"));
	assert_false(taxii_accept_ok("application/taxii+json;version=2.0"));
	assert_false(taxii_accept_ok("application/vnd.oasis.taxii+json;version=2.0"));
	assert_false(taxii_accept_ok("application/stix+json;version=2.1"));
	assert_false(taxii_accept_ok("text/html, text/plain"));
	assert_false(taxii_accept_ok("application/taxii+jsonx"));
}

static void test_content_type(void **state)
{
	(void)state;
	assert_true(taxii_content_type_ok("application/taxii+json;version=2.1"));
	assert_true(taxii_content_type_ok("application/taxii+json"));
	assert_true(taxii_content_type_ok("application/taxii+json ; charset=utf-8; version=2.1"));
	assert_false(taxii_content_type_ok(NULL));
	assert_false(taxii_content_type_ok("application/json"));
	assert_false(taxii_content_type_ok("*/*"));
	assert_false(taxii_content_type_ok("application/taxii+json;version=2.0"));
	assert_false(taxii_content_type_ok("application/stix+json;version=2.1"));
}

static void test_basic_auth(void **state)
{
	char u[64], p[256];

	(void)state;
	/* "alice:s3cret:with:colons" */
	assert_true(taxii_basic_auth_decode("Basic YWxpY2U6czNjcmV0OndpdGg6Y29sb25z", u, sizeof(u),
					    p, sizeof(p)));
	assert_string_equal(u, "alice");
	assert_string_equal(p, "s3cret:with:colons");
	/* scheme is case-insensitive; empty password allowed by the format */
	assert_true(taxii_basic_auth_decode("basic Ym9iOg==", u, sizeof(u), p, sizeof(p)));
	assert_string_equal(u, "bob");
	assert_string_equal(p, "");
	assert_false(taxii_basic_auth_decode(NULL, u, sizeof(u), p, sizeof(p)));
	assert_false(taxii_basic_auth_decode("Bearer abc", u, sizeof(u), p, sizeof(p)));
	assert_false(taxii_basic_auth_decode("Basic", u, sizeof(u), p, sizeof(p)));
	assert_false(taxii_basic_auth_decode("Basic !!!!", u, sizeof(u), p, sizeof(p)));
	/* no colon: "alice" */
	assert_false(taxii_basic_auth_decode("Basic YWxpY2U=", u, sizeof(u), p, sizeof(p)));
	/* empty user: ":pw" */
	assert_false(taxii_basic_auth_decode("Basic OnB3", u, sizeof(u), p, sizeof(p)));
	/* user too long for the buffer */
	assert_false(taxii_basic_auth_decode("Basic YWxpY2U6eA==", u, 3, p, sizeof(p)));
	/* NUL inside: "a\0b:c" */
	assert_false(taxii_basic_auth_decode("Basic YQBiOmM=", u, sizeof(u), p, sizeof(p)));
}

static void test_filters(void **state)
{
	taxii_arg ok[] = {
		{ "added_after", "2016-01-01T00:00:00.000Z" },
		{ "limit", "10" },
		{ "next", "1700000000000001" },
		{ "match[id]", "indicator--a,malware--b" },
		{ "match[id]", "tool--c" },
		{ "match[type]", "indicator" },
		{ "match[version]", "first,last,2016-01-01T01:01:01.123456Z" },
		{ "match[spec_version]", "2.1" },
		{ "unknown", "ignored" },
	};
	taxii_filter f;
	cc_err e;
	int64_t us;

	(void)state;
	assert_int_equal(taxii_filter_parse(ok, sizeof(ok) / sizeof(ok[0]), &f, &e), 0);
	assert_true(cc_ts_parse("2016-01-01T00:00:00.000Z", &us));
	assert_int_equal(f.added_after_us, us);
	assert_int_equal(f.limit, 10);
	assert_int_equal(f.next_us, 1700000000000001LL);
	assert_int_equal(f.n_ids, 3);
	assert_string_equal(f.ids[2], "tool--c");
	assert_int_equal(f.n_types, 1);
	assert_int_equal(f.versions, STORE_VER_FIRST | STORE_VER_LAST);
	assert_int_equal(f.n_version_us, 1);
	assert_int_equal(f.n_specs, 1);
	taxii_filter_clear(&f);

	{
		taxii_arg all[] = { { "match[version]", "all" } };

		assert_int_equal(taxii_filter_parse(all, 1, &f, &e), 0);
		assert_int_equal(f.versions, STORE_VER_ALL);
		taxii_filter_clear(&f);
	}
	{
		static const taxii_arg bad[][1] = {
			{ { "limit", "0" } }, { { "limit", "-1" } }, { { "limit", "x" } },
			{ { "limit", NULL } }, { { "next", "abc" } }, { { "added_after", "yesterday" } },
			{ { "added_after", "2016-01-01T00:00:00" } }, { { "match[version]", "newest" } },
			{ { "match[type]", "" } }, { { "match[id]", "a,,b" } },
			{ { "limit", "99999999999999999999" } },
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(taxii_filter_parse(bad[i], 1, &f, &e), CC_EUSAGE);
			assert_non_null(strstr(e.msg, bad[i][0].key));
		}
	}
	{
		/* libmicrohttpd gives a bare "?key" a NULL value and a '+' as a
		 * space: a filter without a value is an error, an unknown one is
		 * ignored, spaces around the items of a list go */
		static const taxii_arg bare[][1] = {
			{ { "match[id]", NULL } }, { { "match[type]", NULL } },
			{ { "match[spec_version]", NULL } }, { { "match[version]", NULL } },
			{ { "added_after", NULL } }, { { "next", NULL } },
		};
		taxii_arg spaced[] = {
			{ "flag", NULL }, { "match[type]", " indicator , malware" },
			{ "match[version]", "first, all" },
		};
		size_t i;

		for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++) {
			assert_int_equal(taxii_filter_parse(bare[i], 1, &f, &e), CC_EUSAGE);
			assert_non_null(strstr(e.msg, bare[i][0].key));
		}
		assert_int_equal(taxii_filter_parse(spaced, 3, &f, &e), 0);
		assert_int_equal(f.n_types, 2);
		assert_string_equal(f.types[0], "indicator");
		assert_string_equal(f.types[1], "malware");
		assert_int_equal(f.versions, STORE_VER_FIRST | STORE_VER_ALL);
		taxii_filter_clear(&f);
	}
	{
		/* a bad filter after good ones: the error, and nothing kept */
		taxii_arg later[] = {
			{ "match[id]", "indicator--a,tool--b" }, { "match[version]", "2016-01-01T00:00:00Z" },
			{ "limit", "0" },
		};

		assert_int_equal(taxii_filter_parse(later, 3, &f, &e), CC_EUSAGE);
		assert_non_null(strstr(e.msg, "limit"));
		assert_int_equal(f.n_ids, 0);
		assert_null(f.ids);
		assert_null(f.version_us);
	}
}

static void test_password(void **state)
{
	char a[TAXII_PASSWORD_GEN], b[TAXII_PASSWORD_GEN], h[TAXII_PWHASH_MAX];

	(void)state;
	taxii_password_generate(a);
	taxii_password_generate(b);
	assert_int_equal(strlen(a), 24);
	assert_string_not_equal(a, b);
	assert_int_equal(taxii_password_hash(a, h, NULL), 0);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_null(strstr(h, a));
	assert_int_equal(crypto_pwhash_str_verify(h, a, strlen(a)), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(h, b, strlen(b)), 0);
}

/* The handler without sockets: auth, media types, routing errors. */
/* A fresh path for a store (the file itself is not there). */
static void tmp_db_path(char *path)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	unlink(path);
}

/* Remove the store at path with its WAL files. */
static void rm_db(const char *path)
{
	char p[96];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static void test_handler(void **state)
{
	char dbp[] = "/tmp/test_taxii_XXXXXX";
	store *s = NULL;
	store_org o = { 0 };
	char hash[crypto_pwhash_STRBYTES];
	taxii_config cfg = { "api1", 4096, NULL, 0, NULL };
	taxii_ctx *ctx;
	taxii_request rq;
	taxii_response rs;
	cc_err e;

	(void)state;
	tmp_db_path(dbp);
	assert_int_equal(store_open(dbp, &s, &e), 0);
	assert_int_equal(store_org_add(s, "acme", &o, &e), 0);
	assert_int_equal(crypto_pwhash_str(hash, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(store_user_add(s, "u", o.id, hash, &e), 0);
	ctx = taxii_ctx_new(&cfg);
	assert_non_null(ctx);

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = "/taxii2/";
	taxii_handle(ctx, s, &rq, &rs);
	assert_int_equal(rs.status, 401);
	assert_true(rs.www_authenticate);
	assert_non_null(strstr(cc_buf_str(&rs.body), "\"http_status\":\"401\""));
	taxii_response_clear(&rs);

	rq.authorization = "Basic dTpwdw==";	/* u:pw */
	taxii_handle(ctx, s, &rq, &rs);
	assert_int_equal(rs.status, 200);
	assert_non_null(strstr(cc_buf_str(&rs.body), "\"api_roots\""));
	taxii_response_clear(&rs);
	taxii_handle(ctx, s, &rq, &rs);	/* second time: from the cache */
	assert_int_equal(rs.status, 200);
	taxii_response_clear(&rs);

	rq.authorization = "Basic dTpwdXg=";	/* u:pux */
	taxii_handle(ctx, s, &rq, &rs);
	assert_int_equal(rs.status, 401);
	taxii_response_clear(&rs);

	rq.authorization = "Basic dTpwdw==";
	rq.accept = "application/json";
	taxii_handle(ctx, s, &rq, &rs);
	assert_int_equal(rs.status, 406);
	taxii_response_clear(&rs);

	rq.accept = TAXII_MEDIA_TYPE;
	rq.path = "/api1/";
	taxii_handle(ctx, s, &rq, &rs);
	assert_int_equal(rs.status, 200);
	assert_non_null(strstr(cc_buf_str(&rs.body), "\"max_content_length\":4096"));
	taxii_response_clear(&rs);

	rq.path = "/nope/";
	taxii_handle(ctx, s, &rq, &rs);
	assert_int_equal(rs.status, 404);
	taxii_response_clear(&rs);

	rq.path = "/api1/collections/00000000-0000-4000-8000-000000000000/objects/";
	taxii_handle(ctx, s, &rq, &rs);
	assert_int_equal(rs.status, 404);
	taxii_response_clear(&rs);

	rq.method = "PUT";
	rq.path = "/api1/";
	taxii_handle(ctx, s, &rq, &rs);
	assert_int_equal(rs.status, 405);
	assert_string_equal(rs.allow, "GET");
	taxii_response_clear(&rs);

	taxii_ctx_free(ctx);
	store_org_clear(&o);
	store_close(s);
	rm_db(dbp);
}

/* The body of rs (built or shared from the memo). */
static const char *body_of(const taxii_response *rs)
{
	size_t len;

	return taxii_response_body(rs, &len);
}

/* GET path on rq into rs with memo m; returns the status. */
static int get(taxii_ctx *ctx, store *s, taxii_memo *m, const char *path, taxii_response *rs)
{
	taxii_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.path = path;
	rq.authorization = "Basic dTpwdw==";	/* u:pw */
	taxii_response_clear(rs);
	taxii_handle_memo(ctx, s, m, &rq, rs);
	return rs->status;
}

/* The memo keeps users, grants and answers only while the store is
 * unchanged: a change through another connection applies at once. */
static void test_memo(void **state)
{
	char dbp[] = "/tmp/test_taxii_memo_XXXXXX", hash[crypto_pwhash_STRBYTES];
	const char *coll = "11111111-2222-4333-8444-555555555555";
	const char *obj = "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
		"\"id\":\"indicator--0a000000-0000-4000-8000-000000000000\","
		"\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\","
		"\"pattern_type\":\"stix\",\"pattern\":\"[ipv4-addr:value = '10.0.0.1']\","
		"\"valid_from\":\"2024-01-01T00:00:00Z\"}";
	char one[160], page[120];
	store *s = NULL, *s2 = NULL;
	store_org o = { 0 };
	store_collection c = { 0 };
	store_grant g;
	taxii_config cfg = { "api1", 4096, NULL, 0, NULL };
	taxii_ctx *ctx;
	taxii_memo *m;
	taxii_response rs;
	json_t *j;
	cc_buf first = CC_BUF_INIT;
	cc_err e;

	(void)state;
	tmp_db_path(dbp);
	snprintf(one, sizeof(one), "/api1/collections/%s/objects/"
		 "indicator--0a000000-0000-4000-8000-000000000000/", coll);
	snprintf(page, sizeof(page), "/api1/collections/%s/objects/", coll);
	assert_int_equal(store_open(dbp, &s, &e), 0);
	assert_int_equal(store_open(dbp, &s2, &e), 0);	/* "another process" */
	assert_int_equal(store_org_add(s2, "acme", &o, &e), 0);
	assert_int_equal(crypto_pwhash_str(hash, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(store_user_add(s2, "u", o.id, hash, &e), 0);
	assert_int_equal(store_collection_add(s2, "c", "C", NULL, coll, &c, &e), 0);
	g = (store_grant){ o.id, c.id, true, false, STORE_TLP_AMBER };
	assert_int_equal(store_grant_set(s2, &g, &e), 0);
	j = json_loads(obj, 0, NULL);
	assert_non_null(j);
	assert_int_equal(store_put(s2, c.id, j, 0, NULL, &e), 0);
	json_decref(j);
	ctx = taxii_ctx_new(&cfg);
	m = taxii_memo_new();
	assert_non_null(ctx);
	assert_non_null(m);
	memset(&rs, 0, sizeof(rs));

	assert_int_equal(get(ctx, s, m, one, &rs), 200);
	cc_buf_puts(&first, body_of(&rs));
	assert_non_null(strstr(first.data, "indicator--0a000000"));
	for (int i = 0; i < 2; i++) {	/* kept on the second read, answered on the third */
		assert_int_equal(get(ctx, s, m, one, &rs), 200);
		assert_string_equal(body_of(&rs), first.data);
	}
	for (int i = 0; i < 3; i++) {
		assert_int_equal(get(ctx, s, m, page, &rs), 200);
		assert_non_null(strstr(body_of(&rs), "indicator--0a000000"));
	}
	/* no read transaction is left open: a write can start */
	assert_int_equal(store_begin(s, &e), 0);
	store_rollback(s);

	/* unmarked objects now count as red, above the grant's amber */
	assert_int_equal(store_collection_set_tlp(s2, c.id, STORE_TLP_RED, &e), 0);
	assert_int_equal(get(ctx, s, m, one, &rs), 404);
	assert_int_equal(get(ctx, s, m, page, &rs), 200);
	assert_null(strstr(body_of(&rs), "indicator--0a000000"));
	assert_int_equal(store_collection_set_tlp(s2, c.id, STORE_TLP_CLEAR, &e), 0);
	assert_int_equal(get(ctx, s, m, one, &rs), 200);

	assert_int_equal(store_grant_remove(s2, o.id, c.id, &e), 0);
	assert_int_equal(get(ctx, s, m, one, &rs), 404);
	assert_int_equal(get(ctx, s, m, page, &rs), 404);
	assert_int_equal(store_grant_set(s2, &g, &e), 0);
	assert_int_equal(get(ctx, s, m, page, &rs), 200);

	assert_int_equal(crypto_pwhash_str(hash, "other", 5, crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(store_user_set_pwhash(s2, "u", hash, &e), 0);
	assert_int_equal(get(ctx, s, m, page, &rs), 401);

	taxii_response_clear(&rs);
	cc_buf_free(&first);
	taxii_memo_free(m);
	taxii_memo_free(NULL);
	taxii_ctx_free(ctx);
	store_org_clear(&o);
	store_collection_clear(&c);
	store_close(s);
	store_close(s2);
	rm_db(dbp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_basic_auth),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_handler),
		cmocka_unit_test(test_memo),
	};

	return cmocka_run_group_tests_name("taxii", tests, NULL, NULL);
}
