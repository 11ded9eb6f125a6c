/*
 * taxii.c — `cybercell taxii`: a TAXII 2.1 client for ad-hoc use against
 * any server (another hub, MITRE's ATT&CK server, ...): discovery,
 * collections, objects with every filter, status resources, the pin of a
 * server's public key; pull and push are in taxii_move.c.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd/taxii_int.h"
#include "stix/stix.h"

const char cmd_taxii_usage[] =
	"usage: cybercell taxii discover URL\n"
	"       cybercell taxii collections URL [--json]\n"
	"       cybercell taxii get URL COLLECTION [--object ID | --versions ID | --manifest]\n"
	"                 [--id ID]... [--type T]... [--version V]... [--spec-version S]...\n"
	"                 [--added-after TS] [--limit N] [--next TOKEN] [--all-pages]\n"
	"       cybercell taxii status URL STATUS_ID\n"
	"       cybercell taxii pull URL COLLECTION --into LOCAL [--type T]... [--id ID]...\n"
	"                 [--added-after TS]\n"
	"       cybercell taxii push URL COLLECTION (FILE... | --from LOCAL [--max-tlp LEVEL])\n"
	"       cybercell taxii pin URL\n"
	"  each with [--user U --password-stdin] [--ca FILE | --pin PIN] [--retries N],\n"
	"  or --peer NAME in place of URL and those options\n"
	"\n"
	"A client of any TAXII 2.1 server.  URL is a discovery URL\n"
	"(https://host/taxii2/; its default API root is used) or an API root.\n"
	"\n"
	"  discover             print the discovery document (JSON)\n"
	"  collections          the API root's collections: id, read/write, title\n"
	"  get                  print an answer of the collection's objects (or with\n"
	"                       --object ID one object, --versions ID its versions,\n"
	"                       --manifest the manifest), JSON indented\n"
	"  status               print a status resource\n"
	"  pull                 store every version the collection has (after --added-after)\n"
	"                       into local collection LOCAL, as the hub's own, as\n"
	"                       `import` does: page by page, each page stored whole in\n"
	"                       one transaction (pages arriving together may share one)\n"
	"  push                 send the objects of STIX bundles or TAXII envelopes FILE...\n"
	"                       (STIX 2.0 upgraded, each validated first), or every version\n"
	"                       of local collection LOCAL at most at --max-tlp (default\n"
	"                       amber), following each status to its end\n"
	"  pin                  the server's public key pin (sha256//...) and certificate\n"
	"                       fingerprint, for --pin: nothing is verified, no\n"
	"                       credentials are sent; compare them with the operator's\n"
	"\n"
	"  --id, --type, --version, --spec-version   match[...] filters (repeatable;\n"
	"                       --version: last, first, all or a timestamp)\n"
	"  --added-after TS     added_after (the server's own spelling, or a timestamp)\n"
	"  --limit N            limit; --next TOKEN: next\n"
	"  --all-pages          follow more/next to the end: one envelope of everything\n"
	"  --peer NAME          the URL, login and verification of peer NAME\n"
	"  --user U --password-stdin   HTTP Basic login, the password on stdin's first line\n"
	"  --ca FILE            PEM CA certificate(s) to verify the server with (default:\n"
	"                       the system's); --pin PIN: its public key instead\n"
	"  --retries N          attempts after the first of a request that failed for a\n"
	"                       transient reason (default 6)\n"
	"\n"
	"Exit status: 0 ok, 1 failed (the server's TAXII error is shown), 2 bad usage.\n";

/* Add optarg to a repeatable option's list; 0 or 2. */
static int add_value(const char *opt, const char **v, size_t *n)
{
	if (*n == TX_LIST_MAX)
		return cmd_usage_error("taxii", "%s: at most %d values", opt, TX_LIST_MAX);
	v[(*n)++] = optarg;
	return 0;
}

static int parse(int argc, char **argv, tx_args *a)
{
	static const struct option opts[] = {
		{ "peer", required_argument, NULL, 'P' },
		{ "user", required_argument, NULL, 'U' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "ca", required_argument, NULL, 'c' },
		{ "pin", required_argument, NULL, 'k' },
		{ "retries", required_argument, NULL, 'r' },
		{ "into", required_argument, NULL, 'i' },
		{ "from", required_argument, NULL, 'f' },
		{ "max-tlp", required_argument, NULL, 'm' },
		{ "object", required_argument, NULL, 'o' },
		{ "versions", required_argument, NULL, 'V' },
		{ "manifest", no_argument, NULL, 'M' },
		{ "id", required_argument, NULL, 'I' },
		{ "type", required_argument, NULL, 't' },
		{ "version", required_argument, NULL, 'v' },
		{ "spec-version", required_argument, NULL, 's' },
		{ "added-after", required_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'l' },
		{ "next", required_argument, NULL, 'n' },
		{ "all-pages", no_argument, NULL, 'A' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	memset(a, 0, sizeof(*a));
	a->max_tlp = -1;
	cmd_getopt_reset();
	while (rc == 0 && (c = cmd_getopt("taxii", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'P': a->peer = optarg; break;
		case 'U': a->user = optarg; break;
		case 'p': a->password_stdin = true; break;
		case 'c': a->ca = optarg; break;
		case 'k': a->pin = optarg; break;
		case 'i': a->into = optarg; break;
		case 'f': a->from = optarg; break;
		case 'o': a->object = optarg; break;
		case 'V': a->versions_of = optarg; break;
		case 'M': a->manifest = true; break;
		case 'a': a->added_after = optarg; break;
		case 'n': a->next = optarg; break;
		case 'A': a->all_pages = true; break;
		case 'j': a->json = true; break;
		case 'I': rc = add_value("--id", a->ids, &a->n_ids); break;
		case 't': rc = add_value("--type", a->types, &a->n_types); break;
		case 'v': rc = add_value("--version", a->versions, &a->n_versions); break;
		case 's': rc = add_value("--spec-version", a->specs, &a->n_specs); break;
		case 'r':
			rc = cmd_parse_long("taxii", "--retries", optarg, 1, 100, &a->retries) ? 0 : 2;
			break;
		case 'l':
			rc = cmd_parse_long("taxii", "--limit", optarg, 1, 1000000, &a->limit) ? 0 : 2;
			break;
		case 'm':
			a->max_tlp = stix_tlp_parse_name(optarg);
			if (a->max_tlp < 0)
				rc = cmd_usage_error("taxii", "--max-tlp: '%s' is not clear, green, "
						     "amber, amber+strict or red", optarg);
			break;
		default:
			return 2;       /* reported by cmd_getopt */
		}
	}
	a->operands = argv + optind;
	a->n_operands = argc - optind;
	return rc;
}

void tx_filter(const tx_args *a, sync_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->added_after = a->added_after;
	f->next = a->next;
	f->ids = a->ids;
	f->n_ids = a->n_ids;
	f->types = a->types;
	f->n_types = a->n_types;
	f->versions = a->versions;
	f->n_versions = a->n_versions;
	f->specs = a->specs;
	f->n_specs = a->n_specs;
	f->limit = (size_t)a->limit;
}

static void on_log(const char *msg, void *ud)
{
	(void)ud;
	fprintf(stderr, "cybercell: taxii: %s\n", msg);
}

int tx_open(const tx_args *a, const cc_cli *cli, bool need_store, tx_conn *t)
{
	sync_conn conn = { 0 };
	cc_err e;

	memset(t, 0, sizeof(*t));
	if (!a->peer && a->n_operands < 1)
		return cmd_usage_error("taxii", "no URL given (or --peer NAME)");
	if (a->peer && (a->user || a->ca || a->pin || a->password_stdin))
		return cmd_usage_error("taxii", "--peer takes its login and verification from "
				       "the peer: no --user, --ca or --pin with it");
	if (!a->user != !a->password_stdin)
		return cmd_usage_error("taxii", "--user and --password-stdin go together");
	if (a->ca && a->pin)
		return cmd_usage_error("taxii", "--ca and --pin exclude each other");
	if ((a->peer || need_store) && store_open(cli->db_path, &t->s, &e) != 0)
		return cmd_fail(&e);
	if (a->peer && store_peer_get(t->s, a->peer, &t->peer, &e) != 0) {
		tx_close(t);
		return cmd_fail(&e);
	}
	if (a->password_stdin &&
	    cmd_read_secret("taxii", "password", t->password, sizeof(t->password), 1) != 0) {
		tx_close(t);
		return 1;
	}
	conn.url = t->url = a->peer ? t->peer.url : a->operands[0];
	conn.user = a->peer ? t->peer.user : a->user;
	conn.password = a->peer ? t->peer.password : t->password;
	conn.ca_file = a->peer ? t->peer.ca_file : a->ca;
	conn.pin = a->peer ? t->peer.pin : a->pin;
	conn.api_root = a->peer ? t->peer.api_root : NULL;
	conn.retries = (unsigned)a->retries;
	conn.log = on_log;
	t->rest = (const char *const *)a->operands + (a->peer ? 0 : 1);
	t->n_rest = a->n_operands - (a->peer ? 0 : 1);
	if (sync_client_new(&conn, &t->c, &e) != 0) {
		tx_close(t);
		return e.code == CC_EUSAGE ? (cmd_usage_error("taxii", "%s", e.msg), 2) : cmd_fail(&e);
	}
	return 0;
}

void tx_close(tx_conn *t)
{
	sync_client_free(t->c);
	store_peer_clear(&t->peer);
	store_close(t->s);
	sodium_memzero(t->password, sizeof(t->password));
	t->c = NULL;
	t->s = NULL;
}

static void print_json(const json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2));
	putchar('\n');
}

/* GET path (below the API root) and print the answer. */
static int get_print(tx_conn *t, const char *path, const char *query)
{
	sync_answer ans;
	cc_err e;

	if (sync_get(t->c, path, query, &ans, &e) != 0)
		return cmd_fail(&e);
	print_json(ans.json ? ans.json : json_null());
	sync_answer_clear(&ans);
	return 0;
}

static int do_discover(tx_conn *t)
{
	if (t->n_rest)
		return cmd_usage_error("taxii", "discover takes URL");
	return get_print(t, t->url, NULL);
}

static int do_collections(tx_conn *t, bool json)
{
	sync_answer ans;
	json_t *c;
	size_t i;
	cc_err e;

	if (t->n_rest)
		return cmd_usage_error("taxii", "collections takes URL");
	if (sync_get(t->c, "collections/", NULL, &ans, &e) != 0)
		return cmd_fail(&e);
	if (json) {
		json_t *v = json_object_get(ans.json, "collections");

		print_json(v ? v : json_array());
	} else {
		json_array_foreach(json_object_get(ans.json, "collections"), i, c) {
			const char *id = json_string_value(json_object_get(c, "id"));
			const char *title = json_string_value(json_object_get(c, "title"));
			bool r = json_is_true(json_object_get(c, "can_read")) ||
				 json_is_true(json_object_get(c, "canRead"));
			bool w = json_is_true(json_object_get(c, "can_write")) ||
				 json_is_true(json_object_get(c, "canWrite"));

			printf("%s\t%s\t%s\n", id ? id : "?", r && w ? "read-write" : r ? "read"
			       : w ? "write" : "none", title ? title : "");
		}
	}
	sync_answer_clear(&ans);
	return 0;
}

/* Append the list of one page's answer (key) to all. */
static void gather(json_t *all, const json_t *page, const char *key)
{
	json_t *v = json_object_get(page, key), *list = json_object_get(all, key);

	if (!json_is_array(v))
		return;
	if (!list) {
		list = json_array();
		json_object_set_new(all, key, list);
	}
	json_array_extend(list, v);
}

/* Every page of path's answer (sync_paging) as one envelope. */
static int get_all(tx_conn *t, const char *path, const tx_args *a, const char *key)
{
	json_t *all = json_pack("{s:b}", "more", 0);
	cc_buf q = CC_BUF_INIT;
	sync_paging pg;
	sync_filter f;
	bool more = true;
	int rc = 0;

	tx_filter(a, &f);
	sync_paging_init(&pg, a->added_after, a->next);
	while (rc == 0 && more) {
		sync_answer ans;
		cc_err e;

		sync_paging_apply(&pg, &f);
		cc_buf_reset(&q);
		sync_filter_query(&f, &q);
		if (sync_get(t->c, path, cc_buf_str(&q), &ans, &e) != 0 ||
		    sync_paging_step(&pg, &ans, key, &more, &e) != 0)
			rc = cmd_fail(&e);
		else
			gather(all, ans.json, key);
		sync_answer_clear(&ans);
	}
	if (rc == 0)
		print_json(all);
	json_decref(all);
	sync_paging_free(&pg);
	cc_buf_free(&q);
	return rc;
}

static int do_get(tx_conn *t, const tx_args *a)
{
	cc_buf path = CC_BUF_INIT, q = CC_BUF_INIT;
	const char *what = a->manifest ? "manifest/" : a->versions_of ? "versions/" : "objects/";
	const char *id = a->object ? a->object : a->versions_of;
	sync_filter f;
	int rc;

	if (t->n_rest != 1)
		return cmd_usage_error("taxii", "get takes URL and COLLECTION");
	if (!!a->object + !!a->versions_of + a->manifest > 1)
		return cmd_usage_error("taxii", "--object, --versions and --manifest exclude each "
				       "other");
	sync_coll_path(t->rest[0], a->object ? "" : what, id, &path);
	if (a->all_pages) {
		rc = get_all(t, cc_buf_str(&path), a, a->versions_of ? "versions" : "objects");
	} else {
		tx_filter(a, &f);
		sync_filter_query(&f, &q);
		rc = get_print(t, cc_buf_str(&path), cc_buf_str(&q));
	}
	cc_buf_free(&path);
	cc_buf_free(&q);
	return rc;
}

static int do_status(tx_conn *t)
{
	cc_buf path = CC_BUF_INIT;
	int rc;

	if (t->n_rest != 1)
		return cmd_usage_error("taxii", "status takes URL and STATUS_ID");
	cc_buf_puts(&path, "status/");
	sync_url_escape(&path, t->rest[0]);
	cc_buf_putc(&path, '/');
	rc = get_print(t, cc_buf_str(&path), NULL);
	cc_buf_free(&path);
	return rc;
}

static int do_pin(const tx_args *a)
{
	char pin[SYNC_PIN_MAX], fp[128];
	cc_err e;

	if (a->n_operands != 1 || a->peer || a->user || a->ca || a->pin)
		return cmd_usage_error("taxii", "pin takes URL alone");
	if (sync_server_pin(a->operands[0], pin, fp, sizeof(fp), &e) != 0)
		return e.code == CC_EUSAGE ? cmd_usage_error("taxii", "%s", e.msg) : cmd_fail(&e);
	printf("public key pin %s\nsha256 fingerprint %s\n", pin, fp);
	return 0;
}

int cmd_taxii(int argc, char **argv, const cc_cli *cli)
{
	static const char *const subs[] = { "discover", "collections", "get", "status", "pull",
					    "push", "pin", NULL };
	tx_args a;
	tx_conn t;
	const char *sub;
	int rc = parse(argc, argv, &a), i;

	if (rc)
		return rc;
	if (a.n_operands < 1)
		return cmd_usage_error("taxii", "missing subcommand (discover, collections, get, "
				       "status, pull, push, pin)");
	sub = a.operands[0];
	a.operands++;
	a.n_operands--;
	for (i = 0; subs[i] && strcmp(subs[i], sub) != 0; i++)
		;
	if (!subs[i])
		return cmd_usage_error("taxii", "unknown subcommand '%s'", sub);
	if (strcmp(sub, "pin") == 0)
		return do_pin(&a);
	if (strcmp(sub, "pull") == 0)
		return tx_pull(&a, cli);
	if (strcmp(sub, "push") == 0)
		return tx_push(&a, cli);
	rc = tx_open(&a, cli, false, &t);
	if (rc)
		return rc;
	if (strcmp(sub, "discover") == 0)
		rc = do_discover(&t);
	else if (strcmp(sub, "collections") == 0)
		rc = do_collections(&t, a.json);
	else if (strcmp(sub, "get") == 0)
		rc = do_get(&t, &a);
	else
		rc = do_status(&t);
	tx_close(&t);
	return rc;
}
