/*
 * wargame_run.c — `cybercell wargame run MODEL.yaml (--adversary NAME |
 * --adversary-file F) [--rules DIR] [--runs N] [--seed S] [--threads T]
 * [--horizon DAYS] [--with-intel COLLECTION] [--report out.html]
 * [--json out.json] [--stix out.json]`: the attack graph, its metrics and
 * hardening, Monte Carlo campaigns (with and without the shared intel),
 * a terminal summary and the report files.  docs/commands/wargame-run.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/wargame_int.h"
#include "util/file.h"
#include "util/time.h"
#include "wargame/sim.h"

/* Graphviz draws the paths' graph in well under a second; a minute means
 * something is wrong with it, and the report is written without the
 * picture. */
#define DOT_TIMEOUT_MS 60000

typedef struct run_opts {
	wg_session_args sa;
	const char *intel, *report, *json, *stix;
	long long runs, seed, threads, horizon_days;
} run_opts;

static int parse(int argc, char **argv, run_opts *o)
{
	static const struct option opts[] = {
		WG_SESSION_OPTIONS,
		{ "runs", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "horizon", required_argument, NULL, 'h' },
		{ "with-intel", required_argument, NULL, 'i' },
		{ "report", required_argument, NULL, 'R' },
		{ "json", required_argument, NULL, 'j' },
		{ "stix", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->runs = 1000;
	o->seed = 1;
	o->threads = 1;
	o->horizon_days = 30;
	cmd_getopt_reset();
	while ((c = cmd_getopt("wargame run", argc, argv, "", opts)) != -1) {
		if (wg_session_opt(&o->sa, c, optarg))
			continue;
		switch (c) {
		case 'i': o->intel = optarg; break;
		case 'R': o->report = optarg; break;
		case 'j': o->json = optarg; break;
		case 'x': o->stix = optarg; break;
		case 'n':
			if (!cmd_parse_long("wargame", "--runs", optarg, 1, 10000000, &o->runs))
				return 2;
			break;
		case 's':
			if (!cmd_parse_long("wargame", "--seed", optarg, 0, INT64_MAX, &o->seed))
				return 2;
			break;
		case 't':
			if (!cmd_parse_long("wargame", "--threads", optarg, 1, 256, &o->threads))
				return 2;
			break;
		case 'h':
			if (!cmd_parse_long("wargame", "--horizon", optarg, 1, 3650,
					    &o->horizon_days))
				return 2;
			break;
		default:        /* reported by cmd_getopt */
			return 2;
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error("wargame", "run: expected one MODEL.yaml");
	o->sa.model = argv[optind];
	o->sa.need_store = o->intel != NULL;
	return wg_session_check(&o->sa, "wargame", "run");
}

static void progress(size_t done, size_t total, void *ud)
{
	fprintf(stderr, "\r%s: %zu/%zu campaigns", (const char *)ud, done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void print_jewels(const wg_graph *g, const wg_metrics *mt, const wg_sim_result *r)
{
	const wg_model *m = g->model;

	printf("crown jewels (P within %.0f days, %zu campaigns):\n", r->horizon_hours / 24,
	       r->runs);
	for (size_t j = 0; j < r->njewels; j++) {
		const wg_sim_jewel *sj = &r->jewels[j];
		const wg_jewel_metrics *jm = mt ? &mt->jewels[j] : NULL;

		printf("  %-20s P %.3f [%.3f-%.3f]", m->jewels[sj->jewel].name, sj->p,
		       sj->p_lo, sj->p_hi);
		if (sj->ttc.n)
			printf("  time to compromise median %.1f h, p90 %.1f h, 95%% %.1f-%.1f h",
			       sj->ttc.median, sj->ttc.p90, sj->ttc.lo95, sj->ttc.hi95);
		if (jm && !jm->reachable)
			printf("  (unreachable)");
		else if (jm)
			printf("  (%s%.0f paths)", jm->npaths_capped ? ">= " : "", jm->npaths);
		putchar('\n');
	}
	printf("any jewel: P %.3f [%.3f-%.3f]", r->p_any, r->p_any_lo, r->p_any_hi);
	if (r->ttc_any.n)
		printf(", median %.1f h", r->ttc_any.median);
	printf("\ndetected in %zu of %zu campaigns", r->detected, r->runs);
	if (r->ttd.n)
		printf("; time to first detection median %.1f h, p90 %.1f h", r->ttd.median,
		       r->ttd.p90);
	printf("\noutcomes:");
	for (int e = 0; e < WG_END_COUNT; e++)
		printf(" %s %zu", wg_sim_end_name(e), r->ends[e]);
	putchar('\n');
}

static void print_hardening(const wg_graph *g, const wg_hardening *h)
{
	cc_buf b = CC_BUF_INIT;

	wg_hardening_uncut_text(g, h, &b);
	if (b.len)
		printf("hardening: %s\n", cc_buf_str(&b));
	if (h->cut_found && h->ncut) {
		printf("hardening: cheapest cut%s (%s) costs %.4g, risk %.4g -> %.4g:\n",
		       h->nuncut ? " of the other jewels" : "",
		       h->cut_exact ? "exact" : "heuristic", h->cut_cost, h->risk_before,
		       h->risk_after);
		for (size_t i = 0; i < h->ncut; i++) {
			cc_buf_reset(&b);
			if (h->cut[i].mitigations) {
				cc_buf_puts(&b, " (ATT&CK ");
				wg_mitigations_text(h->cut[i].mitigations, &b);
				cc_buf_putc(&b, ')');
			}
			printf("  - %s, cost %.4g%s\n", h->cut[i].label, h->cut[i].cost,
			       cc_buf_str(&b));
		}
	} else if (!h->cut_found) {
		printf("hardening: no set of candidate changes cuts every path\n");
	}
	for (size_t i = 0; i < h->nranked && i < 3; i++)
		printf("%s  %s: risk %.4g -> %.4g, cost %.4g\n", i ? "" :
		       "best single changes (risk removed per unit of cost):\n",
		       h->ranked[i].label, h->risk_before, h->ranked[i].risk_after,
		       h->ranked[i].cost);
	cc_buf_free(&b);
}

/* The value of sharing: both runs, and the paired differences. */
static void print_sharing(const wg_report_in *in)
{
	const wg_sim_result *a = in->sim, *b = in->sim_intel;
	wg_sim_diff dp, dd;
	cc_err e;

	printf("with intel from '%s' (%zu techniques, %zu indicators; ATT&CK's own objects "
	       "are public, not shared): P(any jewel) %.3f -> %.3f; detected campaigns %zu -> "
	       "%zu", in->intel->collection, in->intel->n, in->intel->nindicators, a->p_any,
	       b->p_any, a->detected, b->detected);
	if (a->ttd.n && b->ttd.n)
		printf("; median time to detection %.1f h -> %.1f h", a->ttd.median,
		       b->ttd.median);
	putchar('\n');
	if (wg_sim_paired(a, b, WG_PAIR_ANY_JEWEL, &dp, &e) ||
	    wg_sim_paired(b, a, WG_PAIR_DETECTED, &dd, &e))
		return;
	printf("value of sharing (paired campaigns, same seeds): P(any jewel) lower by %.3f "
	       "[95%% %.3f, %.3f]; detection higher by %.3f [95%% %.3f, %.3f]\n", dp.d, dp.lo,
	       dp.hi, dd.d, dd.lo, dd.hi);
}

static void print_summary(const wg_session *s, const wg_report_in *in)
{
	const wg_graph *g = in->g;
	const wg_sim_result *r = in->sim;
	const wg_hardening *h = in->hardening;
	cc_buf cov = CC_BUF_INIT;
	char *notes;

	wg_coverage_text(&s->cov, &cov);
	printf("war game: %s vs %s; attack graph %zu facts, %zu rule instances\n"
	       "adversary: %s\n", g->model->name ? g->model->name : g->model->path,
	       g->adv->name, g->nfacts, g->ninsts, cc_buf_str(&cov));
	cc_buf_free(&cov);
	print_jewels(g, in->metrics, r);
	notes = wg_report_notes(in);
	if (*notes)
		printf("note: %s", notes);
	free(notes);
	if (r->nactions) {
		printf("defender responses that stopped the most campaigns:\n");
		for (size_t i = 0; i < r->nactions && i < 5; i++)
			printf("  %-50s stopped %zu, taken in %zu\n", r->actions[i].label,
			       r->actions[i].decisive, r->actions[i].taken);
	}
	if (h)
		print_hardening(g, h);
	if (in->sim_intel)
		print_sharing(in);
}

static int write_text(const char *path, const char *text, const char *what)
{
	cc_err e;

	if (cc_file_write_atomic(path, text, strlen(text), &e)) {
		cc_err_prefix(&e, "%s", what);
		return cmd_fail(&e);
	}
	return 0;
}

static int write_outputs(const run_opts *o, const wg_report_in *in)
{
	int rc = 0;

	if (o->json) {
		char *s = wg_report_json(in);
		cc_buf b = CC_BUF_INIT;

		cc_buf_puts(&b, s);
		cc_buf_putc(&b, '\n');
		rc |= write_text(o->json, cc_buf_str(&b), "--json");
		cc_buf_free(&b);
		free(s);
	}
	if (o->report) {
		cc_buf dot = CC_BUF_INIT, html = CC_BUF_INIT;
		char why[512], *svg;

		wg_report_paths_dot(in, &dot);
		svg = wg_report_dot_svg(cc_buf_str(&dot), DOT_TIMEOUT_MS, why, sizeof(why));
		if (!svg)
			fprintf(stderr, "cybercell: wargame run: %s\n", why);
		wg_report_html(in, svg, svg ? NULL : why, &html);
		rc |= write_text(o->report, cc_buf_str(&html), "--report");
		free(svg);
		cc_buf_free(&dot);
		cc_buf_free(&html);
	}
	if (o->stix) {
		char *s = wg_report_stix(in, cc_now_us());

		rc |= write_text(o->stix, s, "--stix");
		free(s);
	}
	return rc;
}

typedef struct run_state {
	wg_session s;
	wg_metrics *mt;
	const wg_hardening *hd;     /* the session's */
	wg_intel *intel;
	wg_sim_result *r0, *r1;
} run_state;

static void state_free(run_state *x)
{
	wg_sim_result_free(x->r0);
	wg_sim_result_free(x->r1);
	wg_intel_free(x->intel);
	wg_metrics_free(x->mt);
	wg_session_close(&x->s);
}

/* Metrics, hardening, the store things, and the two simulations. */
static int compute(const run_opts *o, run_state *x)
{
	wg_sim_opts so = { .runs = (size_t)o->runs, .seed = (uint64_t)o->seed,
			   .threads = (int)o->threads, .epsilon = -1,
			   .horizon_hours = (double)o->horizon_days * 24 };
	cc_err e;

	if (!(x->mt = wg_metrics_compute(x->s.graph, &e)))
		return cmd_fail(&e);
	x->hd = wg_session_harden(&x->s);
	if (o->intel && wg_intel_from_store(x->s.st, o->intel, x->s.adv, &x->intel, &e))
		return cmd_fail(&e);
	if (isatty(STDERR_FILENO)) {
		so.progress = progress;
		so.progress_ud = "simulating";
	}
	if (wg_sim_run(x->s.graph, &so, &x->r0, &e))
		return cmd_fail(&e);
	if (x->intel) {
		so.intel = x->intel;
		so.progress_ud = "simulating with intel";
		if (wg_sim_run(x->s.graph, &so, &x->r1, &e))
			return cmd_fail(&e);
	}
	return 0;
}

int cmd_wargame_run(int argc, char **argv, const cc_cli *cli)
{
	run_opts o;
	run_state x;
	wg_report_in in = { 0 };
	int rc;

	memset(&x, 0, sizeof(x));
	if ((rc = parse(argc, argv, &o)))
		return rc;
	rc = wg_session_open(&x.s, &o.sa, cli);
	if (rc == 0)
		rc = compute(&o, &x);
	if (rc == 0) {
		in.g = x.s.graph;
		in.metrics = x.mt;
		in.hardening = x.hd;
		in.sim = x.r0;
		in.sim_intel = x.r1;
		in.intel = x.intel;
		in.adversary_source = o.sa.adv ? "store" : o.sa.advfile;
		in.coverage = &x.s.cov;
		in.store = x.s.st;
		print_summary(&x.s, &in);
		rc = write_outputs(&o, &in);
	}
	state_free(&x);
	return rc;
}
