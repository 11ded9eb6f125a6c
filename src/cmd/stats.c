/*
 * stats.c — `cybercell stats`: objects and versions per type and collection.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "store/store.h"

const char cmd_stats_usage[] =
	"usage: cybercell stats [--json]\n"
	"\n"
	"Count the stored objects (distinct ids) and versions, per type, in the\n"
	"whole store and per collection.\n"
	"\n"
	"  -j, --json  print {\"objects\":N,\"versions\":M,\"collections\":{NAME:{TYPE:\n"
	"              {\"objects\":n,\"versions\":m}}},\"total\":{TYPE:{...}}}\n"
	"\n"
	"Exit status: 0 ok, 1 the store could not be read, 2 bad usage.\n";

static const struct option stats_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

static void print_table(json_t *types, const char *indent)
{
	const char *type;
	json_t *c;

	int width = 34 - (int)strlen(indent);

	json_object_foreach(types, type, c)
		printf("%s%-*s %9lld %9lld\n", indent, width, type,
		       (long long)json_integer_value(json_object_get(c, "objects")),
		       (long long)json_integer_value(json_object_get(c, "versions")));
}

static void print_text(json_t *o)
{
	const char *name;
	json_t *c;

	printf("%-34s %9s %9s\n", "type", "objects", "versions");
	print_table(json_object_get(o, "total"), "");
	printf("%-34s %9lld %9lld\n", "total",
	       (long long)json_integer_value(json_object_get(o, "objects")),
	       (long long)json_integer_value(json_object_get(o, "versions")));
	json_object_foreach(json_object_get(o, "collections"), name, c) {
		printf("\ncollection %s:%s\n", name, json_object_size(c) ? "" : " empty");
		print_table(c, "  ");
	}
}

int cmd_stats(int argc, char **argv, const cc_cli *cli)
{
	bool json = false;
	json_t *o = NULL;
	store *st = NULL;
	cc_err e = { 0 };
	int opt, status = 0;

	cmd_getopt_reset();
	while ((opt = cmd_getopt(argv[0], argc, argv, "j", stats_opts)) != -1) {
		if (opt != 'j')
			return 2;       /* reported by cmd_getopt */
		json = true;
	}
	if (optind < argc)
		return cmd_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	if (store_open(cli->db_path, &st, &e) || store_stats(st, &o, &e)) {
		status = cmd_fail(&e);
		goto out;
	}
	if (json) {
		char *text = json_dumps(o, JSON_COMPACT);
		puts(text);
		free(text);
	} else {
		print_text(o);
	}
out:
	json_decref(o);
	store_close(st);
	return status;
}
