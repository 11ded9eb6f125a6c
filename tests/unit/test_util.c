/* Unit tests of src/util: buffers, timestamps, UUIDs, errors, files,
 * hashing, allocation and running a program as a filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/time.h"
#include "util/uuid.h"
#include "util/unicode.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/proc.h"
#include "util/xalloc.h"

static void test_buf(void **state)
{
	cc_buf b = CC_BUF_INIT;
	char *s;
	size_t n;

	(void)state;
	assert_string_equal(cc_buf_str(&b), "");
	cc_buf_puts(&b, "abc");
	cc_buf_printf(&b, "-%d-", 42);
	cc_buf_putc(&b, 'z');
	assert_string_equal(cc_buf_str(&b), "abc-42-z");
	for (int i = 0; i < 10000; i++)
		cc_buf_putc(&b, 'x');
	assert_int_equal(b.len, 8 + 10000);
	s = cc_buf_take(&b, &n);
	assert_int_equal(n, 10008);
	assert_null(b.data);
	free(s);
	cc_buf_free(&b);
	cc_buf_free(NULL);
}

static void test_ts(void **state)
{
	int64_t us;
	char out[CC_TS_MAX];

	(void)state;
	assert_true(cc_ts_parse("1970-01-01T00:00:00Z", &us));
	assert_int_equal(us, 0);
	assert_true(cc_ts_parse("2016-05-12T08:17:27.123Z", &us));
	cc_ts_format(us, 3, out);
	assert_string_equal(out, "2016-05-12T08:17:27.123Z");
	cc_ts_format(us, 6, out);
	assert_string_equal(out, "2016-05-12T08:17:27.123000Z");
	assert_true(cc_ts_parse("2000-02-29T23:59:59.999999999Z", &us));
	cc_ts_format(us, 6, out);
	assert_string_equal(out, "2000-02-29T23:59:59.999999Z");
	assert_true(cc_ts_parse("1969-12-31T23:59:59Z", &us));
	assert_int_equal(us, -1000000);
	cc_ts_format(us, 0, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	assert_false(cc_ts_parse("2001-02-29T00:00:00Z", &us));
	assert_false(cc_ts_parse("2016-05-12T08:17:27+00:00", &us));
	assert_false(cc_ts_parse("2016-05-12 08:17:27Z", &us));
	assert_false(cc_ts_parse("2016-05-12T08:17:27.Z", &us));
	assert_false(cc_ts_parse("2016-13-12T08:17:27Z", &us));
	assert_false(cc_ts_parse("2016-05-12T24:00:00Z", &us));
	assert_false(cc_ts_parse("2016-05-12T08:17:27Zx", &us));
	assert_false(cc_ts_parse("", &us));
	assert_false(cc_ts_parse(NULL, &us));
}

static void test_uuid(void **state)
{
	char u[CC_UUID_STR], v[CC_UUID_STR];
	unsigned char b[16];

	(void)state;
	cc_uuid4(u);
	cc_uuid4(v);
	assert_int_equal(strlen(u), 36);
	assert_string_not_equal(u, v);
	assert_int_equal(u[14], '4');
	assert_true(cc_uuid_parse(u, b));
	assert_false(cc_uuid_parse("not-a-uuid", b));
	assert_false(cc_uuid_parse("00abedb4-aa42-466c-9c01-fed23315a9b7x", b));
	/* An ipv4-addr's deterministic id part; the expected value is what
	 * Python's uuid.uuid5() gives for the same namespace and name. */
	cc_uuid5(cc_uuid_ns_stix, "{\"value\":\"198.51.100.3\"}", 24, u);
	assert_string_equal(u, "28bb3599-77cd-5a82-a950-b5bc3caf07c4");
}

static void test_err(void **state)
{
	cc_err e;

	(void)state;
	assert_int_equal(cc_err_set(&e, CC_ERR, "objects[%d]", 3), CC_ERR);
	cc_err_prefix(&e, "file.json");
	assert_string_equal(e.msg, "file.json: objects[3]");
	assert_int_equal(cc_err_set(NULL, CC_EIO, "x"), CC_EIO);
	cc_err_clear(&e);
	assert_int_equal(e.code, CC_OK);
}

static void test_file(void **state)
{
	cc_buf b = CC_BUF_INIT;
	cc_err e;
	char path[] = "/tmp/cc_test_fileXXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(cc_file_write_atomic(path, "hello\n", 6, &e), 0);
	assert_int_equal(cc_file_read_all(path, &b, &e), 0);
	assert_string_equal(cc_buf_str(&b), "hello\n");
	unlink(path);
	cc_buf_reset(&b);
	assert_int_equal(cc_file_read_all("/nonexistent/x", &b, &e), CC_EIO);
	assert_non_null(strstr(e.msg, "/nonexistent/x: "));
	cc_buf_free(&b);
}

static void test_nfc(void **state)
{
	size_t n = 0;
	char *s;

	(void)state;
	assert_null(cc_utf8_nfc("plain ascii", 11, &n));          /* nothing to do */
	assert_null(cc_utf8_nfc("caf\xc3\xa9", 5, &n));             /* already NFC */
	assert_null(cc_utf8_nfc("bad \xff utf8", 10, &n));          /* invalid: as is */
	s = cc_utf8_nfc("cafe\xcc\x81", 6, &n);                    /* e + U+0301 */
	assert_non_null(s);
	assert_int_equal(n, 5);
	assert_string_equal(s, "caf\xc3\xa9");
	free(s);
}

static void test_hex(void **state)
{
	(void)state;
	assert_int_equal(cc_hex_digit('0'), 0);
	assert_int_equal(cc_hex_digit('9'), 9);
	assert_int_equal(cc_hex_digit('a'), 10);
	assert_int_equal(cc_hex_digit('F'), 15);
	assert_int_equal(cc_hex_digit('g'), -1);
	assert_int_equal(cc_hex_digit('/'), -1);
}

static void test_fnv1a(void **state)
{
	(void)state;
	/* the published FNV-1a 64 test vectors */
	assert_true(cc_fnv1a("", 0) == 0xcbf29ce484222325ULL);
	assert_true(cc_fnv1a("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(cc_fnv1a("foobar", 6) == 0x85944171f73967e8ULL);
}

/* Run argv on in with a limit; the result, its output in out. */
static cc_proc_result run(const char *const *argv, const char *in, size_t n, int ms,
			  cc_buf *out, cc_buf *err)
{
	cc_buf_reset(out);
	if (err)
		cc_buf_reset(err);
	return cc_proc_filter((char *const *)argv, in, n, ms, out, err);
}

static void test_proc(void **state)
{
	static const char *const cat[] = { "cat", NULL };
	static const char *const fail[] = { "sh", "-c", "echo oops >&2; exit 3", NULL };
	static const char *const deaf[] = { "true", NULL };
	static const char *const slow[] = { "sleep", "5", NULL };
	static const char *const killed[] = { "sh", "-c", "kill -TERM $$", NULL };
	static const char *const none[] = { "cybercell-no-such-program", NULL };
	size_t big = 3 << 20;                   /* more than any pipe holds */
	char *in = malloc(big);
	cc_buf out = CC_BUF_INIT, err = CC_BUF_INIT;
	cc_proc_result r;
	int64_t t0;

	(void)state;
	assert_non_null(in);
	for (size_t i = 0; i < big; i++)
		in[i] = (char)('a' + i % 26);
	r = run(cat, in, big, 20000, &out, &err);
	assert_int_equal(r.end, CC_PROC_OK);
	assert_int_equal(out.len, big);
	assert_memory_equal(out.data, in, big);
	r = run(fail, "x", 1, 20000, &out, &err);
	assert_int_equal(r.end, CC_PROC_EXIT);
	assert_int_equal(r.code, 3);
	assert_string_equal(cc_buf_str(&err), "oops\n");
	r = run(deaf, in, big, 20000, &out, NULL);  /* stops reading: no SIGPIPE */
	assert_int_equal(r.end, CC_PROC_OK);
	t0 = cc_mono_us();
	r = run(slow, "", 0, 300, &out, &err);
	assert_int_equal(r.end, CC_PROC_TIMEOUT);
	assert_true(cc_mono_us() - t0 < 3000000);
	r = run(killed, "", 0, 20000, &out, &err);
	assert_int_equal(r.end, CC_PROC_SIGNAL);
	assert_int_equal(r.code, 15);
	r = run(none, "x", 1, 20000, &out, &err);
	assert_int_equal(r.end, CC_PROC_NOT_FOUND);
	cc_buf_free(&out);
	cc_buf_free(&err);
	free(in);
}

static void test_xalloc(void **state)
{
	unsigned char *z = cc_xcalloc(0, 0);
	int *v = cc_xcalloc(4, sizeof(int));
	char *s;

	(void)state;
	assert_non_null(z);                     /* zero sizes still give memory */
	assert_int_equal(v[0] | v[1] | v[2] | v[3], 0);
	v = cc_xrealloc(v, 8 * sizeof(int));
	v[7] = 7;
	assert_int_equal(v[7], 7);
	assert_null(cc_xstrdup(NULL));
	s = cc_xstrdup("abc");
	assert_string_equal(s, "abc");
	free(s);
	s = cc_xmemdup("abcdef", 3);            /* n bytes and a NUL */
	assert_string_equal(s, "abc");
	free(s);
	s = cc_xmalloc(0);
	assert_non_null(s);
	CC_FREE_ALL(s, NULL, v, z);     /* the leak checker sees what is missed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_ts),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_fnv1a),
		cmocka_unit_test(test_xalloc),
		cmocka_unit_test(test_proc),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
