/*
 * Property tests of the war game on the demo bank (data/demo/bank.yaml)
 * with the project's rules (data/rules) and demo adversary:
 *   - adding a control (EDR, MFA, a patch, a strong password) never raises
 *     the chance of losing a jewel beyond noise, with common random
 *     numbers (paired campaigns, same seed);
 *   - removing a flow never adds reachability (no new attacker fact);
 *   - adding techniques to an adversary never lowers reachability;
 * and the exercise's false alerts name only techniques that could act on
 * the host they are raised on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wargame/sim.h"

#define BANK "data/demo/bank.yaml"
#define RULES "data/rules"
#define ADV "data/demo/adversary.yaml"

static wg_model *bank(void)
{
	cc_err e;
	wg_model *m = wg_model_load(BANK, &e);

	if (!m)
		fail_msg("%s", e.msg);
	return m;
}

static wg_rules *rules(void)
{
	cc_err e;
	wg_rules *r = wg_rules_load_dir(RULES, &e);

	if (!r)
		fail_msg("%s", e.msg);
	return r;
}

/* The demo bank, the rules, the demo adversary and their graph. */
typedef struct world {
	wg_model *m;
	wg_rules *r;
	wg_adversary *a;
	wg_graph *g;
} world;

static wg_graph *build(const wg_model *m, const wg_rules *r, const wg_adversary *a);

static void world_open(world *w)
{
	cc_err e;

	w->m = bank();
	w->r = rules();
	w->a = wg_adversary_load_file(ADV, &e);
	if (!w->a)
		fail_msg("%s", e.msg);
	w->g = build(w->m, w->r, w->a);
}

static void world_close(world *w)
{
	wg_graph_free(w->g);
	wg_adversary_free(w->a);
	wg_rules_free(w->r);
	wg_model_free(w->m);
}

static wg_graph *build(const wg_model *m, const wg_rules *r, const wg_adversary *a)
{
	cc_err e;
	wg_graph *g = wg_graph_build(m, r, a, &e);

	if (!g)
		fail_msg("%s", e.msg);
	return g;
}

static wg_sim_result *simulate(const wg_graph *g, size_t runs)
{
	wg_sim_opts o = { .runs = runs, .seed = 20240601, .threads = 1,
			  .horizon_hours = 24 * 60, .epsilon = -1 };
	wg_sim_result *r = NULL;
	cc_err e;

	if (wg_sim_run(g, &o, &r, &e))
		fail_msg("%s", e.msg);
	return r;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every attacker fact of g as "pred(args)", sorted (caller frees). */
static char **facts_of(const wg_graph *g, size_t *n)
{
	char **v = calloc(g->nfacts + 1, sizeof(char *));

	*n = 0;
	for (size_t f = 0; f < g->nfacts; f++) {
		cc_buf b = CC_BUF_INIT;

		if (g->facts[f].base)
			continue;
		wg_graph_fact_str(g, (int)f, &b);
		v[(*n)++] = cc_buf_take(&b, NULL);
	}
	qsort(v, *n, sizeof(char *), str_cmp);
	return v;
}

static void free_facts(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Is every fact of small in big?  Names the first one that is not. */
static void assert_subset(char **small, size_t ns, char **big, size_t nb, const char *what)
{
	for (size_t i = 0; i < ns; i++)
		if (!bsearch(&small[i], big, nb, sizeof(char *),
			     str_cmp))
			fail_msg("%s: %s appears", what, small[i]);
}

/* ---- adding a control never raises the risk beyond noise ---- */

/* The paired difference with - without of P(any jewel) must not be
 * above 0 beyond 3.3 standard errors (a one-sided 99.95 % bound: the
 * test checks many controls). */
static void assert_not_worse(const wg_sim_result *without, const wg_sim_result *with,
			     const char *what)
{
	wg_sim_diff d;
	cc_err e;
	double se;

	assert_int_equal(wg_sim_paired(with, without, WG_PAIR_ANY_JEWEL, &d, &e), 0);
	se = (d.hi - d.lo) / (2 * 1.959964);
	if (d.d - 3.3 * se > 0)
		fail_msg("%s raises P(any jewel) by %.3f (se %.3f)", what, d.d, se);
}

typedef void (*control_fn)(wg_model *m, size_t i);

static void add_edr(wg_model *m, size_t h)
{
	m->hosts[h].edr = true;
	m->hosts[h].edr_detect = m->controls.default_edr_detect;
	m->hosts[h].edr_prevent = m->controls.default_edr_prevent;
}

static void add_mfa(wg_model *m, size_t a) { m->accounts[a].mfa = true; }
static void strong_pw(wg_model *m, size_t a) { m->accounts[a].weak_password = false; }

/* A patched CVE: no exploit of it works any more. */
static void patch_host(wg_model *m, size_t h)
{
	for (size_t s = 0; s < m->hosts[h].nservices; s++)
		for (size_t c = 0; c < m->hosts[h].services[s].ncves; c++)
			m->hosts[h].services[s].cves[c].exploitability = 0;
}

static void try_control(const wg_rules *r, const wg_adversary *a,
			const wg_sim_result *base, control_fn fn, size_t i, const char *what)
{
	wg_model *m = bank();
	wg_graph *g;
	wg_sim_result *res;

	fn(m, i);
	g = build(m, r, a);
	res = simulate(g, base->runs);
	assert_not_worse(base, res, what);
	wg_sim_result_free(res);
	wg_graph_free(g);
	wg_model_free(m);
}

static void test_controls_never_worse(void **st)
{
	world w;
	wg_model *m;
	wg_sim_result *base;
	size_t tried = 0;
	char what[128];

	(void)st;
	world_open(&w);
	m = w.m;
	base = simulate(w.g, 300);
	assert_true(base->p_any > 0.1);     /* there is something to lower */
	for (size_t h = 0; h < m->nhosts; h += 2) {
		if (m->hosts[h].edr)
			continue;
		snprintf(what, sizeof(what), "EDR on %s", m->hosts[h].name);
		try_control(w.r, w.a, base, add_edr, h, what);
		snprintf(what, sizeof(what), "patching %s", m->hosts[h].name);
		try_control(w.r, w.a, base, patch_host, h, what);
		tried += 2;
	}
	for (size_t k = 0; k < m->naccounts; k++) {
		snprintf(what, sizeof(what), "MFA on %s", m->accounts[k].name);
		if (!m->accounts[k].mfa && k % 2 == 0) {
			try_control(w.r, w.a, base, add_mfa, k, what);
			tried++;
		}
		snprintf(what, sizeof(what), "a strong password on %s", m->accounts[k].name);
		if (m->accounts[k].weak_password) {
			try_control(w.r, w.a, base, strong_pw, k, what);
			tried++;
		}
	}
	assert_true(tried >= 12);
	wg_sim_result_free(base);
	world_close(&w);
}

/* ---- removing a flow never adds reachability ---- */

/* The model without flow i (its strings freed). */
static void drop_flow(wg_model *m, size_t i)
{
	wg_flow f = m->flows[i];

	memmove(&m->flows[i], &m->flows[i + 1], (m->nflows - i - 1) * sizeof(*m->flows));
	m->nflows--;
	free(f.name);
	free(f.ports);
}

static void test_flow_removal_monotone(void **st)
{
	world w;
	size_t nall, nflows, fewer = 0;
	char **all;

	(void)st;
	world_open(&w);
	nflows = w.m->nflows;
	all = facts_of(w.g, &nall);
	for (size_t i = 0; i < nflows; i++) {
		wg_model *m2 = bank();
		wg_graph *g2;
		char **some, what[128];
		size_t n;

		snprintf(what, sizeof(what), "without flow %s", m2->flows[i].name);
		drop_flow(m2, i);
		g2 = build(m2, w.r, w.a);
		some = facts_of(g2, &n);
		assert_subset(some, n, all, nall, what);
		fewer += n < nall;
		free_facts(some, n);
		wg_graph_free(g2);
		wg_model_free(m2);
	}
	assert_true(fewer > nflows / 2);    /* most flows matter to the attacker */
	free_facts(all, nall);
	world_close(&w);
}

/* ---- adding techniques never lowers reachability ---- */

static void test_more_techniques_monotone(void **st)
{
	wg_model *m = bank();
	wg_rules *r = rules();
	char **ids = calloc(r->nrules + 1, sizeof(char *));
	size_t nids = 0;
	uint64_t x = 88172645463325252ull;      /* xorshift: a fixed sample */

	(void)st;
	for (size_t i = 0; i < r->nrules; i++)
		if (r->rules[i].technique && (!nids || strcmp(ids[nids - 1], r->rules[i].technique)))
			ids[nids++] = r->rules[i].technique;
	for (int round = 0; round < 12; round++) {
		wg_adversary *small = wg_adversary_new("small"), *big = wg_adversary_new("big");
		wg_graph *gs, *gb;
		char **fs, **fb;
		size_t ns, nb;
		cc_err e;

		for (size_t i = 0; i < nids; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (x % 100 < 12)
				assert_int_equal(wg_adversary_add(small, ids[i], &e), 0);
			if (x % 100 < 30)
				assert_int_equal(wg_adversary_add(big, ids[i], &e), 0);
		}
		gs = build(m, r, small);
		gb = build(m, r, big);
		fs = facts_of(gs, &ns);
		fb = facts_of(gb, &nb);
		assert_subset(fs, ns, fb, nb, "with more techniques, a fact was lost");
		for (size_t j = 0; j < gs->ngoals; j++)
			assert_true(gs->goals[j].fact == WG_NONE || gb->goals[j].fact != WG_NONE);
		free_facts(fs, ns);
		free_facts(fb, nb);
		wg_graph_free(gs);
		wg_graph_free(gb);
		wg_adversary_free(small);
		wg_adversary_free(big);
	}
	free(ids);
	wg_rules_free(r);
	wg_model_free(m);
}

/* ---- false alerts fit the host ---- */

/* Does some rule for technique apply to a host of this OS? */
static bool fits_os(const wg_rules *r, const char *technique, const char *os)
{
	unsigned plat = wg_os_platforms(os);

	for (size_t i = 0; i < r->nrules; i++) {
		const wg_rule *ru = &r->rules[i];

		if (ru->technique && !strcmp(ru->technique, technique) &&
		    (!ru->platforms || (ru->platforms & plat)))
			return true;
	}
	return false;
}

static void test_false_alerts_fit_platform(void **st)
{
	world w;
	wg_ex_opts o = { .seed = 9, .turns = 30, .budget = 4, .fp_rate = 1 };
	wg_exercise *x;
	wg_model *m;
	size_t checked = 0, linux_hosts = 0;
	cc_err e;

	(void)st;
	world_open(&w);
	m = w.m;
	x = wg_ex_new(w.g, &o, &e);
	assert_non_null(x);
	while (!wg_ex_over(x)) {
		char *msg = wg_ex_message(x);
		json_t *t = json_loads(msg, 0, NULL), *al;
		size_t i;

		json_array_foreach(json_object_get(t, "alerts"), i, al) {
			const char *hn = json_string_value(json_object_get(al, "host"));
			const char *tech = json_string_value(json_object_get(al, "technique"));
			int h = wg_model_host(m, hn);

			assert_true(h != WG_NONE);
			if (!fits_os(w.r, tech, m->hosts[h].os))
				fail_msg("alert %s on %s (%s)", tech, hn, m->hosts[h].os);
			/* no DCSync or NTDS on a host that is not a domain controller */
			if (m->hosts[h].role && strcmp(m->hosts[h].role, "dc"))
				assert_true(strcmp(tech, "T1003.003") != 0);
			linux_hosts += m->hosts[h].os && !strcmp(m->hosts[h].os, "linux");
			checked++;
		}
		json_decref(t);
		free(msg);
		wg_ex_end_turn(x);
	}
	assert_true(checked > 100);
	assert_true(linux_hosts > 10);
	wg_ex_free(x);
	world_close(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls_never_worse),
		cmocka_unit_test(test_flow_removal_monotone),
		cmocka_unit_test(test_more_techniques_monotone),
		cmocka_unit_test(test_false_alerts_fit_platform),
	};
	const char *root = getenv("CC_ROOT");

	if (root && chdir(root) != 0)
		return 1;
	return cmocka_run_group_tests_name("wgbank", tests, NULL, NULL);
}
