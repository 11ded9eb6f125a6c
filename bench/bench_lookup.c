/*
 * bench_lookup.c — the matcher's compile cost and exact-lookup rate alone.
 * Loads a bundle (gen_indicators), reports load+compile time and memory
 * (VmRSS before/after, the matcher's own byte count), then times
 * match_lookup() on N values per index: random IPv4 addresses (the address
 * index, CIDR tables included) and random MD5 / SHA-256 digests (the string
 * index), with a share of planted values so hits are exercised too.
 *
 *   bench_lookup BUNDLE PLANT [N]
 * Linked with build/libcybercell.a (bench/bench_match.sh builds it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "util/time.h"

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static unsigned long long rs = 0x2545f4914f6cdd1dull;

static unsigned long long rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

typedef struct vals {
	char (*v)[72];
	size_t n;
} vals;

/* n values made by gen, every 100th replaced by a planted value of kind. */
static vals make(size_t n, void (*gen)(char *), char **plant, size_t np)
{
	vals x = { malloc(n * sizeof(*x.v)), n };

	for (size_t i = 0; i < n; i++) {
		if (np && i % 100 == 0)
			snprintf(x.v[i], sizeof(x.v[i]), "%s", plant[rnd() % np]);
		else
			gen(x.v[i]);
	}
	return x;
}

static void gen_ip(char *o)
{
	snprintf(o, 72, "%u.%u.%u.%u", (unsigned)(rnd() % 224), (unsigned)(rnd() % 256),
		 (unsigned)(rnd() % 256), (unsigned)(rnd() % 256));
}

static void gen_hex(char *o, int n)
{
	for (int i = 0; i < n; i++)
		o[i] = "0123456789abcdef"[rnd() & 15];
	o[n] = '\0';
}

static void gen_md5(char *o)
{
	gen_hex(o, 32);
}

static void gen_sha256(char *o)
{
	gen_hex(o, 64);
}

static void time_lookups(const matcher *m, const char *name, const char *path, vals x)
{
	int id = match_path_id(path);
	int64_t t0 = cc_mono_us();
	size_t found = 0;

	for (size_t i = 0; i < x.n; i++)
		found += match_lookup(m, id, x.v[i], strlen(x.v[i]));
	printf("lookup_%s_per_s=%.0f\nlookup_%s_found=%zu\n", name,
	       (double)x.n / ((double)(cc_mono_us() - t0) / 1e6), name, found);
}

static size_t load_plant(const char *path, const char *kind, char ***out)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t n = 0, cap = 0, kl = strlen(kind);
	char **v = NULL;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, kind, kl) || line[kl] != ' ')
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
		}
		v[n++] = strdup(line + kl + 1);
	}
	if (f)
		fclose(f);
	*out = v;
	return n;
}

int main(int argc, char **argv)
{
	matcher *m;
	cc_err e = { 0 };
	match_stats st;
	long rss0, rss1;
	int64_t t0, t1;
	size_t n = argc > 3 ? (size_t)atol(argv[3]) : 5000000;
	char **pip, **pmd5, **psha;
	size_t nip, nmd5, nsha;
	vals ips, md5s, shas;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_lookup BUNDLE PLANT [N]\n");
		return 2;
	}
	nip = load_plant(argv[2], "ip", &pip);
	nmd5 = load_plant(argv[2], "md5", &pmd5);
	nsha = load_plant(argv[2], "sha256", &psha);
	ips = make(n, gen_ip, pip, nip);
	md5s = make(n, gen_md5, pmd5, nmd5);
	shas = make(n, gen_sha256, psha, nsha);
	rss0 = rss_kb();
	t0 = cc_mono_us();
	m = match_new();
	if (match_add_bundle_file(m, argv[1], NULL, NULL, &e) < 0 || match_compile(m, &e) < 0) {
		fprintf(stderr, "bench_lookup: %s\n", e.msg);
		return 1;
	}
	t1 = cc_mono_us();
	rss1 = rss_kb();
	match_get_stats(m, &st);
	printf("indicators=%zu\nexact=%zu\nregex=%zu\nload_compile_s=%.3f\n", st.indicators,
	       st.exact_ip + st.exact_str, st.regex_hs + st.regex_pcre, (double)(t1 - t0) / 1e6);
	printf("rss_delta_bytes=%ld\nindex_bytes=%zu\nstring_bytes=%zu\n", (rss1 - rss0) * 1024,
	       st.bytes - st.strings, st.strings);
	printf("index_bytes_per_exact=%.1f\nrss_bytes_per_indicator=%.1f\n",
	       (double)(st.bytes - st.strings) / (double)(st.exact_ip + st.exact_str),
	       (double)(rss1 - rss0) * 1024 / (double)st.indicators);
	time_lookups(m, "ipv4", "ipv4-addr:value", ips);
	time_lookups(m, "md5", "file:hashes.MD5", md5s);
	time_lookups(m, "sha256", "file:hashes.'SHA-256'", shas);
	match_free(m);
	return 0;
}
