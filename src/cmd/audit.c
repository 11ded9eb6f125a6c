/*
 * audit.c — `cybercell audit`: the hub's key (init), reading the trail
 * (show), checking it (verify), a signed head to keep (head), starting a
 * new file (rotate).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "util/file.h"
#include "util/time.h"

const char cmd_audit_usage[] =
	"usage: cybercell audit init\n"
	"       cybercell audit show [--since T] [--user U] [--org O] [--action A] [--json]\n"
	"                            [FILE...]\n"
	"       cybercell audit verify [--head FILE] [--pub FILE] [FILE...]\n"
	"       cybercell audit head\n"
	"       cybercell audit rotate\n"
	"\n"
	"The audit trail: one line per TAXII request and per administrative command,\n"
	"hash-chained, with checkpoints signed by the hub's Ed25519 key.\n"
	"\n"
	"  init          make the hub's key pair: DB.audit-key (secret, mode 0600) and\n"
	"                DB.audit-key.pub (keep a copy away from the hub)\n"
	"  show          the entries, one per line (tab-separated: seq, time, actor,\n"
	"                organisation, client, action, path or arguments, status or\n"
	"                exit, details; checkpoints only with --action or --json);\n"
	"                it does not check them (verify does)\n"
	"  --since T     entries at or after T: a time (2026-01-31T00:00:00Z) or how\n"
	"                long ago (90s, 15m, 2h, 1d)\n"
	"  --user U      entries of user U (also cli:U, and refused logins as U)\n"
	"  --org O       entries of organisation O\n"
	"  --action A    entries of action A (GET, POST, DELETE, org add, ...; a word\n"
	"                alone also matches its subcommands: authorise)\n"
	"  --json        the entries as they are stored (JSON lines)\n"
	"  verify        check every entry's hash, the chain and the signed checkpoints;\n"
	"                exit 0 intact, 1 tampered (naming the first bad entry)\n"
	"  --head FILE   also check that the trail still holds the entry a head saved\n"
	"                earlier names (a truncated tail)\n"
	"  --pub FILE    the hub's public key to trust (default DB.audit-key.pub)\n"
	"  FILE...       the files to check or show, oldest first (rotated files, then\n"
	"                the current one); default: the current trail\n"
	"  head          print a head signed now: the number of entries and the last\n"
	"                hash (keep it elsewhere; verify --head uses it)\n"
	"  rotate        keep the current file as DB.audit.<time> and start a new one\n"
	"                that chains on to it\n";

/* The options of the subcommands. */
typedef struct show_opts {
	int64_t since_us;                  /* show: 0 = all */
	const char *user, *org, *action;   /* show: NULL = any */
	bool json;                         /* show */
	const char *path;                  /* show: the file being read */
	const char *head, *pub;            /* verify */
	bool show_opts, verify_opts;       /* options of show, of verify were given */
} show_opts;

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static bool show_match(const show_opts *so, json_t *o)
{
	const char *actor = str(o, "actor"), *action = str(o, "action");
	int64_t ts = 0;

	if (so->since_us && (!cc_ts_parse(str(o, "ts"), &ts) || ts < so->since_us))
		return false;
	if (so->user && strcmp(actor, so->user) != 0 && strcmp(str(o, "login"), so->user) != 0 &&
	    !(strncmp(actor, "cli:", 4) == 0 && strcmp(actor + 4, so->user) == 0))
		return false;
	if (so->org && strcmp(str(o, "org"), so->org) != 0)
		return false;
	if (so->action && strcmp(action, so->action) != 0 &&
	    !(strncmp(action, so->action, strlen(so->action)) == 0 &&
	      action[strlen(so->action)] == ' '))
		return false;
	return true;
}

/* Append the strings of array a joined by sep after label (when a has any). */
static void put_list(cc_buf *b, const char *label, json_t *a, const char *sep)
{
	size_t i;
	json_t *v;

	if (!json_array_size(a))
		return;
	cc_buf_printf(b, "%s%s", b->len ? " " : "", label);
	json_array_foreach(a, i, v)
		cc_buf_printf(b, "%s%s", i ? sep : "", json_string_value(v) ? json_string_value(v) : "");
}

static void show_line(json_t *o)
{
	cc_buf target = CC_BUF_INIT, details = CC_BUF_INIT;
	json_t *status = json_object_get(o, "status"), *ex = json_object_get(o, "exit");
	char result[32] = "-";

	if (json_object_get(o, "path"))
		cc_buf_puts(&target, str(o, "path"));
	else
		put_list(&target, "", json_object_get(o, "args"), " ");
	if (json_is_integer(status))
		snprintf(result, sizeof(result), "%lld", (long long)json_integer_value(status));
	else if (json_is_integer(ex))
		snprintf(result, sizeof(result), "exit %lld", (long long)json_integer_value(ex));
	put_list(&details, "written=", json_object_get(o, "written"), ",");
	put_list(&details, "versioned=", json_object_get(o, "versioned"), ",");
	put_list(&details, "deleted=", json_object_get(o, "deleted"), ",");
	put_list(&details, "read=", json_object_get(o, "read"), ",");
	if (json_object_get(o, "authorisation"))
		cc_buf_printf(&details, "%sauthorisation=%s", details.len ? " " : "",
			      str(o, "authorisation"));
	if (json_object_get(o, "login"))
		cc_buf_printf(&details, "%slogin=%s", details.len ? " " : "", str(o, "login"));
	if (json_object_get(o, "message"))
		cc_buf_printf(&details, "%s%s", details.len ? " " : "", str(o, "message"));
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
	       (long long)json_integer_value(json_object_get(o, "seq")), str(o, "ts"),
	       str(o, "actor"), *str(o, "org") ? str(o, "org") : "-",
	       *str(o, "client") ? str(o, "client") : "-", str(o, "action"),
	       target.len ? target.data : "-", result, details.len ? details.data : "-");
	cc_buf_free(&target);
	cc_buf_free(&details);
}

static int show_one(const char *line, size_t len, size_t lineno, void *ud)
{
	show_opts *so = ud;
	json_t *o = json_loadb(line, len, 0, NULL);

	if (!json_is_object(o))
		fprintf(stderr, "cybercell: audit: %s:%zu: not an audit entry (skipped; run 'audit "
			"verify')\n", so->path, lineno);
	else if (show_match(so, o)) {
		if (so->json)
			printf("%.*s\n", (int)len, line);
		else if (so->action || strcmp(str(o, "action"), "checkpoint") != 0)
			show_line(o);
	}
	json_decref(o);
	return 0;
}

/* --since: a time, or how long ago. */
static bool parse_since(const char *s, int64_t *us)
{
	int64_t secs;

	if (cc_ts_parse(s, us))
		return true;
	if (!audit_duration_parse(s, &secs))
		return false;
	*us = cc_now_us() - secs * 1000000;
	return true;
}

static int audit_show(const cc_cli *cli, show_opts so, int argc, char **argv)
{
	cc_err e;

	if (argc == 0) {
		so.path = cli->audit_path;
		return audit_read(so.path, show_one, &so, &e) ? cmd_fail(&e) : 0;
	}
	for (int i = 0; i < argc; i++) {
		so.path = argv[i];
		if (audit_read(so.path, show_one, &so, &e) != 0)
			return cmd_fail(&e);
	}
	return 0;
}

/* Read the head saved in path. */
static int load_head(const char *path, audit_head *h, cc_err *e)
{
	cc_buf b = CC_BUF_INIT;
	int rc = cc_file_read_all(path, &b, e);

	if (rc == 0 && (rc = audit_head_parse(b.data ? b.data : "", b.len, h, e)))
		cc_err_prefix(e, "%s", path);
	cc_buf_free(&b);
	return rc;
}

static void say_intact(const audit_report *r, size_t nfiles, const char *path)
{
	printf("audit %s%s: intact: %zu entries", path, nfiles > 1 ? " and the files before it" : "",
	       r->entries);
	if (r->entries)
		printf(" (seq %lld to %lld%s)", (long long)r->first_seq, (long long)r->last_seq,
		       r->rotated_start ? ", after a rotation: older files not checked" : "");
	printf(", %zu signed checkpoints", r->checkpoints);
	if (r->checkpoints && r->last_seq > r->checkpoint_seq)
		printf("; the %lld entries after seq %lld are protected by the chain alone until "
		       "the next checkpoint", (long long)(r->last_seq - r->checkpoint_seq),
		       (long long)r->checkpoint_seq);
	printf("\n");
}

static int audit_verify_cmd(const cc_cli *cli, const show_opts *so, int argc, char **argv)
{
	const char *head_path = so->head, *pub_path = so->pub, *one[1] = { cli->audit_path };
	audit_head head;
	audit_report r;
	audit_key pub;
	bool have_pub;
	cc_err e;
	int rc;

	rc = pub_path ? audit_key_load_public(pub_path, &pub, &e) : cmd_hub_key(cli, false, &pub, &e);
	if (rc && (pub_path || rc != CC_ENOTFOUND))
		return cmd_fail(&e);
	have_pub = rc == 0;
	if (!have_pub)
		fprintf(stderr, "cybercell: audit: no hub key (%s.pub): signed checkpoints cannot "
			"be checked\n", cli->audit_key);
	if (head_path && load_head(head_path, &head, &e) != 0)
		return cmd_fail(&e);
	if (audit_verify(argc ? (const char *const *)argv : one, argc ? (size_t)argc : 1,
			 have_pub ? &pub : NULL,
			 head_path ? &head : NULL, &r, &e) != 0)
		return cmd_fail(&e);
	if (!r.intact) {
		fprintf(stderr, "cybercell: audit: TAMPERED: %s: %s\n", r.where, r.problem);
		return 1;
	}
	say_intact(&r, argc ? (size_t)argc : 1, argc ? argv[argc - 1] : cli->audit_path);
	return 0;
}

static int audit_init(const cc_cli *cli)
{
	audit_key k;
	audit_log *l;
	char pub[4200], hex[AUDIT_PK_HEX];
	cc_err e;
	int rc;

	snprintf(pub, sizeof(pub), "%s.pub", cli->audit_key);
	audit_key_generate(&k);
	rc = audit_key_save_secret(cli->audit_key, &k, &e);
	if (rc == 0 && (rc = audit_key_save_public(pub, &k, &e)) != 0)
		remove(cli->audit_key);
	audit_key_hex(&k, hex);
	audit_key_wipe(&k);
	if (rc)
		return cmd_fail(&e);
	printf("hub key %s (secret, mode 0600)\npublic key %s: %s\n"
	       "Keep a copy of the public key away from the hub: 'audit verify --pub' trusts it.\n",
	       cli->audit_key, pub, hex);
	if (cmd_trail_open(cli, "audit init", &l) != 0)
		return 1;
	rc = cmd_trail_write(cli, l, "audit init", 1, (char *[]){ hex }, 0);
	audit_log_close(l);
	return rc;
}

static int audit_head_cmd(const cc_cli *cli)
{
	audit_key k;
	audit_head h;
	cc_buf out = CC_BUF_INIT;
	cc_err e;
	int rc = cmd_hub_key(cli, true, &k, &e);

	if (rc == 0)
		rc = audit_head_take(cli->audit_path, &k, &h, &e);
	audit_key_wipe(&k);
	if (rc)
		return cmd_fail(&e);
	audit_head_format(&h, &out);
	fputs(out.data, stdout);
	cc_buf_free(&out);
	return 0;
}

static int audit_rotate(const cc_cli *cli)
{
	audit_key k;
	char actor[300], archived[4300];
	cc_err e;
	int krc = cmd_hub_key(cli, true, &k, &e), rc;

	if (krc && krc != CC_ENOTFOUND)
		return cmd_fail(&e);
	cmd_actor(actor, sizeof(actor));
	rc = audit_log_rotate(cli->audit_path, actor, krc ? NULL : &k, archived, sizeof(archived),
			      &e);
	audit_key_wipe(&k);
	if (rc)
		return cmd_fail(&e);
	printf("%s kept as %s; %s starts from its last entry\n", cli->audit_path, archived,
	       cli->audit_path);
	return 0;
}

int cmd_audit(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "org", required_argument, NULL, 'o' },
		{ "action", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "head", required_argument, NULL, 'h' },
		{ "pub", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	show_opts so = { .since_us = 0 };
	const char *sub;
	int c;

	cmd_getopt_reset();
	while ((c = cmd_getopt("audit", argc, argv, "", opts)) != -1) {
		so.show_opts |= strchr("suoaj", c) != NULL;
		so.verify_opts |= c == 'h' || c == 'p';
		switch (c) {
		case 's':
			if (!parse_since(optarg, &so.since_us))
				return cmd_usage_error("audit", "--since: '%s' is neither a time "
						       "(2026-01-31T00:00:00Z) nor a duration (2h)",
						       optarg);
			break;
		case 'u': so.user = optarg; break;
		case 'o': so.org = optarg; break;
		case 'a': so.action = optarg; break;
		case 'j': so.json = true; break;
		case 'h': so.head = optarg; break;
		case 'p': so.pub = optarg; break;
		default: return 2;      /* reported by cmd_getopt */
		}
	}
	if (optind >= argc)
		return cmd_usage_error("audit", "missing subcommand (init, show, verify, head or "
				       "rotate)");
	sub = argv[optind];
	if (strcmp(sub, "show") != 0 && strcmp(sub, "verify") != 0 && strcmp(sub, "init") != 0 &&
	    strcmp(sub, "head") != 0 && strcmp(sub, "rotate") != 0)
		return cmd_usage_error("audit", "unknown subcommand '%s'", sub);
	if ((so.show_opts && strcmp(sub, "show") != 0) ||
	    (so.verify_opts && strcmp(sub, "verify") != 0))
		return cmd_usage_error("audit", "an option given is not one of %s", sub);
	if (strcmp(sub, "show") == 0)
		return audit_show(cli, so, argc - optind - 1, argv + optind + 1);
	if (strcmp(sub, "verify") == 0)
		return audit_verify_cmd(cli, &so, argc - optind - 1, argv + optind + 1);
	if (argc - optind != 1)
		return cmd_usage_error("audit", "%s takes no argument", sub);
	if (strcmp(sub, "init") == 0)
		return audit_init(cli);
	return strcmp(sub, "head") == 0 ? audit_head_cmd(cli) : audit_rotate(cli);
}
