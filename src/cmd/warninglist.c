/*
 * warninglist.c — `cybercell warninglist`: the lists of values that must
 * never alert (the built-in ones, and lists in MISP's warning-list format
 * imported into the hub), and a lookup to see which list holds a value.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis/analysis.h"
#include "cmd/cmd.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/file.h"

const char cmd_warninglist_usage[] =
	"usage: cybercell warninglist list [--json]\n"
	"       cybercell warninglist import [--disabled] FILE...\n"
	"       cybercell warninglist show NAME\n"
	"       cybercell warninglist enable|disable NAME\n"
	"       cybercell warninglist remove NAME\n"
	"       cybercell warninglist check [--path OBJECT_PATH] VALUE...\n"
	"\n"
	"Warning lists hold values that must never alert on their own: private,\n"
	"loopback, link-local, multicast and shared address ranges, public DNS\n"
	"resolvers, hashes of empty files (built in, from the public registries),\n"
	"and lists in MISP's warning-list JSON format imported into the hub.\n"
	"`match` skips indicator values on an enabled list or too broad, and\n"
	"hits whose values all are; `import` and `validate` warn about them.\n"
	"\n"
	"  list        every list: name, on/off, type, entries, description\n"
	"  import      read MISP warning-list files into the store (replacing a\n"
	"              list of the same name); --disabled: keep them off\n"
	"  show        print a list as MISP warning-list JSON\n"
	"  enable      use a list (the documentation lists are off by default)\n"
	"  disable     stop using a list\n"
	"  remove      delete an imported list\n"
	"  check       which enabled list holds each VALUE (exit 0: all on a list,\n"
	"              1: some not); the object path is guessed from the value\n"
	"              unless --path says (e.g. domain-name:value)\n";

static bool is_builtin(const char *name)
{
	size_t n;
	const an_wl_builtin *b = an_wl_builtins(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(b[i].name, name))
			return true;
	return false;
}

/* The store's row of name, or NULL (borrowed from v). */
static const store_wl *row_of(const store_wl *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static void list_one(json_t *rows, bool json, const char *name, bool on, bool builtin,
		     const an_wlset *parsed)
{
	an_wl_meta m = { name, "", "?", 0 };

	for (size_t i = 0; i < an_wlset_count(parsed); i++) {
		an_wl_meta x;

		an_wlset_meta(parsed, i, &x);
		if (!strcmp(x.name, name))
			m = x;
	}
	if (json)
		json_array_append_new(rows, json_pack("{s:s,s:b,s:b,s:s,s:I,s:s}", "name", name,
						      "enabled", on, "builtin", builtin, "type", m.type,
						      "entries", (json_int_t)m.entries,
						      "description", m.description));
	else
		printf("%s\t%s\t%s\t%zu\t%s\n", name, on ? "on" : "off", m.type, m.entries,
		       m.description);
}

static int wl_list(store *s, bool json)
{
	an_wlset *all = an_wlset_new();
	json_t *rows = json_array();
	store_wl *v = NULL;
	size_t n = 0, nb;
	const an_wl_builtin *b = an_wl_builtins(&nb);
	cc_err e;
	int rc = store_wl_list(s, &v, &n, &e);

	for (size_t i = 0; rc == 0 && i < nb; i++) {       /* parse all, for their sizes */
		char *j = an_wl_builtin_json(b[i].name);

		rc = j ? an_wlset_add_json(all, j, strlen(j), b[i].name, &e) : CC_ENOMEM;
		free(j);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (v[i].json)
			rc = an_wlset_add_json(all, v[i].json, strlen(v[i].json), v[i].name, &e);
	for (size_t i = 0; rc == 0 && i < nb; i++) {
		const store_wl *r = row_of(v, n, b[i].name);

		list_one(rows, json, b[i].name, r ? r->enabled : b[i].on, true, all);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (v[i].json)
			list_one(rows, json, v[i].name, v[i].enabled, false, all);
	if (rc == 0 && json) {
		json_dumpf(rows, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(rows);
	store_wl_list_free(v, n);
	an_wlset_free(all);
	return rc ? cmd_fail(&e) : 0;
}

/* Check and store one MISP list file. */
static int wl_import_file(store *s, const char *path, bool enabled)
{
	cc_buf b = CC_BUF_INIT;
	an_wlset *one = an_wlset_new();
	an_wl_meta m;
	cc_err e;
	int rc = cc_file_read_all(path, &b, &e);

	if (rc == 0)
		rc = an_wlset_add_json(one, cc_buf_str(&b), b.len, cc_file_display(path), &e);
	if (rc == 0) {
		an_wlset_meta(one, 0, &m);
		if (is_builtin(m.name))
			rc = cc_err_set(&e, CC_ECONFLICT, "%s: '%s' is the name of a built-in list",
					cc_file_display(path), m.name);
	}
	if (rc == 0)
		rc = store_wl_put(s, m.name, cc_buf_str(&b), enabled, &e);
	if (rc == 0)
		printf("imported warning list %s (%s, %zu entr%s)%s\n", m.name, m.type, m.entries,
		       m.entries == 1 ? "y" : "ies", enabled ? "" : ", disabled");
	cc_buf_free(&b);
	an_wlset_free(one);
	return rc ? cmd_fail(&e) : 0;
}

static int wl_show(store *s, const char *name)
{
	store_wl *v = NULL;
	size_t n = 0;
	cc_err e;
	char *j = an_wl_builtin_json(name);
	const store_wl *r;
	int rc = 0;

	if (j) {
		puts(j);
		free(j);
		return 0;
	}
	if (store_wl_list(s, &v, &n, &e) != 0)
		return cmd_fail(&e);
	r = row_of(v, n, name);
	if (r && r->json) {
		puts(r->json);
	} else {
		fprintf(stderr, "cybercell: warninglist: %s: no such list\n", name);
		rc = 1;
	}
	store_wl_list_free(v, n);
	return rc;
}

static int wl_enable(store *s, const char *name, bool on)
{
	store_wl *v = NULL;
	size_t n = 0;
	cc_err e;
	bool known;
	int rc = store_wl_list(s, &v, &n, &e);

	known = is_builtin(name) || (rc == 0 && row_of(v, n, name) && row_of(v, n, name)->json);
	store_wl_list_free(v, n);
	if (rc)
		return cmd_fail(&e);
	if (!known) {
		fprintf(stderr, "cybercell: warninglist: %s: no such list\n", name);
		return 1;
	}
	return store_wl_set_enabled(s, name, on, &e) ? cmd_fail(&e) : 0;
}

/* The object path a bare value most likely is. */
static const char *guess_path(const char *v)
{
	size_t n = strlen(v), hex = strspn(v, "0123456789abcdefABCDEF");

	if (strspn(v, "0123456789./") == n)
		return "ipv4-addr:value";
	if (strchr(v, ':') && strspn(v, "0123456789abcdefABCDEF:./") == n)
		return "ipv6-addr:value";
	if (hex == n && (n == 32 || n == 40 || n == 56 || n == 64 || n == 96 || n == 128))
		return "file:hashes.MD5";
	if (strstr(v, "://"))
		return "url:value";
	if (strchr(v, '@'))
		return "email-addr:value";
	return "domain-name:value";
}

static int wl_check(store *s, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "path", required_argument, NULL, 'p' }, { NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	an_wlset *set = an_wlset_new();
	cc_err e;
	int c, status = 0;

	cmd_getopt_reset();
	while ((c = cmd_getopt("warninglist check", argc, argv, "", opts)) != -1) {
		if (c != 'p') {
			an_wlset_free(set);
			return 2;
		}
		path = optarg;
	}
	if (optind >= argc) {
		an_wlset_free(set);
		return cmd_usage_error("warninglist", "check needs a VALUE");
	}
	if (an_wlset_load(set, s, &e) != 0) {
		an_wlset_free(set);
		return cmd_fail(&e);
	}
	for (int i = optind; i < argc; i++) {
		const char *p = path ? path : guess_path(argv[i]);
		const char *list = an_wl_find(set, p, argv[i], strlen(argv[i]));
		const char *broad = an_wl_broad(p, argv[i], strlen(argv[i]));

		if (list)
			printf("%s\t%s\ton warning list %s\n", argv[i], p, list);
		else if (broad)
			printf("%s\t%s\ttoo broad: %s\n", argv[i], p, broad);
		else
			printf("%s\t%s\tnot on a list\n", argv[i], p);
		if (!list && !broad)
			status = 1;
	}
	an_wlset_free(set);
	return status;
}

/* Parse the options of subcommand argv[0] (one flag, --FLAG, or none):
 * *set says whether it was given; *first is the index of the first
 * operand.  0, or 2 after a usage error. */
static int sub_opts(int argc, char **argv, const char *flag, bool *set, int *first)
{
	const struct option opts[] = {
		{ flag ? flag : "", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 },
	};
	int c;

	*set = false;
	cmd_getopt_reset();
	while ((c = cmd_getopt("warninglist", argc, argv, "", flag ? opts : opts + 1)) != -1) {
		if (c != 'f')
			return 2;       /* reported by cmd_getopt */
		*set = true;
	}
	*first = optind;
	return 0;
}

int cmd_warninglist(int argc, char **argv, const cc_cli *cli)
{
	const char *sub = argc > 1 ? argv[1] : "";
	const char *flag = !strcmp(sub, "list") ? "json" : !strcmp(sub, "import") ? "disabled" : NULL;
	store *s = NULL;
	cc_err e;
	int rc = 0, first = 1, nops;
	bool set = false;

	if (!*sub)
		return cmd_usage_error("warninglist", "missing subcommand (list, import, show, enable, "
				       "disable, remove or check)");
	if (strcmp(sub, "check")) {
		rc = sub_opts(argc - 1, argv + 1, flag, &set, &first);
		if (rc)
			return rc;
	}
	nops = argc - 1 - first;
	if (!strcmp(sub, "list")) {
		if (nops)
			return cmd_usage_error("warninglist", "list takes no argument");
	} else if (!strcmp(sub, "import")) {
		if (!nops)
			return cmd_usage_error("warninglist", "import needs a FILE");
	} else if (!strcmp(sub, "show") || !strcmp(sub, "enable") || !strcmp(sub, "disable") ||
		   !strcmp(sub, "remove")) {
		if (nops != 1)
			return cmd_usage_error("warninglist", "%s takes one NAME", sub);
	} else if (strcmp(sub, "check")) {
		return cmd_usage_error("warninglist", "unknown subcommand '%s'", sub);
	}
	if (store_open(cli->db_path, &s, &e) != 0)
		return cmd_fail(&e);
	if (!strcmp(sub, "list"))
		rc = wl_list(s, set);
	else if (!strcmp(sub, "import"))
		for (int i = 1 + first; i < argc && rc == 0; i++)
			rc = wl_import_file(s, argv[i], !set);
	else if (!strcmp(sub, "show"))
		rc = wl_show(s, argv[1 + first]);
	else if (!strcmp(sub, "enable") || !strcmp(sub, "disable"))
		rc = wl_enable(s, argv[1 + first], !strcmp(sub, "enable"));
	else if (!strcmp(sub, "remove"))
		rc = store_wl_remove(s, argv[1 + first], &e) ? cmd_fail(&e) : 0;
	else
		rc = wl_check(s, argc - 1, argv + 1);
	store_close(s);
	return rc;
}
