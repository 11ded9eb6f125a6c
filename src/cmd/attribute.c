/*
 * attribute.c — `cybercell attribute`: which intrusion-sets of the hub's
 * knowledge base best explain what was seen (techniques, the indicators
 * of a sightings bundle, or a report's objects).  An aid to an analyst,
 * not a verdict; the ranking is explained item by item.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cmd/cmd.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/file.h"

const char cmd_attribute_usage[] =
	"usage: cybercell attribute (--techniques T1,T2,... | --sightings FILE | --report ID)\n"
	"                           [--top N] [--json]\n"
	"\n"
	"Rank the intrusion-sets of the store by the evidence they share with what\n"
	"was seen: their techniques (with their software's), software,\n"
	"infrastructure and indicators; rare evidence weighs more than common.\n"
	"Each rank is explained by the shared items.  An aid to an analyst, not a\n"
	"verdict.\n"
	"\n"
	"  --techniques LIST  ATT&CK ids or names (T1566.001, S0002, Mimikatz),\n"
	"                     comma-separated\n"
	"  --sightings FILE   a bundle of sightings (cybercell match --sightings):\n"
	"                     their indicators and what those indicate\n"
	"  --report ID        a stored report: the objects it refers to\n"
	"  --top N            the N best groups (default 5)\n"
	"  --json             one JSON object\n";

#define MAX_EV 4096

typedef struct evid {
	const char *ids[MAX_EV];
	size_t n;
} evid;

static void ev_add(evid *v, const char *id)
{
	if (id && v->n < MAX_EV)
		v->ids[v->n++] = id;
}

/* An indicator, and what it indicates. */
static void ev_indicator(evid *v, const an_attr *a, const char *id)
{
	const char *t[64];
	size_t n = an_attr_indicated(a, id, t, 64);

	ev_add(v, id);
	for (size_t i = 0; i < n; i++)
		ev_add(v, t[i]);
}

static int kb_row(const store_row *r, void *ud)
{
	json_t *o = json_loadb(r->json, r->json_len, 0, NULL);

	an_attr_add(ud, o);
	json_decref(o);
	return 0;
}

static int load_kb(store *s, an_attr *a, cc_err *e)
{
	static const char *const types[] = {
		"intrusion-set", "attack-pattern", "malware", "tool", "indicator", "infrastructure",
		"relationship",
	};
	store_query q = { .types = (const char *const *)types, .n_types = 7 };
	int rc = store_query_run(s, &q, kb_row, a, NULL, e);

	return rc ? rc : an_attr_build(a, e);
}

static int ev_techniques(evid *v, const an_attr *a, char *list, cc_err *e)
{
	char *save = NULL;

	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const char *id;

		while (*t == ' ')
			t++;
		id = an_attr_resolve(a, t);
		if (!id)
			return cc_err_set(e, CC_ENOTFOUND, "attribute: %s: no technique or software of that "
					  "id or name in the store", t);
		ev_add(v, id);
	}
	return 0;
}

/* Evidence kept alive for the ids it lends (a sightings file, a report). */
static int ev_sightings(evid *v, const an_attr *a, const char *path, json_t **keep, cc_err *e)
{
	cc_buf b = CC_BUF_INIT;
	json_t *objs, *o;
	size_t i;
	int rc = cc_file_read_all(path, &b, e);

	if (rc)
		return rc;
	*keep = json_loadb(cc_buf_str(&b), b.len, 0, NULL);
	cc_buf_free(&b);
	objs = json_is_array(*keep) ? *keep : json_object_get(*keep, "objects");
	if (!json_is_array(objs))
		return cc_err_set(e, CC_ERR, "%s: not a STIX bundle", cc_file_display(path));
	json_array_foreach(objs, i, o) {
		const char *t = json_string_value(json_object_get(o, "type"));

		if (t && !strcmp(t, "sighting"))
			ev_indicator(v, a, json_string_value(json_object_get(o, "sighting_of_ref")));
	}
	return 0;
}

static int report_row(const store_row *r, void *ud)
{
	json_t **keep = ud;

	if (!*keep)
		*keep = json_loadb(r->json, r->json_len, 0, NULL);
	return 1;
}

static int ev_report(evid *v, const an_attr *a, store *s, const char *id, json_t **keep, cc_err *e)
{
	json_t *x;
	size_t i;
	int rc = store_get(s, id, 0, false, report_row, keep, e);

	if (rc)
		return rc;
	if (strcmp(json_string_value(json_object_get(*keep, "type")) ?
		   json_string_value(json_object_get(*keep, "type")) : "", "report"))
		return cc_err_set(e, CC_ERR, "attribute: %s is not a report", id);
	json_array_foreach(json_object_get(*keep, "object_refs"), i, x) {
		const char *r = json_string_value(x);

		if (r && !strncmp(r, "indicator--", 11))
			ev_indicator(v, a, r);
		else if (r && strncmp(r, "intrusion-set--", 15))
			ev_add(v, r);
	}
	return 0;
}

static void print_text(const json_t *out)
{
	json_t *g, *it;
	size_t i, j;

	printf("An aid to an analyst, not a verdict: %lld intrusion-sets ranked by the %lld evidence "
	       "items they share (rare evidence weighs more).\n",
	       (long long)json_integer_value(json_object_get(out, "groups")),
	       (long long)json_integer_value(json_object_get(out, "evidence")));
	json_array_foreach(json_object_get(out, "ranking"), i, g) {
		json_t *sh = json_object_get(g, "shared"), *mi = json_object_get(g, "missing");

		printf("%2lld. %-32s %5.1f %%  shares %zu of %zu (profile of %lld)\n",
		       (long long)json_integer_value(json_object_get(g, "rank")),
		       json_string_value(json_object_get(g, "name")),
		       100 * json_real_value(json_object_get(g, "probability")), json_array_size(sh),
		       json_array_size(sh) + json_array_size(mi),
		       (long long)json_integer_value(json_object_get(g, "profile")));
		json_array_foreach(sh, j, it)
			printf("      + %-12s %-40s weight %.2f (%lld groups)\n",
			       json_string_value(json_object_get(it, "external_id")) ?
			       json_string_value(json_object_get(it, "external_id")) : "",
			       json_string_value(json_object_get(it, "name")) ?
			       json_string_value(json_object_get(it, "name")) : json_string_value(json_object_get(it, "id")),
			       json_real_value(json_object_get(it, "weight")),
			       (long long)json_integer_value(json_object_get(it, "groups")));
		json_array_foreach(mi, j, it)
			printf("      - %-12s %s\n", json_string_value(json_object_get(it, "external_id")) ?
			       json_string_value(json_object_get(it, "external_id")) : "",
			       json_string_value(json_object_get(it, "name")) ?
			       json_string_value(json_object_get(it, "name")) : json_string_value(json_object_get(it, "id")));
	}
	json_array_foreach(json_object_get(out, "unmatched"), i, it)
		printf("not in any group's profile: %s\n", json_string_value(it));
}

int cmd_attribute(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "techniques", required_argument, NULL, 't' },
		{ "sightings", required_argument, NULL, 's' },
		{ "report", required_argument, NULL, 'r' },
		{ "top", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	char *tech = NULL;
	const char *sight = NULL, *report = NULL;
	long long top = 5;
	bool json = false;
	store *s = NULL;
	an_attr *a = NULL;
	json_t *keep = NULL, *out = NULL;
	evid *v = calloc(1, sizeof(*v));
	cc_err e = { 0 };
	int c, rc;

	cmd_getopt_reset();
	while ((c = cmd_getopt("attribute", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 't': tech = optarg; break;
		case 's': sight = optarg; break;
		case 'r': report = optarg; break;
		case 'j': json = true; break;
		case 'n':
			if (cmd_parse_long("attribute", "--top", optarg, 1, 1000, &top))
				break;
			free(v);
			return 2;
		default:        /* reported by cmd_getopt */
			free(v);
			return 2;
		}
	}
	if (!v || optind != argc || (!!tech + !!sight + !!report) != 1) {
		free(v);
		return cmd_usage_error("attribute", "one of --techniques, --sightings and --report, "
				       "and no other argument");
	}
	a = an_attr_new();
	rc = store_open(cli->db_path, &s, &e);
	if (rc == 0)
		rc = load_kb(s, a, &e);
	if (rc == 0)
		rc = tech ? ev_techniques(v, a, tech, &e) : sight ? ev_sightings(v, a, sight, &keep, &e)
							   : ev_report(v, a, s, report, &keep, &e);
	if (rc == 0 && v->n == 0)
		rc = cc_err_set(&e, CC_ERR, "attribute: no evidence (nothing the input refers to)");
	if (rc == 0)
		rc = an_attr_rank(a, v->ids, v->n, (size_t)top, &out, &e);
	if (rc == 0 && json) {
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
		putchar('\n');
	} else if (rc == 0) {
		print_text(out);
	}
	json_decref(out);
	json_decref(keep);
	an_attr_free(a);
	store_close(s);
	free(v);
	return rc ? cmd_fail(&e) : 0;
}
