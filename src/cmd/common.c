#include "cmd/cmd.h"

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
