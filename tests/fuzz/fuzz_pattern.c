/*
 * fuzz_pattern.c — libFuzzer target for the STIX pattern parser: any
 * input either fails to parse cleanly or parses, normalises, and its
 * normalised text re-parses to the same AST (and normalises identically).
 * Parsed patterns are also linted (stix_pattern_lint) and evaluated
 * against a small fixed observation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern.h"
#include "stix/stix.h"

static const char obs_json[] =
	"{\"type\":\"observed-data\",\"id\":\"observed-data--1\",\"number_observed\":2,"
	"\"first_observed\":\"2020-01-01T00:00:00Z\",\"last_observed\":\"2020-01-01T00:00:05Z\","
	"\"objects\":{\"0\":{\"type\":\"file\",\"name\":\"a.exe\",\"size\":10,"
	"\"hashes\":{\"MD5\":\"00\"},\"parent_directory_ref\":\"1\",\"x_hex\":\"ff\","
	"\"list\":[1,\"x\",{\"k\":true}]},"
	"\"1\":{\"type\":\"directory\",\"path\":\"C:\\\\\"},"
	"\"2\":{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.1\",\"resolves_to_refs\":[\"2\",\"9\"]}}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1);
	pattern *p, *q;
	char *n1, *n2;
	json_t *a, *b, *od;
	pattern_match_result res;
	cc_err e;

	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	p = pattern_parse(src, &e);
	free(src);
	if (!p)
		return 0;
	stix_pattern_lint(p, NULL, NULL);
	n1 = pattern_normalise(p);
	q = pattern_parse(n1, &e);
	if (!q)
		abort();        /* the normalised form must parse */
	n2 = pattern_normalise(q);
	if (strcmp(n1, n2))
		abort();        /* normalising is idempotent */
	a = pattern_ast_json(p);
	b = pattern_ast_json(q);
	if (!json_equal(a, b))
		abort();        /* ...and keeps the AST */
	od = json_loads(obs_json, 0, NULL);
	if (od && !pattern_match(p, &od, 1, &res, &e))
		pattern_match_result_free(&res);
	json_decref(od);
	json_decref(a);
	json_decref(b);
	free(n1);
	free(n2);
	pattern_free(p);
	pattern_free(q);
	return 0;
}
