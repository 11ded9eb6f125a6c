/*
 * store_fixture.h — the cmocka fixture the store's unit tests share: a fresh
 * store in a temporary folder, its default collection, and its removal;
 * and a row counter for store_find.  Include it after <cmocka.h>.
 * Included by one test file per binary, so its functions are static.
 */
#ifndef CC_TEST_STORE_FIXTURE_H
#define CC_TEST_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"

typedef struct fx {
	char dir[64];
	char path[128];
	store *s;
	int64_t coll;           /* the default collection */
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	store_collection c;
	cc_err e = { 0 };

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_store.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	if (store_open(f->path, &f->s, &e))
		return -1;
	if (store_collection_get(f->s, STORE_DEFAULT_COLLECTION, &c, &e))
		return -1;
	f->coll = c.id;
	store_collection_clear(&c);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	char cmd[256];

	store_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A store_row_fn that counts rows into an int. */
static int count_row(const store_row *r, void *ud)
{
	(void)r;
	(*(int *)ud)++;
	return 0;
}

/* How many objects store_find gives for q (not every test file needs it). */
__attribute__((unused)) static int find_n(fx *f, store_find_query q)
{
	cc_err e = { 0 };
	int n = 0;

	if (store_find(f->s, &q, count_row, &n, &e))
		fail_msg("store_find: %s", e.msg);
	return n;
}

#endif
