/*
 * gen_logs.c — big logs for the match benchmark, shaped like the real
 * Zeek 6.2 / Suricata logs in ../shared/data/logs (same headers, columns
 * and value shapes), with values from PLANT planted every EVERY lines.
 *
 *   gen_logs conn|dns|eve MEGABYTES PLANT EVERY OUT
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rs = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

typedef struct plant { char kind[8]; char v[400]; } plant;
static plant *pl;
static size_t npl;

static void load_plant(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		if (npl == cap) {
			cap = cap ? cap * 2 : 1024;
			pl = realloc(pl, cap * sizeof(*pl));
		}
		*sp = '\0';
		line[strcspn(sp + 1, "\n") + (size_t)(sp + 1 - line)] = '\0';
		snprintf(pl[npl].kind, sizeof(pl[npl].kind), "%.7s", line);
		snprintf(pl[npl].v, sizeof(pl[npl].v), "%s", sp + 1);
		npl++;
	}
	fclose(f);
}

/* A planted value of one of the kinds, or NULL. */
static const char *pick(const char *k1, const char *k2)
{
	for (int t = 0; t < 8 && npl; t++) {
		const plant *p = &pl[rnd() % npl];

		if (!strcmp(p->kind, k1) || (k2 && !strcmp(p->kind, k2)))
			return p->v;
	}
	return NULL;
}

static void ip_int(char *o)
{
	sprintf(o, "10.%u.%u.%u", (unsigned)(rnd() % 256), (unsigned)(rnd() % 256), (unsigned)(1 + rnd() % 254));
}

static void ip_ext(char *o)
{
	/* 198.18.0.0/15 (benchmarking range): never an indicator */
	sprintf(o, "198.%u.%u.%u", 18 + (unsigned)(rnd() % 2), (unsigned)(rnd() % 256), (unsigned)(1 + rnd() % 254));
}

static void uid(char *o)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	o[0] = 'C';
	for (int i = 1; i < 18; i++)
		o[i] = a[rnd() % 62];
	o[18] = '\0';
}

static const char *const names[] = { "www", "mail", "api", "cdn", "update", "ntp", "login", "static" };
static const char *const zones[] = { "wrccdc.org", "example.com", "cpp.edu", "debian.org", "google.com",
				     "microsoft.com", "akamaiedge.net", "cloudfront.net" };

static void gen_conn(FILE *f, double ts, bool hit)
{
	char a[64], b[64], u[20];
	const char *h = hit ? pick("ip", NULL) : NULL;

	ip_int(a);
	ip_ext(b);
	uid(u);
	fprintf(f, "%.6f\t%s\t%s\t%u\t%s\t%u\ttcp\t%s\t%.6f\t%u\t%u\tSF\t-\t-\t0\tShADadfF\t%u\t%u\t%u\t%u\t-\n",
		ts, u, a, (unsigned)(1024 + rnd() % 60000), h ? h : b,
		(unsigned[]){ 80, 443, 22, 3389, 53, 8080 }[rnd() % 6], (rnd() & 1) ? "ssl" : "-",
		(double)(rnd() % 100000) / 1e4, (unsigned)(rnd() % 100000), (unsigned)(rnd() % 1000000),
		(unsigned)(rnd() % 100), (unsigned)(rnd() % 10000), (unsigned)(rnd() % 100),
		(unsigned)(rnd() % 100000));
}

static void gen_dns(FILE *f, double ts, bool hit)
{
	char a[64], q[256], ans[64], u[20];
	const char *h = hit ? pick("domain", NULL) : NULL;

	ip_int(a);
	uid(u);
	ip_ext(ans);
	if (h)
		snprintf(q, sizeof(q), "%s", h);
	else
		snprintf(q, sizeof(q), "%s%u.%s", names[rnd() % 8], (unsigned)(rnd() % 1000), zones[rnd() % 8]);
	fprintf(f, "%.6f\t%s\t%s\t%u\t10.0.0.100\t53\tudp\t%u\t0.000870\t%s\t1\tC_INTERNET\t1\tA\t0\tNOERROR\t"
		"F\tF\tT\tT\t0\t%s,%s\t2230.000000,41830.000000\tF\n",
		ts, u, a, (unsigned)(1024 + rnd() % 60000), (unsigned)(rnd() % 65536), q, q, ans);
}

static void gen_eve(FILE *f, double ts, bool hit)
{
	char a[64], b[64], tsb[64];
	time_t s = (time_t)ts;
	struct tm tm;
	unsigned t = (unsigned)(rnd() % 6);
	const char *h = hit ? pick("domain", "ip") : NULL;

	gmtime_r(&s, &tm);
	strftime(tsb, sizeof(tsb), "%Y-%m-%dT%H:%M:%S", &tm);
	ip_int(a);
	ip_ext(b);
	if (h && strchr(h, '.') && (h[0] >= '0' && h[0] <= '9'))
		snprintf(b, sizeof(b), "%s", h), h = NULL;
	fprintf(f, "{\"timestamp\":\"%s.%06u+0000\",\"flow_id\":%" PRIu64 ",\"pcap_cnt\":%u,\"event_type\":\"%s\","
		"\"src_ip\":\"%s\",\"src_port\":%u,\"dest_ip\":\"%s\",\"dest_port\":%u,\"proto\":\"%s\"",
		tsb, (unsigned)((ts - (double)s) * 1e6), (uint64_t)(rnd() % 2000000000000000ull), (unsigned)(rnd() % 100000),
		(const char *[]){ "alert", "dns", "http", "tls", "fileinfo", "flow" }[t], a,
		(unsigned)(1024 + rnd() % 60000), b, t == 1 ? 53 : t == 3 ? 443 : 80, t == 1 ? "UDP" : "TCP");
	switch (t) {
	case 0:
		fprintf(f, ",\"tx_id\":0,\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":2013504,\"rev\":5,"
			"\"signature\":\"ET POLICY GNU\\/Linux APT User-Agent Outbound likely related to package management\","
			"\"category\":\"Not Suspicious Traffic\",\"severity\":3},\"http\":{\"hostname\":\"deb.debian.org\","
			"\"url\":\"\\/debian\\/pool\\/main\\/p\\/perl\\/perl-base_5.24.1-1_amd64.deb\",\"http_user_agent\":"
			"\"Debian APT-HTTP\\/1.3 (1.4~beta3)\",\"http_content_type\":\"application\\/x-debian-package\","
			"\"http_method\":\"GET\",\"protocol\":\"HTTP\\/1.1\",\"status\":200,\"length\":919}}\n");
		break;
	case 1:
		fprintf(f, ",\"dns\":{\"type\":\"query\",\"id\":%u,\"rrname\":\"%s%s%u.%s\",\"rrtype\":\"A\",\"tx_id\":0}}\n",
			(unsigned)(rnd() % 65536), h ? h : names[rnd() % 8], h ? "" : "", h ? 0 : (unsigned)(rnd() % 1000),
			h ? "" : zones[rnd() % 8]);
		break;
	case 2:
		fprintf(f, ",\"tx_id\":0,\"http\":{\"hostname\":\"%s\",\"url\":\"\\/debian\\/pool\\/main\\/p\\/pkg%u.deb\","
			"\"http_user_agent\":\"Debian APT-HTTP\\/1.3 (1.4~beta3)\",\"http_content_type\":"
			"\"application\\/x-debian-package\",\"http_method\":\"GET\",\"protocol\":\"HTTP\\/1.1\","
			"\"status\":200,\"length\":%u}}\n", h ? h : "deb.debian.org", (unsigned)(rnd() % 10000),
			(unsigned)(rnd() % 2000000));
		break;
	case 3:
		fprintf(f, ",\"tls\":{\"subject\":\"C=US, ST=California, L=Mountain View, O=Google Inc, CN=www.google.com\","
			"\"issuerdn\":\"C=US, O=Google Inc, CN=Google Internet Authority G2\",\"fingerprint\":"
			"\"90:86:a4:3b:f5:cf:1b:2e:4e:f7:97:96:f9:de:ba:b9:66:35:86:%02x\",\"sni\":\"%s\",\"version\":\"TLS 1.2\","
			"\"notbefore\":\"2016-09-14T08:20:40\",\"notafter\":\"2016-12-07T08:19:00\"}}\n",
			(unsigned)(rnd() % 256), h ? h : "www.google.com");
		break;
	case 4:
		fprintf(f, ",\"http\":{\"hostname\":\"deb.debian.org\",\"url\":\"\\/debian\\/pool\\/main\\/p\\/perl\\/perl.deb\","
			"\"http_method\":\"GET\",\"protocol\":\"HTTP\\/1.1\",\"status\":200,\"length\":105175},"
			"\"app_proto\":\"http\",\"fileinfo\":{\"filename\":\"\\/debian\\/pool\\/main\\/p\\/perl\\/perl.deb\","
			"\"state\":\"CLOSED\",\"stored\":false,\"md5\":\"%016" PRIx64 "%016" PRIx64 "\",\"size\":919,\"tx_id\":0}}\n",
			rnd(), rnd());
		break;
	default:
		fprintf(f, ",\"flow\":{\"pkts_toserver\":%u,\"pkts_toclient\":%u,\"bytes_toserver\":%u,\"bytes_toclient\":%u,"
			"\"start\":\"%s.000000+0000\",\"end\":\"%s.100000+0000\",\"age\":2,\"state\":\"closed\",\"reason\":\"timeout\"},"
			"\"tcp\":{\"tcp_flags\":\"1b\",\"tcp_flags_ts\":\"1b\",\"tcp_flags_tc\":\"1b\"}}\n",
			(unsigned)(rnd() % 5000), (unsigned)(rnd() % 9000), (unsigned)(rnd() % 300000),
			(unsigned)(rnd() % 10000000), tsb, tsb);
	}
}

int main(int argc, char **argv)
{
	FILE *f;
	double mb, ts = 1521911720.0;
	long every, line = 0;
	const char *mode;

	if (argc != 6) {
		fprintf(stderr, "usage: gen_logs conn|dns|eve MEGABYTES PLANT EVERY OUT\n");
		return 2;
	}
	mode = argv[1];
	mb = atof(argv[2]);
	load_plant(argv[3]);
	every = atol(argv[4]);
	f = fopen(argv[5], "w");
	if (!f) {
		perror(argv[5]);
		return 1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	if (!strcmp(mode, "conn") || !strcmp(mode, "dns")) {
		bool conn = !strcmp(mode, "conn");

		fprintf(f, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t%s\n"
			"#open\t2024-04-12-19-29-12\n", mode);
		if (conn)
			fputs("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
			      "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
			      "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
			      "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
			      "string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n", f);
		else
			fputs("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\t"
			      "qclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\t"
			      "TTLs\trejected\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\t"
			      "count\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\t"
			      "vector[interval]\tbool\n", f);
	}
	while (ftell(f) < (long)(mb * 1048576)) {
		for (int i = 0; i < 1000; i++) {
			bool hit = every > 0 && ++line % every == 0;

			ts += (double)(rnd() % 2000) / 1e6;
			if (!strcmp(mode, "conn"))
				gen_conn(f, ts, hit);
			else if (!strcmp(mode, "dns"))
				gen_dns(f, ts, hit);
			else
				gen_eve(f, ts, hit);
		}
	}
	fclose(f);
	return 0;
}
