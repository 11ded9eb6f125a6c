/*
 * jsplit.c — see jsplit.h.  A cursor walks the text; every helper returns
 * false when the text is not what it expects.
 */
#include "util/jsplit.h"

#include <stdlib.h>
#include <string.h>

typedef struct cur {
	const char *t;
	size_t len, pos, max_depth;
} cur;

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(cur *c)
{
	while (c->pos < c->len && is_ws(c->t[c->pos]))
		c->pos++;
}

static bool peek(const cur *c, char ch)
{
	return c->pos < c->len && c->t[c->pos] == ch;
}

/* The index of the quote that ends the string whose text starts at
 * t[from] (just after its opening quote), or len when it does not end.
 * memchr finds the quotes; one is escaped when an odd run of backslashes
 * (inside the string) stands before it. */
static size_t string_end(const char *t, size_t from, size_t len)
{
	size_t pos = from;

	while (pos < len) {
		const char *q = memchr(t + pos, '"', len - pos);
		size_t at, bs = 0;

		if (!q)
			return len;
		at = (size_t)(q - t);
		while (at - bs > from && t[at - bs - 1] == '\\')
			bs++;
		if (bs % 2 == 0)
			return at;
		pos = at + 1;
	}
	return len;
}

/* At a '"': move past the closing quote. */
static bool skip_string(cur *c)
{
	if (!peek(c, '"'))
		return false;
	c->pos = string_end(c->t, c->pos + 1, c->len);
	if (c->pos >= c->len)
		return false;
	c->pos++;
	return true;
}

/* Move past one value.  Containers are skipped by counting brackets
 * (strings aside); whether they are well-formed is the parser's job. */
static bool skip_value(cur *c)
{
	size_t depth = 0;

	if (c->pos >= c->len)
		return false;
	if (c->t[c->pos] == '"')
		return skip_string(c);
	if (c->t[c->pos] != '{' && c->t[c->pos] != '[') {   /* number, literal */
		size_t start = c->pos;
		while (c->pos < c->len && !is_ws(c->t[c->pos]) && !strchr(",]}", c->t[c->pos]))
			c->pos++;
		return c->pos > start;
	}
	while (c->pos < c->len) {
		char ch = c->t[c->pos];
		if (ch == '"') {
			if (!skip_string(c))
				return false;
			continue;
		}
		if (ch == '{' || ch == '[') {
			if (++depth > c->max_depth)
				return false;
		} else if (ch == '}' || ch == ']') {
			if (--depth == 0) {
				c->pos++;
				return true;
			}
		}
		c->pos++;
	}
	return false;
}

/* At '[': the spans of its elements, each of which must be an object. */
static bool split_array(cur *c, cc_jspan **elems, size_t *n)
{
	size_t cap = 0;
	cc_jspan *v = NULL;

	*n = 0;
	c->pos++;
	skip_ws(c);
	if (peek(c, ']')) {
		c->pos++;
		*elems = NULL;
		return true;
	}
	for (;;) {
		size_t start = c->pos;
		if (!peek(c, '{') || !skip_value(c))
			goto fail;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			cc_jspan *nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto fail;
			v = nv;
		}
		v[(*n)++] = (cc_jspan){ start, c->pos - start };
		skip_ws(c);
		if (peek(c, ']')) {
			c->pos++;
			*elems = v;
			return true;
		}
		if (!peek(c, ','))
			goto fail;
		c->pos++;
		skip_ws(c);
	}
fail:
	free(v);
	return false;
}

bool cc_jsplit_bundle(const char *text, size_t len, size_t max_depth,
		      cc_jspan **elems, size_t *n, cc_jspan *arr)
{
	cur c = { text, len, 0, max_depth };
	bool found = false;

	*elems = NULL;
	*n = 0;
	skip_ws(&c);
	if (!peek(&c, '{'))
		return false;
	c.pos++;
	skip_ws(&c);
	while (!peek(&c, '}')) {
		size_t key = c.pos;
		if (!skip_string(&c))
			goto fail;
		bool is_objects = c.pos - key == 9 && memcmp(text + key, "\"objects\"", 9) == 0;
		skip_ws(&c);
		if (!peek(&c, ':'))
			goto fail;
		c.pos++;
		skip_ws(&c);
		if (is_objects) {
			if (found || !peek(&c, '['))
				goto fail;
			arr->off = c.pos;
			if (!split_array(&c, elems, n))
				goto fail;
			arr->len = c.pos - arr->off;
			found = true;
		} else if (!skip_value(&c)) {
			goto fail;
		}
		skip_ws(&c);
		if (peek(&c, ',')) {
			c.pos++;
			skip_ws(&c);
			if (peek(&c, '}'))
				goto fail;
		} else if (!peek(&c, '}')) {
			goto fail;
		}
	}
	c.pos++;
	skip_ws(&c);
	if (c.pos == len && found)
		return true;
fail:
	free(*elems);
	*elems = NULL;
	*n = 0;
	return false;
}

bool cc_jsplit_array(const char *text, size_t len, size_t max_depth,
		     cc_jspan **elems, size_t *n)
{
	cur c = { text, len, 0, max_depth };

	*elems = NULL;
	*n = 0;
	skip_ws(&c);
	if (peek(&c, '[') && split_array(&c, elems, n)) {
		skip_ws(&c);
		if (c.pos == len)
			return true;
		free(*elems);
	}
	*elems = NULL;
	*n = 0;
	return false;
}

void cc_jsplit_envelope(const char *text, size_t len, cc_jspan arr, cc_buf *out)
{
	cc_buf_append(out, text, arr.off);
	cc_buf_puts(out, "[]");
	cc_buf_append(out, text + arr.off + arr.len, len - arr.off - arr.len);
}
