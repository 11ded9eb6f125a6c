/*
 * fuzz_match_zeek.c — libFuzzer target: arbitrary bytes through the Zeek
 * TSV reader and the whole matcher (exact indexes, Hyperscan, the pattern
 * evaluator, multi-observation windows), on 1 and 2 threads.  The other
 * readers' targets (fuzz_match_<reader>.c) include this file with their
 * own FUZZ_FORMAT.
 */
#include <stdint.h>
#include <stdlib.h>

#include "match/match.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT MATCH_FMT_ZEEK
#endif

static const char *const fuzz_patterns[] = {
	"[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
	"[ipv4-addr:value = '192.0.2.1']",
	"[ipv6-addr:value ISSUBSET '2001:db8::/32']",
	"[network-traffic:src_ref.value = '198.51.100.1']",
	"[domain-name:value = 'evil.example.com']",
	"[url:value = 'http://bad.example.net/x']",
	"[email-addr:value = 'a@b.test']",
	"[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
	"[x509-certificate:hashes.'SHA-1' = '9086a43bf5cf1b2e4ef79796f9debab96635863f']",
	"[domain-name:value LIKE '%.test']",
	"[url:value MATCHES '^https?://[^/]+/gate\\\\.php']",
	"[domain-name:value MATCHES '(a)\\\\1b']",
	"[network-traffic:dst_port = 4444 AND network-traffic:protocols[*] = 'tcp']",
	"([domain-name:value = 'a.test'] FOLLOWEDBY [domain-name:value = 'b.test']) WITHIN 60 SECONDS",
	"[domain-name:value = 'c.test'] REPEATS 2 TIMES",
};

static matcher *fuzz_m;

static void fuzz_init(void)
{
	cc_err e;

	fuzz_m = match_new();
	for (size_t i = 0; i < sizeof(fuzz_patterns) / sizeof(fuzz_patterns[0]); i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "type", "indicator", "id", "indicator--x",
				      "pattern_type", "stix", "pattern", fuzz_patterns[i]);

		if (match_add_indicator(fuzz_m, o, &e) < 0)
			abort();
		json_decref(o);
	}
	if (match_compile(fuzz_m, &e) < 0)
		abort();
}

static void fuzz_hit(void *ud, const match_hit *h)
{
	(*(size_t *)ud) += h->n_values + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	match_opts o = { 0 };
	size_t seen = 0;
	cc_err e;

	if (!fuzz_m)
		fuzz_init();
	o.format = FUZZ_FORMAT;
	o.on_hit = fuzz_hit;
	o.hit_ud = &seen;
	for (int threads = 1; threads <= 2; threads++) {
		match_run *r = match_run_new(fuzz_m);
		json_t *s;

		o.threads = threads;
		match_scan_mem(fuzz_m, r, "fuzz", (const char *)data, size, &o, &e);
		match_run_finish(fuzz_m, r, &o);
		s = match_sightings(fuzz_m, r, "identity--00000000-0000-4000-8000-000000000000");
		json_decref(s);
		match_run_free(r);
	}
	return 0;
}
