/*
 * model.c — loading a network model from YAML (docs/wargame-model.md).
 *
 * The top-level sections are read in dependency order (zones, hosts,
 * people, accounts, flows, jewels) whatever their order in the file, so
 * every reference can be checked against what is already loaded.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/file.h"
#include "wargame/wargame_int.h"

typedef struct ld {
	wgy y;
	wg_model *m;
} ld;

#define PATH_MAX_LEN WG_PATH_MAX

/* Grow an array of elements of size sz to hold n+1. */
static void *grow(void *arr, size_t n, size_t sz)
{
	if ((n & (n - 1)) == 0)     /* n is 0 or a power of two: double */
		arr = cc_xrealloc(arr, (n ? n * 2 : 1) * sz);
	return arr;
}

static int level_parse(ld *l, yaml_node_t *n, const char *path, wg_level *out)
{
	const char *s = wgy_scalar(n);

	for (int i = WG_LVL_NONE; s && i <= WG_LVL_CRITICAL; i++)
		if (!strcmp(s, wg_level_name((wg_level)i))) {
			*out = (wg_level)i;
			return CC_OK;
		}
	return wgy_fail(&l->y, n, path, "expected none, low, medium, high or critical");
}

/* A host or zone name list: each item names a host, or a zone meaning all
 * its hosts.  Appends host indexes to *arr. */
static int host_list(ld *l, yaml_node_t *n, const char *path, int **arr, size_t *cnt)
{
	yaml_node_item_t *it;
	char p[PATH_MAX_LEN];

	if (wgy_want_seq(&l->y, n, path))
		return CC_ERR;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = wgy_node(&l->y, *it);
		const char *s = wgy_scalar(v);
		int h, z;

		wg_pathf(p, "%s[%d]", path, (int)(it - n->data.sequence.items.start));
		if (!s)
			return wgy_fail(&l->y, v, p, "expected a host or zone name");
		h = wg_strmap_get(&l->m->priv->hosts, s);
		z = wg_strmap_get(&l->m->priv->zones, s);
		if (h == WG_NONE && z == WG_NONE)
			return wgy_fail(&l->y, v, p, "no host or zone named '%s'", s);
		if (h != WG_NONE) {
			*arr = grow(*arr, *cnt, sizeof(**arr));
			(*arr)[(*cnt)++] = h;
			continue;
		}
		for (size_t i = 0; i < l->m->nhosts; i++)
			if (l->m->hosts[i].zone == z) {
				*arr = grow(*arr, *cnt, sizeof(**arr));
				(*arr)[(*cnt)++] = (int)i;
			}
	}
	return CC_OK;
}

/* Read a name that must be new in map; registers it under index idx. */
static int new_name(ld *l, yaml_node_t *n, const char *path, wg_strmap *map,
		    int idx, char **out)
{
	if (!n)
		return wgy_fail(&l->y, NULL, path, "missing 'name'");
	if (wgy_str(&l->y, n, path, out))
		return CC_ERR;
	if (wg_strmap_get(map, *out) != WG_NONE) {
		wgy_fail(&l->y, n, path, "duplicate name '%s'", *out);
		free(*out);
		*out = NULL;
		return CC_ERR;
	}
	wg_strmap_put(map, *out, idx);
	return CC_OK;
}

static void set_pos(wg_pos *p, yaml_node_t *n)
{
	p->line = (int)n->start_mark.line + 1;
	p->col = (int)n->start_mark.column + 1;
}

/* Iterate a sequence section, calling fn for each item. */
typedef int (*item_fn)(ld *l, yaml_node_t *n, const char *path, size_t i);

static int each_item(ld *l, yaml_node_t *n, const char *section, item_fn fn)
{
	yaml_node_item_t *it;
	char p[PATH_MAX_LEN];

	if (!n)
		return CC_OK;
	if (wgy_want_seq(&l->y, n, section))
		return CC_ERR;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		size_t i = (size_t)(it - n->data.sequence.items.start);

		wg_pathf(p, "%s[%zu]", section, i);
		if (fn(l, wgy_node(&l->y, *it), p, i))
			return CC_ERR;
	}
	return CC_OK;
}

/* Optional number / bool / string fields: only read when present. */
static int opt_num(ld *l, yaml_node_t *n, const char *path, const char *key,
		   double lo, double hi, double *out)
{
	char p[PATH_MAX_LEN];

	if (!n)
		return CC_OK;
	wg_pathf(p, "%s.%s", path, key);
	return wgy_num(&l->y, n, p, lo, hi, out);
}

/* A cost: a number >= 0, or `never` (the change is impossible: INFINITY). */
static int opt_cost(ld *l, yaml_node_t *n, const char *path, const char *key, double *out)
{
	const char *s = wgy_scalar(n);
	char p[PATH_MAX_LEN], *end = NULL;

	if (!n)
		return CC_OK;
	if (s && !strcmp(s, "never")) {
		*out = INFINITY;
		return CC_OK;
	}
	wg_pathf(p, "%s.%s", path, key);
	if (s && *s && (strtod(s, &end), *end == '\0'))
		return wgy_num(&l->y, n, p, 0, 1e12, out);
	return wgy_fail(&l->y, n, p, "expected a cost (a number >= 0) or 'never'");
}

static int opt_bool(ld *l, yaml_node_t *n, const char *path, const char *key, bool *out)
{
	char p[PATH_MAX_LEN];

	if (!n)
		return CC_OK;
	wg_pathf(p, "%s.%s", path, key);
	return wgy_bool(&l->y, n, p, out);
}

static int opt_str(ld *l, yaml_node_t *n, const char *path, const char *key, char **out)
{
	char p[PATH_MAX_LEN];

	if (!n)
		return CC_OK;
	wg_pathf(p, "%s.%s", path, key);
	return wgy_str(&l->y, n, p, out);
}

/* ---- zones ---- */

static int zone_item(ld *l, yaml_node_t *n, const char *path, size_t i)
{
	static const char *const keys[] = { "name", "internet", "segmented",
		"segment_cost", NULL };
	yaml_node_t *v[4];
	wg_model *m = l->m;
	wg_zone *z;
	char p[PATH_MAX_LEN];

	(void)i;
	if (wgy_keys(&l->y, n, path, keys, v))
		return CC_ERR;
	m->zones = grow(m->zones, m->nzones, sizeof(*m->zones));
	z = &m->zones[m->nzones];
	memset(z, 0, sizeof(*z));
	z->segment_cost = -1;
	set_pos(&z->pos, n);
	wg_pathf(p, "%s.name", path);
	if (v[0] && wgy_scalar(v[0]) && !strcmp(wgy_scalar(v[0]), "internet"))
		return wgy_fail(&l->y, v[0], p, "the zone 'internet' is predefined");
	if (new_name(l, v[0], p, &m->priv->zones, (int)m->nzones, &z->name))
		return CC_ERR;
	m->nzones++;
	if (opt_bool(l, v[1], path, "internet", &z->internet) ||
	    opt_bool(l, v[2], path, "segmented", &z->segmented) ||
	    opt_cost(l, v[3], path, "segment_cost", &z->segment_cost))
		return CC_ERR;
	return CC_OK;
}

/* ---- hosts ---- */

static int cve_parse(ld *l, yaml_node_t *n, const char *path, wg_cve *c)
{
	static const char *const keys[] = { "id", "cvss", "exploitability", "kind",
		"patch_cost", NULL };
	static const char *const kinds[] = { "remote", "local", "client", "auth" };
	yaml_node_t *v[5];
	char p[PATH_MAX_LEN];
	const char *s;
	int k;

	memset(c, 0, sizeof(*c));
	c->exploitability = 0.5;
	c->cvss = 7.5;
	c->patch_cost = -1;
	set_pos(&c->pos, n);
	if (wgy_keys(&l->y, n, path, keys, v))
		return CC_ERR;
	wg_pathf(p, "%s.id", path);
	if (!v[0])
		return wgy_fail(&l->y, n, path, "missing 'id'");
	if (wgy_str(&l->y, v[0], p, &c->id))
		return CC_ERR;
	if (opt_num(l, v[1], path, "cvss", 0, 10, &c->cvss) ||
	    opt_num(l, v[2], path, "exploitability", 0, 1, &c->exploitability) ||
	    opt_cost(l, v[4], path, "patch_cost", &c->patch_cost))
		return CC_ERR;
	if (v[3]) {
		s = wgy_scalar(v[3]);
		for (k = 0; s && k < 4; k++)
			if (!strcmp(s, kinds[k]))
				break;
		wg_pathf(p, "%s.kind", path);
		if (!s || k == 4)
			return wgy_fail(&l->y, v[3], p, "expected remote, local, client or auth");
		c->kind = (wg_vuln_kind)k;
	}
	return CC_OK;
}

/* A network service, or (software) installed software without a port. */
static int service_parse(ld *l, yaml_node_t *n, const char *path, wg_service *s,
			 bool software)
{
	static const char *const keys[] = { "name", "kind", "port", "product",
		"version", "cves", NULL };
	static const char *const skeys[] = { "name", "product", "version", "cves", NULL };
	yaml_node_t *v[6] = { NULL }, *sv[4];
	char p[PATH_MAX_LEN];
	yaml_node_item_t *it;

	memset(s, 0, sizeof(*s));
	set_pos(&s->pos, n);
	if (software) {
		if (wgy_keys(&l->y, n, path, skeys, sv))
			return CC_ERR;
		v[0] = sv[0];
		v[3] = sv[1];
		v[4] = sv[2];
		v[5] = sv[3];
		s->kind = cc_xstrdup("software");
	} else {
		if (wgy_keys(&l->y, n, path, keys, v))
			return CC_ERR;
		if (!v[2])
			return wgy_fail(&l->y, n, path, "missing 'port'");
		wg_pathf(p, "%s.port", path);
		if (wgy_int(&l->y, v[2], p, 1, 65535, &s->port))
			return CC_ERR;
	}
	if (opt_str(l, v[0], path, "name", &s->name) ||
	    opt_str(l, v[1], path, "kind", &s->kind) ||
	    opt_str(l, v[3], path, "product", &s->product) ||
	    opt_str(l, v[4], path, "version", &s->version))
		return CC_ERR;
	if (!s->kind)
		s->kind = cc_xstrdup("other");
	if (!s->name)
		s->name = cc_xstrdup(s->kind);
	if (!v[5])
		return CC_OK;
	wg_pathf(p, "%s.cves", path);
	if (wgy_want_seq(&l->y, v[5], p))
		return CC_ERR;
	for (it = v[5]->data.sequence.items.start; it < v[5]->data.sequence.items.top; it++) {
		wg_pathf(p, "%s.cves[%zu]", path, s->ncves);
		s->cves = grow(s->cves, s->ncves, sizeof(*s->cves));
		if (cve_parse(l, wgy_node(&l->y, *it), p, &s->cves[s->ncves++]))
			return CC_ERR;
	}
	return CC_OK;
}

static int edr_parse(ld *l, yaml_node_t *n, const char *path, wg_host *h)
{
	static const char *const keys[] = { "detect", "prevent", "cost", NULL };
	yaml_node_t *v[3];
	char p[PATH_MAX_LEN];

	wg_pathf(p, "%s.edr", path);
	if (n->type == YAML_SCALAR_NODE)
		return wgy_bool(&l->y, n, p, &h->edr);
	if (wgy_keys(&l->y, n, p, keys, v))
		return CC_ERR;
	h->edr = true;
	return opt_num(l, v[0], p, "detect", 0, 1, &h->edr_detect) ||
	       opt_num(l, v[1], p, "prevent", 0, 1, &h->edr_prevent) ||
	       opt_cost(l, v[2], p, "cost", &h->edr_cost) ? CC_ERR : CC_OK;
}

static int host_item(ld *l, yaml_node_t *n, const char *path, size_t i)
{
	static const char *const keys[] = { "name", "zone", "os", "role", "value",
		"domain_joined", "edr", "backup", "monitored", "services", "software",
		NULL };
	yaml_node_t *v[11];
	wg_model *m = l->m;
	wg_host *h;
	char p[PATH_MAX_LEN];
	yaml_node_item_t *it;

	(void)i;
	if (wgy_keys(&l->y, n, path, keys, v))
		return CC_ERR;
	m->hosts = grow(m->hosts, m->nhosts, sizeof(*m->hosts));
	h = &m->hosts[m->nhosts];
	memset(h, 0, sizeof(*h));
	set_pos(&h->pos, n);
	h->edr_detect = m->controls.default_edr_detect;
	h->edr_prevent = m->controls.default_edr_prevent;
	h->edr_cost = -1;
	h->monitored = true;
	h->value = 1;
	wg_pathf(p, "%s.name", path);
	if (new_name(l, v[0], p, &m->priv->hosts, (int)m->nhosts, &h->name))
		return CC_ERR;
	m->nhosts++;
	if (wg_strmap_get(&m->priv->zones, h->name) != WG_NONE)
		return wgy_fail(&l->y, v[0], p, "'%s' is already a zone name", h->name);
	wg_pathf(p, "%s.zone", path);
	if (!v[1])
		return wgy_fail(&l->y, n, path, "missing 'zone'");
	if (!wgy_scalar(v[1]) ||
	    (h->zone = wg_strmap_get(&m->priv->zones, wgy_scalar(v[1]))) == WG_NONE)
		return wgy_fail(&l->y, v[1], p, "no zone named '%s'",
				wgy_scalar(v[1]) ? wgy_scalar(v[1]) : "");
	if (opt_str(l, v[2], path, "os", &h->os) ||
	    opt_str(l, v[3], path, "role", &h->role) ||
	    opt_num(l, v[4], path, "value", 0, 1e15, &h->value) ||
	    opt_bool(l, v[5], path, "domain_joined", &h->domain_joined) ||
	    (v[6] && edr_parse(l, v[6], path, h)) ||
	    opt_bool(l, v[7], path, "backup", &h->backup) ||
	    opt_bool(l, v[8], path, "monitored", &h->monitored))
		return CC_ERR;
	for (int k = 9; k <= 10; k++) {
		const char *sec = k == 9 ? "services" : "software";
		size_t idx = 0;

		if (!v[k])
			continue;
		wg_pathf(p, "%s.%s", path, sec);
		if (wgy_want_seq(&l->y, v[k], p))
			return CC_ERR;
		for (it = v[k]->data.sequence.items.start;
		     it < v[k]->data.sequence.items.top; it++) {
			wg_pathf(p, "%s.%s[%zu]", path, sec, idx++);
			h->services = grow(h->services, h->nservices, sizeof(*h->services));
			if (service_parse(l, wgy_node(&l->y, *it), p,
					  &h->services[h->nservices++], k == 10))
				return CC_ERR;
		}
	}
	return CC_OK;
}

/* ---- people ---- */

static int person_item(ld *l, yaml_node_t *n, const char *path, size_t i)
{
	static const char *const keys[] = { "name", "role", "susceptibility",
		"email", "hosts", NULL };
	yaml_node_t *v[5];
	wg_model *m = l->m;
	wg_person *pe;
	char p[PATH_MAX_LEN];

	(void)i;
	if (wgy_keys(&l->y, n, path, keys, v))
		return CC_ERR;
	m->people = grow(m->people, m->npeople, sizeof(*m->people));
	pe = &m->people[m->npeople];
	memset(pe, 0, sizeof(*pe));
	set_pos(&pe->pos, n);
	pe->susceptibility = 0.2;
	pe->email = true;
	wg_pathf(p, "%s.name", path);
	if (new_name(l, v[0], p, &m->priv->people, (int)m->npeople, &pe->name))
		return CC_ERR;
	m->npeople++;
	wg_pathf(p, "%s.hosts", path);
	return opt_str(l, v[1], path, "role", &pe->role) ||
	       opt_num(l, v[2], path, "susceptibility", 0, 1, &pe->susceptibility) ||
	       opt_bool(l, v[3], path, "email", &pe->email) ||
	       (v[4] && host_list(l, v[4], p, &pe->hosts, &pe->nhosts)) ? CC_ERR : CC_OK;
}

/* ---- accounts ---- */

static int account_item(ld *l, yaml_node_t *n, const char *path, size_t i)
{
	static const char *const keys[] = { "name", "kind", "person", "logon",
		"cached", "mfa", "weak_password", "mfa_cost", "uncache_cost",
		"password_cost", NULL };
	static const char *const kinds[] = { "user", "admin", "domain_admin", "service" };
	yaml_node_t *v[10];
	wg_model *m = l->m;
	wg_account *a;
	char p[PATH_MAX_LEN];
	const char *s;
	int k;

	(void)i;
	if (wgy_keys(&l->y, n, path, keys, v))
		return CC_ERR;
	m->accounts = grow(m->accounts, m->naccounts, sizeof(*m->accounts));
	a = &m->accounts[m->naccounts];
	memset(a, 0, sizeof(*a));
	set_pos(&a->pos, n);
	a->person = WG_NONE;
	a->mfa_cost = a->uncache_cost = a->password_cost = -1;
	wg_pathf(p, "%s.name", path);
	if (new_name(l, v[0], p, &m->priv->accounts, (int)m->naccounts, &a->name))
		return CC_ERR;
	m->naccounts++;
	if (v[1]) {
		s = wgy_scalar(v[1]);
		for (k = 0; s && k < 4; k++)
			if (!strcmp(s, kinds[k]))
				break;
		wg_pathf(p, "%s.kind", path);
		if (!s || k == 4)
			return wgy_fail(&l->y, v[1], p,
					"expected user, admin, domain_admin or service");
		a->kind = (wg_account_kind)k;
	}
	if (v[2]) {
		wg_pathf(p, "%s.person", path);
		s = wgy_scalar(v[2]);
		if (!s || (a->person = wg_strmap_get(&m->priv->people, s)) == WG_NONE)
			return wgy_fail(&l->y, v[2], p, "no person named '%s'", s ? s : "");
	}
	wg_pathf(p, "%s.logon", path);
	if (v[3] && host_list(l, v[3], p, &a->logon, &a->nlogon))
		return CC_ERR;
	wg_pathf(p, "%s.cached", path);
	if (v[4] && host_list(l, v[4], p, &a->cached, &a->ncached))
		return CC_ERR;
	return opt_bool(l, v[5], path, "mfa", &a->mfa) ||
	       opt_bool(l, v[6], path, "weak_password", &a->weak_password) ||
	       opt_cost(l, v[7], path, "mfa_cost", &a->mfa_cost) ||
	       opt_cost(l, v[8], path, "uncache_cost", &a->uncache_cost) ||
	       opt_cost(l, v[9], path, "password_cost", &a->password_cost)
	       ? CC_ERR : CC_OK;
}

/* ---- flows ---- */

static int endpoint(ld *l, yaml_node_t *n, const char *path, wg_endpoint *ep)
{
	const char *s = wgy_scalar(n);
	int i;

	if (!s)
		return wgy_fail(&l->y, n, path, "expected a zone or host name");
	if ((i = wg_strmap_get(&l->m->priv->zones, s)) != WG_NONE) {
		ep->is_host = false;
		ep->index = i;
		return CC_OK;
	}
	if ((i = wg_strmap_get(&l->m->priv->hosts, s)) != WG_NONE) {
		ep->is_host = true;
		ep->index = i;
		return CC_OK;
	}
	return wgy_fail(&l->y, n, path, "no zone or host named '%s'", s);
}

static int flow_ports(ld *l, yaml_node_t *n, const char *path, wg_flow *f)
{
	yaml_node_item_t *it;
	char p[PATH_MAX_LEN];
	const char *s = wgy_scalar(n);

	if (s && !strcmp(s, "any"))
		return CC_OK;
	if (s) {        /* a single port */
		f->ports = cc_xcalloc(1, sizeof(int));
		f->nports = 1;
		return wgy_int(&l->y, n, path, 1, 65535, &f->ports[0]);
	}
	if (wgy_want_seq(&l->y, n, path))
		return CC_ERR;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		wg_pathf(p, "%s[%zu]", path, f->nports);
		f->ports = grow(f->ports, f->nports, sizeof(*f->ports));
		if (wgy_int(&l->y, wgy_node(&l->y, *it), p, 1, 65535, &f->ports[f->nports++]))
			return CC_ERR;
	}
	if (!f->nports)
		return wgy_fail(&l->y, n, path, "empty port list (write 'any' for all ports)");
	return CC_OK;
}

static int flow_item(ld *l, yaml_node_t *n, const char *path, size_t i)
{
	static const char *const keys[] = { "name", "from", "to", "ports",
		"block_cost", "critical", NULL };
	yaml_node_t *v[6];
	wg_model *m = l->m;
	wg_flow *f;
	char p[PATH_MAX_LEN];

	(void)i;
	if (wgy_keys(&l->y, n, path, keys, v))
		return CC_ERR;
	m->flows = grow(m->flows, m->nflows, sizeof(*m->flows));
	f = &m->flows[m->nflows++];
	memset(f, 0, sizeof(*f));
	set_pos(&f->pos, n);
	f->block_cost = -1;
	if (!v[1] || !v[2])
		return wgy_fail(&l->y, n, path, "missing '%s'", v[1] ? "to" : "from");
	wg_pathf(p, "%s.from", path);
	if (endpoint(l, v[1], p, &f->from))
		return CC_ERR;
	wg_pathf(p, "%s.to", path);
	if (endpoint(l, v[2], p, &f->to))
		return CC_ERR;
	wg_pathf(p, "%s.ports", path);
	if ((v[3] && flow_ports(l, v[3], p, f)) ||
	    opt_str(l, v[0], path, "name", &f->name) ||
	    opt_cost(l, v[4], path, "block_cost", &f->block_cost) ||
	    opt_bool(l, v[5], path, "critical", &f->critical))
		return CC_ERR;
	if (!f->name) {
		cc_buf b = CC_BUF_INIT;

		cc_buf_printf(&b, "%s->%s", wgy_scalar(v[1]), wgy_scalar(v[2]));
		f->name = cc_buf_take(&b, NULL);
	}
	return CC_OK;
}

/* ---- jewels ---- */

static int impact_parse(ld *l, yaml_node_t *n, const char *path, wg_jewel *j)
{
	static const char *const keys[] = { "confidentiality", "integrity",
		"availability", NULL };
	yaml_node_t *v[3];
	char p[PATH_MAX_LEN];
	wg_level *out[3] = { &j->impact_c, &j->impact_i, &j->impact_a };

	if (wgy_keys(&l->y, n, path, keys, v))
		return CC_ERR;
	for (int k = 0; k < 3; k++) {
		wg_pathf(p, "%s.%s", path, keys[k]);
		if (v[k] && level_parse(l, v[k], p, out[k]))
			return CC_ERR;
	}
	if (!j->impact_c && !j->impact_i && !j->impact_a)
		return wgy_fail(&l->y, n, path, "at least one impact must be above none");
	return CC_OK;
}

static int jewel_item(ld *l, yaml_node_t *n, const char *path, size_t i)
{
	static const char *const keys[] = { "name", "host", "function", "impact",
		"value", NULL };
	yaml_node_t *v[5];
	wg_model *m = l->m;
	wg_jewel *j;
	char p[PATH_MAX_LEN];
	const char *s;

	(void)i;
	if (wgy_keys(&l->y, n, path, keys, v))
		return CC_ERR;
	m->jewels = grow(m->jewels, m->njewels, sizeof(*m->jewels));
	j = &m->jewels[m->njewels];
	memset(j, 0, sizeof(*j));
	set_pos(&j->pos, n);
	j->value = 1;
	j->impact_c = j->impact_i = j->impact_a = WG_LVL_HIGH;
	wg_pathf(p, "%s.name", path);
	if (new_name(l, v[0], p, &m->priv->jewels, (int)m->njewels, &j->name))
		return CC_ERR;
	m->njewels++;
	wg_pathf(p, "%s.host", path);
	if (!v[1])
		return wgy_fail(&l->y, n, path, "missing 'host'");
	s = wgy_scalar(v[1]);
	if (!s || (j->host = wg_strmap_get(&m->priv->hosts, s)) == WG_NONE)
		return wgy_fail(&l->y, v[1], p, "no host named '%s'", s ? s : "");
	if (v[3]) {
		wg_pathf(p, "%s.impact", path);
		j->impact_c = j->impact_i = j->impact_a = WG_LVL_NONE;
		if (impact_parse(l, v[3], p, j))
			return CC_ERR;
	}
	return opt_str(l, v[2], path, "function", &j->function) ||
	       opt_num(l, v[4], path, "value", 0, 1e15, &j->value) ? CC_ERR : CC_OK;
}

/* ---- controls and costs ---- */

static int controls_parse(ld *l, yaml_node_t *n)
{
	static const char *const keys[] = { "email_filtering", "patch_cadence_days",
		"monitoring", "monitor_detect", "response_hours", "backups",
		"restore_hours", "edr_detect", "edr_prevent", NULL };
	yaml_node_t *v[9];
	wg_controls *c = &l->m->controls;
	const char *p = "controls";

	if (wgy_keys(&l->y, n, p, keys, v))
		return CC_ERR;
	return opt_num(l, v[0], p, keys[0], 0, 1, &c->email_filtering) ||
	       opt_num(l, v[1], p, keys[1], 0, 36500, &c->patch_cadence_days) ||
	       opt_bool(l, v[2], p, keys[2], &c->monitoring) ||
	       opt_num(l, v[3], p, keys[3], 0, 1, &c->monitor_detect) ||
	       opt_num(l, v[4], p, keys[4], 0, 1e6, &c->response_hours) ||
	       opt_bool(l, v[5], p, keys[5], &c->backups) ||
	       opt_num(l, v[6], p, keys[6], 0, 1e6, &c->restore_hours) ||
	       opt_num(l, v[7], p, keys[7], 0, 1, &c->default_edr_detect) ||
	       opt_num(l, v[8], p, keys[8], 0, 1, &c->default_edr_prevent)
	       ? CC_ERR : CC_OK;
}

static int costs_parse(ld *l, yaml_node_t *n)
{
	static const char *const keys[] = { "patch", "mfa", "remove_cred",
		"block_flow", "edr", "segment", "password", NULL };
	yaml_node_t *v[7];
	wg_costs *c = &l->m->costs;
	double *out[7] = { &c->patch, &c->mfa, &c->remove_cred, &c->block_flow,
			   &c->edr, &c->segment, &c->password };

	if (wgy_keys(&l->y, n, "costs", keys, v))
		return CC_ERR;
	for (int k = 0; k < 7; k++)
		if (opt_cost(l, v[k], "costs", keys[k], out[k]))
			return CC_ERR;
	return CC_OK;
}

static void defaults(wg_model *m)
{
	wg_controls *c = &m->controls;
	wg_zone *z;

	c->email_filtering = 0.5;
	c->patch_cadence_days = 30;
	c->monitoring = true;
	c->monitor_detect = 0.1;
	c->response_hours = 24;
	c->backups = false;
	c->restore_hours = 48;
	c->default_edr_detect = 0.6;
	c->default_edr_prevent = 0.3;
	m->costs = (wg_costs){ .patch = 2, .mfa = 1, .remove_cred = 1,
			       .block_flow = 3, .edr = 5, .segment = 20, .password = 1 };
	m->zones = grow(NULL, 0, sizeof(*m->zones));
	z = &m->zones[0];
	memset(z, 0, sizeof(*z));
	z->name = cc_xstrdup("internet");
	z->internet = true;
	z->segment_cost = -1;
	m->nzones = 1;
	wg_strmap_put(&m->priv->zones, "internet", 0);
}

static int load_doc(ld *l)
{
	static const char *const keys[] = { "name", "controls", "costs", "zones",
		"hosts", "people", "accounts", "flows", "jewels", NULL };
	yaml_node_t *v[9], *root = wgy_root(&l->y);

	if (!root)
		return cc_err_set(l->y.e, CC_ERR, "%s: empty model", l->y.name);
	if (wgy_keys(&l->y, root, "model", keys, v))
		return CC_ERR;
	if (opt_str(l, v[0], "model", "name", &l->m->name) ||
	    (v[1] && controls_parse(l, v[1])) || (v[2] && costs_parse(l, v[2])) ||
	    each_item(l, v[3], "zones", zone_item) ||
	    each_item(l, v[4], "hosts", host_item) ||
	    each_item(l, v[5], "people", person_item) ||
	    each_item(l, v[6], "accounts", account_item) ||
	    each_item(l, v[7], "flows", flow_item) ||
	    each_item(l, v[8], "jewels", jewel_item))
		return CC_ERR;
	if (!l->m->nhosts)
		return wgy_fail(&l->y, root, "hosts", "the model has no hosts");
	return CC_OK;
}

wg_model *wg_model_load_mem(const char *data, size_t len, const char *name,
			    cc_err *e)
{
	ld l;

	memset(&l, 0, sizeof(l));
	l.m = cc_xcalloc(1, sizeof(*l.m));
	l.m->priv = cc_xcalloc(1, sizeof(*l.m->priv));
	l.m->path = cc_xstrdup(name);
	defaults(l.m);
	if (wgy_open(&l.y, data, len, name, e))
		goto out_fail;
	if (load_doc(&l))
		goto out_fail;
	wgy_close(&l.y);
	return l.m;
out_fail:
	wgy_close(&l.y);
	wg_model_free(l.m);
	return NULL;
}

wg_model *wg_model_load(const char *path, cc_err *e)
{
	cc_buf b = CC_BUF_INIT;
	wg_model *m = NULL;

	if (cc_file_read_all(path, &b, e) == CC_OK)
		m = wg_model_load_mem(cc_buf_str(&b), b.len, cc_file_display(path), e);
	cc_buf_free(&b);
	return m;
}
