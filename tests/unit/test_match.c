/* Unit tests of src/match: address parsing and the prefix index (CIDR
 * edges, IPv4-mapped IPv6), normal forms (domains, URLs, hashes, e-mail),
 * validity windows and WITHIN at their boundaries, and the readers' edge
 * cases, through the module's interface and its private header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match/match.h"
#include "match/match_int.h"
#include "util/buf.h"

/* ---- helpers ---- */

typedef struct hits {
	char lines[64][128];    /* "line indicator-suffix" */
	int n;
	int bad;
	uint64_t total;         /* all hits, and an order-sensitive digest */
	uint64_t digest;
} hits;

static void on_hit(void *ud, const match_hit *h)
{
	hits *x = ud;

	x->total++;
	x->digest = x->digest * 1000003u + h->line * 31u + h->indicator;
	if (x->n < 64)
		snprintf(x->lines[x->n++], sizeof(x->lines[0]), "%llu %u", (unsigned long long)h->line,
			 h->indicator);
}

static void on_bad(void *ud, const char *file, uint64_t line, const char *why)
{
	hits *x = ud;

	(void)file;
	(void)line;
	(void)why;
	x->bad++;
}

/* Compile the indicators (patterns, with optional valid_from/until) and
 * scan text in format fmt; hits go to *out. */
static void run(const char *const *pats, const char *const *from, const char *const *until, int n,
		match_format fmt, const char *text, int threads, hits *out)
{
	matcher *m = match_new();
	match_run *r;
	cc_err e = { 0 };
	match_opts o = { 0 };

	assert_non_null(m);
	for (int i = 0; i < n; i++) {
		char buf[1024];

		snprintf(buf, sizeof(buf),
			 "{\"type\":\"indicator\",\"id\":\"indicator--%d\",\"pattern_type\":\"stix\","
			 "\"pattern\":\"%s\"%s%s%s%s%s%s}", i, pats[i],
			 from && from[i] ? ",\"valid_from\":\"" : "", from && from[i] ? from[i] : "",
			 from && from[i] ? "\"" : "", until && until[i] ? ",\"valid_until\":\"" : "",
			 until && until[i] ? until[i] : "", until && until[i] ? "\"" : "");
		assert_int_equal(match_add_indicator_text(m, buf, strlen(buf), &e), 0);
	}
	assert_int_equal(match_compile(m, &e), 0);
	r = match_run_new(m);
	memset(out, 0, sizeof(*out));
	o.format = fmt;
	o.threads = threads;
	o.on_hit = on_hit;
	o.hit_ud = out;
	o.on_bad = on_bad;
	o.bad_ud = out;
	assert_int_equal(match_scan_mem(m, r, "t", text, strlen(text), &o, &e), 0);
	match_run_free(r);
	match_free(m);
}

static bool has(const hits *h, const char *s)
{
	for (int i = 0; i < h->n; i++)
		if (!strcmp(h->lines[i], s))
			return true;
	return false;
}

/* ---- addresses ---- */

static void test_ip_parse(void **state)
{
	mt_ip ip;

	(void)state;
	assert_true(mt_ip_parse("10.1.2.3", 8, false, &ip));
	assert_int_equal(ip.family, 4);
	assert_int_equal(ip.v4, 0x0a010203);
	assert_false(mt_ip_parse("10.1.2.3/8", 10, false, &ip));
	assert_true(mt_ip_parse("10.1.2.3/8", 10, true, &ip));
	assert_int_equal(ip.v4, 0x0a000000);
	assert_int_equal(ip.prefix, 8);
	assert_false(mt_ip_parse("256.1.1.1", 9, false, &ip));
	assert_false(mt_ip_parse("1.2.3", 5, false, &ip));
	assert_false(mt_ip_parse("01.2.3.4", 8, false, &ip));
	assert_false(mt_ip_parse("1.2.3.4/33", 10, true, &ip));
	assert_true(mt_ip_parse("::", 2, false, &ip));
	assert_int_equal(ip.family, 6);
	assert_true(mt_ip_parse("2001:db8::1", 11, false, &ip));
	assert_true(ip.hi == 0x20010db800000000ull && ip.lo == 1);
	assert_false(mt_ip_parse("2001:db8::1::2", 14, false, &ip));
	assert_false(mt_ip_parse("1:2:3:4:5:6:7:8:9", 17, false, &ip));
	assert_true(mt_ip_parse("1:2:3:4:5:6:7:8", 15, false, &ip));
	/* IPv4-mapped IPv6 is IPv4, and its prefix follows */
	assert_true(mt_ip_parse("::ffff:192.0.2.1", 16, false, &ip));
	assert_int_equal(ip.family, 4);
	assert_int_equal(ip.v4, 0xc0000201);
	assert_int_equal(ip.prefix, 32);
	assert_true(mt_ip_parse("::ffff:0:0/96", 13, true, &ip));
	assert_int_equal(ip.family, 4);
	assert_int_equal(ip.prefix, 0);
	assert_true(mt_ip_parse("::ffff:c000:0201", 16, false, &ip));
	assert_int_equal(ip.family, 4);
	assert_true(mt_ip_parse("2001:db8::/128", 14, true, &ip));
	assert_int_equal(ip.prefix, 128);
}

static void test_cidr_edges(void **state)
{
	static const char *const pats[] = {
		"[ipv4-addr:value ISSUBSET '0.0.0.0/0']",
		"[ipv4-addr:value ISSUBSET '192.0.2.7/32']",
		"[ipv6-addr:value ISSUBSET '2001:db8::7/128']",
		"[ipv6-addr:value ISSUBSET '::/0']",
		"[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
		"[ipv6-addr:value = '::ffff:203.0.113.5']",
		"[ipv4-addr:value = '203.0.113.6']",
	};
	hits h;

	(void)state;
	run(pats, NULL, NULL, 7, MATCH_FMT_TEXT,
	    "1.2.3.4\n"                 /* 1: /0 */
	    "192.0.2.7\n"               /* 2: /0, /32 */
	    "192.0.2.8\n"               /* 3: /0 only */
	    "2001:db8::7\n"             /* 4: /128, ::/0 */
	    "2001:db8::8\n"             /* 5: ::/0 only */
	    "198.51.100.0 198.51.100.255\n" /* 6: /24 both ends (one hit) */
	    "198.51.101.0\n"            /* 7: not in /24 */
	    "203.0.113.5\n"             /* 8: mapped indicator on plain IPv4 */
	    "::ffff:203.0.113.6\n",     /* 9: plain indicator on mapped address */
	    1, &h);
	assert_true(has(&h, "1 0"));
	assert_true(has(&h, "2 0") && has(&h, "2 1"));
	assert_true(has(&h, "3 0") && !has(&h, "3 1"));
	assert_true(has(&h, "4 2") && has(&h, "4 3") && !has(&h, "4 0"));
	assert_true(has(&h, "5 3") && !has(&h, "5 2"));
	assert_true(has(&h, "6 4"));
	assert_true(!has(&h, "7 4") && has(&h, "7 0"));
	assert_true(has(&h, "8 5"));
	assert_true(has(&h, "9 6") && has(&h, "9 0"));
	assert_int_equal(h.n, 14);
}

/* ---- normal forms ---- */

static void norm_is(mt_kind k, const char *in, const char *want)
{
	char out[MT_NORM_MAX];
	int n = mt_norm(k, in, strlen(in), out);

	if (!want) {
		assert_true(n < 0);
		return;
	}
	assert_true(n >= 0);
	out[n] = '\0';
	assert_string_equal(out, want);
}

static void test_norm(void **state)
{
	(void)state;
	norm_is(MK_DOMAIN, "WWW.Example.COM.", "www.example.com");
	norm_is(MK_DOMAIN, ".", NULL);
	norm_is(MK_URL, "HTTP://Example.COM:80/A%7eB/%2fx?Q=%41", "http://example.com/A~B/%2Fx?Q=A");
	norm_is(MK_URL, "https://h.test:443", "https://h.test/");
	norm_is(MK_URL, "https://h.test:8443/x", "https://h.test:8443/x");
	norm_is(MK_URL, "http://h.test:443/x", "http://h.test:443/x");
	norm_is(MK_URL, "h.test/path", "http://h.test/path");
	norm_is(MK_URL, "ftp://u@H.test:21/f", "ftp://u@h.test/f");
	norm_is(MK_URL, "http://[2001:DB8::1]:80/", "http://[2001:db8::1]/");
	norm_is(MK_MD5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e");
	norm_is(MK_X509_SHA1, "90:86:A4", "9086a4");
	norm_is(MK_SHA256, "xyz", NULL);
	norm_is(MK_EMAIL, "Bob@Example.ORG", "Bob@example.org");
	norm_is(MK_EMAIL, "<a@B.c>", "a@b.c");
	norm_is(MK_EMAIL, "Alice <a@B.c>", "a@b.c");
	norm_is(MK_EMAIL, "nobody", NULL);
}

static void test_case_rules(void **state)
{
	static const char *const pats[] = {
		"[domain-name:value = 'Evil.Example.COM']",
		"[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']",
		"[url:value = 'http://Bad.test/Path']",
		"[file:name = 'Setup.exe']",
	};
	hits h;

	(void)state;
	run(pats, NULL, NULL, 4, MATCH_FMT_CSV,
	    "domain,md5,url,filename\n"
	    "evil.example.com.,,,\n"                            /* 2: domain */
	    ",d41d8cd98f00b204e9800998ecf8427e,,\n"             /* 3: md5 */
	    ",,HTTP://BAD.TEST:80/Path,\n"                      /* 4: url */
	    ",,http://bad.test/path,\n"                         /* 5: path case differs */
	    ",,,setup.exe\n"                                    /* 6: file names keep case */
	    ",,,Setup.exe\n",                                   /* 7 */
	    1, &h);
	assert_true(has(&h, "2 0"));
	assert_true(has(&h, "3 1"));
	assert_true(has(&h, "4 2"));
	assert_false(has(&h, "5 2"));
	assert_false(has(&h, "6 3"));
	assert_true(has(&h, "7 3"));
	assert_int_equal(h.n, 4);
}

/* ---- time ---- */

static void test_parse_time(void **state)
{
	int64_t us;

	(void)state;
	assert_true(mt_parse_time("1600000000.5", 12, &us));
	assert_true(us == 1600000000500000ll);
	assert_true(mt_parse_time("2020-09-13T12:26:40Z", 20, &us));
	assert_true(us == 1600000000000000ll);
	assert_true(mt_parse_time("2020-09-13T14:26:40.000001+0200", 31, &us));
	assert_true(us == 1600000000000001ll);
	assert_true(mt_parse_time("2020-09-13T10:26:40-02:00", 25, &us));
	assert_true(us == 1600000000000000ll);
	assert_false(mt_parse_time("2020-13-13T10:26:40Z", 20, &us));
	assert_false(mt_parse_time("yesterday", 9, &us));
	/* a long run of digits is no epoch (it overflowed before: fuzz_match_zeek) */
	assert_false(mt_parse_time("1600000152191170000000000", 25, &us));
	assert_false(mt_parse_time("32503680001", 11, &us));
}

static void test_valid_window(void **state)
{
	static const char *const pats[] = { "[ipv4-addr:value = '203.0.113.1']" };
	static const char *const from[] = { "2021-01-01T00:00:00Z" };
	static const char *const until[] = { "2021-01-02T00:00:00Z" };
	hits h;

	(void)state;
	run(pats, from, until, 1, MATCH_FMT_TEXT,
	    "2020-12-31T23:59:59.999999Z 203.0.113.1\n"  /* before valid_from */
	    "2021-01-01T00:00:00Z 203.0.113.1\n"         /* at valid_from: valid */
	    "2021-01-01T23:59:59.999999Z 203.0.113.1\n"  /* last valid microsecond */
	    "2021-01-02T00:00:00Z 203.0.113.1\n"         /* at valid_until: expired */
	    "203.0.113.1\n",                             /* no time: not judged */
	    1, &h);
	assert_false(has(&h, "1 0"));
	assert_true(has(&h, "2 0"));
	assert_true(has(&h, "3 0"));
	assert_false(has(&h, "4 0"));
	assert_true(has(&h, "5 0"));
}

static void test_within(void **state)
{
	static const char *const pats[] = {
		"([domain-name:value = 'a.test'] FOLLOWEDBY [domain-name:value = 'b.test']) WITHIN 10 SECONDS",
		"[domain-name:value = 'c.test'] REPEATS 3 TIMES",
	};
	hits h;

	(void)state;
	run(pats, NULL, NULL, 2, MATCH_FMT_TEXT,
	    "2021-01-01T00:00:00Z a.test\n"
	    "2021-01-01T00:00:09.999Z b.test\n"   /* 2: inside the window */
	    "2021-01-01T00:01:00Z a.test\n"
	    "2021-01-01T00:01:10.001Z b.test\n"   /* 4: just outside */
	    "2021-01-01T00:02:00Z b.test\n"
	    "2021-01-01T00:02:01Z a.test\n"       /* 6: wrong order */
	    "2021-01-01T00:03:00Z c.test\n"
	    "2021-01-01T00:03:01Z c.test\n"
	    "2021-01-01T00:03:02Z c.test\n",      /* 9: third repeat */
	    1, &h);
	assert_true(has(&h, "2 0"));
	assert_false(has(&h, "4 0"));
	assert_false(has(&h, "6 0"));
	assert_true(has(&h, "9 1"));
	assert_false(has(&h, "8 1"));
}

/* ---- readers ---- */

static void test_zeek_reader(void **state)
{
	static const char *const pats[] = {
		"[domain-name:value = 'tab\\there.test']",
		"[ipv4-addr:value = '192.0.2.1']",
		"[domain-name:value = 'set.test']",
	};
	hits h;

	(void)state;
	run(pats, NULL, NULL, 3, MATCH_FMT_ZEEK,
	    "#separator \\x7c\n"                         /* 1: '|' separates */
	    "#set_separator|;\n"
	    "#empty_field|EMPTY\n"
	    "#unset_field|UNSET\n"
	    "#fields|ts|query|id.resp_h|answers\n"
	    "#types|time|string|addr|vector[string]\n"
	    "1.0|tab\\x09here.test|UNSET|EMPTY\n"       /* 7: escaped tab */
	    "2.0|x.test|192.0.2.1|a.test;set.test\n"   /* 8: set member */
	    "3.0|x.test|192.0.2.1\n"                   /* 9: short row */
	    "4.0|x.test|192.0.2.1|a|b\n"               /* 10: long row */
	    "#fields|ts|id.orig_h\n"                   /* 11: a new header */
	    "5.0|192.0.2.1\n",                         /* 12 */
	    1, &h);
	assert_true(has(&h, "7 0"));
	assert_true(has(&h, "8 1") && has(&h, "8 2"));
	assert_true(has(&h, "12 1"));
	assert_int_equal(h.bad, 2);
	assert_int_equal(h.n, 4);
}

static void test_json_readers(void **state)
{
	static const char *const pats[] = {
		"[url:value = 'http://h.test/a/b']",
		"[domain-name:value = 'q\xc3\xa9.test']",
		"[ipv4-addr:value = '192.0.2.1']",
	};
	hits h;

	(void)state;
	run(pats, NULL, NULL, 3, MATCH_FMT_EVE,
	    "{\"timestamp\":\"2021-01-01T00:00:00+0000\",\"event_type\":\"http\",\"http\":{\"hostname\":\"h.test\",\"url\":\"\\/a\\/b\"}}\n"
	    "{\"event_type\":\"dns\",\"dns\":{\"rrname\":\"q\\u00e9.test\",\"grouped\":{\"A\":[\"192.0.2.1\"]}}}\n"
	    "{\"event_type\":\"dns\",\"dns\":{\"rrname\":\"x\"}} trailing\n"
	    "[1,2]\n"
	    "\n"
	    "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n",
	    1, &h);
	assert_true(has(&h, "1 0"));
	assert_true(has(&h, "2 1") && has(&h, "2 2"));
	assert_int_equal(h.bad, 3);
	run(pats, NULL, NULL, 3, MATCH_FMT_ZEEKJSON,
	    "{\"ts\":1.5,\"host\":\"h.test:80\",\"uri\":\"/a/b\",\"id.resp_h\":\"192.0.2.1\"}\n"
	    "{\"ts\":\"2021-01-01T00:00:00.000000Z\",\"query\":\"q\\u00e9.test\"}\n",
	    1, &h);
	assert_true(has(&h, "1 0") && has(&h, "1 2"));
	assert_true(has(&h, "2 1"));
	assert_int_equal(h.bad, 0);
}

static void test_csv_text_readers(void **state)
{
	static const char *const pats[] = {
		"[domain-name:value = 'a,b.test']",
		"[email-addr:value = 'x@y.test']",
		"[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
	};
	hits h;

	(void)state;
	run(pats, NULL, NULL, 3, MATCH_FMT_CSV,
	    "Domain,Email\r\n"
	    "\"a,b.test\",\"x@y.test\"\r\n"
	    "\"bad quote,x\r\n",
	    1, &h);
	assert_true(has(&h, "2 0") && has(&h, "2 1"));
	assert_int_equal(h.bad, 1);
	run(pats, NULL, NULL, 3, MATCH_FMT_TEXT,
	    "mail (x@y.test) sent; hash=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709.\n",
	    1, &h);
	assert_true(has(&h, "1 1") && has(&h, "1 2"));
}

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(mt_detect("#separator \\x09\n", 16, NULL, 0), MATCH_FMT_ZEEK);
	assert_int_equal(mt_detect("{\"event_type\":\"dns\"}\n", 21, NULL, 0), MATCH_FMT_EVE);
	assert_int_equal(mt_detect("{\"ts\":1}\n", 9, NULL, 0), MATCH_FMT_ZEEKJSON);
	assert_int_equal(mt_detect("ts,src_ip\n", 10, NULL, 0), MATCH_FMT_CSV);
	assert_int_equal(mt_detect("hello world\n", 12, NULL, 0), MATCH_FMT_TEXT);
	assert_int_equal(mt_detect("a\0b", 3, NULL, 0), MATCH_FMT_AUTO);
	{
		match_colmap m = { "peer", "ipv4-addr:value" };

		assert_int_equal(mt_detect("who;peer\n", 9, &m, 1), MATCH_FMT_CSV);
	}
}

/* Bundles are cut into objects by brackets and strings only: strings with
 * escaped quotes, backslashes and brackets must not confuse it. */
static void test_bundle_load(void **state)
{
	static const char text[] =
		"{\"type\":\"bundle\",\"id\":\"bundle--1\",\"x\":{\"objects\":1},\"objects\":[\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--a\",\"name\":\"q\\\"}],{\\\\\",\"pattern_type\":\"stix\","
		"\"pattern\":\"[domain-name:value = 'it\\\\'s.test']\"},\n"
		"{\"type\":\"malware\",\"id\":\"malware--b\",\"name\":\"]\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--c\",\"pattern_type\":\"stix\",\"revoked\":true,"
		"\"pattern\":\"[ipv4-addr:value = '192.0.2.1']\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--d\",\"pattern_type\":\"sigma\",\"pattern\":\"x\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--e\",\"pattern\":\"[ipv4-addr:value = \"}\n"
		"]}\n";
	char path[] = "/tmp/test_match_bundle_XXXXXX";
	int fd = mkstemp(path);
	matcher *m = match_new();
	match_stats st;
	cc_err e = { 0 };

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	assert_int_equal(match_add_bundle_file(m, path, NULL, NULL, &e), 0);
	unlink(path);
	assert_int_equal(match_compile(m, &e), 0);
	match_get_stats(m, &st);
	assert_int_equal(st.indicators, 1);
	assert_int_equal(st.skipped, 3);	/* revoked, sigma, bad pattern */
	assert_string_equal(match_indicator_name(m, 0), "q\"}],{\\");
	assert_int_equal(match_lookup(m, match_path_id("domain-name:value"), "IT's.test", 9), 1);
	match_free(m);
}

/* Load text as an indicator file: the return code, the indicators taken,
 * and the first warning (objects[i] of a bad indicator) in warn. */
static void note_warn(void *ud, const char *msg)
{
	char *w = ud;

	if (!*w)
		snprintf(w, 256, "%s", msg);
}

static int load_text(const char *text, size_t *n_ind, char warn[256])
{
	char path[] = "/tmp/test_match_shape_XXXXXX";
	int fd = mkstemp(path), rc;
	matcher *m = match_new();
	match_stats st;
	cc_err e = { 0 };
	const char *slash;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	warn[0] = '\0';
	rc = match_add_bundle_file(m, path, note_warn, warn, &e);
	unlink(path);
	if (warn[0] && (slash = strstr(warn, ": objects[")))  /* drop the temp name */
		memmove(warn, slash + 2, strlen(slash + 2) + 1);
	assert_int_equal(match_compile(m, &e), 0);
	match_get_stats(m, &st);
	*n_ind = st.indicators;
	match_free(m);
	return rc;
}

/* The shapes an indicator file may have: a bundle (the "objects" array
 * anywhere among its keys), an array of objects, or one object; what is
 * not an object is passed over, and what is not JSON is refused. */
static void test_bundle_shapes(void **state)
{
#define IND(x) "{\"type\":\"indicator\",\"id\":\"indicator--" x "\",\"pattern_type\":\"stix\"," \
	"\"pattern\":\"[ipv4-addr:value = '192.0.2." x "']\"}"
	static const struct { const char *text; int ok; size_t n; const char *warn; } cases[] = {
		{ "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[" IND("1") "," IND("2") "]}", 1, 2, "" },
		{ "{\"objects\":[" IND("1") "],\"type\":\"bundle\"}\n", 1, 1, "" },
		{ " [" IND("1") ",\n" IND("2") "," IND("3") "] ", 1, 3, "" },
		{ IND("7"), 1, 1, "" },
		{ "{\"type\":\"malware\",\"id\":\"malware--1\"}", 1, 0, "" },
		{ "{\"type\":\"bundle\",\"objects\":[]}", 1, 0, "" },
		{ "[]", 1, 0, "" },
		{ "{\"type\":\"bundle\",\"objects\":[1,\"x\"," IND("1") ",null]}", 1, 1, "" },
		{ "[[" IND("1") "]," IND("2") "]", 1, 1, "" },
		{ "{\"type\":\"bundle\",\"objects\":{\"a\":1}}", 1, 0, "" },
		{ "{\"objects\":[{\"type\":\"malware\"},{\"type\":\"indicator\",\"id\":\"indicator--x\","
		  "\"pattern_type\":\"stix\",\"pattern\":\"[\"}]}", 1, 0,
		  "objects[1]: indicator--x: pattern:1:2: expected an object path, found end of pattern" },
		{ "{\"objects\":[" IND("1") ",{\"type\":\"indicator\" \"id\":1}]}", 1, 1,
		  "objects[1]: not a JSON object" },
		{ "", 0, 0, "" },
		{ "nonsense", 0, 0, "" },
		{ "\"indicator\"", 0, 0, "" },
		{ "{\"type\":\"bundle\",\"objects\":[" IND("1"), 0, 0, "" },
		{ "{\"type\": bundle, \"objects\":[" IND("1") "]}", 0, 0, "" },
		{ "{\"objects\":[" IND("1") "], \"type\": bundle}", 0, 0, "" },
		{ "{\"objects\":[" IND("1") "]} x", 0, 0, "" },
	};
	char warn[256];
	cc_buf deep = CC_BUF_INIT;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = load_text(cases[i].text, &n, warn);

		if ((rc == 0) != cases[i].ok || (cases[i].ok && n != cases[i].n) ||
		    strcmp(warn, cases[i].warn))
			fail_msg("case %zu: rc %d, %zu indicators, warning '%s'", i, rc, n, warn);
	}
	/* an object nested deeper than the splitter goes does not stop the rest */
	cc_buf_puts(&deep, "{\"type\":\"bundle\",\"objects\":[{\"type\":\"malware\",\"x\":");
	for (int i = 0; i < 300; i++)
		cc_buf_putc(&deep, '[');
	for (int i = 0; i < 300; i++)
		cc_buf_putc(&deep, ']');
	cc_buf_puts(&deep, "}," IND("9") "]}");
	assert_int_equal(load_text(cc_buf_str(&deep), &n, warn), 0);
	assert_int_equal(n, 1);
	assert_string_equal(warn, "");
	cc_buf_free(&deep);
#undef IND
}

/* The same hits whatever the thread count, on more than one piece. */
static void test_threads(void **state)
{
	static const char *const pats[] = { "[ipv4-addr:value ISSUBSET '10.0.0.0/16']" };
	size_t n = 700000;
	char *text = malloc(n * 24), *p = text;
	hits a, b;

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%zu 10.%zu.%zu.%zu\n", i, (i * 7) % 256, (i / 256) % 256, i % 7);
	run(pats, NULL, NULL, 1, MATCH_FMT_TEXT, text, 1, &a);
	run(pats, NULL, NULL, 1, MATCH_FMT_TEXT, text, 2, &b);
	free(text);
	assert_true(a.total > 2000);
	assert_true(a.total == b.total && a.digest == b.digest);
	assert_int_equal(a.n, b.n);
	for (int i = 0; i < a.n; i++)
		assert_string_equal(a.lines[i], b.lines[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_parse),
		cmocka_unit_test(test_cidr_edges),
		cmocka_unit_test(test_norm),
		cmocka_unit_test(test_case_rules),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_valid_window),
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_zeek_reader),
		cmocka_unit_test(test_json_readers),
		cmocka_unit_test(test_csv_text_readers),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_bundle_load),
		cmocka_unit_test(test_bundle_shapes),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
