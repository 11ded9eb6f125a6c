/*
 * peer.c — `cybercell peer`: the remote TAXII servers this hub syncs with
 * (each standing for an organisation of this hub) and their links.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd/cmd.h"
#include "stix/stix.h"
#include "store/store.h"
#include "sync/sync.h"
#include "util/time.h"

const char cmd_peer_usage[] =
	"usage: cybercell peer add NAME --url URL [--user U --password-stdin]\n"
	"                          [--ca FILE | --pin PIN] [--max-tlp LEVEL]\n"
	"       cybercell peer list [--json]\n"
	"       cybercell peer remove NAME\n"
	"       cybercell peer link NAME --pull REMOTE_COLLECTION_ID --into COLLECTION\n"
	"       cybercell peer link NAME --push COLLECTION --to REMOTE_COLLECTION_ID\n"
	"                           [--max-tlp LEVEL]\n"
	"       cybercell peer unlink NAME LINK_ID\n"
	"\n"
	"A peer is a remote TAXII 2.1 server (another cybercell hub, or any other)\n"
	"that `cybercell sync` pulls from and pushes to.  It stands for an\n"
	"organisation of this hub of the same name, made with it: what it delivers\n"
	"belongs to that organisation, and the peer's own login here (`user add\n"
	"--org NAME`) is in it.\n"
	"\n"
	"  --url URL            its discovery URL (https://host:port/taxii2/) or an API\n"
	"                       root; http:// only on a loopback address\n"
	"  --user U             the login this hub uses there\n"
	"  --password-stdin     read its password from the first line of stdin\n"
	"  --ca FILE            PEM CA certificate(s) that verify it (default: the\n"
	"                       system's CAs); its certificate must name its host\n"
	"  --pin PIN            its public key, sha256//BASE64 (what `serve` prints, or\n"
	"                       `taxii pin URL` shows): then nothing else is checked\n"
	"  --max-tlp LEVEL      the highest TLP this hub ever sends it, by push or to\n"
	"                       its login here (clear, green, amber, amber+strict, red;\n"
	"                       default amber)\n"
	"\n"
	"  link --pull R --into C   pull remote collection R into local collection C\n"
	"  link --push C --to R     push local collection C to remote collection R, at\n"
	"                           most at --max-tlp (default amber: TLP:AMBER+STRICT\n"
	"                           and TLP:RED travel only on a link that says so), and\n"
	"                           never above the peer's --max-tlp\n"
	"  unlink NAME LINK_ID      remove a link (its id is in `peer list`)\n"
	"  list                     the peers and their links, with each link's id,\n"
	"                           cursor and the objects it moved\n"
	"  remove NAME              forget the peer and its links; what it delivered\n"
	"                           stays, its organisation's\n"
	"\n"
	"Exit status: 0 ok, 1 failed, 2 bad usage.\n";

/* The options of `peer`. */
typedef struct peer_args {
	const char *url, *user, *ca, *pin, *pull, *into, *push, *to;
	int max_tlp;            /* -1: not given */
	bool password_stdin, json;
} peer_args;

static int parse(int argc, char **argv, peer_args *a)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "user", required_argument, NULL, 'U' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "ca", required_argument, NULL, 'c' },
		{ "pin", required_argument, NULL, 'P' },
		{ "max-tlp", required_argument, NULL, 'm' },
		{ "pull", required_argument, NULL, 'l' },
		{ "into", required_argument, NULL, 'i' },
		{ "push", required_argument, NULL, 's' },
		{ "to", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->max_tlp = -1;
	cmd_getopt_reset();
	while ((c = cmd_getopt("peer", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'u': a->url = optarg; break;
		case 'U': a->user = optarg; break;
		case 'p': a->password_stdin = true; break;
		case 'c': a->ca = optarg; break;
		case 'P': a->pin = optarg; break;
		case 'l': a->pull = optarg; break;
		case 'i': a->into = optarg; break;
		case 's': a->push = optarg; break;
		case 't': a->to = optarg; break;
		case 'j': a->json = true; break;
		case 'm':
			a->max_tlp = stix_tlp_parse_name(optarg);
			if (a->max_tlp < 0)
				return cmd_usage_error("peer", "--max-tlp: '%s' is not clear, green, "
						       "amber, amber+strict or red", optarg);
			break;
		default:
			return 2;       /* reported by cmd_getopt */
		}
	}
	return 0;
}

/* Whether pin is "sha256//" and the base64 of 32 bytes. */
static bool pin_ok(const char *pin)
{
	unsigned char bin[64];
	size_t n = 0;

	return strncmp(pin, "sha256//", 8) == 0 && strlen(pin) == 52 &&
	       sodium_base642bin(bin, sizeof(bin), pin + 8, 44, NULL, &n, NULL,
				 sodium_base64_VARIANT_ORIGINAL) == 0 && n == 32;
}

/* Check the options of `peer add`; 0 or 2. */
static int add_usage(const peer_args *a, int nargs)
{
	cc_err e;

	if (nargs != 1 || !a->url)
		return cmd_usage_error("peer", "add takes NAME and --url URL");
	if (a->pull || a->push || a->into || a->to || a->json)
		return cmd_usage_error("peer", "add takes no link options");
	if (a->ca && a->pin)
		return cmd_usage_error("peer", "--ca and --pin exclude each other");
	if (a->pin && !pin_ok(a->pin))
		return cmd_usage_error("peer", "--pin: '%s' is not sha256// and the base64 of a "
				       "SHA-256 hash", a->pin);
	if (!a->user != !a->password_stdin)
		return cmd_usage_error("peer", "--user and --password-stdin go together");
	if (sync_url_check(a->url, &e) != 0)
		return cmd_usage_error("peer", "--url: %s", e.msg);
	return 0;
}

static int peer_add(store *s, const char *name, const peer_args *a)
{
	char pw[256] = "", ca[PATH_MAX] = "";
	store_peer p = { 0 };
	cc_err e;
	int rc = 1;

	if (a->ca && (!realpath(a->ca, ca) || access(ca, R_OK) != 0)) {
		fprintf(stderr, "cybercell: peer: --ca %s: cannot read it\n", a->ca);
		return 1;
	}
	if (a->password_stdin && cmd_read_secret("peer", "password", pw, sizeof(pw), 1) != 0)
		goto out;
	p.name = (char *)name;
	p.url = (char *)a->url;
	p.user = (char *)(a->user ? a->user : "");
	p.password = pw;
	p.ca_file = ca;
	p.pin = (char *)(a->pin ? a->pin : "");
	p.max_tlp = a->max_tlp >= 0 ? a->max_tlp : STORE_TLP_AMBER;
	if (store_peer_add(s, &p, &e) != 0) {
		rc = cmd_fail(&e);
		goto out;
	}
	printf("peer %s: organisation %s, max TLP %s\n", name, name, stix_tlp_name(p.max_tlp));
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

/* The name of collection id among v. */
static const char *coll_name(const store_collection *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return v[i].name;
	return "?";
}

static json_t *link_json(const store_link *l, const char *coll)
{
	char last[CC_TS_MAX] = "";

	if (l->last_us)
		cc_ts_format(l->last_us, 3, last);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)l->id,
			 "direction", l->push ? "push" : "pull", "remote_collection", l->remote_coll,
			 "collection", coll, "max_tlp", l->push ? stix_tlp_name(l->max_tlp) : "",
			 "cursor", l->cursor, "moved", (json_int_t)l->moved, "last", last);
}

static void print_link(const store_link *l, const char *coll)
{
	char last[CC_TS_MAX] = "never";

	if (l->last_us)
		cc_ts_format(l->last_us, 3, last);
	if (l->push)
		printf("  %lld\tpush\t%s -> %s\tmax TLP %s\tmoved %lld\tlast %s\n", (long long)l->id,
		       coll, l->remote_coll, stix_tlp_name(l->max_tlp), (long long)l->moved, last);
	else
		printf("  %lld\tpull\t%s -> %s\tcursor %s\tmoved %lld\tlast %s\n", (long long)l->id,
		       l->remote_coll, coll, *l->cursor ? l->cursor : "-", (long long)l->moved, last);
}

/* One peer and its links, as text or into arr. */
static int list_peer(store *s, const store_peer *p, const store_collection *cv, size_t nc,
		     json_t *arr, cc_err *e)
{
	store_link *lv;
	size_t nl;
	json_t *links;
	int rc = store_link_list(s, p->id, &lv, &nl, e);

	if (rc)
		return rc;
	if (!arr)
		printf("%s\t%s\tmax TLP %s\t%s%s\n", p->name, p->url, stix_tlp_name(p->max_tlp),
		       *p->pin ? "pin " : *p->ca_file ? "ca " : "system CAs",
		       *p->pin ? p->pin : p->ca_file);
	links = json_array();
	for (size_t i = 0; i < nl; i++) {
		const char *cn = coll_name(cv, nc, lv[i].collection_id);

		if (arr)
			json_array_append_new(links, link_json(&lv[i], cn));
		else
			print_link(&lv[i], cn);
	}
	if (arr)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
			"name", p->name, "url", p->url, "user", p->user, "max_tlp",
			stix_tlp_name(p->max_tlp), "ca", p->ca_file, "pin", p->pin, "links", links));
	else
		json_decref(links);
	store_link_list_free(lv, nl);
	return 0;
}

static int peer_list(store *s, bool json)
{
	store_peer *pv = NULL;
	store_collection *cv = NULL;
	size_t np = 0, nc = 0;
	json_t *arr = json ? json_array() : NULL;
	cc_err e;
	int rc = store_peer_list(s, &pv, &np, &e);

	if (rc == 0)
		rc = store_collection_list(s, &cv, &nc, &e);
	for (size_t i = 0; rc == 0 && i < np; i++)
		rc = list_peer(s, &pv[i], cv, nc, arr, &e);
	if (rc == 0 && arr) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(arr);
	store_collection_list_free(cv, nc);
	store_peer_list_free(pv, np);
	return rc ? cmd_fail(&e) : 0;
}

static int peer_link(store *s, const char *name, const peer_args *a)
{
	store_peer p = { 0 };
	store_collection c = { 0 };
	store_link l = { 0 };
	cc_err e;
	int rc = 1;

	if (store_peer_get(s, name, &p, &e) != 0 ||
	    store_collection_get(s, a->push ? a->push : a->into, &c, &e) != 0) {
		rc = cmd_fail(&e);
		goto out;
	}
	l.peer_id = p.id;
	l.push = a->push != NULL;
	l.remote_coll = (char *)(a->push ? a->to : a->pull);
	l.collection_id = c.id;
	l.max_tlp = a->max_tlp >= 0 ? a->max_tlp : STORE_TLP_AMBER;
	if (store_link_add(s, &l, &e) != 0) {
		rc = cmd_fail(&e);
		goto out;
	}
	if (l.push)
		printf("link %lld: push %s -> %s %s, at most TLP %s\n", (long long)l.id, c.name, name,
		       l.remote_coll, stix_tlp_name(l.max_tlp < p.max_tlp ? l.max_tlp : p.max_tlp));
	else
		printf("link %lld: pull %s %s -> %s\n", (long long)l.id, name, l.remote_coll, c.name);
	if (l.push && l.max_tlp > p.max_tlp)
		fprintf(stderr, "cybercell: peer: the peer's max TLP is %s: nothing above it is "
			"sent\n", stix_tlp_name(p.max_tlp));
	rc = 0;
out:
	store_peer_clear(&p);
	store_collection_clear(&c);
	return rc;
}

static int peer_unlink(store *s, const char *name, const char *id_text)
{
	store_peer p;
	store_link l = { 0 };
	long long id;
	cc_err e;
	int rc;

	if (!cmd_parse_long("peer", "LINK_ID", id_text, 1, LLONG_MAX, &id))
		return 2;
	rc = store_peer_get(s, name, &p, &e);
	if (rc == 0)
		rc = store_link_get(s, id, &l, &e);
	if (rc == 0 && l.peer_id != p.id)
		rc = cc_err_set(&e, CC_ENOTFOUND, "peer %s: no link %lld", name, id);
	if (rc == 0)
		rc = store_link_remove(s, id, &e);
	store_link_clear(&l);
	store_peer_clear(&p);
	return rc ? cmd_fail(&e) : 0;
}

/* Check the options of `peer link`; 0 or 2. */
static int link_usage(const peer_args *a, int nargs)
{
	if (nargs != 1)
		return cmd_usage_error("peer", "link takes NAME");
	if (a->url || a->user || a->ca || a->pin || a->password_stdin || a->json)
		return cmd_usage_error("peer", "link takes --pull R --into C, or --push C --to R");
	if (!!a->pull + !!a->push != 1 || (a->pull && (!a->into || a->to)) ||
	    (a->push && (!a->to || a->into)))
		return cmd_usage_error("peer", "link takes --pull R --into C, or --push C --to R");
	if (a->pull && a->max_tlp >= 0)
		return cmd_usage_error("peer", "--max-tlp is for a push link (what this hub "
				       "receives is judged by its own rules)");
	return 0;
}

int cmd_peer(int argc, char **argv, const cc_cli *cli)
{
	peer_args a;
	const char *sub;
	store *s = NULL;
	cc_err e;
	int rc = parse(argc, argv, &a), nargs;
	bool only_list;

	if (rc)
		return rc;
	if (optind >= argc)
		return cmd_usage_error("peer", "missing subcommand (add, list, remove, link, unlink)");
	sub = argv[optind];
	nargs = argc - optind - 1;
	only_list = !a.url && !a.user && !a.ca && !a.pin && !a.password_stdin && a.max_tlp < 0 &&
		    !a.pull && !a.push && !a.into && !a.to;
	if (strcmp(sub, "add") == 0)
		rc = add_usage(&a, nargs);
	else if (strcmp(sub, "link") == 0)
		rc = link_usage(&a, nargs);
	else if (strcmp(sub, "list") == 0)
		rc = nargs || !only_list ? cmd_usage_error("peer", "list takes only --json") : 0;
	else if (strcmp(sub, "remove") == 0)
		rc = nargs != 1 || !only_list || a.json ? cmd_usage_error("peer", "remove takes NAME")
							 : 0;
	else if (strcmp(sub, "unlink") == 0)
		rc = nargs != 2 || !only_list || a.json
			? cmd_usage_error("peer", "unlink takes NAME LINK_ID") : 0;
	else
		return cmd_usage_error("peer", "unknown subcommand '%s'", sub);
	if (rc)
		return rc;
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail(&e);
	if (strcmp(sub, "add") == 0)
		rc = peer_add(s, argv[optind + 1], &a);
	else if (strcmp(sub, "link") == 0)
		rc = peer_link(s, argv[optind + 1], &a);
	else if (strcmp(sub, "list") == 0)
		rc = peer_list(s, a.json);
	else if (strcmp(sub, "unlink") == 0)
		rc = peer_unlink(s, argv[optind + 1], argv[optind + 2]);
	else
		rc = store_peer_remove(s, argv[optind + 1], &e) ? cmd_fail(&e) : 0;
	store_close(s);
	return rc;
}
