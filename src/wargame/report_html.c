/*
 * report_html.c — the self-contained HTML report of a `wargame run`: one
 * file, inline CSS and SVG, no scripts and nothing fetched from outside.
 * Sections: summary, value of sharing, attack graph, paths, choke points,
 * time-to-compromise histograms, hardening, what defenders would see,
 * detection by technique, defender actions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/report_int.h"

#define esc wg_html_esc

void wg_html_esc(cc_buf *o, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': cc_buf_puts(o, "&lt;"); break;
		case '>': cc_buf_puts(o, "&gt;"); break;
		case '&': cc_buf_puts(o, "&amp;"); break;
		case '"': cc_buf_puts(o, "&quot;"); break;
		default: cc_buf_putc(o, *s);
		}
}

static void td(cc_buf *o, const char *s)
{
	cc_buf_puts(o, "<td>");
	esc(o, s);
	cc_buf_puts(o, "</td>");
}

static void tdf(cc_buf *o, const char *fmt, double x)
{
	cc_buf_puts(o, "<td class=n>");
	if (isfinite(x))
		cc_buf_printf(o, fmt, x);
	else
		cc_buf_puts(o, "&ndash;");
	cc_buf_puts(o, "</td>");
}

static void hours(cc_buf *o, const wg_sim_dist *d, double x)
{
	tdf(o, "%.1f h", d->n ? x : NAN);
}

/* A bar chart of a histogram over the horizon, drawn as inline SVG. */
static void histogram(cc_buf *o, const char *title, const uint32_t *h, double horizon)
{
	const int W = 600, H = 160, L = 40, B = 30;
	uint32_t max = 1;
	double bw = (double)(W - L - 10) / WG_SIM_HIST_BINS;

	for (int b = 0; b < WG_SIM_HIST_BINS; b++)
		if (h[b] > max)
			max = h[b];
	cc_buf_printf(o, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		      "height=\"%d\" role=\"img\"><title>", W, H);
	esc(o, title);
	cc_buf_puts(o, "</title>");
	cc_buf_printf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
		      L, H - B, W - 10, H - B);
	for (int b = 0; b < WG_SIM_HIST_BINS; b++) {
		double bh = (double)h[b] / max * (H - B - 20);

		cc_buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			      "fill=\"#c0392b\"><title>%.0f-%.0f h: %u</title></rect>",
			      L + b * bw + 1, H - B - bh, bw - 2, bh,
			      horizon * b / WG_SIM_HIST_BINS,
			      horizon * (b + 1) / WG_SIM_HIST_BINS, h[b]);
	}
	for (int t = 0; t <= 5; t++)
		cc_buf_printf(o, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
			      "text-anchor=\"middle\">%.0f d</text>",
			      L + t * (W - L - 10) / 5.0, H - B + 14, horizon / 24 * t / 5);
	cc_buf_printf(o, "<text x=\"4\" y=\"14\" font-size=\"10\">%u</text>", max);
	cc_buf_puts(o, "</svg><figcaption>");
	esc(o, title);
	cc_buf_puts(o, "</figcaption></figure>\n");
}

static void summary(cc_buf *o, const wg_report_in *in, const wg_sim_result *r)
{
	const wg_model *m = in->g->model;

	cc_buf_puts(o, "<table><tr><th>crown jewel</th><th>function</th><th>P(compromise)"
		    "</th><th>95 % interval</th><th>median</th><th>p90</th>"
		    "<th>95 % of times within</th></tr>\n");
	for (size_t j = 0; j < r->njewels; j++) {
		const wg_sim_jewel *sj = &r->jewels[j];
		const wg_jewel *jw = &m->jewels[sj->jewel];
		char iv[64];

		cc_buf_puts(o, "<tr>");
		td(o, jw->name);
		td(o, jw->function ? jw->function : "");
		tdf(o, "%.3f", sj->p);
		snprintf(iv, sizeof(iv), "%.3f-%.3f", sj->p_lo, sj->p_hi);
		td(o, iv);
		hours(o, &sj->ttc, sj->ttc.median);
		hours(o, &sj->ttc, sj->ttc.p90);
		if (sj->ttc.n)
			cc_buf_printf(o, "<td class=n>%.1f-%.1f h</td>", sj->ttc.lo95, sj->ttc.hi95);
		else
			cc_buf_puts(o, "<td class=n>&ndash;</td>");
		cc_buf_puts(o, "</tr>\n");
	}
	cc_buf_printf(o, "</table>\n<p>Any jewel: P = %.3f (%.3f-%.3f). Detected in %zu of "
		      "%zu campaigns; time to first detection: median ", r->p_any,
		      r->p_any_lo, r->p_any_hi, r->detected, r->runs);
	if (r->ttd.n)
		cc_buf_printf(o, "%.1f h, p90 %.1f h.", r->ttd.median, r->ttd.p90);
	else
		cc_buf_puts(o, "&ndash;.");
	cc_buf_puts(o, " Outcomes:");
	for (int e = 0; e < WG_END_COUNT; e++)
		cc_buf_printf(o, " %s %zu%s", wg_sim_end_name(e), r->ends[e],
			      e + 1 < WG_END_COUNT ? "," : ".");
	cc_buf_puts(o, "</p>\n");
}

static void sharing(cc_buf *o, const wg_report_in *in)
{
	const wg_sim_result *a = in->sim, *b = in->sim_intel;
	wg_sim_diff dp, dd;

	cc_buf_puts(o, "<h2>Value of sharing</h2>\n<p>With the intelligence in collection <b>");
	esc(o, in->intel->collection);
	cc_buf_printf(o, "</b> (%zu techniques of this adversary described, %zu indicators):</p>\n",
		      in->intel->n, in->intel->nindicators);
	cc_buf_puts(o, "<table><tr><th></th><th>without intel</th><th>with intel</th></tr>\n");
	cc_buf_printf(o, "<tr><td>P(any jewel)</td><td class=n>%.3f</td><td class=n>%.3f</td></tr>\n",
		      a->p_any, b->p_any);
	cc_buf_printf(o, "<tr><td>campaigns detected</td><td class=n>%zu</td><td class=n>%zu</td></tr>\n",
		      a->detected, b->detected);
	cc_buf_puts(o, "<tr><td>median time to first detection</td>");
	hours(o, &a->ttd, a->ttd.median);
	hours(o, &b->ttd, b->ttd.median);
	cc_buf_puts(o, "</tr>\n</table>\n");
	if (!wg_sim_paired(a, b, WG_PAIR_ANY_JEWEL, &dp, NULL) &&
	    !wg_sim_paired(b, a, WG_PAIR_DETECTED, &dd, NULL))
		cc_buf_printf(o, "<p>Paired over the same %zu campaigns (same seeds): the intel "
			      "lowers P(any jewel) by <b>%.3f</b> (95 %% interval %.3f to %.3f) "
			      "and raises the share of campaigns detected by <b>%.3f</b> (%.3f to "
			      "%.3f). ATT&amp;CK's own objects are public knowledge and do not count "
			      "as shared intelligence.</p>\n", a->runs, dp.d, dp.lo, dp.hi, dd.d,
			      dd.lo, dd.hi);
}

static void paths(cc_buf *o, const wg_report_in *in)
{
	const wg_graph *g = in->g;
	const wg_metrics *mt = in->metrics;
	static const char *const which[] = { "Shortest", "Most likely", "Fastest" };

	cc_buf_puts(o, "<h2>Paths to the crown jewels</h2>\n");
	for (size_t j = 0; mt && j < mt->njewels; j++) {
		const wg_jewel_metrics *jm = &mt->jewels[j];
		const wg_path *ps[3] = { &jm->shortest, &jm->likely, &jm->fastest };

		cc_buf_puts(o, "<h3>");
		esc(o, g->model->jewels[jm->jewel].name);
		cc_buf_puts(o, "</h3>\n");
		if (!jm->reachable) {
			cc_buf_puts(o, "<p>Not reachable by this adversary.</p>\n");
			continue;
		}
		cc_buf_printf(o, "<p>%s%.0f distinct paths.</p>\n<ul>",
			      jm->npaths_capped ? "at least " : "", jm->npaths);
		for (int k = 0; k < 3; k++) {
			cc_buf e = CC_BUF_INIT;

			wg_path_explain(g, ps[k], &e);
			cc_buf_printf(o, "<li><b>%s</b> (%d steps, p=%.3g, %.0f h): ", which[k],
				      ps[k]->steps, ps[k]->p, ps[k]->hours);
			esc(o, cc_buf_str(&e));
			cc_buf_puts(o, "</li>\n");
			cc_buf_free(&e);
		}
		cc_buf_puts(o, "</ul>\n<p>Choke points (on every path): ");
		for (size_t k = 0; k < jm->nchoke_hosts; k++) {
			cc_buf_puts(o, k ? ", " : "hosts ");
			esc(o, g->model->hosts[jm->choke_hosts[k]].name);
		}
		for (size_t k = 0; k < jm->nchoke_facts; k++) {
			cc_buf f = CC_BUF_INIT;

			wg_graph_fact_str(g, jm->choke_facts[k], &f);
			cc_buf_puts(o, k ? ", " : (jm->nchoke_hosts ? "; facts " : "facts "));
			esc(o, cc_buf_str(&f));
			cc_buf_free(&f);
		}
		cc_buf_puts(o, "</p>\n");
	}
}

static void mitig_td(cc_buf *o, unsigned mask)
{
	cc_buf t = CC_BUF_INIT;

	wg_mitigations_text(mask, &t);
	td(o, cc_buf_str(&t));
	cc_buf_free(&t);
}

static void hardening(cc_buf *o, const wg_graph *g, const wg_hardening *h)
{
	cc_buf u = CC_BUF_INIT;

	cc_buf_printf(o, "<h2>Hardening</h2>\n<p>Risk now %.4g. ", h->risk_before);
	wg_hardening_uncut_text(g, h, &u);
	if (u.len) {
		cc_buf_puts(o, "Note: ");
		esc(o, cc_buf_str(&u));
		cc_buf_puts(o, ". ");
	}
	cc_buf_free(&u);
	if (h->cut_found)
		cc_buf_printf(o, "The cheapest set of changes that cuts every path%s (%s, "
			      "cost %.4g) leaves risk %.4g:</p>\n<table><tr><th>change</th>"
			      "<th>cost</th><th>ATT&amp;CK mitigation</th></tr>\n",
			      h->nuncut ? " to the other jewels" : "",
			      h->cut_exact ? "exact" : "heuristic", h->cut_cost, h->risk_after);
	else
		cc_buf_puts(o, "No set of the candidate changes cuts every path.</p>\n<table>");
	for (size_t i = 0; i < h->ncut; i++) {
		cc_buf_puts(o, "<tr>");
		td(o, h->cut[i].label);
		tdf(o, "%.4g", h->cut[i].cost);
		mitig_td(o, h->cut[i].mitigations);
		cc_buf_puts(o, "</tr>\n");
	}
	cc_buf_printf(o, "</table>\n<p>Mitigations %s. Single changes ranked by risk "
		      "removed per unit of cost:</p>\n<table><tr><th>single change</th>"
		      "<th>cost</th><th>risk removed</th><th>risk after</th><th>removed per "
		      "cost</th><th>ATT&amp;CK mitigation</th></tr>\n", h->mit_hub ?
		      "confirmed by the hub's ATT&amp;CK course-of-action objects" :
		      "from the project's mapping (no ATT&amp;CK mitigations in the hub)");
	for (size_t i = 0; i < h->nranked && i < 30; i++) {
		const wg_change *c = &h->ranked[i];

		cc_buf_puts(o, "<tr>");
		td(o, c->label);
		tdf(o, "%.4g", c->cost);
		tdf(o, "%.4g", c->risk_removed);
		tdf(o, "%.4g", c->risk_after);
		tdf(o, "%.4g", c->cost > 0 ? c->risk_removed / c->cost : INFINITY);
		mitig_td(o, c->mitigations);
		cc_buf_puts(o, "</tr>\n");
	}
	cc_buf_puts(o, "</table>\n");
}

/* How far the attacker got in the campaigns. */
static void furthest(cc_buf *o, const wg_report_in *in, const wg_sim_result *r)
{
	if (!r->nfurthest)
		return;
	cc_buf_puts(o, "<h2>How far the attacker got</h2>\n<table><tr><th>what</th>"
		    "<th>campaigns</th><th>P</th></tr>\n");
	for (size_t i = 0; i < r->nfurthest && i < WG_REPORT_FURTHEST; i++) {
		wg_sim_reach f = r->furthest[i];
		cc_buf b = CC_BUF_INIT;

		f.p = -1;
		wg_report_reach(in->g, &f, &b);
		cc_buf_puts(o, "<tr>");
		td(o, cc_buf_str(&b));
		cc_buf_printf(o, "<td class=n>%zu</td><td class=n>%.3f</td></tr>\n",
			      r->furthest[i].campaigns, r->furthest[i].p);
		cc_buf_free(&b);
	}
	cc_buf_puts(o, "</table>\n");
}

static void defenders(cc_buf *o, const wg_report_in *in)
{
	size_t n;
	wg_seen *v = wg_seen_rows(in, &n);
	const wg_model *m = in->g->model;

	cc_buf_puts(o, "<h2>What your defenders would see</h2>\n<p>Each technique step of "
		    "the most likely path to each jewel, where it shows and how often "
		    "that step was caught in the campaigns (detections / attempts of the "
		    "step).</p>\n<table><tr><th>jewel</th><th>#</th>"
		    "<th>technique</th><th>host</th><th>telemetry</th><th>P(detect)</th>"
		    "<th>observed</th><th>what they would see</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		char t[256];

		cc_buf_puts(o, "<tr>");
		td(o, m->jewels[v[i].jewel].name);
		cc_buf_printf(o, "<td class=n>%d</td>", v[i].step);
		snprintf(t, sizeof(t), "%s %s", v[i].rule->technique, v[i].rule->name);
		td(o, t);
		td(o, v[i].host != WG_NONE ? m->hosts[v[i].host].name : "");
		td(o, v[i].telemetry);
		tdf(o, "%.2f", v[i].detect);
		if (v[i].sim_rate >= 0)
			cc_buf_printf(o, "<td class=n>%.2f (%zu)</td>", v[i].sim_rate,
				      v[i].sim_attempts);
		else
			cc_buf_puts(o, "<td class=n>&ndash;</td>");
		td(o, v[i].what);
		cc_buf_puts(o, "</tr>\n");
	}
	cc_buf_puts(o, "</table>\n");
	wg_seen_free(v, n);
}

static void techniques(cc_buf *o, const wg_report_in *in, const wg_sim_result *r)
{
	cc_buf_puts(o, "<h2>Detection by technique</h2>\n<table><tr><th>technique</th>"
		    "<th>tactic</th><th>attempts</th><th>successes</th><th>detection rate</th>");
	if (in->sim_intel)
		cc_buf_puts(o, "<th>with intel</th>");
	cc_buf_puts(o, "</tr>\n");
	for (size_t i = 0; i < r->ntechs; i++) {
		const wg_sim_tech *t = &r->techs[i];
		char s[256];

		snprintf(s, sizeof(s), "%s %s", t->technique, t->name);
		cc_buf_puts(o, "<tr>");
		td(o, s);
		td(o, t->tactic);
		cc_buf_printf(o, "<td class=n>%zu</td><td class=n>%zu</td>", t->attempts,
			      t->successes);
		tdf(o, "%.3f", (double)t->detections / (double)t->attempts);
		if (in->sim_intel) {
			double x = wg_report_rate(in->sim_intel, t->technique);

			tdf(o, "%.3f", x < 0 ? NAN : x);
		}
		cc_buf_puts(o, "</tr>\n");
	}
	cc_buf_puts(o, "</table>\n<h2>Defender actions that stopped campaigns</h2>\n"
		    "<table><tr><th>response</th><th>campaigns stopped</th><th>taken in"
		    "</th></tr>\n");
	for (size_t i = 0; i < r->nactions && i < 20; i++) {
		cc_buf_puts(o, "<tr>");
		td(o, r->actions[i].label);
		cc_buf_printf(o, "<td class=n>%zu</td><td class=n>%zu</td></tr>\n",
			      r->actions[i].decisive, r->actions[i].taken);
	}
	cc_buf_puts(o, "</table>\n");
}

static const char css[] =
	"body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;"
	"color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid "
	"#ccc;padding:3px 8px;font-size:13px;vertical-align:top}th{background:#eee}"
	"td.n{text-align:right}.graph{overflow:auto;border:1px solid #ddd}"
	".graph{max-height:1400px}"
	"figure{display:inline-block;margin:0 1em 1em 0}.note{color:#a33}"
	".cov{background:#f4f4f4;padding:6px 10px;border-left:4px solid #888}";

/* The adversary's coverage and, when nothing fell, why: up front. */
static void intro(cc_buf *o, const wg_report_in *in)
{
	cc_buf b = CC_BUF_INIT;
	char *notes = wg_report_notes(in);

	if (in->coverage) {
		wg_coverage_text(in->coverage, &b);
		cc_buf_puts(o, "<p class=cov><b>Adversary coverage:</b> ");
		esc(o, cc_buf_str(&b));
		cc_buf_puts(o, ".</p>\n");
	}
	if (*notes) {
		cc_buf_puts(o, "<p class=note>");
		esc(o, notes);
		cc_buf_puts(o, "</p>\n");
	}
	free(notes);
	cc_buf_free(&b);
}

void wg_report_html(const wg_report_in *in, const char *dot_svg,
		    const char *dot_note, cc_buf *o)
{
	const wg_graph *g = in->g;
	const wg_sim_result *r = in->sim;

	cc_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<title>War game: ");
	esc(o, g->model->name);
	cc_buf_printf(o, "</title><style>%s</style></head><body>\n<h1>War game: ", css);
	esc(o, g->model->name);
	cc_buf_puts(o, " against ");
	esc(o, g->adv ? g->adv->name : "?");
	cc_buf_puts(o, "</h1>\n<p>A simulation over the model; no real network was touched. ");
	if (r)
		cc_buf_printf(o, "%zu campaigns, seed %llu, horizon %.0f days, attacker policy: "
			      "cheapest expected time to a jewel, random move %.0f %% of "
			      "the time.", r->runs, (unsigned long long)r->seed,
			      r->horizon_hours / 24, 100 * r->epsilon);
	cc_buf_printf(o, " Attack graph: %zu facts, %zu rule instances.</p>\n", g->nfacts,
		      g->ninsts);
	intro(o, in);
	if (r) {
		cc_buf_puts(o, "<h2>Summary</h2>\n");
		summary(o, in, r);
	}
	if (in->sim_intel && in->intel && r)
		sharing(o, in);
	cc_buf_puts(o, "<h2>Attack graph</h2>\n");
	if (dot_svg) {
		cc_buf_puts(o, "<div class=graph>");
		cc_buf_puts(o, dot_svg);
		cc_buf_puts(o, "</div>\n");
	} else {
		cc_buf_puts(o, "<p class=note>");
		esc(o, dot_note ? dot_note : "The attack graph is not drawn.");
		cc_buf_puts(o, "</p>\n");
	}
	paths(o, in);
	if (r) {
		cc_buf_puts(o, "<h2>Time to compromise</h2>\n");
		histogram(o, "any crown jewel", r->hist_any, r->horizon_hours);
		for (size_t j = 0; j < r->njewels; j++)
			if (r->jewels[j].compromised)
				histogram(o, g->model->jewels[r->jewels[j].jewel].name,
					  r->jewels[j].hist, r->horizon_hours);
	}
	if (r)
		furthest(o, in, r);
	if (in->hardening)
		hardening(o, g, in->hardening);
	defenders(o, in);
	if (r)
		techniques(o, in, r);
	cc_buf_puts(o, "</body></html>\n");
}
