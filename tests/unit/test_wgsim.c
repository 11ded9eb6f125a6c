/*
 * Unit tests of the war-game simulation, intel model, reports and
 * exercise (src/wargame/sim*.c, report*.c, exercise*.c) on the small
 * hand-checked models in tests/data/wgsim/.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "wargame/sim.h"

typedef struct world {
	wg_model *m;
	wg_rules *r;
	wg_adversary *a;
	wg_graph *g;
} world;

static void data_path(char *out, size_t n, const char *name)
{
	const char *root = getenv("CC_ROOT");

	snprintf(out, n, "%s/tests/data/wgsim/%s", root ? root : ".", name);
}

/* Load model with tests/data/wgsim/sim.rules and an adversary using the
 * techniques of the space-separated list techs. */
static void world_load_with(world *w, const char *model, const char *techs)
{
	char p[1024], t[64];
	cc_err e = { 0 };
	int used;

	memset(w, 0, sizeof(*w));
	data_path(p, sizeof(p), model);
	w->m = wg_model_load(p, &e);
	if (!w->m)
		fail_msg("%s", e.msg);
	w->r = wg_rules_new();
	snprintf(p, sizeof(p), "%s/data/rules/00-core.rules",
		 getenv("CC_ROOT") ? getenv("CC_ROOT") : ".");
	if (wg_rules_load_file(w->r, p, &e))
		fail_msg("%s", e.msg);
	data_path(p, sizeof(p), "sim.rules");
	if (wg_rules_load_file(w->r, p, &e))
		fail_msg("%s", e.msg);
	w->a = wg_adversary_new("test actor");
	while (sscanf(techs, "%63s%n", t, &used) == 1) {
		assert_int_equal(wg_adversary_add(w->a, t, &e), 0);
		techs += used;
	}
	w->g = wg_graph_build(w->m, w->r, w->a, &e);
	if (!w->g)
		fail_msg("%s", e.msg);
}

/* The two-step chain: exploit (T1190) then exfiltrate (T1048). */
static void world_load(world *w, const char *model)
{
	world_load_with(w, model, "T1190 T1048");
}

static void world_free(world *w)
{
	wg_graph_free(w->g);
	wg_adversary_free(w->a);
	wg_rules_free(w->r);
	wg_model_free(w->m);
}

static wg_sim_result *simulate(const world *w, size_t runs, uint64_t seed,
			       int threads, const wg_intel *intel)
{
	wg_sim_opts o = { .runs = runs, .seed = seed, .threads = threads,
			  .horizon_hours = 24 * 365, .epsilon = -1, .intel = intel };
	wg_sim_result *r = NULL;
	cc_err e = { 0 };

	if (wg_sim_run(w->g, &o, &r, &e))
		fail_msg("%s", e.msg);
	return r;
}

/* |p - want| within 3 sigma of a binomial with n runs. */
static void assert_p_near(double p, double want, size_t n)
{
	double sigma = sqrt(want * (1 - want) / (double)n);

	if (fabs(p - want) > 3 * sigma + 1e-12)
		fail_msg("P = %.4f, expected %.4f +- %.4f", p, want, 3 * sigma);
}

static void test_rng_streams(void **st)
{
	wg_rng a, b, c;
	wg_dist d = { WG_DIST_TRIANGULAR, 1, 2, 5 };

	(void)st;
	wg_rng_seed(&a, 42, 7);
	wg_rng_seed(&b, 42, 7);
	wg_rng_seed(&c, 42, 8);
	for (int i = 0; i < 100; i++) {
		uint64_t x = wg_rng_next(&a);

		assert_true(x == wg_rng_next(&b));
		assert_true(x != wg_rng_next(&c));
	}
	for (int i = 0; i < 1000; i++) {
		double x = wg_dist_sample(&d, &a), u = wg_rng_unit(&a);

		assert_true(x >= 1 && x <= 5);
		assert_true(u >= 0 && u < 1);
		assert_true(wg_rng_below(&a, 3) < 3);
	}
}

static void test_chain_probability(void **st)
{
	world w;
	wg_sim_result *r;
	size_t n = 4000;

	(void)st;
	world_load(&w, "chain.yaml");
	r = simulate(&w, n, 1, 1, NULL);
	assert_int_equal(r->njewels, 1);
	assert_p_near(r->jewels[0].p, 0.5 * 0.4, n);
	/* fixed times: exploit 1 h then exfiltration 10 h */
	assert_true(r->jewels[0].ttc.n == r->jewels[0].compromised);
	assert_true(fabs(r->jewels[0].ttc.median - 11) < 1e-9);
	assert_true(r->jewels[0].p_lo <= 0.2 && r->jewels[0].p_hi >= 0.2);
	assert_int_equal(r->detected, 0);
	assert_int_equal(r->ends[WG_END_ALL_JEWELS] + r->ends[WG_END_EXHAUSTED], n);
	wg_sim_result_free(r);
	world_free(&w);
}

static void test_unreachable(void **st)
{
	world w;
	wg_sim_result *r;

	(void)st;
	world_load(&w, "unreachable.yaml");
	r = simulate(&w, 500, 3, 2, NULL);
	assert_int_equal(r->jewels[0].compromised, 0);
	assert_true(r->jewels[0].p == 0);
	assert_int_equal(r->any_compromised, 0);
	wg_sim_result_free(r);
	world_free(&w);
}

static void test_detection_lowers_p(void **st)
{
	world w;
	wg_sim_result *r;
	size_t n = 4000;

	(void)st;
	world_load(&w, "chain_edr.yaml");
	r = simulate(&w, n, 1, 2, NULL);
	/* detected exploits (0.9) are answered 1 h later, before the 10 h
	 * exfiltration ends: P = 0.5 * 0.1 * 0.4 */
	assert_p_near(r->jewels[0].p, 0.02, n);
	assert_true(r->detected > 0);
	assert_true(r->ttd.median > 0);
	assert_true(r->nactions == 1);
	assert_string_equal(w.m->hosts[r->actions[0].host].name, "web");
	assert_true(r->actions[0].decisive > 0);
	assert_true(r->ends[WG_END_CONTAINED] > 0);
	wg_sim_result_free(r);
	world_free(&w);
}

static void test_intel_raises_detection(void **st)
{
	world w;
	wg_sim_result *r0, *r1;
	wg_intel *in = wg_intel_new("shared");
	size_t n = 4000, d0 = 0, d1 = 0;

	(void)st;
	world_load(&w, "chain_edr.yaml");
	/* no telemetry: unchanged; known TTP + indicator: b = 1 - .7 * .5 */
	wg_intel_add(in, "T1190", WG_INTEL_TTP | WG_INTEL_IOC);
	assert_true(wg_intel_detect(in, "T1190", 0.2, false) == 0.2);
	assert_true(fabs(wg_intel_detect(in, "T1190", 0.2, true) - (1 - 0.8 * 0.35)) < 1e-12);
	assert_true(fabs(wg_intel_detect(in, "T1190.001", 0.2, true) - (1 - 0.8 * 0.35)) < 1e-12);
	assert_true(wg_intel_detect(in, "T1048", 0.2, true) == 0.2);
	r0 = simulate(&w, n, 5, 1, NULL);
	r1 = simulate(&w, n, 5, 1, in);
	assert_true(r1->with_intel && !r0->with_intel);
	for (size_t i = 0; i < r0->ntechs; i++)
		if (!strcmp(r0->techs[i].technique, "T1190"))
			d0 = r0->techs[i].detections;
	for (size_t i = 0; i < r1->ntechs; i++)
		if (!strcmp(r1->techs[i].technique, "T1190"))
			d1 = r1->techs[i].detections;
	assert_true(d1 > d0);
	assert_true(r1->jewels[0].p <= r0->jewels[0].p);
	wg_sim_result_free(r0);
	wg_sim_result_free(r1);
	wg_intel_free(in);
	world_free(&w);
}

static void test_determinism(void **st)
{
	world w;
	wg_sim_result *r1, *r2, *r3;
	wg_report_in in = { 0 };
	char *j1, *j2, *j3;

	(void)st;
	world_load(&w, "chain_edr.yaml");
	r1 = simulate(&w, 3001, 99, 1, NULL);
	r2 = simulate(&w, 3001, 99, 2, NULL);
	r3 = simulate(&w, 3001, 100, 2, NULL);
	in.g = w.g;
	in.sim = r1;
	j1 = wg_report_json(&in);
	in.sim = r2;
	j2 = wg_report_json(&in);
	in.sim = r3;
	j3 = wg_report_json(&in);
	assert_non_null(j1);
	assert_string_equal(j1, j2);
	assert_true(strcmp(j1, j3) != 0);
	free(j1);
	free(j2);
	free(j3);
	wg_sim_result_free(r1);
	wg_sim_result_free(r2);
	wg_sim_result_free(r3);
	world_free(&w);
}


/* ---- exercise ---- */

/* A game on chain.yaml in which the exploit of web worked before the
 * first turn (the attacker's one foothold), or NULL for this seed. */
static wg_exercise *web_taken(const world *w, uint64_t seed)
{
	wg_ex_opts o = { .seed = seed, .turns = 10, .budget = 4, .fp_rate = 0 };
	wg_exercise *x = wg_ex_new(w->g, &o, NULL);
	int hs[4];

	assert_non_null(x);
	if (wg_ex_over(x) || wg_ex_footholds(x, hs, 4) != 1) {
		wg_ex_free(x);
		return NULL;
	}
	assert_string_equal(w->m->hosts[hs[0]].name, "web");
	return x;
}

static void test_ex_isolate_evicts(void **st)
{
	world w;
	int found = 0;

	(void)st;
	world_load(&w, "chain.yaml");
	for (uint64_t seed = 1; seed <= 40; seed++) {
		wg_exercise *x = web_taken(&w, seed);
		wg_ex_cmd c = { .kind = WG_EX_ISOLATE };
		int hs[4];
		cc_err e;

		if (!x)
			continue;
		found++;
		strcpy(c.arg[0], "web");
		assert_int_equal(wg_ex_act(x, &c, NULL, &e), 0);
		assert_int_equal(wg_ex_footholds(x, hs, 4), 0);
		wg_ex_end_turn(x);
		assert_true(wg_ex_over(x));
		assert_true(wg_ex_evicted(x));
		assert_false(wg_ex_jewel_lost(x));
		assert_true(wg_ex_score(x) >= 100);
		wg_ex_free(x);
	}
	assert_true(found > 5);
	world_free(&w);
}

/* Patching a host takes the vulnerability away for the future; an
 * attacker who already exploited it stays on the host. */
static void test_ex_patch_keeps_attacker(void **st)
{
	world w;
	int found = 0;

	(void)st;
	world_load(&w, "chain.yaml");
	for (uint64_t seed = 1; seed <= 40; seed++) {
		wg_exercise *x = web_taken(&w, seed);
		wg_ex_cmd c;
		int hs[4];
		cc_err e;

		if (!x)
			continue;
		found++;
		assert_int_equal(wg_ex_parse("patch web CVE-2024-0001", &c, &e), 0);
		assert_int_equal(wg_ex_act(x, &c, NULL, &e), 0);
		assert_int_equal(wg_ex_footholds(x, hs, 4), 1);
		assert_string_equal(w.m->hosts[hs[0]].name, "web");
		wg_ex_free(x);
	}
	assert_true(found > 5);
	world_free(&w);
}

/* `map` (or `hosts`) shows the board and costs nothing; the one-page
 * review has the outcome, a row per turn and the lessons. */
static void test_ex_map_and_review(void **st)
{
	world w;
	wg_ex_opts o = { .seed = 3, .turns = 4, .budget = 4, .fp_rate = 0 };
	wg_exercise *x;
	wg_ex_cmd c;
	cc_buf b = CC_BUF_INIT;
	cc_err e;
	size_t rows = 0;

	(void)st;
	world_load(&w, "chain.yaml");
	x = wg_ex_new(w.g, &o, NULL);
	assert_int_equal(wg_ex_parse("hosts", &c, &e), 0);
	assert_int_equal(c.kind, WG_EX_MAP);
	assert_int_equal(wg_ex_parse("map", &c, &e), 0);
	assert_int_equal(wg_ex_act(x, &c, &b, &e), 0);
	assert_int_equal(wg_ex_budget(x), 4);
	assert_non_null(strstr(cc_buf_str(&b), "  zone dmz\n    web "));
	assert_non_null(strstr(cc_buf_str(&b), "CVE-2024-0001"));
	assert_non_null(strstr(cc_buf_str(&b), "crown jewels: data on web"));
	while (!wg_ex_over(x))
		wg_ex_end_turn(x);
	cc_buf_reset(&b);
	wg_ex_review_html(x, &b);
	assert_non_null(strstr(cc_buf_str(&b), "<h1>After-action review: chain against test actor</h1>"));
	assert_non_null(strstr(cc_buf_str(&b), "<h2>Lessons</h2>"));
	for (const char *p = cc_buf_str(&b); (p = strstr(p, "<tr><td class=n>")); p++)
		rows++;
	assert_int_equal(rows, (size_t)(atoi(strstr(cc_buf_str(&b), "over the model (no real "
		"network was touched): ") + strlen("over the model (no real network was "
		"touched): ")) + 1));      /* turns 0..N */
	cc_buf_free(&b);
	wg_ex_free(x);
	world_free(&w);
}

static void test_ex_block_flow(void **st)
{
	world w;
	int tried = 0;

	(void)st;
	world_load_with(&w, "chain.yaml", "T1190 T1210 T1048");
	for (uint64_t seed = 1; seed <= 40; seed++) {
		wg_ex_opts o = { .seed = seed, .turns = 10, .budget = 4, .fp_rate = 0 };
		wg_exercise *x = wg_ex_new(w.g, &o, NULL);
		wg_ex_cmd c;
		int hs[4];
		cc_err e;

		if (wg_ex_over(x) || wg_ex_footholds(x, hs, 4)) {
			wg_ex_free(x);
			continue;
		}
		/* the first exploit failed; the second (T1210) needs the flow */
		tried++;
		assert_int_equal(wg_ex_parse("block internet->dmz", &c, &e), 0);
		assert_int_equal(wg_ex_act(x, &c, NULL, &e), 0);
		wg_ex_end_turn(x);
		assert_true(wg_ex_evicted(x));
		wg_ex_free(x);
	}
	assert_true(tried > 5);
	world_free(&w);
}

static void test_ex_pass_loses(void **st)
{
	world w;
	int lost = 0;

	(void)st;
	world_load(&w, "chain.yaml");
	for (uint64_t seed = 1; seed <= 40; seed++) {
		wg_ex_opts o = { .seed = seed, .turns = 10, .budget = 4, .fp_rate = 0 };
		wg_exercise *x = wg_ex_new(w.g, &o, NULL);
		char *m;

		while (!wg_ex_over(x))
			wg_ex_end_turn(x);
		lost += wg_ex_jewel_lost(x);
		m = wg_ex_message(x);
		assert_non_null(strstr(m, "\"type\":\"end\""));
		free(m);
		wg_ex_free(x);
	}
	/* P(jewel) = 0.5 * 0.4 without defence: some but not all games */
	assert_true(lost > 0 && lost < 40);
	world_free(&w);
}

static void test_ex_budget(void **st)
{
	world w;
	wg_ex_opts o = { .seed = 1, .turns = 5, .budget = 3, .fp_rate = 0 };
	wg_exercise *x;
	wg_ex_cmd c;
	cc_err e;
	char *m;

	(void)st;
	world_load(&w, "chain.yaml");
	x = wg_ex_new(w.g, &o, NULL);
	assert_int_equal(wg_ex_parse("reset nobody", &c, &e), 0);
	assert_int_equal(wg_ex_act(x, &c, NULL, &e), CC_EUSAGE);
	assert_int_equal(wg_ex_budget(x), 3);
	assert_int_equal(wg_ex_parse("patch web CVE-2024-0001", &c, &e), 0);
	assert_int_equal(wg_ex_act(x, &c, NULL, &e), 0);
	assert_int_equal(wg_ex_budget(x), 1);
	assert_int_equal(wg_ex_parse("isolate web", &c, &e), 0);
	assert_int_equal(wg_ex_act(x, &c, NULL, &e), CC_EUSAGE);
	assert_non_null(strstr(e.msg, "only 1 left"));
	assert_int_equal(wg_ex_parse("investigate web", &c, &e), 0);
	assert_int_equal(wg_ex_act(x, &c, NULL, &e), 0);
	assert_int_equal(wg_ex_budget(x), 0);
	wg_ex_end_turn(x);
	if (!wg_ex_over(x)) {
		assert_int_equal(wg_ex_budget(x), 3);
		m = wg_ex_message(x);
		assert_non_null(strstr(m, "\"type\":\"turn\""));
		assert_non_null(strstr(m, "\"error\""));     /* the refused actions */
		free(m);
	}
	wg_ex_free(x);
	world_free(&w);
}

static void test_ex_parse(void **st)
{
	wg_ex_cmd c, *v;
	size_t n;
	cc_err e;
	static const char ok[] = "{\"actions\":[{\"action\":\"isolate\",\"host\":\"a\"},"
				 "{\"action\":\"patch\",\"host\":\"b\",\"cve\":\"CVE-1\"},"
				 "{\"action\":\"pass\"}]}";
	static const char *const bad[] = {
		"", "[]", "{\"actions\":{}}", "{\"actions\":[1]}",
		"{\"actions\":[{\"action\":\"fly\"}]}",
		"{\"actions\":[{\"action\":\"isolate\"}]}",
		"{\"actions\":[{\"action\":\"patch\",\"host\":\"b\"}]}",
		"{\"actions\":[],\"actions\":[]}",
	};

	(void)st;
	assert_int_equal(wg_ex_parse("  Isolate   ws-01 ", &c, &e), 0);
	assert_int_equal(c.kind, WG_EX_ISOLATE);
	assert_string_equal(c.arg[0], "ws-01");
	assert_int_equal(wg_ex_parse("done", &c, &e), 0);
	assert_int_equal(c.kind, WG_EX_PASS);
	assert_int_equal(wg_ex_parse("isolate", &c, &e), CC_EUSAGE);
	assert_int_equal(wg_ex_parse("isolate a b", &c, &e), CC_EUSAGE);
	assert_int_equal(wg_ex_parse("fly away", &c, &e), CC_EUSAGE);
	assert_int_equal(wg_ex_parse("", &c, &e), CC_EUSAGE);
	assert_int_equal(wg_ex_parse_reply(ok, strlen(ok), &v, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[1].kind, WG_EX_PATCH);
	assert_string_equal(v[1].arg[1], "CVE-1");
	free(v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(wg_ex_parse_reply(bad[i], strlen(bad[i]), &v, &n, &e),
				 CC_EUSAGE);
		assert_null(v);
	}
}

/* ---- reports ---- */

static void test_reports(void **st)
{
	world w;
	wg_sim_result *r;
	wg_report_in in = { 0 };
	cc_buf html = CC_BUF_INIT, dot = CC_BUF_INIT;
	char *js, *stix;
	json_t *o;
	wg_metrics *mt;
	wg_hardening *hd;
	cc_err e;

	(void)st;
	world_load(&w, "chain_edr.yaml");
	r = simulate(&w, 200, 1, 1, NULL);
	mt = wg_metrics_compute(w.g, &e);
	hd = wg_harden(w.g, NULL, &e);
	assert_non_null(mt);
	assert_non_null(hd);
	in.g = w.g;
	in.sim = r;
	in.metrics = mt;
	in.hardening = hd;
	js = wg_report_json(&in);
	o = json_loads(js, 0, NULL);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "simulation"),
							   "runs")), 200);
	assert_true(json_array_size(json_object_get(o, "defenders_view")) == 2);
	json_decref(o);
	wg_report_paths_dot(&in, &dot);
	/* a two-line label: dot's line break, never an escaped backslash */
	assert_non_null(strstr(cc_buf_str(&dot), "label=\"T1190 Exploit Public-Facing Application\\np="));
	assert_null(strstr(cc_buf_str(&dot), "\\\\n"));
	wg_report_html(&in, NULL, "dot missing in this test", &html);
	assert_non_null(strstr(cc_buf_str(&html), "<svg"));     /* the histogram */
	assert_non_null(strstr(cc_buf_str(&html), "dot missing in this test"));
	assert_non_null(strstr(cc_buf_str(&html), "What your defenders would see"));
	stix = wg_report_stix(&in, 0);
	o = json_loads(stix, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(o, "type")), "bundle");
	assert_non_null(strstr(stix, "\"mitigates\""));
	assert_non_null(strstr(stix, "course-of-action--"));
	json_decref(o);
	free(stix);
	free(js);
	cc_buf_free(&html);
	cc_buf_free(&dot);
	wg_hardening_free(hd);
	wg_metrics_free(mt);
	wg_sim_result_free(r);
	world_free(&w);
}

/* A fake dot: script as /bin/sh text in dir/dot. */
static void fake_dot(const char *dir, const char *script)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/dot", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", script);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

/* dot runs without a shell or temp file, the text on its standard input;
 * each way it can go wrong is said in the message. */
static void test_dot_svg(void **st)
{
	static const struct { const char *script; int ms; const char *svg, *why; } cases[] = {
		{ "printf 'head<svg>'; /bin/cat", 20000, "<svg>digraph g {}", "" },
		{ "/bin/cat >/dev/null; echo nothing", 20000, NULL, "graphviz dot gave no SVG" },
		{ "/bin/cat >/dev/null; printf 'Error: bad\\nmore\\n' >&2; exit 2", 20000, NULL,
		  "graphviz dot failed to draw the attack graph (exit status 2: Error: bad)" },
		{ "kill -KILL $$", 20000, NULL,
		  "graphviz dot failed to draw the attack graph (killed by signal 9)" },
		{ "exec /bin/sleep 10", 300, NULL,
		  "graphviz dot did not draw the attack graph within 1 s and was stopped" },
		{ NULL, 20000, NULL, "graphviz dot is not installed, so the attack graph is not drawn" },
	};
	char dir[] = "/tmp/test_wgsim_dot_XXXXXX", path[512], why[512];
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	(void)st;
	assert_non_null(mkdtemp(dir));
	setenv("PATH", dir, 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *svg;

		snprintf(path, sizeof(path), "%s/dot", dir);
		if (cases[i].script)
			fake_dot(dir, cases[i].script);
		else
			unlink(path);
		svg = wg_report_dot_svg("digraph g {}", cases[i].ms, why, sizeof(why));
		if ((svg == NULL) != (cases[i].svg == NULL) ||
		    (svg && strcmp(svg, cases[i].svg)) || strcmp(why, cases[i].why))
			fail_msg("case %zu: svg '%s', why '%s'", i, svg ? svg : "(none)", why);
		free(svg);
	}
	if (old)
		setenv("PATH", old, 1);
	free(old);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_streams),
		cmocka_unit_test(test_chain_probability),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_detection_lowers_p),
		cmocka_unit_test(test_intel_raises_detection),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_ex_isolate_evicts),
		cmocka_unit_test(test_ex_patch_keeps_attacker),
		cmocka_unit_test(test_ex_map_and_review),
		cmocka_unit_test(test_ex_block_flow),
		cmocka_unit_test(test_ex_pass_loses),
		cmocka_unit_test(test_ex_budget),
		cmocka_unit_test(test_ex_parse),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_dot_svg),
	};

	return cmocka_run_group_tests_name("wgsim", tests, NULL, NULL);
}
