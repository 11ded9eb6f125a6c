/*
 * collection.c — `cybercell collection`: the TAXII collections of the hub.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "stix/stix.h"
#include "store/store.h"
#include "util/uuid.h"

const char cmd_collection_usage[] =
	"usage: cybercell collection add NAME [--title T] [--description D] [--id UUID]\n"
	"                                [--default-tlp LEVEL] [--restricted]\n"
	"       cybercell collection restrict|unrestrict NAME\n"
	"       cybercell collection list [--json]\n"
	"\n"
	"Manage TAXII collections.  Members see a collection only through a grant\n"
	"(cybercell grant).\n"
	"\n"
	"  add NAME            create a collection; prints its TAXII id\n"
	"  --title T           TAXII title (default: NAME)\n"
	"  --description D     TAXII description\n"
	"  --id UUID           the TAXII id (default: a random UUID)\n"
	"  --default-tlp LEVEL TLP of objects without a TLP marking: clear, green,\n"
	"                      amber, amber+strict or red (default clear)\n"
	"  --restricted        members with a grant also need an authorisation\n"
	"                      (cybercell authorise) to see it at all\n"
	"  restrict NAME       make a collection restricted; unrestrict: no longer\n"
	"  list                one line per collection: id, name, default TLP, title,\n"
	"                      \"restricted\" or \"-\"\n"
	"  --json              list as a JSON array of {\"id\", \"name\", \"title\",\n"
	"                      \"description\", \"default_tlp\", \"restricted\"}\n";

static int coll_add(store *s, const char *name, const char *title, const char *desc,
		    const char *id, int tlp, bool restricted)
{
	store_collection c = { 0 };
	unsigned char raw[16];
	cc_err e;
	int rc = 0;

	if (!*name || strlen(name) > 200)
		return cmd_usage_error("collection", "NAME must be 1 to 200 characters");
	if (id && (strlen(id) != 36 || !cc_uuid_parse(id, raw)))
		return cmd_usage_error("collection", "--id: '%s' is not a UUID", id);
	if ((rc = store_begin(s, &e)) == 0 &&
	    (rc = store_collection_add(s, name, title ? title : name, desc, id, &c, &e)) == 0 &&
	    (tlp <= STORE_TLP_CLEAR || (rc = store_collection_set_tlp(s, c.id, tlp, &e)) == 0) &&
	    (!restricted || (rc = store_collection_set_restricted(s, c.id, true, &e)) == 0))
		rc = store_commit(s, &e);
	if (rc != 0) {
		store_rollback(s);
		store_collection_clear(&c);
		return cmd_fail(&e);
	}
	printf("%s\n", c.uuid);
	store_collection_clear(&c);
	return 0;
}

static int coll_restrict(store *s, const char *name, bool restricted)
{
	store_collection c = { 0 };
	cc_err e;
	int rc = store_collection_get(s, name, &c, &e);

	if (rc == 0)
		rc = store_collection_set_restricted(s, c.id, restricted, &e);
	if (rc == 0)
		printf("%s\t%s\t%s\n", c.uuid, c.name, restricted ? "restricted" : "-");
	store_collection_clear(&c);
	return rc ? cmd_fail(&e) : 0;
}

static void coll_row(cmd_list *l, const void *item)
{
	const store_collection *c = item;
	const char *tlp = stix_tlp_name(c->default_tlp);

	tlp = tlp ? tlp : "clear";
	cmd_list_row(l, json_pack("{s:s,s:s,s:s?,s:s?,s:s,s:b}", "id", c->uuid, "name", c->name,
				  "title", c->title, "description", c->description,
				  "default_tlp", tlp, "restricted", c->restricted),
		     "%s\t%s\t%s\t%s\t%s\n", c->uuid, c->name, tlp, c->title ? c->title : "",
		     c->restricted ? "restricted" : "-");
}

int cmd_collection(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "description", required_argument, NULL, 'd' },
		{ "id", required_argument, NULL, 'i' },
		{ "default-tlp", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "restricted", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL, *desc = NULL, *id = NULL, *sub;
	int tlp = STORE_TLP_NONE, c, rc;
	bool json = false, add_opts = false, restricted = false;
	store *s = NULL;
	store_collection *v = NULL;
	size_t n = 0;
	cc_err e;

	cmd_getopt_reset();
	while ((c = cmd_getopt("collection", argc, argv, "", opts)) != -1) {
		add_opts |= c != 'j';
		switch (c) {
		case 't': title = optarg; break;
		case 'd': desc = optarg; break;
		case 'i': id = optarg; break;
		case 'j': json = true; break;
		case 'r': restricted = true; break;
		case 'l':
			tlp = stix_tlp_parse_name(optarg);
			if (tlp < 0)
				return cmd_usage_error("collection", "--default-tlp: '%s' is not clear, "
						       "green, amber, amber+strict or red", optarg);
			break;
		default:        /* reported by cmd_getopt */
			return 2;
		}
	}
	if (optind >= argc)
		return cmd_usage_error("collection", "missing subcommand (add, restrict, unrestrict or "
				       "list)");
	sub = argv[optind];
	if (strcmp(sub, "add") == 0) {
		if (argc - optind != 2 || json)
			return cmd_usage_error("collection", "add takes one NAME");
	} else if (strcmp(sub, "list") == 0) {
		if (argc - optind != 1 || add_opts)
			return cmd_usage_error("collection", "list takes only --json");
	} else if (strcmp(sub, "restrict") == 0 || strcmp(sub, "unrestrict") == 0) {
		if (argc - optind != 2 || add_opts || json)
			return cmd_usage_error("collection", "%s takes one NAME", sub);
	} else {
		return cmd_usage_error("collection", "unknown subcommand '%s'", sub);
	}
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail(&e);
	if (strcmp(sub, "add") == 0)
		rc = coll_add(s, argv[optind + 1], title, desc, id, tlp, restricted);
	else if (strcmp(sub, "list") != 0)
		rc = coll_restrict(s, argv[optind + 1], strcmp(sub, "restrict") == 0);
	else if (store_collection_list(s, &v, &n, &e) == 0)
		rc = cmd_list_print(json, v, n, sizeof(*v), coll_row);
	else
		rc = cmd_fail(&e);
	store_collection_list_free(v, n);
	store_close(s);
	return rc;
}
