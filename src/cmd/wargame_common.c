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

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *wg_default_rules_dir(char *buf, size_t size)
{
	const char *env = getenv("CYBERCELL_RULES");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return env;
	if (is_dir("data/rules"))
		return "data/rules";
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		snprintf(buf, size, "%s/../data/rules", exe);
		if (is_dir(buf))
			return buf;
		snprintf(buf, size, "%s/../../data/rules", exe);
		if (is_dir(buf))
			return buf;
	}
	return "data/rules";
}

/* ---- the adversary from the store (an intrusion-set and what it uses) ---- */

typedef struct found {
	char *id[8];            /* candidate object ids (first 8) */
	char *name[8];
	size_t n;
} found;

static int found_row(const store_row *row, void *ud)
{
	found *f = ud;
	json_t *o;

	if (f->n < 8) {
		o = json_loadb(row->json, row->json_len, 0, NULL);
		f->id[f->n] = cc_xstrdup(row->id);
		f->name[f->n] = cc_xstrdup(o && json_is_string(json_object_get(o, "name"))
					   ? json_string_value(json_object_get(o, "name")) : row->id);
		json_decref(o);
	}
	f->n++;
	return 0;
}

static void found_clear(found *f)
{
	for (size_t i = 0; i < f->n && i < 8; i++) {
		free(f->id[i]);
		free(f->name[i]);
	}
	memset(f, 0, sizeof(*f));
}

/* Look the actor up by alias / exact name, then by name substring. */
static int lookup(store *s, const char *name, found *f, cc_err *e)
{
	static const char *const types[] = { "intrusion-set", "threat-actor", "campaign" };

	for (int pass = 0; pass < 2; pass++)
		for (int t = 0; t < 3; t++) {
			store_find_query q = { .type = types[t] };

			if (pass == 0)
				q.alias = name;
			else
				q.name = name;
			if (store_find(s, &q, found_row, f, e))
				return CC_ERR;
			if (f->n)
				return CC_OK;
		}
	return cc_err_set(e, CC_ENOTFOUND, "adversary '%s': no intrusion-set, "
			  "threat-actor or campaign has that name or alias", name);
}

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
	found f = { 0 };
	wg_adversary *a = NULL;
	store_find_query q = { .type = "attack-pattern", .relationship_type = "uses" };

	if (lookup(s, name, &f, e))
		goto out;
	if (f.n > 1) {
		cc_err_set(e, CC_ERR, "adversary '%s' is ambiguous: %s, %s%s", name,
			   f.name[0], f.name[1], f.n > 2 ? ", ..." : "");
		goto out;
	}
	a = wg_adversary_new(f.name[0]);
	q.related_to = f.id[0];
	if (store_find(s, &q, pattern_row, a, e)) {
		wg_adversary_free(a);
		a = NULL;
		goto out;
	}
	if (!a->ntechniques) {
		cc_err_set(e, CC_ERR, "adversary '%s' (%s): uses no ATT&CK technique "
			   "in the store", name, f.id[0]);
		wg_adversary_free(a);
		a = NULL;
	}
out:
	found_clear(&f);
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
