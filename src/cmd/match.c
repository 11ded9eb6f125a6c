/*
 * match.c — `cybercell match`: compile the indicators of a bundle or a
 * store collection, scan logs, print hits, write or store sightings.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "match/match.h"
#include "store/store.h"
#include "util/file.h"
#include "util/time.h"
#include "util/uuid.h"

const char cmd_match_usage[] =
	"usage: cybercell match [--collection NAME | --indicators FILE]\n"
	"                       [--format auto|zeek|zeek-json|eve|ecs|csv|text]\n"
	"                       [--map COLUMN=OBJECT_PATH]... [--sightings FILE | --store-sightings]\n"
	"                       [--org NAME] [--threads N] [--retro] [--json] [--stats] LOG...\n"
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
	"  --json               one JSON object per hit on stdout\n"
	"  --stats              timings and counts on stderr at the end\n"
	"\n"
	"Exit status: 0 scanned (hits or not), 1 a log could not be read or its\n"
	"format not determined, or the indicators could not be loaded, 2 bad usage.\n";

typedef struct match_cli {
	bool json;
	bool stats;             /* --stats */
	uint64_t bad_shown;
	bool progress;
	int64_t last_progress;
	const char *progress_file;
	const matcher *m;
	match_format fmt;       /* the format of the file being scanned */
} match_cli;

static void print_hit(void *ud, const match_hit *h)
{
	match_cli *c = ud;
	char ts[CC_TS_MAX] = "";

	if (h->ts_us != INT64_MIN)
		cc_ts_format(h->ts_us, 6, ts);
	if (c->json) {
		json_t *vals = json_array(), *o;
		char *s;

		for (size_t i = 0; i < h->n_values; i++)
			json_array_append_new(vals, json_pack("{s:s,s:s?}", "path", h->values[i].path,
							      "value", h->values[i].value));
		o = json_pack("{s:s,s:s,s:s,s:I,s:o,s:o}", "indicator", match_indicator_id(c->m, h->indicator),
			      "name", match_indicator_name(c->m, h->indicator), "file", h->file,
			      "line", (json_int_t)h->line, "time", ts[0] ? json_string(ts) : json_null(),
			      "matched", vals);
		if (o && h->retro)
			json_object_set_new(o, "retro", json_true());
		s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (s)
			puts(s);
		free(s);
		json_decref(o);
		return;
	}
	printf("%s:%llu: %s", h->file, (unsigned long long)h->line, match_indicator_id(c->m, h->indicator));
	if (*match_indicator_name(c->m, h->indicator))
		printf(" (%s)", match_indicator_name(c->m, h->indicator));
	printf("%s at %s:", h->retro ? " [retro]" : "", ts[0] ? ts : "-");
	for (size_t i = 0; i < h->n_values; i++)
		printf(" %s=%s", h->values[i].path, h->values[i].value);
	putchar('\n');
}

static void print_bad(void *ud, const char *file, uint64_t line, const char *why)
{
	match_cli *c = ud;

	if (c->bad_shown++ < 5)
		fprintf(stderr, "cybercell: match: %s:%llu: malformed line: %s\n", file,
			(unsigned long long)line, why);
}

static void print_progress(void *ud, uint64_t done, uint64_t total)
{
	match_cli *c = ud;
	int64_t now = cc_mono_us();

	if (now - c->last_progress < 250000 && done < total)
		return;
	c->last_progress = now;
	fprintf(stderr, "\r%s: %3.0f%% of %.1f MB", c->progress_file,
		total ? 100.0 * (double)done / (double)total : 100.0, (double)total / 1e6);
	if (done >= total)
		fputs("\033[K\r", stderr);
}

static void note_format(void *ud, const char *file, match_format fmt)
{
	(void)file;
	((match_cli *)ud)->fmt = fmt;
}

/* A log none of whose fields can reach an indicator (a format read as
 * another, or a log of another kind than the indicators are about) would
 * give no hit without a word: say so. */
static void check_fields(const match_cli *c, const char *file, const match_totals *before,
			 const match_totals *after)
{
	if (after->events > before->events && after->fields == before->fields)
		fprintf(stderr, "cybercell: match: %s: warning: no field of its %llu events maps to an "
			"object path of the indicators (read as %s): nothing in it can hit\n",
			cc_file_display(file), (unsigned long long)(after->events - before->events),
			match_format_name(c->fmt));
}

static void warn(void *ud, const char *msg)
{
	(void)ud;
	fprintf(stderr, "cybercell: match: skipping indicator: %s\n", msg);
}

typedef struct load_ctx {
	matcher *m;
	size_t nbad;
} load_ctx;

static int load_row(const store_row *row, void *ud)
{
	load_ctx *l = ud;
	cc_err e = { 0 };

	if (match_add_indicator_text(l->m, row->json, row->json_len, &e) < 0 && l->nbad++ < 5)
		warn(NULL, e.msg);
	return 0;
}

static int load_collection(store *s, matcher *m, const char *coll, int64_t *coll_id, cc_err *e)
{
	store_collection c = { 0 };
	const char *types[] = { "indicator" };
	store_query q = { 0 };
	load_ctx l = { m, 0 };
	int rc;

	rc = store_collection_get(s, coll, &c, e);
	if (rc < 0)
		return rc;
	*coll_id = c.id;
	store_collection_clear(&c);
	q.collection_id = *coll_id;
	q.types = types;
	q.n_types = 1;
	return store_query_run(s, &q, load_row, &l, NULL, e);
}

/* The identity of where the sightings were made. */
static int scan_identity(store *s, const char *org, char id[64], json_t **local, cc_err *e)
{
	char u[CC_UUID_STR], host[128] = "localhost", ts[CC_TS_MAX];

	*local = NULL;
	if (org) {
		store_org o = { 0 };
		int rc = store_org_get(s, org, &o, e);

		if (rc < 0)
			return rc;
		snprintf(id, 64, "%s", o.identity_id);
		store_org_clear(&o);
		return 0;
	}
	cc_uuid4(u);
	snprintf(id, 64, "identity--%s", u);
	gethostname(host, sizeof(host) - 1);
	cc_ts_format(cc_now_us(), 3, ts);
	*local = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "identity", "spec_version", "2.1",
			   "id", id, "created", ts, "modified", ts, "name", host,
			   "identity_class", "system");
	return 0;
}

static int write_sightings(const char *path, json_t *objs, cc_err *e)
{
	char u[CC_UUID_STR], id[64];
	json_t *b;
	char *s;
	int rc;

	cc_uuid4(u);
	snprintf(id, sizeof(id), "bundle--%s", u);
	b = json_pack("{s:s,s:s,s:O}", "type", "bundle", "id", id, "objects", objs);
	s = b ? json_dumps(b, JSON_INDENT(1)) : NULL;
	json_decref(b);
	if (!s)
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", path);
	if (!strcmp(path, "-")) {
		fputs(s, stdout);
		putchar('\n');
		rc = 0;
	} else {
		size_t n = strlen(s);

		s[n] = '\n';
		rc = cc_file_write_atomic(path, s, n + 1, e);
	}
	free(s);
	return rc;
}

static int store_sightings(store *s, int64_t coll_id, json_t *objs, cc_err *e)
{
	int rc = store_begin(s, e);

	for (size_t i = 0; rc == 0 && i < json_array_size(objs); i++)
		rc = store_put(s, coll_id, json_array_get(objs, i), 0, NULL, e);
	if (rc == 0)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}

enum { O_COLL = 1, O_IND, O_FMT, O_MAP, O_SIGHT, O_STORE, O_ORG, O_THREADS, O_JSON, O_STATS,
       O_RETRO };

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
	{ NULL, 0, NULL, 0 },
};

typedef struct match_args {
	const char *coll, *ind, *sight, *org;
	bool store_s;
	match_opts o;
	match_colmap maps[64];
	size_t n_maps;
} match_args;

static int parse_args(int argc, char **argv, match_args *a, match_cli *c)
{
	int opt;
	long long n;
	cc_err e = { 0 };

	cmd_getopt_reset();
	while ((opt = cmd_getopt("match", argc, argv, "", longopts)) != -1) {
		switch (opt) {
		case O_COLL: a->coll = optarg; break;
		case O_IND: a->ind = optarg; break;
		case O_SIGHT: a->sight = optarg; break;
		case O_STORE: a->store_s = true; break;
		case O_ORG: a->org = optarg; break;
		case O_JSON: c->json = true; break;
		case O_STATS: c->stats = true; break;
		case O_RETRO: a->o.retro = true; break;
		case O_FMT:
			if (!match_format_parse(optarg, &a->o.format))
				return cmd_usage_error("match", "--format: unknown format '%s'", optarg);
			break;
		case O_THREADS:
			if (!cmd_parse_long("match", "--threads", optarg, 1, 64, &n))
				return 2;
			a->o.threads = (int)n;
			break;
		case O_MAP: {
			char *eq = strchr(optarg, '=');

			if (!eq || a->n_maps == 64)
				return cmd_usage_error("match", "--map: expected COLUMN=OBJECT_PATH, got '%s'", optarg);
			*eq = '\0';
			a->maps[a->n_maps].column = optarg;
			a->maps[a->n_maps].path = eq + 1;
			if (!match_colmap_check(&a->maps[a->n_maps], &e))
				return cmd_usage_error("match", "%s", e.msg);
			a->n_maps++;
			break;
		}
		default:        /* reported by cmd_getopt */
			return 2;
		}
	}
	if (optind >= argc)
		return cmd_usage_error("match", "no LOG given");
	if (a->coll && a->ind)
		return cmd_usage_error("match", "--collection and --indicators exclude each other");
	if (a->sight && a->store_s)
		return cmd_usage_error("match", "--sightings and --store-sightings exclude each other");
	return 0;
}

int cmd_match(int argc, char **argv, const cc_cli *cli)
{
	match_args a;
	match_cli c = { 0 };
	matcher *m = NULL;
	match_run *run = NULL;
	store *s = NULL;
	cc_err e = { 0 };
	int rc, status = 0;
	int64_t coll_id = 0, t0, t1, t2;
	json_t *objs = NULL, *local_id = NULL;
	char identity[64] = "";
	match_totals tot;

	memset(&a, 0, sizeof(a));
	a.o.threads = 1;
	rc = parse_args(argc, argv, &a, &c);
	if (rc)
		return rc;
	a.o.maps = a.maps;
	a.o.n_maps = a.n_maps;
	m = match_new();
	if (!m)
		return cmd_fail(&(cc_err){ CC_ENOMEM, "match: out of memory" });
	t0 = cc_mono_us();
	if (!a.ind || a.store_s || a.org) {
		rc = store_open(cli->db_path, &s, &e);
		if (rc < 0)
			goto fail;
	}
	if (a.ind)
		rc = match_add_bundle_file(m, a.ind, warn, NULL, &e);
	else
		rc = load_collection(s, m, a.coll ? a.coll : STORE_DEFAULT_COLLECTION, &coll_id, &e);
	if (rc < 0)
		goto fail;
	if (a.store_s && !coll_id) {
		store_collection sc = { 0 };

		rc = store_collection_get(s, a.coll ? a.coll : STORE_DEFAULT_COLLECTION, &sc, &e);
		if (rc < 0)
			goto fail;
		coll_id = sc.id;
		store_collection_clear(&sc);
	}
	rc = match_compile(m, &e);
	if (rc < 0)
		goto fail;
	run = match_run_new(m);
	if (!run) {
		rc = cc_err_set(&e, CC_ENOMEM, "match: out of memory");
		goto fail;
	}
	t1 = cc_mono_us();
	c.m = m;
	c.progress = isatty(STDERR_FILENO);
	a.o.on_hit = print_hit;
	a.o.hit_ud = &c;
	a.o.on_bad = print_bad;
	a.o.bad_ud = &c;
	a.o.on_file = note_format;
	a.o.file_ud = &c;
	{
		match_stats st;

		match_get_stats(m, &st);
		if (!st.indicators)
			fprintf(stderr, "cybercell: match: warning: no indicator to match with (%zu skipped): "
				"nothing can hit\n", st.skipped);
	}
	if (c.progress) {
		match_stats st;

		match_get_stats(m, &st);
		fprintf(stderr, "cybercell: match: %zu indicators (%zu address, %zu string, %zu regex, "
			"%zu general; %zu skipped) compiled in %.2f s\n", st.indicators, st.exact_ip,
			st.exact_str, st.regex_hs + st.regex_pcre, st.general, st.skipped,
			(double)(cc_mono_us() - t0) / 1e6);
		a.o.on_progress = print_progress;
		a.o.progress_ud = &c;
	}
	for (int i = optind; i < argc; i++) {
		cc_err fe = { 0 };
		match_totals before, after;

		c.progress_file = cc_file_display(argv[i]);
		match_run_totals(run, &before);
		if (match_scan_file(m, run, argv[i], &a.o, &fe) < 0) {
			fprintf(stderr, "cybercell: match: %s\n", fe.msg);
			status = 1;
			continue;
		}
		match_run_totals(run, &after);
		check_fields(&c, argv[i], &before, &after);
	}
	match_run_finish(m, run, &a.o);
	t2 = cc_mono_us();
	match_run_totals(run, &tot);
	if (c.stats) {
		match_stats st;

		match_get_stats(m, &st);
		fprintf(stderr, "stats: indicators=%zu skipped=%zu exact_ip=%zu exact_str=%zu regex_hs=%zu "
			"regex_pcre=%zu general=%zu index_bytes=%zu string_bytes=%zu load_compile_s=%.3f "
			"scan_s=%.3f bytes=%llu lines=%llu events=%llu hits=%llu merged=%llu malformed=%llu MBps=%.1f\n",
			st.indicators, st.skipped, st.exact_ip, st.exact_str, st.regex_hs, st.regex_pcre,
			st.general, st.bytes - st.strings, st.strings, (double)(t1 - t0) / 1e6,
			(double)(t2 - t1) / 1e6, (unsigned long long)tot.bytes, (unsigned long long)tot.lines,
			(unsigned long long)tot.events, (unsigned long long)tot.hits,
			(unsigned long long)tot.merged, (unsigned long long)tot.malformed,
			t2 > t1 ? (double)tot.bytes / ((double)(t2 - t1) / 1e6) / 1e6 : 0.0);
	}
	if (tot.malformed > 5)
		fprintf(stderr, "cybercell: match: %llu malformed lines in all (first 5 shown)\n",
			(unsigned long long)tot.malformed);
	if (a.sight || a.store_s) {
		rc = scan_identity(s, a.org, identity, &local_id, &e);
		if (rc < 0)
			goto fail;
		objs = match_sightings(m, run, identity);
		if (local_id)
			json_array_insert_new(objs, 0, local_id);
		rc = a.sight ? write_sightings(a.sight, objs, &e) : store_sightings(s, coll_id, objs, &e);
		if (rc < 0)
			goto fail;
	}
	if (c.progress)
		fprintf(stderr, "cybercell: match: %llu lines, %llu events, %llu hits, %llu malformed\n",
			(unsigned long long)tot.lines, (unsigned long long)tot.events,
			(unsigned long long)tot.hits, (unsigned long long)tot.malformed);
	goto out;
fail:
	status = cmd_fail(&e);
out:
	json_decref(objs);
	match_run_free(run);
	match_free(m);
	store_close(s);
	return status;
}
