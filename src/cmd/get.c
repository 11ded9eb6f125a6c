/*
 * get.c — `cybercell get`: one object by id, pretty-printed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "store/store.h"

const char cmd_get_usage[] =
	"usage: cybercell get [--all-versions] ID\n"
	"\n"
	"Print the latest version (greatest `modified`) of the object ID as\n"
	"indented JSON; with --all-versions a JSON array of every stored version,\n"
	"oldest first.  When several organisations hold a copy of ID (see\n"
	"docs/taxii.md, Security model), the latest version is the hub's copy's,\n"
	"else that of the organisation created first; --all-versions lists every\n"
	"copy's versions, copy after copy.  A version that peers delivered (see\n"
	"`cybercell sync`) has " CMD_PROVENANCE_KEY ": which peer, and when.\n"
	"\n"
	"  -a, --all-versions  every version\n"
	"\n"
	"Exit status: 0 found, 1 no such object, 2 bad usage.\n";

static const struct option get_opts[] = {
	{ "all-versions", no_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

/* What collect adds to. */
typedef struct get_ctx {
	store *s;
	json_t *rows;
} get_ctx;

static int collect(const store_row *r, void *ud)
{
	get_ctx *g = ud;
	json_t *obj = json_loadb(r->json, r->json_len, 0, NULL), *prov;

	if (!obj)
		obj = json_string(r->json);     /* cannot happen: we stored it */
	prov = cmd_provenance(g->s, r);
	if (prov)
		json_object_set_new(obj, CMD_PROVENANCE_KEY, prov);
	json_array_append_new(g->rows, obj);
	return 0;
}

int cmd_get(int argc, char **argv, const cc_cli *cli)
{
	bool all = false;
	json_t *rows = NULL;
	store *st = NULL;
	cc_err e = { 0 };
	char *text;
	int opt, status = 0;

	cmd_getopt_reset();
	while ((opt = cmd_getopt(argv[0], argc, argv, "a", get_opts)) != -1) {
		if (opt != 'a')
			return 2;       /* reported by cmd_getopt */
		all = true;
	}
	if (optind + 1 != argc)
		return cmd_usage_error(argv[0], optind >= argc ? "no ID given" : "more than one ID");
	if (store_open(cli->db_path, &st, &e))
		return cmd_fail(&e);
	rows = json_array();
	if (store_get(st, argv[optind], 0, all, collect, &(get_ctx){ st, rows }, &e)) {
		status = cmd_fail(&e);
		goto out;
	}
	text = json_dumps(all ? rows : json_array_get(rows, 0), JSON_INDENT(2));
	if (text)
		puts(text);
	free(text);
out:
	json_decref(rows);
	store_close(st);
	return status;
}
