/*
 * err.h — the error value every fallible cybercell function fills.
 *
 * A cc_err holds one message, already phrased as "<where>: <what>" (file,
 * object index and id, property path; then what is wrong).  main() prints it
 * as "cybercell: <msg>".  Functions that fail return a negative code and
 * fill the cc_err passed to them; callers may pass NULL when they do not
 * care about the message.  A cc_err owns no heap memory.
 */
#ifndef CC_UTIL_ERR_H
#define CC_UTIL_ERR_H

#include <stdarg.h>

enum {
	CC_OK = 0,
	CC_ERR = -1,        /* bad data or failed operation (exit 1) */
	CC_EUSAGE = -2,     /* bad usage (exit 2) */
	CC_ENOTFOUND = -3,  /* the thing asked for does not exist */
	CC_ENOMEM = -4,     /* out of memory */
	CC_EIO = -5,        /* file or database input/output failed */
	CC_ECONFLICT = -6,  /* already exists / constraint violated */
	CC_EDENIED = -7,    /* not allowed */
};

typedef struct cc_err {
	int code;           /* the CC_E* code of the failure, CC_OK when clear */
	char msg[1024];     /* "<where>: <what>", NUL-terminated */
} cc_err;

/* Set *e (if not NULL) to code and the printf-style message; returns code. */
int cc_err_set(cc_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like cc_err_set but with a va_list. */
int cc_err_setv(cc_err *e, int code, const char *fmt, va_list ap);

/* Put "<where>: " in front of the message already in *e (if not NULL). */
void cc_err_prefix(cc_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reset *e to no error. */
void cc_err_clear(cc_err *e);

#endif
