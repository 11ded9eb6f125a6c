/*
 * rx.c — LIKE and MATCHES comparisons: one Hyperscan database per field
 * kind, every expression with its own flags.  LIKE becomes an anchored
 * regex.  A MATCHES regex Hyperscan cannot compile exactly is compiled as a
 * prefilter and each prefilter match confirmed by the pattern module
 * (PCRE2); what Hyperscan refuses even then is tested with PCRE2 alone.
 */
#include <hs/hs.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"
#include "util/buf.h"
#include "util/unicode.h"

static const pattern_comparison *only_cmp(const pattern *p)
{
	return p->root->ce->cmp;
}

/* SQL LIKE to an anchored regex: % any run, _ one character. */
static char *like_to_regex(const char *s, size_t n)
{
	cc_buf b = CC_BUF_INIT;

	cc_buf_putc(&b, '^');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%')
			cc_buf_puts(&b, ".*");
		else if (c == '_')
			cc_buf_putc(&b, '.');
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)
			cc_buf_putc(&b, (char)c);
		else
			cc_buf_printf(&b, "\\x%02x", c);
	}
	cc_buf_putc(&b, '$');
	return cc_buf_take(&b, NULL);
}

int mt_rx_add(matcher *m, mt_kind k, pattern *p, uint32_t ind)
{
	mt_rxset *s = &m->rx[k];
	const pattern_comparison *c = only_cmp(p);

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		mt_rxent *e = realloc(s->e, cap * sizeof(*e));
		char **x = realloc(s->expr, cap * sizeof(*x));
		unsigned *f = realloc(s->flags, cap * sizeof(*f));

		if (e)
			s->e = e;
		if (x)
			s->expr = x;
		if (f)
			s->flags = f;
		if (!e || !x || !f) {
			pattern_free(p);
			return CC_ENOMEM;
		}
		s->cap = cap;
	}
	if (c->op == PATTERN_OP_LIKE) {
		s->expr[s->n] = like_to_regex(c->lit.str, c->lit.len);
		s->flags[s->n] = HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
	} else {
		s->expr[s->n] = strdup(c->lit.str);
		s->flags[s->n] = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
	}
	if (!s->expr[s->n]) {
		pattern_free(p);
		return CC_ENOMEM;
	}
	s->e[s->n].ind = ind;
	s->e[s->n].pat = p;
	s->e[s->n].exact = false;
	s->n++;
	m->rx_kinds |= 1u << k;
	return 0;
}

static int to_pcre(mt_rxset *s, size_t i)
{
	if (s->n_pcre == s->cap_pcre) {
		size_t cap = s->cap_pcre ? s->cap_pcre * 2 : 8;
		mt_rxent *v = realloc(s->pcre, cap * sizeof(*v));

		if (!v)
			return CC_ENOMEM;
		s->pcre = v;
		s->cap_pcre = cap;
	}
	s->pcre[s->n_pcre++] = s->e[i];
	free(s->expr[i]);
	/* keep ids dense: move the last entry here */
	s->n--;
	s->e[i] = s->e[s->n];
	s->expr[i] = s->expr[s->n];
	s->flags[i] = s->flags[s->n];
	return 0;
}

/* Check each expression alone, marking what Hyperscan refuses as a
 * prefilter, or moving it to PCRE2; done once a joint compile has failed,
 * so that the retries below stay few. */
static int precheck(mt_rxset *s)
{
	for (size_t i = 0; i < s->n;) {
		hs_expr_info_t *info = NULL;
		hs_compile_error_t *ce = NULL;

		if (hs_expression_info(s->expr[i], s->flags[i], &info, &ce) == HS_SUCCESS) {
			free(info);
			i++;
			continue;
		}
		hs_free_compile_error(ce);
		if (!(s->flags[i] & HS_FLAG_PREFILTER)) {
			s->flags[i] |= HS_FLAG_PREFILTER;
			continue;
		}
		if (to_pcre(s, i) < 0)
			return CC_ENOMEM;
	}
	return 0;
}

static int compile_set(mt_rxset *s, cc_err *e)
{
	unsigned *ids = NULL;
	int rc = 0;
	bool checked = false;

	while (s->n) {
		hs_database_t *db = NULL;
		hs_compile_error_t *ce = NULL;

		free(ids);
		ids = malloc(s->n * sizeof(*ids));
		if (!ids)
			return CC_ENOMEM;
		for (size_t i = 0; i < s->n; i++)
			ids[i] = (unsigned)i;
		if (hs_compile_multi((const char *const *)s->expr, s->flags, ids, (unsigned)s->n,
				     HS_MODE_BLOCK, NULL, &db, &ce) == HS_SUCCESS) {
			s->db = db;
			break;
		}
		if (ce->expression < 0 || (size_t)ce->expression >= s->n) {
			rc = cc_err_set(e, CC_ERR, "hyperscan: %s", ce->message);
			hs_free_compile_error(ce);
			goto out;
		}
		if (!checked) {
			hs_free_compile_error(ce);
			checked = true;
			rc = precheck(s);
			if (rc < 0)
				goto out;
			continue;
		}
		if (!(s->flags[ce->expression] & HS_FLAG_PREFILTER))
			s->flags[ce->expression] |= HS_FLAG_PREFILTER;
		else if (to_pcre(s, (size_t)ce->expression) < 0)
			rc = CC_ENOMEM;
		hs_free_compile_error(ce);
		if (rc < 0)
			goto out;
	}
	for (size_t i = 0; i < s->n; i++) {
		s->e[i].exact = !(s->flags[i] & HS_FLAG_PREFILTER);
		free(s->expr[i]);
		s->expr[i] = NULL;
	}
out:
	free(ids);
	return rc;
}

typedef struct rx_job {
	mt_rxset *s;
	int rc;
	cc_err e;
} rx_job;

static void *rx_job_main(void *arg)
{
	rx_job *j = arg;

	j->rc = compile_set(j->s, &j->e);
	return NULL;
}

/* The sets are independent: compile them on parallel threads. */
int mt_rx_compile(matcher *m, cc_err *e)
{
	rx_job jobs[MK_COUNT];
	pthread_t tid[MK_COUNT];
	bool started[MK_COUNT] = { false };
	int rc = 0;

	for (int k = 0; k < MK_COUNT; k++) {
		jobs[k].s = &m->rx[k];
		jobs[k].rc = 0;
		cc_err_clear(&jobs[k].e);
		if (m->rx[k].n && pthread_create(&tid[k], NULL, rx_job_main, &jobs[k]) == 0)
			started[k] = true;
		else if (m->rx[k].n)
			rx_job_main(&jobs[k]);
	}
	for (int k = 0; k < MK_COUNT; k++) {
		mt_rxset *s = &m->rx[k];

		if (started[k])
			pthread_join(tid[k], NULL);
		if (jobs[k].rc < 0 && rc == 0) {
			rc = jobs[k].rc;
			*e = jobs[k].e;
		}
		if (s->db && hs_alloc_scratch(s->db, (hs_scratch_t **)&m->scratch_proto) != HS_SUCCESS && rc == 0)
			rc = cc_err_set(e, CC_ENOMEM, "hyperscan: cannot allocate scratch");
		m->st.regex_hs += s->n;
		m->st.regex_pcre += s->n_pcre;
	}
	return rc;
}

void mt_rx_free(matcher *m)
{
	for (int k = 0; k < MK_COUNT; k++) {
		mt_rxset *s = &m->rx[k];

		for (size_t i = 0; i < s->n; i++) {
			pattern_free(s->e[i].pat);
			if (s->expr)
				free(s->expr[i]);
		}
		for (size_t i = 0; i < s->n_pcre; i++)
			pattern_free(s->pcre[i].pat);
		hs_free_database(s->db);
		free(s->e);
		free(s->expr);
		free(s->flags);
		free(s->pcre);
	}
	hs_free_scratch(m->scratch_proto);
}

/* ---- scanning one field ---- */

typedef struct rx_ctx {
	const mt_rxset *s;
	const char *p;
	size_t n;
	json_t *val;            /* the value as JSON, made on first confirm */
	mt_hit_fn fn;
	void *ud;
} rx_ctx;

static bool confirm(rx_ctx *c, const pattern *p)
{
	if (!c->val)
		c->val = json_stringn(c->p, c->n);
	return c->val && pattern_value_test(only_cmp(p), c->val);
}

static int on_hs_match(unsigned id, unsigned long long from, unsigned long long to,
		       unsigned flags, void *ctx)
{
	rx_ctx *c = ctx;
	const mt_rxent *en = &c->s->e[id];

	(void)from;
	(void)to;
	(void)flags;
	if (en->exact || confirm(c, en->pat))
		c->fn(c->ud, en->ind);
	return 0;
}

int mt_rx_scan(const matcher *m, mt_kind k, void *scratch, const char *p, size_t n,
	       mt_hit_fn fn, void *ud)
{
	const mt_rxset *s = &m->rx[k];
	rx_ctx c = { s, p, n, NULL, fn, ud };
	int rc = 0;

	if (!cc_is_ascii(p, n)) {
		/* Hyperscan works on bytes; LIKE's '_', MATCHES' '.', '\\w' and
		 * NFC are about characters: the pattern module decides. */
		for (size_t i = 0; i < s->n; i++)
			if (confirm(&c, s->e[i].pat))
				fn(ud, s->e[i].ind);
	} else if (s->db && hs_scan(s->db, p, (unsigned)n, 0, scratch, on_hs_match, &c) !=
		   HS_SUCCESS) {
		rc = CC_ERR;
	}
	for (size_t i = 0; i < s->n_pcre; i++)
		if (confirm(&c, s->pcre[i].pat))
			fn(ud, s->pcre[i].ind);
	json_decref(c.val);
	return rc;
}
