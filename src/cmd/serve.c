/*
 * serve.c — `cybercell serve`: run the TAXII 2.1 server on the store.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "taxii/taxii.h"

const char cmd_serve_usage[] =
	"usage: cybercell serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
	"                       [--insecure-http] [--threads N] [--max-content-length BYTES]\n"
	"                       [--api-root NAME] [--status-ttl SECONDS]\n"
	"\n"
	"Serve the store over TAXII 2.1 (HTTPS, TLS 1.2 and 1.3 only) until SIGINT or\n"
	"SIGTERM.  Discovery is at /taxii2/, the API root at /NAME/.\n"
	"\n"
	"  --listen ADDR:PORT         address to listen on (default 127.0.0.1:6443;\n"
	"                             [::1]:PORT for IPv6; port 0 picks a free port)\n"
	"  --tls-cert FILE            PEM certificate (with --tls-key); without them a\n"
	"  --tls-key FILE             self-signed one is made once and kept next to the\n"
	"                             store as DB.tls-cert.pem and DB.tls-key.pem\n"
	"  --insecure-http            plain HTTP, allowed only on a loopback address\n"
	"  --threads N                worker threads (default 2)\n"
	"  --max-content-length BYTES largest request body accepted (default 16777216)\n"
	"  --api-root NAME            name of the API root (default api1)\n"
	"  --status-ttl SECONDS       how long a POST's status resource is kept\n"
	"                             (default 86400, one day)\n"
	"\n"
	"Prints 'listening on URL' on stdout when ready; one access-log line per\n"
	"request on stderr: time method path status bytes duration user.\n";

static void on_ready(const char *url, const char *fp, const char *cert, void *ud)
{
	(void)ud;
	if (fp)
		printf("certificate %s\nsha256 fingerprint %s\n", cert, fp);
	printf("listening on %s\n", url);
	fflush(stdout);
}

static bool api_root_ok(const char *s)
{
	size_t i;

	if (!*s || strlen(s) > 64 || strcmp(s, "taxii2") == 0)
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

int cmd_serve(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "insecure-http", no_argument, NULL, 'i' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-content-length", required_argument, NULL, 'm' },
		{ "api-root", required_argument, NULL, 'a' },
		{ "status-ttl", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	taxii_serve_opts o;
	long long v;
	cc_err e;
	int c;

	memset(&o, 0, sizeof(o));
	o.db_path = cli->db_path;
	o.listen = "127.0.0.1:6443";
	o.threads = 2;
	o.cfg.api_root = TAXII_DEFAULT_API_ROOT;
	o.cfg.max_content_length = TAXII_DEFAULT_MAX_CONTENT;
	o.on_ready = on_ready;
	cmd_getopt_reset();
	while ((c = cmd_getopt("serve", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'l': o.listen = optarg; break;
		case 'c': o.cert_file = optarg; break;
		case 'k': o.key_file = optarg; break;
		case 'i': o.insecure_http = true; break;
		case 't':
			if (!cmd_parse_long("serve", "--threads", optarg, 1, 64, &v))
				return 2;
			o.threads = (unsigned)v;
			break;
		case 'm':
			if (!cmd_parse_long("serve", "--max-content-length", optarg, 1024,
					    1LL << 32, &v))
				return 2;
			o.cfg.max_content_length = (size_t)v;
			break;
		case 's':
			if (!cmd_parse_long("serve", "--status-ttl", optarg, 1, 365LL * 86400, &v))
				return 2;
			o.cfg.status_ttl_s = (unsigned)v;
			break;
		case 'a':
			if (!api_root_ok(optarg))
				return cmd_usage_error("serve", "--api-root: '%s' is not a plain name",
						       optarg);
			o.cfg.api_root = optarg;
			break;
		default:        /* reported by cmd_getopt */
			return 2;
		}
	}
	if (optind < argc)
		return cmd_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (!o.cert_file != !o.key_file)
		return cmd_usage_error("serve", "--tls-cert and --tls-key go together");
	if (o.insecure_http && o.cert_file)
		return cmd_usage_error("serve", "--insecure-http and --tls-cert exclude each other");
	if (o.insecure_http)
		fprintf(stderr,
			"cybercell: serve: WARNING: --insecure-http: passwords and intelligence travel\n"
			"cybercell: serve: WARNING: in clear text; use this only for local testing\n");
	if (taxii_serve(&o, &e) != 0) {
		cmd_fail(&e);
		return e.code == CC_EUSAGE ? 2 : 1;
	}
	return 0;
}
