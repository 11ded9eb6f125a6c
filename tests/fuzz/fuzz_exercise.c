/*
 * fuzz_exercise.c — the exercise's outside input: the command language
 * typed at the terminal and the JSON reply lines of the protocol, played
 * against a small model (tests/data/wgsim/chain.yaml with the core rules
 * and tests/data/wgsim/sim.rules; run from the repository root).  Each
 * input line is one blue turn.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/sim.h"

static wg_model *model;
static wg_rules *rules;
static wg_adversary *adv;
static wg_graph *graph;

static void setup(void)
{
	cc_err e;

	model = wg_model_load("tests/data/wgsim/chain.yaml", &e);
	rules = wg_rules_new();
	if (!model || wg_rules_load_file(rules, "data/rules/00-core.rules", &e) ||
	    wg_rules_load_file(rules, "tests/data/wgsim/sim.rules", &e))
		abort();
	adv = wg_adversary_new("fuzz");
	wg_adversary_add(adv, "T1190", &e);
	wg_adversary_add(adv, "T1210", &e);
	wg_adversary_add(adv, "T1048", &e);
	if (!(graph = wg_graph_build(model, rules, adv, &e)))
		abort();
}

static void turn(wg_exercise *x, const char *line, size_t len)
{
	wg_ex_cmd c, *v;
	size_t n;
	cc_err e;
	cc_buf said = CC_BUF_INIT;

	if (len && line[0] == '{') {
		if (wg_ex_parse_reply(line, len, &v, &n, &e) == CC_OK) {
			for (size_t i = 0; i < n && v[i].kind != WG_EX_PASS; i++)
				wg_ex_act(x, &v[i], &said, &e);
			free(v);
		}
	} else if (wg_ex_parse(line, &c, &e) == CC_OK) {
		wg_ex_act(x, &c, &said, &e);
	}
	cc_buf_free(&said);
	wg_ex_end_turn(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wg_ex_opts o = { .seed = size ? data[0] : 0, .turns = 50, .budget = 5,
			 .fp_rate = 0.5 };
	char *text = malloc(size + 1), *p, *nl, *m;
	wg_exercise *x;
	cc_buf b = CC_BUF_INIT;

	if (!graph)
		setup();
	memcpy(text, data, size);
	text[size] = 0;
	x = wg_ex_new(graph, &o, NULL);
	for (p = text; !wg_ex_over(x); p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(text + size - p));
		if (nl)
			*nl = 0;
		turn(x, p, nl ? (size_t)(nl - p) : (size_t)(text + size - p));
		if (!nl)
			break;
	}
	m = wg_ex_message(x);
	free(m);
	wg_ex_describe(x, &b);
	cc_buf_free(&b);
	wg_ex_free(x);
	free(text);
	return 0;
}
