/*
 * match_in.c — what `cybercell match` matches with: the indicators of a
 * bundle file or a store collection, less the values on warning lists or
 * too broad (unless --no-warninglists) and the indicators scoring below
 * --min-score.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/match_int.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/jsplit.h"
#include "util/time.h"

/* The filter of the matcher: a value on a list or too broad is dropped
 * (and the first few said); a hit all of whose values are listed too. */
static bool wl_filter(void *ud, const char *ind, const char *path, const char *v, size_t n, bool hit)
{
	match_cli *c = ud;
	const char *list = an_wl_find(c->wl, path, v, n);
	const char *broad = list || hit ? NULL : an_wl_broad(path, v, n);

	if (hit)
		return list != NULL;
	if (!list && !broad)
		return false;
	if (c->wl_skipped++ < MCLI_SHOWN)
		fprintf(stderr, "cybercell: match: %s: skipping %s '%.*s': %s%s\n", ind, path,
			(int)(n > 100 ? 100 : n), v, list ? "on warning list " : "too broad, ",
			list ? list : broad);
	return true;
}

/* The admission of an indicator: its score is at least --min-score. */
static bool score_admit(void *ud, const char *text, size_t len)
{
	match_cli *c = ud;
	json_t *o = json_loadb(text, len, 0, NULL);
	an_score_info why;
	bool take;

	if (!o)
		return true;    /* the matcher says what is wrong with it */
	an_indicator_score(c->ev, o, c->now_us, &why);
	take = why.score >= c->min_score;
	if (!take && c->score_skipped++ < MCLI_SHOWN)
		fprintf(stderr, "cybercell: match: %s: skipping: score %.1f below %g (confidence %d, "
			"opinions %+d, %s %.1f days, lifetime %g days)\n",
			json_string_value(json_object_get(o, "id")), why.score, c->min_score, why.base,
			why.adjust, why.expired ? "expired; age" : "age",
			(double)(c->now_us - why.since_us) / 86400e6, why.model.tau_days);
	json_decref(o);
	return take;
}

int mcli_setup_filters(match_cli *c, matcher *m, const char *const *wl_files, size_t n_wl,
		       bool no_wl, cc_err *e)
{
	int rc = 0;

	if (!no_wl) {
		c->wl = an_wlset_new();
		if (!c->wl)
			return cc_err_set(e, CC_ENOMEM, "match: out of memory");
		rc = an_wlset_load(c->wl, c->s, e);
		for (size_t i = 0; rc == 0 && i < n_wl; i++) {
			cc_buf b = CC_BUF_INIT;

			rc = cc_file_read_all(wl_files[i], &b, e);
			if (rc == 0)
				rc = an_wlset_add_json(c->wl, cc_buf_str(&b), b.len,
						       cc_file_display(wl_files[i]), e);
			if (rc == CC_ECONFLICT)
				rc = 0;         /* in force already */
			cc_buf_free(&b);
		}
		if (rc)
			return rc;
		match_set_filter(m, wl_filter, c);
	}
	if (c->min_score >= 0) {
		c->ev = an_evidence_new();
		if (!c->ev)
			return cc_err_set(e, CC_ENOMEM, "match: out of memory");
		c->now_us = cc_now_us();
		match_set_admit(m, score_admit, c);
	}
	return 0;
}

static void warn(const char *msg)
{
	fprintf(stderr, "cybercell: match: skipping indicator: %s\n", msg);
}

static void warn_cb(void *ud, const char *msg)
{
	(void)ud;
	warn(msg);
}

typedef struct load_ctx {
	match_cli *c;
	matcher *m;
	size_t nbad;
} load_ctx;

static int load_row(const store_row *row, void *ud)
{
	load_ctx *l = ud;
	cc_err e = { 0 };

	if (match_add_indicator_text(l->m, row->json, row->json_len, &e) < 0 && l->nbad++ < 5)
		warn(e.msg);
	return 0;
}

/* Sightings and opinions for the scores. */
static int evidence_row(const store_row *row, void *ud)
{
	json_t *o = json_loadb(row->json, row->json_len, 0, NULL);

	an_evidence_add(ud, o);
	json_decref(o);
	return 0;
}

static int load_collection(match_cli *c, matcher *m, const char *coll, cc_err *e)
{
	store_collection sc = { 0 };
	const char *types[] = { "indicator" }, *ev_types[] = { "sighting", "opinion" };
	store_query q = { 0 };
	load_ctx l = { c, m, 0 };
	int rc = store_collection_get(c->s, coll, &sc, e);

	if (rc < 0)
		return rc;
	c->coll_id = sc.id;
	store_collection_clear(&sc);
	q.collection_id = c->coll_id;
	if (c->ev) {
		q.types = ev_types;
		q.n_types = 2;
		rc = store_query_run(c->s, &q, evidence_row, c->ev, NULL, e);
		an_evidence_finish(c->ev);
		if (rc < 0)
			return rc;
	}
	q.types = types;
	q.n_types = 1;
	return store_query_run(c->s, &q, load_row, &l, NULL, e);
}

/* One element of a bundle, when it may be a sighting or an opinion (the
 * others, a million indicators among them, are never parsed here). */
static void evidence_text(an_evidence *ev, const char *p, size_t n)
{
	json_t *o;

	if (!memmem(p, n, "\"sighting\"", 10) && !memmem(p, n, "\"opinion\"", 9))
		return;
	o = json_loadb(p, n, 0, NULL);
	an_evidence_add(ev, o);
	json_decref(o);
}

/* The sightings and opinions of a bundle file (or array), for the scores:
 * cut into elements without building the whole tree. */
static int bundle_evidence(an_evidence *ev, const char *path, cc_err *e)
{
	cc_buf b = CC_BUF_INIT;
	cc_jspan *el = NULL, arr;
	size_t n = 0;
	int rc = cc_file_read_all(path, &b, e);

	if (rc == 0 && (cc_jsplit_bundle(cc_buf_str(&b), b.len, 256, &el, &n, &arr) ||
			cc_jsplit_array(cc_buf_str(&b), b.len, 256, &el, &n)))
		for (size_t i = 0; i < n; i++)
			evidence_text(ev, b.data + el[i].off, el[i].len);
	an_evidence_finish(ev);
	free(el);
	cc_buf_free(&b);
	return rc;
}

int mcli_load(match_cli *c, matcher *m, const char *bundle, const char *coll, cc_err *e)
{
	int rc;

	if (!bundle)
		return load_collection(c, m, coll ? coll : STORE_DEFAULT_COLLECTION, e);
	if (c->ev && strcmp(bundle, "-")) {
		rc = bundle_evidence(c->ev, bundle, e);
		if (rc)
			return rc;
	}
	return match_add_bundle_file(m, bundle, warn_cb, NULL, e);
}

void mcli_report_skips(const match_cli *c)
{
	match_stats st;

	match_get_stats(c->m, &st);
	if (c->wl_skipped)
		fprintf(stderr, "cybercell: match: %llu indicator value%s skipped: on a warning list or "
			"too broad (--no-warninglists keeps them)\n", (unsigned long long)c->wl_skipped,
			c->wl_skipped == 1 ? "" : "s");
	if (c->score_skipped)
		fprintf(stderr, "cybercell: match: %llu indicator%s skipped: score below %g\n",
			(unsigned long long)c->score_skipped, c->score_skipped == 1 ? "" : "s",
			c->min_score);
	if (!st.indicators)
		fprintf(stderr, "cybercell: match: warning: no indicator to match with (%zu skipped): "
			"nothing can hit\n", st.skipped);
}
