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

/* Flags of a command. */
enum {
	CMD_AUDITED = 1,        /* an administrative command: each run is an entry of the
	                           audit trail (main writes it) */
	CMD_SUBCOMMANDS = 2,    /* its first operand is a subcommand, part of the action
	                           the trail names ("org add") */
};

/* One entry of the command table. */
typedef struct cmd_def {
	const char *name;       /* what the user types */
	cmd_fn fn;              /* the handler */
	const char *summary;    /* one line for `cybercell help` */
	const char *usage;      /* full help text for `cybercell help NAME` */
	unsigned flags;         /* CMD_* */
} cmd_def;

#define ADMIN (CMD_AUDITED | CMD_SUBCOMMANDS)

static const cmd_def cmd_table[] = {
	{ "init",       cmd_init,       "create the store (idempotent)", cmd_init_usage, 0 },
	{ "import",     cmd_import,     "import STIX 2.0/2.1 bundles into the store", cmd_import_usage, CMD_AUDITED },
	{ "export",     cmd_export,     "export objects as a STIX 2.1 bundle", cmd_export_usage, 0 },
	{ "get",        cmd_get,        "show one object by id", cmd_get_usage, 0 },
	{ "find",       cmd_find,       "search objects by type, name, alias, external id, relation", cmd_find_usage, 0 },
	{ "validate",   cmd_validate,   "check STIX files without storing them", cmd_validate_usage, 0 },
	{ "stats",      cmd_stats,      "objects and versions per type and collection", cmd_stats_usage, 0 },
	{ "serve",      cmd_serve,      "run the TAXII 2.1 server", cmd_serve_usage, 0 },
	{ "org",        cmd_org,        "manage member organisations", cmd_org_usage, ADMIN },
	{ "user",       cmd_user,       "manage users and their passwords", cmd_user_usage, ADMIN },
	{ "collection", cmd_collection, "manage TAXII collections", cmd_collection_usage, ADMIN },
	{ "grant",      cmd_grant,      "give an organisation access to a collection", cmd_grant_usage, CMD_AUDITED },
	{ "revoke",     cmd_revoke,     "take an organisation's access to a collection away", cmd_revoke_usage, CMD_AUDITED },
	{ "approver",   cmd_approver,   "manage the approvers who sign authorisations", cmd_approver_usage, ADMIN },
	{ "authorise",  cmd_authorise,  "two-person authorisations to read restricted collections", cmd_authorise_usage, ADMIN },
	{ "peer",       cmd_peer,       "manage the peers this hub syncs with, and their links", cmd_peer_usage, ADMIN },
	{ "sync",       cmd_sync,       "pull from and push to the peers (federation)", cmd_sync_usage, CMD_AUDITED },
	{ "taxii",      cmd_taxii,      "TAXII 2.1 client: discovery, collections, get, pull, push", cmd_taxii_usage, ADMIN },
	{ "audit",      cmd_audit,      "the tamper-evident audit trail: init, show, verify, head, rotate", cmd_audit_usage, 0 },
	{ "pattern",    cmd_pattern,    "check STIX patterns and match them on observations", cmd_pattern_usage, 0 },
	{ "match",      cmd_match,      "scan logs with the store's indicators", cmd_match_usage, 0 },
	{ "warninglist", cmd_warninglist, "values that must never alert: built-in and MISP lists", cmd_warninglist_usage, ADMIN },
	{ "attribute",  cmd_attribute,  "rank intrusion-sets by the evidence they share with what was seen", cmd_attribute_usage, 0 },
	{ "sightings",  cmd_sightings,  "who else saw this: sightings of an indicator or value across members", cmd_sightings_usage, 0 },
	{ "wargame",    cmd_wargame,    "simulate an adversary against a network model", cmd_wargame_usage, 0 },
	{ "exercise",   cmd_exercise,   "turn-based training game for a blue team", cmd_exercise_usage, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
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
	"usage: cybercell [--db PATH] [--audit FILE] [--audit-key FILE] <command> [options]\n"
	"       cybercell help [command]\n"
	"       cybercell --version\n"
	"\n"
	"The store is --db PATH, else $CYBERCELL_DB, else ./cybercell.db.  The audit\n"
	"trail is --audit FILE, else $CYBERCELL_AUDIT, else the store's path with\n"
	".audit; the hub's key --audit-key FILE, else $CYBERCELL_AUDIT_KEY, else the\n"
	"store's path with .audit-key (and .audit-key.pub).\n"
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

/* Run an administrative command c and write its entry to the audit
 * trail: opened first (when it cannot be written, nothing is done), the
 * entry after, with the exit status and what the command noted. */
static int run_audited(const cmd_def *c, int argc, char **argv, cc_cli *cli)
{
	cmd_note note = { "", "" };
	audit_log *l = NULL;
	char action[96], **args;
	int rc;

	if (cmd_trail_open(cli, c->name, &l) != 0)
		return 1;
	/* as given: the command's option parsing reorders argv */
	args = malloc((size_t)argc * sizeof(*args));
	if (!args) {
		audit_log_close(l);
		fputs("cybercell: out of memory\n", stderr);
		return 1;
	}
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	if ((c->flags & CMD_SUBCOMMANDS) && argc > 1 && argv[1][0] != '-')
		snprintf(action, sizeof(action), "%s %.40s", c->name, argv[1]);
	else
		snprintf(action, sizeof(action), "%s", c->name);
	cli->note = &note;
	rc = c->fn(argc, argv, cli);
	fflush(stdout);
	if (cmd_trail_write(cli, l, action, argc - 1, args + 1, rc) != 0 && rc == 0)
		rc = 1;
	free(args);
	audit_log_close(l);
	cli->note = NULL;
	return rc;
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

/* A global option NAME PATH or NAME=PATH at argv[*i]: true when it is
 * one (then *i moves past it, or is -1 after an error), with the path. */
static bool global_path(int argc, char **argv, int *i, const char *name, const char **path)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strcmp(a, name) == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "cybercell: %s needs a path\n", name);
			*i = -1;
			return true;
		}
		*path = argv[*i + 1];
		*i += 2;
		return true;
	}
	if (strncmp(a, name, n) == 0 && a[n] == '=') {
		*path = a + n + 1;
		*i += 1;
		return true;
	}
	return false;
}

/* The path given, else $env, else the store's path with suffix (in buf). */
static const char *beside(const char *given, const char *env, const char *db, const char *suffix,
			  char *buf, size_t n)
{
	if (given && *given)
		return given;
	given = getenv(env);
	if (given && *given)
		return given;
	snprintf(buf, n, "%s%s", db, suffix);
	return buf;
}

int main(int argc, char **argv)
{
	cc_cli cli = { NULL, NULL, NULL, NULL };
	char trail_path[4200], key_path[4200];
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
		} else if (global_path(argc, argv, &i, "--db", &cli.db_path) ||
			   global_path(argc, argv, &i, "--audit", &cli.audit_path) ||
			   global_path(argc, argv, &i, "--audit-key", &cli.audit_key)) {
			if (i < 0)
				return 2;
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
	cli.audit_path = beside(cli.audit_path, "CYBERCELL_AUDIT", cli.db_path, ".audit", trail_path,
				sizeof(trail_path));
	cli.audit_key = beside(cli.audit_key, "CYBERCELL_AUDIT_KEY", cli.db_path, ".audit-key",
			       key_path, sizeof(key_path));
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
	if (c->flags & CMD_AUDITED)
		return finish_stdout(run_audited(c, argc - i, argv + i, &cli));
	return finish_stdout(c->fn(argc - i, argv + i, &cli));
}
