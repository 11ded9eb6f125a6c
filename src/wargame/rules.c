/*
 * rules.c — the technique rule language (docs/wargame-rules.md).
 *
 *   technique T1021.001 "Remote Desktop Protocol" lateral-movement
 *     user(H) :- cred(A), logon(A, H), nomfa(A), service(H, P, rdp),
 *                netaccess(H, P).
 *     prob 0.8
 *     time lognormal 1 0.5
 *     detect H noise 0.5
 *   end
 *
 * A block holds one or more clauses and their parameters; each clause
 * becomes one wg_rule.  Variables start with an upper-case letter or '_'.
 */
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "wargame/wargame_int.h"

/* Predicates filled from the model (never a rule head), with arities. */
static const struct { const char *name; int arity; } base_preds[] = {
	{ "host", 1 }, { "zone", 2 }, { "os", 2 }, { "role", 2 }, { "domain", 1 },
	{ "service", 3 }, { "vuln", 4 }, { "account", 2 }, { "logon", 2 },
	{ "admin", 2 }, { "cached", 2 }, { "nomfa", 1 }, { "weakpw", 1 },
	{ "owner", 2 }, { "person", 2 }, { "email", 1 }, { "jewel", 3 },
	{ "backup", 1 }, { "internet", 1 }, { "flowok", 1 }, { "flat", 1 },
	{ "edr", 1 }, { "monitored", 1 }, { "lan", 1 },
	/* derived by the engine from flows, also never a rule head */
	{ "reach", 3 }, { "hreach", 3 }, { "zreach", 3 },
	{ NULL, 0 }
};



bool wg_rules_pred_is_base(const char *name)
{
	for (int i = 0; base_preds[i].name; i++)
		if (!strcmp(base_preds[i].name, name))
			return true;
	return false;
}

wg_rules *wg_rules_new(void)
{
	wg_rules *r = cc_xcalloc(1, sizeof(*r));

	for (int i = 0; base_preds[i].name; i++) {
		r->preds = cc_xrealloc(r->preds, (r->npreds + 1) * sizeof(*r->preds));
		r->arity = cc_xrealloc(r->arity, (r->npreds + 1) * sizeof(*r->arity));
		r->preds[r->npreds] = cc_xstrdup(base_preds[i].name);
		r->arity[r->npreds++] = base_preds[i].arity;
	}
	return r;
}

int wg_rules_pred(const wg_rules *r, const char *name)
{
	for (size_t i = 0; i < r->npreds; i++)
		if (!strcmp(r->preds[i], name))
			return (int)i;
	return WG_NONE;
}

static void rule_free(wg_rule *ru)
{
	free(ru->technique);
	free(ru->name);
	free(ru->tactic);
	free(ru->sources);
	free(ru->file);
	for (int v = 0; v < ru->nvars; v++)
		free(ru->vars[v]);
	for (int a = -1; a < ru->nbody; a++) {
		wg_atom *at = a < 0 ? &ru->head : &ru->body[a];

		for (int k = 0; k < at->nargs; k++)
			free(at->args[k].constant);
	}
}

void wg_rules_free(wg_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrules; i++)
		rule_free(&r->rules[i]);
	for (size_t i = 0; i < r->npreds; i++)
		free(r->preds[i]);
	for (size_t i = 0; i < r->ndecls; i++) {
		free(r->decls[i].technique);
		free(r->decls[i].name);
		free(r->decls[i].tactic);
		free(r->decls[i].why);
		free(r->decls[i].file);
	}
	for (size_t i = 0; i < r->ndsrc; i++) {
		free(r->dsrc[i].id);
		free(r->dsrc[i].name);
	}
	free(r->decls);
	free(r->dsrc);
	free(r->rules);
	free(r->preds);
	free(r->arity);
	free(r);
}

/* ---- lexer ---- */

enum { T_EOF, T_WORD, T_STR, T_LP, T_RP, T_COMMA, T_IMPL, T_DOT, T_BAD };

typedef struct lex {
	const char *s, *end;
	int line;
	int tok;                /* current token */
	int tline;              /* its line */
	char text[256];         /* its text (T_WORD, T_STR) */
	const char *name;
	cc_err *e;
	wg_rules *r;
} lex;

static bool wordch(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

static void next(lex *x)
{
	size_t n = 0;

	for (;;) {
		while (x->s < x->end && isspace((unsigned char)*x->s)) {
			if (*x->s == '\n')
				x->line++;
			x->s++;
		}
		if (x->s < x->end && *x->s == '#') {
			while (x->s < x->end && *x->s != '\n')
				x->s++;
			continue;
		}
		break;
	}
	x->tline = x->line;
	x->text[0] = 0;
	if (x->s >= x->end) {
		x->tok = T_EOF;
		return;
	}
	switch (*x->s) {
	case '(': x->tok = T_LP; x->s++; return;
	case ')': x->tok = T_RP; x->s++; return;
	case ',': x->tok = T_COMMA; x->s++; return;
	case '.': x->tok = T_DOT; x->s++; return;
	case ':':
		x->s++;
		x->tok = T_BAD;
		if (x->s < x->end && *x->s == '-') {
			x->s++;
			x->tok = T_IMPL;
		}
		return;
	case '"':
		x->s++;
		while (x->s < x->end && *x->s != '"' && *x->s != '\n') {
			if (n + 1 < sizeof(x->text))
				x->text[n++] = *x->s;
			x->s++;
		}
		x->text[n] = 0;
		x->tok = T_BAD;
		if (x->s < x->end && *x->s == '"') {
			x->s++;
			x->tok = T_STR;
		}
		return;
	}
	if (!wordch((unsigned char)*x->s)) {
		x->tok = T_BAD;
		x->text[0] = *x->s++;
		x->text[1] = 0;
		return;
	}
	while (x->s < x->end && (wordch((unsigned char)*x->s) ||
	       (*x->s == '.' && x->s + 1 < x->end && isalnum((unsigned char)x->s[1])))) {
		if (n + 1 < sizeof(x->text))
			x->text[n++] = *x->s;
		x->s++;
	}
	x->text[n] = 0;
	x->tok = T_WORD;
}

static int fail(lex *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(lex *x, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return cc_err_set(x->e, CC_ERR, "%s:%d: %s", x->name, x->tline, what);
}

static bool is_word(lex *x, const char *w)
{
	return x->tok == T_WORD && !strcmp(x->text, w);
}

static int number(lex *x, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (x->tok != T_WORD)
		return fail(x, "expected a number");
	v = strtod(x->text, &end);
	if (*end || !isfinite(v) || v < lo || v > hi)
		return fail(x, "expected a number %g..%g, got '%s'", lo, hi, x->text);
	*out = v;
	next(x);
	return CC_OK;
}

/* ---- clauses ---- */

/* The block being parsed: parameters shared by its clauses. */
typedef struct block {
	wg_rule proto;          /* parameters (no atoms) */
	wg_rule clauses[8];
	int nclauses;
	char detect_name[256];   /* variable name given to detect */
	char sources[256];       /* the sources line's ids, space-separated */
	char scale_names[4][256];
} block;

static int var_index(wg_rule *ru, const char *name)
{
	if (strcmp(name, "_"))
		for (int v = 0; v < ru->nvars; v++)
			if (!strcmp(ru->vars[v], name))
				return v;
	if (ru->nvars == WG_MAX_VARS)
		return WG_NONE;
	ru->vars[ru->nvars] = cc_xstrdup(name);
	return ru->nvars++;
}

static int pred_of(lex *x, const char *name, int nargs)
{
	wg_rules *r = x->r;
	int p = wg_rules_pred(r, name);

	if (p != WG_NONE) {
		if (r->arity[p] != nargs)
			return fail(x, "%s takes %d argument%s, not %d", name,
				    r->arity[p], r->arity[p] == 1 ? "" : "s", nargs), WG_NONE;
		return p;
	}
	r->preds = cc_xrealloc(r->preds, (r->npreds + 1) * sizeof(*r->preds));
	r->arity = cc_xrealloc(r->arity, (r->npreds + 1) * sizeof(*r->arity));
	r->preds[r->npreds] = cc_xstrdup(name);
	r->arity[r->npreds] = nargs;
	return (int)r->npreds++;
}

static int atom(lex *x, wg_rule *ru, wg_atom *at)
{
	char name[256];

	if (x->tok != T_WORD || !islower((unsigned char)x->text[0]))
		return fail(x, "expected a predicate name");
	snprintf(name, sizeof(name), "%s", x->text);
	memset(at, 0, sizeof(*at));
	next(x);
	if (x->tok == T_LP) {
		do {
			wg_term *t;

			next(x);
			if (at->nargs == WG_MAX_ARITY)
				return fail(x, "%s: more than %d arguments", name, WG_MAX_ARITY);
			t = &at->args[at->nargs++];
			if (x->tok == T_WORD && (isupper((unsigned char)x->text[0]) ||
						 x->text[0] == '_')) {
				t->is_var = true;
				t->var = var_index(ru, x->text);
				if (t->var == WG_NONE)
					return fail(x, "more than %d variables", WG_MAX_VARS);
			} else if (x->tok == T_WORD || x->tok == T_STR) {
				t->constant = cc_xstrdup(x->text);
			} else {
				return fail(x, "expected a variable or a constant");
			}
			next(x);
		} while (x->tok == T_COMMA);
		if (x->tok != T_RP)
			return fail(x, "expected ')' or ','");
		next(x);
	}
	at->pred = pred_of(x, name, at->nargs);
	return at->pred == WG_NONE ? CC_ERR : CC_OK;
}

/* Every head variable must occur in the body (range restriction). */
static int check_clause(lex *x, wg_rule *ru)
{
	bool seen[WG_MAX_VARS] = { false };

	for (int b = 0; b < ru->nbody; b++)
		for (int k = 0; k < ru->body[b].nargs; k++)
			if (ru->body[b].args[k].is_var)
				seen[ru->body[b].args[k].var] = true;
	for (int k = 0; k < ru->head.nargs; k++)
		if (ru->head.args[k].is_var && !seen[ru->head.args[k].var])
			return fail(x, "head variable %s does not occur in the body",
				    ru->vars[ru->head.args[k].var]);
	if (wg_rules_pred_is_base(x->r->preds[ru->head.pred]))
		return fail(x, "%s comes from the model and cannot be derived",
			    x->r->preds[ru->head.pred]);
	return CC_OK;
}

static int clause(lex *x, block *bk)
{
	wg_rule *ru;

	if (bk->nclauses == 8)
		return fail(x, "more than 8 clauses in one block");
	ru = &bk->clauses[bk->nclauses++];
	memset(ru, 0, sizeof(*ru));
	ru->line = x->tline;
	if (atom(x, ru, &ru->head))
		return CC_ERR;
	if (x->tok != T_IMPL)
		return fail(x, "expected ':-' after the head");
	do {
		next(x);
		if (ru->nbody == WG_MAX_BODY)
			return fail(x, "more than %d body atoms", WG_MAX_BODY);
		if (atom(x, ru, &ru->body[ru->nbody++]))
			return CC_ERR;
	} while (x->tok == T_COMMA);
	if (x->tok != T_DOT)
		return fail(x, "expected ',' or '.' after a body atom");
	x->tline = ru->line;        /* errors of the clause name its first line */
	if (check_clause(x, ru))
		return CC_ERR;
	next(x);
	return CC_OK;
}

static int time_param(lex *x, wg_dist *d)
{
	static const struct { const char *name; wg_dist_kind kind; int n; } kinds[] = {
		{ "fixed", WG_DIST_FIXED, 1 }, { "exp", WG_DIST_EXP, 1 },
		{ "lognormal", WG_DIST_LOGNORMAL, 2 },
		{ "triangular", WG_DIST_TRIANGULAR, 3 },
		{ "uniform", WG_DIST_UNIFORM, 2 }, { NULL, 0, 0 }
	};
	double v[3] = { 0, 0, 0 };
	int k;

	for (k = 0; kinds[k].name; k++)
		if (is_word(x, kinds[k].name))
			break;
	if (!kinds[k].name)
		return fail(x, "time: expected fixed, exp, lognormal, triangular or uniform");
	next(x);
	for (int i = 0; i < kinds[k].n; i++)
		if (number(x, 0, 1e6, &v[i]))
			return CC_ERR;
	d->kind = kinds[k].kind;
	d->a = v[0];
	d->b = v[1];
	d->c = v[2];
	if ((d->kind == WG_DIST_TRIANGULAR && !(v[0] <= v[1] && v[1] <= v[2])) ||
	    (d->kind == WG_DIST_UNIFORM && v[0] > v[1]))
		return fail(x, "time: bounds out of order");
	if ((d->kind == WG_DIST_LOGNORMAL || d->kind == WG_DIST_EXP) && v[0] <= 0)
		return fail(x, "time: the median/mean must be positive");
	return CC_OK;
}

static int scale_param(lex *x, block *bk)
{
	static const char *const names[] = { "susceptibility", "exploitability", "cvss" };
	wg_rule *p = &bk->proto;
	int k;

	for (k = 0; k < 3; k++)
		if (is_word(x, names[k]))
			break;
	if (k == 3)
		return fail(x, "scale: expected susceptibility, exploitability or cvss");
	if (p->nscales == 4)
		return fail(x, "more than 4 scale factors");
	next(x);
	if (x->tok != T_LP)
		return fail(x, "scale: expected '('");
	next(x);
	if (x->tok != T_WORD || !isupper((unsigned char)x->text[0]))
		return fail(x, "scale: expected a variable");
	snprintf(bk->scale_names[p->nscales], sizeof(bk->scale_names[0]), "%s", x->text);
	p->scales[p->nscales++].kind = (wg_scale_kind)k;
	next(x);
	if (x->tok != T_RP)
		return fail(x, "scale: expected ')'");
	next(x);
	return CC_OK;
}

static int control_param(lex *x, block *bk)
{
	if (is_word(x, "email"))
		bk->proto.controls |= WG_CTL_EMAIL;
	else if (is_word(x, "edr"))
		bk->proto.controls |= WG_CTL_EDR;
	else if (is_word(x, "backup"))
		bk->proto.controls |= WG_CTL_BACKUP;
	else
		return fail(x, "control: expected email, edr or backup");
	next(x);
	return CC_OK;
}

static int detect_param(lex *x, block *bk)
{
	if (x->tok != T_WORD || !isupper((unsigned char)x->text[0]))
		return fail(x, "detect: expected a host variable");
	snprintf(bk->detect_name, sizeof(bk->detect_name), "%s", x->text);
	next(x);
	if (is_word(x, "noise")) {
		next(x);
		return number(x, 0, 1, &bk->proto.noise);
	}
	return CC_OK;
}

/* `platforms NAME...`: the words on the line of the keyword. */
static int platforms_param(lex *x, block *bk, int line)
{
	if (x->tok != T_WORD || x->tline != line)
		return fail(x, "platforms: expected platform names on the same line");
	while (x->tok == T_WORD && x->tline == line) {
		unsigned b = wg_platform_bit(x->text);

		if (!b)
			return fail(x, "platforms: unknown platform '%s'", x->text);
		bk->proto.platforms |= b;
		next(x);
	}
	return CC_OK;
}

/* `sources ID...`: ATT&CK detection strategy (DETnnnn) and data component
 * (DCnnnn) ids on the line of the keyword. */
static int sources_param(lex *x, block *bk, int line)
{
	size_t n = 0;

	if (x->tok != T_WORD || x->tline != line)
		return fail(x, "sources: expected ATT&CK ids on the same line");
	while (x->tok == T_WORD && x->tline == line) {
		const char *t = x->text;
		size_t skip = !strncmp(t, "DET", 3) ? 3 : !strncmp(t, "DC", 2) ? 2 : 0;
		size_t len = strlen(t);

		if (!skip || len != skip + 4 || strspn(t + skip, "0123456789") != 4)
			return fail(x, "sources: expected DETnnnn or DCnnnn, got '%s'", t);
		if (n + len + 2 > sizeof(bk->sources))
			return fail(x, "sources: too many ids");
		n += (size_t)snprintf(bk->sources + n, sizeof(bk->sources) - n, "%s%s",
				      n ? " " : "", t);
		next(x);
	}
	return CC_OK;
}

/* One parameter line or clause inside a block. */
static int block_item(lex *x, block *bk)
{
	int line = x->tline;

	if (is_word(x, "platforms")) {
		next(x);
		return platforms_param(x, bk, line);
	}
	if (is_word(x, "sources")) {
		next(x);
		return sources_param(x, bk, line);
	}
	if (is_word(x, "prob")) {
		next(x);
		return number(x, 0, 1, &bk->proto.prob);
	}
	if (is_word(x, "time")) {
		next(x);
		return time_param(x, &bk->proto.time);
	}
	if (is_word(x, "scale")) {
		next(x);
		return scale_param(x, bk);
	}
	if (is_word(x, "control")) {
		next(x);
		return control_param(x, bk);
	}
	if (is_word(x, "detect")) {
		next(x);
		return detect_param(x, bk);
	}
	return clause(x, bk);
}

static int find_var(const wg_rule *ru, const char *name)
{
	for (int v = 0; v < ru->nvars; v++)
		if (!strcmp(ru->vars[v], name))
			return v;
	return WG_NONE;
}

/* Give every clause the block's parameters and move them into x->r. */
static int block_finish(lex *x, block *bk)
{
	wg_rules *r = x->r;

	if (!bk->nclauses)
		return fail(x, "the block has no clause");
	for (int c = 0; c < bk->nclauses; c++) {
		wg_rule *ru = &bk->clauses[c];

		ru->detect_var = WG_NONE;
		if (bk->detect_name[0] &&
		    (ru->detect_var = find_var(ru, bk->detect_name)) == WG_NONE)
			return cc_err_set(x->e, CC_ERR, "%s:%d: detect: %s is not a "
					  "variable of the clause", x->name, ru->line,
					  bk->detect_name);
		for (int s = 0; s < bk->proto.nscales; s++) {
			ru->scales[s].kind = bk->proto.scales[s].kind;
			ru->scales[s].var = find_var(ru, bk->scale_names[s]);
			if (ru->scales[s].var == WG_NONE)
				return cc_err_set(x->e, CC_ERR, "%s:%d: scale: %s is not "
						  "a variable of the clause", x->name,
						  ru->line, bk->scale_names[s]);
		}
		ru->nscales = bk->proto.nscales;
		ru->prob = bk->proto.prob;
		ru->controls = bk->proto.controls;
		ru->noise = bk->proto.noise;
		ru->time = bk->proto.time;
		ru->platforms = bk->proto.platforms;
		ru->sources = bk->sources[0] ? cc_xstrdup(bk->sources) : NULL;
	}
	r->rules = cc_xrealloc(r->rules, (r->nrules + (size_t)bk->nclauses) *
			       sizeof(*r->rules));
	for (int c = 0; c < bk->nclauses; c++) {
		wg_rule *ru = &r->rules[r->nrules++];

		*ru = bk->clauses[c];
		ru->technique = cc_xstrdup(bk->proto.technique);
		ru->name = cc_xstrdup(bk->proto.name);
		ru->tactic = cc_xstrdup(bk->proto.tactic);
		ru->file = cc_xstrdup(x->name);
	}
	bk->nclauses = 0;
	return CC_OK;
}

/* `outside|unmodelled ID "NAME" TACTIC "WHY"` and `datasource DCnnnn
 * "NAME"`: one-line declarations.  true when x is at one (then *rc says
 * how parsing it went). */
static bool declaration(lex *x, int *rc)
{
	wg_rules *r = x->r;
	char id[256], name[256], tactic[256];
	bool out = is_word(x, "outside"), un = is_word(x, "unmodelled");
	int line = x->tline;
	wg_tech_decl *d;

	if (is_word(x, "datasource")) {
		next(x);
		if (x->tok != T_WORD || strncmp(x->text, "DC", 2))
			return *rc = fail(x, "datasource: expected a DCnnnn id"), true;
		snprintf(id, sizeof(id), "%s", x->text);
		next(x);
		if (x->tok != T_STR)
			return *rc = fail(x, "datasource: expected a quoted name"), true;
		r->dsrc = cc_xrealloc(r->dsrc, (r->ndsrc + 1) * sizeof(*r->dsrc));
		r->dsrc[r->ndsrc].id = cc_xstrdup(id);
		r->dsrc[r->ndsrc++].name = cc_xstrdup(x->text);
		next(x);
		return *rc = CC_OK, true;
	}
	if (!out && !un)
		return false;
	next(x);
	if (x->tok != T_WORD || !wg_technique_id_ok(x->text))
		return *rc = fail(x, "expected an ATT&CK id such as T1595.001"), true;
	snprintf(id, sizeof(id), "%s", x->text);
	next(x);
	if (x->tok != T_STR)
		return *rc = fail(x, "%s: expected a quoted name", id), true;
	snprintf(name, sizeof(name), "%s", x->text);
	next(x);
	if (x->tok != T_WORD || !islower((unsigned char)x->text[0]))
		return *rc = fail(x, "%s: expected a tactic", id), true;
	snprintf(tactic, sizeof(tactic), "%s", x->text);
	next(x);
	if (x->tok != T_STR || !x->text[0]) {
		x->tline = line;    /* the reason belongs on the line it explains */
		return *rc = fail(x, "%s: expected the reason, quoted", id), true;
	}
	r->decls = cc_xrealloc(r->decls, (r->ndecls + 1) * sizeof(*r->decls));
	d = &r->decls[r->ndecls++];
	d->technique = cc_xstrdup(id);
	d->name = cc_xstrdup(name);
	d->tactic = cc_xstrdup(tactic);
	d->status = out ? WG_TECH_OUTSIDE : WG_TECH_UNMODELLED;
	d->why = cc_xstrdup(x->text);
	d->file = cc_xstrdup(x->name);
	d->line = line;
	next(x);
	return *rc = CC_OK, true;
}

static int block_head(lex *x, block *bk)
{
	wg_rule *p = &bk->proto;

	p->prob = 1;
	p->noise = 1;
	if (is_word(x, "builtin")) {
		next(x);
		if (x->tok != T_STR)
			return fail(x, "builtin: expected a quoted name");
		p->name = cc_xstrdup(x->text);
		next(x);
		return CC_OK;
	}
	if (!is_word(x, "technique"))
		return fail(x, "expected 'technique' or 'builtin'");
	next(x);
	if (x->tok != T_WORD || x->text[0] != 'T' || !isdigit((unsigned char)x->text[1]))
		return fail(x, "technique: expected an ATT&CK id such as T1566.001");
	p->technique = cc_xstrdup(x->text);
	next(x);
	if (x->tok != T_STR)
		return fail(x, "technique: expected a quoted name");
	p->name = cc_xstrdup(x->text);
	next(x);
	if (x->tok != T_WORD || !islower((unsigned char)x->text[0]))
		return fail(x, "technique: expected a tactic (initial-access, ...)");
	p->tactic = cc_xstrdup(x->text);
	p->prob = -1;
	next(x);
	return CC_OK;
}

static void block_clear(block *bk)
{
	for (int c = 0; c < bk->nclauses; c++)
		rule_free(&bk->clauses[c]);
	free(bk->proto.technique);
	free(bk->proto.name);
	free(bk->proto.tactic);
	memset(bk, 0, sizeof(*bk));
}

int wg_rules_parse(wg_rules *r, const char *text, size_t len, const char *name,
		   cc_err *e)
{
	lex x = { .s = text, .end = text + len, .line = 1, .name = name, .e = e, .r = r };
	block bk;
	int rc = CC_OK;

	memset(&bk, 0, sizeof(bk));
	next(&x);
	while (x.tok != T_EOF) {
		if (declaration(&x, &rc)) {
			if (rc)
				goto out;
			continue;
		}
		if ((rc = block_head(&x, &bk)))
			goto out;
		while (!is_word(&x, "end")) {
			if (x.tok == T_EOF) {
				rc = fail(&x, "missing 'end' of the block");
				goto out;
			}
			if ((rc = block_item(&x, &bk)))
				goto out;
		}
		if (bk.proto.prob < 0) {
			rc = fail(&x, "technique %s: missing 'prob'", bk.proto.technique);
			goto out;
		}
		if ((rc = block_finish(&x, &bk)))
			goto out;
		block_clear(&bk);
		next(&x);
	}
out:
	block_clear(&bk);
	return rc;
}

int wg_rules_load_file(wg_rules *r, const char *path, cc_err *e)
{
	cc_buf b = CC_BUF_INIT;
	int rc = cc_file_read_all(path, &b, e);

	if (rc == CC_OK)
		rc = wg_rules_parse(r, cc_buf_str(&b), b.len, path, e);
	cc_buf_free(&b);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

wg_rules *wg_rules_load_dir(const char *dir, cc_err *e)
{
	wg_rules *r = wg_rules_new();
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = CC_OK;

	if (!d) {
		cc_err_set(e, CC_EIO, "%s: %s", dir, strerror(errno));
		goto out_fail;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l > 6 && !strcmp(de->d_name + l - 6, ".rules")) {
			names = cc_xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = cc_xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && rc == CC_OK; i++) {
		cc_buf p = CC_BUF_INIT;

		cc_buf_printf(&p, "%s/%s", dir, names[i]);
		rc = wg_rules_load_file(r, cc_buf_str(&p), e);
		cc_buf_free(&p);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc)
		goto out_fail;
	if (!r->nrules) {
		cc_err_set(e, CC_ERR, "%s: no rules (*.rules files)", dir);
		goto out_fail;
	}
	return r;
out_fail:
	wg_rules_free(r);
	return NULL;
}

double wg_dist_mean(const wg_dist *d)
{
	switch (d->kind) {
	case WG_DIST_FIXED:
	case WG_DIST_EXP:
		return d->a;
	case WG_DIST_LOGNORMAL:
		return d->a * exp(d->b * d->b / 2);
	case WG_DIST_TRIANGULAR:
		return (d->a + d->b + d->c) / 3;
	case WG_DIST_UNIFORM:
		return (d->a + d->b) / 2;
	}
	return d->a;
}
