/*
 * lint.c — warnings about patterns that parse but can never match what
 * they seem to say: a property the SCO type does not have (a typo such as
 * ipv4-addr:valu), a value that cannot be one of the property's
 * ('1.2.3.400' for an IPv4 address, a 31-digit MD5, a string for a port),
 * a list compared without [*].  From the same property tables as the
 * validator (paths.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pattern/pattern.h"
#include "stix/stix.h"
#include "util/buf.h"
#include "util/hex.h"
#include "util/ip.h"
#include "util/time.h"

typedef struct lint {
	stix_pattern_warn_fn fn;
	void *ud;
	size_t n;               /* warnings given */
} lint;

static void warn(lint *l, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn(lint *l, int line, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l->n++;
	if (l->fn)
		l->fn(l->ud, line, col, msg);
}

/* The path as text, for messages (into buf). */
static const char *path_text(const pattern_path *p, char *buf, size_t n)
{
	cc_buf b = CC_BUF_INIT;

	cc_buf_printf(&b, "%s:", p->object_type);
	for (size_t i = 0; i < p->n_steps; i++) {
		const pattern_step *st = &p->steps[i];

		if (st->kind == PATTERN_STEP_KEY)
			cc_buf_printf(&b, strpbrk(st->key, "-. ") ? "%s'%s'" : "%s%s", i ? "." : "", st->key);
		else if (st->kind == PATTERN_STEP_INDEX)
			cc_buf_printf(&b, "[%lld]", (long long)st->index);
		else
			cc_buf_puts(&b, "[*]");
	}
	snprintf(buf, n, "%s", cc_buf_str(&b));
	cc_buf_free(&b);
	return buf;
}

/* Whether s is an address (or CIDR) of family 4 or 6. */
static bool is_addr(const char *s, size_t n, int family)
{
	cc_ip ip;

	return cc_ip_parse(s, n, true, &ip) && ip.family == family;
}

/* Expected hex digits of a hash algorithm, 0 when any length will do. */
static size_t hash_digits(const char *alg)
{
	static const struct { const char *alg; size_t n; } lens[] = {
		{ "MD5", 32 }, { "SHA-1", 40 }, { "SHA-256", 64 }, { "SHA-512", 128 },
		{ "SHA3-256", 64 }, { "SHA3-512", 128 }, { "SHA1", 40 }, { "SHA256", 64 },
		{ "SHA512", 128 },
	};

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		if (!strcasecmp(lens[i].alg, alg))
			return lens[i].n;
	return 0;
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cc_hex_digit((unsigned char)s[i]) < 0)
			return false;
	return true;
}

static bool is_mac(const char *s, size_t n)
{
	if (n != 17)
		return false;
	for (size_t i = 0; i < n; i++)
		if (i % 3 == 2 ? s[i] != ':' : cc_hex_digit((unsigned char)s[i]) < 0)
			return false;
	return true;
}

/* Why string v cannot be a value of the path (type, its last key, the
 * hash algorithm when it keys hashes); NULL when it can. */
static const char *string_problem(const pattern_comparison *c, const stix_path_info *in,
				  const char *v, size_t n, char *buf, size_t bn)
{
	const char *type = c->path.object_type;
	const char *key = c->path.n_steps == 1 ? c->path.steps[0].key : NULL;
	size_t want;

	if (key && !strcmp(key, "value") && (!strcmp(type, "ipv4-addr") || !strcmp(type, "ipv6-addr"))) {
		int need = type[3] == '4' ? 4 : 6;

		if (!is_addr(v, n, need))
			return need == 4 ? "not an IPv4 address or CIDR" : "not an IPv6 address or CIDR";
	} else if (key && !strcmp(key, "value") && !strcmp(type, "mac-addr") && !is_mac(v, n)) {
		return "not a MAC address (six colon-separated pairs of hex digits)";
	} else if (key && !strcmp(key, "value") && !strcmp(type, "email-addr") && !memchr(v, '@', n)) {
		return "not an e-mail address (no '@')";
	} else if (key && !strcmp(key, "value") && !strcmp(type, "domain-name") &&
		   (n == 0 || strpbrk(v, " /:@\t"))) {
		return "not a domain name";
	} else if (in->hash_alg && (want = hash_digits(in->hash_alg)) && (n != want || !all_hex(v, n))) {
		snprintf(buf, bn, "a %s hash is %zu hex digits", in->hash_alg, want);
		return buf;
	} else if (in->enum_vals) {
		for (const char *const *e = in->enum_vals; *e; e++)
			if (!strcmp(*e, v))
				return NULL;
		return "not one of the property's closed vocabulary";
	} else if (in->kind == STIX_VAL_TIMESTAMP) {
		int64_t us;

		if (!cc_ts_parse(v, &us))
			return "not a STIX timestamp";
	}
	return NULL;
}

/* Check one literal (not a set) against what the path holds. */
static void check_lit(lint *l, const pattern_comparison *c, const stix_path_info *in,
		      const pattern_literal *lit)
{
	static const char *const kind_name[] = {
		[STIX_VAL_ANY] = "anything", [STIX_VAL_STRING] = "a string",
		[STIX_VAL_INT] = "an integer", [STIX_VAL_FLOAT] = "a number",
		[STIX_VAL_BOOL] = "a boolean", [STIX_VAL_TIMESTAMP] = "a timestamp",
		[STIX_VAL_HEX] = "hex bytes", [STIX_VAL_BINARY] = "base64 bytes",
		[STIX_VAL_LIST] = "a list", [STIX_VAL_OBJECT] = "an object",
	};
	char pt[256], buf[128];
	bool num = lit->kind == PATTERN_LIT_INT || lit->kind == PATTERN_LIT_FLOAT;
	bool str = lit->kind == PATTERN_LIT_STRING;
	bool ok;

	switch (in->kind) {
	case STIX_VAL_STRING:
		ok = str;
		break;
	case STIX_VAL_INT:
	case STIX_VAL_FLOAT:
		ok = num;
		break;
	case STIX_VAL_BOOL:
		ok = lit->kind == PATTERN_LIT_BOOL;
		break;
	case STIX_VAL_TIMESTAMP:
		ok = str || lit->kind == PATTERN_LIT_TIMESTAMP;
		break;
	case STIX_VAL_HEX:
	case STIX_VAL_BINARY:
		ok = str || lit->kind == PATTERN_LIT_HEX || lit->kind == PATTERN_LIT_BINARY;
		break;
	default:
		return;
	}
	path_text(&c->path, pt, sizeof(pt));
	if (!ok) {
		warn(l, c->lit_line, c->lit_col, "%s holds %s: %s never equals it", pt,
		     kind_name[in->kind], lit->kind == PATTERN_LIT_STRING ? "a string" :
		     num ? "a number" : "this literal");
		return;
	}
	if (lit->kind == PATTERN_LIT_INT && in->ranged && (lit->i < in->lo || lit->i > in->hi)) {
		warn(l, c->lit_line, c->lit_col, "%lld is outside %s's range %.0f..%.0f",
		     (long long)lit->i, pt, in->lo, in->hi);
		return;
	}
	if (str && c->op != PATTERN_OP_LIKE && c->op != PATTERN_OP_MATCHES) {
		const char *why = string_problem(c, in, lit->str, lit->len, buf, sizeof(buf));

		if (why)
			warn(l, c->lit_line, c->lit_col, "'%.80s' cannot be a value of %s: %s",
			     lit->str, pt, why);
	}
}

static void check_cmp(lint *l, const pattern_comparison *c)
{
	const char *steps[64];
	size_t n = c->path.n_steps < 64 ? c->path.n_steps : 64;
	stix_path_info in;
	char pt[256];

	for (size_t i = 0; i < n; i++)
		steps[i] = c->path.steps[i].kind == PATTERN_STEP_KEY ? c->path.steps[i].key : NULL;
	stix_path_lookup(c->path.object_type, steps, n, &in);
	path_text(&c->path, pt, sizeof(pt));
	if (in.status == STIX_PATH_NO_TYPE || in.status == STIX_PATH_NOT_SCO) {
		warn(l, c->line, c->col, "'%s' is not a STIX 2.1 cyber-observable type%s",
		     c->path.object_type, in.status == STIX_PATH_NOT_SCO ? "" :
		     " (custom types start with x-)");
		return;
	}
	if (in.status == STIX_PATH_NO_PROP) {
		warn(l, c->line, c->col, "%s: '%s' names nothing of %s: %s", pt,
		     in.bad_step < n && steps[in.bad_step] ? steps[in.bad_step] : "[*]",
		     c->path.object_type, in.why);
		return;
	}
	if (c->op == PATTERN_OP_EXISTS)
		return;
	if (in.kind == STIX_VAL_LIST || in.kind == STIX_VAL_OBJECT) {
		warn(l, c->line, c->col, "%s is %s: %s", pt, in.kind == STIX_VAL_LIST ? "a list" : "an object",
		     in.kind == STIX_VAL_LIST ? "compare its elements with [*]" : "compare one of its properties");
		return;
	}
	if (c->op == PATTERN_OP_ISSUBSET || c->op == PATTERN_OP_ISSUPERSET) {
		pattern_comparison eq = *c;

		eq.op = PATTERN_OP_EQ;
		check_lit(l, &eq, &in, &c->lit);
		return;
	}
	if (c->op == PATTERN_OP_IN) {
		for (size_t i = 0; i < c->lit.n_items; i++)
			check_lit(l, c, &in, &c->lit.items[i]);
		return;
	}
	check_lit(l, c, &in, &c->lit);
}

static void lint_ce(lint *l, const pattern_cexpr *ce)
{
	if (ce->kind == PATTERN_CE_CMP) {
		check_cmp(l, ce->cmp);
		return;
	}
	for (size_t i = 0; i < ce->n_kids; i++)
		lint_ce(l, ce->kids[i]);
}

static void lint_oe(lint *l, const pattern_oexpr *oe)
{
	if (!oe)
		return;
	if (oe->kind == PATTERN_OE_OBS) {
		lint_ce(l, oe->ce);
		return;
	}
	lint_oe(l, oe->left);
	lint_oe(l, oe->right);
	lint_oe(l, oe->kid);
}

size_t stix_pattern_lint(const pattern *p, stix_pattern_warn_fn fn, void *ud)
{
	lint l = { fn, ud, 0 };

	if (p)
		lint_oe(&l, p->root);
	return l.n;
}
