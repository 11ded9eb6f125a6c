/*
 * resolve.c — an object of the store named the way a user types it: by
 * name or alias, else by a part of its name (store_resolve_name; used by
 * `find --related-to` and by the war game's adversary lookup).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/buf.h"

#define SHOWN 3                 /* candidates named in an "ambiguous" error */

typedef struct found {
	char *id[SHOWN];        /* the first candidates' ids */
	char *name[SHOWN];      /* and names (their id when they have none) */
	size_t n;               /* candidates seen */
} found;

static int found_row(const store_row *row, void *ud)
{
	found *f = ud;

	if (f->n < SHOWN) {
		json_t *o = json_loadb(row->json, row->json_len, 0, NULL);
		const char *name = json_string_value(json_object_get(o, "name"));

		f->id[f->n] = strdup(row->id);
		f->name[f->n] = strdup(name ? name : row->id);
		json_decref(o);
		if (!f->id[f->n] || !f->name[f->n])
			abort();
	}
	f->n++;
	return 0;
}

static void found_clear(found *f)
{
	for (size_t i = 0; i < f->n && i < SHOWN; i++) {
		free(f->id[i]);
		free(f->name[i]);
	}
	memset(f, 0, sizeof(*f));
}

/* "intrusion-set, threat-actor or campaign" (or "object" for any type). */
static void types_text(const char *const *types, cc_buf *b)
{
	if (!types || !types[0]) {
		cc_buf_puts(b, "object");
		return;
	}
	for (size_t i = 0; types[i]; i++) {
		if (i)
			cc_buf_puts(b, types[i + 1] ? ", " : " or ");
		cc_buf_puts(b, types[i]);
	}
}

static int ambiguous(const char *what, const char *text, const found *f, cc_err *e)
{
	cc_buf b = CC_BUF_INIT;
	int rc;

	for (size_t i = 0; i < f->n && i < SHOWN; i++)
		cc_buf_printf(&b, "%s%s (%s)", i ? ", " : "", f->name[i], f->id[i]);
	if (f->n > SHOWN)
		cc_buf_printf(&b, " and %zu more", f->n - SHOWN);
	rc = cc_err_set(e, CC_ERR, "%s '%s' is ambiguous: %s", what, text, cc_buf_str(&b));
	cc_buf_free(&b);
	return rc;
}

int store_resolve_name(store *s, const store_resolve *r, const char *text, char **id,
		       char **name, cc_err *e)
{
	found f = { 0 };
	cc_buf b = CC_BUF_INIT;
	size_t ntypes = 0;
	int rc = CC_OK;

	while (r->types && r->types[ntypes])
		ntypes++;
	for (int pass = 0; pass < (r->substring ? 2 : 1) && !f.n; pass++)
		for (size_t t = 0; t < (ntypes ? ntypes : 1) && !f.n; t++) {
			store_find_query q = { .type = ntypes ? r->types[t] : NULL,
					       .include_revoked = r->include_revoked };

			if (pass == 0)
				q.alias = text;
			else
				q.name = text;
			if ((rc = store_find(s, &q, found_row, &f, e)))
				goto out;
		}
	if (f.n == 0) {
		types_text(r->types, &b);
		rc = cc_err_set(e, CC_ENOTFOUND, "%s '%s': no %s has that name or alias",
				r->what, text, cc_buf_str(&b));
	} else if (f.n > 1) {
		rc = ambiguous(r->what, text, &f, e);
	} else {
		*id = f.id[0];
		f.id[0] = NULL;
		if (name) {
			*name = f.name[0];
			f.name[0] = NULL;
		}
	}
out:
	cc_buf_free(&b);
	found_clear(&f);
	return rc;
}
