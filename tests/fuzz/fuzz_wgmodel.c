/* Fuzz the war-game model loader (and, when a model loads, the attack
 * graph over it with the project's rules). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wargame/wargame.h"

static wg_rules *rules;
static wg_adversary *adv;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cc_err e;
	wg_model *m;

	if (!rules) {
		rules = wg_rules_load_dir("data/rules", &e);
		adv = wg_adversary_load_file("data/demo/adversary.yaml", &e);
	}
	m = wg_model_load_mem((const char *)data, size, "fuzz.yaml", &e);
	if (m && rules && adv && m->nhosts < 64) {
		wg_graph *g = wg_graph_build(m, rules, adv, &e);

		if (g) {
			wg_metrics *mt = wg_metrics_compute(g, &e);
			wg_hardening *h = wg_harden(g, NULL, &e);

			wg_hardening_free(h);
			wg_metrics_free(mt);
		}
		wg_graph_free(g);
	}
	wg_model_free(m);
	return 0;
}
