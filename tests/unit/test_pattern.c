/*
 * Unit tests of src/pattern: the data-driven cases in tests/data/pattern/
 * (every *.test file) and direct tests of the lexer, parser, printer and
 * the evaluation building blocks.
 *
 * Case file format, one directive per line ('#' comments, blank lines):
 *   sco NAME = {SCO}            one observed-data holding this one object
 *   obs NAME                    then JSON lines until "end": an array of
 *   ...                         observed-data (missing type, id,
 *   end                         first_observed, last_observed,
 *                               number_observed get defaults) or a STIX
 *                               2.1 bundle (observed-data + SCOs)
 *   match NAME: PATTERN         PATTERN matches the observations NAME
 *   nomatch NAME: PATTERN       it does not
 *   error: PATTERN => MESSAGE   parsing fails with exactly MESSAGE
 *   norm: PATTERN => TEXT       it parses and normalises to TEXT
 *   valid: PATTERN              it parses
 * Every pattern that parses must also re-parse from its normalised text
 * to the same AST.  In tests/data/pattern/spec-examples.cases a PATTERN
 * may be "spec N": the Nth example of the STIX 2.1 specification, read
 * from the outside test data (the specification's text is not copied into
 * this repository); that file's test is skipped when the data is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pattern/pattern.h"
#include "util/buf.h"
#include "util/file.h"
#include "testdata.h"

/* ---- the data-driven runner ---- */

typedef struct obsset {
	char name[64];
	json_t *ods;            /* array of observed-data */
	json_t *scos;           /* id -> SCO (2.1 bundles) */
} obsset;

typedef struct runner {
	obsset sets[512];
	size_t n_sets;
	int cases, failures;
	const char *file;
	int line;
	char *spec[64];         /* the specification's examples, "spec N" */
	size_t n_spec;
	unsigned spec_used[64]; /* how many cases name each */
} runner;

static void failf(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void failf(runner *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", r->file, r->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	r->failures++;
}

static obsset *find_set(runner *r, const char *name)
{
	for (size_t i = 0; i < r->n_sets; i++)
		if (!strcmp(r->sets[i].name, name))
			return &r->sets[i];
	return NULL;
}

/* Fill the defaults of a compact observed-data. */
static void od_defaults(json_t *od, size_t idx)
{
	char id[96];

	if (!json_object_get(od, "type"))
		json_object_set_new(od, "type", json_string("observed-data"));
	if (!json_object_get(od, "id")) {
		snprintf(id, sizeof(id), "observed-data--00000000-0000-4000-8000-%012zu", idx);
		json_object_set_new(od, "id", json_string(id));
	}
	if (!json_object_get(od, "first_observed"))
		json_object_set_new(od, "first_observed", json_string("2020-01-01T00:00:00Z"));
	if (!json_object_get(od, "last_observed"))
		json_object_set(od, "last_observed", json_object_get(od, "first_observed"));
	if (!json_object_get(od, "number_observed"))
		json_object_set_new(od, "number_observed", json_integer(1));
}

static void add_set(runner *r, const char *name, json_t *doc)
{
	obsset *s;
	json_t *o;
	size_t i;

	if (!doc) {
		failf(r, "set %s: invalid JSON", name);
		return;
	}
	if (find_set(r, name) || r->n_sets == sizeof(r->sets) / sizeof(r->sets[0])) {
		failf(r, "set %s: duplicate or too many", name);
		json_decref(doc);
		return;
	}
	s = &r->sets[r->n_sets++];
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->ods = json_array();
	s->scos = json_object();
	if (json_is_object(doc) && json_is_array(json_object_get(doc, "objects"))) {
		json_array_foreach(json_object_get(doc, "objects"), i, o) {
			const char *t = json_string_value(json_object_get(o, "type"));

			if (t && !strcmp(t, "observed-data"))
				json_array_append(s->ods, o);
			else
				json_object_set(s->scos, json_string_value(json_object_get(o, "id")), o);
		}
	} else if (json_is_array(doc)) {
		json_array_foreach(doc, i, o) {
			od_defaults(o, i);
			json_array_append(s->ods, o);
		}
	} else {
		json_t *od = json_object(), *objs = json_object();

		json_object_set(objs, "0", doc);
		json_object_set_new(od, "objects", objs);
		od_defaults(od, 0);
		json_array_append_new(s->ods, od);
	}
	json_decref(doc);
}

/* normalise -> parse -> same AST; returns false (and reports) if not. */
static bool check_roundtrip(runner *r, const pattern *p, const char *src)
{
	char *norm = pattern_normalise(p);
	cc_err e = { 0 };
	pattern *q = pattern_parse(norm, &e);
	bool ok = false;

	if (!q) {
		failf(r, "normalised form of %s does not parse: %s (%s)", src, norm, e.msg);
	} else {
		json_t *a = pattern_ast_json(p), *b = pattern_ast_json(q);

		ok = json_equal(a, b);
		if (!ok)
			failf(r, "normalised form of %s parses to another AST: %s", src, norm);
		json_decref(a);
		json_decref(b);
	}
	pattern_free(q);
	free(norm);
	return ok;
}

static void run_match(runner *r, const char *rest, bool want)
{
	char name[64];
	const char *colon = strstr(rest, ": ");
	const char *src;
	obsset *s;
	cc_err e = { 0 };
	pattern *p;
	pattern_match_result res;
	json_t **v;
	size_t n;

	if (!colon || (size_t)(colon - rest) >= sizeof(name)) {
		failf(r, "bad match line");
		return;
	}
	memcpy(name, rest, (size_t)(colon - rest));
	name[colon - rest] = '\0';
	src = colon + 2;
	if (!strncmp(src, "spec ", 5)) {
		unsigned long k = strtoul(src + 5, NULL, 10);

		if (k < 1 || k > r->n_spec) {
			failf(r, "no specification example %s", src + 5);
			return;
		}
		r->spec_used[k - 1]++;
		src = r->spec[k - 1];
	}
	s = find_set(r, name);
	if (!s) {
		failf(r, "unknown observation set '%s'", name);
		return;
	}
	p = pattern_parse(src, &e);
	if (!p) {
		failf(r, "does not parse: %s: %s", src, e.msg);
		return;
	}
	check_roundtrip(r, p, src);
	n = json_array_size(s->ods);
	v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(s->ods, i);
	if (pattern_match_scos(p, v, n, s->scos, &res, &e))
		failf(r, "match error: %s: %s", src, e.msg);
	else if (res.matched != want)
		failf(r, "%s expected %s on %s, got %s", src, want ? "match" : "no match",
		      name, res.matched ? "match" : "no match");
	else if (res.matched && !res.n_obs)
		failf(r, "%s matched but bound nothing", src);
	pattern_match_result_free(&res);
	free(v);
	pattern_free(p);
}

/* "PATTERN => TEXT": split in place. */
static char *split_arrow(char *rest)
{
	char *a = strstr(rest, " => ");

	if (!a)
		return NULL;
	*a = '\0';
	return a + 4;
}

static void run_line(runner *r, char *line, FILE *f)
{
	cc_err e = { 0 };
	pattern *p;
	char *want, *norm;

	if (!strncmp(line, "sco ", 4)) {
		char *eq = strstr(line, " = ");

		if (!eq) {
			failf(r, "bad sco line");
			return;
		}
		*eq = '\0';
		add_set(r, line + 4, json_loads(eq + 3, 0, NULL));
	} else if (!strncmp(line, "obs ", 4)) {
		cc_buf b = CC_BUF_INIT;
		char buf[8192];
		json_error_t je;
		json_t *doc;

		while (fgets(buf, sizeof(buf), f)) {
			r->line++;
			if (!strcmp(buf, "end\n") || !strcmp(buf, "end"))
				break;
			cc_buf_puts(&b, buf);
		}
		doc = json_loads(cc_buf_str(&b), 0, &je);
		if (!doc)
			failf(r, "obs %s: %s (line %d)", line + 4, je.text, je.line);
		add_set(r, line + 4, doc);
		cc_buf_free(&b);
	} else if (!strncmp(line, "match ", 6)) {
		r->cases++;
		run_match(r, line + 6, true);
	} else if (!strncmp(line, "nomatch ", 8)) {
		r->cases++;
		run_match(r, line + 8, false);
	} else if (!strncmp(line, "error: ", 7)) {
		r->cases++;
		want = split_arrow(line + 7);
		p = pattern_parse(line + 7, &e);
		if (p)
			failf(r, "parsed but should fail: %s", line + 7);
		else if (!want || strcmp(e.msg, want))
			failf(r, "error for %s\n  got:  %s\n  want: %s", line + 7, e.msg,
			      want ? want : "(missing =>)");
		pattern_free(p);
	} else if (!strncmp(line, "norm: ", 6) || !strncmp(line, "valid: ", 7)) {
		bool is_norm = line[0] == 'n';
		char *src = line + (is_norm ? 6 : 7);

		r->cases++;
		want = is_norm ? split_arrow(src) : NULL;
		p = pattern_parse(src, &e);
		if (!p) {
			failf(r, "does not parse: %s: %s", src, e.msg);
			return;
		}
		check_roundtrip(r, p, src);
		norm = pattern_normalise(p);
		if (is_norm && (!want || strcmp(norm, want)))
			failf(r, "normalised %s\n  got:  %s\n  want: %s", src, norm,
			      want ? want : "(missing =>)");
		free(norm);
		pattern_free(p);
	} else {
		failf(r, "unknown directive: %.40s", line);
	}
}

static void run_file(runner *r, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];

	assert_non_null(f);
	r->file = path;
	r->line = 0;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		r->line++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		run_line(r, line, f);
	}
	fclose(f);
	for (size_t i = 0; i < r->n_sets; i++) {
		json_decref(r->sets[i].ods);
		json_decref(r->sets[i].scos);
	}
	r->n_sets = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_data_cases(void **state)
{
	const char *root = getenv("CC_ROOT");
	char dir[4096], path[8192];
	char *names[256];
	size_t nn = 0;
	struct dirent *de;
	DIR *d;
	runner *r = calloc(1, sizeof(*r));
	int cases, failures;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/data/pattern", root ? root : ".");
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) && nn < 256) {
		size_t n = strlen(de->d_name);

		if (n > 5 && !strcmp(de->d_name + n - 5, ".test"))
			names[nn++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		run_file(r, path);
		free(names[i]);
	}
	cases = r->cases;
	failures = r->failures;
	free(r);
	fprintf(stderr, "pattern data: %zu files, %d cases, %d failures\n", nn, cases,
		failures);
	assert_true(nn >= 5);
	assert_true(cases >= 300);
	assert_int_equal(failures, 0);
}

/* The specification's examples, one per line, against the cases made for
 * them here; every example is named by at least one case. */
static void test_spec_examples(void **state)
{
	const char *root = getenv("CC_ROOT");
	char specpath[4096], path[4096], line[8192];
	runner *r;
	FILE *f;

	(void)state;
	testdata_need(specpath, sizeof(specpath), "data/oasis/pattern-spec-examples-v21.txt",
		      "the STIX 2.1 specification's pattern examples");
	r = calloc(1, sizeof(*r));
	assert_non_null(r);
	f = fopen(specpath, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) && r->n_spec < 64) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			r->spec[r->n_spec++] = strdup(line);
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/tests/data/pattern/spec-examples.cases", root ? root : ".");
	run_file(r, path);
	fprintf(stderr, "specification examples: %zu, %d cases, %d failures\n", r->n_spec,
		r->cases, r->failures);
	assert_int_equal(r->n_spec, 23);
	assert_int_equal(r->cases, 50);
	assert_int_equal(r->failures, 0);
	for (size_t i = 0; i < r->n_spec; i++) {
		if (!r->spec_used[i])
			fail_msg("specification example %zu has no case", i + 1);
		free(r->spec[i]);
	}
	free(r);
}

/* ---- direct tests ---- */

static pattern *parse_ok(const char *src)
{
	cc_err e = { 0 };
	pattern *p = pattern_parse(src, &e);

	if (!p)
		fail_msg("%s: %s", src, e.msg);
	return p;
}

static void test_ast_shape(void **state)
{
	pattern *p;
	const pattern_cexpr *ce;
	const pattern_comparison *c;

	(void)state;
	p = parse_ok("[file:hashes.'SHA-256' = 'ab' AND file:x[*].y[2] NOT != 3 OR NOT EXISTS file:z]"
		     " REPEATS 2 TIMES WITHIN 5.5 SECONDS");
	assert_int_equal(p->root->kind, PATTERN_OE_WITHIN);
	assert_true(p->root->within_s == 5.5);
	assert_int_equal(p->root->kid->kind, PATTERN_OE_REPEATS);
	assert_int_equal(p->root->kid->repeats, 2);
	assert_int_equal(p->n_obs, 1);
	assert_int_equal(p->n_cmp, 3);
	ce = p->root->kid->kid->ce;
	assert_int_equal(ce->kind, PATTERN_CE_OR);
	assert_int_equal(ce->n_kids, 2);
	assert_int_equal(ce->kids[0]->kind, PATTERN_CE_AND);
	c = ce->kids[0]->kids[0]->cmp;
	assert_string_equal(c->path.object_type, "file");
	assert_int_equal(c->path.n_steps, 2);
	assert_string_equal(c->path.steps[1].key, "SHA-256");
	assert_int_equal(c->lit.kind, PATTERN_LIT_STRING);
	c = ce->kids[0]->kids[1]->cmp;
	assert_true(c->negated);
	assert_int_equal(c->op, PATTERN_OP_NE);
	assert_int_equal(c->path.steps[1].kind, PATTERN_STEP_ANY);
	assert_int_equal(c->path.steps[3].kind, PATTERN_STEP_INDEX);
	assert_int_equal(c->path.steps[3].index, 2);
	c = ce->kids[1]->cmp;
	assert_int_equal(c->op, PATTERN_OP_EXISTS);
	assert_true(c->negated);
	pattern_free(p);
	pattern_free(NULL);
}

static void test_literals(void **state)
{
	pattern *p;
	const pattern_literal *l;

	(void)state;
	p = parse_ok("[a:b IN ('x\\'y\\\\', 'é')]");
	l = &p->root->ce->cmp->lit;
	assert_int_equal(l->kind, PATTERN_LIT_SET);
	assert_int_equal(l->n_items, 2);
	assert_string_equal(l->items[0].str, "x'y\\");
	assert_int_equal(l->items[1].len, 2);
	pattern_free(p);
	p = parse_ok("[a:b = h'0aFF']");
	l = &p->root->ce->cmp->lit;
	assert_int_equal(l->kind, PATTERN_LIT_HEX);
	assert_int_equal(l->len, 2);
	assert_int_equal(l->bytes[1], 0xff);
	pattern_free(p);
	p = parse_ok("[a:b = b'AQID']");
	l = &p->root->ce->cmp->lit;
	assert_int_equal(l->kind, PATTERN_LIT_BINARY);
	assert_int_equal(l->len, 3);
	assert_int_equal(l->bytes[2], 3);
	pattern_free(p);
	p = parse_ok("[a:b = t'2016-01-02T03:04:05.5Z']");
	l = &p->root->ce->cmp->lit;
	assert_int_equal(l->kind, PATTERN_LIT_TIMESTAMP);
	assert_true(l->ts_us == 1451703845500000LL);
	pattern_free(p);
	p = parse_ok("[a:b > -12] AND [a:c < -.5] AND [a:d = true]");
	assert_int_equal(p->root->left->left->ce->cmp->lit.i, -12);
	assert_true(p->root->left->right->ce->cmp->lit.f == -0.5);
	assert_true(p->root->right->ce->cmp->lit.b);
	pattern_free(p);
}

static void test_ast_json(void **state)
{
	pattern *p = parse_ok("[x:y[0].'a b' NOT LIKE 'q%'] FOLLOWEDBY [x:z = 1]");
	json_t *j = pattern_ast_json(p);
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	(void)state;
	assert_string_equal(s,
		"{\"type\":\"followedby\",\"left\":{\"type\":\"observation\",\"expr\":"
		"{\"type\":\"comparison\",\"object_type\":\"x\",\"path\":[\"y\",0,\"a b\"],"
		"\"operator\":\"LIKE\",\"negated\":true,\"value\":{\"kind\":\"string\",\"value\":\"q%\"}}},"
		"\"right\":{\"type\":\"observation\",\"expr\":{\"type\":\"comparison\",\"object_type\":\"x\","
		"\"path\":[\"z\"],\"operator\":\"=\",\"negated\":false,\"value\":{\"kind\":\"int\",\"value\":1}}}}");
	free(s);
	json_decref(j);
	pattern_free(p);
}

static json_t *resolve_tab(void *ctx, const char *ref)
{
	return json_object_get(ctx, ref);
}

static void test_building_blocks(void **state)
{
	json_t *objs = json_loads("{\"a\":{\"type\":\"network-traffic\",\"src_ref\":\"b\","
				  "\"ports\":[80,443]},\"b\":{\"type\":\"ipv4-addr\",\"value\":\"10.1.2.3\"}}",
				  0, NULL);
	json_t *vals = json_array();
	pattern *p = parse_ok("[network-traffic:src_ref.value ISSUBSET '10.0.0.0/8']");
	pattern *q = parse_ok("[network-traffic:ports[*] = 443]");
	pattern *r = parse_ok("[ipv4-addr:value = '10.1.2.3' AND network-traffic:ports[0] = 80]");
	const pattern_comparison *c = p->root->ce->cmp;

	(void)state;
	pattern_path_values(&c->path, json_object_get(objs, "a"), resolve_tab, objs, vals);
	assert_int_equal(json_array_size(vals), 1);
	assert_string_equal(json_string_value(json_array_get(vals, 0)), "10.1.2.3");
	assert_true(pattern_value_test(c, json_array_get(vals, 0)));
	assert_true(pattern_comparison_eval(c, json_object_get(objs, "a"), resolve_tab, objs));
	/* without a resolver a _ref leads nowhere */
	assert_false(pattern_comparison_eval(c, json_object_get(objs, "a"), NULL, NULL));
	assert_true(pattern_cexpr_eval(p->root->ce, objs, NULL, NULL));
	assert_true(pattern_cexpr_eval(q->root->ce, objs, resolve_tab, objs));
	/* AND must hold on one root object: these are two different objects */
	assert_false(pattern_cexpr_eval(r->root->ce, objs, NULL, NULL));
	json_decref(vals);
	json_decref(objs);
	pattern_free(p);
	pattern_free(q);
	pattern_free(r);
}

static void test_observation_init(void **state)
{
	json_t *od = json_loads("{\"type\":\"observed-data\",\"id\":\"observed-data--1\","
				"\"first_observed\":\"2020-01-01T00:00:00Z\","
				"\"last_observed\":\"2020-01-01T00:00:10Z\",\"number_observed\":3,"
				"\"object_refs\":[\"ipv4-addr--1\",\"ipv4-addr--missing\"]}", 0, NULL);
	json_t *scos = json_loads("{\"ipv4-addr--1\":{\"type\":\"ipv4-addr\",\"value\":\"1.2.3.4\"}}", 0, NULL);
	json_t *bad = json_loads("{\"type\":\"observed-data\",\"number_observed\":0,"
				 "\"first_observed\":\"2020-01-01T00:00:00Z\","
				 "\"last_observed\":\"2020-01-01T00:00:00Z\"}", 0, NULL);
	pattern_observation o;
	cc_err e = { 0 };

	(void)state;
	assert_int_equal(pattern_observation_init(&o, od, scos, &e), 0);
	assert_int_equal(o.count, 3);
	assert_true(o.last_us - o.first_us == 10000000);
	assert_int_equal(json_object_size(o.objects), 1);
	assert_string_equal(o.id, "observed-data--1");
	pattern_observation_clear(&o);
	assert_int_not_equal(pattern_observation_init(&o, bad, NULL, &e), 0);
	assert_non_null(strstr(e.msg, "number_observed"));
	pattern_observation_clear(&o);
	json_decref(od);
	json_decref(scos);
	json_decref(bad);
}

static void test_result_binding(void **state)
{
	json_t *ods = json_loads("[{\"type\":\"observed-data\",\"id\":\"observed-data--a\","
				 "\"first_observed\":\"2020-01-01T00:00:00Z\",\"last_observed\":\"2020-01-01T00:00:00Z\","
				 "\"number_observed\":1,\"objects\":{\"0\":{\"type\":\"file\",\"name\":\"x\"},"
				 "\"1\":{\"type\":\"file\",\"name\":\"y\"}}},"
				 "{\"type\":\"observed-data\",\"id\":\"observed-data--b\","
				 "\"first_observed\":\"2020-01-01T00:00:05Z\",\"last_observed\":\"2020-01-01T00:00:05Z\","
				 "\"number_observed\":1,\"objects\":{\"0\":{\"type\":\"file\",\"name\":\"z\"}}}]",
				 0, NULL);
	json_t *v[2] = { json_array_get(ods, 0), json_array_get(ods, 1) };
	pattern *p = parse_ok("[file:name = 'z'] AND [file:name = 'y']");
	pattern_match_result res;
	cc_err e = { 0 };
	json_t *b0;

	(void)state;
	assert_int_equal(pattern_match(p, v, 2, &res, &e), 0);
	assert_true(res.matched);
	assert_int_equal(res.n_obs, 2);
	assert_int_equal(res.obs[0], 0);
	assert_int_equal(res.obs[1], 1);
	b0 = json_array_get(res.bindings, 0);
	assert_string_equal(json_string_value(json_object_get(b0, "observed_data")), "observed-data--a");
	assert_int_equal(json_object_size(json_object_get(b0, "objects")), 1);
	assert_non_null(json_object_get(json_object_get(b0, "objects"), "1"));
	pattern_match_result_free(&res);
	pattern_match_result_free(NULL);
	pattern_free(p);
	json_decref(ods);
}

static void test_error_positions(void **state)
{
	cc_err e = { 0 };

	(void)state;
	assert_null(pattern_parse("[file:name = 'a'\n  AND file:size 4]", &e));
	assert_string_equal(e.msg, "pattern:2:17: expected a comparison operator, found '4'");
	assert_null(pattern_parse("/* c\n */ [file:name = 'a' ", &e));
	assert_string_equal(e.msg, "pattern:2:22: expected ']' after comparison, found end of pattern");
	assert_int_equal(e.code, CC_ERR);
	assert_null(pattern_parse("", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_ast_shape),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_ast_json),
		cmocka_unit_test(test_building_blocks),
		cmocka_unit_test(test_observation_init),
		cmocka_unit_test(test_result_binding),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_data_cases),
	};

	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
