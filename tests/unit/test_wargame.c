/* Unit tests of src/wargame: model loading and its errors, rule loading and
 * its errors (with the coverage features: platforms, sources,
 * declarations), the attack graph and its metrics on hand-checked models
 * (tests/data/wargame), and hardening. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wargame/wargame.h"

#define TD "tests/data/wargame/"

typedef struct world {
	wg_model *m;
	wg_rules *r;
	wg_adversary *a;
	wg_graph *g;
	wg_metrics *mt;
} world;

static void world_load_adv(world *w, const char *model, const char *rules,
			   const char *adv)
{
	cc_err e;

	memset(w, 0, sizeof(*w));
	w->m = wg_model_load(model, &e);
	if (!w->m)
		fail_msg("%s", e.msg);
	w->r = wg_rules_load_dir(rules, &e);
	if (!w->r)
		fail_msg("%s", e.msg);
	w->a = wg_adversary_load_file(adv, &e);
	if (!w->a)
		fail_msg("%s", e.msg);
	w->g = wg_graph_build(w->m, w->r, w->a, &e);
	if (!w->g)
		fail_msg("%s", e.msg);
	w->mt = wg_metrics_compute(w->g, &e);
	assert_non_null(w->mt);
}

static void world_load(world *w, const char *model, const char *rules)
{
	world_load_adv(w, model, rules, TD "adversary.yaml");
}

static void world_free(world *w)
{
	wg_metrics_free(w->mt);
	wg_graph_free(w->g);
	wg_adversary_free(w->a);
	wg_rules_free(w->r);
	wg_model_free(w->m);
}

/* Every derived fact has an instance deriving it whose body facts were
 * all derived (provenance), and every path is explainable. */
static void check_provenance(const wg_graph *g)
{
	for (size_t f = 0; f < g->nfacts; f++) {
		if (g->facts[f].base)
			continue;
		assert_true(g->by_head_off[f + 1] > g->by_head_off[f]);
	}
	for (size_t i = 0; i < g->ninsts; i++) {
		assert_true(g->insts[i].head >= 0 && (size_t)g->insts[i].head < g->nfacts);
		assert_true(g->insts[i].p >= 0 && g->insts[i].p <= 1);
	}
}

static void test_chain(void **state)
{
	world w;
	const wg_jewel_metrics *db, *vault;
	cc_buf b = CC_BUF_INIT;

	(void)state;
	world_load(&w, TD "chain.yaml", TD "rules");
	check_provenance(w.g);
	assert_int_equal(w.mt->njewels, 2);
	db = &w.mt->jewels[0];
	vault = &w.mt->jewels[1];
	assert_true(db->reachable);
	/* 0.5 * 0.4 * 0.9 * 0.8 * 1.0 * 0.5 */
	assert_true(fabs(db->likely.p - 0.072) < 1e-9);
	assert_int_equal(db->likely.steps, 6);
	assert_int_equal(db->shortest.steps, 6);
	assert_true(fabs(db->fastest.hours - 12.0) < 1e-9);
	assert_true(db->npaths == 1);
	assert_false(vault->reachable);
	assert_true(fabs(w.mt->risk - 7.2) < 1e-9);
	/* web and app are on every path */
	assert_int_equal(db->nchoke_hosts, 2);
	wg_path_explain(w.g, &db->likely, &b);
	assert_non_null(strstr(cc_buf_str(&b), "The attacker uses Exploit Public-Facing "
			       "Application (T1190, p=0.50"));
	assert_non_null(strstr(cc_buf_str(&b), "obtain the credentials of dbadmin"));
	cc_buf_free(&b);
	world_free(&w);
}

/* Applying changes must make every jewel underivable. */
static bool cuts_all(const wg_graph *g, const wg_change *c, size_t n)
{
	uint8_t *rem = calloc(g->nfacts, 1), *out = calloc(g->nfacts, 1);
	bool ok = true;

	for (size_t k = 0; k < n; k++)
		wg_change_apply(g, &c[k], rem, NULL);
	wg_graph_derivable(g, rem, NULL, out);
	for (size_t j = 0; j < g->ngoals; j++)
		if (g->goals[j].fact != WG_NONE && out[g->goals[j].fact])
			ok = false;
	free(rem);
	free(out);
	return ok;
}

static void test_diamond(void **state)
{
	world w;
	wg_hardening *h;
	cc_err e;

	(void)state;
	world_load(&w, TD "diamond.yaml", TD "rules");
	check_provenance(w.g);
	assert_true(w.mt->jewels[0].reachable);
	assert_true(w.mt->jewels[0].npaths == 2);
	h = wg_harden(w.g, NULL, &e);
	assert_non_null(h);
	assert_true(h->cut_found);
	assert_true(h->cut_exact);
	assert_int_equal(h->ncut, 2);
	assert_true(fabs(h->cut_cost - 2.0) < 1e-9);
	for (size_t k = 0; k < h->ncut; k++)
		assert_int_equal(h->cut[k].kind, WG_CH_PATCH);
	assert_true(cuts_all(w.g, h->cut, h->ncut));
	assert_false(cuts_all(w.g, h->cut, 1));
	assert_true(h->risk_after == 0);
	/* patching the database is the only single change that lowers risk */
	assert_int_equal(h->nranked, 1);
	assert_non_null(strstr(h->ranked[0].label, "CVE-2001-0003"));
	wg_hardening_free(h);
	world_free(&w);
}

static void test_cycle(void **state)
{
	world w;
	wg_hardening *h;
	cc_err e;

	(void)state;
	world_load(&w, TD "cycle.yaml", TD "rules");
	check_provenance(w.g);
	assert_true(w.mt->jewels[0].reachable);
	/* 0.4 (exploit a) * 0.9 (dump adm-b) * 0.8 (SMB to b) * 1 * 0.5 */
	assert_true(fabs(w.mt->jewels[0].likely.p - 0.144) < 1e-9);
	assert_int_equal(w.mt->jewels[0].likely.steps, 5);
	assert_true(isfinite(w.mt->jewels[0].npaths));
	assert_int_equal(w.mt->jewels[0].nchoke_hosts, 1);
	h = wg_harden(w.g, NULL, &e);
	assert_true(h->cut_found);
	assert_true(cuts_all(w.g, h->cut, h->ncut));
	assert_int_equal(h->ncut, 1);       /* uncaching adm-b on a, cost 1 */
	assert_int_equal(h->cut[0].kind, WG_CH_UNCACHE);
	wg_hardening_free(h);
	world_free(&w);
}

/* More candidates than the plain exact search takes: implicit hitting sets
 * must still find the cheapest cut. */
static void test_wide(void **state)
{
	world w;
	wg_hardening *h;
	cc_err e;

	(void)state;
	world_load(&w, TD "wide.yaml", TD "rules");
	assert_true(w.mt->jewels[0].reachable);
	assert_true(w.mt->jewels[0].npaths == 30);
	h = wg_harden(w.g, NULL, &e);
	assert_true(h->cut_found);
	assert_true(h->cut_exact);
	assert_int_equal(h->ncut, 1);
	assert_int_equal(h->cut[0].kind, WG_CH_BLOCK_FLOW);
	assert_true(fabs(h->cut_cost - 3.0) < 1e-9);
	assert_true(cuts_all(w.g, h->cut, h->ncut));
	wg_hardening_free(h);
	world_free(&w);
}

/* The demo bank with the project's rules: invariants only. */
static void test_bank(void **state)
{
	world w;
	wg_hardening *h;
	cc_err e;
	cc_buf b = CC_BUF_INIT;

	(void)state;
	world_load_adv(&w, "data/demo/bank.yaml", "data/rules", "data/demo/adversary.yaml");
	check_provenance(w.g);
	assert_true(w.r->nrules >= 40);
	for (size_t j = 0; j < w.mt->njewels; j++) {
		const wg_jewel_metrics *jm = &w.mt->jewels[j];

		if (!jm->reachable)
			continue;
		cc_buf_reset(&b);
		wg_path_explain(w.g, &jm->likely, &b);
		assert_true(b.len > 0);
		assert_true(jm->likely.steps > 0);
		assert_true(jm->shortest.steps <= jm->likely.steps);
	}
	for (size_t j = 0; j < w.mt->njewels; j++)
		assert_true(w.mt->jewels[j].reachable);
	h = wg_harden(w.g, NULL, &e);
	assert_true(h->cut_found);
	assert_true(cuts_all(w.g, h->cut, h->ncut));
	assert_true(h->nranked > 0);
	for (size_t k = 1; k < h->nranked; k++)
		assert_true(h->ranked[k - 1].risk_removed / h->ranked[k - 1].cost >=
			    h->ranked[k].risk_removed / h->ranked[k].cost - 1e-12);
	wg_hardening_free(h);
	cc_buf_free(&b);
	world_free(&w);
}

/* Only techniques the adversary uses fire; parents enable sub-techniques. */
static void test_adversary(void **state)
{
	wg_adversary *a = wg_adversary_new("x");
	cc_err e;

	(void)state;
	assert_int_equal(wg_adversary_add(a, "T1021", &e), 0);
	assert_int_equal(wg_adversary_add(a, "T1003.001", &e), 0);
	assert_int_not_equal(wg_adversary_add(a, "X1", &e), 0);
	assert_true(wg_adversary_uses(a, "T1021.001"));
	assert_true(wg_adversary_uses(a, "T1021"));
	assert_true(wg_adversary_uses(a, "T1003"));
	assert_true(wg_adversary_uses(a, "T1003.001"));
	assert_false(wg_adversary_uses(a, "T1003.006"));
	assert_false(wg_adversary_uses(a, "T1190"));
	wg_adversary_free(a);
	a = wg_adversary_load_mem("[T1190, nope]", 13, "adv.yaml", &e);
	assert_null(a);
	assert_non_null(strstr(e.msg, "adv.yaml:1:9: techniques[1]"));
}

static void model_err(const char *yaml, const char *want)
{
	cc_err e;
	wg_model *m = wg_model_load_mem(yaml, strlen(yaml), "bank.yaml", &e);

	if (m)
		fail_msg("loaded, wanted error %s", want);
	if (!strstr(e.msg, want))
		fail_msg("got '%s', wanted '%s'", e.msg, want);
}

static void test_model_errors(void **state)
{
	cc_err e;
	wg_model *m;

	(void)state;
	model_err("hosts:\n  - {name: a, zone: z, colour: red}\n",
		  "bank.yaml:2:24: hosts[0]: unknown key 'colour'");
	model_err("zones: [{name: z}]\nhosts:\n  - name: a\n    zone: z\n"
		  "    services:\n      - {port: 99999}\n",
		  "bank.yaml:6:16: hosts[0].services[0].port: expected an integer 1..65535");
	model_err("zones: [{name: z}]\nhosts:\n  - {name: a, zone: nowhere}\n",
		  "bank.yaml:3:21: hosts[0].zone: no zone named 'nowhere'");
	model_err("zones: [{name: z}]\nhosts: [{name: a, zone: z}]\n"
		  "accounts: [{name: u, logon: [a, b]}]\n",
		  "bank.yaml:3:33: accounts[0].logon[1]: no host or zone named 'b'");
	model_err("zones: [{name: z}]\nhosts: [{name: a, zone: z}]\n"
		  "flows: [{from: internet, to: c}]\n",
		  "bank.yaml:3:30: flows[0].to: no zone or host named 'c'");
	model_err("zones: [{name: z}]\nhosts: [{name: a, zone: z}, {name: a, zone: z}]\n",
		  "bank.yaml:2:36: hosts[1].name: duplicate name 'a'");
	model_err("zones: [{name: z}]\nhosts: [{name: a, zone: z, edr: maybe}]\n",
		  "hosts[0].edr: expected true or false");
	model_err("zones: [{name: z}]\nhosts: [{name: a, zone: z}]\n"
		  "people: [{name: p, susceptibility: 2}]\n",
		  "people[0].susceptibility: expected a number 0..1");
	model_err("zones: [{name: z}]\nhosts: [{name: a, zone: z}]\n"
		  "jewels: [{name: j, host: a, impact: {integrity: huge}}]\n",
		  "jewels[0].impact.integrity: expected none, low, medium, high or critical");
	model_err("zones: [{name: z}]\nhosts: [{name: a, zone: z}]\n"
		  "flows: [{from: z, to: a, block_cost: maybe}]\n",
		  "bank.yaml:3:38: flows[0].block_cost: expected a cost (a number >= 0) or 'never'");
	model_err("zones: [{name: z}]\nhosts: [{name: a, zone: z}]\n"
		  "flows: [{from: z, to: a, critical: 2}]\n", "flows[0].critical: expected true or false");
	model_err("hosts: [{name: a, zone: z}\n", "bank.yaml:2:1:");
	model_err("", "empty model");
	{
		const char *ok = "zones: [{name: z}]\nhosts: [{name: a, zone: z}]\n";

		m = wg_model_load_mem(ok, strlen(ok), "ok.yaml", &e);
	}
	assert_non_null(m);
	assert_int_equal(m->nzones, 2);         /* internet is predefined */
	assert_int_equal(wg_model_host(m, "a"), 0);
	wg_model_free(m);
	m = wg_model_load(TD "no-such-file.yaml", &e);
	assert_null(m);
}

static void rules_err(const char *text, const char *want)
{
	wg_rules *r = wg_rules_new();
	cc_err e;

	if (wg_rules_parse(r, text, strlen(text), "t.rules", &e) == 0)
		fail_msg("parsed, wanted error %s", want);
	if (!strstr(e.msg, want))
		fail_msg("got '%s', wanted '%s'", e.msg, want);
	wg_rules_free(r);
}

static void test_rule_errors(void **state)
{
	wg_rules *r = wg_rules_new();
	cc_err e;
	const char *ok = "technique T1000 \"x\" impact\n  disrupted(H) :- root(H).\n"
			 "  prob 0.5\n  time triangular 1 2 3\n  detect H noise 0.5\nend\n";

	(void)state;
	assert_int_equal(wg_rules_parse(r, ok, strlen(ok), "t.rules", &e), 0);
	assert_int_equal(r->nrules, 1);
	assert_string_equal(r->rules[0].technique, "T1000");
	assert_true(fabs(wg_dist_mean(&r->rules[0].time) - 2.0) < 1e-9);
	wg_rules_free(r);
	rules_err("technique T1000 \"x\" impact\n  disrupted(H) :- root(H).\nend\n",
		  "t.rules:3: technique T1000: missing 'prob'");
	rules_err("builtin \"x\"\n  user(H) :- root(X).\nend\n",
		  "t.rules:2: head variable H does not occur in the body");
	rules_err("builtin \"x\"\n  vuln(H, P, C, K) :- root(H), root(P), root(C), root(K).\nend\n",
		  "t.rules:2: vuln comes from the model");
	rules_err("builtin \"x\"\n  user(H) :- zone(H).\nend\n",
		  "t.rules:2: zone takes 2 arguments, not 1");
	rules_err("technique T1 \"x\" impact\n  user(H) :- root(H).\n  prob 2\nend\n",
		  "t.rules:3: expected a number 0..1");
	rules_err("technique T1000 \"x\" impact\n  user(H) :- root(H).\n  prob 1\n"
		  "  time weird 1\nend\n", "t.rules:4: time: expected fixed");
	rules_err("builtin \"x\"\n  user(H) :- root(H)\nend\n",
		  "t.rules:3: expected ',' or '.'");
	rules_err("builtin \"x\"\n  user(H) :- root(H).\n", "missing 'end'");
	rules_err("technique T1000 \"x\" impact\n  user(H) :- root(H).\n  prob 1\n"
		  "  detect Q\nend\n", "t.rules:2: detect: Q is not a variable");
	rules_err("bogus\n", "t.rules:1: expected 'technique' or 'builtin'");
}

/* ---- the rule language's coverage features: `platforms` and `sources`
 * lines, `outside` / `unmodelled` / `datasource` declarations, the status
 * of a technique, an adversary's coverage, platform-aware instances ---- */

static wg_rules *parse(const char *text)
{
	wg_rules *r = wg_rules_new();
	cc_err e;

	if (wg_rules_parse(r, text, strlen(text), "t.rules", &e))
		fail_msg("%s", e.msg);
	return r;
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

static void test_coverage_counts(void **state)
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

static void test_coverage_errors(void **state)
{
	(void)state;
	rules_err("technique T1000 \"x\" impact\n  user(H) :- root(H).\n  prob 1\n"
		  "  platforms windows amiga\nend\n",
		  "t.rules:4: platforms: unknown platform 'amiga'");
	rules_err("technique T1000 \"x\" impact\n  user(H) :- root(H).\n  prob 1\n"
		  "  platforms\n  detect H\nend\n",
		  "t.rules:5: platforms: expected platform names on the same line");
	rules_err("technique T1000 \"x\" impact\n  user(H) :- root(H).\n  prob 1\n"
		  "  sources DS0017\nend\n",
		  "t.rules:4: sources: expected DETnnnn or DCnnnn, got 'DS0017'");
	rules_err("outside T1595 \"Active Scanning\" reconnaissance\n",
		  "t.rules:1: T1595: expected the reason, quoted");
	rules_err("unmodelled X1 \"x\" impact \"why\"\n",
		  "t.rules:1: expected an ATT&CK id");
	rules_err("datasource DS1 \"x\"\n", "t.rules:1: datasource: expected a DCnnnn id");
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

/* Impossible changes (cost `never`), critical flows and MFA on service
 * accounts are never proposed; a strong password is. */
static void test_harden_never(void **state)
{
	static const char yaml[] =
		"name: Chain\ncontrols: {monitoring: false}\n"
		"zones: [{name: dmz}, {name: app-zone}, {name: data}]\n"
		"hosts:\n"
		"  - {name: web, zone: dmz, services: [{port: 443, kind: http, cves: "
		"[{id: CVE-2000-0001, kind: remote, patch_cost: 3}]}]}\n"
		"  - {name: app, zone: app-zone, services: [{port: 8443, kind: http, cves: "
		"[{id: CVE-2000-0002, kind: remote, patch_cost: never}]}]}\n"
		"  - {name: db, zone: data, services: [{port: 445, kind: smb}]}\n"
		"accounts:\n"
		"  - {name: dbadmin, kind: service, logon: [db], cached: [app], uncache_cost: never}\n"
		"flows:\n"
		"  - {from: internet, to: web, ports: [443], critical: true}\n"
		"  - {from: web, to: app, ports: [8443], block_cost: 10}\n"
		"  - {from: app, to: db, ports: 445, block_cost: never}\n"
		"jewels: [{name: customer-db, host: db, impact: {confidentiality: high}, value: 100}]\n";
	static const char *const want[] = { "patch CVE-2000-0001 on web (http)",
					    "block flow web->app" };
	cc_err e;
	wg_model *m = wg_model_load_mem(yaml, strlen(yaml), "never.yaml", &e);
	wg_rules *r = wg_rules_load_dir(TD "rules", &e);
	wg_adversary *a = wg_adversary_load_file(TD "adversary.yaml", &e);
	wg_graph *g;
	wg_hardening *h;

	(void)state;
	assert_non_null(m);
	assert_true(isinf(m->flows[2].block_cost));
	assert_true(m->flows[0].critical);
	g = wg_graph_build(m, r, a, &e);
	assert_non_null(g);
	h = wg_harden(g, NULL, &e);
	assert_int_equal(h->nranked, 2);
	for (size_t i = 0; i < 2; i++)
		assert_string_equal(h->ranked[i].label, want[i]);
	assert_true(h->cut_found && h->cut_exact);
	assert_int_equal(h->ncut, 1);
	assert_string_equal(h->cut[0].label, "patch CVE-2000-0001 on web (http)");
	assert_int_equal(h->cut[0].mitigations, 1u);      /* M1051, built-in */
	wg_hardening_free(h);
	wg_graph_free(g);
	wg_adversary_free(a);
	wg_rules_free(r);
	wg_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_errors),
		cmocka_unit_test(test_rule_errors),
		cmocka_unit_test(test_adversary),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_bank),
		cmocka_unit_test(test_harden_never),
		cmocka_unit_test(test_declarations),
		cmocka_unit_test(test_coverage_counts),
		cmocka_unit_test(test_coverage_errors),
		cmocka_unit_test(test_platforms_in_graph),
	};
	const char *root = getenv("CC_ROOT");

	if (root && chdir(root) != 0)
		return 1;
	return cmocka_run_group_tests_name("wargame", tests, NULL, NULL);
}
