#include "cmd/cmd.h"
#include "store/store.h"
#include "util/time.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_fail(const cc_err *e)
{
	fprintf(stderr, "cybercell: %s\n", e && e->msg[0] ? e->msg : "operation failed");
	return 1;
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cybercell: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'cybercell %s --help'.\n", cmd);
	return 2;
}

void cmd_list_row(cmd_list *l, json_t *obj, const char *fmt, ...)
{
	va_list ap;

	if (l->json) {
		json_array_append_new(l->rows, obj);
		return;
	}
	json_decref(obj);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int cmd_list_print(bool json, const void *v, size_t n, size_t sz,
		   void (*row)(cmd_list *l, const void *item))
{
	cmd_list l = { json, json ? json_array() : NULL };

	for (size_t i = 0; i < n; i++)
		row(&l, (const char *)v + i * sz);
	if (json) {
		json_dumpf(l.rows, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(l.rows);
	return 0;
}

int cmd_read_secret(const char *cmd, const char *what, char *buf, size_t size, size_t min_len)
{
	size_t n;

	if (!fgets(buf, (int)size, stdin)) {
		fprintf(stderr, "cybercell: %s: no %s on stdin\n", cmd, what);
		return 1;
	}
	n = strcspn(buf, "\r\n");
	if (buf[n] == 0 && n == size - 1) {
		fprintf(stderr, "cybercell: %s: %s longer than %zu bytes\n", cmd, what, size - 1);
		return 1;
	}
	buf[n] = 0;
	if (n < min_len) {
		fprintf(stderr, "cybercell: %s: %s shorter than %zu bytes\n", cmd, what, min_len);
		return 1;
	}
	return 0;
}

void cmd_getopt_reset(void)
{
	optind = 0;	/* glibc: 0 also resets its internal state */
	opterr = 0;	/* commands report bad options themselves */
}

bool cmd_parse_long(const char *cmd, const char *opt, const char *s,
		    long long min, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		cmd_usage_error(cmd, "%s: '%s' is not a number in %lld..%lld", opt, s, min, max);
		return false;
	}
	*out = v;
	return true;
}

/* Which long option arg ("--name" or "--name=value") names: the exact match,
 * else the only one it abbreviates; NULL when none or several (*nprefix
 * says how many it abbreviates). */
static const struct option *long_lookup(const struct option *longopts, const char *arg,
					size_t *nprefix)
{
	const char *name = arg + 2;
	size_t len = strcspn(name, "=");
	const struct option *o, *found = NULL;

	*nprefix = 0;
	for (o = longopts; o->name; o++) {
		if (strncmp(o->name, name, len) != 0)
			continue;
		if (o->name[len] == 0)
			return o;
		found = o;
		(*nprefix)++;
	}
	return *nprefix == 1 ? found : NULL;
}

/* The usage error for an option getopt_long refused with c ('?' or ':'). */
static int option_error(const char *cmd, int c, char **argv, const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	const struct option *o = NULL;
	size_t nprefix = 0;
	int len;

	/* A refused short option may sit inside a cluster ("-zj"), where
	 * argv[optind - 1] is still the argument before it: trust a "--" there
	 * only if it is not a valid long option. */
	if (strncmp(arg, "--", 2) == 0)
		o = long_lookup(longopts, arg, &nprefix);
	len = (int)strcspn(arg, "=");
	if (strncmp(arg, "--", 2) == 0 && c == ':')
		return cmd_usage_error(cmd, "option '%.*s' needs a value", len, arg);
	if (c == ':')
		return cmd_usage_error(cmd, "option '-%c' needs a value", optopt);
	if (strncmp(arg, "--", 2) == 0 && !o && nprefix > 1) {
		const char *sep = "";

		fprintf(stderr, "cybercell: %s: option '%.*s' is ambiguous (", cmd, len, arg);
		for (o = longopts; o->name; o++)
			if (strncmp(o->name, arg + 2, (size_t)len - 2) == 0) {
				fprintf(stderr, "%s--%s", sep, o->name);
				sep = ", ";
			}
		fprintf(stderr, ")\nTry 'cybercell %s --help'.\n", cmd);
		return 2;
	}
	if (strncmp(arg, "--", 2) == 0 && !o)
		return cmd_usage_error(cmd, "unknown option '%.*s'", len, arg);
	if (o && o->has_arg == no_argument && arg[len] == '=')
		return cmd_usage_error(cmd, "option '--%s' takes no value", o->name);
	if (optopt)
		return cmd_usage_error(cmd, "unknown option '-%c'", optopt);
	return cmd_usage_error(cmd, "unknown option '%s'", arg);
}

int cmd_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char spec[128];
	int c;

	/* A leading ':' makes getopt_long return ':' for a missing value;
	 * it goes after a leading '+' or '-'. */
	if (shortopts[0] == '+' || shortopts[0] == '-')
		snprintf(spec, sizeof(spec), "%c:%s", shortopts[0], shortopts + 1);
	else
		snprintf(spec, sizeof(spec), ":%s", shortopts);
	c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c != '?' && c != ':')
		return c;
	option_error(cmd, c, argv, longopts);
	return '?';
}

int cmd_flag_and_operand(const char *cmd, int argc, char **argv, const char *longname,
			 char shortname, const char *what, bool *set, const char **operand)
{
	const struct option opts[] = {
		{ longname, no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 }
	};
	char shortopts[2] = { shortname, 0 };
	int c;

	*set = false;
	cmd_getopt_reset();
	while ((c = cmd_getopt(cmd, argc, argv, shortopts, opts)) != -1) {
		if (c != 'f' && c != shortname)
			return 2;       /* reported by cmd_getopt */
		*set = true;
	}
	if (optind != argc - 1)
		return cmd_usage_error(cmd, "expected one %s", what);
	*operand = argv[optind];
	return 0;
}

bool cmd_name_ok(const char *cmd, const char *name)
{
	static const char extra[] = "._-@+";
	size_t n = strlen(name), i;

	if (n == 0 || n > 63) {
		cmd_usage_error(cmd, "NAME must be 1 to 63 characters");
		return false;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c >= 0x80 || (!isalnum(c) && !strchr(extra, c))) {
			cmd_usage_error(cmd, "NAME: character %zu (0x%02x) is not allowed; "
					"use letters, digits and . _ - @ +", i + 1, c);
			return false;
		}
	}
	return true;
}

static void add_received(const char *peer, int64_t us, void *ud)
{
	char ts[CC_TS_MAX];

	cc_ts_format(us, 6, ts);
	json_array_append_new(ud, json_pack("{s:s, s:s}", "peer", peer, "received", ts));
}

json_t *cmd_provenance(store *s, const store_row *r)
{
	json_t *v = json_array();
	cc_err e;

	if (store_received_list(s, r, add_received, v, &e) != 0 || json_array_size(v) == 0) {
		json_decref(v);
		return NULL;
	}
	return v;
}
