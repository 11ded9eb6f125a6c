/* The TAXII client's pieces that need no server: filters as a URL query
 * (percent-encoding, lists, the match[...] keys), collection paths, the
 * public key pin of a certificate (checked against what `openssl x509
 * -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256
 * -binary | base64` says of it), and which URLs a client accepts.  The
 * requests, retries and faults are tested end to end
 * (tests/e2e/test_federation*.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sync/sync.h"

/* A certificate made for this test (openssl req -x509 -newkey ec P-256). */
static const char test_cert[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBkTCCATegAwIBAgIUJdcjV2L+BEaIjBy9Jeqebkj7JRAwCgYIKoZIzj0EAwIw\n"
	"HjEcMBoGA1UEAwwTY3liZXJjZWxsIHVuaXQgdGVzdDAeFw0yNjEyMDYxOTAwNTBa\n"
	"Fw0zNjEyMDMxOTAwNTBaMB4xHDAaBgNVBAMME2N5YmVyY2VsbCB1bml0IHRlc3Qw\n"
	"WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASqUpaql5AK9/BAyt1/7uoJt84F7S5u\n"
	"EwYCyildTg4I+spEs9Qizi9Obndo8ThTQmJtIWV/iherEw8v+QT4Alfdo1MwUTAd\n"
	"BgNVHQ4EFgQU5zOVNy72v6Yx0fewF8IYh2PR++UwHwYDVR0jBBgwFoAU5zOVNy72\n"
	"v6Yx0fewF8IYh2PR++UwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF\n"
	"AiBQOhPZvaOLNaeo8KY4vXAHPgFx8hWGtc5asd3nOs1gzwIhAOOHOHowCitGg9Sq\n"
	"a/3uem2u0WnUOjs/y+sQ7OIueIxo\n"
	"-----END CERTIFICATE-----\n";

static void test_filter_query(void **state)
{
	static const char *const types[] = { "indicator", "x-custom type" };
	static const char *const ids[] = { "indicator--00000000-0000-4000-8000-000000000001" };
	static const char *const versions[] = { "all" };
	sync_filter f = { 0 };
	cc_buf q = CC_BUF_INIT;

	(void)state;
	sync_filter_query(&f, &q);
	assert_string_equal(cc_buf_str(&q), "");
	f.added_after = "2024-01-01T00:00:00.123456Z";
	f.types = types;
	f.n_types = 2;
	f.ids = ids;
	f.n_ids = 1;
	f.versions = versions;
	f.n_versions = 1;
	f.limit = 500;
	f.next = "a+b/c";
	sync_filter_query(&f, &q);
	assert_string_equal(cc_buf_str(&q),
			    "added_after=2024-01-01T00%3A00%3A00.123456Z"
			    "&match%5Bid%5D=indicator--00000000-0000-4000-8000-000000000001"
			    "&match%5Btype%5D=indicator,x-custom%20type"
			    "&match%5Bversion%5D=all&limit=500&next=a%2Bb%2Fc");
	cc_buf_free(&q);
}

static void test_coll_path(void **state)
{
	cc_buf p = CC_BUF_INIT;

	(void)state;
	sync_coll_path("x-mitre-collection--1f5f1533-f617-4ca8-9ab4-6a02367fa019", "objects/", NULL,
		       &p);
	assert_string_equal(cc_buf_str(&p),
			    "collections/x-mitre-collection--1f5f1533-f617-4ca8-9ab4-6a02367fa019/objects/");
	sync_coll_path("c/../../x", "versions/", "indicator--1?x", &p);
	assert_string_equal(cc_buf_str(&p),
			    "collections/c%2F..%2F..%2Fx/objects/indicator--1%3Fx/versions/");
	sync_coll_path("c", "", "indicator--1", &p);
	assert_string_equal(cc_buf_str(&p), "collections/c/objects/indicator--1/");
	cc_buf_free(&p);
}

static void test_pem_pin(void **state)
{
	char pin[SYNC_PIN_MAX];
	cc_err e;

	(void)state;
	assert_int_equal(sync_pem_pin(test_cert, sizeof(test_cert) - 1, pin, &e), 0);
	assert_string_equal(pin, "sha256//AcEPLrAcOJrzzV/0K1Sqeh2TmqBVRHlt56CkupaPpXE=");
	assert_int_not_equal(sync_pem_pin("not a certificate", 17, pin, &e), 0);
}

static void test_urls(void **state)
{
	static const struct {
		const char *url;
		int rc;
	} cases[] = {
		{ "https://hub.example/taxii2/", 0 },
		{ "https://hub.example:6443/api1", 0 },
		{ "http://127.0.0.1:8080/taxii2/", 0 },
		{ "http://localhost/taxii2/", 0 },
		{ "http://[::1]:8080/taxii2/", 0 },
		{ "http://192.0.2.1/taxii2/", CC_EUSAGE },
		{ "http://127.0.0.1.example.org/taxii2/", CC_EUSAGE },
		{ "ftp://hub.example/", CC_EUSAGE },
		{ "", CC_EUSAGE },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sync_conn conn = { .url = cases[i].url };
		sync_client *c = NULL;
		cc_err e;
		int rc = sync_client_new(&conn, &c, &e);

		if (rc != cases[i].rc)
			fail_msg("%s: %d, wanted %d (%s)", cases[i].url, rc, cases[i].rc, rc ? e.msg : "");
		assert_int_equal(sync_url_check(cases[i].url, &e), cases[i].rc);
		sync_client_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_query),
		cmocka_unit_test(test_coll_path),
		cmocka_unit_test(test_pem_pin),
		cmocka_unit_test(test_urls),
	};

	return cmocka_run_group_tests_name("sync", tests, NULL, NULL);
}
