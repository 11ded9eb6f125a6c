/*
 * exercise.c — `cybercell exercise MODEL.yaml (--adversary NAME |
 * --adversary-file F) [--rules DIR] [--seed S] [--turns N] [--budget B]
 * [--false-alerts RATE] [--json]`: the turn-based training game.  People
 * play at the terminal (briefing on stdout, prompt on stderr, commands on
 * stdin); programs play JSON lines on stdin/stdout (docs/exercise.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/wargame_int.h"
#include "util/file.h"
#include "wargame/sim.h"

const char cmd_exercise_usage[] =
	"usage: cybercell exercise MODEL.yaml (--adversary NAME | --adversary-file F)\n"
	"                          [--rules DIR] [--seed S] [--turns N] [--budget B]\n"
	"                          [--false-alerts RATE] [--json] [--review FILE]\n"
	"\n"
	"A turn-based training game over the model (it never touches a real\n"
	"network).  Each turn the blue team sees the alerts its controls raised\n"
	"(imperfect, with false positives) and spends a budget on:\n"
	"  investigate HOST (1)  isolate HOST (2)  reset ACCOUNT (1)\n"
	"  block FLOW (1)        patch HOST CVE (2)  pass (ends the turn)\n"
	"  map (or hosts, free): the zones, hosts, accounts, flows and jewels\n"
	"then the attacker moves.  The game ends when a crown jewel falls, the\n"
	"attacker has no move left (evicted), or the turns run out; then the\n"
	"score and an after-action review are shown.\n"
	"\n"
	"Options:\n"
	"  --adversary NAME      intrusion-set / threat-actor / campaign in the store\n"
	"  --adversary-file F    YAML adversary {name: X, techniques: [...]}\n"
	"  --rules DIR           technique rules (default as for `wargame`)\n"
	"  --seed S              the game's random seed (default 1)\n"
	"  --turns N             turns (default 20)\n"
	"  --budget B            points per turn (default 4)\n"
	"  --false-alerts RATE   false alerts per watched host per turn (default 0.02)\n"
	"  --json                play over JSON lines on stdin/stdout (docs/exercise.md)\n"
	"  --review FILE         write the one-page after-action review (HTML)\n";

typedef struct ex_opts {
	wg_session_args sa;
	const char *review;
	long long seed, turns, budget;
	double fp;
	bool json;
} ex_opts;

static int parse(int argc, char **argv, ex_opts *o)
{
	static const struct option opts[] = {
		WG_SESSION_OPTIONS,
		{ "seed", required_argument, NULL, 's' },
		{ "turns", required_argument, NULL, 't' },
		{ "budget", required_argument, NULL, 'b' },
		{ "false-alerts", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "review", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	char *end;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->turns = 20;
	o->budget = 4;
	o->fp = -1;
	cmd_getopt_reset();
	while ((c = cmd_getopt("exercise", argc, argv, "", opts)) != -1) {
		if (wg_session_opt(&o->sa, c, optarg))
			continue;
		switch (c) {
		case 'j': o->json = true; break;
		case 'R': o->review = optarg; break;
		case 's':
			if (!cmd_parse_long("exercise", "--seed", optarg, 0, INT64_MAX, &o->seed))
				return 2;
			break;
		case 't':
			if (!cmd_parse_long("exercise", "--turns", optarg, 1, 10000, &o->turns))
				return 2;
			break;
		case 'b':
			if (!cmd_parse_long("exercise", "--budget", optarg, 1, 1000, &o->budget))
				return 2;
			break;
		case 'p':
			o->fp = strtod(optarg, &end);
			if (*end || end == optarg || !(o->fp >= 0 && o->fp <= 1))
				return cmd_usage_error("exercise", "--false-alerts: expected a "
						       "number 0..1, got '%s'", optarg);
			break;
		default:        /* reported by cmd_getopt */
			return 2;
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error("exercise", "expected one MODEL.yaml");
	o->sa.model = argv[optind];
	return wg_session_check(&o->sa, "exercise", NULL);
}

static void put_line(char *s)
{
	puts(s);
	fflush(stdout);
	free(s);
}

/* One turn over JSON lines; false at the end of input. */
static bool json_turn(wg_exercise *x, char **ln, size_t *cap)
{
	for (;;) {
		ssize_t n;
		wg_ex_cmd *cmds;
		size_t nc;
		cc_err e;

		put_line(wg_ex_message(x));
		if ((n = getline(ln, cap, stdin)) < 0)
			return false;
		if (wg_ex_parse_reply(*ln, (size_t)n, &cmds, &nc, &e)) {
			json_t *m = json_pack("{s:s,s:s}", "type", "error", "error", e.msg);

			put_line(json_dumps(m, JSON_COMPACT));
			json_decref(m);
			continue;
		}
		for (size_t i = 0; i < nc && cmds[i].kind != WG_EX_PASS; i++)
			wg_ex_act(x, &cmds[i], NULL, &e);
		free(cmds);
		return true;
	}
}

/* One turn at the terminal; false at the end of input. */
static bool human_turn(wg_exercise *x, char **ln, size_t *cap)
{
	cc_buf b = CC_BUF_INIT;

	wg_ex_describe(x, &b);
	fputs(cc_buf_str(&b), stdout);
	cc_buf_free(&b);
	while (wg_ex_budget(x) > 0) {
		wg_ex_cmd c;
		cc_err e;
		ssize_t n;

		fflush(stdout);
		fprintf(stderr, "blue (%d left)> ", wg_ex_budget(x));
		if ((n = getline(ln, cap, stdin)) < 0)
			return false;
		if (n <= 1)
			break;          /* an empty line passes */
		if (wg_ex_parse(*ln, &c, &e)) {
			printf("  %s\n", e.msg);
			continue;
		}
		if (c.kind == WG_EX_PASS)
			break;
		if (wg_ex_act(x, &c, &b, &e))
			printf("  %s\n", e.msg);
		else
			printf("  %s\n", cc_buf_str(&b));
		cc_buf_reset(&b);
	}
	cc_buf_free(&b);
	return true;
}

static void play(wg_exercise *x, bool json)
{
	char *ln = NULL;
	size_t cap = 0;
	bool input = true;

	if (json)
		put_line(wg_ex_start_message(x));
	while (!wg_ex_over(x)) {
		if (input) {
			input = json ? json_turn(x, &ln, &cap) : human_turn(x, &ln, &cap);
			if (!input && !json)
				puts("  (end of input: passing the remaining turns)");
		}
		wg_ex_end_turn(x);
	}
	free(ln);
}

static int write_review(const wg_exercise *x, const char *path)
{
	cc_buf b = CC_BUF_INIT;
	cc_err e;
	int rc = 0;

	wg_ex_review_html(x, &b);
	if (cc_file_write_atomic(path, b.data, b.len, &e)) {
		cc_err_prefix(&e, "--review");
		rc = cmd_fail(&e);
	}
	cc_buf_free(&b);
	return rc;
}

int cmd_exercise(int argc, char **argv, const cc_cli *cli)
{
	ex_opts o;
	wg_session s;
	wg_exercise *x;
	wg_ex_opts xo;
	cc_err e;
	int rc;

	if ((rc = parse(argc, argv, &o)))
		return rc;
	if ((rc = wg_session_open(&s, &o.sa, cli))) {
		wg_session_close(&s);
		return rc;
	}
	memset(&xo, 0, sizeof(xo));
	xo.seed = (uint64_t)o.seed;
	xo.turns = (int)o.turns;
	xo.budget = (int)o.budget;
	xo.fp_rate = o.fp;
	if (!(x = wg_ex_new(s.graph, &xo, &e))) {
		wg_session_close(&s);
		return cmd_fail(&e);
	}
	if (!o.json)
		printf("exercise: %s against %s — %zu crown jewels, %d turns, budget %d "
		       "per turn\n", s.model->name ? s.model->name : s.model->path,
		       s.adv->name, s.model->njewels, (int)o.turns, (int)o.budget);
	play(x, o.json);
	if (o.json) {
		put_line(wg_ex_message(x));
	} else {
		cc_buf b = CC_BUF_INIT;

		wg_ex_describe(x, &b);
		fputs(cc_buf_str(&b), stdout);
		cc_buf_free(&b);
	}
	rc = o.review ? write_review(x, o.review) : 0;
	wg_ex_free(x);
	wg_session_close(&s);
	return rc;
}
