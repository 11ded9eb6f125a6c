/*
 * pattern.c — `cybercell pattern check|match`: validate and normalise a
 * STIX pattern, or evaluate one against a bundle of observed-data.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "pattern/pattern.h"
#include "stix/stix.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"

const char cmd_pattern_usage[] =
	"usage: cybercell pattern check [--ast] PATTERN\n"
	"       cybercell pattern match --pattern PATTERN [--json] FILE\n"
	"\n"
	"check   parse a STIX 2.1 pattern; print its normalised form (or, with\n"
	"        --ast, its syntax tree as JSON).  Exit 0 valid, 1 invalid.\n"
	"match   evaluate the pattern over the observed-data in FILE (a STIX\n"
	"        bundle, 2.1 with object_refs or 2.0 with embedded objects;\n"
	"        '-' is standard input).  Prints the bound observed-data and\n"
	"        objects.  Exit 0 matched, 1 not matched, 2 invalid pattern or\n"
	"        input.\n"
	"\n"
	"  --ast              check: print the AST as JSON\n"
	"  -p, --pattern PAT  match: the pattern to evaluate\n"
	"  --json             match: print one JSON object with the result\n";

static void print_warning(void *ud, int line, int col, const char *msg)
{
	(void)ud;
	fprintf(stderr, "cybercell: pattern:%d:%d: warning: %s\n", line, col, msg);
}

static int pattern_check(int argc, char **argv)
{
	const char *text;
	bool ast;
	pattern *p;
	cc_err e = { 0 };
	int rc = cmd_flag_and_operand("pattern check", argc, argv, "ast", 0, "PATTERN", &ast, &text);

	if (rc)
		return rc;
	p = pattern_parse(text, &e);
	if (!p)
		return cmd_fail(&e);
	stix_pattern_lint(p, print_warning, NULL);
	if (ast) {
		json_t *j = pattern_ast_json(p);

		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		char *s = pattern_normalise(p);

		puts(s);
		free(s);
	}
	pattern_free(p);
	return 0;
}

/* Gather the observed-data objects of doc (a bundle, a list of objects or
 * one object) into ods, and every object with an id into scos. */
static int collect(json_t *doc, json_t *ods, json_t *scos, cc_err *e)
{
	json_t *list = doc, *o;
	size_t i;

	if (json_is_object(doc) && json_is_array(json_object_get(doc, "objects")) &&
	    !json_is_object(json_object_get(doc, "objects")))
		list = json_object_get(doc, "objects");
	else if (json_is_object(doc))
		list = NULL;
	if (!list) {
		const char *type = json_string_value(json_object_get(doc, "type"));

		if (!type || strcmp(type, "observed-data") != 0)
			return cc_err_set(e, CC_ERR, "not a bundle, a list or an observed-data object");
		json_array_append(ods, doc);
		return 0;
	}
	if (!json_is_array(list))
		return cc_err_set(e, CC_ERR, "not a bundle, a list or an observed-data object");
	json_array_foreach(list, i, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		const char *id = json_string_value(json_object_get(o, "id"));

		if (!json_is_object(o))
			return cc_err_set(e, CC_ERR, "objects[%zu]: not a JSON object", i);
		if (type && !strcmp(type, "observed-data"))
			json_array_append(ods, o);
		else if (id)
			json_object_set(scos, id, o);
	}
	return 0;
}

static void print_text(const pattern_match_result *res)
{
	json_t *b, *objs, *sco;
	const char *key;
	size_t i;

	json_array_foreach(res->bindings, i, b) {
		const char *id = json_string_value(json_object_get(b, "observed_data"));

		objs = json_object_get(b, "objects");
		if (!json_object_size(objs))
			printf("%s\n", id ? id : "-");
		json_object_foreach(objs, key, sco) {
			char *s = json_dumps(sco, JSON_COMPACT | JSON_PRESERVE_ORDER);

			printf("%s\t%s\t%s\n", id ? id : "-", key, s);
			free(s);
		}
	}
}

static void print_json(const pattern *p, const pattern_match_result *res)
{
	json_t *o = json_object(), *ids = json_array(), *b;
	char *norm = pattern_normalise(p);
	size_t i;

	json_array_foreach(res->bindings, i, b)
		json_array_append(ids, json_object_get(b, "observed_data"));
	json_object_set_new(o, "matched", json_boolean(res->matched));
	json_object_set_new(o, "pattern", json_string(norm));
	json_object_set_new(o, "observed_data", ids);
	json_object_set_new(o, "bindings",
			    res->bindings ? json_incref(res->bindings) : json_array());
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
	free(norm);
}

/* Evaluate p over the observed-data array ods. */
static int match_all(const pattern *p, json_t *ods, json_t *scos,
		     pattern_match_result *res, cc_err *e)
{
	size_t n = json_array_size(ods);
	json_t **v = cc_xcalloc(n + 1, sizeof(*v));
	int rc;

	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(ods, i);
	rc = pattern_match_scos(p, v, n, scos, res, e);
	free(v);
	return rc;
}

static int pattern_match_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pattern", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *src = NULL, *file;
	bool as_json = false;
	cc_buf buf = CC_BUF_INIT;
	cc_err e = { 0 };
	json_error_t jerr;
	json_t *doc = NULL, *ods = json_array(), *scos = json_object();
	pattern *p = NULL;
	pattern_match_result res = { 0 };
	int c, rc = 2;

	cmd_getopt_reset();
	while ((c = cmd_getopt("pattern match", argc, argv, "+p:", opts)) != -1) {
		if (c == 'p') {
			src = optarg;
		} else if (c == 'j') {
			as_json = true;
		} else {
			goto out;       /* reported by cmd_getopt; rc is 2 */
		}
	}
	if (!src || optind != argc - 1) {
		rc = cmd_usage_error("pattern", "match needs --pattern PATTERN and one FILE");
		goto out;
	}
	file = argv[optind];
	p = pattern_parse(src, &e);
	if (!p) {
		cmd_fail(&e);
		goto out;
	}
	if (cc_file_read_all(file, &buf, &e)) {
		cmd_fail(&e);
		goto out;
	}
	doc = json_loadb(buf.data ? buf.data : "", buf.len, 0, &jerr);
	if (!doc) {
		fprintf(stderr, "cybercell: %s:%d: invalid JSON: %s\n",
			cc_file_display(file), jerr.line, jerr.text);
		goto out;
	}
	if (collect(doc, ods, scos, &e) || match_all(p, ods, scos, &res, &e)) {
		cc_err_prefix(&e, "%s", cc_file_display(file));
		cmd_fail(&e);
		goto out;
	}
	if (as_json)
		print_json(p, &res);
	else
		print_text(&res);
	rc = res.matched ? 0 : 1;
out:
	pattern_match_result_free(&res);
	pattern_free(p);
	json_decref(doc);
	json_decref(ods);
	json_decref(scos);
	cc_buf_free(&buf);
	return rc;
}

int cmd_pattern(int argc, char **argv, const cc_cli *cli)
{
	(void)cli;
	if (argc < 2)
		return cmd_usage_error("pattern", "missing subcommand (check or match)");
	if (!strcmp(argv[1], "check"))
		return pattern_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "match"))
		return pattern_match_cmd(argc - 1, argv + 1);
	return cmd_usage_error("pattern", "unknown subcommand '%s'", argv[1]);
}
