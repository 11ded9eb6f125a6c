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
#include "wargame/wargame.h"

typedef struct wg_session {
	wg_model *model;
	wg_rules *rules;
	wg_adversary *adv;
	wg_graph *graph;
	wg_metrics *metrics;        /* filled by the print functions */
	wg_hardening *hardening;    /* filled by the print functions */
} wg_session;

/* Load model_path, the rules (rules_dir or the default), the adversary
 * (adv_name from the store at cli->db_path, or adv_file) and build the
 * graph.  Returns an exit status (0, or 1 after printing the error). */
int wg_session_open(wg_session *s, const char *model_path, const char *adv_name,
		    const char *adv_file, const char *rules_dir, const cc_cli *cli);
void wg_session_close(wg_session *s);

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
