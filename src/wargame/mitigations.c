/*
 * mitigations.c — hardening changes as ATT&CK mitigations: a built-in
 * table of the mitigations a kind of change can be (ATT&CK ids and names),
 * the techniques a change hinders, and the hub's course-of-action objects
 * with their `mitigates` relationships, which confirm that a change is an
 * ATT&CK mitigation of the techniques it hinders.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/sim.h"

static const wg_mitigation table[] = {
	{ "M1051", "Update Software" },                 /* 0 */
	{ "M1032", "Multi-factor Authentication" },     /* 1 */
	{ "M1043", "Credential Access Protection" },    /* 2 */
	{ "M1026", "Privileged Account Management" },   /* 3 */
	{ "M1037", "Filter Network Traffic" },          /* 4 */
	{ "M1035", "Limit Access to Resource Over Network" }, /* 5 */
	{ "M1030", "Network Segmentation" },            /* 6 */
	{ "M1040", "Behavior Prevention on Endpoint" }, /* 7 */
	{ "M1049", "Antivirus/Antimalware" },           /* 8 */
	{ "M1050", "Exploit Protection" },              /* 9 */
	{ "M1027", "Password Policies" },               /* 10 */
};
#define NMIT (sizeof(table) / sizeof(table[0]))

const wg_mitigation *wg_mitigation_table(size_t *n)
{
	*n = NMIT;
	return table;
}

unsigned wg_change_kind_mitigations(wg_change_kind k)
{
	static const unsigned masks[WG_CH_KIND_COUNT] = {
		[WG_CH_PATCH] = 1u << 0,
		[WG_CH_MFA] = 1u << 1,
		[WG_CH_UNCACHE] = 1u << 2 | 1u << 3,
		[WG_CH_BLOCK_FLOW] = 1u << 4 | 1u << 5 | 1u << 6,
		[WG_CH_EDR] = 1u << 7 | 1u << 8 | 1u << 9,
		[WG_CH_SEGMENT] = 1u << 6,
		[WG_CH_PASSWORD] = 1u << 10,
	};

	return (unsigned)k < WG_CH_KIND_COUNT ? masks[k] : 0;
}

const char *wg_change_kind_name(wg_change_kind k)
{
	static const char *const names[WG_CH_KIND_COUNT] = { "patch", "mfa", "uncache",
		"block_flow", "edr", "segment", "password" };

	return (unsigned)k < WG_CH_KIND_COUNT ? names[k] : "?";
}

void wg_mitigations_text(unsigned mask, cc_buf *out)
{
	size_t n = 0;

	for (size_t i = 0; i < NMIT; i++)
		if (mask & (1u << i))
			cc_buf_printf(out, "%s%s %s", n++ ? ", " : "", table[i].id, table[i].name);
}

/* ---- which techniques a change hinders ---- */

void wg_change_hinders(const wg_graph *g, const wg_change *c, uint8_t *hit)
{
	uint8_t *weak = cc_xcalloc(g->nfacts + 1, 1);
	int *queue = cc_xcalloc(g->nfacts + 1, sizeof(int));
	double *pmul = cc_xmalloc((g->ninsts + 1) * sizeof(double));
	size_t qh = 0, qt = 0;

	for (size_t i = 0; i < g->ninsts; i++)
		pmul[i] = 1;
	wg_change_apply(g, c, weak, pmul);
	for (size_t f = 0; f < g->nfacts; f++)
		if (weak[f])
			queue[qt++] = (int)f;
	/* what builtins derive from a removed fact is weakened too; a
	 * technique instance using a weakened fact is hindered */
	while (qh < qt) {
		int f = queue[qh++];

		for (uint32_t u = g->uses_off[f]; u < g->uses_off[f + 1]; u++) {
			int i = g->uses[u], hd = g->insts[i].head;
			const wg_rule *ru = wg_graph_inst_rule(g, i);

			if (ru && ru->technique) {
				hit[g->insts[i].rule] = 1;
			} else if (!weak[hd]) {
				weak[hd] = 1;
				queue[qt++] = hd;
			}
		}
	}
	for (size_t i = 0; i < g->ninsts; i++)
		if (pmul[i] < 1 && g->insts[i].rule >= 0)
			hit[g->insts[i].rule] = 1;
	free(weak);
	free(queue);
	free(pmul);
}

/* ---- the hub's mitigations ---- */

struct wg_mitigations {
	char **techs[NMIT];     /* per table entry: the techniques it mitigates */
	size_t ntechs[NMIT];
};

bool wg_mitigations_cover(const wg_mitigations *m, size_t i, const char *technique)
{
	size_t tl = strlen(technique);

	if (!m || i >= NMIT)
		return false;
	for (size_t k = 0; k < m->ntechs[i]; k++) {
		const char *t = m->techs[i][k];

		if (!strcmp(t, technique) || (tl > 5 && strlen(t) == 5 && !strncmp(t, technique, 5)))
			return true;
	}
	return false;
}

void wg_mitigations_free(wg_mitigations *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < NMIT; i++) {
		for (size_t k = 0; k < m->ntechs[i]; k++)
			free(m->techs[i][k]);
		free(m->techs[i]);
	}
	free(m);
}

typedef struct collect {
	wg_mitigations *m;
	size_t i;
	char *coa;              /* the course-of-action's id (first match) */
} collect;

static int coa_row(const store_row *row, void *ud)
{
	collect *c = ud;

	if (!c->coa)
		c->coa = cc_xstrdup(row->id);
	return 1;
}

static int tech_row(const store_row *row, void *ud)
{
	collect *c = ud;
	json_t *o = json_loadb(row->json, row->json_len, 0, NULL), *refs, *r;
	size_t k;

	refs = json_object_get(o, "external_references");
	json_array_foreach(refs, k, r) {
		const char *src = json_string_value(json_object_get(r, "source_name"));
		const char *id = json_string_value(json_object_get(r, "external_id"));

		if (src && id && !strcmp(src, "mitre-attack") && wg_technique_id_ok(id)) {
			wg_mitigations *m = c->m;

			m->techs[c->i] = cc_xrealloc(m->techs[c->i],
						     (m->ntechs[c->i] + 1) * sizeof(char *));
			m->techs[c->i][m->ntechs[c->i]++] = cc_xstrdup(id);
			break;
		}
	}
	json_decref(o);
	return 0;
}

int wg_mitigations_from_store(store *s, wg_mitigations **out, cc_err *e)
{
	wg_mitigations *m = cc_xcalloc(1, sizeof(*m));
	size_t found = 0;
	int rc = CC_OK;

	*out = NULL;
	for (size_t i = 0; i < NMIT && rc == CC_OK; i++) {
		store_find_query q = { .type = "course-of-action", .external_id = table[i].id };
		collect c = { .m = m, .i = i };

		rc = store_find(s, &q, coa_row, &c, e);
		if (rc == CC_OK && c.coa) {
			store_find_query t = { .type = "attack-pattern", .related_to = c.coa,
					       .relationship_type = "mitigates" };

			found++;
			rc = store_find(s, &t, tech_row, &c, e);
		}
		free(c.coa);
	}
	if (rc || !found) {
		wg_mitigations_free(m);
		return rc;
	}
	*out = m;
	return CC_OK;
}
