/*
 * score.c — indicator scores: the indicator's confidence decaying with
 * age as in MISP's decay model, the decay restarted by a fresh sighting,
 * the base moved by opinions (false-positive reports are opinions that
 * disagree).  Per-type defaults: addresses change hands within weeks,
 * file hashes stay what they are.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/time.h"

static const struct { const char *type; an_decay d; } models[] = {
	{ "ipv4-addr", { 30, 2.0 } }, { "ipv6-addr", { 30, 2.0 } },
	{ "network-traffic", { 30, 2.0 } }, { "domain-name", { 90, 1.5 } },
	{ "url", { 90, 1.5 } }, { "email-addr", { 180, 1.0 } },
	{ "x509-certificate", { 180, 1.0 } }, { "file", { 365, 0.5 } },
};
static const an_decay general = { 180, 1.0 };

void an_decay_for(const char *t, an_decay *out)
{
	*out = general;
	for (size_t i = 0; t && i < sizeof(models) / sizeof(models[0]); i++)
		if (!strcmp(models[i].type, t))
			*out = models[i].d;
}

struct an_evidence {
	json_t *last;           /* indicator id -> last_seen (µs) of its sightings */
	json_t *count;          /* indicator id -> sightings */
	json_t *sighting_of;    /* sighting id -> indicator id */
	json_t *opinions;       /* "author target" -> [modified µs, opinion] */
	json_t *adj;            /* indicator id -> sum of its opinions' weights
				   (an_evidence_finish) */
};

an_evidence *an_evidence_new(void)
{
	an_evidence *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	ev->last = json_object();
	ev->count = json_object();
	ev->sighting_of = json_object();
	ev->opinions = json_object();
	ev->adj = json_object();
	if (!ev->last || !ev->count || !ev->sighting_of || !ev->opinions || !ev->adj) {
		an_evidence_free(ev);
		return NULL;
	}
	return ev;
}

void an_evidence_free(an_evidence *ev)
{
	if (!ev)
		return;
	json_decref(ev->last);
	json_decref(ev->count);
	json_decref(ev->sighting_of);
	json_decref(ev->opinions);
	json_decref(ev->adj);
	free(ev);
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t ts(const json_t *o, const char *k, int64_t dflt)
{
	int64_t us;

	return str(o, k) && cc_ts_parse(str(o, k), &us) ? us : dflt;
}

static void add_sighting(an_evidence *ev, const json_t *s)
{
	const char *id = str(s, "id"), *of = str(s, "sighting_of_ref");
	int64_t last = ts(s, "last_seen", ts(s, "modified", INT64_MIN));
	json_t *have;

	if (!id || !of)
		return;
	json_object_set_new(ev->sighting_of, id, json_string(of));
	have = json_object_get(ev->last, of);
	if (!have || json_integer_value(have) < last)
		json_object_set_new(ev->last, of, json_integer(last));
	json_object_set_new(ev->count, of,
			    json_integer(json_integer_value(json_object_get(ev->count, of)) + 1));
}

static void add_opinion(an_evidence *ev, const json_t *o)
{
	const char *op = str(o, "opinion"), *author = str(o, "created_by_ref");
	int64_t mod = ts(o, "modified", 0);
	json_t *refs = json_object_get(o, "object_refs"), *r;
	size_t i;

	if (!op)
		return;
	json_array_foreach(refs, i, r) {
		char key[512];
		json_t *have;

		if (!json_is_string(r))
			continue;
		snprintf(key, sizeof(key), "%s %s", author ? author : "", json_string_value(r));
		have = json_object_get(ev->opinions, key);
		if (have && json_integer_value(json_array_get(have, 0)) > mod)
			continue;
		json_object_set_new(ev->opinions, key, json_pack("[I,s]", (json_int_t)mod, op));
	}
}

void an_evidence_add(an_evidence *ev, const json_t *obj)
{
	const char *t = str(obj, "type");

	if (!ev || !t)
		return;
	if (!strcmp(t, "sighting"))
		add_sighting(ev, obj);
	else if (!strcmp(t, "opinion"))
		add_opinion(ev, obj);
}

static int opinion_weight(const char *op)
{
	static const struct { const char *op; int w; } ws[] = {
		{ "strongly-disagree", -40 }, { "disagree", -20 }, { "neutral", 0 },
		{ "agree", 10 }, { "strongly-agree", 20 },
	};

	for (size_t i = 0; i < sizeof(ws) / sizeof(ws[0]); i++)
		if (!strcmp(ws[i].op, op))
			return ws[i].w;
	return 0;
}

void an_evidence_finish(an_evidence *ev)
{
	const char *key;
	json_t *v;

	if (!ev)
		return;
	json_object_clear(ev->adj);
	json_object_foreach(ev->opinions, key, v) {
		const char *target = strchr(key, ' ');
		const char *of;

		if (!target)
			continue;
		target++;
		of = json_string_value(json_object_get(ev->sighting_of, target));
		if (!of)
			of = target;    /* on the indicator itself */
		json_object_set_new(ev->adj, of, json_integer(
			json_integer_value(json_object_get(ev->adj, of)) +
			opinion_weight(json_string_value(json_array_get(v, 1)))));
	}
}

/* The SCO type of a pattern's first comparison ("[ipv4-addr:value ..."). */
static void first_type(const char *pattern, char *out, size_t n)
{
	const char *p = pattern ? strchr(pattern, '[') : NULL;
	size_t k = 0;

	out[0] = '\0';
	if (!p)
		return;
	p++;
	while (*p == ' ' || *p == '(')
		p++;
	while (p[k] && p[k] != ':' && k + 1 < n)
		k++;
	if (p[k] == ':') {
		memcpy(out, p, k);
		out[k] = '\0';
	}
}

double an_indicator_score(const an_evidence *ev, const json_t *obj, int64_t now_us,
			  an_score_info *why)
{
	an_score_info in;
	json_t *conf = json_object_get(obj, "confidence");
	const char *id = str(obj, "id");
	double age, base;

	memset(&in, 0, sizeof(in));
	in.base = json_is_integer(conf) ? (int)json_integer_value(conf) : 75;
	in.since_us = ts(obj, "valid_from", ts(obj, "created", now_us));
	if (ev && id) {
		json_t *last = json_object_get(ev->last, id);

		if (last && json_integer_value(last) > in.since_us)
			in.since_us = json_integer_value(last);
		in.sightings = (uint64_t)json_integer_value(json_object_get(ev->count, id));
		in.adjust = (int)json_integer_value(json_object_get(ev->adj, id));
	}
	first_type(str(obj, "pattern"), in.type, sizeof(in.type));
	an_decay_for(in.type, &in.model);
	in.expired = ts(obj, "valid_until", INT64_MAX) <= now_us;
	base = in.base + in.adjust;
	base = base < 0 ? 0 : base > 100 ? 100 : base;
	age = (double)(now_us - in.since_us) / 86400e6;
	if (age < 0)
		age = 0;
	if (in.expired || age >= in.model.tau_days)
		in.score = 0;
	else
		in.score = base * (1 - pow(age / in.model.tau_days, 1 / in.model.delta));
	if (why)
		*why = in;
	return in.score;
}
