/*
 * Unit tests of the rule language's coverage features (src/wargame/rules.c,
 * coverage.c): `platforms` and `sources` lines, `outside` / `unmodelled` /
 * `datasource` declarations, the status of a technique, an adversary's
 * coverage, and platform-aware rule instances in the attack graph.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/wargame.h"

static wg_rules *parse(const char *text)
{
	wg_rules *r = wg_rules_new();
	cc_err e;

	if (wg_rules_parse(r, text, strlen(text), "t.rules", &e))
		fail_msg("%s", e.msg);
	return r;
}

static void parse_err(const char *text, const char *want)
{
	wg_rules *r = wg_rules_new();
	cc_err e;

	if (wg_rules_parse(r, text, strlen(text), "t.rules", &e) == 0)
		fail_msg("parsed, wanted error %s", want);
	if (!strstr(e.msg, want))
		fail_msg("got '%s', wanted '%s'", e.msg, want);
	wg_rules_free(r);
}

static const char rules_text[] =
	"datasource DC0032 \"Process Creation\"\n"
	"outside T1595 \"Active Scanning\" reconnaissance \"the attacker's own network\"\n"
	"unmodelled T1200 \"Hardware Additions\" initial-access \"no physical access\"\n"
	"builtin \"everyone\"\n  user(H) :- host(H).\nend\n"
	"builtin \"start\"\n  inzone(Z) :- user(H), zone(H, Z).\nend\n"
	"builtin \"goal\"\n  compromised(J) :- jewel(J, H, c), exec(H).\nend\n"
	"technique T1059.001 \"PowerShell\" execution\n"
	"  exec(H) :- user(H).\n  prob 0.9\n  platforms windows\n"
	"  sources DET0455 DC0032\n  detect H noise 0.5\nend\n"
	"technique T1059.004 \"Unix Shell\" execution\n"
	"  exec(H) :- user(H).\n  prob 0.9\n  platforms linux macos esxi\n"
	"  detect H\nend\n"
	"technique T1003 \"OS Credential Dumping\" credential-access\n"
	"  found(H) :- exec(H).\n  prob 0.9\nend\n";

static void test_declarations(void **state)
{
	wg_rules *r = parse(rules_text);
	const wg_tech_decl *d;

	(void)state;
	assert_int_equal(r->nrules, 6);
	assert_int_equal(r->rules[3].platforms, WG_PLAT_WINDOWS);
	assert_string_equal(r->rules[3].sources, "DET0455 DC0032");
	assert_int_equal(r->rules[4].platforms, WG_PLAT_LINUX | WG_PLAT_MACOS | WG_PLAT_ESXI);
	assert_null(r->rules[4].sources);
	assert_int_equal(r->rules[5].platforms, 0);
	assert_string_equal(wg_rules_datasource(r, "DC0032"), "Process Creation");
	assert_null(wg_rules_datasource(r, "DC0099"));
	assert_int_equal(r->ndecls, 2);
	/* status: exact, a parent used enables the subs, a sub enables the parent */
	assert_int_equal(wg_rules_status(r, "T1059.001", NULL), WG_TECH_MODELLED);
	assert_int_equal(wg_rules_status(r, "T1059", NULL), WG_TECH_MODELLED);
	assert_int_equal(wg_rules_status(r, "T1003.001", NULL), WG_TECH_MODELLED);
	assert_int_equal(wg_rules_status(r, "T1059.005", &d), WG_TECH_UNMODELLED);
	assert_null(d);
	assert_int_equal(wg_rules_status(r, "T1595.002", &d), WG_TECH_OUTSIDE);
	assert_string_equal(d->technique, "T1595");
	assert_int_equal(wg_rules_status(r, "T1200", &d), WG_TECH_UNMODELLED);
	assert_string_equal(d->why, "no physical access");
	assert_int_equal(d->line, 3);
	wg_rules_free(r);
}

static void test_coverage(void **state)
{
	wg_rules *r = parse(rules_text);
	wg_adversary *a = wg_adversary_new("x");
	wg_coverage c;
	cc_err e;
	const char *techs[] = { "T1059.001", "T1003.008", "T1595.001", "T1200", "T1486" };

	(void)state;
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(wg_adversary_add(a, techs[i], &e), 0);
	wg_coverage_of(a, r, &c);
	assert_int_equal(c.total, 5);
	assert_int_equal(c.modelled, 2);
	assert_int_equal(c.outside, 1);
	assert_int_equal(c.nunmodelled, 2);
	assert_string_equal(c.unmodelled[0], "T1200");
	assert_string_equal(c.unmodelled[1], "T1486");
	wg_coverage_clear(&c);
	wg_adversary_free(a);
	wg_rules_free(r);
}

static void test_errors(void **state)
{
	(void)state;
	parse_err("technique T1000 \"x\" impact\n  user(H) :- root(H).\n  prob 1\n"
		  "  platforms windows amiga\nend\n",
		  "t.rules:4: platforms: unknown platform 'amiga'");
	parse_err("technique T1000 \"x\" impact\n  user(H) :- root(H).\n  prob 1\n"
		  "  platforms\n  detect H\nend\n",
		  "t.rules:5: platforms: expected platform names on the same line");
	parse_err("technique T1000 \"x\" impact\n  user(H) :- root(H).\n  prob 1\n"
		  "  sources DS0017\nend\n",
		  "t.rules:4: sources: expected DETnnnn or DCnnnn, got 'DS0017'");
	parse_err("outside T1595 \"Active Scanning\" reconnaissance\n",
		  "t.rules:1: T1595: expected the reason, quoted");
	parse_err("unmodelled X1 \"x\" impact \"why\"\n",
		  "t.rules:1: expected an ATT&CK id");
	parse_err("datasource DS1 \"x\"\n", "t.rules:1: datasource: expected a DCnnnn id");
}

/* A rule applies only to hosts whose OS is one of its platforms; a host
 * with no os is not excluded; an os no platform names excludes it. */
static void test_platforms_in_graph(void **state)
{
	const char *yaml = "zones: [{name: z}]\nhosts:\n"
			   "  - {name: win, zone: z, os: windows}\n"
			   "  - {name: lin, zone: z, os: linux}\n"
			   "  - {name: mac, zone: z, os: macOS}\n"
			   "  - {name: what, zone: z}\n"
			   "  - {name: amiga, zone: z, os: amigaos}\n";
	static const char *const names[] = { "win", "lin", "mac", "what", "amiga" };
	const int ps1[] = { 1, 0, 0, 1, 0 }, unix[] = { 0, 1, 1, 1, 0 };
	wg_rules *r = parse(rules_text);
	wg_adversary *a = wg_adversary_new("x");
	cc_err e;
	wg_model *m = wg_model_load_mem(yaml, strlen(yaml), "m.yaml", &e);
	wg_graph *g;

	(void)state;
	assert_non_null(m);
	assert_int_equal(wg_adversary_add(a, "T1059", &e), 0);
	g = wg_graph_build(m, r, a, &e);
	if (!g)
		fail_msg("%s", e.msg);
	for (size_t h = 0; h < 5; h++) {
		const char *arg = names[h];
		int f = wg_graph_find(g, "exec", &arg, 1);
		int n_ps = 0, n_sh = 0;

		assert_true((f != WG_NONE) == (ps1[h] || unix[h]));
		for (uint32_t k = f == WG_NONE ? 0 : g->by_head_off[f];
		     f != WG_NONE && k < g->by_head_off[f + 1]; k++) {
			const wg_rule *ru = wg_graph_inst_rule(g, g->by_head[k]);

			n_ps += !strcmp(ru->technique, "T1059.001");
			n_sh += !strcmp(ru->technique, "T1059.004");
		}
		assert_int_equal(n_ps, ps1[h]);
		assert_int_equal(n_sh, unix[h]);
	}
	wg_graph_free(g);
	wg_model_free(m);
	wg_adversary_free(a);
	wg_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declarations),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_platforms_in_graph),
	};

	return cmocka_run_group_tests_name("wgrules", tests, NULL, NULL);
}
