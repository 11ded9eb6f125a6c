/*
 * revoke.c — `cybercell revoke`: take an organisation's access to a
 * collection away.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "store/store.h"

const char cmd_revoke_usage[] =
	"usage: cybercell revoke ORG COLLECTION\n"
	"\n"
	"Remove the grant of organisation ORG on COLLECTION (name or id).  From\n"
	"then on the collection does not exist for its users (HTTP 404).\n"
	"Fails (exit 1) when there is no such grant.\n";

int cmd_revoke(int argc, char **argv, const cc_cli *cli)
{
	store_collection col = { 0 };
	store_org o = { 0 };
	store *s = NULL;
	cc_err e;
	int rc = 1;

	cmd_getopt_reset();
	if (cmd_getopt("revoke", argc, argv, "", (const struct option[]){ { NULL, 0, NULL, 0 } }) != -1)
		return 2;       /* reported by cmd_getopt */
	if (argc - optind != 2)
		return cmd_usage_error("revoke", "takes ORG COLLECTION");
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail(&e);
	if (store_org_get(s, argv[optind], &o, &e) != 0 ||
	    store_collection_get(s, argv[optind + 1], &col, &e) != 0 ||
	    store_grant_remove(s, o.id, col.id, &e) != 0) {
		rc = cmd_fail(&e);
		goto out;
	}
	rc = 0;
out:
	store_org_clear(&o);
	store_collection_clear(&col);
	store_close(s);
	return rc;
}
