/* wargame_common.c — loading a war-game session (see wargame_int.h). */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/wargame_int.h"
#include "store/store.h"
#include "wargame/sim.h"
#include "util/xalloc.h"

/* Where `make install` put the data (Makefile: $(PREFIX)/share/cybercell). */
#ifndef CC_DATADIR
#define CC_DATADIR "/usr/local/share/cybercell"
#endif

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *wg_default_rules_dir(char *buf, size_t size)
{
	/* Beside the binary: installed (bin/../share/cybercell, wherever the
	 * tree was put, also under DESTDIR), or in the source tree
	 * (build/cybercell, build/asan/cybercell). */
	static const char *const rel[] = {
		"../share/cybercell/rules", "../data/rules", "../../data/rules"
	};
	const char *env = getenv("CYBERCELL_RULES");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(buf, size, "%s/%s", exe, rel[i]);
			if (is_dir(buf))
				return buf;
		}
	}
	return CC_DATADIR "/rules";
}

/* ---- the session ---- */

bool wg_session_opt(wg_session_args *a, int c, const char *arg)
{
	switch (c) {
	case 'a': a->adv = arg; return true;
	case 'f': a->advfile = arg; return true;
	case 'r': a->rules = arg; return true;
	case 'S': a->no_software = true; return true;
	default: return false;
	}
}

int wg_session_check(const wg_session_args *a, const char *cmd, const char *sub)
{
	if (!a->adv == !a->advfile)
		return cmd_usage_error(cmd, "%s%sgive --adversary NAME or --adversary-file F "
				       "(one of them)", sub ? sub : "", sub ? ": " : "");
	if (a->no_software && a->advfile)
		return cmd_usage_error(cmd, "%s%s--no-software goes with --adversary",
				       sub ? sub : "", sub ? ": " : "");
	return 0;
}

/* Open the store: required for --adversary and --with-intel, else only
 * when the file exists. */
static int open_store(wg_session *s, const wg_session_args *a, const cc_cli *cli)
{
	struct stat sb;
	cc_err e;

	if (stat(cli->db_path, &sb) != 0) {
		if (!a->adv && !a->need_store)
			return 0;
		cc_err_set(&e, CC_ENOTFOUND, "%s: no store (import ATT&CK with "
			   "'cybercell import' or use --adversary-file)", cli->db_path);
		return cmd_fail(&e);
	}
	if (store_open(cli->db_path, &s->st, &e) ||
	    wg_mitigations_from_store(s->st, &s->mit, &e))
		return cmd_fail(&e);
	return 0;
}

const wg_hardening *wg_session_harden(wg_session *s)
{
	wg_harden_opts o = { .mit = s->mit };
	cc_err e;

	if (!s->hardening)
		s->hardening = wg_harden(s->graph, &o, &e);
	return s->hardening;
}

int wg_session_open(wg_session *s, const wg_session_args *a, const cc_cli *cli)
{
	char buf[PATH_MAX + 32];
	cc_err e;
	int rc;

	memset(s, 0, sizeof(*s));
	s->model = wg_model_load(a->model, &e);
	if (!s->model)
		return cmd_fail(&e);
	s->rules = wg_rules_load_dir(a->rules ? a->rules
				     : wg_default_rules_dir(buf, sizeof(buf)), &e);
	if (!s->rules)
		return cmd_fail(&e);
	if ((rc = open_store(s, a, cli)))
		return rc;
	if (a->advfile)
		s->adv = wg_adversary_load_file(a->advfile, &e);
	else if (wg_adversary_from_store(s->st, a->adv, !a->no_software, &s->adv, &e))
		s->adv = NULL;
	if (!s->adv)
		return cmd_fail(&e);
	wg_coverage_of(s->adv, s->rules, &s->cov);
	s->graph = wg_graph_build(s->model, s->rules, s->adv, &e);
	if (!s->graph)
		return cmd_fail(&e);
	return 0;
}

void wg_session_close(wg_session *s)
{
	wg_hardening_free(s->hardening);
	wg_metrics_free(s->metrics);
	wg_graph_free(s->graph);
	wg_coverage_clear(&s->cov);
	wg_mitigations_free(s->mit);
	wg_adversary_free(s->adv);
	store_close(s->st);
	wg_rules_free(s->rules);
	wg_model_free(s->model);
	memset(s, 0, sizeof(*s));
}
