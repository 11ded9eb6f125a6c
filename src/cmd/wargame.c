/*
 * wargame.c — `cybercell wargame check|graph|run`.
 *
 * check and graph are here; `run` (Monte Carlo, reports) is
 * wargame_run() below, owned by the simulation's author.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/wargame_int.h"
#include "util/time.h"
#include "wargame/wargame.h"

const char cmd_wargame_usage[] =
	"usage: cybercell wargame check MODEL.yaml [--json]\n"
	"       cybercell wargame graph MODEL.yaml (--adversary NAME | --adversary-file F)\n"
	"                               [--no-software] [--rules DIR]\n"
	"                               [--dot | --json | --stats]\n"
	"       cybercell wargame run MODEL.yaml (--adversary NAME | --adversary-file F)\n"
	"                             [--no-software] [--rules DIR] [--runs N] [--seed S]\n"
	"                             [--threads T]\n"
	"                             [--horizon DAYS] [--with-intel COLLECTION]\n"
	"                             [--report FILE] [--json FILE] [--stix FILE]\n"
	"\n"
	"War games over a network model (docs/wargame-model.md); it never touches\n"
	"a real network.\n"
	"  check   validate a model and print a summary\n"
	"  graph   derive the attack graph for an adversary: reachable jewels, best\n"
	"          paths, choke points and the hardening ranking\n"
	"  run     Monte Carlo campaigns of the adversary against the defenders, and\n"
	"          reports (man cybercell-wargame-run)\n"
	"\n"
	"Options of graph and run:\n"
	"  --adversary NAME       intrusion-set / threat-actor / campaign in the store\n"
	"                         (name or alias, else part of the name): the\n"
	"                         techniques it and its malware and tools use\n"
	"  --adversary-file F     YAML adversary: {name: X, techniques: [T1566.001, ...]}\n"
	"  --no-software          with --adversary: only the group's own techniques,\n"
	"                         not those of the malware and tools it uses\n"
	"  --rules DIR            technique rules (default: $CYBERCELL_RULES, else the\n"
	"                         source tree's data/rules, else the installed ones)\n"
	"\n"
	"Options of check and graph:\n"
	"  --json                 print JSON instead of text\n"
	"\n"
	"Options of graph:\n"
	"  --dot                  print the attack graph as Graphviz\n"
	"  --stats                only load and build: print sizes and seconds\n"
	"\n"
	"Options of run:\n"
	"  --runs N               campaigns, 1..10000000 (default 1000)\n"
	"  --seed S               random seed (default 1); the same seed gives the\n"
	"                         same results on any number of threads\n"
	"  --threads T            worker threads, 1..256 (default 1)\n"
	"  --horizon DAYS         length of a campaign, 1..3650 days (default 30)\n"
	"  --with-intel COLLECTION  run again with the detection the intelligence in\n"
	"                         COLLECTION gives, and report both\n"
	"  --report FILE          write the HTML report\n"
	"  --json FILE            write everything as JSON\n"
	"  --stix FILE            write the hardening as STIX 2.1 courses of action\n"
	"\n"
	"Exit status: 0 done, 1 bad model, rules, adversary or output file,\n"
	"2 bad usage.\n";

/* `wargame run` lives in wargame_run.c (the simulation's author). */
static int wargame_run(int argc, char **argv, const cc_cli *cli)
{
	return cmd_wargame_run(argc, argv, cli);
}

/* ---- check ---- */

static void check_json(const wg_model *m)
{
	json_t *o = json_pack("{s:b,s:s,s:s?,s:I,s:I,s:I,s:I,s:I,s:I}", "ok", 1,
			      "model", m->path, "name", m->name,
			      "zones", (json_int_t)m->nzones, "hosts", (json_int_t)m->nhosts,
			      "flows", (json_int_t)m->nflows,
			      "accounts", (json_int_t)m->naccounts,
			      "people", (json_int_t)m->npeople,
			      "jewels", (json_int_t)m->njewels);
	size_t ncve = 0;

	for (size_t h = 0; h < m->nhosts; h++)
		for (size_t s = 0; s < m->hosts[h].nservices; s++)
			ncve += m->hosts[h].services[s].ncves;
	json_object_set_new(o, "cves", json_integer((json_int_t)ncve));
	json_dumpf(o, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(o);
}

static int wargame_check(int argc, char **argv)
{
	const char *path;
	bool json;
	wg_model *m;
	cc_err e;
	int rc = cmd_flag_and_operand("wargame check", argc, argv, "json", 0, "MODEL.yaml", &json,
				      &path);

	if (rc)
		return rc;
	m = wg_model_load(path, &e);
	if (!m)
		return cmd_fail(&e);
	if (json) {
		check_json(m);
	} else {
		printf("%s: ok — %s: %zu zones, %zu hosts, %zu flows, %zu accounts, "
		       "%zu people, %zu crown jewels\n", m->path,
		       m->name ? m->name : "(unnamed)", m->nzones, m->nhosts, m->nflows,
		       m->naccounts, m->npeople, m->njewels);
	}
	wg_model_free(m);
	return 0;
}

/* ---- graph ---- */

static int wargame_graph(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		WG_SESSION_OPTIONS,
		{ "dot", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "stats", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	wg_session s;
	wg_session_args sa = { 0 };
	bool dot = false, json = false, stats = false;
	int c, rc;
	int64_t t0 = cc_mono_us();

	cmd_getopt_reset();
	while ((c = cmd_getopt("wargame graph", argc, argv, "", opts)) != -1) {
		if (wg_session_opt(&sa, c, optarg))
			continue;
		switch (c) {
		case 'd': dot = true; break;
		case 'j': json = true; break;
		case 's': stats = true; break;
		default:        /* reported by cmd_getopt */
			return 2;
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error("wargame", "graph: expected one MODEL.yaml");
	if ((rc = wg_session_check(&sa, "wargame", "graph")))
		return rc;
	if (dot && json)
		return cmd_usage_error("wargame", "graph: --dot and --json exclude each other");
	sa.model = argv[optind];
	rc = wg_session_open(&s, &sa, cli);
	if (rc) {
		wg_session_close(&s);
		return rc;
	}
	if (stats)
		printf("hosts %zu facts %zu instances %zu seconds %.3f\n", s.model->nhosts,
		       s.graph->nfacts, s.graph->ninsts, (double)(cc_mono_us() - t0) / 1e6);
	else if (dot)
		rc = wg_print_dot(&s);
	else if (json)
		rc = wg_print_json(&s);
	else
		rc = wg_print_text(&s);
	wg_session_close(&s);
	return rc;
}

int cmd_wargame(int argc, char **argv, const cc_cli *cli)
{
	if (argc < 2)
		return cmd_usage_error("wargame", "expected a subcommand: check, graph or run");
	if (!strcmp(argv[1], "check"))
		return wargame_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "graph"))
		return wargame_graph(argc - 1, argv + 1, cli);
	if (!strcmp(argv[1], "run"))
		return wargame_run(argc - 1, argv + 1, cli);
	return cmd_usage_error("wargame", "unknown subcommand '%s' (check, graph or run)",
			       argv[1]);
}
