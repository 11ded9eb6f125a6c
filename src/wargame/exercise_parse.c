/*
 * exercise_parse.c — the blue team's command language, typed at the
 * terminal ("isolate ws-01") or sent as JSON ({"action":"isolate",
 * "host":"ws-01"}); docs/exercise.md.  Outside input: every field is
 * bounded and checked.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "wargame/sim.h"

static const struct {
	const char *name;
	int nargs;
	int cost;
	const char *args;       /* JSON keys of the arguments */
} kinds[WG_EX_KIND_COUNT] = {
	[WG_EX_PASS] = { "pass", 0, 0, "" },
	[WG_EX_INVESTIGATE] = { "investigate", 1, 1, "host" },
	[WG_EX_ISOLATE] = { "isolate", 1, 2, "host" },
	[WG_EX_RESET] = { "reset", 1, 1, "account" },
	[WG_EX_BLOCK] = { "block", 1, 1, "flow" },
	[WG_EX_PATCH] = { "patch", 2, 2, "host cve" },
	[WG_EX_MAP] = { "map", 0, 0, "" },
};

const char *wg_ex_kind_name(wg_ex_kind k)
{
	return k < WG_EX_KIND_COUNT ? kinds[k].name : "?";
}

int wg_ex_cost(wg_ex_kind k)
{
	return k < WG_EX_KIND_COUNT ? kinds[k].cost : 0;
}

static int kind_of(const char *w, size_t n)
{
	if ((n == 4 && !strncasecmp(w, "done", 4)) || (n == 3 && !strncasecmp(w, "end", 3)))
		return WG_EX_PASS;
	if (n == 5 && !strncasecmp(w, "hosts", 5))
		return WG_EX_MAP;
	for (int k = 0; k < WG_EX_KIND_COUNT; k++)
		if (strlen(kinds[k].name) == n && !strncasecmp(w, kinds[k].name, n))
			return k;
	return -1;
}

/* Next whitespace-separated word of *p: start and length (0 at the end). */
static size_t word(const char **p, const char **start)
{
	const char *s = *p;
	size_t n = 0;

	while (*s && isspace((unsigned char)*s))
		s++;
	*start = s;
	while (s[n] && !isspace((unsigned char)s[n]))
		n++;
	*p = s + n;
	return n;
}

static int usage(cc_err *e, const char *what)
{
	return cc_err_set(e, CC_EUSAGE, "%s (commands: pass, investigate HOST, isolate "
			  "HOST, reset ACCOUNT, block FLOW, patch HOST CVE, map)", what);
}

int wg_ex_parse(const char *line, wg_ex_cmd *out, cc_err *e)
{
	const char *p = line, *w;
	size_t n = word(&p, &w);
	int k;

	memset(out, 0, sizeof(*out));
	if (!n)
		return usage(e, "empty command");
	if ((k = kind_of(w, n)) < 0)
		return usage(e, "unknown command");
	out->kind = (wg_ex_kind)k;
	for (int a = 0; a < kinds[k].nargs; a++) {
		if (!(n = word(&p, &w)))
			return cc_err_set(e, CC_EUSAGE, "%s: expected %s", kinds[k].name,
					  a ? "a CVE id" : kinds[k].args);
		if (n >= sizeof(out->arg[a]))
			return cc_err_set(e, CC_EUSAGE, "%s: name too long", kinds[k].name);
		memcpy(out->arg[a], w, n);
		out->arg[a][n] = 0;
	}
	if (word(&p, &w))
		return cc_err_set(e, CC_EUSAGE, "%s: too many arguments", kinds[k].name);
	return CC_OK;
}

static int json_arg(json_t *o, const char *key, char *out, size_t size,
		    const char *action, cc_err *e)
{
	const char *v = json_string_value(json_object_get(o, key));

	if (!v || !*v)
		return cc_err_set(e, CC_EUSAGE, "%s: expected a string \"%s\"", action, key);
	if (strlen(v) >= size)
		return cc_err_set(e, CC_EUSAGE, "%s: \"%s\" too long", action, key);
	strcpy(out, v);
	return CC_OK;
}

static int parse_obj(json_t *o, wg_ex_cmd *out, cc_err *e)
{
	const char *a;
	int k;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(o))
		return cc_err_set(e, CC_EUSAGE, "an action must be a JSON object");
	a = json_string_value(json_object_get(o, "action"));
	if (!a || (k = kind_of(a, strlen(a))) < 0)
		return usage(e, "unknown or missing \"action\"");
	out->kind = (wg_ex_kind)k;
	switch (out->kind) {
	case WG_EX_INVESTIGATE:
	case WG_EX_ISOLATE:
		return json_arg(o, "host", out->arg[0], sizeof(out->arg[0]), a, e);
	case WG_EX_RESET:
		return json_arg(o, "account", out->arg[0], sizeof(out->arg[0]), a, e);
	case WG_EX_BLOCK:
		return json_arg(o, "flow", out->arg[0], sizeof(out->arg[0]), a, e);
	case WG_EX_PATCH:
		if (json_arg(o, "host", out->arg[0], sizeof(out->arg[0]), a, e))
			return CC_EUSAGE;
		return json_arg(o, "cve", out->arg[1], sizeof(out->arg[1]), a, e);
	default:
		return CC_OK;
	}
}

int wg_ex_parse_reply(const char *line, size_t len, wg_ex_cmd **cmds, size_t *n,
		      cc_err *e)
{
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL), *acts, *a;
	wg_ex_cmd *v = NULL;
	size_t i;
	int rc = CC_OK;

	*cmds = NULL;
	*n = 0;
	acts = json_object_get(o, "actions");
	if (!json_is_object(o) || !json_is_array(acts)) {
		rc = cc_err_set(e, CC_EUSAGE, "expected a JSON line {\"actions\":[...]}");
		goto out;
	}
	if (json_array_size(acts) > WG_EX_MAX_ACTIONS) {
		rc = cc_err_set(e, CC_EUSAGE, "more than %d actions in one turn",
				WG_EX_MAX_ACTIONS);
		goto out;
	}
	v = cc_xcalloc(json_array_size(acts) + 1, sizeof(*v));
	json_array_foreach(acts, i, a) {
		if ((rc = parse_obj(a, &v[i], e))) {
			cc_err_prefix(e, "actions[%zu]", i);
			free(v);
			v = NULL;
			goto out;
		}
	}
	*cmds = v;
	*n = json_array_size(acts);
out:
	json_decref(o);
	return rc;
}
