/*
 * store.c — opening the SQLite file, transactions, and the prepared
 * statement cache (the schema and its migrations are in schema.c).
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "stix/stix.h"
#include "store/store_int.h"
#include "util/hash.h"
#include "util/time.h"
#include "util/xalloc.h"

/* How long a writer waits for another writer's lock before giving up. */
#define STORE_BUSY_MS 10000
/* How long store_yield leaves the write lock free (ten times the interval
 * at which waiters try for it: busy_wait), after a transaction that held
 * it this long (so that it costs a writer at most 1 % of its time). */
#define STORE_YIELD_MS 10
#define STORE_YIELD_AFTER_MS 1000

/* Page cache per connection unless store_set_cache_mb says otherwise. */
#define STORE_CACHE_MB 64


static const char *const fixed_sql[ST_COUNT] = {
	[ST_VERSIONS_OF_ID] = ("SELECT i.vid, i.modified_us, v.org_id, v.tlp, v.gtlp FROM "
			       STORE_ID_FROM " WHERE " STORE_ID_MATCH("?1", "?3")),
	[ST_GROUP_OF_ID] = ("SELECT e.date_added, e.org_id, i.modified_us, e.lvl, e.rank,"
		" e.contested, e.vis_last, e.vis_first FROM " STORE_ID_FROM
		" JOIN entries e ON e.vid = i.vid AND e.collection_id = ?2"
		" WHERE " STORE_ID_MATCH("?1", "?3")),
	[ST_ENTRY_EXISTS] = "SELECT date_added FROM entries WHERE vid = ?1 AND collection_id = ?2",
	[ST_INSERT_VERSION] = ("INSERT INTO versions(vid, id, type, modified, modified_us,"
		" spec_version, tlp, revoked, deprecated, is_last, is_first, collection_id, org_id, json, idh,"
		" gtlp) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
	[ST_INSERT_ENTRY] = ("INSERT INTO entries(date_added, collection_id, vid, org_id, lvl, rank,"
		" contested, vis_last, vis_first) VALUES(?1, ?2, ?3, ?4, ?5, 0, 0, ?6, ?6)"),
	/* a name or id given twice (APT1, apt1) is one row */
	[ST_INSERT_ID] = "INSERT INTO ids(idh, modified_us, vid) VALUES(?1, ?2, ?3)",
	[ST_INSERT_NAME] = "INSERT OR IGNORE INTO names(vid, kind, value) VALUES(?1, ?2, ?3)",
	[ST_INSERT_EXTID] = "INSERT OR IGNORE INTO extids(vid, value) VALUES(?1, ?2)",
	[ST_INSERT_REL] = ("INSERT INTO rels(vid, rel_type, source_ref, target_ref, src_h, dst_h)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6)"),
	[ST_VERSION_FLAGS] = "UPDATE versions SET is_last = ?2, is_first = ?3 WHERE vid = ?1",
	[ST_ENTRY_GROUP] = ("UPDATE entries SET rank = ?3, contested = ?4, vis_last = ?5,"
		" vis_first = ?6 WHERE collection_id = ?1 AND date_added = ?2"),
	[ST_COLL_TLP] = "SELECT default_tlp FROM collections WHERE id = ?1",
	[ST_READ_PAGE] = ("SELECT e.date_added, v.json, v.id, e.lvl FROM entries e JOIN versions v"
		" ON v.vid = e.vid WHERE e.collection_id = ?1 AND e.date_added > ?2"
		STORE_READER_LAST " ORDER BY e.date_added LIMIT ?5"),
	[ST_READ_ONE_ID] = ("SELECT e.date_added, e.vid, e.lvl FROM " STORE_ID_FROM
		" JOIN entries e ON e.vid = i.vid AND e.collection_id = ?1"
		" WHERE " STORE_ID_MATCH("?6", "?5") " AND +e.date_added > ?2" STORE_READER_LAST),
	[ST_VERSION_JSON] = "SELECT json, id FROM versions WHERE vid = ?1",
	[ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[ST_META_SET] = "UPDATE meta SET value = ?2 WHERE key = ?1",
	[ST_META_ADD] = "UPDATE meta SET value = value + ?2 WHERE key = ?1",
	[ST_INSERT_RECEIVED] = ("INSERT OR IGNORE INTO received(vid, peer_id, received_us)"
				" VALUES(?1, ?2, ?3)"),
	[ST_INSERT_TRIGRAMS] = "INSERT INTO names_tri(rowid, value) VALUES(?1, ?2)",
};

int store_sqlerr(store *s, int rc, cc_err *e, const char *what)
{
	int code = CC_EIO;
	int prim = rc & 0xff;

	if (prim == SQLITE_CONSTRAINT)
		code = CC_ECONFLICT;
	else if (prim == SQLITE_NOMEM)
		code = CC_ENOMEM;
	return cc_err_set(e, code, "%s: %s: %s", s->path, what,
			  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
}

sqlite3_stmt *store_stmt(store *s, enum store_stmt_id id, cc_err *e)
{
	int rc;

	assert(id < ST_COUNT);
	if (s->st[id]) {
		sqlite3_reset(s->st[id]);
		sqlite3_clear_bindings(s->st[id]);
		return s->st[id];
	}
	rc = sqlite3_prepare_v3(s->db, fixed_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
				&s->st[id], NULL);
	if (rc != SQLITE_OK) {
		store_sqlerr(s, rc, e, "preparing a statement");
		return NULL;
	}
	return s->st[id];
}

/* A hash to find a cached statement without comparing long SQL texts. */
static uint64_t sql_hash(const char *sql)
{
	return cc_fnv1a(sql, strlen(sql));
}

sqlite3_stmt *store_dyn_stmt(store *s, const char *sql, cc_err *e)
{
	store_dyn *slot = NULL;
	uint64_t h = sql_hash(sql);
	int rc;

	s->tick++;
	for (int i = 0; i < STORE_DYN_SLOTS; i++) {
		store_dyn *d = &s->dyn[i];
		if (d->sql && d->hash == h && strcmp(d->sql, sql) == 0) {
			d->used = s->tick;
			sqlite3_reset(d->st);
			sqlite3_clear_bindings(d->st);
			return d->st;
		}
		if (!slot || !d->sql || (slot->sql && d->used < slot->used))
			slot = d;
	}
	if (slot->sql) {
		sqlite3_finalize(slot->st);
		free(slot->sql);
		slot->sql = NULL;
	}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->st, NULL);
	if (rc != SQLITE_OK) {
		store_sqlerr(s, rc, e, "preparing a query");
		slot->st = NULL;
		return NULL;
	}
	slot->sql = strdup(sql);
	if (!slot->sql) {
		sqlite3_finalize(slot->st);
		slot->st = NULL;
		cc_err_set(e, CC_ENOMEM, "%s: out of memory", s->path);
		return NULL;
	}
	slot->used = s->tick;
	slot->hash = h;
	return slot->st;
}

int store_exec(store *s, const char *sql, cc_err *e)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return store_sqlerr(s, rc, e, "executing");
	return 0;
}

int store_step_done(store *s, sqlite3_stmt *st, const char *what, cc_err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return store_sqlerr(s, rc, e, what);
}

int store_exec_int(store *s, const char *sql, int64_t v, const char *what, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, sql, e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_int64(st, 1, v);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, what);
}

/* Step st for its one row's first column; a missing row is corruption. */
static int one_int(store *s, sqlite3_stmt *st, int64_t *out, const char *what, cc_err *e)
{
	int rc = sqlite3_step(st);

	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_sqlerr(s, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, e, what);
	return 0;
}

int store_read_int(store *s, const char *sql, int64_t *out, const char *what, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, sql, e);

	*out = 0;
	return st ? one_int(s, st, out, what, e) : CC_EIO;
}

int store_meta_get(store *s, const char *key, int64_t *out, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, ST_META_GET, e);
	char what[64];

	*out = 0;
	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	snprintf(what, sizeof(what), "reading the %s", key);
	return one_int(s, st, out, what, e);
}

int64_t store_idhash(const char *id, size_t len)
{
	/* A fixed key: the hash only spreads ids over the index; it is no
	 * defence and needs none (a collision is checked against id). */
	static const unsigned char key[crypto_shorthash_KEYBYTES] = "cybercell idhash";
	unsigned char h[crypto_shorthash_BYTES], low[320], *heap = NULL, *t = low;
	uint64_t v = 0;

	if (len > sizeof(low))
		t = heap = cc_xmalloc(len);
	for (size_t i = 0; i < len; i++)
		t[i] = (unsigned char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] + 32 : id[i]);
	crypto_shorthash(h, t, len, key);
	free(heap);
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return (int64_t)v;
}

/* SQL cc_idhash(text): store_idhash for queries and the migration. */
static void sql_idhash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *t = sqlite3_value_text(argv[0]);

	(void)argc;
	if (!t)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int64(ctx, store_idhash((const char *)t,
						       (size_t)sqlite3_value_bytes(argv[0])));
}

/* SQL cc_tlp(json) / cc_gtlp(json): the object's TLP level and that of
 * its granular markings, for the migration to schema 5. */
static void sql_tlp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *o = json_loadb((const char *)sqlite3_value_blob(argv[0]),
			       (size_t)sqlite3_value_bytes(argv[0]), 0, NULL);
	bool granular = sqlite3_user_data(ctx) != NULL;

	(void)argc;
	sqlite3_result_int(ctx, !o ? STORE_TLP_NONE
				   : granular ? stix_tlp_granular_level(o) : stix_tlp_level(o));
	json_decref(o);
}

/* Process-wide SQLite settings, made once before the first connection:
 * no memory statistics (they take a global mutex on every allocation). */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

/* The busy handler: wait for another connection's lock up to STORE_BUSY_MS,
 * trying again every millisecond.  SQLite's own (sqlite3_busy_timeout)
 * tries at longer and longer intervals, 100 ms apart after the first
 * third of a second, and a writer that commits and begins again at once
 * (a pull, an import) would then keep the write lock from one waiting for
 * it: a member's POST during a long pull waited for the whole pull, or
 * failed.  Such writers leave the lock free for a moment between their
 * transactions (store_yield), which a waiter trying every millisecond
 * takes. */
static int busy_wait(void *arg, int tries)
{
	store *s = arg;
	int64_t now = cc_mono_us();

	if (tries == 0)
		s->busy_since_us = now;
	if (now - s->busy_since_us >= (int64_t)STORE_BUSY_MS * 1000)
		return 0;
	nanosleep(&(struct timespec){ 0, 1000000L }, NULL);
	return 1;
}

void store_yield(store *s)
{
	if (!s->in_txn && s->begun_us &&
	    cc_mono_us() - s->begun_us >= (int64_t)STORE_YIELD_AFTER_MS * 1000)
		nanosleep(&(struct timespec){ 0, STORE_YIELD_MS * 1000000L }, NULL);
}

static int configure(store *s, cc_err *e)
{
	static const char pragmas[] =
		
		"PRAGMA page_size = 16384;"
		"PRAGMA journal_mode = WAL;"
		"PRAGMA synchronous = FULL;"
		"PRAGMA foreign_keys = ON;"
		"PRAGMA temp_store = MEMORY;"
		"PRAGMA journal_size_limit = 67108864;"
		"PRAGMA mmap_size = 1073741824;";
	int rc;

	sqlite3_busy_handler(s->db, busy_wait, s);
	rc = sqlite3_create_function(s->db, "cc_idhash", 1,
				     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				     sql_idhash, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(s->db, "cc_tlp", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
					     NULL, sql_tlp, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(s->db, "cc_gtlp", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
					     (void *)1, sql_tlp, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(s->db, pragmas, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(s, rc, e, "opening the store");
	return store_set_cache_mb(s, STORE_CACHE_MB, e);
}

int store_bulk_writer(store *s, cc_err *e)
{
	s->bulk = true;
	if (store_exec(s, "PRAGMA journal_size_limit = -1", e))
		return CC_EIO;
	return store_ckpt_start(s, e);
}

int store_set_cache_mb(store *s, int mb, cc_err *e)
{
	const char *env = getenv("CYBERCELL_CACHE_MB");
	char sql[64];

	if (env && atoi(env) > 0)
		mb = atoi(env);
	if (mb < 1)
		mb = 1;
	if (mb > 1 << 20)
		mb = 1 << 20;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", mb * 1024);
	return store_exec(s, sql, e);
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

/* Create the store file, when missing, readable by its owner only: it
 * holds TLP:RED objects and password hashes.  SQLite gives its -wal and
 * -shm files the mode of the database file. */
static int create_private(const char *path, cc_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	return cc_err_set(e, CC_EIO, "%s: cannot create the store: %s", path, strerror(errno));
}

int store_open_version(const char *path, int max_version, store **out, cc_err *e)
{
	store *s;
	int rc;

	*out = NULL;
	pthread_once(&sqlite_once, sqlite_setup);
	s = calloc(1, sizeof(*s));
	if (!s)
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", path);
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", path);
	}
	rc = create_private(path, e);
	if (rc)
		goto out_close;
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = store_sqlerr(s, rc, e, "opening the store");
		goto out_close;
	}
	rc = configure(s, e);
	if (rc == 0)
		rc = store_migrate(s, max_version, e);
	if (rc)
		goto out_close;
	*out = s;
	return 0;
out_close:
	store_close(s);
	return rc;
}

int store_open(const char *path, store **out, cc_err *e)
{
	return store_open_version(path, 0, out, e);
}

void store_close(store *s)
{
	if (!s)
		return;
	if (s->in_txn)
		store_rollback(s);
	if (s->lazy)
		store_sync(s, NULL);
	store_ckpt_stop(s);
	store_idset_free(s);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	for (int i = 0; i < STORE_DYN_SLOTS; i++) {
		sqlite3_finalize(s->dyn[i].st);
		free(s->dyn[i].sql);
	}
	sqlite3_close(s->db);
	cc_buf_free(&s->json);
	store_pend_free(s);
	free(s->path);
	free(s);
}

int store_begin(store *s, cc_err *e)
{
	int rc;

	if (s->in_txn)
		return cc_err_set(e, CC_ERR, "%s: a transaction is already open", s->path);
	store_ckpt_wait(s);
	rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(s, rc, e, "starting a write");
	if (store_idset_check(s, e)) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return e ? e->code : CC_EIO;
	}
	s->in_txn = true;
	s->begun_us = cc_mono_us();
	s->last_da = 0;
	s->da_dirty = false;
	s->versions_delta = 0;
	s->tlp_coll = 0;        /* another process may have changed it */
	return 0;
}

int store_set_lazy(store *s, cc_err *e)
{
	if (s->in_txn)
		return cc_err_set(e, CC_ERR, "%s: lazy commits asked for inside a transaction", s->path);
	if (store_exec(s, "PRAGMA synchronous = NORMAL", e))
		return CC_EIO;
	s->lazy = true;
	return 0;
}

/* In WAL mode the commits that synchronous=NORMAL did not sync are all in
 * the -wal file (a checkpoint syncs the WAL before it copies frames out of
 * it, and the database before the WAL starts over), so one sync of that
 * file, through SQLite's own file object, makes them durable. */
int store_sync(store *s, cc_err *e)
{
	sqlite3_file *wal = NULL;
	int rc;

	if (s->in_txn)
		return cc_err_set(e, CC_ERR, "%s: sync asked for inside a transaction", s->path);
	if (!s->lazy)
		return 0;
	if (store_exec(s, "PRAGMA synchronous = FULL", e))
		return CC_EIO;
	s->lazy = false;
	rc = sqlite3_file_control(s->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
	if (rc == SQLITE_OK && wal && wal->pMethods)
		rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
	if (rc != SQLITE_OK)
		return cc_err_set(e, CC_EIO, "%s: syncing the write-ahead log: %s", s->path,
				  sqlite3_errstr(rc));
	return 0;
}

/* Write a meta value: set it, or with ST_META_ADD add to it. */
static int meta_write(store *s, enum store_stmt_id id, const char *key, int64_t v, cc_err *e)
{
	sqlite3_stmt *st = store_stmt(s, id, e);
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "committing");
}

int store_commit(store *s, cc_err *e)
{
	int rc;

	if (!s->in_txn)
		return cc_err_set(e, CC_ERR, "%s: no transaction to commit", s->path);
	if (store_pend_flush(s, e))
		goto out_rollback;
	if (s->da_dirty && meta_write(s, ST_META_SET, "last_date_added", s->last_da, e))
		goto out_rollback;
	if (s->versions_delta && meta_write(s, ST_META_ADD, "versions", s->versions_delta, e))
		goto out_rollback;
	rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		store_sqlerr(s, rc, e, "committing");
		goto out_rollback;
	}
	s->in_txn = false;
	s->versions_delta = 0;
	return 0;
out_rollback:
	{
		int code = e ? e->code : CC_EIO;
		store_rollback(s);
		return code ? code : CC_EIO;
	}
}

void store_rollback(store *s)
{
	if (!s->in_txn)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		if (s->st[i])
			sqlite3_reset(s->st[i]);
	for (int i = 0; i < STORE_DYN_SLOTS; i++)
		if (s->dyn[i].st)
			sqlite3_reset(s->dyn[i].st);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	store_pend_discard(s);
	s->in_txn = false;
	s->last_da = 0;
	s->da_dirty = false;
	s->versions_delta = 0;
}

int store_begin_own(store *s, bool *own, cc_err *e)
{
	*own = !s->in_txn;
	return *own ? store_begin(s, e) : 0;
}

int store_end_own(store *s, bool own, int rc, cc_err *e)
{
	if (!own)
		return rc;
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int store_next_date_added(store *s, int64_t *out, cc_err *e)
{
	int64_t now;

	assert(s->in_txn);
	if (s->last_da == 0) {
		int rc = store_meta_get(s, "last_date_added", &s->last_da, e);
		if (rc)
			return rc;
	}
	now = cc_now_us();
	*out = now > s->last_da ? now : s->last_da + 1;
	s->last_da = *out;
	s->da_dirty = true;
	return 0;
}

char *store_col_dup(sqlite3_stmt *st, int col)
{
	return cc_xstrdup((const char *)sqlite3_column_text(st, col));
}

void store_row_from(sqlite3_stmt *st, store_row *r)
{
	r->id = (const char *)sqlite3_column_text(st, 0);
	r->type = (const char *)sqlite3_column_text(st, 1);
	r->spec_version = (const char *)sqlite3_column_text(st, 2);
	r->modified = (const char *)sqlite3_column_text(st, 3);
	r->json = (const char *)sqlite3_column_text(st, 4);
	r->json_len = (size_t)sqlite3_column_bytes(st, 4);
	r->modified_us = sqlite3_column_int64(st, 5);
	r->tlp = sqlite3_column_int(st, 6);
	r->revoked = sqlite3_column_int(st, 7) != 0;
	r->deprecated = sqlite3_column_int(st, 8) != 0;
	r->date_added_us = sqlite3_column_int64(st, 9);
	r->collection_id = sqlite3_column_int64(st, 10);
	r->org_id = sqlite3_column_int64(st, 11);
	r->lvl = sqlite3_column_int(st, 12);
}

int store_emit_rows(store *s, sqlite3_stmt *st, size_t limit, bool *more,
		    store_row_fn fn, void *ud, size_t *n, const char *what, cc_err *e)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_row r;

		if (limit && *n == limit) {
			if (more)
				*more = true;
			break;
		}
		store_row_from(st, &r);
		(*n)++;
		if (fn(&r, ud))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, what);
	sqlite3_reset(st);
	return rc;
}

int store_get_one(store *s, const char *sql, const char *key, store_fill_fn fill, void *out,
		  const char *what, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, sql, e);
	char doing[64];
	int rc;

	if (!st)
		return CC_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		fill(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return cc_err_set(e, CC_ENOTFOUND, "%s %s: no such %s", what, key, what);
	snprintf(doing, sizeof(doing), "reading the %s", what);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(s, rc, e, doing);
}

int store_list(store *s, const char *sql, size_t elem_size, store_fill_fn fill,
	       void (*clear)(void *elem), void **out, size_t *n, cc_err *e)
{
	sqlite3_stmt *st = store_dyn_stmt(s, sql, e);

	*out = NULL;
	*n = 0;
	return st ? store_list_stmt(s, st, elem_size, fill, clear, out, n, e) : CC_EIO;
}

int store_list_stmt(store *s, sqlite3_stmt *st, size_t elem_size, store_fill_fn fill,
		    void (*clear)(void *elem), void **out, size_t *n, cc_err *e)
{
	char *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			v = cc_xrealloc(v, cap * elem_size);
		}
		memset(v + cnt * elem_size, 0, elem_size);
		fill(st, v + cnt++ * elem_size);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; clear && i < cnt; i++)
			clear(v + i * elem_size);
		free(v);
		return store_sqlerr(s, rc, e, "listing");
	}
	*out = v;
	*n = cnt;
	return 0;
}
