/*
 * parser.c — recursive-descent parser for STIX 2.1 patterns (the parser
 * rules of STIXPattern.g4), building the public AST of pattern.h, and the
 * AST's destructors.
 *
 * Precedence, loosest first: FOLLOWEDBY, OR, AND between observations
 * (all left-associative), then the postfix qualifiers; inside brackets OR,
 * then AND, then a property test.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern_int.h"
#include "util/time.h"
#include "util/xalloc.h"

/* Deeper nesting than this is refused (it protects the C stack). */
#define MAX_DEPTH 200
/* Observation expressions, operators and qualifiers at most in a pattern. */
#define MAX_ONODES 1000

typedef struct parser {
	plexer lx;
	ptok tok;               /* the current token (lookahead) */
	cc_err *e;
	bool failed;            /* an error was reported; unwind */
	int depth;
	int n_onodes;           /* observation nodes made so far */
	pattern *p;
} parser;

/* ---- destructors ---- */

static void path_clear(pattern_path *path)
{
	free(path->object_type);
	for (size_t i = 0; i < path->n_steps; i++)
		free(path->steps[i].key);
	free(path->steps);
}

static void cmp_free(pattern_comparison *c)
{
	if (!c)
		return;
	path_clear(&c->path);
	plit_clear(&c->lit);
	pcmp_free_regex(c);
	free(c);
}

static void cexpr_free(pattern_cexpr *ce)
{
	if (!ce)
		return;
	cmp_free(ce->cmp);
	for (size_t i = 0; i < ce->n_kids; i++)
		cexpr_free(ce->kids[i]);
	free(ce->kids);
	free(ce);
}

static void oexpr_free(pattern_oexpr *oe)
{
	if (!oe)
		return;
	cexpr_free(oe->ce);
	oexpr_free(oe->left);
	oexpr_free(oe->right);
	oexpr_free(oe->kid);
	free(oe->within_text);
	free(oe->start_text);
	free(oe->stop_text);
	free(oe);
}

void pattern_free(pattern *p)
{
	if (!p)
		return;
	oexpr_free(p->root);
	free(p);
}

/* ---- token handling ---- */

static void perr(parser *ps, const ptok *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(parser *ps, const ptok *t, const char *fmt, ...)
{
	char what[600];
	va_list ap;

	if (ps->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cc_err_set(ps->e, CC_ERR, "pattern:%d:%d: %s", t->line, t->col, what);
	ps->failed = true;
}

static void advance(parser *ps)
{
	plit_clear(&ps->tok.lit);
	if (ps->failed) {
		ps->tok.kind = PT_EOF;
		return;
	}
	if (plex_next(&ps->lx, &ps->tok, ps->e)) {
		plit_clear(&ps->tok.lit);
		ps->tok.kind = PT_EOF;
		ps->failed = true;
	}
}

/* The current token's text for messages ("found X"). */
static const char *found(const ptok *t, char *buf, size_t n)
{
	if (t->kind == PT_IDENT || t->kind == PT_INT || t->kind == PT_FLOAT ||
	    t->kind == PT_BOOL)
		snprintf(buf, n, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->start);
	else
		snprintf(buf, n, "%s", ptok_name(t->kind));
	return buf;
}

static bool accept(parser *ps, ptok_kind k)
{
	if (ps->tok.kind != k || ps->failed)
		return false;
	advance(ps);
	return true;
}

/* Require token k; else report "expected <what>, found X". */
static bool expect(parser *ps, ptok_kind k, const char *what)
{
	char fb[64];

	if (accept(ps, k))
		return true;
	perr(ps, &ps->tok, "expected %s, found %s", what, found(&ps->tok, fb, sizeof(fb)));
	return false;
}

static bool enter(parser *ps)
{
	if (++ps->depth > MAX_DEPTH) {
		perr(ps, &ps->tok, "pattern nested too deeply");
		return false;
	}
	return true;
}

/* Move the current token's literal into *dst and advance. */
static void take_lit(parser *ps, pattern_literal *dst)
{
	*dst = ps->tok.lit;
	memset(&ps->tok.lit, 0, sizeof(ps->tok.lit));
	advance(ps);
}

/* ---- object paths ---- */

static void add_step(pattern_path *path, pattern_step st)
{
	path->steps = cc_xrealloc(path->steps, (path->n_steps + 1) * sizeof(*path->steps));
	path->steps[path->n_steps++] = st;
}

/* A property name: identifier without '-' or a string. */
static bool parse_key(parser *ps, pattern_path *path, const char *after)
{
	pattern_step st = { PATTERN_STEP_KEY, NULL, 0 };
	char fb[64];

	if (ps->tok.kind == PT_IDENT && !ps->tok.has_hyphen) {
		st.key = cc_xmemdup(ps->tok.start, ps->tok.len);
		advance(ps);
	} else if (ps->tok.kind == PT_STRING) {
		st.key = ps->tok.lit.str;
		ps->tok.lit.str = NULL;
		advance(ps);
	} else {
		if (ps->tok.kind == PT_IDENT)
			perr(ps, &ps->tok, "property name %s has a '-' (quote it)",
			     found(&ps->tok, fb, sizeof(fb)));
		else
			perr(ps, &ps->tok, "expected a property name after %s, found %s",
			     after, found(&ps->tok, fb, sizeof(fb)));
		return false;
	}
	add_step(path, st);
	return true;
}

static bool parse_path(parser *ps, pattern_path *path)
{
	char fb[64];

	if (ps->tok.kind != PT_IDENT) {
		perr(ps, &ps->tok, "expected an object path, found %s",
		     found(&ps->tok, fb, sizeof(fb)));
		return false;
	}
	path->object_type = cc_xmemdup(ps->tok.start, ps->tok.len);
	advance(ps);
	if (!expect(ps, PT_COLON, "':' after the object type") ||
	    !parse_key(ps, path, "':'"))
		return false;
	for (;;) {
		if (accept(ps, PT_DOT)) {
			if (!parse_key(ps, path, "'.'"))
				return false;
		} else if (accept(ps, PT_LBRACK)) {
			pattern_step st = { PATTERN_STEP_ANY, NULL, 0 };

			if (ps->tok.kind == PT_INT) {
				st.kind = PATTERN_STEP_INDEX;
				st.index = ps->tok.lit.i;
				advance(ps);
			} else if (!expect(ps, PT_STAR, "a list index or '*' after '['")) {
				return false;
			}
			add_step(path, st);
			if (!expect(ps, PT_RBRACK, "']' after the list index"))
				return false;
		} else {
			return !ps->failed;
		}
	}
}

/* ---- comparisons ---- */

static bool is_literal_tok(ptok_kind k)
{
	return k == PT_STRING || k == PT_INT || k == PT_FLOAT || k == PT_BOOL ||
	       k == PT_TIMESTAMP || k == PT_HEX || k == PT_BINARY;
}

static bool lit_numeric(const pattern_literal *l)
{
	return l->kind == PATTERN_LIT_INT || l->kind == PATTERN_LIT_FLOAT;
}

static bool parse_set(parser *ps, pattern_literal *set)
{
	ptok at = ps->tok;
	char fb[64];

	set->kind = PATTERN_LIT_SET;
	if (!expect(ps, PT_LPAREN, "'(' to start the set after IN"))
		return false;
	if (accept(ps, PT_RPAREN))
		return true;
	for (;;) {
		pattern_literal *it;

		if (!is_literal_tok(ps->tok.kind)) {
			perr(ps, &ps->tok, "expected a literal in the set, found %s",
			     found(&ps->tok, fb, sizeof(fb)));
			return false;
		}
		set->items = cc_xrealloc(set->items, (set->n_items + 1) * sizeof(*set->items));
		it = &set->items[set->n_items++];
		take_lit(ps, it);
		if (it->kind != set->items[0].kind &&
		    !(lit_numeric(it) && lit_numeric(&set->items[0]))) {
			perr(ps, &at, "set mixes literals of different types");
			return false;
		}
		if (accept(ps, PT_RPAREN))
			return true;
		if (!expect(ps, PT_COMMA, "',' or ')' in the set"))
			return false;
	}
}

static bool parse_operator(parser *ps, pattern_comparison *c)
{
	static const struct {
		ptok_kind tok;
		pattern_op op;
	} map[] = {
		{ PT_EQ, PATTERN_OP_EQ }, { PT_NE, PATTERN_OP_NE },
		{ PT_LT, PATTERN_OP_LT }, { PT_GT, PATTERN_OP_GT },
		{ PT_LE, PATTERN_OP_LE }, { PT_GE, PATTERN_OP_GE },
		{ PT_IN, PATTERN_OP_IN }, { PT_LIKE, PATTERN_OP_LIKE },
		{ PT_MATCHES, PATTERN_OP_MATCHES },
		{ PT_ISSUBSET, PATTERN_OP_ISSUBSET },
		{ PT_ISSUPERSET, PATTERN_OP_ISSUPERSET },
	};
	char fb[64];

	if (accept(ps, PT_NOT))
		c->negated = true;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ps->tok.kind == map[i].tok) {
			c->op = map[i].op;
			advance(ps);
			return !ps->failed;
		}
	perr(ps, &ps->tok, "expected a comparison operator, found %s",
	     found(&ps->tok, fb, sizeof(fb)));
	return false;
}

/* The right-hand side of c, checked against its operator. */
static bool parse_rhs(parser *ps, pattern_comparison *c)
{
	ptok at = ps->tok;
	const char *opn = pattern_op_name(c->op);
	char fb[64], msg[256];
	int fam, prefix;
	unsigned char addr[16];

	c->lit_line = at.line;
	c->lit_col = at.col;
	if (c->op == PATTERN_OP_IN)
		return parse_set(ps, &c->lit);
	if (!is_literal_tok(ps->tok.kind)) {
		perr(ps, &ps->tok, "expected a literal after %s, found %s", opn,
		     found(&ps->tok, fb, sizeof(fb)));
		return false;
	}
	if (c->op >= PATTERN_OP_LIKE && ps->tok.kind != PT_STRING) {
		perr(ps, &ps->tok, "%s needs a string, found %s", opn,
		     found(&ps->tok, fb, sizeof(fb)));
		return false;
	}
	if (c->op >= PATTERN_OP_LT && c->op <= PATTERN_OP_GE &&
	    ps->tok.kind == PT_BOOL) {
		perr(ps, &ps->tok, "%s cannot compare a boolean", opn);
		return false;
	}
	take_lit(ps, &c->lit);
	if ((c->op == PATTERN_OP_ISSUBSET || c->op == PATTERN_OP_ISSUPERSET) &&
	    !pcidr_parse(c->lit.str, &fam, addr, &prefix)) {
		perr(ps, &at, "%s needs an IPv4/IPv6 address or CIDR, found '%.60s'",
		     opn, c->lit.str);
		return false;
	}
	if (!pcmp_compile(c, msg, sizeof(msg))) {
		perr(ps, &at, "invalid regular expression: %s", msg);
		return false;
	}
	return !ps->failed;
}

static pattern_cexpr *parse_ce(parser *ps);

static pattern_cexpr *ce_leaf(parser *ps, pattern_comparison *c)
{
	pattern_cexpr *ce = cc_xcalloc(1, sizeof(*ce));

	ce->kind = PATTERN_CE_CMP;
	ce->cmp = c;
	ps->p->n_cmp++;
	return ce;
}

static pattern_cexpr *parse_prop(parser *ps)
{
	pattern_comparison *c;

	if (accept(ps, PT_LPAREN)) {
		pattern_cexpr *ce = parse_ce(ps);

		if (ce && !expect(ps, PT_RPAREN, "')' after the comparison")) {
			cexpr_free(ce);
			return NULL;
		}
		return ce;
	}
	c = cc_xcalloc(1, sizeof(*c));
	c->line = ps->tok.line;
	c->col = ps->tok.col;
	if (ps->tok.kind == PT_NOT || ps->tok.kind == PT_EXISTS) {
		c->negated = accept(ps, PT_NOT);
		c->op = PATTERN_OP_EXISTS;
		if (!expect(ps, PT_EXISTS, "EXISTS after NOT") ||
		    !parse_path(ps, &c->path))
			goto out_fail;
		return ce_leaf(ps, c);
	}
	if (!parse_path(ps, &c->path) || !parse_operator(ps, c) ||
	    !parse_rhs(ps, c))
		goto out_fail;
	return ce_leaf(ps, c);
out_fail:
	cmp_free(c);
	return NULL;
}

/* Append kid to the n-ary node of kind k, flattening a kid of kind k. */
static void ce_add(pattern_cexpr *node, pattern_cexpr *kid)
{
	if (kid->kind == node->kind) {
		for (size_t i = 0; i < kid->n_kids; i++)
			ce_add(node, kid->kids[i]);
		free(kid->kids);
		free(kid);
		return;
	}
	node->kids = cc_xrealloc(node->kids, (node->n_kids + 1) * sizeof(*node->kids));
	node->kids[node->n_kids++] = kid;
}

/* One n-ary level: operands from sub, joined by op. */
static pattern_cexpr *parse_ce_level(parser *ps, ptok_kind op,
				     pattern_cexpr_kind kind,
				     pattern_cexpr *(*sub)(parser *))
{
	pattern_cexpr *first, *node;

	if (!enter(ps))
		return NULL;
	first = sub(ps);
	if (!first || ps->tok.kind != op) {
		ps->depth--;
		return first;
	}
	node = cc_xcalloc(1, sizeof(*node));
	node->kind = kind;
	ce_add(node, first);
	while (accept(ps, op)) {
		pattern_cexpr *kid = sub(ps);

		if (!kid) {
			cexpr_free(node);
			return NULL;
		}
		ce_add(node, kid);
	}
	ps->depth--;
	return node;
}

static pattern_cexpr *parse_ce_and(parser *ps)
{
	return parse_ce_level(ps, PT_AND, PATTERN_CE_AND, parse_prop);
}

static pattern_cexpr *parse_ce(parser *ps)
{
	return parse_ce_level(ps, PT_OR, PATTERN_CE_OR, parse_ce_and);
}

/* ---- observation expressions ---- */

static pattern_oexpr *parse_oexprs(parser *ps);

/* A new observation node; the count bounds the tree (chains like
 * "[a] AND [b] AND ..." nest as deep as they are long, and the printer,
 * the evaluator and the destructor recurse over them). */
static pattern_oexpr *onode(parser *ps, pattern_oexpr_kind k)
{
	pattern_oexpr *oe = cc_xcalloc(1, sizeof(*oe));

	oe->kind = k;
	if (++ps->n_onodes == MAX_ONODES + 1)
		perr(ps, &ps->tok, "pattern has more than %d observation expressions and qualifiers",
		     MAX_ONODES);
	return oe;
}

static pattern_oexpr *parse_oprim(parser *ps)
{
	char fb[64];
	pattern_oexpr *oe;

	if (accept(ps, PT_LBRACK)) {
		pattern_cexpr *ce = parse_ce(ps);

		if (!ce)
			return NULL;
		if (ps->tok.kind != PT_RBRACK) {
			perr(ps, &ps->tok, "expected ']' after comparison, found %s",
			     found(&ps->tok, fb, sizeof(fb)));
			cexpr_free(ce);
			return NULL;
		}
		advance(ps);
		oe = onode(ps, PATTERN_OE_OBS);
		oe->ce = ce;
		ps->p->n_obs++;
		return oe;
	}
	if (accept(ps, PT_LPAREN)) {
		oe = parse_oexprs(ps);
		if (oe && !expect(ps, PT_RPAREN, "')' after the observation expression")) {
			oexpr_free(oe);
			return NULL;
		}
		return oe;
	}
	perr(ps, &ps->tok, "expected '[' or '(' to start an observation, found %s",
	     found(&ps->tok, fb, sizeof(fb)));
	return NULL;
}

static char *lit_text(const pattern_literal *l)
{
	char buf[32];

	if (l->kind == PATTERN_LIT_FLOAT)
		return cc_xstrdup(l->str);
	snprintf(buf, sizeof(buf), "%lld", (long long)l->i);
	return cc_xstrdup(buf);
}

/* A timestamp for START/STOP: t'..' (2.1) or a quoted timestamp (2.0). */
static bool parse_qual_ts(parser *ps, int64_t *us, char **text, const char *after)
{
	char fb[64];

	if (ps->tok.kind == PT_STRING) {
		int64_t v;

		if (!cc_ts_parse(ps->tok.lit.str, &v)) {
			perr(ps, &ps->tok, "invalid timestamp after %s", after);
			return false;
		}
		ps->tok.lit.ts_us = v;
	} else if (ps->tok.kind != PT_TIMESTAMP) {
		perr(ps, &ps->tok, "expected a timestamp after %s, found %s", after,
		     found(&ps->tok, fb, sizeof(fb)));
		return false;
	}
	*us = ps->tok.lit.ts_us;
	*text = ps->tok.lit.str;
	ps->tok.lit.str = NULL;
	advance(ps);
	return !ps->failed;
}

/* Apply one qualifier at the current token to *oe; false on error. */
static bool parse_qualifier(parser *ps, pattern_oexpr **oe)
{
	ptok at = ps->tok;
	pattern_oexpr *q;
	char fb[64];

	if (accept(ps, PT_WITHIN)) {
		q = onode(ps, PATTERN_OE_WITHIN);
		q->kid = *oe;
		*oe = q;
		if ((ps->tok.kind != PT_INT && ps->tok.kind != PT_FLOAT) ||
		    ps->tok.start[0] == '-') {
			perr(ps, &ps->tok, "expected a positive number after WITHIN, found %s",
			     found(&ps->tok, fb, sizeof(fb)));
			return false;
		}
		q->within_s = ps->tok.kind == PT_INT ? (double)ps->tok.lit.i : ps->tok.lit.f;
		q->within_text = lit_text(&ps->tok.lit);
		if (!(q->within_s > 0)) {
			perr(ps, &ps->tok, "WITHIN needs a number of seconds above 0");
			return false;
		}
		advance(ps);
		return expect(ps, PT_SECONDS, "SECONDS after the WITHIN number");
	}
	if (accept(ps, PT_REPEATS)) {
		q = onode(ps, PATTERN_OE_REPEATS);
		q->kid = *oe;
		*oe = q;
		if (ps->tok.kind != PT_INT || ps->tok.start[0] == '-' || ps->tok.lit.i < 1) {
			perr(ps, &ps->tok, "expected a positive integer after REPEATS, found %s",
			     found(&ps->tok, fb, sizeof(fb)));
			return false;
		}
		q->repeats = ps->tok.lit.i;
		advance(ps);
		return expect(ps, PT_TIMES, "TIMES after the REPEATS count");
	}
	advance(ps); /* START */
	q = onode(ps, PATTERN_OE_STARTSTOP);
	q->kid = *oe;
	*oe = q;
	if (!parse_qual_ts(ps, &q->start_us, &q->start_text, "START") ||
	    !expect(ps, PT_STOP, "STOP after the START timestamp") ||
	    !parse_qual_ts(ps, &q->stop_us, &q->stop_text, "STOP"))
		return false;
	if (q->stop_us <= q->start_us) {
		perr(ps, &at, "STOP must be later than START");
		return false;
	}
	return true;
}

static pattern_oexpr *parse_oqual(parser *ps)
{
	pattern_oexpr *oe = parse_oprim(ps);

	while (oe && (ps->tok.kind == PT_WITHIN || ps->tok.kind == PT_REPEATS ||
		      ps->tok.kind == PT_START)) {
		if (!parse_qualifier(ps, &oe) || ps->failed) {
			oexpr_free(oe);
			return NULL;
		}
	}
	return oe;
}

/* One left-associative binary level. */
static pattern_oexpr *parse_olevel(parser *ps, ptok_kind op,
				   pattern_oexpr_kind kind,
				   pattern_oexpr *(*sub)(parser *))
{
	pattern_oexpr *left;

	if (!enter(ps))
		return NULL;
	left = sub(ps);
	while (left && accept(ps, op)) {
		pattern_oexpr *right = sub(ps), *n;

		if (!right) {
			oexpr_free(left);
			left = NULL;
			break;
		}
		n = onode(ps, kind);
		n->left = left;
		n->right = right;
		left = n;
		if (ps->failed) {
			oexpr_free(left);
			left = NULL;
			break;
		}
	}
	ps->depth--;
	return left;
}

static pattern_oexpr *parse_oand(parser *ps)
{
	return parse_olevel(ps, PT_AND, PATTERN_OE_AND, parse_oqual);
}

static pattern_oexpr *parse_oor(parser *ps)
{
	return parse_olevel(ps, PT_OR, PATTERN_OE_OR, parse_oand);
}

static pattern_oexpr *parse_oexprs(parser *ps)
{
	return parse_olevel(ps, PT_FOLLOWEDBY, PATTERN_OE_FOLLOWEDBY, parse_oor);
}

pattern *pattern_parse(const char *src, cc_err *e)
{
	parser ps;
	char fb[64];

	memset(&ps, 0, sizeof(ps));
	ps.lx.src = src;
	ps.lx.line = 1;
	ps.e = e;
	ps.p = cc_xcalloc(1, sizeof(*ps.p));
	advance(&ps);
	if (!ps.failed && ps.tok.kind == PT_EOF)
		perr(&ps, &ps.tok, "empty pattern");
	if (!ps.failed)
		ps.p->root = parse_oexprs(&ps);
	if (!ps.failed && ps.tok.kind != PT_EOF)
		perr(&ps, &ps.tok, "expected AND, OR, FOLLOWEDBY or the end of the pattern, found %s",
		     found(&ps.tok, fb, sizeof(fb)));
	plit_clear(&ps.tok.lit);
	if (ps.failed) {
		pattern_free(ps.p);
		return NULL;
	}
	return ps.p;
}

const char *pattern_op_name(pattern_op op)
{
	static const char *const names[] = {
		"=", "!=", "<", ">", "<=", ">=", "IN", "LIKE", "MATCHES",
		"ISSUBSET", "ISSUPERSET", "EXISTS",
	};

	return (unsigned)op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}
