/*
 * lexer.c — tokens of the STIX patterning language (the lexer rules of
 * STIXPattern.g4): keywords, identifiers, literals, punctuation, with
 * whitespace (incl. the Unicode spaces the grammar lists) and comments
 * skipped.  Literals are decoded here so errors point at the literal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <math.h>

#include "pattern/pattern_int.h"
#include "util/time.h"
#include "util/xalloc.h"

static const struct {
	const char *word;
	ptok_kind kind;
} keywords[] = {
	{ "AND", PT_AND }, { "OR", PT_OR }, { "NOT", PT_NOT },
	{ "FOLLOWEDBY", PT_FOLLOWEDBY }, { "LIKE", PT_LIKE },
	{ "MATCHES", PT_MATCHES }, { "ISSUBSET", PT_ISSUBSET },
	{ "ISSUPERSET", PT_ISSUPERSET }, { "EXISTS", PT_EXISTS },
	{ "IN", PT_IN }, { "START", PT_START }, { "STOP", PT_STOP },
	{ "WITHIN", PT_WITHIN }, { "SECONDS", PT_SECONDS },
	{ "REPEATS", PT_REPEATS }, { "TIMES", PT_TIMES }, { "LAST", PT_LAST },
};

const char *ptok_name(ptok_kind k)
{
	static const char *const names[] = {
		[PT_EOF] = "end of pattern", [PT_LBRACK] = "'['",
		[PT_RBRACK] = "']'", [PT_LPAREN] = "'('", [PT_RPAREN] = "')'",
		[PT_COLON] = "':'", [PT_DOT] = "'.'", [PT_COMMA] = "','",
		[PT_STAR] = "'*'", [PT_EQ] = "'='", [PT_NE] = "'!='",
		[PT_LT] = "'<'", [PT_LE] = "'<='", [PT_GT] = "'>'",
		[PT_GE] = "'>='", [PT_IDENT] = "identifier",
		[PT_STRING] = "string", [PT_INT] = "integer",
		[PT_FLOAT] = "number", [PT_TIMESTAMP] = "timestamp",
		[PT_HEX] = "hex literal", [PT_BINARY] = "binary literal",
		[PT_BOOL] = "boolean", [PT_AND] = "AND", [PT_OR] = "OR",
		[PT_NOT] = "NOT", [PT_FOLLOWEDBY] = "FOLLOWEDBY",
		[PT_LIKE] = "LIKE", [PT_MATCHES] = "MATCHES",
		[PT_ISSUBSET] = "ISSUBSET", [PT_ISSUPERSET] = "ISSUPERSET",
		[PT_EXISTS] = "EXISTS", [PT_IN] = "IN", [PT_START] = "START",
		[PT_STOP] = "STOP", [PT_WITHIN] = "WITHIN",
		[PT_SECONDS] = "SECONDS", [PT_REPEATS] = "REPEATS",
		[PT_TIMES] = "TIMES", [PT_LAST] = "LAST",
	};

	return names[k];
}

static int lex_error(const plexer *lx, size_t at, cc_err *e,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Error at byte offset at (on the current line). */
static int lex_error(const plexer *lx, size_t at, cc_err *e,
		     const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return cc_err_set(e, CC_ERR, "pattern:%d:%zu: %s", lx->line,
			  at - lx->line_start + 1, what);
}

/* Length of a Unicode whitespace sequence at s (the grammar's WS set
 * beyond ASCII), or 0. */
static size_t uspace_len(const unsigned char *s)
{
	if (s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 ||
	     s[2] == 0xaf))
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

/* Skip whitespace and comments; fails on an unterminated comment. */
static int skip_space(plexer *lx, cc_err *e)
{
	const char *s = lx->src;

	for (;;) {
		unsigned char c = (unsigned char)s[lx->pos];
		size_t u;

		if (c == '\n') {
			lx->pos++;
			lx->line++;
			lx->line_start = lx->pos;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\v' ||
			   c == '\f') {
			lx->pos++;
		} else if ((u = uspace_len((const unsigned char *)s + lx->pos))) {
			lx->pos += u;
		} else if (c == '/' && s[lx->pos + 1] == '*') {
			size_t at = lx->pos;
			const char *end = strstr(s + lx->pos + 2, "*/");

			if (!end)
				return lex_error(lx, at, e, "unterminated comment");
			for (const char *p = s + lx->pos; p < end; p++)
				if (*p == '\n') {
					lx->line++;
					lx->line_start = (size_t)(p - s) + 1;
				}
			lx->pos = (size_t)(end - s) + 2;
		} else if (c == '/' && s[lx->pos + 1] == '/') {
			while (s[lx->pos] && s[lx->pos] != '\n' && s[lx->pos] != '\r')
				lx->pos++;
		} else {
			return 0;
		}
	}
}

/* Scan a quoted body starting after the opening quote; stores the end
 * offset (the closing quote) in *end.  Handles \' and \\ only when
 * escapes is true. */
static int scan_quoted(plexer *lx, size_t open, bool escapes, size_t *end,
		       cc_err *e)
{
	const char *s = lx->src;
	size_t i = open + 1;

	for (;;) {
		if (!s[i])
			return lex_error(lx, open, e, "unterminated string");
		if (s[i] == '\'')
			break;
		if (escapes && s[i] == '\\') {
			if (s[i + 1] != '\'' && s[i + 1] != '\\')
				return lex_error(lx, i, e,
						 "invalid escape in string (only \\' and \\\\)");
			i += 2;
			continue;
		}
		i++;
	}
	*end = i;
	return 0;
}

static int lex_string(plexer *lx, ptok *t, cc_err *e)
{
	size_t open = lx->pos, end, n = 0;
	char *out;

	if (scan_quoted(lx, open, true, &end, e))
		return CC_ERR;
	if (!putf8_valid(lx->src + open + 1, end - open - 1))
		return lex_error(lx, open, e, "string is not valid UTF-8");
	out = cc_xmalloc(end - open);
	for (size_t i = open + 1; i < end; i++) {
		if (lx->src[i] == '\\')
			i++;
		out[n++] = lx->src[i];
	}
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!out[i]) {
			free(out);
			return lex_error(lx, open, e, "string holds a NUL byte");
		}
	t->kind = PT_STRING;
	t->lit.kind = PATTERN_LIT_STRING;
	t->lit.str = out;
	t->lit.len = n;
	lx->pos = end + 1;
	return 0;
}

/* t'..', h'..', b'..' — lx->pos is at the letter. */
static int lex_prefixed(plexer *lx, ptok *t, cc_err *e)
{
	size_t at = lx->pos, open = at + 1, end, n;
	const char *body = lx->src + open + 1;
	char letter = lx->src[at];

	if (scan_quoted(lx, open, false, &end, e))
		return CC_ERR;
	n = end - open - 1;
	if (letter == 't') {
		char tmp[64];

		if (n >= sizeof(tmp) || n < 20)
			return lex_error(lx, at, e, "invalid timestamp literal");
		memcpy(tmp, body, n);
		tmp[n] = '\0';
		if (tmp[10] != 'T' || tmp[n - 1] != 'Z' ||
		    !cc_ts_parse(tmp, &t->lit.ts_us))
			return lex_error(lx, at, e, "invalid timestamp literal");
		t->kind = PT_TIMESTAMP;
		t->lit.kind = PATTERN_LIT_TIMESTAMP;
		t->lit.str = cc_xstrdup(tmp);
	} else if (letter == 'h') {
		if (n % 2)
			return lex_error(lx, at, e, "hex literal needs an even number of digits");
		t->lit.bytes = n ? cc_xmalloc(n / 2) : NULL;
		for (size_t i = 0; i < n; i += 2) {
			int hi = cc_hex_digit(body[i]), lo = cc_hex_digit(body[i + 1]);

			if (hi < 0 || lo < 0) {
				plit_clear(&t->lit);
				return lex_error(lx, at, e, "invalid hex literal");
			}
			t->lit.bytes[i / 2] = (unsigned char)(hi << 4 | lo);
		}
		t->kind = PT_HEX;
		t->lit.kind = PATTERN_LIT_HEX;
		t->lit.len = n / 2;
	} else {
		if (n == 0 || !pb64_decode(body, n, &t->lit.bytes, &t->lit.len))
			return lex_error(lx, at, e, "invalid base64 in binary literal");
		t->kind = PT_BINARY;
		t->lit.kind = PATTERN_LIT_BINARY;
	}
	lx->pos = end + 1;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int lex_number(plexer *lx, ptok *t, cc_err *e)
{
	const char *s = lx->src;
	size_t at = lx->pos, i = at, d0;
	char buf[128];
	size_t n;

	if (s[i] == '+' || s[i] == '-')
		i++;
	d0 = i;
	while (is_digit(s[i]))
		i++;
	if (s[i] == '.' && is_digit(s[i + 1])) {
		i++;
		while (is_digit(s[i]))
			i++;
		t->kind = PT_FLOAT;
	} else {
		if (i == d0)
			return lex_error(lx, at, e, "unexpected character '%c'", s[at]);
		if (s[d0] == '0' && i - d0 > 1)
			return lex_error(lx, at, e, "integer with a leading zero");
		t->kind = PT_INT;
	}
	n = i - at;
	if (n >= sizeof(buf))
		return lex_error(lx, at, e, "number too long");
	memcpy(buf, s + at, n);
	buf[n] = '\0';
	t->positive_sign = s[at] == '+';
	errno = 0;
	if (t->kind == PT_INT) {
		t->lit.kind = PATTERN_LIT_INT;
		t->lit.i = strtoll(buf, NULL, 10);
		if (errno == ERANGE)
			return lex_error(lx, at, e, "integer out of range");
	} else {
		t->lit.kind = PATTERN_LIT_FLOAT;
		t->lit.f = strtod(buf, NULL);
		if (!isfinite(t->lit.f))
			return lex_error(lx, at, e, "number out of range");
		t->lit.str = cc_xstrdup(buf + (buf[0] == '+'));
	}
	lx->pos = i;
	return 0;
}

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static void lex_ident(plexer *lx, ptok *t)
{
	const char *s = lx->src;
	size_t i = lx->pos;

	t->kind = PT_IDENT;
	while (ident_start(s[i]) || is_digit(s[i]) || s[i] == '-') {
		if (s[i] == '-')
			t->has_hyphen = true;
		i++;
	}
	t->len = i - lx->pos;
	lx->pos = i;
	if (t->has_hyphen)
		return;
	for (size_t k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++)
		if (strlen(keywords[k].word) == t->len &&
		    !memcmp(keywords[k].word, t->start, t->len)) {
			t->kind = keywords[k].kind;
			return;
		}
	if ((t->len == 4 && !memcmp(t->start, "true", 4)) ||
	    (t->len == 5 && !memcmp(t->start, "false", 5))) {
		t->kind = PT_BOOL;
		t->lit.kind = PATTERN_LIT_BOOL;
		t->lit.b = t->len == 4;
	}
}

/* Two-character and one-character punctuation. */
static bool lex_punct(plexer *lx, ptok *t)
{
	const char *s = lx->src + lx->pos;
	static const struct {
		const char *text;
		ptok_kind kind;
	} ops[] = {
		{ "==", PT_EQ }, { "!=", PT_NE }, { "<>", PT_NE }, { "<=", PT_LE },
		{ ">=", PT_GE }, { "=", PT_EQ }, { "<", PT_LT }, { ">", PT_GT },
		{ "[", PT_LBRACK }, { "]", PT_RBRACK }, { "(", PT_LPAREN },
		{ ")", PT_RPAREN }, { ":", PT_COLON }, { ".", PT_DOT },
		{ ",", PT_COMMA }, { "*", PT_STAR },
	};

	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		size_t n = strlen(ops[k].text);

		if (!strncmp(s, ops[k].text, n)) {
			t->kind = ops[k].kind;
			lx->pos += n;
			return true;
		}
	}
	return false;
}

int plex_next(plexer *lx, ptok *t, cc_err *e)
{
	const char *s;
	char c;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (skip_space(lx, e))
		return CC_ERR;
	s = lx->src;
	c = s[lx->pos];
	t->line = lx->line;
	t->col = (int)(lx->pos - lx->line_start + 1);
	t->start = s + lx->pos;
	if (!c) {
		t->kind = PT_EOF;
	} else if (c == '\'') {
		rc = lex_string(lx, t, e);
	} else if ((c == 't' || c == 'h' || c == 'b') && s[lx->pos + 1] == '\'') {
		rc = lex_prefixed(lx, t, e);
	} else if (ident_start(c)) {
		lex_ident(lx, t);
	} else if (is_digit(c) || c == '+' || c == '-' ||
		   (c == '.' && is_digit(s[lx->pos + 1]))) {
		rc = lex_number(lx, t, e);
	} else if (!lex_punct(lx, t)) {
		if ((unsigned char)c >= 0x80)
			return lex_error(lx, lx->pos, e, "unexpected character (byte 0x%02x)",
					 (unsigned char)c);
		return lex_error(lx, lx->pos, e, "unexpected character '%c'", c);
	}
	t->len = (size_t)(s + lx->pos - t->start);
	return rc;
}
