/*
 * org.c — `cybercell org`: the member organisations of the hub.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "store/store.h"

const char cmd_org_usage[] =
	"usage: cybercell org add NAME\n"
	"       cybercell org list [--json]\n"
	"       cybercell org set NAME --named-in-sightings yes|no\n"
	"\n"
	"Manage the member organisations.  Users belong to one organisation;\n"
	"grants give an organisation access to a collection.\n"
	"\n"
	"  add NAME    create an organisation (prints its STIX identity id)\n"
	"  list        one line per organisation: name and identity id\n"
	"  --json      list as a JSON array of {\"name\", \"identity_id\",\n"
	"              \"named_in_sightings\"}\n"
	"  set         what the organisation allows others to learn of it:\n"
	"  --named-in-sightings yes|no   whether other members see its name in\n"
	"              'who else saw this' answers (default no: only counted)\n";

static int org_add(store *s, const char *name)
{
	store_org o = { 0 };
	cc_err e;

	if (!*name || strlen(name) > 200)
		return cmd_usage_error("org", "NAME must be 1 to 200 characters");
	if (store_org_add(s, name, &o, &e) != 0)
		return cmd_fail(&e);
	printf("%s\n", o.identity_id);
	store_org_clear(&o);
	return 0;
}

/* An organisation and whether it is named in "who else saw this". */
typedef struct org_item {
	const store_org *o;
	bool named;
} org_item;

static void org_row(cmd_list *l, const void *item)
{
	const org_item *it = item;

	cmd_list_row(l, json_pack("{s:s,s:s,s:b}", "name", it->o->name, "identity_id",
				  it->o->identity_id, "named_in_sightings", it->named),
		     "%s\t%s\n", it->o->name, it->o->identity_id);
}

static int org_list(store *s, bool json)
{
	store_org *v = NULL;
	org_item *items;
	size_t n = 0;
	cc_err e;
	int rc;

	if (store_org_list(s, &v, &n, &e) != 0)
		return cmd_fail(&e);
	items = calloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; items && i < n; i++) {
		items[i].o = &v[i];
		store_org_get_named(s, v[i].id, &items[i].named, &e);
	}
	rc = items ? cmd_list_print(json, items, n, sizeof(*items), org_row)
		   : cmd_fail(&(cc_err){ CC_ENOMEM, "org: out of memory" });
	free(items);
	store_org_list_free(v, n);
	return rc;
}

static int org_set(store *s, const char *name, const char *yesno)
{
	store_org o = { 0 };
	cc_err e;
	int rc;

	if (strcmp(yesno, "yes") && strcmp(yesno, "no"))
		return cmd_usage_error("org", "--named-in-sightings: expected yes or no, got '%s'", yesno);
	if (store_org_get(s, name, &o, &e) != 0)
		return cmd_fail(&e);
	rc = store_org_set_named(s, o.id, !strcmp(yesno, "yes"), &e);
	store_org_clear(&o);
	return rc ? cmd_fail(&e) : 0;
}

int cmd_org(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "named-in-sightings", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *named = NULL;
	store *s = NULL;
	cc_err e;
	int c, rc;

	cmd_getopt_reset();
	while ((c = cmd_getopt("org", argc, argv, "", opts)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'n')
			named = optarg;
		else
			return 2;       /* reported by cmd_getopt */
	}
	if (optind >= argc)
		return cmd_usage_error("org", "missing subcommand (add, list or set)");
	if (strcmp(argv[optind], "add") == 0) {
		if (argc - optind != 2)
			return cmd_usage_error("org", "add takes one NAME");
	} else if (strcmp(argv[optind], "list") == 0) {
		if (argc - optind != 1)
			return cmd_usage_error("org", "list takes no argument");
	} else if (strcmp(argv[optind], "set") == 0) {
		if (argc - optind != 2 || !named)
			return cmd_usage_error("org", "set takes one NAME and --named-in-sightings yes|no");
	} else {
		return cmd_usage_error("org", "unknown subcommand '%s'", argv[optind]);
	}
	if (named && strcmp(argv[optind], "set"))
		return cmd_usage_error("org", "--named-in-sightings goes with set");
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail(&e);
	if (strcmp(argv[optind], "add") == 0)
		rc = org_add(s, argv[optind + 1]);
	else if (strcmp(argv[optind], "set") == 0)
		rc = org_set(s, argv[optind + 1], named);
	else
		rc = org_list(s, json);
	store_close(s);
	return rc;
}
