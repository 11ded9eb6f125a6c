/*
 * gen_indicators.c — a STIX 2.1 bundle of N indicators for the match
 * benchmark, deterministic (fixed PRNG seed):
 *   40% IPv4 addresses, 8% IPv4 CIDRs (/16../28), 10% IPv6 addresses,
 *   20% domains, 8% URLs, 7% MD5, 7% SHA-256, and 1,000 LIKE/MATCHES.
 * Also writes PLANT (values the log generator plants, one "kind value" a
 * line) and LITERALS (every exact value, for grep -F -f).
 *
 *   gen_indicators N BUNDLE PLANT LITERALS
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rs = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static const char *const words[] = {
	"alpha", "bravo", "cdn", "update", "mail", "secure", "login", "api", "static", "files",
	"portal", "sync", "cloud", "track", "stats", "img", "media", "dl", "beacon", "svc",
};
static const char *const tlds[] = { "com", "net", "org", "info", "biz", "ru", "cn", "io", "xyz", "top" };

/* A first octet that is neither 10 (the logs' inside) nor 198 (their
 * outside): planted values are the only hits. */
static unsigned octet1(void)
{
	unsigned o = 11 + (unsigned)(rnd() % 213);

	return o == 198 ? 199 : o;
}

static void domain(char *out, size_t n, uint64_t i)
{
	snprintf(out, n, "%s%" PRIu64 "-%s.%s", words[rnd() % 20], i, words[rnd() % 20], tlds[rnd() % 10]);
}

static void hex(char *out, int len)
{
	for (int i = 0; i < len; i++)
		out[i] = "0123456789abcdef"[rnd() & 15];
	out[len] = '\0';
}

int main(int argc, char **argv)
{
	long n;
	FILE *b, *pl, *lit;
	char v[512], pat[1200];

	if (argc != 5) {
		fprintf(stderr, "usage: gen_indicators N BUNDLE PLANT LITERALS\n");
		return 2;
	}
	n = atol(argv[1]);
	b = fopen(argv[2], "w");
	pl = fopen(argv[3], "w");
	lit = fopen(argv[4], "w");
	if (!b || !pl || !lit) {
		perror("gen_indicators");
		return 1;
	}
	fputs("{\"type\":\"bundle\",\"id\":\"bundle--6a1a4a28-5a3c-4c4f-9d7e-000000000000\",\"objects\":[\n", b);
	for (long i = 0; i < n; i++) {
		long r = i < 1000 ? -1 : (long)(rnd() % 100);
		const char *kind = "";
		bool plant = i % 2000 == 7;

		if (r < 0) {
			/* LIKE / MATCHES on domains and URLs, half each */
			if (i % 2)
				snprintf(pat, sizeof(pat), "[domain-name:value MATCHES '^evil%ld[a-z]{0,3}\\\\\\\\.(com|net)$']", i);
			else
				snprintf(pat, sizeof(pat), "[url:value LIKE 'http://dl%ld.example.org/%%/payload_.exe']", i);
			kind = "";
		} else if (r < 40) {
			snprintf(v, sizeof(v), "%u.%u.%u.%u", octet1(), (unsigned)(rnd() % 256),
				 (unsigned)(rnd() % 256), (unsigned)(1 + rnd() % 254));
			snprintf(pat, sizeof(pat), "[ipv4-addr:value = '%s']", v);
			kind = "ip";
		} else if (r < 48) {
			unsigned len = 16 + (unsigned)(rnd() % 13);
			uint32_t a = ((uint32_t)octet1() << 24 | ((uint32_t)rnd() & 0xffffff)) & (~0u << (32 - len));

			snprintf(v, sizeof(v), "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, len);
			snprintf(pat, sizeof(pat), "[ipv4-addr:value ISSUBSET '%s']", v);
			kind = "cidr";
		} else if (r < 58) {
			snprintf(v, sizeof(v), "2001:db8:%x:%x::%x", (unsigned)(rnd() & 0xffff),
				 (unsigned)(rnd() & 0xffff), (unsigned)(1 + rnd() % 0xfffe));
			snprintf(pat, sizeof(pat), "[ipv6-addr:value = '%s']", v);
			kind = "ip6";
		} else if (r < 78) {
			domain(v, sizeof(v), (uint64_t)i);
			snprintf(pat, sizeof(pat), "[domain-name:value = '%s']", v);
			kind = "domain";
		} else if (r < 86) {
			char d[256];

			domain(d, sizeof(d), (uint64_t)i);
			snprintf(v, sizeof(v), "http://%s/%s/%" PRIu64 ".php", d, words[rnd() % 20], rnd() % 100000);
			snprintf(pat, sizeof(pat), "[url:value = '%s']", v);
			kind = "url";
		} else if (r < 93) {
			hex(v, 32);
			snprintf(pat, sizeof(pat), "[file:hashes.MD5 = '%s']", v);
			kind = "md5";
		} else {
			hex(v, 64);
			snprintf(pat, sizeof(pat), "[file:hashes.'SHA-256' = '%s']", v);
			kind = "sha256";
		}
		fprintf(b, "%s{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--%08lx-0000-4000-8000-%012lx\","
			"\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\","
			"\"name\":\"bench %ld\",\"pattern\":\"%s\",\"pattern_type\":\"stix\","
			"\"valid_from\":\"2010-01-01T00:00:00Z\"}\n", i ? "," : "", i, i, i, pat);
		if (*kind) {
			if (strcmp(kind, "cidr"))
				fprintf(lit, "%s\n", v);
			if (plant)
				fprintf(pl, "%s %s\n", kind, v);
		}
	}
	fputs("]}\n", b);
	fclose(b);
	fclose(pl);
	fclose(lit);
	return 0;
}
