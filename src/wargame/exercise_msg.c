/*
 * exercise_msg.c — what the blue team is told: the JSON-lines messages of
 * the exercise protocol (start, turn, end; docs/exercise.md) and the same
 * content in words for people at a terminal, including the after-action
 * review.
 */
#include <stdlib.h>
#include <string.h>

#include "wargame/exercise_int.h"

static const char *outcome_name(int o)
{
	static const char *const n[] = { "running", "evicted", "jewel-lost", "turns-out" };

	return o >= 0 && o <= EX_TURNS ? n[o] : "?";
}

static char *line(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	if (!s)
		abort();
	return s;
}

char *wg_ex_start_message(const wg_exercise *x)
{
	const wg_model *m = x->g->model;
	json_t *hosts = json_array(), *accts = json_array(), *flows = json_array(),
	       *jewels = json_array(), *costs = json_object();

	for (size_t h = 0; h < m->nhosts; h++) {
		const wg_host *ho = &m->hosts[h];
		json_t *cves = json_array();

		for (size_t s = 0; s < ho->nservices; s++)
			for (size_t c = 0; c < ho->services[s].ncves; c++)
				json_array_append_new(cves, json_string(ho->services[s].cves[c].id));
		json_array_append_new(hosts, json_pack("{s:s,s:s,s:s?,s:b,s:b,s:o}", "name",
			ho->name, "zone", m->zones[ho->zone].name, "role", ho->role, "edr",
			ho->edr, "monitored", ho->monitored, "cves", cves));
	}
	for (size_t a = 0; a < m->naccounts; a++)
		json_array_append_new(accts, json_pack("{s:s,s:s}", "name", m->accounts[a].name,
			"kind", wg_account_kind_name(m->accounts[a].kind)));
	for (size_t f = 0; f < m->nflows; f++)
		json_array_append_new(flows, json_string(m->flows[f].name));
	for (size_t j = 0; j < m->njewels; j++)
		json_array_append_new(jewels, json_pack("{s:s,s:s}", "name", m->jewels[j].name,
			"host", m->hosts[m->jewels[j].host].name));
	for (int k = WG_EX_PASS; k < WG_EX_KIND_COUNT; k++)
		json_object_set_new(costs, wg_ex_kind_name((wg_ex_kind)k),
				    json_integer(wg_ex_cost((wg_ex_kind)k)));
	return line(json_pack("{s:s,s:s?,s:s,s:i,s:i,s:o,s:o,s:o,s:o,s:o}", "type", "start",
		"model", m->name, "adversary", x->g->adv->name, "turns", x->o.turns,
		"budget", x->o.budget, "costs", costs, "hosts", hosts, "accounts", accts,
		"flows", flows, "jewels", jewels));
}

/* Attacker steps that worked and raised no alert. */
static json_t *missed(const wg_exercise *x)
{
	json_t *a = json_array(), *st;
	size_t i;

	json_array_foreach(x->steps, i, st)
		if (json_is_true(json_object_get(st, "success")) &&
		    !json_is_true(json_object_get(st, "alerted")))
			json_array_append(a, st);
	return a;
}

static json_t *footholds(const wg_exercise *x)
{
	int hs[64];
	size_t n = wg_ex_footholds(x, hs, 64);
	json_t *a = json_array();

	for (size_t i = 0; i < n && i < 64; i++)
		json_array_append_new(a, json_string(x->g->model->hosts[hs[i]].name));
	return a;
}

char *wg_ex_message(const wg_exercise *x)
{
	if (x->outcome == EX_RUNNING)
		return line(json_pack("{s:s,s:i,s:i,s:i,s:O,s:O}", "type", "turn",
			"turn", x->turn, "turns", x->o.turns, "budget", x->budget,
			"alerts", x->alerts, "results", x->shown));
	return line(json_pack("{s:s,s:s,s:i,s:i,s:s?,s:O,s:{s:O,s:o,s:{s:I,s:I},s:O,s:o}}",
		"type", "end", "outcome", outcome_name(x->outcome), "turn", x->turn,
		"score", x->score, "jewel",
		x->jewel != WG_NONE ? x->g->model->jewels[x->jewel].name : NULL,
		"results", x->results, "review", "attacker_steps", x->steps,
		"missed", missed(x), "alerts", "true", (json_int_t)x->true_alerts,
		"false", (json_int_t)x->false_alerts, "blue_actions", x->blue,
		"footholds_left", footholds(x)));
}

static void describe_turn(const wg_exercise *x, cc_buf *o)
{
	size_t i;
	json_t *a;

	cc_buf_printf(o, "\n== turn %d of %d — budget %d (investigate 1, isolate 2, "
		      "reset 1, block 1, patch 2; map is free)\n", x->turn, x->o.turns,
		      x->budget);
	if (!json_array_size(x->alerts))
		cc_buf_puts(o, "no alerts\n");
	json_array_foreach(x->alerts, i, a)
		cc_buf_printf(o, "  [%s] %s alert on %s: %s %s\n",
			      json_string_value(json_object_get(a, "id")),
			      json_string_value(json_object_get(a, "source")),
			      json_string_value(json_object_get(a, "host")),
			      json_string_value(json_object_get(a, "technique")),
			      json_string_value(json_object_get(a, "name")));
}

static void describe_end(const wg_exercise *x, cc_buf *o)
{
	json_t *st, *ms = missed(x);
	size_t i;

	cc_buf_puts(o, "\n== exercise over: ");
	if (x->outcome == EX_EVICTED)
		cc_buf_puts(o, "the attacker has no move left — evicted");
	else if (x->outcome == EX_JEWEL)
		cc_buf_printf(o, "crown jewel %s fell", x->g->model->jewels[x->jewel].name);
	else
		cc_buf_puts(o, "the turns ran out with the jewels intact");
	cc_buf_printf(o, " (turn %d). Score %d.\n\nAfter-action review — what the "
		      "attacker did:\n", x->turn, x->score);
	json_array_foreach(x->steps, i, st) {
		const char *h = json_string_value(json_object_get(st, "host"));

		cc_buf_printf(o, "  turn %2d  %-10s %-40s %-14s %s%s\n",
			      (int)json_integer_value(json_object_get(st, "turn")),
			      json_string_value(json_object_get(st, "technique")),
			      json_string_value(json_object_get(st, "name")), h ? h : "-",
			      json_is_true(json_object_get(st, "success")) ? "worked" : "failed",
			      json_is_true(json_object_get(st, "alerted")) ? ", alerted" : "");
	}
	cc_buf_printf(o, "Missed: %zu steps worked without any alert. Alerts: %zu true, "
		      "%zu false.\n", json_array_size(ms), x->true_alerts, x->false_alerts);
	json_decref(ms);
}

void wg_ex_describe(const wg_exercise *x, cc_buf *out)
{
	if (x->outcome == EX_RUNNING)
		describe_turn(x, out);
	else
		describe_end(x, out);
}
