/* The TAXII client's pieces that need no server: filters as a URL query
 * (percent-encoding, lists, the match[...] keys), collection paths, the
 * public key pin of a certificate (checked against what `openssl x509
 * -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256
 * -binary | base64` says of it), which URLs a client accepts, and one
 * answer that libcurl itself mishandles (test_folded_after_answer, from a
 * server on 127.0.0.1 in a thread).  The requests, retries and faults are
 * tested end to end (tests/e2e/test_federation*.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

/* A server that answers each connection's request with the next of its
 * raw answers, then closes it. */
typedef struct raw_server {
	int fd;
	const char *const *answers;
	size_t n;
} raw_server;

static void *raw_serve(void *arg)
{
	raw_server *rs = arg;

	for (size_t i = 0; i < rs->n; i++) {
		char req[8192];
		size_t got = 0;
		int fd = accept(rs->fd, NULL, NULL);

		if (fd < 0)
			break;
		while (got < sizeof(req) - 1) {         /* the request's headers */
			ssize_t r = read(fd, req + got, sizeof(req) - 1 - got);

			if (r <= 0)
				break;
			got += (size_t)r;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		if (write(fd, rs->answers[i], strlen(rs->answers[i])) < 0)
			i = rs->n;
		shutdown(fd, SHUT_RDWR);
		close(fd);
	}
	return NULL;
}

/* A retried request whose answer starts its headers with a folded line
 * (after a status line with a bare CR in it).  Debian 12's libcurl unfolds
 * it into the last header of the easy handle's previous answer, freed by
 * then: on one handle for every attempt, ASan stops the test with a
 * heap-use-after-free.  The client must fail the request, and nothing
 * else. */
static void test_folded_after_answer(void **state)
{
	static const char *const answers[] = {
		"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\n"
		"Content-Type: application/taxii+json;version=2.1\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 200C\rO\n Kontent-Type: application/taxii+json;version=2.1\r\n"
		"Content-Length: 2\r\n\r\n{}",
	};
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	raw_server rs = { socket(AF_INET, SOCK_STREAM, 0), answers,
			   sizeof(answers) / sizeof(answers[0]) };
	char url[64];
	sync_conn conn = { 0 };
	sync_client *c = NULL;
	const char *root = NULL;
	pthread_t th;
	cc_err e;

	(void)state;
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(rs.fd >= 0);
	assert_int_equal(bind(rs.fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(rs.fd, 4), 0);
	assert_int_equal(getsockname(rs.fd, (struct sockaddr *)&sa, &sl), 0);
	assert_int_equal(pthread_create(&th, NULL, raw_serve, &rs), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/taxii2/", ntohs(sa.sin_port));
	conn.url = url;
	conn.retries = 1;       /* the 503, then the folded answer */
	assert_int_equal(sync_client_new(&conn, &c, &e), 0);
	assert_int_not_equal(sync_api_root(c, &root, &e), 0);
	assert_int_equal(sync_client_requests(c), 2);
	sync_client_free(c);
	pthread_join(th, NULL);
	close(rs.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_query),
		cmocka_unit_test(test_coll_path),
		cmocka_unit_test(test_pem_pin),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_folded_after_answer),
	};

	return cmocka_run_group_tests_name("sync", tests, NULL, NULL);
}
