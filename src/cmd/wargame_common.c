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

/* ---- the adversary from the store (an intrusion-set and what it uses) ---- */

static int pattern_row(const store_row *row, void *ud)
{
	wg_adversary *a = ud;
	json_t *o = json_loadb(row->json, row->json_len, 0, NULL);
	json_t *refs = o ? json_object_get(o, "external_references") : NULL;
	size_t i;
	json_t *r;

	json_array_foreach(refs, i, r) {
		const char *src = json_string_value(json_object_get(r, "source_name"));
		const char *eid = json_string_value(json_object_get(r, "external_id"));

		if (src && eid && !strcmp(src, "mitre-attack") && eid[0] == 'T')
			wg_adversary_add(a, eid, NULL);
	}
	json_decref(o);
	return 0;
}

static wg_adversary *adversary_from_store(store *s, const char *name, cc_err *e)
{
	static const char *const types[] = { "intrusion-set", "threat-actor", "campaign", NULL };
	const cmd_resolve r = { .what = "adversary", .types = types, .substring = true };
	char *id = NULL, *found = NULL;
	wg_adversary *a = NULL;
	store_find_query q = { .type = "attack-pattern", .relationship_type = "uses" };

	if (cmd_resolve_name(s, &r, name, &id, &found, e))
		goto out;
	a = wg_adversary_new(found);
	q.related_to = id;
	if (store_find(s, &q, pattern_row, a, e)) {
		wg_adversary_free(a);
		a = NULL;
		goto out;
	}
	if (!a->ntechniques) {
		cc_err_set(e, CC_ERR, "adversary '%s' (%s): uses no ATT&CK technique "
			   "in the store", name, id);
		wg_adversary_free(a);
		a = NULL;
	}
out:
	free(id);
	free(found);
	return a;
}

int wg_session_open(wg_session *s, const char *model_path, const char *adv_name,
		    const char *adv_file, const char *rules_dir, const cc_cli *cli)
{
	char buf[PATH_MAX + 32];
	cc_err e;

	memset(s, 0, sizeof(*s));
	s->model = wg_model_load(model_path, &e);
	if (!s->model)
		return cmd_fail(&e);
	s->rules = wg_rules_load_dir(rules_dir ? rules_dir
				     : wg_default_rules_dir(buf, sizeof(buf)), &e);
	if (!s->rules)
		return cmd_fail(&e);
	if (adv_file) {
		s->adv = wg_adversary_load_file(adv_file, &e);
	} else {
		store *st = NULL;
		struct stat sb;

		if (stat(cli->db_path, &sb) != 0) {
			cc_err_set(&e, CC_ENOTFOUND, "%s: no store (import ATT&CK with "
				   "'cybercell import' or use --adversary-file)", cli->db_path);
			return cmd_fail(&e);
		}
		if (store_open(cli->db_path, &st, &e) == CC_OK)
			s->adv = adversary_from_store(st, adv_name, &e);
		store_close(st);
	}
	if (!s->adv)
		return cmd_fail(&e);
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
	wg_adversary_free(s->adv);
	wg_rules_free(s->rules);
	wg_model_free(s->model);
	memset(s, 0, sizeof(*s));
}
