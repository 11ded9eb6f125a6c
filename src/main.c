/*
 * main.c — cybercell's entry point: the global options and the command
 * table.  Everything a command does lives in src/cmd/<name>.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "version.h"

/* One entry of the command table. */
typedef struct cmd_def {
	const char *name;       /* what the user types */
	cmd_fn fn;              /* the handler */
	const char *summary;    /* one line for `cybercell help` */
	const char *usage;      /* full help text for `cybercell help NAME` */
} cmd_def;

static const cmd_def cmd_table[] = {
	{ "init",       cmd_init,       "create the store (idempotent)", cmd_init_usage },
	{ "import",     cmd_import,     "import STIX 2.0/2.1 bundles into the store", cmd_import_usage },
	{ "export",     cmd_export,     "export objects as a STIX 2.1 bundle", cmd_export_usage },
	{ "get",        cmd_get,        "show one object by id", cmd_get_usage },
	{ "find",       cmd_find,       "search objects by type, name, alias, external id, relation", cmd_find_usage },
	{ "validate",   cmd_validate,   "check STIX files without storing them", cmd_validate_usage },
	{ "stats",      cmd_stats,      "objects and versions per type and collection", cmd_stats_usage },
	{ "serve",      cmd_serve,      "run the TAXII 2.1 server", cmd_serve_usage },
	{ "org",        cmd_org,        "manage member organisations", cmd_org_usage },
	{ "user",       cmd_user,       "manage users and their passwords", cmd_user_usage },
	{ "collection", cmd_collection, "manage TAXII collections", cmd_collection_usage },
	{ "grant",      cmd_grant,      "give an organisation access to a collection", cmd_grant_usage },
	{ "revoke",     cmd_revoke,     "take an organisation's access to a collection away", cmd_revoke_usage },
	{ "peer",       cmd_peer,       "manage the peers this hub syncs with, and their links", cmd_peer_usage },
	{ "sync",       cmd_sync,       "pull from and push to the peers (federation)", cmd_sync_usage },
	{ "taxii",      cmd_taxii,      "TAXII 2.1 client: discovery, collections, get, pull, push", cmd_taxii_usage },
	{ "pattern",    cmd_pattern,    "check STIX patterns and match them on observations", cmd_pattern_usage },
	{ "match",      cmd_match,      "scan logs with the store's indicators", cmd_match_usage },
	{ "warninglist", cmd_warninglist, "values that must never alert: built-in and MISP lists", cmd_warninglist_usage },
	{ "attribute",  cmd_attribute,  "rank intrusion-sets by the evidence they share with what was seen", cmd_attribute_usage },
	{ "sightings",  cmd_sightings,  "who else saw this: sightings of an indicator or value across members", cmd_sightings_usage },
	{ "wargame",    cmd_wargame,    "simulate an adversary against a network model", cmd_wargame_usage },
	{ "exercise",   cmd_exercise,   "turn-based training game for a blue team", cmd_exercise_usage },
	{ NULL, NULL, NULL, NULL },
};

/* The entry of command name, or NULL when there is none. */
static const cmd_def *cmd_lookup(const char *name)
{
	for (const cmd_def *c = cmd_table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static const char main_usage[] =
	"usage: cybercell [--db PATH] <command> [options]\n"
	"       cybercell help [command]\n"
	"       cybercell --version\n"
	"\n"
	"The store is --db PATH, else $CYBERCELL_DB, else ./cybercell.db.\n"
	"\n"
	"Commands:\n";

static void print_main_usage(FILE *f)
{
	fputs(main_usage, f);
	for (const cmd_def *c = cmd_table; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fputs("\nRun 'cybercell help <command>' for a command's options.\n", f);
}

/* A command's usage text on stdout; returns 0 (finish_stdout checks it). */
static int print_usage(const cmd_def *c)
{
	fputs(c->usage, stdout);
	return 0;
}

static int run_help(int argc, char **argv)
{
	const cmd_def *c;

	if (argc < 2) {
		print_main_usage(stdout);
		return 0;
	}
	c = cmd_lookup(argv[1]);
	if (!c) {
		fprintf(stderr, "cybercell: help: unknown command '%s'\n", argv[1]);
		return 2;
	}
	return print_usage(c);
}

/* Like git: a command that wrote its output but could not flush it failed. */
static int finish_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "cybercell: writing output: %s\n", strerror(errno));
		return rc ? rc : 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	cc_cli cli = { NULL };
	const cmd_def *c;
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];

		if (strcmp(a, "--version") == 0) {
			printf("cybercell %s\n", CYBERCELL_VERSION);
			return finish_stdout(0);
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_main_usage(stdout);
			return finish_stdout(0);
		} else if (strcmp(a, "--db") == 0) {
			if (i + 1 >= argc) {
				fputs("cybercell: --db needs a path\n", stderr);
				return 2;
			}
			cli.db_path = argv[i + 1];
			i += 2;
		} else if (strncmp(a, "--db=", 5) == 0) {
			cli.db_path = a + 5;
			i++;
		} else {
			fprintf(stderr, "cybercell: unknown option '%s'\n", a);
			print_main_usage(stderr);
			return 2;
		}
	}
	if (!cli.db_path || !*cli.db_path)
		cli.db_path = getenv("CYBERCELL_DB");
	if (!cli.db_path || !*cli.db_path)
		cli.db_path = "cybercell.db";
	if (i >= argc) {
		print_main_usage(stderr);
		return 2;
	}
	if (strcmp(argv[i], "help") == 0)
		return finish_stdout(run_help(argc - i, argv + i));
	c = cmd_lookup(argv[i]);
	if (!c) {
		fprintf(stderr, "cybercell: '%s' is not a command; see 'cybercell help'\n", argv[i]);
		return 2;
	}
	for (int j = i + 1; j < argc; j++) {
		if (strcmp(argv[j], "--") == 0)
			break;
		if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0)
			return finish_stdout(print_usage(c));
	}
	return finish_stdout(c->fn(argc - i, argv + i, &cli));
}
