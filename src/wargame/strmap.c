/* strmap.c — a small string -> int hash map (open addressing, FNV-1a). */
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "wargame/wargame_int.h"

/* The home slot of key in a table of cap (a power of two) slots: FNV-1a
 * with its high bits folded into the low ones the mask keeps. */
static size_t slot(const char *key, size_t cap)
{
	uint64_t h = cc_fnv1a(key, strlen(key));

	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

int wg_strmap_get(const wg_strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return WG_NONE;
	i = slot(key, m->cap);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key))
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return WG_NONE;
}

static void strmap_grow(wg_strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64, i, j;
	char **nk = cc_xcalloc(ncap, sizeof(*nk));
	int *nv = cc_xcalloc(ncap, sizeof(*nv));

	for (i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		j = slot(m->keys[i], ncap);
		while (nk[j])
			j = (j + 1) & (ncap - 1);
		nk[j] = m->keys[i];
		nv[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = nk;
	m->vals = nv;
	m->cap = ncap;
}

int wg_strmap_put(wg_strmap *m, const char *key, int val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m);
	i = slot(key, m->cap);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key))
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = cc_xstrdup(key);
	m->vals[i] = val;
	m->n++;
	return val;
}

void wg_strmap_free(wg_strmap *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
