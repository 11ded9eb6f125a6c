/*
 * indicator_warn.c — what `import` and `validate` say about indicators
 * that are valid STIX but will not do what their author may think: a
 * pattern comparing a property its SCO type does not have or a value that
 * cannot be one of it (stix_pattern_lint), and values on warning lists or
 * too broad, which `match` skips (an_wl_check_pattern).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "cmd/cmd.h"
#include "pattern/pattern.h"
#include "stix/stix.h"

typedef struct warn_ctx {
	cmd_warn_fn fn;
	void *ud;
} warn_ctx;

static void lint_warning(void *ud, int line, int col, const char *msg)
{
	warn_ctx *w = ud;
	char m[600];

	snprintf(m, sizeof(m), "pattern:%d:%d: %s", line, col, msg);
	w->fn(w->ud, m);
}

static void wl_warning(void *ud, const char *msg)
{
	warn_ctx *w = ud;

	w->fn(w->ud, msg);
}

size_t cmd_indicator_warnings(const json_t *obj, const struct an_wlset *wl, cmd_warn_fn fn, void *ud)
{
	const char *type = json_string_value(json_object_get(obj, "type"));
	const char *src = json_string_value(json_object_get(obj, "pattern"));
	const char *pt = json_string_value(json_object_get(obj, "pattern_type"));
	warn_ctx w = { fn, ud };
	pattern *p;
	size_t n;
	cc_err e;

	if (!type || strcmp(type, "indicator") || !src || (pt && strcmp(pt, "stix")))
		return 0;
	p = pattern_parse(src, &e);
	if (!p)
		return 0;               /* the validator reports it */
	n = stix_pattern_lint(p, lint_warning, &w);
	n += an_wl_check_pattern(wl, p, wl_warning, &w);
	pattern_free(p);
	return n;
}

struct an_wlset *cmd_warninglists(const char *db_path)
{
	an_wlset *wl = an_wlset_new();
	store *s = NULL;
	cc_err e;

	if (!wl)
		return NULL;
	/* the hub's lists when there is a hub: checking never creates one */
	if (db_path && access(db_path, F_OK) == 0 && store_open(db_path, &s, &e) != 0)
		s = NULL;
	if (an_wlset_load(wl, s, &e) != 0) {
		an_wlset_free(wl);
		wl = an_wlset_new();
		an_wlset_load(wl, NULL, &e);
	}
	store_close(s);
	return wl;
}
