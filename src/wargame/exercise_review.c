/*
 * exercise_review.c — what a trainee and a trainer are shown besides the
 * turns: the board (`map`: zones, hosts, accounts, flows, jewels) and the
 * one-page after-action review, a self-contained HTML page (no scripts,
 * nothing fetched) to print and hand out: outcome, the numbers that
 * matter, the timeline of attacker steps, alerts and blue actions, what
 * was missed, and lessons drawn from the game.
 */
#include <stdlib.h>
#include <string.h>

#include "wargame/exercise_int.h"
#include "wargame/report_int.h"

#define esc wg_html_esc

void wg_ex_board(const wg_exercise *x, cc_buf *o)
{
	const wg_model *m = x->g->model;

	cc_buf_puts(o, "the board — hosts by zone (os, role, EDR, SOC monitoring, CVEs):\n");
	for (size_t z = 0; z < m->nzones; z++) {
		bool any = false;

		for (size_t h = 0; h < m->nhosts; h++) {
			const wg_host *ho = &m->hosts[h];

			if (ho->zone != (int)z)
				continue;
			if (!any)
				cc_buf_printf(o, "  zone %s%s\n", m->zones[z].name,
					      m->zones[z].segmented ? " (segmented)" : "");
			any = true;
			cc_buf_printf(o, "    %-16s %-8s %-12s %-4s %-4s", ho->name,
				      ho->os ? ho->os : "-", ho->role ? ho->role : "-",
				      ho->edr ? "EDR" : "-",
				      m->controls.monitoring && ho->monitored ? "SOC" : "-");
			for (size_t s = 0; s < ho->nservices; s++)
				for (size_t c = 0; c < ho->services[s].ncves; c++)
					cc_buf_printf(o, " %s", ho->services[s].cves[c].id);
			cc_buf_putc(o, '\n');
		}
	}
	cc_buf_puts(o, "  accounts:");
	for (size_t a = 0; a < m->naccounts; a++)
		cc_buf_printf(o, "%s %s (%s)", a ? "," : "", m->accounts[a].name,
			      wg_account_kind_name(m->accounts[a].kind));
	cc_buf_puts(o, "\n  flows:");
	for (size_t f = 0; f < m->nflows; f++)
		cc_buf_printf(o, "%s %s", f ? "," : "", m->flows[f].name);
	cc_buf_puts(o, "\n  crown jewels:");
	for (size_t j = 0; j < m->njewels; j++)
		cc_buf_printf(o, "%s %s on %s", j ? "," : "", m->jewels[j].name,
			      m->hosts[m->jewels[j].host].name);
	cc_buf_putc(o, '\n');
}

/* ---- the after-action review ---- */

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static int turn_of(json_t *o)
{
	return (int)json_integer_value(json_object_get(o, "turn"));
}

static bool flag(json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

/* " on HOST" of an item that names a host. */
static void on_host(cc_buf *o, json_t *v)
{
	if (!*str(v, "host"))
		return;
	cc_buf_puts(o, " on ");
	esc(o, str(v, "host"));
}

/* The cells of one turn of the timeline: items of arr with this turn. */
static void turn_cell(cc_buf *o, json_t *arr, int turn, int what)
{
	json_t *v;
	size_t i, n = 0;

	cc_buf_puts(o, "<td>");
	json_array_foreach(arr, i, v) {
		if (turn_of(v) != turn)
			continue;
		cc_buf_puts(o, n++ ? "<br>" : "");
		if (what == 0) {        /* attacker step */
			esc(o, str(v, "technique"));
			cc_buf_puts(o, " ");
			esc(o, str(v, "name"));
			on_host(o, v);
			cc_buf_puts(o, flag(v, "success") ? " — <b>worked</b>" : " — failed");
		} else if (what == 1) { /* alert */
			cc_buf_printf(o, "%s ", flag(v, "real") ? "&#9679;" : "&#9675;");
			esc(o, str(v, "id"));
			cc_buf_puts(o, " ");
			esc(o, str(v, "technique"));
			on_host(o, v);
		} else {                /* blue action */
			esc(o, str(v, "action"));
			cc_buf_puts(o, " ");
			esc(o, str(v, "target"));
			if (json_object_get(v, "hit"))
				cc_buf_puts(o, flag(v, "hit") ? " (attacker there)" : " (clean)");
		}
	}
	cc_buf_puts(o, "</td>");
}

/* The first turn of an item of arr for which key is true (-1: none). */
static int first_turn(json_t *arr, const char *key)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (flag(v, key))
			return turn_of(v);
	return -1;
}

static void numbers(cc_buf *o, const wg_exercise *x, size_t worked, size_t missed)
{
	size_t alerts = x->true_alerts + x->false_alerts;
	int fa = first_turn(x->log, "real"), fh = first_turn(x->blue, "hit");
	int hs[64];
	size_t nf = wg_ex_footholds(x, hs, 64);

	cc_buf_printf(o, "<table class=k><tr><th>attacker steps</th><th>worked</th>"
		      "<th>worked unseen</th><th>alerts (real / false)</th><th>first real "
		      "alert</th><th>first hit on the attacker</th><th>isolations (on the "
		      "attacker / clean)</th><th>footholds left</th></tr>\n<tr>"
		      "<td>%zu</td><td>%zu</td><td>%zu</td><td>%zu (%zu / %zu)</td>",
		      json_array_size(x->steps), worked, missed, alerts, x->true_alerts,
		      x->false_alerts);
	cc_buf_printf(o, fa >= 0 ? "<td>turn %d</td>" : "<td>none</td>", fa);
	cc_buf_printf(o, fh >= 0 ? "<td>turn %d</td>" : "<td>none</td>", fh);
	cc_buf_printf(o, "<td>%zu / %zu</td><td>%zu</td></tr></table>\n", x->iso_hit,
		      x->iso_miss, nf);
}

static void timeline(cc_buf *o, const wg_exercise *x)
{
	cc_buf_puts(o, "<h2>Timeline</h2>\n<p>Each turn the blue team acts, then the "
		    "attacker moves and the controls raise their alerts (turn 0: the "
		    "attacker's first move).</p>\n<table><tr><th>turn</th><th>blue team</th>"
		    "<th>attacker</th><th>alerts (&#9679; real, &#9675; false)</th></tr>\n");
	for (int t = 0; t <= x->turn; t++) {
		cc_buf_printf(o, "<tr><td class=n>%d</td>", t);
		turn_cell(o, x->blue, t, 2);
		turn_cell(o, x->steps, t, 0);
		turn_cell(o, x->log, t, 1);
		cc_buf_puts(o, "</tr>\n");
	}
	cc_buf_puts(o, "</table>\n");
}

/* Hosts where steps worked unseen, and whether they had telemetry. */
static void lessons(cc_buf *o, const wg_exercise *x, size_t missed)
{
	const wg_model *m = x->g->model;
	size_t alerts = x->true_alerts + x->false_alerts, n = 0;
	int fa = first_turn(x->log, "real"), fh = first_turn(x->blue, "hit");
	json_t *v;
	size_t i;

	cc_buf_puts(o, "<h2>Lessons</h2>\n<ul>\n");
	if (missed) {
		cc_buf_printf(o, "<li>%zu attacker step%s worked without any alert:", missed,
			      missed == 1 ? "" : "s");
		json_array_foreach(x->steps, i, v) {
			int h = wg_model_host(m, str(v, "host"));

			if (!flag(v, "success") || flag(v, "alerted"))
				continue;
			cc_buf_puts(o, n++ ? "; " : " ");
			esc(o, str(v, "technique"));
			on_host(o, v);
			if (h != WG_NONE && !m->hosts[h].edr)
				cc_buf_puts(o, " (no EDR there)");
		}
		cc_buf_puts(o, ". Where there is no EDR, that is a gap in telemetry; "
			    "elsewhere, in detection content.</li>\n");
	}
	if (alerts)
		cc_buf_printf(o, "<li>%zu of %zu alerts were the attacker (%.0f %%)%s</li>\n",
			      x->true_alerts, alerts, 100.0 * (double)x->true_alerts /
			      (double)alerts, x->false_alerts > x->true_alerts ?
			      ": most were noise; triage by host and technique before spending "
			      "the budget" : ".");
	if (fa >= 0 && fh >= 0)
		cc_buf_printf(o, "<li>The first real alert came at turn %d, the first action "
			      "that found or removed the attacker at turn %d.</li>\n", fa, fh);
	else if (fa >= 0)
		cc_buf_printf(o, "<li>The first real alert came at turn %d, but no action ever "
			      "found or removed the attacker.</li>\n", fa);
	if (x->iso_miss)
		cc_buf_printf(o, "<li>%zu isolation%s hit clean hosts: business disruption "
			      "for nothing; investigate (1 point) before isolating (2).</li>\n",
			      x->iso_miss, x->iso_miss == 1 ? "" : "s");
	if (x->outcome == EX_JEWEL)
		cc_buf_printf(o, "<li>The crown jewel %s fell at turn %d.</li>\n",
			      m->jewels[x->jewel].name, x->turn);
	cc_buf_puts(o, "</ul>\n");
}

static const char review_css[] =
	"body{font-family:Helvetica,Arial,sans-serif;max-width:190mm;margin:1em auto;"
	"color:#222;font-size:11px}h1{font-size:18px;margin:0 0 4px}h2{font-size:13px;"
	"margin:10px 0 4px}table{border-collapse:collapse;width:100%}td,th{border:1px "
	"solid #ccc;padding:2px 5px;vertical-align:top;text-align:left}th{background:#eee}"
	"td.n{text-align:right}table.k td{font-size:14px;text-align:center}"
	"@page{size:A4;margin:10mm}";

void wg_ex_review_html(const wg_exercise *x, cc_buf *o)
{
	const wg_model *m = x->g->model;
	static const char *const outcome[] = { "still running", "the attacker was evicted",
		"a crown jewel fell", "the turns ran out with the jewels intact" };
	size_t worked = 0, missed = 0, i;
	json_t *v;

	json_array_foreach(x->steps, i, v) {
		worked += flag(v, "success");
		missed += flag(v, "success") && !flag(v, "alerted");
	}
	cc_buf_printf(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		      "<title>After-action review</title><style>%s</style></head><body>\n"
		      "<h1>After-action review: ", review_css);
	esc(o, m->name ? m->name : m->path);
	cc_buf_puts(o, " against ");
	esc(o, x->g->adv->name);
	cc_buf_printf(o, "</h1>\n<p>A training exercise over the model (no real network was "
		      "touched): %d turns of %d, budget %d a turn, seed %llu. <b>Outcome: %s. "
		      "Score %d.</b></p>\n", x->turn, x->o.turns, x->o.budget,
		      (unsigned long long)x->o.seed, outcome[x->outcome], x->score);
	numbers(o, x, worked, missed);
	timeline(o, x);
	lessons(o, x, missed);
	cc_buf_puts(o, "</body></html>\n");
}
