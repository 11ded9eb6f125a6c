/*
 * approver.c — `cybercell approver`: the named people who sign
 * authorisations.  Adding one makes its Ed25519 key pair: the secret key
 * goes to a file for that person alone, the public key to the store,
 * endorsed by the hub's key.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "store/store.h"
#include "util/time.h"

const char cmd_approver_usage[] =
	"usage: cybercell approver add NAME --org ORG --key-out FILE\n"
	"       cybercell approver list [--json]\n"
	"\n"
	"Approvers sign the authorisations that open restricted collections\n"
	"(cybercell authorise).  Each has an Ed25519 key pair.\n"
	"\n"
	"  add NAME        make approver NAME of organisation ORG: its secret key is\n"
	"                  written to FILE (mode 0600; an existing file is never\n"
	"                  replaced), for that person alone; the store keeps the public\n"
	"                  key, endorsed by the hub's key (needs DB.audit-key: run\n"
	"                  'cybercell audit init' first)\n"
	"  list            one line per approver: name, organisation, public key, added\n"
	"  --json          list as a JSON array of {\"name\", \"org\", \"public_key\",\n"
	"                  \"added\"}\n";

static int approver_add(const cc_cli *cli, store *s, const char *name, const char *org,
			const char *key_out)
{
	audit_key hub, k;
	store_org o = { 0 };
	char hex[AUDIT_PK_HEX];
	cc_err e;
	int rc;

	rc = cmd_hub_key(cli, true, &hub, &e);
	if (rc == CC_ENOTFOUND)
		cc_err_set(&e, rc, "approver: the hub's key %s is needed to endorse an approver's "
			   "key; run 'cybercell audit init' first", cli->audit_key);
	if (rc == 0)
		rc = store_org_get(s, org, &o, &e);
	if (rc) {
		audit_key_wipe(&hub);
		return cmd_fail_noted(cli, &e);
	}
	audit_key_generate(&k);
	rc = audit_key_save_secret(key_out, &k, &e);
	if (rc == 0 && (rc = audit_approver_add(s, name, o.id, &k, &hub, &e)) != 0)
		remove(key_out);
	audit_key_hex(&k, hex);
	audit_key_wipe(&k);
	audit_key_wipe(&hub);
	if (rc == 0)
		printf("approver %s (%s): public key %s\nsecret key written to %s (mode 0600): "
		       "give it to %s alone\n", name, o.name, hex, key_out, name);
	store_org_clear(&o);
	return rc ? cmd_fail_noted(cli, &e) : 0;
}

static void approver_row(cmd_list *l, const void *item)
{
	const store_approver *a = item;
	char ts[CC_TS_MAX];

	cc_ts_format(a->created_us, 0, ts);
	cmd_list_row(l, json_pack("{s:s,s:s,s:s,s:s}", "name", a->name, "org",
				  a->org_name ? a->org_name : "", "public_key", a->public_key,
				  "added", ts),
		     "%s\t%s\t%s\t%s\n", a->name, a->org_name ? a->org_name : "", a->public_key, ts);
}

int cmd_approver(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "key-out", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *org = NULL, *key_out = NULL, *sub;
	store_approver *v = NULL;
	bool json = false;
	store *s = NULL;
	size_t n = 0;
	cc_err e;
	int c, rc;

	cmd_getopt_reset();
	while ((c = cmd_getopt("approver", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'o': org = optarg; break;
		case 'k': key_out = optarg; break;
		case 'j': json = true; break;
		default: return 2;      /* reported by cmd_getopt */
		}
	}
	if (optind >= argc)
		return cmd_usage_error("approver", "missing subcommand (add or list)");
	sub = argv[optind];
	if (strcmp(sub, "add") == 0) {
		if (argc - optind != 2 || !org || !key_out || json)
			return cmd_usage_error("approver", "add takes NAME, --org ORG and "
					       "--key-out FILE");
		if (!cmd_name_ok("approver", argv[optind + 1]))
			return 2;
	} else if (strcmp(sub, "list") == 0) {
		if (argc - optind != 1 || org || key_out)
			return cmd_usage_error("approver", "list takes only --json");
	} else {
		return cmd_usage_error("approver", "unknown subcommand '%s'", sub);
	}
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail_noted(cli, &e);
	if (strcmp(sub, "add") == 0)
		rc = approver_add(cli, s, argv[optind + 1], org, key_out);
	else if (store_approver_list(s, &v, &n, &e) == 0)
		rc = cmd_list_print(json, v, n, sizeof(*v), approver_row);
	else
		rc = cmd_fail(&e);
	store_approver_list_free(v, n);
	store_close(s);
	return rc;
}
