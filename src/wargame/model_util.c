/* model_util.c — freeing a model, name lookups, costs and names. */
#include <stdlib.h>

#include "wargame/wargame_int.h"

static double or_default(double own, double def)
{
	return own >= 0 ? own : def;
}

double wg_model_patch_cost(const wg_model *m, const wg_cve *c)
{
	return or_default(c->patch_cost, m->costs.patch);
}

double wg_model_mfa_cost(const wg_model *m, const wg_account *a)
{
	return or_default(a->mfa_cost, m->costs.mfa);
}

double wg_model_uncache_cost(const wg_model *m, const wg_account *a)
{
	return or_default(a->uncache_cost, m->costs.remove_cred);
}

double wg_model_block_cost(const wg_model *m, const wg_flow *f)
{
	return or_default(f->block_cost, m->costs.block_flow);
}

double wg_model_edr_cost(const wg_model *m, const wg_host *h)
{
	return or_default(h->edr_cost, m->costs.edr);
}

double wg_model_segment_cost(const wg_model *m, const wg_zone *z)
{
	return or_default(z->segment_cost, m->costs.segment);
}

double wg_model_password_cost(const wg_model *m, const wg_account *a)
{
	return or_default(a->password_cost, m->costs.password);
}

const char *wg_level_name(wg_level l)
{
	static const char *const n[] = { "none", "low", "medium", "high", "critical" };

	return (unsigned)l < 5 ? n[l] : "?";
}

const char *wg_account_kind_name(wg_account_kind k)
{
	static const char *const n[] = { "user", "admin", "domain_admin", "service" };

	return (unsigned)k < 4 ? n[k] : "?";
}

const char *wg_vuln_kind_name(wg_vuln_kind k)
{
	static const char *const n[] = { "remote", "local", "client", "auth" };

	return (unsigned)k < 4 ? n[k] : "?";
}

static void host_free(wg_host *h)
{
	for (size_t s = 0; s < h->nservices; s++) {
		wg_service *sv = &h->services[s];

		for (size_t c = 0; c < sv->ncves; c++)
			free(sv->cves[c].id);
		free(sv->cves);
		free(sv->name);
		free(sv->kind);
		free(sv->product);
		free(sv->version);
	}
	free(h->services);
	free(h->name);
	free(h->os);
	free(h->role);
}

void wg_model_free(wg_model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nzones; i++)
		free(m->zones[i].name);
	for (i = 0; i < m->nhosts; i++)
		host_free(&m->hosts[i]);
	for (i = 0; i < m->nflows; i++) {
		free(m->flows[i].name);
		free(m->flows[i].ports);
	}
	for (i = 0; i < m->naccounts; i++) {
		free(m->accounts[i].name);
		free(m->accounts[i].logon);
		free(m->accounts[i].cached);
	}
	for (i = 0; i < m->npeople; i++) {
		free(m->people[i].name);
		free(m->people[i].role);
		free(m->people[i].hosts);
	}
	for (i = 0; i < m->njewels; i++) {
		free(m->jewels[i].name);
		free(m->jewels[i].function);
	}
	free(m->zones);
	free(m->hosts);
	free(m->flows);
	free(m->accounts);
	free(m->people);
	free(m->jewels);
	if (m->priv) {
		wg_strmap_free(&m->priv->zones);
		wg_strmap_free(&m->priv->hosts);
		wg_strmap_free(&m->priv->accounts);
		wg_strmap_free(&m->priv->people);
		wg_strmap_free(&m->priv->jewels);
		free(m->priv);
	}
	free(m->path);
	free(m->name);
	free(m);
}

int wg_model_zone(const wg_model *m, const char *name)
{
	return wg_strmap_get(&m->priv->zones, name);
}

int wg_model_host(const wg_model *m, const char *name)
{
	return wg_strmap_get(&m->priv->hosts, name);
}

int wg_model_account(const wg_model *m, const char *name)
{
	return wg_strmap_get(&m->priv->accounts, name);
}
