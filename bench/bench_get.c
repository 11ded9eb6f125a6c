/*
 * bench_get.c — in-process store benchmarks, built against build/libcybercell.a:
 *
 *   bench_get get DB N        N lookups of random known ids with store_get (latest version)
 *   bench_get put DB FILE     store_put of every object of FILE (parsed first, not timed)
 *   bench_get page DB N       N TAXII-style pages of 100 (collection default,
 *                             latest versions, from random added_after points)
 *
 * Prints one line "<mode> <count> <seconds> <per second>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stix/stix.h"
#include "store/store.h"
#include "util/file.h"
#include "util/time.h"

typedef struct ids {
	char **v;
	int64_t *da;
	size_t n, cap;
} ids;

static int add_id(const store_row *r, void *ud)
{
	ids *l = ud;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		l->da = realloc(l->da, l->cap * sizeof(*l->da));
		if (!l->v || !l->da)
			abort();
	}
	l->da[l->n] = r->date_added_us;
	l->v[l->n++] = strdup(r->id);
	return 0;
}

static int count_row(const store_row *r, void *ud)
{
	*(size_t *)ud += r->json_len;
	return 0;
}

/* CPU time of this process in microseconds (the machine may be shared). */
static int64_t cpu_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int64_t cpu0;

static void report(const char *mode, size_t n, int64_t us)
{
	double s = (double)us / 1e6, c = (double)(cpu_us() - cpu0) / 1e6;

	printf("%s %zu %.3f %.0f cpu %.3f\n", mode, n, s, s > 0 ? (double)n / s : 0.0, c);
}

static int bench_get(store *st, long n)
{
	store_query q = { .collection_id = 0, .versions = STORE_VER_LAST };
	ids l = { 0 };
	size_t bytes = 0;
	cc_err e = { 0 };
	int64_t t0;

	if (store_query_run(st, &q, add_id, &l, NULL, &e) || l.n == 0) {
		fprintf(stderr, "bench_get: no objects (%s)\n", e.msg);
		return 1;
	}
	srand(42);
	t0 = cc_mono_us();
	cpu0 = cpu_us();
	for (long i = 0; i < n; i++) {
		if (store_get(st, l.v[(size_t)rand() % l.n], 0, false, count_row, &bytes, &e)) {
			fprintf(stderr, "bench_get: %s\n", e.msg);
			return 1;
		}
	}
	report("get", (size_t)n, cc_mono_us() - t0);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	free(l.da);
	return 0;
}

static int bench_page(store *st, long n)
{
	store_collection c;
	store_query q = { .versions = STORE_VER_LAST };
	ids l = { 0 };
	size_t bytes = 0;
	cc_err e = { 0 };
	bool more;
	int64_t t0;

	if (store_collection_get(st, STORE_DEFAULT_COLLECTION, &c, &e))
		return 1;
	q.collection_id = c.id;
	store_collection_clear(&c);
	if (store_query_run(st, &q, add_id, &l, NULL, &e) || l.n < 200)
		return 1;
	q.limit = 100;
	srand(42);
	t0 = cc_mono_us();
	cpu0 = cpu_us();
	for (long i = 0; i < n; i++) {
		q.added_after_us = l.da[(size_t)rand() % (l.n - 150)];
		if (store_query_run(st, &q, count_row, &bytes, &more, &e))
			return 1;
	}
	report("page100", (size_t)n, cc_mono_us() - t0);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	free(l.da);
	return 0;
}

static int bench_put(store *st, const char *path)
{
	cc_buf b = CC_BUF_INIT;
	store_collection c;
	json_t *root, *objs, *o;
	cc_err e = { 0 };
	size_t i;
	int64_t t0;

	if (cc_file_read_all(path, &b, &e) || store_collection_get(st, "default", &c, &e))
		goto fail;
	root = stix_json_parse(b.data, b.len, path, &e);
	objs = root ? stix_input_objects(root, path, &e) : NULL;
	if (!objs)
		goto fail;
	t0 = cc_mono_us();
	cpu0 = cpu_us();
	if (store_begin(st, &e))
		goto fail;
	json_array_foreach(objs, i, o) {
		if (store_put(st, c.id, o, 0, NULL, &e))
			goto fail;
	}
	if (store_commit(st, &e))
		goto fail;
	report("put", json_array_size(objs), cc_mono_us() - t0);
	store_collection_clear(&c);
	json_decref(objs);
	json_decref(root);
	cc_buf_free(&b);
	return 0;
fail:
	fprintf(stderr, "bench_get: %s\n", e.msg);
	return 1;
}

int main(int argc, char **argv)
{
	store *st;
	cc_err e = { 0 };
	int rc;

	if (argc != 4) {
		fputs("usage: bench_get get|page DB N | bench_get put DB FILE\n", stderr);
		return 2;
	}
	if (store_open(argv[2], &st, &e)) {
		fprintf(stderr, "bench_get: %s\n", e.msg);
		return 1;
	}
	if (strcmp(argv[1], "get") == 0)
		rc = bench_get(st, atol(argv[3]));
	else if (strcmp(argv[1], "page") == 0)
		rc = bench_page(st, atol(argv[3]));
	else if (strcmp(argv[1], "put") == 0)
		rc = bench_put(st, argv[3]);
	else
		rc = 2;
	store_close(st);
	return rc;
}
