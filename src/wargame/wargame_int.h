/*
 * wargame_int.h — private to src/wargame: helpers shared by its files (not
 * part of the module's interface, which is wargame.h).
 *
 * wgy_*: walking a libyaml document with errors that name
 * "file:line:col: path: what".  The document and the error belong to the
 * wgy context; nodes are borrowed from the document.
 */
#ifndef CC_WARGAME_WARGAME_INT_H
#define CC_WARGAME_WARGAME_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "util/err.h"
#include "util/xalloc.h"
#include "wargame/wargame.h"

typedef struct wgy {
	yaml_document_t doc;
	bool have_doc;          /* doc must be deleted */
	const char *name;       /* file name for messages */
	cc_err *e;
} wgy;

/* Parse the first document of data into y (an empty input gives a NULL
 * root).  Fails with "name:line:col: what" on a syntax error. */
int wgy_open(wgy *y, const char *data, size_t len, const char *name, cc_err *e);
void wgy_close(wgy *y);
yaml_node_t *wgy_root(wgy *y);
yaml_node_t *wgy_node(wgy *y, int id);

/* Set the error "name:line:col: path: what" at node n; returns CC_ERR. */
int wgy_fail(wgy *y, const yaml_node_t *n, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Typed readers of scalar nodes; each fails with a message naming path. */
int wgy_str(wgy *y, yaml_node_t *n, const char *path, char **out);
int wgy_int(wgy *y, yaml_node_t *n, const char *path, long lo, long hi, int *out);
int wgy_num(wgy *y, yaml_node_t *n, const char *path, double lo, double hi, double *out);
int wgy_bool(wgy *y, yaml_node_t *n, const char *path, bool *out);
/* The scalar text of n or NULL when n is not a scalar (borrowed). */
const char *wgy_scalar(yaml_node_t *n);
/* Fail unless n is a mapping / sequence. */
int wgy_want_map(wgy *y, yaml_node_t *n, const char *path);
int wgy_want_seq(wgy *y, yaml_node_t *n, const char *path);

/* Split mapping n into the values of the allowed keys (NULL-terminated
 * list): vals[i] is the value node of allowed[i] or NULL.  Unknown and
 * duplicate keys are errors. */
int wgy_keys(wgy *y, yaml_node_t *n, const char *path,
	     const char *const *allowed, yaml_node_t **vals);

/* A string -> int map (open addressing).  Keys are copied. */
typedef struct wg_strmap {
	char **keys;
	int *vals;
	size_t cap;             /* power of two, or 0 */
	size_t n;
} wg_strmap;

/* Value of key, or WG_NONE. */
int wg_strmap_get(const wg_strmap *m, const char *key);
/* Insert key -> val unless present; returns the value now stored. */
int wg_strmap_put(wg_strmap *m, const char *key, int val);
void wg_strmap_free(wg_strmap *m);

/* Format an element path ("hosts[3].services[0].port") into p, which has
 * room for WG_PATH_MAX bytes (truncating). */
#define WG_PATH_MAX 256
void wg_pathf(char *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The name indexes of a model (model.c fills them). */
struct wg_model_priv {
	wg_strmap zones, hosts, accounts, people, jewels;
};

/* Is name a predicate the model fills (or the engine derives from flows)? */
bool wg_rules_pred_is_base(const char *name);

#endif
