/*
 * serve.c — `cybercell serve`: run the TAXII 2.1 server on the store.
 */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "cmd/wargame_int.h"
#include "store/store.h"
#include "sync/sync.h"
#include "taxii/taxii.h"
#include "ui/ui.h"
#include "util/file.h"

#define STR_(x) #x
#define STR(x) STR_(x)

const char cmd_serve_usage[] =
	"usage: cybercell serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
	"                       [--insecure-http] [--threads N] [--max-content-length BYTES]\n"
	"                       [--api-root NAME] [--status-ttl SECONDS] [--no-audit]\n"
	"                       [--sync-every SECONDS]\n"
	"                       [--no-ui] [--ui-idle-timeout SECS] [--wargame-models DIR]\n"
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
	"  --no-audit                 write no audit trail (then restricted collections\n"
	"                             open to nobody)\n"
	"  --sync-every SECONDS       run `cybercell sync` (every link of every peer)\n"
	"                             in the server, a pass every SECONDS; what moved\n"
	"                             goes to stderr with the access log\n"
	"\n"
	"The analysts' web interface is at /ui/ on the same port (docs/ui.md):\n"
	"  --no-ui                    do not serve it\n"
	"  --ui-idle-timeout SECS     a session ends after SECS without a request\n"
	"                             (default " STR(UI_DEFAULT_IDLE) ")\n"
	"  --wargame-models DIR       war-game models of each organisation, as\n"
	"                             DIR/ORGANISATION/NAME.yaml (default: none)\n"
	"\n"
	"Prints 'listening on URL' on stdout when ready; one access-log line per\n"
	"request on stderr: time address method \"path\" status bytes duration user,\n"
	"with what the client sent escaped (\\xHH).  Every request is also an entry of\n"
	"the audit trail (DB.audit, or --audit FILE), its checkpoints signed with the\n"
	"hub's key (DB.audit-key, made here the first time unless 'audit init' did).\n"
	"\n"
	"Limits (what one client gets before it is refused or cut off):\n"
	"  --max-connections N        open connections in all (default "
	STR(TAXII_DEFAULT_CONN_TOTAL) ")\n"
	"  --max-connections-per-address N\n"
	"                             open connections per client address (default "
	STR(TAXII_DEFAULT_CONN_PER_ADDR) ")\n"
	"  --header-timeout SECS      the request headers (TLS handshake included) must\n"
	"                             be in within SECS of the connection's start or of\n"
	"                             its previous request's end (default "
	STR(TAXII_DEFAULT_HEADER_TIMEOUT) ")\n"
	"  --body-min-rate BYTES      after that grace again, a request body must keep\n"
	"                             up BYTES per second on average (default "
	STR(TAXII_DEFAULT_BODY_MIN_RATE) ";\n"
	"                             0: no minimum)\n"
	"  --login-failures N         failed logins of one user name from one address\n"
	"                             before each try waits (default "
	STR(TAXII_DEFAULT_LOGIN_FAILURES) "; per address\n"
	"                             and per name over all addresses: 4 x N)\n"
	"  --login-backoff SECS       the first wait, doubled at each failure\n"
	"                             (default " STR(TAXII_DEFAULT_LOGIN_BACKOFF) ")\n"
	"  --login-backoff-max SECS   the longest wait (default "
	STR(TAXII_DEFAULT_LOGIN_BACKOFF_MAX) ")\n"
	"  --auth-queue N             new logins waiting for a password check at most;\n"
	"                             more get 503 (default " STR(TAXII_DEFAULT_AUTH_QUEUE) ")\n"
	"  --auth-threads N           threads that check passwords (argon2id, 64 MiB\n"
	"                             each; default " STR(TAXII_DEFAULT_AUTH_THREADS) ", at most 8)\n"
	"  --tls-priorities STRING    GnuTLS priority string (default: TLS 1.2 and 1.3,\n"
	"                             ECDHE key exchange, AEAD ciphers only)\n";

/* The sync passes a server runs (--sync-every), on a thread of their own
 * with a store handle of their own. */
typedef struct serve_sync {
	const char *db_path;
	unsigned every;                    /* seconds between passes; 0 = none */
	atomic_bool stop;
	pthread_t th;
	bool running;
	bool ui;                           /* the web interface is served (its line when ready) */
} serve_sync;

static void *sync_thread(void *arg)
{
	serve_sync *ss = arg;
	cmd_sync_out out = { false, stderr, "sync: ", "sync: " };
	sync_pass_opts o = { 0 };
	store *s = NULL;
	cc_err e = { 0 };

	if (store_open(ss->db_path, &s, &e) != 0) {
		fprintf(stderr, "sync: %s\n", e.msg);
		return NULL;
	}
	o.s = s;
	cmd_sync_report(&o, &out);
	o.stop = &ss->stop;
	while (!atomic_load(&ss->stop)) {
		if (sync_pass(&o, &e) != 0 && e.code != CC_ERR)
			fprintf(stderr, "sync: %s\n", e.msg);
		for (unsigned t = 0; t < ss->every * 10 && !atomic_load(&ss->stop); t++)
			nanosleep(&(struct timespec){ 0, 100000000L }, NULL);
	}
	store_close(s);
	return NULL;
}

static void on_ready(const char *url, const char *fp, const char *cert, void *ud)
{
	serve_sync *ss = ud;
	cc_buf pem = CC_BUF_INIT;
	char pin[SYNC_PIN_MAX];
	size_t n = strlen(url);
	cc_err e;

	if (fp && cc_file_read_all(cert, &pem, &e) == 0 &&
	    sync_pem_pin(pem.data, pem.len, pin, &e) == 0)
		printf("certificate %s\nsha256 fingerprint %s\npublic key pin %s\n", cert, fp, pin);
	else if (fp)
		printf("certificate %s\nsha256 fingerprint %s\n", cert, fp);
	cc_buf_free(&pem);
	if (ss->ui && n > 8)	/* url ends in /taxii2/ */
		printf("web interface on %.*s/ui/\n", (int)(n - 8), url);
	printf("listening on %s\n", url);
	fflush(stdout);
	/* started here, after the server blocked SIGINT and SIGTERM for its
	 * threads, so that the signals reach the server */
	if (ss->every && pthread_create(&ss->th, NULL, sync_thread, ss) == 0)
		ss->running = true;
	else if (ss->every)
		fputs("cybercell: serve: cannot start the sync thread\n", stderr);
}

/* A failed append of the audit writer. */
static void on_audit_error(const char *msg, void *ud)
{
	(void)ud;
	fprintf(stderr, "cybercell: serve: %s\n", msg);
}

/* The hub's key: loaded, or made the first time (like the TLS
 * certificate); its public file must match it. */
static int hub_key(const cc_cli *cli, audit_key *k, cc_err *e)
{
	char pub[4200];
	audit_key p;
	int rc = audit_key_load_secret(cli->audit_key, k, e);

	snprintf(pub, sizeof(pub), "%s.pub", cli->audit_key);
	if (rc == CC_ENOTFOUND) {
		audit_key_generate(k);
		rc = audit_key_save_secret(cli->audit_key, k, e);
		if (rc == 0)
			printf("audit key %s made (mode 0600); keep a copy of %s away from the hub\n",
			       cli->audit_key, pub);
	}
	if (rc)
		return rc;
	rc = audit_key_load_public(pub, &p, e);
	if (rc == CC_ENOTFOUND)
		return audit_key_save_public(pub, k, e);
	if (rc == 0 && memcmp(p.pk, k->pk, sizeof(p.pk)) != 0)
		rc = cc_err_set(e, CC_ERR, "serve: %s is not the public half of %s", pub,
				cli->audit_key);
	return rc;
}

/* An entry of the server's own (start, stop) on the trail, durable. */
static int serve_note(audit_writer *w, const char *action, int argc, char **argv,
		      int exit_code)
{
	audit_entry en = { 0 };
	char actor[300];

	cmd_actor(actor, sizeof(actor));
	audit_set(&en.actor, actor);
	audit_set(&en.action, action);
	for (int i = 1; i < argc; i++)
		audit_list_add(&en.args, argv[i]);
	en.has_exit = exit_code >= 0;
	en.exit_code = exit_code;
	return audit_writer_add(w, &en, true, NULL, NULL);
}

/* Serve o, with the audit trail unless no_audit. */
static int serve_audited(const cc_cli *cli, taxii_serve_opts *o, bool no_audit, int argc,
			 char **argv)
{
	audit_writer_opts wo = { 0 };
	audit_writer *w = NULL;
	audit_key k;
	cc_err e;
	int rc;

	if (no_audit) {
		fprintf(stderr, "cybercell: serve: WARNING: --no-audit: requests are not recorded; "
			"restricted collections open to nobody\n");
		rc = taxii_serve(o, &e);
		goto out;
	}
	rc = hub_key(cli, &k, &e);
	wo.path = cli->audit_path;
	wo.key = &k;
	wo.on_error = on_audit_error;
	if (rc == 0)
		rc = audit_writer_start(&wo, &w, &e);
	if (rc == 0 && (rc = serve_note(w, "serve start", argc, argv, -1)) != 0)
		cc_err_set(&e, rc, "serve: the audit trail %s cannot be written", cli->audit_path);
	o->audit = w;
	o->cfg.hub_pk = k.pk;
	if (rc == 0) {
		rc = taxii_serve(o, &e);
		serve_note(w, "serve stop", argc, argv, rc ? 1 : 0);
	}
	audit_writer_stop(w);
	audit_key_wipe(&k);
out:
	if (rc) {
		cmd_fail(&e);
		return e.code == CC_EUSAGE ? 2 : 1;
	}
	return 0;
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

/* The numeric limit options: one of the table below. */
typedef struct limit_opt {
	int c;                             /* its getopt code */
	const char *name;                  /* for errors */
	long long min, max;                /* its range */
	size_t off;                        /* the taxii_limits field */
} limit_opt;

#define LIM(c, name, min, max, field) { c, name, min, max, offsetof(taxii_limits, field) }

static const limit_opt limit_opts[] = {
	LIM('C', "--max-connections", 16, 1000000, conn_total),
	LIM('P', "--max-connections-per-address", 1, 1000000, conn_per_addr),
	LIM('H', "--header-timeout", 1, 3600, header_timeout),
	LIM('R', "--body-min-rate", 0, 1LL << 30, body_min_rate),
	LIM('F', "--login-failures", 1, 1000000, login_failures),
	LIM('B', "--login-backoff", 1, 86400, login_backoff),
	LIM('M', "--login-backoff-max", 1, 7 * 86400, login_backoff_max),
	LIM('Q', "--auth-queue", 1, 100000, auth_queue),
	LIM('T', "--auth-threads", 1, 8, auth_threads),
};

/* Set the limit of option c (one of limit_opts) from arg: 0, or 2 with a
 * usage error printed when arg is out of its range. */
static int limit_option(int c, const char *arg, taxii_limits *l)
{
	long long v;

	for (size_t i = 0; i < sizeof(limit_opts) / sizeof(limit_opts[0]); i++) {
		const limit_opt *lo = &limit_opts[i];

		if (lo->c != c)
			continue;
		if (!cmd_parse_long("serve", lo->name, arg, lo->min, lo->max, &v))
			return 2;
		if (c == 'R' && v == 0)
			v = UINT_MAX;	/* no minimum (0 is "the default" in taxii_limits) */
		*(unsigned *)((char *)l + lo->off) = (unsigned)v;
		return 0;
	}
	return 2;
}

int cmd_serve(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "max-connections", required_argument, NULL, 'C' },
		{ "max-connections-per-address", required_argument, NULL, 'P' },
		{ "header-timeout", required_argument, NULL, 'H' },
		{ "body-min-rate", required_argument, NULL, 'R' },
		{ "login-failures", required_argument, NULL, 'F' },
		{ "login-backoff", required_argument, NULL, 'B' },
		{ "login-backoff-max", required_argument, NULL, 'M' },
		{ "auth-queue", required_argument, NULL, 'Q' },
		{ "auth-threads", required_argument, NULL, 'T' },
		{ "tls-priorities", required_argument, NULL, 'p' },
		{ "listen", required_argument, NULL, 'l' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "insecure-http", no_argument, NULL, 'i' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-content-length", required_argument, NULL, 'm' },
		{ "api-root", required_argument, NULL, 'a' },
		{ "status-ttl", required_argument, NULL, 's' },
		{ "no-audit", no_argument, NULL, 'n' },
		{ "sync-every", required_argument, NULL, 'S' },
		{ "no-ui", no_argument, NULL, 'U' },
		{ "ui-idle-timeout", required_argument, NULL, 'I' },
		{ "wargame-models", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	serve_sync ss = { .db_path = cli->db_path };
	char rules[4200];
	ui_config uc = { .rules_dir = wg_default_rules_dir(rules, sizeof(rules)) };
	taxii_app app;
	ui_ctx *ui = NULL;
	bool no_ui = false;
	taxii_serve_opts o;
	bool no_audit = false;
	long long v;
	int c, rc;

	memset(&o, 0, sizeof(o));
	o.db_path = cli->db_path;
	o.listen = "127.0.0.1:6443";
	o.threads = 2;
	o.cfg.api_root = TAXII_DEFAULT_API_ROOT;
	o.cfg.max_content_length = TAXII_DEFAULT_MAX_CONTENT;
	o.on_ready = on_ready;
	o.ud = &ss;
	cmd_getopt_reset();
	while ((c = cmd_getopt("serve", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'l': o.listen = optarg; break;
		case 'C': case 'P': case 'H': case 'R': case 'F': case 'B': case 'M': case 'Q':
		case 'T':
			if (limit_option(c, optarg, &o.limits) != 0)
				return 2;
			break;
		case 'p': o.limits.tls_priorities = optarg; break;
		case 'c': o.cert_file = optarg; break;
		case 'k': o.key_file = optarg; break;
		case 'i': o.insecure_http = true; break;
		case 'n': no_audit = true; break;
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
		case 'S':
			if (!cmd_parse_long("serve", "--sync-every", optarg, 1, 7 * 86400, &v))
				return 2;
			ss.every = (unsigned)v;
			break;
		case 'U': no_ui = true; break;
		case 'W': uc.models_dir = optarg; break;
		case 'I':
			if (!cmd_parse_long("serve", "--ui-idle-timeout", optarg, 1, 7 * 86400, &v))
				return 2;
			uc.idle_timeout_s = (unsigned)v;
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
	if (o.limits.login_backoff_max && o.limits.login_backoff > o.limits.login_backoff_max)
		return cmd_usage_error("serve", "--login-backoff is longer than --login-backoff-max");
	if (!o.cert_file != !o.key_file)
		return cmd_usage_error("serve", "--tls-cert and --tls-key go together");
	if (o.insecure_http && o.cert_file)
		return cmd_usage_error("serve", "--insecure-http and --tls-cert exclude each other");
	if (o.insecure_http)
		fprintf(stderr,
			"cybercell: serve: WARNING: --insecure-http: passwords and intelligence travel\n"
			"cybercell: serve: WARNING: in clear text; use this only for local testing\n");
	if (!no_ui && !(ui = ui_new(&uc)))
		return cmd_fail(&(cc_err){ CC_ENOMEM, "serve: out of memory" });
	if (ui) {
		ui_app(ui, &app);
		o.app = &app;
		ss.ui = true;
	}
	rc = serve_audited(cli, &o, no_audit, argc, argv);
	if (ss.running) {
		atomic_store(&ss.stop, true);
		pthread_join(ss.th, NULL);
	}
	ui_free(ui);
	return rc;
}
