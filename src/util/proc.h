/*
 * proc.h — running another program as a filter: bytes in on its standard
 * input, its standard output back, with a time limit.  The program is
 * started directly (posix_spawnp, found on PATH), never through a shell,
 * and nothing goes through a temporary file.
 *
 * Ownership: the caller owns argv, the input and the cc_bufs; the result
 * holds no resources.
 */
#ifndef CC_UTIL_PROC_H
#define CC_UTIL_PROC_H

#include <stddef.h>

#include "util/buf.h"

/* How a run ended. */
typedef enum cc_proc_end {
	CC_PROC_OK,             /* exited with status 0 */
	CC_PROC_NOT_FOUND,      /* no such program on PATH */
	CC_PROC_START_FAILED,   /* could not be started (err_no says why) */
	CC_PROC_EXIT,           /* exited with a non-zero status (code) */
	CC_PROC_SIGNAL,         /* killed by signal code */
	CC_PROC_TIMEOUT,        /* still running at the time limit: killed */
} cc_proc_end;

typedef struct cc_proc_result {
	cc_proc_end end;
	int code;               /* the exit status or the signal number */
	int err_no;             /* CC_PROC_START_FAILED: the errno */
} cc_proc_result;

/* Run argv[0] with argv (NULL-terminated), writing in[0..inlen) to its
 * standard input (it may stop reading early) and appending its standard
 * output to out and up to 4 KiB of its standard error to err (may be NULL:
 * discarded).  Waits at most timeout_ms, then kills it.  Blocks SIGPIPE in
 * the calling thread while it writes. */
cc_proc_result cc_proc_filter(char *const argv[], const char *in, size_t inlen,
			      int timeout_ms, cc_buf *out, cc_buf *err);

/* Lower the calling thread's priority to niceness nice (Linux: per
 * thread), for a thread that runs ahead of the one everything waits for
 * (import's and a pull's storing thread).  Best effort: a failure leaves
 * it as it was. */
void cc_proc_thread_nice(int nice);

#endif
