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

static int org_list(store *s, bool json)
{
	store_org *v = NULL;
	size_t n = 0, i;
	json_t *arr = json_array();
	cc_err e;

	if (store_org_list(s, &v, &n, &e) != 0) {
		json_decref(arr);
		return cmd_fail(&e);
	}
	for (i = 0; i < n; i++) {
		if (json)
			json_array_append_new(arr, json_pack("{s:s,s:s}", "name", v[i].name,
							     "identity_id", v[i].identity_id));
		else
			printf("%s\t%s\n", v[i].name, v[i].identity_id);
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(arr);
	store_org_list_free(v, n);
	return 0;
}

int cmd_org(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	store *s = NULL;
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
	else
		rc = org_list(s, json);
	store_close(s);
	return rc;
}
