/*
 * report_dot.c — the attack graph picture of the report: the facts and
 * technique steps on every jewel's shortest, most likely and fastest
 * paths, in Graphviz, turned into SVG by running `dot -Tsvg` as a program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/xalloc.h"
#include "wargame/report_int.h"

static void dot_str(cc_buf *out, const char *s)
{
	cc_buf_putc(out, '"');
	for (; *s; s++) {
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

		cc_buf_printf(&b, "%s %s\\np=%.2f, %.0f h", ru->technique, ru->name,
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
	cc_buf_puts(out, "digraph attack {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", "
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

char *wg_report_dot_svg(const char *dot_text, const char **why)
{
	char tmpl[] = "/tmp/cybercell-dot-XXXXXX", cmd[128];
	int fd = mkstemp(tmpl), st;
	size_t len = strlen(dot_text);
	cc_buf b = CC_BUF_INIT;
	FILE *p;
	char chunk[4096], *svg = NULL;
	size_t n;
	const char *start;

	*why = NULL;
	if (fd < 0 || write(fd, dot_text, len) != (ssize_t)len) {
		if (fd >= 0) {
			close(fd);
			unlink(tmpl);
		}
		*why = "could not write a temporary file for graphviz";
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "dot -Tsvg %s 2>/dev/null", tmpl);
	if (!(p = popen(cmd, "r"))) {
		*why = "could not run graphviz dot";
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		cc_buf_append(&b, chunk, n);
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		*why = WIFEXITED(st) && WEXITSTATUS(st) == 127 ?
		       "graphviz dot is not installed, so the attack graph is not drawn" :
		       "graphviz dot failed to draw the attack graph";
		goto out;
	}
	start = strstr(cc_buf_str(&b), "<svg");
	if (!start) {
		*why = "graphviz dot gave no SVG";
		goto out;
	}
	svg = cc_xstrdup(start);
out:
	cc_buf_free(&b);
	unlink(tmpl);
	return svg;
}
