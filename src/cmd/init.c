/*
 * init.c — `cybercell init`: create (or migrate) the store explicitly.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "store/store.h"

const char cmd_init_usage[] =
	"usage: cybercell init\n"
	"\n"
	"Create the store (--db PATH, else $CYBERCELL_DB, else ./cybercell.db) with\n"
	"its default collection, or migrate an existing one to this version's\n"
	"schema.  Running it again changes nothing.\n"
	"\n"
	"Exit status: 0 the store is ready, 1 it could not be created or opened,\n"
	"2 bad usage.\n";

static const struct option init_opts[] = {
	{ NULL, 0, NULL, 0 },
};

int cmd_init(int argc, char **argv, const cc_cli *cli)
{
	store *st;
	cc_err e = { 0 };

	cmd_getopt_reset();
	if (cmd_getopt(argv[0], argc, argv, "", init_opts) != -1)
		return 2;       /* reported by cmd_getopt */
	if (optind < argc)
		return cmd_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	if (store_open(cli->db_path, &st, &e))
		return cmd_fail(&e);
	printf("store %s ready (schema version %d)\n", cli->db_path, store_schema_version());
	store_close(st);
	return 0;
}
