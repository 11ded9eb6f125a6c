/*
 * coverage.c — what the technique rules cover: ATT&CK platforms (a rule
 * applies only to hosts whose OS is one of its platforms), the status of a
 * technique (modelled by a rule, declared outside the modelled network, or
 * not modelled) and how much of an adversary the rules model.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wargame/wargame_int.h"

static const struct {
	const char *name;
	unsigned bit;
} platforms[] = {
	{ "windows", WG_PLAT_WINDOWS }, { "linux", WG_PLAT_LINUX },
	{ "macos", WG_PLAT_MACOS }, { "network-devices", WG_PLAT_NETWORK },
	{ "containers", WG_PLAT_CONTAINERS }, { "iaas", WG_PLAT_IAAS },
	{ "saas", WG_PLAT_SAAS }, { "office-suite", WG_PLAT_OFFICE },
	{ "identity-provider", WG_PLAT_IDP }, { "esxi", WG_PLAT_ESXI },
	{ "pre", WG_PLAT_PRE }, { NULL, 0 }
};

unsigned wg_platform_bit(const char *name)
{
	for (int i = 0; platforms[i].name; i++)
		if (!strcmp(platforms[i].name, name))
			return platforms[i].bit;
	return 0;
}

const char *wg_platform_name(unsigned bit)
{
	for (int i = 0; platforms[i].name; i++)
		if (platforms[i].bit == bit)
			return platforms[i].name;
	return "?";
}

unsigned wg_os_platforms(const char *os)
{
	if (!os)
		return WG_PLAT_ALL;
	for (int i = 0; platforms[i].name; i++)
		if (!strcasecmp(platforms[i].name, os))
			return platforms[i].bit;
	return 0;
}

bool wg_rules_has(const wg_rules *r, const char *technique)
{
	for (size_t i = 0; i < r->nrules; i++)
		if (r->rules[i].technique && !strcmp(r->rules[i].technique, technique))
			return true;
	return false;
}

/* Is t itself declared outside or not modelled? */
static bool declared(const wg_rules *r, const char *t)
{
	for (size_t i = 0; i < r->ndecls; i++)
		if (!strcmp(r->decls[i].technique, t))
			return true;
	return false;
}

bool wg_rules_fires(const wg_rules *r, const char *u, const char *technique)
{
	size_t ul = strlen(u), tl = strlen(technique);

	if (!strcmp(u, technique))
		return true;
	if (ul == 5 && tl > 5 && !strncmp(u, technique, 5))     /* parent used */
		return true;
	return tl == 5 && ul > 5 && !strncmp(u, technique, 5) && !wg_rules_has(r, u) &&
	       !declared(r, u);
}

bool wg_rules_enabled(const wg_rules *r, const wg_adversary *a, const char *technique)
{
	for (size_t i = 0; i < a->ntechniques; i++)
		if (wg_rules_fires(r, a->techniques[i], technique))
			return true;
	return false;
}

const char *wg_rules_datasource(const wg_rules *r, const char *id)
{
	for (size_t i = 0; i < r->ndsrc; i++)
		if (!strcmp(r->dsrc[i].id, id))
			return r->dsrc[i].name;
	return NULL;
}

/* The declaration of t, else of its parent, else NULL. */
static const wg_tech_decl *decl_of(const wg_rules *r, const char *t)
{
	const wg_tech_decl *parent = NULL;

	for (size_t i = 0; i < r->ndecls; i++) {
		const char *d = r->decls[i].technique;

		if (!strcmp(d, t))
			return &r->decls[i];
		if (strlen(d) == 5 && strlen(t) > 5 && !strncmp(d, t, 5))
			parent = &r->decls[i];
	}
	return parent;
}

wg_tech_status wg_rules_status(const wg_rules *r, const char *t,
			       const wg_tech_decl **decl)
{
	const wg_tech_decl *d;

	if (decl)
		*decl = NULL;
	for (size_t i = 0; i < r->nrules; i++)
		if (r->rules[i].technique && wg_rules_fires(r, t, r->rules[i].technique))
			return WG_TECH_MODELLED;
	d = decl_of(r, t);
	if (decl)
		*decl = d;
	return d && d->status == WG_TECH_OUTSIDE ? WG_TECH_OUTSIDE : WG_TECH_UNMODELLED;
}

void wg_coverage_of(const wg_adversary *a, const wg_rules *r, wg_coverage *c)
{
	memset(c, 0, sizeof(*c));
	c->total = a->ntechniques;
	for (size_t i = 0; i < a->ntechniques; i++) {
		switch (wg_rules_status(r, a->techniques[i], NULL)) {
		case WG_TECH_MODELLED:
			c->modelled++;
			break;
		case WG_TECH_OUTSIDE:
			c->outside++;
			break;
		case WG_TECH_UNMODELLED:
			c->unmodelled = cc_xrealloc(c->unmodelled, (c->nunmodelled + 1) *
						    sizeof(*c->unmodelled));
			c->unmodelled[c->nunmodelled++] = cc_xstrdup(a->techniques[i]);
			break;
		}
	}
}

void wg_coverage_clear(wg_coverage *c)
{
	for (size_t i = 0; i < c->nunmodelled; i++)
		free(c->unmodelled[i]);
	free(c->unmodelled);
	memset(c, 0, sizeof(*c));
}

void wg_coverage_text(const wg_coverage *c, cc_buf *out)
{
	cc_buf_printf(out, "%zu technique%s: %zu modelled, %zu outside the modelled "
		      "network, %zu not modelled", c->total, c->total == 1 ? "" : "s",
		      c->modelled, c->outside, c->nunmodelled);
	for (size_t i = 0; i < c->nunmodelled && i < 8; i++)
		cc_buf_printf(out, "%s%s", i ? ", " : " (", c->unmodelled[i]);
	if (c->nunmodelled > 8)
		cc_buf_printf(out, " and %zu more", c->nunmodelled - 8);
	if (c->nunmodelled)
		cc_buf_putc(out, ')');
}
