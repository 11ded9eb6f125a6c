/*
 * wargame_int.h — private to src/cmd: what the `wargame` and `exercise`
 * commands share: loading a model, the rules and an adversary and building
 * the attack graph (wg_session), printing the graph results, and
 * `wargame run` (wargame_run.c), called by the dispatcher in wargame.c.
 *
 * Ownership: a wg_session owns everything it holds; wg_session_close()
 * frees it (also after a failed open).
 */
#ifndef CC_CMD_WARGAME_INT_H
#define CC_CMD_WARGAME_INT_H

#include "cmd/cmd.h"
#include "util/buf.h"
#include "wargame/wargame.h"

struct store;

typedef struct wg_session {
	wg_model *model;
	wg_rules *rules;
	wg_adversary *adv;
	wg_coverage cov;            /* how much of adv the rules model */
	struct store *st;           /* the hub's store when it was opened, or NULL */
	wg_mitigations *mit;        /* the hub's ATT&CK mitigations, or NULL */
	wg_graph *graph;
	wg_metrics *metrics;        /* filled by the print functions */
	wg_hardening *hardening;    /* filled by the print functions */
} wg_session;

/* What a session loads: the model, the adversary (by name from the store,
 * or from a YAML file), the rules directory (NULL: the default). */
typedef struct wg_session_args {
	const char *model, *adv, *advfile, *rules;
	bool no_software;           /* --no-software: the group's own techniques */
	bool need_store;            /* open the store even without --adversary
				       (--with-intel); otherwise it is opened when
				       it exists, to map ATT&CK mitigations */
} wg_session_args;

/* Load the model, the rules and the adversary (from the store at
 * cli->db_path, or the file), compute the coverage and build the graph.
 * Returns an exit status (0, or 1 after printing the error). */
int wg_session_open(wg_session *s, const wg_session_args *a, const cc_cli *cli);
void wg_session_close(wg_session *s);

/* The adversary options every war-game command takes, parsed from one
 * getopt result: c is the option's value ('a' --adversary, 'f'
 * --adversary-file, 'r' --rules, 'S' --no-software).  true when it was one
 * of them. */
bool wg_session_opt(wg_session_args *a, int c, const char *arg);
/* Their getopt table entries (for a command's option table). */
#define WG_SESSION_OPTIONS \
	{ "adversary", required_argument, NULL, 'a' }, \
	{ "adversary-file", required_argument, NULL, 'f' }, \
	{ "rules", required_argument, NULL, 'r' }, \
	{ "no-software", no_argument, NULL, 'S' }
/* Usage errors common to every war-game command (exactly one adversary
 * source); returns 0 or 2 after printing the error. */
int wg_session_check(const wg_session_args *a, const char *cmd, const char *sub);

/* The hardening of the session's graph, with the hub's mitigations
 * (s->hardening, computed once). */
const wg_hardening *wg_session_harden(wg_session *s);


/* The default rules directory: $CYBERCELL_RULES, else beside the binary
 * <bin>/../share/cybercell/rules (installed), <bin>/../data/rules or
 * <bin>/../../data/rules (source tree), else the compiled-in
 * CC_DATADIR/rules ($(PREFIX)/share/cybercell/rules).  buf (size bytes)
 * may hold the answer. */
const char *wg_default_rules_dir(char *buf, size_t size);

/* Print the graph results; each returns an exit status. */
int wg_print_text(wg_session *s);
int wg_print_json(wg_session *s);
int wg_print_dot(wg_session *s);

/* `cybercell wargame run`: argv[0] is "run"; returns the exit status (0,
 * 1 failed, 2 bad usage). */
int cmd_wargame_run(int argc, char **argv, const cc_cli *cli);

#endif
