/*
 * authorise.c — `cybercell authorise`: the two-person rule.  Someone asks
 * for a user to read a restricted collection, for a reason and a time; a
 * named approver, another person, signs it with its key; it can be
 * revoked.  The rules are src/audit/'s; every refusal is an error (exit 1)
 * and an entry of the audit trail.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "store/store.h"
#include "util/time.h"
#include "util/uuid.h"

const char cmd_authorise_usage[] =
	"usage: cybercell authorise request --collection C --user U --reason TEXT --for DURATION\n"
	"       cybercell authorise approve ID --approver NAME --key FILE\n"
	"       cybercell authorise list [--json]\n"
	"       cybercell authorise revoke ID\n"
	"\n"
	"A restricted collection (collection add --restricted) opens to a user only\n"
	"with an authorisation that an approver signed: for one user, one collection,\n"
	"a stated reason and a limited time that starts at the approval.\n"
	"\n"
	"  request       ask for it; prints its id on stdout\n"
	"  --collection C  the restricted collection (name or id)\n"
	"  --user U      the user who will read it\n"
	"  --reason TEXT why (1 to 500 characters, one line)\n"
	"  --for DURATION  how long from the approval: 90s, 15m, 2h, 1d (at most 366d)\n"
	"  approve ID    sign it as approver NAME with the approver's secret key FILE;\n"
	"                refused (exit 1) when the approver is unknown, the key is not\n"
	"                NAME's (or NAME's key in the store is not the one the hub\n"
	"                endorsed), the approver is the user or the one who asked, or\n"
	"                the request was approved or revoked already\n"
	"  list          one line per authorisation: id, collection, user, state\n"
	"                (pending, active, expired, revoked, invalid), approver, until,\n"
	"                reason\n"
	"  --json        list as a JSON array of objects\n"
	"  revoke ID     end it now\n";

/* The options of the subcommands. */
typedef struct az_opts {
	const char *collection, *user, *reason, *duration, *approver, *key;
	bool json;
} az_opts;

static int az_request(const cc_cli *cli, store *s, const az_opts *o)
{
	store_authz a = { .id = "" };
	store_collection c = { 0 };
	store_user u = { 0 };
	char actor[300];
	cc_err e;
	int rc;

	if (!audit_duration_parse(o->duration, &a.duration_s))
		return cmd_usage_error("authorise", "--for: '%s' is not a duration from 1s to 366d "
				       "(90s, 15m, 2h, 1d)", o->duration);
	if (!*o->reason || strlen(o->reason) > 500 || strpbrk(o->reason, "\n\r\t\x7f"))
		return cmd_usage_error("authorise", "--reason must be 1 to 500 characters on one line");
	for (const char *p = o->reason; *p; p++)
		if ((unsigned char)*p < 0x20)
			return cmd_usage_error("authorise", "--reason: control character at %zu",
					       (size_t)(p - o->reason) + 1);
	rc = store_collection_get(s, o->collection, &c, &e);
	if (rc == 0 && !c.restricted)
		rc = cc_err_set(&e, CC_ERR, "authorise: collection %s is not restricted: its "
				"grants alone decide who reads it", c.name);
	if (rc == 0)
		rc = store_user_get(s, o->user, &u, &e);
	if (rc == 0) {
		cmd_actor(actor, sizeof(actor));
		cc_uuid4(a.id);
		a.collection_id = c.id;
		a.user = u.name;
		a.reason = (char *)o->reason;
		a.requested_us = cc_now_us();
		a.requested_by = actor;
		rc = store_authz_add(s, &a, &e);
	}
	if (rc == 0) {
		cmd_note_authz(cli, a.id);
		printf("%s\n", a.id);
	}
	store_collection_clear(&c);
	store_user_clear(&u);
	return rc ? cmd_fail_noted(cli, &e) : 0;
}

static int az_approve(const cc_cli *cli, store *s, const char *id, const az_opts *o)
{
	audit_key key, hub;
	store_authz a = { .id = "" };
	char actor[300], until[CC_TS_MAX];
	int64_t now = cc_now_us(), end = 0;
	cc_err e;
	int rc, hrc;

	cmd_note_authz(cli, id);
	rc = audit_key_load_secret(o->key, &key, &e);
	if (rc)
		return cmd_fail_noted(cli, &e);
	hrc = cmd_hub_key(cli, false, &hub, &e);
	if (hrc && hrc != CC_ENOTFOUND) {
		audit_key_wipe(&key);
		return cmd_fail_noted(cli, &e);
	}
	cmd_actor(actor, sizeof(actor));
	rc = audit_authz_approve(s, id, o->approver, &key, hrc ? NULL : hub.pk, actor, now, &e);
	audit_key_wipe(&key);
	if (rc == 0)
		rc = store_authz_get(s, id, &a, &e);
	if (rc) {
		store_authz_clear(&a);
		return cmd_fail_noted(cli, &e);
	}
	audit_authz_end(&a, &end);
	cc_ts_format(end, 0, until);
	printf("authorisation %s approved by %s: %s may read %s until %s\n", a.id, a.approver,
	       a.user, a.coll_name, until);
	store_authz_clear(&a);
	return 0;
}

/* The state of a as list shows it; why (size wn) says more. */
static const char *az_state(store *s, const store_authz *a, const audit_key *hub, bool have_hub,
			    int64_t now, char *why, size_t wn)
{
	int64_t end;
	cc_err e;

	why[0] = 0;
	if (a->revoked_us)
		return "revoked";
	if (!a->approver)
		return "pending";
	if (audit_authz_valid(s, a, have_hub ? hub->pk : NULL, now, &e) == 0)
		return "active";
	if (audit_authz_end(a, &end) && now >= end)
		return "expired";
	snprintf(why, wn, "%.500s", e.msg);
	return "invalid";
}

static int az_list(const cc_cli *cli, store *s, bool json)
{
	store_authz *v = NULL;
	audit_key hub;
	json_t *arr = json_array();
	size_t n = 0;
	int64_t now = cc_now_us(), end = 0;
	bool have_hub = cmd_hub_key(cli, false, &hub, NULL) == 0;
	cc_err e;

	if (store_authz_list(s, NULL, 0, &v, &n, &e) != 0) {
		json_decref(arr);
		return cmd_fail(&e);
	}
	for (size_t i = 0; i < n; i++) {
		const store_authz *a = &v[i];
		char why[600], until[CC_TS_MAX] = "-";
		const char *st = az_state(s, a, &hub, have_hub, now, why, sizeof(why));

		if (a->approver && audit_authz_end(a, &end))
			cc_ts_format(end, 0, until);
		if (json)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:I,s:s,s:s,s:s?}",
				"id", a->id, "collection", a->coll_name, "user", a->user, "state", st,
				"approver", a->approver, "until", until, "duration_s",
				(json_int_t)a->duration_s, "reason", a->reason, "requested_by",
				a->requested_by, "problem", why[0] ? why : NULL));
		else
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s%s%s\n", a->id, a->coll_name, a->user, st,
			       a->approver ? a->approver : "-", until, a->reason, why[0] ? "\t" : "",
			       why);
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(arr);
	store_authz_list_free(v, n);
	return 0;
}

static int az_revoke(const cc_cli *cli, store *s, const char *id)
{
	cc_err e;

	cmd_note_authz(cli, id);
	if (store_authz_revoke(s, id, cc_now_us(), &e) != 0)
		return cmd_fail_noted(cli, &e);
	printf("authorisation %s revoked\n", id);
	return 0;
}

/* Whether the options given fit subcommand sub with nargs operands. */
static bool az_usage_ok(const char *sub, int nargs, const az_opts *o)
{
	bool req = o->collection || o->user || o->reason || o->duration;
	bool appr = o->approver || o->key;

	if (strcmp(sub, "request") == 0)
		return nargs == 0 && o->collection && o->user && o->reason && o->duration && !appr &&
		       !o->json;
	if (strcmp(sub, "approve") == 0)
		return nargs == 1 && o->approver && o->key && !req && !o->json;
	if (strcmp(sub, "list") == 0)
		return nargs == 0 && !req && !appr;
	return nargs == 1 && !req && !appr && !o->json;	/* revoke */
}

int cmd_authorise(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "collection", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "reason", required_argument, NULL, 'r' },
		{ "for", required_argument, NULL, 'f' },
		{ "approver", required_argument, NULL, 'a' },
		{ "key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const subs[] = { "request", "approve", "list", "revoke", NULL };
	static const char *const takes[] = {
		"--collection C, --user U, --reason TEXT and --for DURATION",
		"ID, --approver NAME and --key FILE", "only --json", "ID" };
	az_opts o = { NULL, NULL, NULL, NULL, NULL, NULL, false };
	const char *sub;
	store *s = NULL;
	cc_err e;
	int c, rc, nargs;

	cmd_getopt_reset();
	while ((c = cmd_getopt("authorise", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'c': o.collection = optarg; break;
		case 'u': o.user = optarg; break;
		case 'r': o.reason = optarg; break;
		case 'f': o.duration = optarg; break;
		case 'a': o.approver = optarg; break;
		case 'k': o.key = optarg; break;
		case 'j': o.json = true; break;
		default: return 2;      /* reported by cmd_getopt */
		}
	}
	if (optind >= argc)
		return cmd_usage_error("authorise", "missing subcommand (request, approve, list or "
				       "revoke)");
	sub = argv[optind];
	nargs = argc - optind - 1;
	for (c = 0; subs[c] && strcmp(subs[c], sub) != 0; c++)
		;
	if (!subs[c])
		return cmd_usage_error("authorise", "unknown subcommand '%s'", sub);
	if (!az_usage_ok(sub, nargs, &o))
		return cmd_usage_error("authorise", "%s takes %s", sub, takes[c]);
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail_noted(cli, &e);
	if (c == 0)
		rc = az_request(cli, s, &o);
	else if (c == 1)
		rc = az_approve(cli, s, argv[optind + 1], &o);
	else if (c == 2)
		rc = az_list(cli, s, o.json);
	else
		rc = az_revoke(cli, s, argv[optind + 1]);
	store_close(s);
	return rc;
}
