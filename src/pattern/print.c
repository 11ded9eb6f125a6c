/*
 * print.c — the normalised text of a pattern and its AST as JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern_int.h"

static const char *const reserved[] = {
	"AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUBSET",
	"ISSUPERSET", "EXISTS", "IN", "START", "STOP", "WITHIN", "SECONDS",
	"REPEATS", "TIMES", "LAST", "true", "false",
};

/* Can key be written without quotes as a path component? */
static bool bare_key(const char *k)
{
	if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_'))
		return false;
	for (const char *p = k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	/* t'..', h'..', b'..' never follow a key, but keywords would lex */
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(k, reserved[i]))
			return false;
	return true;
}

static void print_key(cc_buf *b, const char *k)
{
	pattern_literal l = { .kind = PATTERN_LIT_STRING };

	if (bare_key(k)) {
		cc_buf_puts(b, k);
		return;
	}
	l.str = (char *)k;
	l.len = strlen(k);
	plit_print(b, &l);
}

static void print_path(cc_buf *b, const pattern_path *path)
{
	cc_buf_printf(b, "%s:", path->object_type);
	for (size_t i = 0; i < path->n_steps; i++) {
		const pattern_step *st = &path->steps[i];

		if (st->kind == PATTERN_STEP_KEY) {
			if (i)
				cc_buf_putc(b, '.');
			print_key(b, st->key);
		} else if (st->kind == PATTERN_STEP_INDEX) {
			cc_buf_printf(b, "[%lld]", (long long)st->index);
		} else {
			cc_buf_puts(b, "[*]");
		}
	}
}

static void print_cmp(cc_buf *b, const pattern_comparison *c)
{
	if (c->op == PATTERN_OP_EXISTS) {
		cc_buf_puts(b, c->negated ? "NOT EXISTS " : "EXISTS ");
		print_path(b, &c->path);
		return;
	}
	print_path(b, &c->path);
	cc_buf_printf(b, " %s%s ", c->negated ? "NOT " : "", pattern_op_name(c->op));
	plit_print(b, &c->lit);
}

static void print_ce(cc_buf *b, const pattern_cexpr *ce, bool paren)
{
	if (ce->kind == PATTERN_CE_CMP) {
		print_cmp(b, ce->cmp);
		return;
	}
	if (paren)
		cc_buf_putc(b, '(');
	for (size_t i = 0; i < ce->n_kids; i++) {
		if (i)
			cc_buf_puts(b, ce->kind == PATTERN_CE_AND ? " AND " : " OR ");
		/* an OR inside an AND needs parentheses */
		print_ce(b, ce->kids[i], ce->kind == PATTERN_CE_AND);
	}
	if (paren)
		cc_buf_putc(b, ')');
}

static int oprec(const pattern_oexpr *oe)
{
	switch (oe->kind) {
	case PATTERN_OE_FOLLOWEDBY:
		return 1;
	case PATTERN_OE_OR:
		return 2;
	case PATTERN_OE_AND:
		return 3;
	default:
		return 4;
	}
}

static void print_oe(cc_buf *b, const pattern_oexpr *oe, bool paren)
{
	static const char *const binop[] = {
		[PATTERN_OE_AND] = " AND ", [PATTERN_OE_OR] = " OR ",
		[PATTERN_OE_FOLLOWEDBY] = " FOLLOWEDBY ",
	};

	if (paren)
		cc_buf_putc(b, '(');
	switch (oe->kind) {
	case PATTERN_OE_OBS:
		cc_buf_putc(b, '[');
		print_ce(b, oe->ce, false);
		cc_buf_putc(b, ']');
		break;
	case PATTERN_OE_AND:
	case PATTERN_OE_OR:
	case PATTERN_OE_FOLLOWEDBY:
		print_oe(b, oe->left, oprec(oe->left) < oprec(oe));
		cc_buf_puts(b, binop[oe->kind]);
		print_oe(b, oe->right, oprec(oe->right) <= oprec(oe));
		break;
	case PATTERN_OE_WITHIN:
		print_oe(b, oe->kid, oprec(oe->kid) < 4);
		cc_buf_printf(b, " WITHIN %s SECONDS", oe->within_text);
		break;
	case PATTERN_OE_REPEATS:
		print_oe(b, oe->kid, oprec(oe->kid) < 4);
		cc_buf_printf(b, " REPEATS %lld TIMES", (long long)oe->repeats);
		break;
	case PATTERN_OE_STARTSTOP:
		print_oe(b, oe->kid, oprec(oe->kid) < 4);
		cc_buf_printf(b, " START t'%s' STOP t'%s'", oe->start_text, oe->stop_text);
		break;
	}
	if (paren)
		cc_buf_putc(b, ')');
}

char *pattern_normalise(const pattern *p)
{
	cc_buf b = CC_BUF_INIT;

	print_oe(&b, p->root, false);
	return cc_buf_take(&b, NULL);
}

/* ---- AST as JSON ---- */

static json_t *lit_json(const pattern_literal *l)
{
	static const char *const kinds[] = {
		"string", "int", "float", "bool", "timestamp", "hex", "binary", "set",
	};
	json_t *o = json_object(), *v = NULL;
	cc_buf b = CC_BUF_INIT;

	json_object_set_new(o, "kind", json_string(kinds[l->kind]));
	switch (l->kind) {
	case PATTERN_LIT_STRING:
		v = json_stringn(l->str, l->len);
		break;
	case PATTERN_LIT_INT:
		v = json_integer(l->i);
		break;
	case PATTERN_LIT_FLOAT:
		v = json_real(l->f);
		break;
	case PATTERN_LIT_BOOL:
		v = json_boolean(l->b);
		break;
	case PATTERN_LIT_TIMESTAMP:
		v = json_string(l->str);
		break;
	case PATTERN_LIT_HEX:
	case PATTERN_LIT_BINARY:
		plit_print(&b, l);
		/* strip the h'' / b'' wrapper: the value is the inside text */
		v = json_stringn(b.data + 2, b.len - 3);
		cc_buf_free(&b);
		break;
	case PATTERN_LIT_SET:
		v = json_array();
		for (size_t i = 0; i < l->n_items; i++)
			json_array_append_new(v, lit_json(&l->items[i]));
		break;
	}
	json_object_set_new(o, "value", v);
	return o;
}

static json_t *cmp_json(const pattern_comparison *c)
{
	json_t *o = json_object(), *path = json_array();

	for (size_t i = 0; i < c->path.n_steps; i++) {
		const pattern_step *st = &c->path.steps[i];

		if (st->kind == PATTERN_STEP_KEY)
			json_array_append_new(path, json_string(st->key));
		else if (st->kind == PATTERN_STEP_INDEX)
			json_array_append_new(path, json_integer(st->index));
		else
			json_array_append_new(path, json_string("*"));
	}
	json_object_set_new(o, "type", json_string("comparison"));
	json_object_set_new(o, "object_type", json_string(c->path.object_type));
	json_object_set_new(o, "path", path);
	json_object_set_new(o, "operator", json_string(pattern_op_name(c->op)));
	json_object_set_new(o, "negated", json_boolean(c->negated));
	if (c->op != PATTERN_OP_EXISTS)
		json_object_set_new(o, "value", lit_json(&c->lit));
	return o;
}

static json_t *ce_json(const pattern_cexpr *ce)
{
	json_t *o, *kids;

	if (ce->kind == PATTERN_CE_CMP)
		return cmp_json(ce->cmp);
	o = json_object();
	kids = json_array();
	for (size_t i = 0; i < ce->n_kids; i++)
		json_array_append_new(kids, ce_json(ce->kids[i]));
	json_object_set_new(o, "type", json_string(ce->kind == PATTERN_CE_AND ? "and" : "or"));
	json_object_set_new(o, "operands", kids);
	return o;
}

static json_t *oe_json(const pattern_oexpr *oe)
{
	static const char *const names[] = {
		"observation", "and", "or", "followedby", "within", "repeats",
		"startstop",
	};
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(names[oe->kind]));
	switch (oe->kind) {
	case PATTERN_OE_OBS:
		json_object_set_new(o, "expr", ce_json(oe->ce));
		break;
	case PATTERN_OE_AND:
	case PATTERN_OE_OR:
	case PATTERN_OE_FOLLOWEDBY:
		json_object_set_new(o, "left", oe_json(oe->left));
		json_object_set_new(o, "right", oe_json(oe->right));
		break;
	case PATTERN_OE_WITHIN:
		json_object_set_new(o, "seconds", json_real(oe->within_s));
		json_object_set_new(o, "expr", oe_json(oe->kid));
		break;
	case PATTERN_OE_REPEATS:
		json_object_set_new(o, "times", json_integer(oe->repeats));
		json_object_set_new(o, "expr", oe_json(oe->kid));
		break;
	case PATTERN_OE_STARTSTOP:
		json_object_set_new(o, "start", json_string(oe->start_text));
		json_object_set_new(o, "stop", json_string(oe->stop_text));
		json_object_set_new(o, "expr", oe_json(oe->kid));
		break;
	}
	return o;
}

json_t *pattern_ast_json(const pattern *p)
{
	return oe_json(p->root);
}
