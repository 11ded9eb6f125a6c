/*
 * sim_adversary.c — STIX ids the reports need from the hub's store: the
 * adversary's (an intrusion-set, threat-actor or campaign by name or
 * alias) and the attack-pattern of an ATT&CK technique.  Loading the
 * adversary's techniques is wg_session_open's job (src/cmd).
 */
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "wargame/sim.h"

/* Keep the first row's id. */
static int id_row(const store_row *row, void *ud)
{
	char **out = ud;

	if (!*out)
		*out = cc_xstrdup(row->id);
	return 1;
}

char *wg_store_adversary_id(store *s, const char *name)
{
	static const char *const types[] = { "intrusion-set", "threat-actor", "campaign" };
	char *id = NULL;

	for (size_t i = 0; i < 3 && !id; i++) {
		store_find_query q = { .type = types[i], .alias = name, .limit = 1 };

		if (store_find(s, &q, id_row, &id, NULL))
			break;
	}
	return id;
}

char *wg_store_attack_pattern_id(store *s, const char *technique)
{
	store_find_query q = { .type = "attack-pattern", .external_id = technique,
			       .limit = 1 };
	char *id = NULL;

	if (store_find(s, &q, id_row, &id, NULL))
		return NULL;
	return id;
}
