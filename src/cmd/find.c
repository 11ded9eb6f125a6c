/*
 * find.c — `cybercell find`: search the latest versions by type, name,
 * alias, external id and relationship.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cmd/cmd.h"
#include "stix/stix.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/time.h"

const char cmd_find_usage[] =
	"usage: cybercell find [--type T] [--name TEXT] [--alias TEXT] [--external-id ID]\n"
	"                      [--related-to OBJ [--relationship-type R]] [--limit N]\n"
	"                      [--include-revoked] [--json]\n"
	"\n"
	"List the latest versions of the objects that meet every condition given.\n"
	"Revoked and deprecated (x_mitre_deprecated) objects and relationships are\n"
	"left out unless --include-revoked.\n"
	"\n"
	"  -t, --type T              objects of type T\n"
	"  -n, --name TEXT           whose name contains TEXT (ignoring case)\n"
	"  -a, --alias TEXT          whose name or one of aliases/x_mitre_aliases is TEXT\n"
	"                            (ignoring case)\n"
	"  -x, --external-id ID      with external_references[].external_id ID (ignoring case)\n"
	"  -r, --related-to OBJ      at the other end of a relationship with OBJ: an id,\n"
	"                            or the name or an alias of exactly one object\n"
	"  -R, --relationship-type R with --related-to: only relationships of type R\n"
	"  -l, --limit N             at most N objects\n"
	"      --include-revoked     also revoked and deprecated objects\n"
	"  -j, --json                one object per line as compact JSON (with\n"
	"                            " CMD_PROVENANCE_KEY " when peers delivered it)\n"
	"\n"
	"Without --json prints a table: type, id, name, external id; a relationship's\n"
	"name is its type and ends (\"uses: A -> B\"), a sighting's what was seen,\n"
	"an indicator's ends with its score (\"[score 63]\": its confidence, decayed\n"
	"with age, raised by sightings, lowered by opinions; --json adds it as\n"
	"x_cybercell_score).\n"
	"Exit status: 0 (also when nothing matches), 1 failed (also: --related-to\n"
	"names no object, or several), 2 bad usage.\n";

static const struct option find_opts[] = {
	{ "type", required_argument, NULL, 't' },
	{ "name", required_argument, NULL, 'n' },
	{ "alias", required_argument, NULL, 'a' },
	{ "external-id", required_argument, NULL, 'x' },
	{ "related-to", required_argument, NULL, 'r' },
	{ "relationship-type", required_argument, NULL, 'R' },
	{ "limit", required_argument, NULL, 'l' },
	{ "include-revoked", no_argument, NULL, 'I' },
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

/* The first external id, preferring MITRE ATT&CK's. */
static const char *external_id(json_t *obj)
{
	json_t *refs = json_object_get(obj, "external_references"), *r;
	const char *first = NULL;
	size_t i;

	json_array_foreach(refs, i, r) {
		const char *x = json_string_value(json_object_get(r, "external_id"));
		const char *src = json_string_value(json_object_get(r, "source_name"));
		if (!x)
			continue;
		if (src && strncmp(src, "mitre-", 6) == 0)
			return x;
		if (!first)
			first = x;
	}
	return first;
}

/* The scores of indicators: the hub's sightings and opinions, read when
 * the first indicator is shown. */
typedef struct scorer {
	store *st;
	an_evidence *ev;        /* NULL until needed */
	int64_t now;
} scorer;

static int evidence_row(const store_row *r, void *ud)
{
	json_t *o = json_loadb(r->json, r->json_len, 0, NULL);

	an_evidence_add(ud, o);
	json_decref(o);
	return 0;
}

/* Read the evidence (not inside another query of the store). */
static void scorer_load(scorer *sc)
{
	const char *types[] = { "sighting", "opinion" };
	store_query q = { .types = types, .n_types = 2 };
	cc_err e;

	if (sc->ev)
		return;
	sc->ev = an_evidence_new();
	sc->now = cc_now_us();
	store_query_run(sc->st, &q, evidence_row, sc->ev, NULL, &e);
	an_evidence_finish(sc->ev);
}

static double score_of(scorer *sc, const json_t *obj)
{
	scorer_load(sc);
	return an_indicator_score(sc->ev, obj, sc->now, NULL);
}

static bool is_indicator(const json_t *obj)
{
	const char *t = json_string_value(json_object_get(obj, "type"));

	return t && !strcmp(t, "indicator");
}

/* One line of --json: the stored text, with an indicator's score and
 * where the version came from when peers delivered it. */
static int print_json(const store_row *r, void *ud)
{
	scorer *sc = ud;
	json_t *prov = cmd_provenance(sc->st, r), *obj;
	bool ind = !strcmp(r->type, "indicator");

	if (!prov && !ind) {
		fwrite(r->json, 1, r->json_len, stdout);
		putchar('\n');
		return 0;
	}
	obj = json_loadb(r->json, r->json_len, 0, NULL);
	if (ind)
		json_object_set_new(obj, "x_cybercell_score",
				    json_integer((json_int_t)(score_of(sc, obj) + 0.5)));
	if (prov)
		json_object_set_new(obj, CMD_PROVENANCE_KEY, prov);
	json_dumpf(obj, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(obj);
	return 0;
}

/* The table rows, kept until the search is over: naming a relationship's
 * ends reads the store again. */
static int keep_row(const store_row *r, void *ud)
{
	json_t *obj = json_loadb(r->json, r->json_len, 0, NULL);

	if (!obj || json_array_append_new(ud, obj))
		abort();
	return 0;
}

static int end_name_row(const store_row *r, void *ud)
{
	json_t *obj = json_loadb(r->json, r->json_len, 0, NULL);
	const char *name = json_string_value(json_object_get(obj, "name"));

	if (name)
		*(char **)ud = strdup(name);
	json_decref(obj);
	return 0;
}

/* The name of the object id (its id when it has none or is not stored),
 * borrowed from names, which keeps every one looked up. */
static const char *end_name(store *st, const char *id, json_t *names)
{
	char *name = NULL;
	cc_err e;

	if (!id)
		return "?";
	if (!json_object_get(names, id)) {
		store_get(st, id, 0, false, end_name_row, &name, &e);
		json_object_set_new(names, id, json_string(name ? name : id));
		free(name);
	}
	return json_string_value(json_object_get(names, id));
}

/* What the NAME column shows: the name; for a relationship its type and
 * ends ("uses: A -> B"), for a sighting what was seen. */
static void row_name(store *st, json_t *obj, json_t *names, cc_buf *out)
{
	const char *type = json_string_value(json_object_get(obj, "type"));
	const char *name = json_string_value(json_object_get(obj, "name"));

	if (type && strcmp(type, "relationship") == 0) {
		const char *rt = json_string_value(json_object_get(obj, "relationship_type"));

		cc_buf_printf(out, "%s: %s", rt ? rt : "?",
			      end_name(st, json_string_value(json_object_get(obj, "source_ref")), names));
		cc_buf_printf(out, " -> %s",
			      end_name(st, json_string_value(json_object_get(obj, "target_ref")), names));
	} else if (type && strcmp(type, "sighting") == 0) {
		cc_buf_printf(out, "sighting of %s", end_name(st,
			      json_string_value(json_object_get(obj, "sighting_of_ref")), names));
	} else {
		cc_buf_puts(out, name ? name : "-");
	}
}

static void print_table(store *st, json_t *rows, scorer *sc)
{
	json_t *names = json_object(), *obj;
	size_t i;

	printf("%-20s %-55s %-40s %s\n", "TYPE", "ID", "NAME", "EXTERNAL ID");
	json_array_foreach(rows, i, obj) {
		cc_buf name = CC_BUF_INIT;
		const char *x = external_id(obj);

		row_name(st, obj, names, &name);
		if (is_indicator(obj))
			cc_buf_printf(&name, " [score %.0f]", score_of(sc, obj));
		printf("%-20s %-55s %-40s %s\n", json_string_value(json_object_get(obj, "type")),
		       json_string_value(json_object_get(obj, "id")), cc_buf_str(&name),
		       x ? x : "-");
		cc_buf_free(&name);
	}
	json_decref(names);
}

/* --related-to: an id as given, else the one object of that name or alias. */
static int related_id(store *st, store_find_query *q, char **owned, cc_err *e)
{
	const store_resolve r = { .what = "--related-to", .include_revoked = q->include_revoked };

	if (!q->related_to || stix_id_valid(q->related_to, NULL))
		return CC_OK;
	if (store_resolve_name(st, &r, q->related_to, owned, NULL, e))
		return CC_ERR;
	q->related_to = *owned;
	return CC_OK;
}

int cmd_find(int argc, char **argv, const cc_cli *cli)
{
	store_find_query q = { 0 };
	bool json = false;
	store *st = NULL;
	cc_err e = { 0 };
	json_t *rows = NULL;
	char *rel_id = NULL;
	scorer sc = { NULL, NULL, 0 };
	long long lim;
	int opt, status = 0;

	cmd_getopt_reset();
	while ((opt = cmd_getopt(argv[0], argc, argv, "t:n:a:x:r:R:l:j", find_opts)) != -1) {
		switch (opt) {
		case 't': q.type = optarg; break;
		case 'n': q.name = optarg; break;
		case 'a': q.alias = optarg; break;
		case 'x': q.external_id = optarg; break;
		case 'r': q.related_to = optarg; break;
		case 'R': q.relationship_type = optarg; break;
		case 'I': q.include_revoked = true; break;
		case 'j': json = true; break;
		case 'l':
			if (!cmd_parse_long(argv[0], "--limit", optarg, 1, 1000000000, &lim))
				return 2;
			q.limit = (size_t)lim;
			break;
		default:        /* reported by cmd_getopt */
			return 2;
		}
	}
	if (optind < argc)
		return cmd_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	if (q.relationship_type && !q.related_to)
		return cmd_usage_error(argv[0], "--relationship-type needs --related-to");
	if (store_open(cli->db_path, &st, &e) || related_id(st, &q, &rel_id, &e))
		goto out_fail;
	rows = json_array();
	sc.st = st;
	if (json && (!q.type || !strcmp(q.type, "indicator")))
		scorer_load(&sc);
	if (store_find(st, &q, json ? print_json : keep_row, json ? (void *)&sc : rows, &e))
		goto out_fail;
	if (!json)
		print_table(st, rows, &sc);
	goto out;
out_fail:
	status = cmd_fail(&e);
out:
	json_decref(rows);
	free(rel_id);
	an_evidence_free(sc.ev);
	store_close(st);
	return status;
}
