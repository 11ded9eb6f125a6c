#include "util/err.h"

#include <stdio.h>
#include <string.h>

int cc_err_setv(cc_err *e, int code, const char *fmt, va_list ap)
{
	if (e) {
		e->code = code;
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	}
	return code;
}

int cc_err_set(cc_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cc_err_setv(e, code, fmt, ap);
	va_end(ap);
	return code;
}

void cc_err_prefix(cc_err *e, const char *fmt, ...)
{
	char where[512];
	char old[sizeof(e->msg)];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(where, sizeof(where), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	cc_err_set(e, e->code, "%.511s: %.1000s", where, old);
}

void cc_err_clear(cc_err *e)
{
	if (e) {
		e->code = CC_OK;
		e->msg[0] = '\0';
	}
}
