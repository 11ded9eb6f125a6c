/* Unit tests of the store's read path for the TAXII server (src/store/read.c):
 * the lean page read must answer exactly what store_query answers, and the
 * generation must move with every commit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "store/store.h"
#include "util/buf.h"

/* TLP 2.0 marking definitions, clear .. red */
static const char *const tlp_marks[] = {
	"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};

/* Object i, version v: unmarked when i % 6 == 5, else TLP level i % 6. */
static json_t *object(int i, int v)
{
	char id[64], mod[32];
	json_t *o;

	snprintf(id, sizeof(id), "indicator--%08d-0000-4000-8000-000000000000", i);
	snprintf(mod, sizeof(mod), "2024-01-0%dT00:00:00.000Z", v + 1);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type", "indicator",
		      "spec_version", "2.1", "id", id, "created", "2024-01-01T00:00:00.000Z",
		      "modified", mod, "pattern_type", "stix",
		      "pattern", "[ipv4-addr:value = '10.0.0.1']",
		      "valid_from", "2024-01-01T00:00:00Z");
	if (i % 6 != 5)
		json_object_set_new(o, "object_marking_refs",
				    json_pack("[s]", tlp_marks[i % 6]));
	return o;
}

/* A fresh path for a store (the file itself is not there). */
static void tmp_db_path(char *path)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	unlink(path);
}

/* Rows as "date_added json;" lines, to compare two reads. */
static int collect(const store_row *r, void *ud)
{
	cc_buf_printf(ud, "%lld ", (long long)r->date_added_us);
	cc_buf_append(ud, r->json, r->json_len);
	cc_buf_puts(ud, ";\n");
	return 0;
}

static void test_page_matches_query(void **state)
{
	char path[] = "/tmp/test_taxii_store_XXXXXX";
	store *s = NULL;
	store_collection c = { 0 };
	int64_t middle = 0;
	cc_err e;

	(void)state;
	tmp_db_path(path);
	assert_int_equal(store_open(path, &s, &e), 0);
	assert_int_equal(store_collection_add(s, "c", NULL, NULL, NULL, &c, &e), 0);
	assert_int_equal(store_collection_set_tlp(s, c.id, STORE_TLP_GREEN, &e), 0);
	for (int v = 0; v < 2; v++)
		for (int i = 0; i < 24; i++) {
			store_put_result r;
			json_t *o;

			if (v == 1 && i % 3)
				continue;	/* a second version for some */
			o = object(i, v);
			assert_int_equal(store_put(s, c.id, o, 1 + i % 2, &r, &e), 0);
			if (v == 0 && i == 12)
				middle = r.date_added_us;
			json_decref(o);
		}
	for (int64_t viewer = 0; viewer <= 3; viewer++)
		for (int max = STORE_TLP_CLEAR; max <= STORE_TLP_RED; max++)
			for (int after = 0; after < 2; after++)
				for (size_t limit = 0; limit <= 8; limit += 4)
				for (int one = -1; one <= 24; one += one < 0 ? 1 : 6) {
					/* the whole collection (-1), one object, or none (24) */
					char id[64];
					const char *ids[1] = { id };
					store_query q = { 0 };
					store_page_query pq = { 0 };
					cc_buf a = CC_BUF_INIT, b = CC_BUF_INIT;
					bool more_a = false, more_b = true;

					if (one >= 0) {
						snprintf(id, sizeof(id),
							 "indicator--%08d-0000-4000-8000-000000000000", one);
						q.ids = ids;
						q.n_ids = 1;
						pq.id = id;
					}
					q.collection_id = pq.collection_id = c.id;
					q.added_after_us = pq.added_after_us = after ? middle : 0;
					q.limit = pq.limit = limit;
					q.viewer_org = pq.viewer_org = viewer;
					q.max_tlp = pq.max_tlp = max;
					assert_int_equal(store_query_run(s, &q, collect, &a, &more_a, &e), 0);
					assert_int_equal(store_read_page(s, &pq, collect, &b, &more_b, &e), 0);
					assert_string_equal(cc_buf_str(&a), cc_buf_str(&b));
					assert_int_equal(more_a, more_b);
					cc_buf_free(&a);
					cc_buf_free(&b);
				}
	store_collection_clear(&c);
	store_close(s);
	unlink(path);
}

static void test_generation(void **state)
{
	char path[] = "/tmp/test_taxii_store_XXXXXX";
	store *s = NULL, *s2 = NULL;
	store_collection c = { 0 };
	uint64_t g1, g2, g3;
	cc_err e;

	(void)state;
	tmp_db_path(path);
	assert_int_equal(store_open(path, &s, &e), 0);
	assert_int_equal(store_open(path, &s2, &e), 0);
	assert_int_equal(store_collection_add(s, "c", NULL, NULL, NULL, &c, &e), 0);
	assert_int_equal(store_collection_set_tlp(s, c.id, STORE_TLP_AMBER, &e), 0);
	for (int i = 0; i < 12; i++) {
		json_t *o = object(i, 0);

		assert_int_equal(store_put(s, c.id, o, 1 + i % 2, NULL, &e), 0);
		json_decref(o);
	}
	/* the generation: still while nothing changes, moved by any commit */
	assert_int_equal(store_read_begin(s, &g1, &e), 0);
	store_read_end(s);
	assert_int_equal(store_read_begin(s, &g2, &e), 0);
	store_read_end(s);
	assert_true(g1 == g2);
	assert_int_equal(store_collection_set_tlp(s2, c.id, STORE_TLP_RED, &e), 0);
	assert_int_equal(store_read_begin(s, &g2, &e), 0);
	store_read_end(s);
	assert_true(g1 != g2);	/* another connection's commit */
	assert_int_equal(store_collection_set_tlp(s, c.id, STORE_TLP_CLEAR, &e), 0);
	assert_int_equal(store_read_begin(s, &g3, &e), 0);
	assert_true(g3 != g2);	/* this handle's own write */
	store_read_end(s);
	store_read_end(s);	/* none open: no-op */
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_not_equal(store_read_begin(s, &g3, &e), 0);	/* not in a write */
	store_rollback(s);

	store_collection_clear(&c);
	store_close(s);
	store_close(s2);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_matches_query),
		cmocka_unit_test(test_generation),
	};

	return cmocka_run_group_tests_name("taxii_store", tests, NULL, NULL);
}
