/*
 * find.c — `cybercell find`: search the latest versions by type, name,
 * alias, external id and relationship.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "store/store.h"

const char cmd_find_usage[] =
	"usage: cybercell find [--type T] [--name TEXT] [--alias TEXT] [--external-id ID]\n"
	"                      [--related-to ID [--relationship-type R]] [--limit N]\n"
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
	"  -r, --related-to ID       at the other end of a relationship with object ID\n"
	"  -R, --relationship-type R with --related-to: only relationships of type R\n"
	"  -l, --limit N             at most N objects\n"
	"      --include-revoked     also revoked and deprecated objects\n"
	"  -j, --json                one object per line as compact JSON\n"
	"\n"
	"Without --json prints a table: type, id, name, external id.\n"
	"Exit status: 0 (also when nothing matches), 1 failed, 2 bad usage.\n";

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

static int print_json(const store_row *r, void *ud)
{
	(void)ud;
	fwrite(r->json, 1, r->json_len, stdout);
	putchar('\n');
	return 0;
}

static int print_line(const store_row *r, void *ud)
{
	json_t *obj = json_loadb(r->json, r->json_len, 0, NULL);
	const char *name = json_string_value(json_object_get(obj, "name"));
	const char *x = external_id(obj);

	(void)ud;
	printf("%-20s %-55s %-40s %s\n", r->type, r->id, name ? name : "-", x ? x : "-");
	json_decref(obj);
	return 0;
}

int cmd_find(int argc, char **argv, const cc_cli *cli)
{
	store_find_query q = { 0 };
	bool json = false;
	store *st = NULL;
	cc_err e = { 0 };
	long long lim;
	int opt, status = 0;

	cmd_getopt_reset();
	while ((opt = getopt_long(argc, argv, "t:n:a:x:r:R:l:j", find_opts, NULL)) != -1) {
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
		default:
			return cmd_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	if (q.relationship_type && !q.related_to)
		return cmd_usage_error(argv[0], "--relationship-type needs --related-to");
	if (store_open(cli->db_path, &st, &e))
		return cmd_fail(&e);
	if (!json)
		printf("%-20s %-55s %-40s %s\n", "TYPE", "ID", "NAME", "EXTERNAL ID");
	if (store_find(st, &q, json ? print_json : print_line, NULL, &e))
		status = cmd_fail(&e);
	store_close(st);
	return status;
}
