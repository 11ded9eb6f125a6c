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
	"                               [--rules DIR] [--dot] [--json]\n"
	"       cybercell wargame run MODEL.yaml (--adversary NAME | --adversary-file F) ...\n"
	"\n"
	"War games over a network model (docs/wargame-model.md); it never touches\n"
	"a real network.\n"
	"  check   validate a model and print a summary\n"
	"  graph   derive the attack graph for an adversary: reachable jewels, best\n"
	"          paths, choke points and the hardening ranking\n"
	"  run     Monte Carlo campaigns and reports (see docs/commands/wargame.md)\n"
	"\n"
	"Options:\n"
	"  --adversary NAME       intrusion-set / threat-actor / campaign in the store\n"
	"                         (name or alias) and the attack-patterns it uses\n"
	"  --adversary-file F     YAML adversary: {name: X, techniques: [T1566.001, ...]}\n"
	"  --rules DIR            technique rules (default: $CYBERCELL_RULES, else\n"
	"                         data/rules, else <binary>/../data/rules)\n"
	"  --dot                  print the attack graph as Graphviz\n"
	"  --stats                only load and build: print sizes and seconds\n"
	"  --json                 print JSON instead of text\n";

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
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 }
	};
	bool json = false;
	wg_model *m;
	cc_err e;
	int c;

	cmd_getopt_reset();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else
			return cmd_usage_error("wargame", "check: unknown option '%s'",
					       argv[optind - 1]);
	}
	if (optind != argc - 1)
		return cmd_usage_error("wargame", "check: expected one MODEL.yaml");
	m = wg_model_load(argv[optind], &e);
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
		{ "adversary", required_argument, NULL, 'a' },
		{ "adversary-file", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "dot", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "stats", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	wg_session s;
	const char *adv = NULL, *advfile = NULL, *rules = NULL;
	bool dot = false, json = false, stats = false;
	int c, rc;
	int64_t t0 = cc_mono_us();

	cmd_getopt_reset();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': adv = optarg; break;
		case 'f': advfile = optarg; break;
		case 'r': rules = optarg; break;
		case 'd': dot = true; break;
		case 'j': json = true; break;
		case 's': stats = true; break;
		default:
			return cmd_usage_error("wargame", "graph: unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error("wargame", "graph: expected one MODEL.yaml");
	if (!adv == !advfile)
		return cmd_usage_error("wargame", "graph: give --adversary NAME or "
				       "--adversary-file F (one of them)");
	if (dot && json)
		return cmd_usage_error("wargame", "graph: --dot and --json exclude each other");
	rc = wg_session_open(&s, argv[optind], adv, advfile, rules, cli);
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
