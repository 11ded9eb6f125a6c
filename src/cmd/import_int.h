/*
 * import_int.h — private to `cybercell import`: the per-run context shared by
 * the command (import.c) and its parallel pipeline (import_par.c).
 */
#ifndef CC_CMD_IMPORT_INT_H
#define CC_CMD_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

typedef struct import_ctx {
	store *st;
	int64_t coll;
	bool skip_invalid;
	const char *display;        /* the file as shown in messages */
	const char *where_fmt;      /* "objects[%zu]", "[%zu]" or "" */
	size_t index;               /* index of the current input object */
	const char *obj_id;         /* id of the object being checked */
	size_t problems, shown;     /* problems in this file, and printed */
	size_t n_new, n_dup, n_skipped, n_bad;
	cc_buf *defer;              /* when set, problems are collected here, not printed */
	const struct an_wlset *wl;  /* warning lists, for warnings about indicators */
	size_t warnings;            /* warnings in this file (the first ones printed) */
} import_ctx;

/* After a file: how many warnings it had, when not all were printed. */
void import_warn_summary(import_ctx *c);

/* One problem of the current object at property path (may be ""). */
void import_report(import_ctx *c, const char *path, const char *msg);

/* Store one object made ready by store_ingest_prepare. */
int import_store_ready(import_ctx *c, const store_ready *r, cc_err *e);

/* After the objects of a file: commit, or roll back when it failed or had
 * invalid objects (without --skip-invalid). */
int import_finish_file(import_ctx *c, int rc, cc_err *e);

/* Import a file's whole text on this thread (any input shape). */
int import_serial(import_ctx *c, const cc_buf *data, cc_err *e);

/* Called by import_files for each file when it is done: rc 0 (imported)
 * or the failure, with *e filled. */
typedef void (*import_done_fn)(import_ctx *c, int rc, cc_err *e, void *ud);

/* Import paths[0..n) in order, one transaction each, reading and parsing
 * ahead on worker threads (import_par.c). */
void import_files(import_ctx *c, char *const *paths, size_t n, import_done_fn done, void *ud);

#endif
