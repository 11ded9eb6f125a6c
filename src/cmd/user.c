/*
 * user.c — `cybercell user`: TAXII users, their organisation and password.
 * Passwords are kept only as argon2id hashes; a generated password is shown
 * once, on stdout, and nowhere else.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "taxii/taxii.h"

const char cmd_user_usage[] =
	"usage: cybercell user add NAME --org ORG [--password-stdin]\n"
	"       cybercell user passwd NAME [--password-stdin]\n"
	"       cybercell user remove NAME\n"
	"       cybercell user list [--json]\n"
	"\n"
	"Manage the users who log in to the TAXII server (HTTP Basic).\n"
	"\n"
	"  add NAME --org ORG   create a user in organisation ORG\n"
	"  passwd NAME          set a new password\n"
	"  remove NAME          delete the user: it can no longer log in (the\n"
	"                       running server refuses it from its next request)\n"
	"  --password-stdin     read the password (8 to 255 bytes) from the first line\n"
	"                       of stdin; without it a strong random password is made\n"
	"                       and printed once on stdout\n"
	"  list                 one line per user: name and organisation\n"
	"  --json               list as a JSON array of {\"name\", \"org\"}\n"
	"\n"
	"Passwords are stored as argon2id hashes (libsodium), never in clear.\n";

#define PW_MAX 256

/* The password: from stdin's first line, or generated (then *generated). */
static int get_password(bool from_stdin, char pw[PW_MAX], bool *generated)
{
	*generated = false;
	if (!from_stdin) {
		taxii_password_generate(pw);
		*generated = true;
		return 0;
	}
	return cmd_read_secret("user", "password", pw, PW_MAX, 8);
}

static int user_set(store *s, const char *name, const char *org, bool from_stdin)
{
	char pw[PW_MAX], hash[TAXII_PWHASH_MAX];
	bool gen;
	store_org o = { 0 };
	cc_err e;
	int rc = 1;

	if (org && store_org_get(s, org, &o, &e) != 0)
		return cmd_fail(&e);
	if (get_password(from_stdin, pw, &gen) != 0)
		goto out;
	if (taxii_password_hash(pw, hash, &e) != 0) {
		rc = cmd_fail(&e);
		goto out;
	}
	if (org ? store_user_add(s, name, o.id, hash, &e) : store_user_set_pwhash(s, name, hash, &e)) {
		rc = cmd_fail(&e);
		goto out;
	}
	if (gen) {
		printf("%s\n", pw);
		fprintf(stderr, "cybercell: user: generated password for '%s' printed on stdout "
			"(shown once; not stored in clear)\n", name);
	}
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	store_org_clear(&o);
	return rc;
}

static void user_row(cmd_list *l, const void *item)
{
	const store_user *u = item;
	const char *org = u->org_name ? u->org_name : "";

	cmd_list_row(l, json_pack("{s:s,s:s}", "name", u->name, "org", org),
		     "%s\t%s\n", u->name, org);
}

int cmd_user(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *org = NULL, *sub;
	bool from_stdin = false, json = false;
	store *s = NULL;
	store_user *v = NULL;
	size_t n = 0;
	cc_err e;
	int c, rc, nargs;

	cmd_getopt_reset();
	while ((c = cmd_getopt("user", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'o': org = optarg; break;
		case 'p': from_stdin = true; break;
		case 'j': json = true; break;
		default: return 2;      /* reported by cmd_getopt */
		}
	}
	if (optind >= argc)
		return cmd_usage_error("user", "missing subcommand (add, passwd, remove or list)");
	sub = argv[optind];
	nargs = argc - optind - 1;
	if (strcmp(sub, "add") == 0) {
		if (nargs != 1 || !org)
			return cmd_usage_error("user", "add takes NAME and --org ORG");
		if (!cmd_name_ok("user", argv[optind + 1]))
			return 2;
	} else if (strcmp(sub, "passwd") == 0) {
		if (nargs != 1 || org)
			return cmd_usage_error("user", "passwd takes NAME");
	} else if (strcmp(sub, "remove") == 0) {
		if (nargs != 1 || org || from_stdin)
			return cmd_usage_error("user", "remove takes NAME");
	} else if (strcmp(sub, "list") == 0) {
		if (nargs != 0 || org || from_stdin)
			return cmd_usage_error("user", "list takes only --json");
	} else {
		return cmd_usage_error("user", "unknown subcommand '%s'", sub);
	}
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail(&e);
	if (strcmp(sub, "remove") == 0)
		rc = store_user_remove(s, argv[optind + 1], &e) ? cmd_fail(&e) : 0;
	else if (strcmp(sub, "list") != 0)
		rc = user_set(s, argv[optind + 1], org, from_stdin);
	else if (store_user_list(s, &v, &n, &e) == 0)
		rc = cmd_list_print(json, v, n, sizeof(*v), user_row);
	else
		rc = cmd_fail(&e);
	store_user_list_free(v, n);
	store_close(s);
	return rc;
}
