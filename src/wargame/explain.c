/*
 * explain.c — paths in words, one sentence per technique step:
 * "The attacker phishes alice (T1566.001, p=0.30) to get a foothold on
 * ws-01."  Builtin steps (reachability, zone presence) are left out.
 */
#include <string.h>

#include "wargame/graph_int.h"

static const char *arg(const wg_graph *g, int f, int k)
{
	return wg_graph_sym(g, g->facts[f].args[k]);
}

/* What the head fact means, as a verb phrase. */
static void effect(const wg_graph *g, int f, cc_buf *out)
{
	const char *p = g->rules->preds[g->facts[f].pred];
	static const struct { const char *pred, *fmt; } t[] = {
		{ "user", "get a foothold on %s" },
		{ "root", "get administrator rights on %s" },
		{ "cred", "obtain the credentials of %s" },
		{ "exec", "run its tools on %s" },
		{ "collected", "collect the data of %s" },
		{ "exfiltrated", "exfiltrate the data of %s" },
		{ "tampered", "tamper with %s" },
		{ "disrupted", "disrupt %s" },
		{ "persist", "persist on %s" },
		{ "found", "find the data on %s" },
		{ "signin", "sign in as %s (passing or bypassing MFA)" },
		{ "evade", "hide its tools from the defenders on %s" },
		{ "blinded", "disable the EDR agent on %s" },
		{ "c2", "open a command-and-control channel to %s" },
		{ "tools", "bring its tools to %s" },
		{ "staged", "stage the data of %s for exfiltration" },
		{ "sysinfo", "learn about %s" },
		{ "scanned", "scan %s" },
		{ "norecovery", "destroy the recovery means of %s" },
		{ NULL, NULL }
	};

	for (int i = 0; t[i].pred; i++)
		if (!strcmp(t[i].pred, p) && g->facts[f].nargs == 1) {
			cc_buf_printf(out, t[i].fmt, arg(g, f, 0));
			return;
		}
	cc_buf_puts(out, "establish ");
	wg_graph_fact_str(g, f, out);
}

/* The model facts the step relies on, in words. */
static void because(const wg_graph *g, const wg_inst *in, cc_buf *out)
{
	int n = 0;

	for (int b = 0; b < in->nbody; b++) {
		int f = g->body[in->body + (uint32_t)b];
		const char *p = g->rules->preds[g->facts[f].pred];
		size_t before = out->len;

		cc_buf_puts(out, n ? "; " : " (exploiting: ");
		if (!strcmp(p, "vuln") && !strcmp(arg(g, f, 1), "0"))
			cc_buf_printf(out, "%s in software on %s", arg(g, f, 2), arg(g, f, 0));
		else if (!strcmp(p, "vuln"))
			cc_buf_printf(out, "%s on %s port %s", arg(g, f, 2), arg(g, f, 0),
				      arg(g, f, 1));
		else if (!strcmp(p, "email"))
			cc_buf_printf(out, "%s reads external e-mail", arg(g, f, 0));
		else if (!strcmp(p, "cached"))
			cc_buf_printf(out, "%s's credentials cached on %s", arg(g, f, 0),
				      arg(g, f, 1));
		else if (!strcmp(p, "nomfa"))
			cc_buf_printf(out, "%s has no MFA", arg(g, f, 0));
		else if (!strcmp(p, "weakpw"))
			cc_buf_printf(out, "%s has a weak password", arg(g, f, 0));
		else if (!strcmp(p, "cred"))
			cc_buf_printf(out, "the stolen credentials of %s", arg(g, f, 0));
		else if (!strcmp(p, "signin"))
			cc_buf_printf(out, "signing in as %s", arg(g, f, 0));
		else if (!strcmp(p, "netaccess"))
			cc_buf_printf(out, "network access to %s port %s", arg(g, f, 0),
				      arg(g, f, 1));
		else {
			out->len = before;
			out->data[before] = 0;
			continue;
		}
		n++;
	}
	if (n)
		cc_buf_putc(out, ')');
}

void wg_path_explain(const wg_graph *g, const wg_path *p, cc_buf *out)
{
	int step = 0;

	for (size_t k = 0; k < p->ninsts; k++) {
		const wg_inst *in = &g->insts[p->insts[k]];
		const wg_rule *ru = wg_graph_inst_rule(g, p->insts[k]);

		if (!ru || !ru->technique)
			continue;
		cc_buf_puts(out, step++ ? "Then the attacker uses " : "The attacker uses ");
		cc_buf_printf(out, "%s (%s, p=%.2f, ~%.1f h", ru->name, ru->technique,
			      in->p, in->hours);
		if (in->detect > 0)
			cc_buf_printf(out, ", detected %.0f%%", in->detect * 100);
		cc_buf_puts(out, ") to ");
		effect(g, in->head, out);
		because(g, in, out);
		cc_buf_puts(out, ".\n");
	}
	if (!step)
		cc_buf_puts(out, "No technique step is needed.\n");
}
