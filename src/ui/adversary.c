/*
 * adversary.c — GET /ui/api/adversary?id=ID: an intrusion-set (or
 * threat-actor, campaign) as the member may see it: the malware and tools
 * it uses, the ATT&CK techniques it and its software use (for the
 * matrix), every technique and tactic the member may see (the matrix
 * itself), and the graph of its relationships.
 */
#include "ui/ui_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_type(const char *id, const char *type)
{
	size_t n = strlen(type);

	return id && strncmp(id, type, n) == 0 && id[n] == '-' && id[n + 1] == '-';
}

/* A technique's row of the matrix: id, ATT&CK id, name, tactics. */
static json_t *technique_json(const json_t *o)
{
	json_t *t = ui_summary(o), *tactics = json_array(), *k;
	const char *x = ui_attack_id(o);
	size_t i;

	json_object_set_new(t, "attack_id", x ? json_string(x) : json_null());
	json_array_foreach(json_object_get(o, "kill_chain_phases"), i, k) {
		const char *chain = json_string_value(json_object_get(k, "kill_chain_name"));
		const char *phase = json_string_value(json_object_get(k, "phase_name"));

		if (phase && (!chain || strstr(chain, "attack")))
			json_array_append_new(tactics, json_string(phase));
	}
	json_object_set_new(t, "tactics", tactics);
	return t;
}

/* The relationships of each id in ids the member may see (id -> object). */
static int rels_of(const ui_req *r, json_t *ids, ui_objs *out, cc_err *e)
{
	size_t i;
	json_t *x;
	int rc = 0;

	json_array_foreach(ids, i, x) {
		store_find_query q = { .type = "relationship", .refers_to = json_string_value(x) };

		if ((rc = ui_find(r->s, r->view, &q, ui_objs_row, out, e)))
			break;
	}
	return rc;
}

/* Objects of ids the member may see, latest version, into out. */
static int objects(const ui_req *r, json_t *ids, ui_objs *out, cc_err *e)
{
	return ui_ids_json(r->s, r->view, ids, STORE_VER_LAST, ui_objs_row, out, e);
}

static void add_unique(json_t *arr, const char *s)
{
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x)
		if (strcasecmp(json_string_value(x), s) == 0)
			return;
	json_array_append_new(arr, json_string(s));
}

/* What the group uses: its software, and the techniques of each user
 * (techniques: attack-pattern id -> [names of the users]). */
typedef struct uses {
	json_t *software;                  /* [ids] */
	json_t *techniques;                /* id -> [user names] */
	json_t *edges;                     /* [{source,target,relationship_type,id}] */
} uses;

static void collect_uses(const char *user_id, const char *user_name, json_t *rels, uses *u)
{
	const char *k;
	json_t *x;

	json_object_foreach(rels, k, x) {
		const char *src = json_string_value(json_object_get(x, "source_ref"));
		const char *dst = json_string_value(json_object_get(x, "target_ref"));
		const char *rt = json_string_value(json_object_get(x, "relationship_type"));
		json_t *users, *edge;

		if (!src || !dst || !rt || strcasecmp(src, user_id) != 0)
			continue;
		edge = json_object();
		json_object_set_new(edge, "id", json_string(k));
		json_object_set_new(edge, "source", json_string(src));
		json_object_set_new(edge, "target", json_string(dst));
		json_object_set_new(edge, "relationship_type", json_string(rt));
		json_array_append_new(u->edges, edge);
		if (strcmp(rt, "uses") != 0)
			continue;
		if (is_type(dst, "malware") || is_type(dst, "tool"))
			add_unique(u->software, dst);
		if (!is_type(dst, "attack-pattern"))
			continue;
		users = json_object_get(u->techniques, dst);
		if (!users) {
			users = json_array();
			json_object_set_new(u->techniques, dst, users);
		}
		add_unique(users, user_name);
	}
}

/* The matrix: every live technique and the tactics in their order. */
static int matrix(const ui_req *r, json_t *j, cc_err *e)
{
	static const char *const types[] = { "attack-pattern", "x-mitre-tactic", "x-mitre-matrix" };
	json_t *techs = json_array(), *tactics = json_array(), *byid = json_object(), *order = NULL;
	const char *k;
	json_t *x;
	ui_objs all;
	size_t i;
	int rc;

	ui_objs_init_slim(&all, r->view, r->u);
	rc = ui_types(r->s, r->view, types, 3, ui_objs_row, &all, e);
	json_object_foreach(all.by_id, k, x) {
		const char *type = json_string_value(json_object_get(x, "type"));

		if (!ui_live(x))
			continue;
		if (strcmp(type, "attack-pattern") == 0) {
			json_array_append_new(techs, technique_json(x));
		} else if (strcmp(type, "x-mitre-tactic") == 0) {
			json_t *t = json_object();

			json_object_set(t, "shortname", json_object_get(x, "x_mitre_shortname"));
			json_object_set(t, "name", json_object_get(x, "name"));
			json_object_set(byid, k, t);
			json_decref(t);
		} else if (!order || strstr(ui_str(x, "name"), "Enterprise")) {
			order = json_object_get(x, "tactic_refs");
		}
	}
	json_array_foreach(order, i, x) {
		json_t *t = json_object_get(byid, json_string_value(x));

		if (t)
			json_array_append(tactics, t);
	}
	json_object_set_new(j, "matrix", techs);
	json_object_set_new(j, "tactics", tactics);
	json_decref(byid);
	ui_objs_clear(&all);
	return rc;
}

/* The graph: the group, what it uses and what is related to it, the
 * techniques of its software; nodes of ids the member cannot see carry
 * only their id (as ids never stored). */
static json_t *graph(const ui_req *r, const char *gid, json_t *grels, uses *u, cc_err *e,
		     int *rc)
{
	json_t *ids = json_array(), *g = json_object(), *nodes = json_array(), *x;
	const char *k;
	ui_objs o;
	size_t i;

	add_unique(ids, gid);
	json_object_foreach(grels, k, x) {	/* also what points at the group */
		const char *src = ui_str(x, "source_ref"), *dst = ui_str(x, "target_ref");
		json_t *edge;

		if (strcasecmp(dst, gid) != 0 || !*src)
			continue;
		edge = json_object();
		json_object_set_new(edge, "id", json_string(k));
		json_object_set_new(edge, "source", json_string(src));
		json_object_set_new(edge, "target", json_string(dst));
		json_object_set(edge, "relationship_type", json_object_get(x, "relationship_type"));
		json_array_append_new(u->edges, edge);
	}
	json_array_foreach(u->edges, i, x) {
		add_unique(ids, ui_str(x, "source"));
		add_unique(ids, ui_str(x, "target"));
	}
	ui_objs_init_slim(&o, r->view, r->u);
	*rc = objects(r, ids, &o, e);
	json_array_foreach(ids, i, x) {
		json_t *obj = json_object_get(o.by_id, json_string_value(x)), *n;

		if (obj) {
			n = ui_summary(obj);
		} else {
			n = json_object();
			json_object_set(n, "id", x);
		}
		json_array_append_new(nodes, n);
	}
	ui_objs_clear(&o);
	json_decref(ids);
	json_object_set_new(g, "nodes", nodes);
	json_object_set(g, "edges", u->edges);
	return g;
}

/* The techniques used, with who uses each (group or software name). */
static int used_techniques(const ui_req *r, uses *u, json_t *j, cc_err *e)
{
	json_t *ids = json_array(), *out = json_array(), *x;
	const char *k;
	ui_objs o;
	int rc;

	json_object_foreach(u->techniques, k, x)
		json_array_append_new(ids, json_string(k));
	ui_objs_init_slim(&o, r->view, r->u);
	rc = objects(r, ids, &o, e);
	json_object_foreach(o.by_id, k, x) {
		json_t *t, *by = NULL;
		const char *uk;
		json_t *uv;

		if (!ui_live(x))
			continue;
		json_object_foreach(u->techniques, uk, uv)
			if (strcasecmp(uk, k) == 0)
				by = uv;
		t = technique_json(x);
		json_object_set_new(t, "used_by", by ? json_incref(by) : json_array());
		json_array_append_new(out, t);
	}
	json_object_set_new(j, "techniques", out);
	ui_objs_clear(&o);
	json_decref(ids);
	return rc;
}

void ui_api_adversary(const ui_req *r, taxii_response *rs)
{
	const char *id = ui_arg(r->rq, "id"), *k;
	uses u = { json_array(), json_object(), json_array() };
	ui_objs grp, grels, sw, srels;
	json_t *group, *j = NULL, *ids = json_array(), *soft = json_array(), *x;
	int rc = 0;
	cc_err e;

	ui_objs_init(&grp, r->view);
	ui_objs_init_slim(&grels, r->view, r->u);
	ui_objs_init_slim(&sw, r->view, r->u);
	ui_objs_init_slim(&srels, r->view, r->u);
	if (!id || !*id || strlen(id) > 200) {
		ui_error(rs, 400, "id: the adversary's id");
		goto out;
	}
	json_array_append_new(ids, json_string(id));
	if (objects(r, ids, &grp, &e) != 0)
		goto fail;
	group = ui_objs_first(&grp);
	if (!ui_is_adversary(group)) {
		ui_error(rs, 404, "no adversary %s", id);
		goto out;
	}
	id = ui_str(group, "id");
	if (rels_of(r, ids, &grels, &e) != 0)
		goto fail;
	collect_uses(id, ui_str(group, "name"), grels.by_id, &u);
	if (objects(r, u.software, &sw, &e) != 0 || rels_of(r, u.software, &srels, &e) != 0)
		goto fail;
	json_object_foreach(sw.by_id, k, x) {
		collect_uses(k, ui_str(x, "name"), srels.by_id, &u);
		json_array_append_new(soft, ui_summary(x));
	}
	j = json_object();
	json_object_set_new(j, "group", ui_summary(group));
	json_object_set(j, "object", group);
	json_object_set(j, "software", soft);
	rc = used_techniques(r, &u, j, &e);
	if (rc == 0)
		json_object_set_new(j, "graph", graph(r, id, grels.by_id, &u, &e, &rc));
	if (rc == 0)
		rc = matrix(r, j, &e);
	if (rc)
		goto fail;
	ui_json(rs, 200, j);
	j = NULL;
	goto out;
fail:
	ui_error(rs, 500, "%s", e.msg);
out:
	json_decref(j);
	json_decref(ids);
	json_decref(soft);
	json_decref(u.software);
	json_decref(u.techniques);
	json_decref(u.edges);
	ui_objs_clear(&grp);
	ui_objs_clear(&grels);
	ui_objs_clear(&sw);
	ui_objs_clear(&srels);
}
