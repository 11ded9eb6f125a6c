/*
 * fuzz_warninglist.c — libFuzzer target: arbitrary bytes as a MISP
 * warning list (an_wlset_add_json), then lookups of values of every kind
 * against what was read, and the warning-list check of a few patterns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "pattern/pattern.h"

static const char *const probes[][2] = {
	{ "ipv4-addr:value", "10.1.2.3" }, { "ipv4-addr:value", "10.0.0.0/8" },
	{ "ipv6-addr:value", "2001:db8::1" }, { "ipv6-addr:value", "::ffff:192.0.2.1" },
	{ "network-traffic:dst_ref.value", "0.0.0.0/0" }, { "domain-name:value", "a.b.example.com." },
	{ "domain-name:value", "com" }, { "url:value", "http://user@[2001:db8::1]:80/x?y" },
	{ "url:value", "https://cdn.example.net/static/a.js" }, { "email-addr:value", "a@b.test" },
	{ "file:hashes.MD5", "D4:1D:8C:D9:8F:00:B2:04:E9:80:09:98:EC:F8:42:7E" },
	{ "file:name", "x.exe" }, { "x509-certificate:hashes.'SHA-1'", "00" }, { "url:value", "" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	an_wlset *s = an_wlset_new();
	cc_err e;
	pattern *p;

	if (!s)
		return 0;
	an_wlset_add_json(s, (const char *)data, size, "fuzz", &e);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		an_wl_find(s, probes[i][0], probes[i][1], strlen(probes[i][1]));
		an_wl_broad(probes[i][0], probes[i][1], strlen(probes[i][1]));
	}
	for (size_t i = 0; i < an_wlset_count(s); i++) {
		an_wl_meta m;

		an_wlset_meta(s, i, &m);
	}
	p = pattern_parse("[ipv4-addr:value IN ('10.0.0.1', '8.8.8.8') OR domain-name:value = 'org']", &e);
	an_wl_check_pattern(s, p, NULL, NULL);
	pattern_free(p);
	an_wlset_free(s);
	return 0;
}
