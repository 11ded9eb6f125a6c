/*
 * scan.c — one event through the matcher: exact lookups straight from the
 * field bytes, the regex sets, then (only when some general pattern could
 * care) the event's observations through the pattern module.  The results
 * of a piece of a file are kept as compact records until the piece is
 * merged, in order, by the caller's thread (piece.c).
 */
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "match/scan_int.h"

void mt_worker_init(mt_worker *w, const matcher *m, bool retro)
{
	memset(w, 0, sizeof(*w));
	w->m = m;
	w->retro = retro;
	mt_event_reset(&w->ev);
	if (m->scratch_proto)
		hs_clone_scratch(m->scratch_proto, (hs_scratch_t **)&w->scratch);
}

void mt_worker_free(mt_worker *w)
{
	if (!w)
		return;
	mt_event_free(&w->ev);
	hs_free_scratch(w->scratch);
	free(w->acc);
}

void mt_piece_clear(mt_piece *pc)
{
	for (size_t i = 0; i < pc->nc; i++)
		json_decref(pc->cands[i].objects);
	free(pc->hits);
	free(pc->cands);
	cc_buf_free(&pc->vals);
	pc->hits = NULL;
	pc->cands = NULL;
	pc->nh = pc->caph = pc->nc = pc->capc = 0;
	pc->lines = pc->events = pc->malformed = pc->fields = 0;
	pc->nbad = 0;
}

static void acc_hit(void *ud, uint32_t ind)
{
	mt_worker *w = ud;

	if (w->nacc == w->capacc) {
		size_t cap = w->capacc ? w->capacc * 2 : 64;
		mt_acc *v = realloc(w->acc, cap * sizeof(*v));

		if (!v)
			return;
		w->acc = v;
		w->capacc = cap;
	}
	w->acc[w->nacc].ind = ind;
	w->acc[w->nacc].field = w->cur_field;
	w->nacc++;
}

const char *mt_field_path(const mt_field *f)
{
	if (f->kind == MK_IP)
		return memchr(f->p, ':', f->n) ? "ipv6-addr:value" : "ipv4-addr:value";
	return mt_kind_path((mt_kind)f->kind);
}

/* Append "path\0value\0" for field i of the event to the piece's values. */
static void put_value(mt_piece *pc, const mt_field *f)
{
	const char *path = mt_field_path(f);

	cc_buf_append(&pc->vals, path, strlen(path) + 1);
	cc_buf_append(&pc->vals, f->p, f->n);
	cc_buf_putc(&pc->vals, '\0');
}

/* Whether the indicator was valid at the event's time (an event without a
 * time is not judged; a retro-hunt judges none). */
static bool valid_at(const mt_worker *w, const mt_ind *in, mt_event *ev)
{
	int64_t ts;

	if (w->retro)
		return true;
	ts = mt_event_ts(ev);
	return ts == INT64_MIN || (ts >= in->valid_from && ts < in->valid_until);
}

static void lookup_field(mt_worker *w, const mt_field *f)
{
	const matcher *m = w->m;
	mt_kind k = (mt_kind)f->kind;

	if (k == MK_SRC_IP || k == MK_DST_IP || k == MK_IP) {
		mt_ip ip;

		if ((m->ip[0].n4 | m->ip[0].n6 | m->ip[1].n4 | m->ip[1].n6 | m->ip[2].n4 |
		     m->ip[2].n6) == 0 || !mt_ip_parse(f->p, f->n, false, &ip))
			return;
		mt_ipindex_find(&m->ip[MT_ROLE_ANY], &ip, acc_hit, w);
		if (k == MK_SRC_IP)
			mt_ipindex_find(&m->ip[MT_ROLE_SRC], &ip, acc_hit, w);
		else if (k == MK_DST_IP)
			mt_ipindex_find(&m->ip[MT_ROLE_DST], &ip, acc_hit, w);
	} else if (m->str.kinds >> k & 1) {
		char tmp[MT_NORM_MAX];
		int n = mt_norm(k, f->p, f->n, tmp);

		if (n > 0)
			mt_strindex_find(&m->str, k, tmp, (size_t)n, acc_hit, w);
	}
	if (m->rx_kinds >> k & 1)
		mt_rx_scan(m, k, w->scratch, f->p, f->n, acc_hit, w);
}

static mt_cand *new_cand(mt_piece *pc)
{
	if (pc->nc == pc->capc) {
		size_t cap = pc->capc ? pc->capc * 2 : 16;
		mt_cand *v = realloc(pc->cands, cap * sizeof(*v));

		if (!v)
			return NULL;
		pc->cands = v;
		pc->capc = cap;
	}
	return &pc->cands[pc->nc++];
}

/* Patterns the indexes cannot hold. */
static void general(mt_worker *w, mt_piece *pc, mt_event *ev, uint32_t evkinds)
{
	const matcher *m = w->m;
	json_t *objs = NULL;

	for (size_t gi = 0; gi < m->n_gen; gi++) {
		const mt_general *g = &m->gen[gi];
		bool any = false;

		if (!(g->kinds & evkinds) || !valid_at(w, &m->ind[g->ind], ev))
			continue;
		if (!objs)
			objs = mt_event_objects(ev);
		if (!g->multi) {
			if (!pattern_cexpr_eval(g->pat->root->ce, objs, NULL, NULL))
				continue;
			for (size_t i = 0; i < ev->nf; i++)
				if (g->kinds >> ev->f[i].kind & 1) {
					w->cur_field = (uint32_t)i;
					acc_hit(w, g->ind);
				}
			continue;
		}
		for (size_t l = 0; l < g->n_leaves && !any; l++)
			any = pattern_cexpr_eval(g->leaves[l], objs, NULL, NULL);
		if (any) {
			mt_cand *c = new_cand(pc);
			size_t v0 = pc->vals.len;

			if (!c)
				continue;
			c->gen = (uint32_t)gi;
			c->line = ev->line;
			c->ts = mt_event_ts(ev);
			c->objects = json_incref(objs);
			c->voff = v0;
			c->nv = 0;
			for (size_t i = 0; i < ev->nf; i++)
				if (g->kinds >> ev->f[i].kind & 1) {
					put_value(pc, &ev->f[i]);
					c->nv++;
				}
		}
	}
	json_decref(objs);
}

static int acc_cmp(const void *a, const void *b)
{
	const mt_acc *x = a, *y = b;

	if (x->ind != y->ind)
		return x->ind < y->ind ? -1 : 1;
	return x->field < y->field ? -1 : x->field > y->field;
}

/* Whether acc[k]'s field repeats the path and value of one of acc[i..k). */
static bool seen_value(const mt_event *ev, const mt_acc *acc, size_t i, size_t k)
{
	const mt_field *f = &ev->f[acc[k].field];

	for (size_t j = i; j < k; j++) {
		const mt_field *g = &ev->f[acc[j].field];

		if (g == f || (g->n == f->n && !memcmp(g->p, f->p, f->n) &&
			       !strcmp(mt_field_path(g), mt_field_path(f))))
			return true;
	}
	return false;
}

void mt_match_event(mt_worker *w, mt_piece *pc, mt_event *ev)
{
	const matcher *m = w->m;
	uint32_t evkinds = 0;

	mt_event_finish(ev);
	w->nacc = 0;
	for (size_t i = 0; i < ev->nf; i++) {
		w->cur_field = (uint32_t)i;
		evkinds |= 1u << ev->f[i].kind;
		lookup_field(w, &ev->f[i]);
	}
	if (m->n_gen && (evkinds & m->gen_kinds))
		general(w, pc, ev, evkinds);
	if (!w->nacc)
		return;
	if (w->nacc > 1)
		qsort(w->acc, w->nacc, sizeof(*w->acc), acc_cmp);
	for (size_t i = 0; i < w->nacc;) {
		uint32_t ind = w->acc[i].ind;
		size_t j = i;
		mt_hitrec *h;

		while (j < w->nacc && w->acc[j].ind == ind)
			j++;
		if (valid_at(w, &m->ind[ind], ev)) {
			if (pc->nh == pc->caph) {
				size_t cap = pc->caph ? pc->caph * 2 : 64;
				mt_hitrec *v = realloc(pc->hits, cap * sizeof(*v));

				if (!v)
					return;
				pc->hits = v;
				pc->caph = cap;
			}
			h = &pc->hits[pc->nh++];
			h->ind = ind;
			h->line = ev->line;
			h->ts = mt_event_ts(ev);
			h->obs = ev->obs_key;
			h->voff = pc->vals.len;
			h->nv = 0;
			for (size_t k = i; k < j; k++) {
				if (seen_value(ev, w->acc, i, k))
					continue;
				put_value(pc, &ev->f[w->acc[k].field]);
				h->nv++;
			}
		}
		i = j;
	}
}

void mt_scan_piece(mt_worker *w, mt_piece *pc, mt_reader *rd)
{
	const char *p = pc->p, *end = pc->p + pc->n;
	mt_event *ev = &w->ev;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *why = "malformed";
		int r;

		pc->lines++;
		mt_event_reset(ev);
		ev->line = pc->lines;
		ev->raw = p;
		ev->raw_len = (size_t)(le - p);
		r = rd->line(rd, p, (size_t)(le - p), ev, &why);
		if (r < 0) {
			if (pc->nbad < MT_BAD_KEEP) {
				pc->bad[pc->nbad].line = pc->lines;
				pc->bad[pc->nbad].why = why;
				pc->nbad++;
			}
			pc->malformed++;
		} else if (r > 0) {
			pc->events++;
			pc->fields += ev->nf;
			mt_match_event(w, pc, ev);
		}
		p = nl ? nl + 1 : end;
	}
}

static void count_hit(void *ud, uint32_t ind)
{
	(void)ind;
	(*(size_t *)ud)++;
}

int match_path_id(const char *path)
{
	mt_kind k = mt_kind_of_path(path);

	return k == MK_NONE ? -1 : (int)k;
}

size_t match_lookup(const matcher *m, int path_id, const char *v, size_t n)
{
	mt_kind k = path_id > 0 && path_id < MK_COUNT ? (mt_kind)path_id : MK_NONE;
	size_t c = 0;

	if (k == MK_IP || k == MK_SRC_IP || k == MK_DST_IP) {
		mt_ip ip;

		if (!mt_ip_parse(v, n, false, &ip))
			return 0;
		mt_ipindex_find(&m->ip[MT_ROLE_ANY], &ip, count_hit, &c);
		if (k != MK_IP)
			mt_ipindex_find(&m->ip[k == MK_SRC_IP ? MT_ROLE_SRC : MT_ROLE_DST], &ip, count_hit, &c);
	} else if (k != MK_NONE) {
		char tmp[MT_NORM_MAX];
		int nn = mt_norm(k, v, n, tmp);

		if (nn > 0)
			mt_strindex_find(&m->str, k, tmp, (size_t)nn, count_hit, &c);
	}
	return c;
}
