/* Unit tests of src/taxii request parsing: media types, Basic credentials,
 * query strings and filters; and the handler against an in-memory store. */
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

static void test_query(void **state)
{
	taxii_arg *a = NULL;
	size_t n = 0;
	cc_err e;

	(void)state;
	assert_int_equal(taxii_args_parse_query("match%5Btype%5D=indicator,malware&limit=5&flag&x=a+b%2C",
						&a, &n, &e), 0);
	assert_int_equal(n, 4);
	assert_string_equal(a[0].key, "match[type]");
	assert_string_equal(a[0].value, "indicator,malware");
	assert_string_equal(a[1].key, "limit");
	assert_string_equal(a[2].key, "flag");
	assert_null(a[2].value);
	assert_string_equal(a[3].value, "a b,");
	taxii_args_free(a, n);
	assert_int_equal(taxii_args_parse_query("", &a, &n, &e), 0);
	assert_int_equal(n, 0);
	taxii_args_free(a, n);
	assert_int_not_equal(taxii_args_parse_query("a=%00", &a, &n, &e), 0);
	/* a lone % stays literal */
	assert_int_equal(taxii_args_parse_query("a=%&b=%4", &a, &n, &e), 0);
	assert_string_equal(a[0].value, "%");
	assert_string_equal(a[1].value, "%4");
	taxii_args_free(a, n);
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
static void test_handler(void **state)
{
	char path[] = "/tmp/test_taxii_XXXXXX";
	int fd = mkstemp(path);
	store *s = NULL;
	store_org o = { 0 };
	char hash[crypto_pwhash_STRBYTES], dbp[64];
	taxii_config cfg = { "api1", 4096, NULL };
	taxii_ctx *ctx;
	taxii_request rq;
	taxii_response rs;
	cc_err e;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	snprintf(dbp, sizeof(dbp), "%s", path);
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
	unlink(dbp);
	snprintf(dbp, sizeof(dbp), "%s-wal", path);
	unlink(dbp);
	snprintf(dbp, sizeof(dbp), "%s-shm", path);
	unlink(dbp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_basic_auth),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_handler),
	};

	return cmocka_run_group_tests_name("taxii", tests, NULL, NULL);
}
