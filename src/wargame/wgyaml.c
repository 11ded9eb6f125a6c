/* wgyaml.c — reading libyaml documents with precise error positions. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "wargame/wargame_int.h"

int wgy_open(wgy *y, const char *data, size_t len, const char *name, cc_err *e)
{
	yaml_parser_t p;
	int rc = CC_OK;

	memset(y, 0, sizeof(*y));
	y->name = name;
	y->e = e;
	if (!yaml_parser_initialize(&p))
		return cc_err_set(e, CC_ENOMEM, "%s: cannot start the YAML parser", name);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		if (p.error == YAML_MEMORY_ERROR)   /* its stacks stop at INT_MAX / 2 bytes */
			rc = cc_err_set(e, CC_ENOMEM, "%s: too large for the YAML loader (libyaml "
					"holds at most about ten million nodes in one document)",
					name);
		else
			rc = cc_err_set(e, CC_ERR, "%s:%zu:%zu: %s%s%s", name,
					p.problem_mark.line + 1, p.problem_mark.column + 1,
					p.problem ? p.problem : "YAML syntax error",
					p.context ? " " : "", p.context ? p.context : "");
		goto out;
	}
	y->have_doc = true;
out:
	yaml_parser_delete(&p);
	return rc;
}

void wgy_close(wgy *y)
{
	if (y->have_doc)
		yaml_document_delete(&y->doc);
	y->have_doc = false;
}

yaml_node_t *wgy_root(wgy *y)
{
	return yaml_document_get_root_node(&y->doc);
}

yaml_node_t *wgy_node(wgy *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

int wgy_fail(wgy *y, const yaml_node_t *n, const char *path, const char *fmt, ...)
{
	char what[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (n)
		return cc_err_set(y->e, CC_ERR, "%s:%zu:%zu: %s: %s", y->name,
				  n->start_mark.line + 1, n->start_mark.column + 1,
				  path, what);
	return cc_err_set(y->e, CC_ERR, "%s: %s: %s", y->name, path, what);
}

const char *wgy_scalar(yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

int wgy_want_map(wgy *y, yaml_node_t *n, const char *path)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return wgy_fail(y, n, path, "expected a mapping");
	return CC_OK;
}

int wgy_want_seq(wgy *y, yaml_node_t *n, const char *path)
{
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return wgy_fail(y, n, path, "expected a list");
	return CC_OK;
}

int wgy_str(wgy *y, yaml_node_t *n, const char *path, char **out)
{
	const char *s = wgy_scalar(n);

	if (!s || !*s || strlen(s) != n->data.scalar.length)
		return wgy_fail(y, n, path, "expected a non-empty string");
	free(*out);
	*out = cc_xstrdup(s);
	return CC_OK;
}

int wgy_int(wgy *y, yaml_node_t *n, const char *path, long lo, long hi, int *out)
{
	const char *s = wgy_scalar(n);
	char *end;
	long v;

	if (!s || !*s)
		goto bad;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		goto bad;
	*out = (int)v;
	return CC_OK;
bad:
	return wgy_fail(y, n, path, "expected an integer %ld..%ld", lo, hi);
}

int wgy_num(wgy *y, yaml_node_t *n, const char *path, double lo, double hi, double *out)
{
	const char *s = wgy_scalar(n);
	char *end;
	double v;

	if (!s || !*s)
		goto bad;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < lo || v > hi)
		goto bad;
	*out = v;
	return CC_OK;
bad:
	return wgy_fail(y, n, path, "expected a number %g..%g", lo, hi);
}

int wgy_bool(wgy *y, yaml_node_t *n, const char *path, bool *out)
{
	const char *s = wgy_scalar(n);

	if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) {
		*out = true;
		return CC_OK;
	}
	if (s && (!strcmp(s, "false") || !strcmp(s, "no"))) {
		*out = false;
		return CC_OK;
	}
	return wgy_fail(y, n, path, "expected true or false");
}

int wgy_keys(wgy *y, yaml_node_t *n, const char *path,
	     const char *const *allowed, yaml_node_t **vals)
{
	yaml_node_pair_t *pr;
	size_t i;

	if (wgy_want_map(y, n, path))
		return CC_ERR;
	for (i = 0; allowed[i]; i++)
		vals[i] = NULL;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = wgy_node(y, pr->key);
		const char *ks = wgy_scalar(k);

		if (!ks)
			return wgy_fail(y, k, path, "keys must be strings");
		for (i = 0; allowed[i]; i++)
			if (!strcmp(allowed[i], ks))
				break;
		if (!allowed[i])
			return wgy_fail(y, k, path, "unknown key '%s'", ks);
		if (vals[i])
			return wgy_fail(y, k, path, "duplicate key '%s'", ks);
		vals[i] = wgy_node(y, pr->value);
	}
	return CC_OK;
}

void wg_pathf(char *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, WG_PATH_MAX, fmt, ap);
	va_end(ap);
}
