/*
 * match.c — `cybercell match`: compile the indicators of a bundle or a
 * store collection, scan logs (whole, or followed as they grow), print
 * hits, write or store sightings.  Loading is in match_in.c, output in
 * match_out.c.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/match_int.h"
#include "util/file.h"
#include "util/time.h"

const char cmd_match_usage[] =
	"usage: cybercell match [--collection NAME | --indicators FILE]\n"
	"                       [--format auto|zeek|zeek-json|eve|ecs|csv|text]\n"
	"                       [--map COLUMN=OBJECT_PATH]... [--sightings FILE | --store-sightings]\n"
	"                       [--org NAME] [--threads N] [--retro] [--min-score S]\n"
	"                       [--no-warninglists] [--warninglist FILE]...\n"
	"                       [--follow [--flush SECONDS]] [--json] [--stats] LOG...\n"
	"\n"
	"Scan logs with the STIX-patterned indicators of a bundle (--indicators) or\n"
	"of a store collection (--collection; the default collection when neither is\n"
	"given).  LOG may be '-' for stdin; .gz is read transparently.\n"
	"\n"
	"  --collection NAME    indicators from this store collection\n"
	"  --indicators FILE    indicators from a STIX bundle file\n"
	"  --format F           log format (default auto: decided from the content)\n"
	"  --map COL=PATH       CSV column COL holds STIX object path PATH\n"
	"                       (e.g. src=ipv4-addr:value; PATH 'time' for the time)\n"
	"  --sightings FILE     write a STIX 2.1 bundle of sightings to FILE\n"
	"  --store-sightings    store the sightings in the collection\n"
	"  --org NAME           the scanning organisation (store org) for\n"
	"                       where_sighted_refs; else a local identity is made\n"
	"  --threads N          scan each file with N threads (default 1)\n"
	"  --retro              retro-hunt: ignore the indicators' validity windows\n"
	"  --min-score S        skip indicators whose score (0-100: confidence,\n"
	"                       decayed with age, sightings, opinions) is below S\n"
	"  --no-warninglists    keep values on warning lists and too broad ones\n"
	"  --warninglist FILE   also use this MISP warning list (repeatable)\n"
	"  --follow             read LOG as it grows (stdin: as it arrives), like\n"
	"                       tail -F, until stdin ends or a signal (INT, TERM)\n"
	"  --flush SECONDS      with --follow: write or store the sightings every\n"
	"                       SECONDS (default 60) and at the end\n"
	"  --json               one JSON object per hit on stdout\n"
	"  --stats              timings and counts on stderr at the end\n"
	"\n"
	"Exit status: 0 scanned (hits or not), 1 a log could not be read or its\n"
	"format not determined, or the indicators could not be loaded, 2 bad usage.\n";

enum { O_COLL = 1, O_IND, O_FMT, O_MAP, O_SIGHT, O_STORE, O_ORG, O_THREADS, O_JSON, O_STATS,
       O_RETRO, O_MINSCORE, O_NOWL, O_WL, O_FOLLOW, O_FLUSH };

static const struct option longopts[] = {
	{ "collection", required_argument, NULL, O_COLL },
	{ "indicators", required_argument, NULL, O_IND },
	{ "format", required_argument, NULL, O_FMT },
	{ "map", required_argument, NULL, O_MAP },
	{ "sightings", required_argument, NULL, O_SIGHT },
	{ "store-sightings", no_argument, NULL, O_STORE },
	{ "org", required_argument, NULL, O_ORG },
	{ "threads", required_argument, NULL, O_THREADS },
	{ "json", no_argument, NULL, O_JSON },
	{ "stats", no_argument, NULL, O_STATS },
	{ "retro", no_argument, NULL, O_RETRO },
	{ "min-score", required_argument, NULL, O_MINSCORE },
	{ "no-warninglists", no_argument, NULL, O_NOWL },
	{ "warninglist", required_argument, NULL, O_WL },
	{ "follow", no_argument, NULL, O_FOLLOW },
	{ "flush", required_argument, NULL, O_FLUSH },
	{ NULL, 0, NULL, 0 },
};

#define MAX_MAPS 64

typedef struct match_args {
	const char *coll, *ind;
	match_opts o;
	match_colmap maps[MAX_MAPS];
	size_t n_maps;
	const char *wl_files[16];
	size_t n_wl;
	bool no_wl, follow;
	long long flush_s;
} match_args;

static int parse_map(match_args *a, char *arg)
{
	char *eq = strchr(arg, '=');
	cc_err e = { 0 };

	if (!eq || a->n_maps == MAX_MAPS)
		return cmd_usage_error("match", "--map: expected COLUMN=OBJECT_PATH, got '%s'", arg);
	*eq = '\0';
	a->maps[a->n_maps].column = arg;
	a->maps[a->n_maps].path = eq + 1;
	if (!match_colmap_check(&a->maps[a->n_maps], &e))
		return cmd_usage_error("match", "%s", e.msg);
	a->n_maps++;
	return 0;
}

/* One option; 0, or 2 after a usage error. */
static int take_opt(int opt, match_args *a, match_cli *c)
{
	long long n;

	switch (opt) {
	case O_COLL: a->coll = optarg; return 0;
	case O_IND: a->ind = optarg; return 0;
	case O_SIGHT: c->sight_path = optarg; return 0;
	case O_STORE: c->store_s = true; return 0;
	case O_ORG: c->org = optarg; return 0;
	case O_JSON: c->json = true; return 0;
	case O_STATS: c->stats = true; return 0;
	case O_RETRO: a->o.retro = true; return 0;
	case O_NOWL: a->no_wl = true; return 0;
	case O_FOLLOW: a->follow = true; return 0;
	case O_MAP: return parse_map(a, optarg);
	case O_FMT:
		if (!match_format_parse(optarg, &a->o.format))
			return cmd_usage_error("match", "--format: unknown format '%s'", optarg);
		return 0;
	case O_THREADS:
		if (!cmd_parse_long("match", "--threads", optarg, 1, 64, &n))
			return 2;
		a->o.threads = (int)n;
		return 0;
	case O_MINSCORE:
		if (!cmd_parse_long("match", "--min-score", optarg, 0, 100, &n))
			return 2;
		c->min_score = (double)n;
		return 0;
	case O_FLUSH:
		return cmd_parse_long("match", "--flush", optarg, 1, 86400, &a->flush_s) ? 0 : 2;
	case O_WL:
		if (a->n_wl == sizeof(a->wl_files) / sizeof(a->wl_files[0]))
			return cmd_usage_error("match", "--warninglist: at most 16");
		a->wl_files[a->n_wl++] = optarg;
		return 0;
	default:        /* reported by cmd_getopt */
		return 2;
	}
}

static int parse_args(int argc, char **argv, match_args *a, match_cli *c)
{
	int opt, rc;

	cmd_getopt_reset();
	while ((opt = cmd_getopt("match", argc, argv, "", longopts)) != -1)
		if ((rc = take_opt(opt, a, c)) != 0)
			return rc;
	if (optind >= argc)
		return cmd_usage_error("match", "no LOG given");
	if (a->coll && a->ind)
		return cmd_usage_error("match", "--collection and --indicators exclude each other");
	if (c->sight_path && c->store_s)
		return cmd_usage_error("match", "--sightings and --store-sightings exclude each other");
	if (a->follow && argc - optind != 1)
		return cmd_usage_error("match", "--follow takes one LOG");
	if (a->flush_s && !a->follow)
		return cmd_usage_error("match", "--flush goes with --follow");
	if (a->follow && c->sight_path && !strcmp(c->sight_path, "-"))
		return cmd_usage_error("match", "--follow writes sightings to a file, not '-'");
	return 0;
}

/* CPU seconds of the process so far (user and system, every thread), in
 * microseconds: --stats gives the scan's, which a busy machine does not
 * inflate as it does the wall time. */
static int64_t cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void print_stats(const match_cli *c, const match_totals *tot, int64_t t0, int64_t t1,
			int64_t t2, int64_t scan_cpu)
{
	match_stats st;

	match_get_stats(c->m, &st);
	fprintf(stderr, "stats: indicators=%zu skipped=%zu exact_ip=%zu exact_str=%zu regex_hs=%zu "
		"regex_pcre=%zu general=%zu warninglisted=%zu index_bytes=%zu string_bytes=%zu "
		"load_compile_s=%.3f scan_s=%.3f scan_cpu_s=%.3f bytes=%llu lines=%llu events=%llu hits=%llu "
		"merged=%llu suppressed=%llu malformed=%llu MBps=%.1f\n",
		st.indicators, st.skipped, st.exact_ip, st.exact_str, st.regex_hs, st.regex_pcre,
		st.general, st.filtered, st.bytes - st.strings, st.strings, (double)(t1 - t0) / 1e6,
		(double)(t2 - t1) / 1e6, (double)scan_cpu / 1e6, (unsigned long long)tot->bytes,
		(unsigned long long)tot->lines,
		(unsigned long long)tot->events, (unsigned long long)tot->hits,
		(unsigned long long)tot->merged, (unsigned long long)tot->suppressed,
		(unsigned long long)tot->malformed,
		t2 > t1 ? (double)tot->bytes / ((double)(t2 - t1) / 1e6) / 1e6 : 0.0);
}

/* Set by SIGINT/SIGTERM while following: the one global a signal handler
 * needs; everything else is in the command's context. */
static volatile sig_atomic_t follow_stop;

static void on_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

static void flush_tick(void *ud)
{
	match_cli *c = ud;
	cc_err e = { 0 };

	if ((c->sight_path || c->store_s) && mcli_sightings(c, true, &e) < 0)
		fprintf(stderr, "cybercell: match: %s\n", e.msg);
	fflush(stdout);
}

/* --follow: one log as it grows; sightings flushed every flush_s. */
static int follow(match_cli *c, const matcher *m, match_args *a, const char *log)
{
	match_follow_opts fo = { 0 };
	struct sigaction sa;
	cc_err e = { 0 };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);       /* a hit as soon as its line */
	fo.tick_s = (int)(a->flush_s ? a->flush_s : 60);
	fo.on_tick = flush_tick;
	fo.tick_ud = c;
	fo.stop = &follow_stop;
	if (match_follow(m, c->run, log, &a->o, &fo, &e) < 0) {
		fprintf(stderr, "cybercell: match: %s\n", e.msg);
		return 1;
	}
	return 0;
}

/* Scan every log; 1 when one could not be scanned. */
static int scan_all(match_cli *c, const matcher *m, match_args *a, int argc, char **argv)
{
	int status = 0;

	if (a->follow)
		return follow(c, m, a, argv[optind]);
	for (int i = optind; i < argc; i++) {
		cc_err fe = { 0 };
		match_totals before, after;

		c->progress_file = cc_file_display(argv[i]);
		match_run_totals(c->run, &before);
		if (match_scan_file(m, c->run, argv[i], &a->o, &fe) < 0) {
			fprintf(stderr, "cybercell: match: %s\n", fe.msg);
			status = 1;
			continue;
		}
		match_run_totals(c->run, &after);
		mcli_check_fields(c, argv[i], &before, &after);
	}
	return status;
}

/* Open the store when something needs it: indicators from a collection,
 * sightings into it, an org, or the warning lists kept there (only when
 * the file exists: a scan of a bundle creates no store). */
static int open_store(match_cli *c, const match_args *a, const cc_cli *cli, cc_err *e)
{
	bool need = !a->ind || c->store_s || c->org;

	if (!need && (a->no_wl || access(cli->db_path, F_OK) != 0))
		return 0;
	return store_open(cli->db_path, &c->s, e);
}

static int prepare(match_cli *c, matcher *m, match_args *a, const cc_cli *cli, cc_err *e)
{
	int rc = open_store(c, a, cli, e);

	if (rc == 0)
		rc = mcli_setup_filters(c, m, a->wl_files, a->n_wl, a->no_wl, e);
	if (rc == 0)
		rc = mcli_load(c, m, a->ind, a->coll, e);
	if (rc == 0 && c->store_s && !c->coll_id) {
		store_collection sc = { 0 };

		rc = store_collection_get(c->s, a->coll ? a->coll : STORE_DEFAULT_COLLECTION, &sc, e);
		c->coll_id = sc.id;
		store_collection_clear(&sc);
	}
	if (rc == 0)
		rc = match_compile(m, e);
	if (rc == 0) {
		c->m = m;
		mcli_report_skips(c);
		c->run = match_run_new(m);
		if (!c->run)
			rc = cc_err_set(e, CC_ENOMEM, "match: out of memory");
	}
	return rc;
}

static void set_callbacks(match_cli *c, match_args *a, int64_t t0)
{
	a->o.maps = a->maps;
	a->o.n_maps = a->n_maps;
	a->o.on_hit = mcli_print_hit;
	a->o.hit_ud = c;
	a->o.on_bad = mcli_print_bad;
	a->o.bad_ud = c;
	a->o.on_file = mcli_note_format;
	a->o.file_ud = c;
	c->progress = isatty(STDERR_FILENO) && !a->follow;
	if (c->progress) {
		match_stats st;

		match_get_stats(c->m, &st);
		fprintf(stderr, "cybercell: match: %zu indicators (%zu address, %zu string, %zu regex, "
			"%zu general; %zu skipped) compiled in %.2f s\n", st.indicators, st.exact_ip,
			st.exact_str, st.regex_hs + st.regex_pcre, st.general, st.skipped,
			(double)(cc_mono_us() - t0) / 1e6);
		a->o.on_progress = mcli_print_progress;
		a->o.progress_ud = c;
	}
}

static void report_end(const match_cli *c, const match_totals *tot)
{
	if (tot->malformed > 5)
		fprintf(stderr, "cybercell: match: %llu malformed lines in all (first 5 shown)\n",
			(unsigned long long)tot->malformed);
	if (tot->suppressed)
		fprintf(stderr, "cybercell: match: %llu hit%s on warning-listed values not reported\n",
			(unsigned long long)tot->suppressed, tot->suppressed == 1 ? "" : "s");
	if (c->progress)
		fprintf(stderr, "cybercell: match: %llu lines, %llu events, %llu hits, %llu malformed\n",
			(unsigned long long)tot->lines, (unsigned long long)tot->events,
			(unsigned long long)tot->hits, (unsigned long long)tot->malformed);
}

int cmd_match(int argc, char **argv, const cc_cli *cli)
{
	match_args a;
	match_cli c;
	matcher *m = NULL;
	cc_err e = { 0 };
	int rc, status = 0;
	int64_t t0, t1, t2, c1;
	match_totals tot;

	memset(&a, 0, sizeof(a));
	memset(&c, 0, sizeof(c));
	a.o.threads = 1;
	c.min_score = -1;
	rc = parse_args(argc, argv, &a, &c);
	if (rc)
		return rc;
	m = match_new();
	if (!m)
		return cmd_fail(&(cc_err){ CC_ENOMEM, "match: out of memory" });
	t0 = cc_mono_us();
	rc = prepare(&c, m, &a, cli, &e);
	if (rc < 0)
		goto fail;
	t1 = cc_mono_us();
	c1 = cpu_us();
	set_callbacks(&c, &a, t0);
	status = scan_all(&c, m, &a, argc, argv);
	match_run_finish(m, c.run, &a.o);
	t2 = cc_mono_us();
	match_run_totals(c.run, &tot);
	if (c.stats)
		print_stats(&c, &tot, t0, t1, t2, cpu_us() - c1);
	report_end(&c, &tot);
	if ((c.sight_path || c.store_s) && mcli_sightings(&c, a.follow, &e) < 0)
		goto fail;
	goto out;
fail:
	status = cmd_fail(&e);
out:
	json_decref(c.local_id);
	match_run_free(c.run);
	match_free(m);
	an_wlset_free(c.wl);
	an_evidence_free(c.ev);
	store_close(c.s);
	return status;
}
