/*
 * trail.c — what the command line writes to the audit trail: one entry
 * per administrative command (actor "cli:<unix user>", the command and
 * its arguments, its exit status, and what it noted: why it failed, the
 * authorisation it acted on), then a checkpoint signed with the hub's key
 * when this user may read it.  And the hub's key files, found beside the
 * store unless --audit-key says otherwise.
 */
#include "cmd/cmd.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/audit.h"

void cmd_actor(char *out, size_t n)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw && pw->pw_name)
		snprintf(out, n, "cli:%s", pw->pw_name);
	else
		snprintf(out, n, "cli:uid%u", (unsigned)getuid());
}

void cmd_note_message(const cc_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (!cli->note)
		return;
	va_start(ap, fmt);
	vsnprintf(cli->note->message, sizeof(cli->note->message), fmt, ap);
	va_end(ap);
}

void cmd_note_authz(const cc_cli *cli, const char *id)
{
	if (cli->note)
		snprintf(cli->note->authz, sizeof(cli->note->authz), "%.36s", id);
}

int cmd_fail_noted(const cc_cli *cli, const cc_err *e)
{
	cmd_note_message(cli, "%s", e && e->msg[0] ? e->msg : "operation failed");
	return cmd_fail(e);
}

int cmd_hub_key(const cc_cli *cli, bool secret, audit_key *k, cc_err *e)
{
	char pub[4200];
	int rc;

	if (secret)
		return audit_key_load_secret(cli->audit_key, k, e);
	snprintf(pub, sizeof(pub), "%s.pub", cli->audit_key);
	rc = audit_key_load_public(pub, k, e);
	if (rc == CC_ENOTFOUND && audit_key_load_secret(cli->audit_key, k, NULL) == 0) {
		k->has_sk = false;	/* its public half is all that is needed */
		sodium_memzero(k->sk, sizeof(k->sk));
		return 0;
	}
	return rc;
}

int cmd_trail_open(const cc_cli *cli, const char *cmd, audit_log **out)
{
	cc_err e;

	if (audit_log_open(cli->audit_path, out, &e) == 0)
		return 0;
	fprintf(stderr, "cybercell: %s: the audit trail cannot be written, so nothing was done: "
		"%s\n", cmd, e.msg);
	return 1;
}

int cmd_trail_write(const cc_cli *cli, audit_log *l, const char *action, int argc,
		    char **argv, int exit_code)
{
	audit_entry en = { 0 }, *v[1] = { &en };
	audit_key key;
	char actor[300];
	cc_err e;
	int rc, krc;

	cmd_actor(actor, sizeof(actor));
	audit_set(&en.actor, actor);
	audit_set(&en.action, action);
	for (int i = 0; i < argc; i++)
		audit_list_add(&en.args, argv[i]);
	en.has_exit = true;
	en.exit_code = exit_code;
	if (cli->note) {
		if (cli->note->message[0])
			audit_set(&en.message, cli->note->message);
		if (cli->note->authz[0])
			audit_set(&en.authz, cli->note->authz);
	}
	/* signed at once when this user holds the hub's key: nobody can
	 * rewrite the entry afterwards without it */
	krc = cmd_hub_key(cli, true, &key, &e);
	if (krc && krc != CC_ENOTFOUND)
		fprintf(stderr, "cybercell: audit: no checkpoint signed: %s\n", e.msg);
	rc = audit_log_append(l, v, 1, krc ? NULL : &key, NULL, &e);
	audit_key_wipe(&key);
	audit_entry_clear(&en);
	if (rc) {
		fprintf(stderr, "cybercell: %s: done, but not recorded in the audit trail: %s\n",
			action, e.msg);
		return 1;
	}
	return 0;
}
