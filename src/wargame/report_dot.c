/*
 * report_dot.c — the attack graph picture of the report: the facts and
 * technique steps on every jewel's shortest, most likely and fastest
 * paths, in Graphviz, turned into SVG by running `dot -Tsvg` as a program
 * (directly, the text on its standard input, with a time limit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/proc.h"
#include "util/xalloc.h"
#include "wargame/report_int.h"

/* A Graphviz string: quotes and backslashes escaped, a newline written as
 * dot's line break (\n), so labels never show a literal backslash. */
static void dot_str(cc_buf *out, const char *s)
{
	cc_buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '\n') {
			cc_buf_puts(out, "\\n");
			continue;
		}
		if (*s == '"' || *s == '\\')
			cc_buf_putc(out, '\\');
		cc_buf_putc(out, *s);
	}
	cc_buf_putc(out, '"');
}

static void mark_path(const wg_graph *g, int fact, wg_metric mt, uint8_t *on)
{
	wg_path p = { 0 };

	if (wg_path_best(g, fact, mt, NULL, &p))
		return;
	for (size_t k = 0; k < p.ninsts; k++)
		on[p.insts[k]] = 1;
	wg_path_free(&p);
}

/* Builtin steps are drawn as plain edges from their bodies to the head. */
static void emit_inst(const wg_graph *g, int i, uint8_t *fon, cc_buf *out)
{
	const wg_inst *in = &g->insts[i];
	const wg_rule *ru = wg_graph_inst_rule(g, i);
	bool tech = ru && ru->technique;

	fon[in->head] = 1;
	if (tech) {
		cc_buf b = CC_BUF_INIT;

		cc_buf_printf(&b, "%s %s\np=%.2f, %.0f h", ru->technique, ru->name,
			      in->p, in->hours);
		cc_buf_printf(out, "  i%d [shape=box, style=filled, fillcolor=\"#fde0c5\", label=", i);
		dot_str(out, cc_buf_str(&b));
		cc_buf_puts(out, "];\n");
		cc_buf_free(&b);
		cc_buf_printf(out, "  i%d -> f%d;\n", i, in->head);
	}
	for (int k = 0; k < in->nbody; k++) {
		int f = g->body[in->body + (uint32_t)k];

		if (g->facts[f].base)
			continue;
		fon[f] = 1;
		if (tech)
			cc_buf_printf(out, "  f%d -> i%d;\n", f, i);
		else
			cc_buf_printf(out, "  f%d -> f%d [style=dashed];\n", f, in->head);
	}
}

void wg_report_paths_dot(const wg_report_in *in, cc_buf *out)
{
	const wg_graph *g = in->g;
	uint8_t *on = cc_xcalloc(g->ninsts + 1, 1), *fon = cc_xcalloc(g->nfacts + 1, 1);

	for (size_t j = 0; j < g->ngoals; j++)
		if (g->goals[j].fact != WG_NONE)
			for (int mt = WG_M_STEPS; mt <= WG_M_TIME; mt++)
				mark_path(g, g->goals[j].fact, (wg_metric)mt, on);
	cc_buf_puts(out, "digraph attack {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", "
		    "fontsize=10];\n");
	for (size_t i = 0; i < g->ninsts; i++)
		if (on[i])
			emit_inst(g, (int)i, fon, out);
	for (size_t f = 0; f < g->nfacts; f++) {
		cc_buf b = CC_BUF_INIT;
		bool goal = false;

		if (!fon[f])
			continue;
		for (size_t j = 0; j < g->ngoals; j++)
			goal |= g->goals[j].fact == (int)f;
		wg_graph_fact_str(g, (int)f, &b);
		cc_buf_printf(out, "  f%zu [shape=ellipse%s, label=", f,
			      goal ? ", style=filled, fillcolor=\"#f4a6a6\"" :
			      (int)f == g->start ? ", style=filled, fillcolor=\"#cde\"" : "");
		dot_str(out, cc_buf_str(&b));
		cc_buf_puts(out, "];\n");
		cc_buf_free(&b);
	}
	cc_buf_puts(out, "}\n");
	free(on);
	free(fon);
}

/* The first line of dot's complaint, for the report. */
static const char *first_line(cc_buf *err)
{
	char *nl;

	if (!err->len)
		return "no message";
	nl = strchr(err->data, '\n');
	if (nl)
		*nl = '\0';
	return err->data;
}

char *wg_report_dot_svg(const char *dot_text, int timeout_ms, char *why, size_t whysz)
{
	static const char *const argv[] = { "dot", "-Tsvg", NULL };
	cc_buf out = CC_BUF_INIT, err = CC_BUF_INIT;
	cc_proc_result r;
	const char *start;
	char *svg = NULL;

	why[0] = '\0';
	r = cc_proc_filter((char *const *)argv, dot_text, strlen(dot_text), timeout_ms, &out, &err);
	switch (r.end) {
	case CC_PROC_OK:
		start = strstr(cc_buf_str(&out), "<svg");
		if (start)
			svg = cc_xstrdup(start);
		else
			snprintf(why, whysz, "graphviz dot gave no SVG");
		break;
	case CC_PROC_NOT_FOUND:
		snprintf(why, whysz, "graphviz dot is not installed, so the attack graph is not drawn");
		break;
	case CC_PROC_START_FAILED:
		snprintf(why, whysz, "could not run graphviz dot: %s", strerror(r.err_no));
		break;
	case CC_PROC_EXIT:
		snprintf(why, whysz, "graphviz dot failed to draw the attack graph (exit status %d: %s)",
			 r.code, first_line(&err));
		break;
	case CC_PROC_SIGNAL:
		snprintf(why, whysz, "graphviz dot failed to draw the attack graph (killed by signal %d)",
			 r.code);
		break;
	case CC_PROC_TIMEOUT:
		snprintf(why, whysz, "graphviz dot did not draw the attack graph within %d s and was stopped",
			 (timeout_ms + 999) / 1000);
		break;
	}
	cc_buf_free(&out);
	cc_buf_free(&err);
	return svg;
}
