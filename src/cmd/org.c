/*
 * org.c — `cybercell org`: the member organisations of the hub.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "store/store.h"

const char cmd_org_usage[] =
	"usage: cybercell org add NAME\n"
	"       cybercell org list [--json]\n"
	"\n"
	"Manage the member organisations.  Users belong to one organisation;\n"
	"grants give an organisation access to a collection.\n"
	"\n"
	"  add NAME    create an organisation (prints its STIX identity id)\n"
	"  list        one line per organisation: name and identity id\n"
	"  --json      list as a JSON array of {\"name\", \"identity_id\"}\n";

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

static void org_row(cmd_list *l, const void *item)
{
	const store_org *o = item;

	cmd_list_row(l, json_pack("{s:s,s:s}", "name", o->name, "identity_id", o->identity_id),
		     "%s\t%s\n", o->name, o->identity_id);
}

int cmd_org(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	store *s = NULL;
	store_org *v = NULL;
	size_t n = 0;
	cc_err e;
	int c, rc;

	cmd_getopt_reset();
	while ((c = cmd_getopt("org", argc, argv, "", opts)) != -1) {
		if (c != 'j')
			return 2;       /* reported by cmd_getopt */
		json = true;
	}
	if (optind >= argc)
		return cmd_usage_error("org", "missing subcommand (add or list)");
	if (strcmp(argv[optind], "add") == 0) {
		if (argc - optind != 2)
			return cmd_usage_error("org", "add takes one NAME");
	} else if (strcmp(argv[optind], "list") == 0) {
		if (argc - optind != 1)
			return cmd_usage_error("org", "list takes no argument");
	} else {
		return cmd_usage_error("org", "unknown subcommand '%s'", argv[optind]);
	}
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail(&e);
	if (strcmp(argv[optind], "add") == 0)
		rc = org_add(s, argv[optind + 1]);
	else if (store_org_list(s, &v, &n, &e) == 0)
		rc = cmd_list_print(json, v, n, sizeof(*v), org_row);
	else
		rc = cmd_fail(&e);
	store_org_list_free(v, n);
	store_close(s);
	return rc;
}
