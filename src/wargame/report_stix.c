/*
 * report_stix.c — the hardening advice as STIX 2.1: one course-of-action
 * per recommended change (the cheapest cut, then the best-ranked single
 * changes), each with `mitigates` relationships to the attack-patterns of
 * the techniques it hinders directly.  A technique is hindered directly by
 * a change when one of its rule instances loses a precondition that comes
 * from the model (or from the model through builtin derivations only), or
 * has its success probability lowered (wg_change_hinders).  A change that
 * carries out ATT&CK mitigations references them (external_references,
 * source mitre-attack, the M-id).
 *
 * Attack-pattern ids come from the store when it knows the technique;
 * otherwise they are UUIDv5 of "mitre-attack:<technique id>" in the STIX
 * namespace and the bundle carries the attack-pattern objects, so it
 * imports on its own.  Course-of-action ids are UUIDv5 of the model name
 * and the change, so re-running updates rather than duplicates them.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/time.h"
#include "util/uuid.h"
#include "util/xalloc.h"
#include "wargame/report_int.h"

#define MAX_RANKED 20

static void stix_id(const char *type, const char *name, char *out, size_t n)
{
	char u[CC_UUID_STR];

	cc_uuid5(cc_uuid_ns_stix, name, strlen(name), u);
	snprintf(out, n, "%s--%s", type, u);
}

typedef struct bundle {
	const wg_report_in *in;
	json_t *objs;
	json_t *aps;            /* technique -> attack-pattern id */
	char ts[CC_TS_MAX];
} bundle;

static const char *ap_ref(bundle *b, const wg_rule *ru)
{
	json_t *have = json_object_get(b->aps, ru->technique);
	char *sid = NULL, id[128], name[128];

	if (have)
		return json_string_value(have);
	if (b->in->store)
		sid = wg_store_attack_pattern_id(b->in->store, ru->technique);
	if (sid) {
		snprintf(id, sizeof(id), "%s", sid);
		free(sid);
	} else {
		snprintf(name, sizeof(name), "mitre-attack:%s", ru->technique);
		stix_id("attack-pattern", name, id, sizeof(id));
		json_array_append_new(b->objs, json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s}]}", "type", "attack-pattern",
			"spec_version", "2.1", "id", id, "created", b->ts, "modified", b->ts,
			"name", ru->name, "external_references", "source_name",
			"mitre-attack", "external_id", ru->technique));
	}
	json_object_set_new(b->aps, ru->technique, json_string(id));
	return json_string_value(json_object_get(b->aps, ru->technique));
}

/* External references to the ATT&CK mitigations of a mask. */
static json_t *mitigation_refs(unsigned mask)
{
	size_t n;
	const wg_mitigation *t = wg_mitigation_table(&n);
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		char url[128];

		if (!(mask & (1u << i)))
			continue;
		snprintf(url, sizeof(url), "https://attack.mitre.org/mitigations/%s", t[i].id);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "source_name",
			"mitre-attack", "external_id", t[i].id, "description", t[i].name,
			"url", url));
	}
	return a;
}

static void add_change(bundle *b, const wg_change *c, bool in_cut, json_t *seen)
{
	const wg_graph *g = b->in->g;
	uint8_t *hit = cc_xcalloc(g->rules->nrules + 1, 1);
	char key[1024], coa[128], rel[512];
	cc_buf d = CC_BUF_INIT;
	json_t *o;

	if (json_object_get(seen, c->label)) {
		free(hit);
		return;
	}
	json_object_set_new(seen, c->label, json_true());
	snprintf(key, sizeof(key), "cybercell-wargame:%s:%s",
		 g->model->name ? g->model->name : "", c->label);
	stix_id("course-of-action", key, coa, sizeof(coa));
	cc_buf_printf(&d, "War-game recommendation for %s%s: %s. Cost %.6g; risk "
		      "after this change alone %.6g (removes %.6g).",
		      g->model->name ? g->model->name : "the model",
		      in_cut ? " (part of the cheapest set that cuts every path "
			       "to the crown jewels)" : "",
		      c->label, c->cost, c->risk_after, c->risk_removed);
	if (c->mitigations) {
		cc_buf_puts(&d, " ATT&CK mitigation: ");
		wg_mitigations_text(c->mitigations, &d);
		cc_buf_putc(&d, '.');
	}
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "course-of-action",
		      "spec_version", "2.1", "id", coa, "created", b->ts, "modified", b->ts,
		      "name", c->label, "description", cc_buf_str(&d));
	if (c->mitigations)
		json_object_set_new(o, "external_references", mitigation_refs(c->mitigations));
	json_array_append_new(b->objs, o);
	cc_buf_free(&d);
	wg_change_hinders(g, c, hit);
	for (size_t r = 0; r < g->rules->nrules; r++) {
		const wg_rule *ru = &g->rules->rules[r];
		const char *ap;
		char rid[128];

		if (!hit[r])
			continue;
		ap = ap_ref(b, ru);
		snprintf(rel, sizeof(rel), "%s mitigates %s", coa, ap);
		stix_id("relationship", rel, rid, sizeof(rid));
		if (json_object_get(seen, rid))
			continue;
		json_object_set_new(seen, rid, json_true());
		json_array_append_new(b->objs, json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "relationship",
			"spec_version", "2.1", "id", rid, "created", b->ts, "modified", b->ts,
			"relationship_type", "mitigates", "source_ref", coa, "target_ref", ap));
	}
	free(hit);
}

char *wg_report_stix(const wg_report_in *in, int64_t now_us)
{
	bundle b = { .in = in, .objs = json_array(), .aps = json_object() };
	json_t *seen = json_object(), *root;
	const wg_hardening *h = in->hardening;
	char u[CC_UUID_STR], bid[64], *s;

	cc_ts_format(now_us, 3, b.ts);
	for (size_t i = 0; h && i < h->ncut; i++)
		add_change(&b, &h->cut[i], true, seen);
	for (size_t i = 0; h && i < h->nranked && i < MAX_RANKED; i++)
		add_change(&b, &h->ranked[i], false, seen);
	cc_uuid4(u);
	snprintf(bid, sizeof(bid), "bundle--%s", u);
	root = json_pack("{s:s,s:s,s:o}", "type", "bundle", "id", bid, "objects", b.objs);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	json_decref(b.aps);
	json_decref(seen);
	return s;
}
