/*
 * graph_base.c — the base facts a model gives (the predicates listed in
 * docs/wargame-rules.md) and the reachability instances built from flows:
 *   zreach(Z, D, Port) :- flowok(F)   zone Z may reach port Port of zone D
 *                                     (one fact per port some host of D serves)
 *   zreach(Z, Z, Port) :- flat(Z)     same zone, zone not segmented
 *   reach(Z, H, Port)  :- flowok(F)   zone Z may reach service H:Port
 *   hreach(S, H, Port) :- flowok(F)   host S may reach service H:Port
 * Zone-to-zone flows stay at zone level so that many subnets reaching a
 * large zone cost subnets + hosts, not subnets x hosts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wargame/graph_int.h"

typedef struct base {
	wg_graph *g;
	const wg_model *m;
	const wg_rules *r;
	int **zone_hosts;       /* zone -> host list */
	size_t *zone_nhosts;
	const char *cname[32];  /* predicate ids already looked up */
	int cid[32];
	int ncache;
} base;

static int pred(base *b, const char *name)
{
	int i;

	for (i = 0; i < b->ncache; i++)
		if (b->cname[i] == name || !strcmp(b->cname[i], name))
			return b->cid[i];
	if (b->ncache < 32) {
		b->cname[b->ncache] = name;
		b->cid[b->ncache++] = wg_rules_pred(b->r, name);
	}
	return wg_rules_pred(b->r, name);
}

/* Add a base fact pred(args...) given as symbols; returns its id. */
static int fact(base *b, const char *p, int n, int a0, int a1, int a2, int a3)
{
	int args[4] = { a0, a1, a2, a3 };
	bool added;

	return wg_fact_add(b->g, pred(b, p), n, args, true, &added);
}

static int portsym(base *b, int port)
{
	char s[16];

	snprintf(s, sizeof(s), "%d", port);
	return wg_sym(b->g, s);
}

static void host_facts(base *b, int hi)
{
	const wg_host *h = &b->m->hosts[hi];
	int hs = wg_sym(b->g, h->name);

	fact(b, "host", 1, hs, 0, 0, 0);
	fact(b, "zone", 2, hs, wg_sym(b->g, b->m->zones[h->zone].name), 0, 0);
	if (h->os)
		fact(b, "os", 2, hs, wg_sym(b->g, h->os), 0, 0);
	if (h->role)
		fact(b, "role", 2, hs, wg_sym(b->g, h->role), 0, 0);
	if (h->domain_joined)
		fact(b, "domain", 1, hs, 0, 0, 0);
	if (h->edr)
		fact(b, "edr", 1, hs, 0, 0, 0);
	if (h->monitored)
		fact(b, "monitored", 1, hs, 0, 0, 0);
	if (h->backup)
		fact(b, "backup", 1, hs, 0, 0, 0);
	for (size_t s = 0; s < h->nservices; s++) {
		const wg_service *sv = &h->services[s];
		int ps = portsym(b, sv->port);

		fact(b, "service", 3, hs, ps, wg_sym(b->g, sv->kind), 0);
		for (size_t c = 0; c < sv->ncves; c++)
			fact(b, "vuln", 4, hs, ps, wg_sym(b->g, sv->cves[c].id),
			     wg_sym(b->g, wg_vuln_kind_name(sv->cves[c].kind)));
	}
}

static void account_facts(base *b, int ai)
{
	const wg_account *a = &b->m->accounts[ai];
	int as = wg_sym(b->g, a->name);
	bool admin = a->kind != WG_ACC_USER;

	fact(b, "account", 2, as, wg_sym(b->g, wg_account_kind_name(a->kind)), 0, 0);
	if (!a->mfa)
		fact(b, "nomfa", 1, as, 0, 0, 0);
	if (a->weak_password)
		fact(b, "weakpw", 1, as, 0, 0, 0);
	if (a->person != WG_NONE)
		fact(b, "owner", 2, as, wg_sym(b->g, b->m->people[a->person].name), 0, 0);
	for (size_t i = 0; i < a->nlogon; i++) {
		int hs = wg_sym(b->g, b->m->hosts[a->logon[i]].name);

		fact(b, "logon", 2, as, hs, 0, 0);
		if (admin)
			fact(b, "admin", 2, as, hs, 0, 0);
	}
	if (a->kind == WG_ACC_DOMAIN_ADMIN)
		for (size_t h = 0; h < b->m->nhosts; h++)
			if (b->m->hosts[h].domain_joined) {
				int hs = wg_sym(b->g, b->m->hosts[h].name);

				fact(b, "logon", 2, as, hs, 0, 0);
				fact(b, "admin", 2, as, hs, 0, 0);
			}
	for (size_t i = 0; i < a->ncached; i++)
		fact(b, "cached", 2, as, wg_sym(b->g, b->m->hosts[a->cached[i]].name), 0, 0);
}

static void people_jewel_facts(base *b)
{
	const wg_model *m = b->m;

	for (size_t i = 0; i < m->npeople; i++) {
		int ps = wg_sym(b->g, m->people[i].name);

		if (m->people[i].email)
			fact(b, "email", 1, ps, 0, 0, 0);
		for (size_t h = 0; h < m->people[i].nhosts; h++)
			fact(b, "person", 2, ps,
			     wg_sym(b->g, m->hosts[m->people[i].hosts[h]].name), 0, 0);
	}
	for (size_t j = 0; j < m->njewels; j++) {
		const wg_jewel *jw = &m->jewels[j];
		int js = wg_sym(b->g, jw->name), hs = wg_sym(b->g, m->hosts[jw->host].name);

		if (jw->impact_c)
			fact(b, "jewel", 3, js, hs, wg_sym(b->g, "c"), 0);
		if (jw->impact_i)
			fact(b, "jewel", 3, js, hs, wg_sym(b->g, "i"), 0);
		if (jw->impact_a)
			fact(b, "jewel", 3, js, hs, wg_sym(b->g, "a"), 0);
	}
}

/* reach/hreach facts for every service of host hi allowed by the flow. */
static void reach_host(base *b, const char *p, int src, int why, const wg_flow *f, int hi)
{
	const wg_host *h = &b->m->hosts[hi];
	int hs = wg_sym(b->g, h->name);

	for (size_t s = 0; s < h->nservices; s++) {
		int port = h->services[s].port, args[3], id;
		bool ok = !f || !f->nports, added;

		if (!port)
			continue;       /* installed software, not a network service */
		for (size_t k = 0; f && k < f->nports && !ok; k++)
			ok = f->ports[k] == port;
		if (!ok)
			continue;
		args[0] = src;
		args[1] = hs;
		args[2] = portsym(b, port);
		id = wg_fact_add(b->g, pred(b, p), 3, args, false, &added);
		wg_inst_add(b->g, WG_NONE, id, &why, 1);
	}
}

/* zreach(Zs, Zd, Port) :- why, for each distinct service port of zone zd
 * the flow f allows (f NULL: every port). */
static void reach_zone(base *b, int src, int why, const wg_flow *f, int zd)
{
	int zs = wg_sym(b->g, b->m->zones[zd].name);
	int *seen = NULL;
	size_t nseen = 0;

	for (size_t i = 0; i < b->zone_nhosts[zd]; i++) {
		const wg_host *h = &b->m->hosts[b->zone_hosts[zd][i]];

		for (size_t s = 0; s < h->nservices; s++) {
			int port = h->services[s].port, args[3], id;
			bool ok = port && (!f || !f->nports), added, dup = false;

			for (size_t k = 0; port && f && k < f->nports && !ok; k++)
				ok = f->ports[k] == port;
			for (size_t k = 0; ok && k < nseen && !dup; k++)
				dup = seen[k] == port;
			if (!ok || dup)
				continue;
			seen = cc_xrealloc(seen, (nseen + 1) * sizeof(int));
			seen[nseen++] = port;
			args[0] = src;
			args[1] = zs;
			args[2] = portsym(b, port);
			id = wg_fact_add(b->g, pred(b, "zreach"), 3, args, false, &added);
			wg_inst_add(b->g, WG_NONE, id, &why, 1);
		}
	}
	free(seen);
}

static void flow_facts(base *b, int fi)
{
	const wg_flow *f = &b->m->flows[fi];
	const char *p = f->from.is_host ? "hreach" : "reach";
	int src = wg_sym(b->g, f->from.is_host ? b->m->hosts[f->from.index].name
					       : b->m->zones[f->from.index].name);
	int why = fact(b, "flowok", 1, b->g->priv->flow_sym[fi], 0, 0, 0);

	if (f->to.is_host) {
		reach_host(b, p, src, why, f, f->to.index);
		return;
	}
	if (!f->from.is_host) {
		reach_zone(b, src, why, f, f->to.index);
		return;
	}
	for (size_t i = 0; i < b->zone_nhosts[f->to.index]; i++)
		reach_host(b, p, src, why, f, b->zone_hosts[f->to.index][i]);
}

static void zone_facts(base *b, int zi)
{
	const wg_zone *z = &b->m->zones[zi];
	int zs = wg_sym(b->g, z->name), why;

	if (z->internet) {
		bool added;

		fact(b, "internet", 1, zs, 0, 0, 0);
		/* the attacker starts on every internet zone */
		why = wg_fact_add(b->g, b->g->priv->p_inzone, 1, &zs, true, &added);
		if (b->g->start == WG_NONE)
			b->g->start = why;
		return;
	}
	fact(b, "lan", 1, zs, 0, 0, 0);
	if (z->segmented)
		return;
	why = fact(b, "flat", 1, zs, 0, 0, 0);
	reach_zone(b, zs, why, NULL, zi);
}

/* symbol -> host / person / CVE tables, for instance parameters. */
static void entity_tables(base *b)
{
	wg_graph_priv *p = b->g->priv;
	const wg_model *m = b->m;

	p->nsym_host = p->nsym_ent = p->nsyms;
	p->sym_host = cc_xcalloc(p->nsyms, sizeof(int));
	p->sym_person = cc_xcalloc(p->nsyms, sizeof(int));
	p->sym_expl = cc_xcalloc(p->nsyms, sizeof(double));
	p->sym_cvss = cc_xcalloc(p->nsyms, sizeof(double));
	for (size_t i = 0; i < p->nsyms; i++) {
		p->sym_host[i] = p->sym_person[i] = WG_NONE;
		p->sym_expl[i] = p->sym_cvss[i] = -1;
	}
	p->host_plat = cc_xcalloc(m->nhosts + 1, sizeof(unsigned));
	for (size_t h = 0; h < m->nhosts; h++) {
		p->sym_host[wg_sym(b->g, m->hosts[h].name)] = (int)h;
		p->host_plat[h] = wg_os_platforms(m->hosts[h].os);
		for (size_t s = 0; s < m->hosts[h].nservices; s++)
			for (size_t c = 0; c < m->hosts[h].services[s].ncves; c++) {
				const wg_cve *cv = &m->hosts[h].services[s].cves[c];
				int cs = wg_sym(b->g, cv->id);

				if (p->sym_expl[cs] < 0) {
					p->sym_expl[cs] = cv->exploitability;
					p->sym_cvss[cs] = cv->cvss;
				}
			}
	}
	for (size_t i = 0; i < m->npeople; i++)
		p->sym_person[wg_sym(b->g, m->people[i].name)] = (int)i;
}

/* Intern every name first so the entity tables cover them. */
static void intern_names(base *b)
{
	const wg_model *m = b->m;
	wg_graph_priv *p = b->g->priv;

	for (size_t i = 0; i < m->nzones; i++)
		wg_sym(b->g, m->zones[i].name);
	for (size_t i = 0; i < m->nhosts; i++) {
		wg_sym(b->g, m->hosts[i].name);
		for (size_t s = 0; s < m->hosts[i].nservices; s++)
			for (size_t c = 0; c < m->hosts[i].services[s].ncves; c++)
				wg_sym(b->g, m->hosts[i].services[s].cves[c].id);
	}
	for (size_t i = 0; i < m->npeople; i++)
		wg_sym(b->g, m->people[i].name);
	p->flow_sym = cc_xcalloc(m->nflows, sizeof(int));
	for (size_t i = 0; i < m->nflows; i++) {
		char s[300];

		snprintf(s, sizeof(s), "%.200s#%zu", m->flows[i].name, i);
		p->flow_sym[i] = wg_sym(b->g, s);
	}
}

int wg_graph_base(wg_graph *g, cc_err *e)
{
	base b = { .g = g, .m = g->model, .r = g->rules };
	const wg_model *m = g->model;
	size_t i;

	(void)e;
	intern_names(&b);
	entity_tables(&b);
	b.zone_hosts = cc_xcalloc(m->nzones, sizeof(*b.zone_hosts));
	b.zone_nhosts = cc_xcalloc(m->nzones, sizeof(*b.zone_nhosts));
	for (i = 0; i < m->nhosts; i++)
		b.zone_nhosts[m->hosts[i].zone]++;
	for (i = 0; i < m->nzones; i++) {
		b.zone_hosts[i] = cc_xcalloc(b.zone_nhosts[i], sizeof(int));
		b.zone_nhosts[i] = 0;
	}
	for (i = 0; i < m->nhosts; i++) {
		int z = m->hosts[i].zone;

		b.zone_hosts[z][b.zone_nhosts[z]++] = (int)i;
	}
	for (i = 0; i < m->nhosts; i++)
		host_facts(&b, (int)i);
	for (i = 0; i < m->naccounts; i++)
		account_facts(&b, (int)i);
	people_jewel_facts(&b);
	for (i = 0; i < m->nzones; i++)
		zone_facts(&b, (int)i);
	for (i = 0; i < m->nflows; i++)
		flow_facts(&b, (int)i);
	for (i = 0; i < m->nzones; i++)
		free(b.zone_hosts[i]);
	free(b.zone_hosts);
	free(b.zone_nhosts);
	return CC_OK;
}
