/*
 * wl_check.c — warning lists as the hub applies them: the set in force
 * (built-in lists as the store enables them, imported lists), and the
 * values of an indicator's pattern put to it (import, validate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/wl_int.h"
#include "pattern/pattern.h"
#include "util/buf.h"

/* Whether the store's row for name says it is on (dflt when it has none). */
static bool row_on(const store_wl *v, size_t n, const char *name, bool dflt)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return v[i].enabled;
	return dflt;
}

int an_wlset_load(an_wlset *set, store *s, cc_err *e)
{
	store_wl *v = NULL;
	size_t n = 0, nb;
	const an_wl_builtin *b = an_wl_builtins(&nb);
	int rc = 0;

	if (s) {
		rc = store_wl_list(s, &v, &n, e);
		if (rc)
			return rc;
	}
	for (size_t i = 0; rc == 0 && i < nb; i++) {
		char *json;

		if (!row_on(v, n, b[i].name, b[i].on))
			continue;
		json = an_wl_builtin_json(b[i].name);
		rc = json ? an_wlset_add_json(set, json, strlen(json), b[i].name, e)
			  : cc_err_set(e, CC_ENOMEM, "out of memory");
		free(json);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (v[i].json && v[i].enabled)
			rc = an_wlset_add_json(set, v[i].json, strlen(v[i].json), v[i].name, e);
	store_wl_list_free(v, n);
	return rc;
}

/* The path as "type:key.key" (list steps left out), into b. */
static void path_text(const pattern_path *p, cc_buf *b)
{
	cc_buf_printf(b, "%s:", p->object_type);
	for (size_t i = 0; i < p->n_steps; i++)
		if (p->steps[i].kind == PATTERN_STEP_KEY)
			cc_buf_printf(b, "%s%s", i ? "." : "", p->steps[i].key);
}

typedef struct check {
	const an_wlset *s;
	an_warn_fn fn;
	void *ud;
	size_t n;
} check;

static void check_value(check *c, const char *path, const pattern_literal *l)
{
	const char *list, *broad;
	char msg[512];

	if (l->kind != PATTERN_LIT_STRING)
		return;
	list = an_wl_find(c->s, path, l->str, l->len);
	broad = list ? NULL : an_wl_broad(path, l->str, l->len);
	if (!list && !broad)
		return;
	if (list)
		snprintf(msg, sizeof(msg), "%s '%.100s' is on warning list %s: it never alerts", path,
			 l->str, list);
	else
		snprintf(msg, sizeof(msg), "%s '%.100s' is too broad (%s): it never alerts", path,
			 l->str, broad);
	c->n++;
	if (c->fn)
		c->fn(c->ud, msg);
}

static void check_ce(check *c, const pattern_cexpr *ce)
{
	const pattern_comparison *cmp = ce->cmp;
	cc_buf path = CC_BUF_INIT;

	if (ce->kind != PATTERN_CE_CMP) {
		for (size_t i = 0; i < ce->n_kids; i++)
			check_ce(c, ce->kids[i]);
		return;
	}
	if (cmp->negated || (cmp->op != PATTERN_OP_EQ && cmp->op != PATTERN_OP_IN &&
			     cmp->op != PATTERN_OP_ISSUBSET))
		return;
	path_text(&cmp->path, &path);
	if (cmp->op == PATTERN_OP_IN)
		for (size_t i = 0; i < cmp->lit.n_items; i++)
			check_value(c, cc_buf_str(&path), &cmp->lit.items[i]);
	else
		check_value(c, cc_buf_str(&path), &cmp->lit);
	cc_buf_free(&path);
}

static void check_oe(check *c, const pattern_oexpr *oe)
{
	if (!oe)
		return;
	if (oe->kind == PATTERN_OE_OBS)
		check_ce(c, oe->ce);
	check_oe(c, oe->left);
	check_oe(c, oe->right);
	check_oe(c, oe->kid);
}

size_t an_wl_check_pattern(const an_wlset *s, const pattern *p, an_warn_fn fn, void *ud)
{
	check c = { s, fn, ud, 0 };

	if (p)
		check_oe(&c, p->root);
	return c.n;
}
