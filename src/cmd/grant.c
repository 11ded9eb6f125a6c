/*
 * grant.c — `cybercell grant`: give an organisation read and/or write
 * access to a collection, up to a TLP level.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "stix/stix.h"
#include "store/store.h"

const char cmd_grant_usage[] =
	"usage: cybercell grant ORG COLLECTION read|write|read-write [--max-tlp LEVEL]\n"
	"\n"
	"Give organisation ORG access to COLLECTION (name or id), replacing any\n"
	"earlier grant.  Readers never receive an object whose TLP is above LEVEL,\n"
	"except the objects their own organisation posted; unmarked objects count\n"
	"as the collection's default TLP.\n"
	"\n"
	"  --max-tlp LEVEL   clear, green, amber, amber+strict or red (default amber)\n";

int cmd_grant(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "max-tlp", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	store_grant g = { 0, 0, false, false, STORE_TLP_AMBER };
	store_collection col = { 0 };
	store_org o = { 0 };
	const char *mode;
	store *s = NULL;
	cc_err e;
	int c, rc = 1;

	cmd_getopt_reset();
	while ((c = cmd_getopt("grant", argc, argv, "", opts)) != -1) {
		if (c != 'm')
			return 2;       /* reported by cmd_getopt */
		g.max_tlp = stix_tlp_parse_name(optarg);
		if (g.max_tlp < 0)
			return cmd_usage_error("grant", "--max-tlp: '%s' is not clear, green, amber, "
					       "amber+strict or red", optarg);
	}
	if (argc - optind != 3)
		return cmd_usage_error("grant", "takes ORG COLLECTION read|write|read-write");
	mode = argv[optind + 2];
	g.can_read = strcmp(mode, "read") == 0 || strcmp(mode, "read-write") == 0;
	g.can_write = strcmp(mode, "write") == 0 || strcmp(mode, "read-write") == 0;
	if (!g.can_read && !g.can_write)
		return cmd_usage_error("grant", "'%s' is not read, write or read-write", mode);
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail(&e);
	if (store_org_get(s, argv[optind], &o, &e) != 0 ||
	    store_collection_get(s, argv[optind + 1], &col, &e) != 0) {
		rc = cmd_fail(&e);
		goto out;
	}
	g.org_id = o.id;
	g.collection_id = col.id;
	if (store_grant_set(s, &g, &e) != 0) {
		rc = cmd_fail(&e);
		goto out;
	}
	printf("%s\t%s\t%s\t%s\n", o.name, col.name, mode, stix_tlp_name(g.max_tlp));
	rc = 0;
out:
	store_org_clear(&o);
	store_collection_clear(&col);
	store_close(s);
	return rc;
}
