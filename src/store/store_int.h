/*
 * store_int.h — private to src/store: the handle, the prepared statement
 * cache and the helpers the store's files share.  Nothing outside
 * src/store includes this.
 */
#ifndef CC_STORE_INT_H
#define CC_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"
#include "util/buf.h"

/* The fixed statements, prepared once per handle on first use. */
enum store_stmt_id {
	ST_VERSIONS_OF_ID,      /* vid, modified_us, org_id, tlp, gtlp of every version of an id */
	ST_GROUP_OF_ID,         /* the entries of an id in a collection (group.c's columns) */
	ST_ENTRY_EXISTS,        /* date_added of (vid, collection) */
	ST_INSERT_VERSION,
	ST_INSERT_ENTRY,
	ST_INSERT_ID,
	ST_INSERT_NAME,
	ST_INSERT_EXTID,
	ST_INSERT_REL,
	ST_VERSION_FLAGS,       /* set is_last/is_first of a version */
	ST_ENTRY_GROUP,         /* set rank, contested, vis_last, vis_first of an entry */
	ST_COLL_TLP,            /* default_tlp of a collection */
	ST_READ_PAGE,           /* a page of a collection's latest versions for a reader */
	ST_READ_ONE_ID,         /* the entries of an id a reader is served (read.c) */
	ST_VERSION_JSON,        /* the json and id of a version */
	ST_META_GET,
	ST_META_SET,
	ST_META_ADD,            /* add to a meta value */
	ST_INSERT_RECEIVED,     /* which peer delivered a version (put.c) */
	ST_INSERT_TRIGRAMS,     /* a name into names_tri (pending.c, schema 11 on) */
	ST_COUNT
};

/* The hash of an object id that versions.idh and the ids table hold;
 * cc_idhash(text) in SQL.  Ids are compared without regard to ASCII
 * letter case (a UUID is case-insensitive), so the hash is of the id in
 * lower case. */
int64_t store_idhash(const char *id, size_t len);

/* SQL: version row v has the id bound at parameter P, whose hash is bound
 * at parameter H (or written H = "cc_idhash(P)" to have SQL make it).
 * The ids table finds the versions of a hash; the id text settles a
 * collision.  Rows of this transaction reach ids at store_pend_flush. */
#define STORE_ID_IS(P, H) "v.vid IN (SELECT i.vid FROM ids i WHERE i.idh = " H ")" \
	" AND v.id = " P " COLLATE NOCASE"

/* SQL: entry e (of version v) is served to reader V, whose max TLP is T
 * (SQL expressions, e.g. parameters; V is used twice), as far as owners'
 * copies go: the id has one owner in the collection, or e is V's own, or
 * V holds no copy and has no copy of lower rank of which it may see a
 * version (group.c). */
#define STORE_SERVED(V, T) "(e.contested = 0 OR e.org_id = " V " OR NOT EXISTS (" \
	"SELECT 1 FROM ids i2 JOIN versions v2 ON v2.vid = i2.vid JOIN entries e2" \
	" ON e2.vid = i2.vid AND e2.collection_id = e.collection_id" \
	" WHERE i2.idh = v.idh AND v2.id = v.id COLLATE NOCASE" \
	" AND (e2.org_id = " V " OR (e2.rank < e.rank AND e2.lvl <= " T "))))"

/* SQL: the max TLP of grant G (a grants row), capped at its organisation's
 * peer's max_tlp when it stands for a peer (store_peer). */
#define STORE_GRANT_TLP(G) "min(" G ".max_tlp, coalesce((SELECT p.max_tlp FROM peers p" \
	" WHERE p.org_id = " G ".org_id), 4))"

/* SQL: entry e is the latest version a reader ?3 whose max TLP is ?4 may
 * see of the copy it is served (group.c). */
#define STORE_READER_LAST " AND (e.vis_last >> (CASE WHEN e.org_id = ?3 THEN 4 ELSE ?4 END)) & 1" \
	" AND " STORE_SERVED("?3", "?4")

/* The same as a join, for queries that start from the id: "SELECT ...
 * FROM " STORE_ID_FROM " WHERE " STORE_ID_MATCH(P, H); ids i gives the
 * versions in modified_us order without a sort. */
#define STORE_ID_FROM "ids i JOIN versions v ON v.vid = i.vid"
#define STORE_ID_MATCH(P, H) "i.idh = " H " AND v.id = " P " COLLATE NOCASE"

/* A dynamically built statement kept for reuse, keyed by its SQL text. */
typedef struct store_dyn {
	char *sql;              /* owned; NULL when the slot is free */
	uint64_t hash;          /* of sql, compared first */
	sqlite3_stmt *st;       /* prepared statement */
	uint64_t used;          /* tick of the last use, for LRU eviction */
} store_dyn;

#define STORE_DYN_SLOTS 32

/* A pending names/extids row: value is an offset into the arena. */
typedef struct pend_val {
	int64_t vid;            /* the version */
	int kind;               /* names only: 0 name, 1 alias */
	size_t value;           /* arena offset of the value */
} pend_val;

/* A pending rels row; the texts are arena offsets. */
typedef struct pend_rel {
	int64_t vid;
	int64_t src_h, dst_h;   /* store_idhash of src and dst */
	size_t rel_type, src, dst;
} pend_rel;

/* A pending ids row. */
typedef struct pend_id {
	int64_t idh, modified_us, vid;
} pend_id;

/* Rows of this transaction's new versions not yet in SQLite: their ids
 * rows and search rows (see pending.c).  Empty outside a transaction. */
typedef struct store_pending {
	pend_id *ids;
	pend_val *names, *extids;
	pend_rel *rels;
	size_t n_ids, n_names, n_extids, n_rels;        /* rows in use */
	size_t cap_ids, cap_names, cap_extids, cap_rels; /* rows allocated */
	cc_buf arena;           /* the texts, NUL-terminated, back to back */
	uint64_t *idh_set;      /* open addressing set of the pending ids' hashes */
	size_t idh_cap;         /* its slots, a power of two (0: none yet) */
	bool idh_zero;          /* hash 0 is pending (0 marks a free slot) */
} store_pending;

typedef struct store_ckpt store_ckpt;
typedef struct store_idset store_idset;

struct store {
	sqlite3 *db;            /* the connection */
	char *path;             /* as opened */
	sqlite3_stmt *st[ST_COUNT];     /* fixed statements (NULL until used) */
	store_dyn dyn[STORE_DYN_SLOTS]; /* dynamic statements */
	uint64_t tick;          /* LRU clock for dyn */
	bool in_txn;            /* inside store_begin .. commit/rollback */
	int64_t last_da;        /* last date_added issued in this txn (0 = not read yet) */
	bool da_dirty;          /* last_da must be written to meta before commit */
	int64_t versions_delta; /* version rows added (-removed) in this txn */
	cc_buf json;            /* scratch buffer for serialising objects */
	store_pending pend;     /* search rows not yet written */
	store_ckpt *ckpt;       /* background checkpointer, or NULL (ckpt.c) */
	bool bulk;              /* store_bulk_writer was called */
	bool lazy;              /* commits don't wait for the disk (store_set_lazy) */
	int64_t busy_since_us;  /* when busy_wait began waiting for a lock */
	int64_t begun_us;       /* when store_begin last took the write lock */
	size_t bulk_puts;       /* lookups made without an id filter */
	store_idset *idset;     /* filter of stored ids, or NULL (idset.c) */
	int64_t tlp_coll;       /* the collection whose default TLP is in tlp_default,
	                           read in this transaction (0: none) */
	int tlp_default;
	int schema;             /* the schema version it was opened at (user_version) */
};

/* The schema version whose step adds the safeguards' tables and
 * collections.restricted (schema.c's steps[]; keep them in step): a
 * store opened at an older version reads every collection as not
 * restricted. */
#define STORE_SCHEMA_SAFEGUARDS 9
/* The schema version from which pending.c's flush writes names_tri_new
 * itself (before, from step 10, a trigger on names did). */
#define STORE_SCHEMA_TRI_LEAN 11

/* Bring the schema up to max_version (<= 0: the newest), one transaction
 * for all the steps (schema.c). */
int store_migrate(store *s, int max_version, cc_err *e);

/* SQLite result code -> CC_E* code, and an error message "<path>: <what>". */
int store_sqlerr(store *s, int rc, cc_err *e, const char *what);

/* The fixed statement id, prepared on first use (reset and cleared of
 * bindings).  NULL on failure with *e set. */
sqlite3_stmt *store_stmt(store *s, enum store_stmt_id id, cc_err *e);

/* A statement for sql from the dynamic cache (reset, bindings cleared),
 * preparing it when missing.  NULL on failure with *e set. */
sqlite3_stmt *store_dyn_stmt(store *s, const char *sql, cc_err *e);

/* Run sql (one or more statements without parameters or results). */
int store_exec(store *s, const char *sql, cc_err *e);

/* Run the one statement sql, without results, with ?1 = v; what names
 * the operation in an error message. */
int store_exec_int(store *s, const char *sql, int64_t v, const char *what, cc_err *e);

/* Step st (bound by the caller) once and reset it: 0 when it ran (done,
 * or a row), else the error, what naming the operation. */
int store_step_done(store *s, sqlite3_stmt *st, const char *what, cc_err *e);

/* The first column of the one row sql gives (no parameters); no row is an
 * error.  what names the operation in an error message. */
int store_read_int(store *s, const char *sql, int64_t *out, const char *what, cc_err *e);

/* The meta value of key ('last_date_added', 'versions'). */
int store_meta_get(store *s, const char *key, int64_t *out, cc_err *e);

/* Begin an implicit transaction when the caller has none; *own tells the
 * caller to finish it with store_end_own(). */
int store_begin_own(store *s, bool *own, cc_err *e);
int store_end_own(store *s, bool own, int rc, cc_err *e);

/* Next date_added (max(now, last + 1)); only inside a transaction. */
int store_next_date_added(store *s, int64_t *out, cc_err *e);

/* Fill a store_row from a statement whose first 13 columns are the
 * standard row columns (STORE_ROW_COLS then date_added, collection_id,
 * org_id and the entry's level, -1 for a version outside a collection). */
void store_row_from(sqlite3_stmt *st, store_row *r);

/* Step st, handing each row to fn until fn returns nonzero or the rows end.
 * limit (0 = none) caps the rows handed over; a row beyond it sets *more
 * (may be NULL).  *n counts the rows handed over.  Resets st.  what names
 * the operation in an error message. */
int store_emit_rows(store *s, sqlite3_stmt *st, size_t limit, bool *more,
		    store_row_fn fn, void *ud, size_t *n, const char *what, cc_err *e);
#define STORE_ROW_COLS "v.id, v.type, v.spec_version, v.modified, v.json, " \
	"v.modified_us, v.tlp, v.revoked, v.deprecated"

/* Collect every row of sql into a new array of elem_size elements, each
 * filled by fill(st, element).  On failure the elements filled so far are
 * cleared with clear(element) and freed.  *out is free()d by the caller
 * after clearing each element. */
typedef void (*store_fill_fn)(sqlite3_stmt *st, void *elem);
int store_list(store *s, const char *sql, size_t elem_size, store_fill_fn fill,
	       void (*clear)(void *elem), void **out, size_t *n, cc_err *e);
/* The same for statement st, prepared and bound by the caller (reset here). */
int store_list_stmt(store *s, sqlite3_stmt *st, size_t elem_size, store_fill_fn fill,
		    void (*clear)(void *elem), void **out, size_t *n, cc_err *e);

/* The one row of sql (its ?1 bound to key) into *out by fill; CC_ENOTFOUND
 * with "<what> <key>: no such <what>" when there is none. */
int store_get_one(store *s, const char *sql, const char *key, store_fill_fn fill, void *out,
		  const char *what, cc_err *e);

/* Duplicate a possibly NULL column text. */
char *store_col_dup(sqlite3_stmt *st, int col);

/* ---- group.c: the per-reader flags of entries and versions ---- */

/* The level of an entry: the object's TLP (tlp, or default_tlp when it
 * has none), raised by its granular markings' TLP gtlp. */
int store_entry_level(int tlp, int gtlp, int default_tlp);

/* The readers' max TLP levels that may see level lvl, as bits 0..4. */
unsigned store_level_mask(int lvl);

/* Recompute rank, contested, vis_last and vis_first of the entries of id
 * (hash idh) in collection coll. */
int store_group_fix(store *s, int64_t coll, const char *id, int64_t idh, cc_err *e);

/* The same for every id of collection coll (0: of every collection). */
int store_group_fix_all(store *s, int64_t coll, cc_err *e);

/* Recompute the level of every entry of coll for a new default TLP, then
 * the flags. */
int store_group_relevel(store *s, int64_t coll, int default_tlp, cc_err *e);

/* Recompute is_last / is_first of each owner's versions of id across the
 * store; of every id. */
int store_owner_flags_fix(store *s, const char *id, int64_t idh, cc_err *e);
int store_owner_flags_fix_all(store *s, cc_err *e);

/* Queue the ids row of a new version; store_pend_has_id tells whether a
 * version of hash idh is queued (then the ids table alone does not know
 * every version of that hash: flush first). */
int  store_pend_id(store *s, int64_t idh, int64_t modified_us, int64_t vid, cc_err *e);
bool store_pend_has_id(const store *s, int64_t idh);

/* Queue a search row of a new version (copied); it is written by
 * store_pend_flush, which runs before anything reads the names, extids
 * or rels tables in this transaction and at commit. */
int store_pend_name(store *s, int64_t vid, int kind, const char *value, cc_err *e);
int store_pend_extid(store *s, int64_t vid, const char *value, cc_err *e);
int store_pend_rel(store *s, int64_t vid, const char *rel_type, const char *src,
		   const char *dst, cc_err *e);

/* Write the queued rows, sorted by key, and empty the queue (also on
 * failure, after which the transaction must be rolled back).  Every read
 * of the ids or search tables inside a write transaction comes after it. */
int store_pend_flush(store *s, cc_err *e);

/* store_facts_make with "where" naming the store in the error about a
 * missing id or type; f must be cleared by the caller also on failure. */
int store_facts_fill(const json_t *obj, const char *where, store_facts *f, cc_err *e);

/* Add the observed-value, name-word and sighting search rows (names,
 * kinds 2, 3, 4) of every stored version (schema step 7). */
int store_facts_index_values(store *s, cc_err *e);
/* The kind in names of a search row's tag: 'n' 0 name, 'a' 1 alias, 'v' 2
 * observed value, 'w' 3 the name from a word on, 'o' 4 a sighting's
 * sighting_of_ref. */
int store_facts_kind(char tag);

/* Queue the search rows of f for the new version vid. */
int store_facts_pend(store *s, int64_t vid, const store_facts *f, cc_err *e);

/* Delete the search rows of version vid (still in versions), finding
 * their keys from its JSON.  Queued rows must have been flushed. */
int store_unindex(store *s, int64_t vid, cc_err *e);

/* The id filter of a bulk writer (idset.c).  _check drops it when another
 * connection has committed (call with the write lock held); _maybe sets
 * *maybe false only when no version of idh is stored; _add records a new
 * version's id. */
int  store_idset_check(store *s, cc_err *e);
int  store_idset_maybe(store *s, int64_t idh, bool *maybe, cc_err *e);
int  store_idset_add(store *s, int64_t idh, cc_err *e);
void store_idset_free(store *s);

/* Start the background checkpointer (ckpt.c). */
int store_ckpt_start(store *s, cc_err *e);

/* Stop and free the background checkpointer, if any. */
void store_ckpt_stop(store *s);

/* Before a write transaction: when the WAL has grown long, wait for the
 * background checkpoint so that the WAL can start again (ckpt.c). */
void store_ckpt_wait(store *s);

/* Forget the queued rows (rollback); free them (close). */
void store_pend_discard(store *s);
void store_pend_free(store *s);

#endif
