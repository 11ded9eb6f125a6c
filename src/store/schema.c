/*
 * schema.c — the store's schema as a list of migration steps, and the
 * migration that brings a store file forward on open.
 */
#include <stdio.h>

#include "store/store_int.h"

static int step_default_collection(store *s, cc_err *e);
static int step_owners(store *s, cc_err *e);

/*
 * The schema as a list of migration steps.  Step i (1-based) moves a store
 * from user_version i-1 to i; a new schema version appends a step, never
 * edits an old one.  A step is SQL and/or a C function run in the same
 * transaction.
 */
typedef struct store_step {
	const char *sql;
	int (*fn)(store *s, cc_err *e);
} store_step;


static const char schema_v1[] =
	/* key/value integers, e.g. the last date_added ever issued */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO meta VALUES('last_date_added', 0);"
	"CREATE TABLE collections("
	" id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE,"
	" title TEXT, description TEXT, default_tlp INTEGER NOT NULL DEFAULT 0);"
	/* one row per (id, modified); vid = date_added of its first entry */
	"CREATE TABLE versions("
	" vid INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL,"
	" modified TEXT NOT NULL, modified_us INTEGER NOT NULL, spec_version TEXT NOT NULL,"
	" tlp INTEGER NOT NULL, revoked INTEGER NOT NULL, deprecated INTEGER NOT NULL,"
	" is_last INTEGER NOT NULL, is_first INTEGER NOT NULL,"
	" collection_id INTEGER NOT NULL, org_id INTEGER NOT NULL, json TEXT NOT NULL);"
	"CREATE UNIQUE INDEX versions_id ON versions(id, modified_us);"
	/* one row per (collection, version); date_added unique across the store */
	"CREATE TABLE entries("
	" date_added INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, vid INTEGER NOT NULL,"
	" org_id INTEGER NOT NULL, is_last INTEGER NOT NULL, is_first INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX entries_vid ON entries(vid, collection_id);"
	"CREATE INDEX entries_coll ON entries(collection_id, date_added);"
	"CREATE INDEX entries_coll_last ON entries(collection_id, date_added) WHERE is_last = 1;"
	/* search helpers, one row per name/alias (kind 0/1), external id, relationship */
	"CREATE TABLE names(vid INTEGER NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL COLLATE NOCASE);"
	"CREATE INDEX names_value ON names(value);"
	"CREATE INDEX names_vid ON names(vid);"
	"CREATE TABLE extids(vid INTEGER NOT NULL, value TEXT NOT NULL COLLATE NOCASE);"
	"CREATE INDEX extids_value ON extids(value);"
	"CREATE INDEX extids_vid ON extids(vid);"
	"CREATE TABLE rels(vid INTEGER PRIMARY KEY, rel_type TEXT NOT NULL,"
	" source_ref TEXT NOT NULL, target_ref TEXT NOT NULL);"
	"CREATE INDEX rels_source ON rels(source_ref);"
	"CREATE INDEX rels_target ON rels(target_ref);";

static const char schema_v2[] =
	"CREATE TABLE orgs(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" identity_id TEXT NOT NULL UNIQUE);"
	"CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" pwhash TEXT NOT NULL, org_id INTEGER NOT NULL REFERENCES orgs(id));"
	"CREATE TABLE grants(org_id INTEGER NOT NULL REFERENCES orgs(id),"
	" collection_id INTEGER NOT NULL REFERENCES collections(id),"
	" can_read INTEGER NOT NULL, can_write INTEGER NOT NULL, max_tlp INTEGER NOT NULL,"
	" PRIMARY KEY(org_id, collection_id)) WITHOUT ROWID;"
	"CREATE TABLE status(id TEXT PRIMARY KEY, json TEXT NOT NULL,"
	" updated_us INTEGER NOT NULL) WITHOUT ROWID;";

/* Versions are found by a 64-bit hash of their id (store_idhash): an
 * integer index is a third the size of one on the id text and much
 * cheaper to insert into at random places, which is what a new id does.
 * Queries match idh and then id, so a collision costs nothing but a row.
 * A collection's entries in date order come from one covering index
 * (a page of objects reads no entries row; latest-only skips the others
 * inside the index) instead of two that each needed the row. */
static const char schema_v3[] =
	"ALTER TABLE versions ADD COLUMN idh INTEGER NOT NULL DEFAULT 0;"
	"UPDATE versions SET idh = cc_idhash(id);"
	"DROP INDEX versions_id;"
	"CREATE INDEX versions_idh ON versions(idh, modified_us);"
	"DROP INDEX entries_coll;"
	"DROP INDEX entries_coll_last;"
	"CREATE INDEX entries_coll ON entries(collection_id, date_added, is_last, vid, org_id);";

/* Fewer B-trees to write per version, each written in key order.
 * - Entries are stored in the order a collection is read,
 *   (collection_id, date_added), so the table is its own page index.
 * - The search tables hold only the keys they are searched by: a name,
 *   an external id, a relationship's source (by id hash) find their rows
 *   in the table itself, a relationship's target through one index of
 *   hashes.  Removing a version's search rows takes the keys from its JSON
 *   (store_unindex).
 * - The id index becomes a table, ids(idh, modified_us, vid), so that a
 *   transaction's new versions can be added to it sorted at commit (see
 *   pending.c) instead of one at a time at random places.
 * - meta 'versions' counts the version rows. */
static const char schema_v4[] =
	"CREATE TABLE entries4(collection_id INTEGER NOT NULL, date_added INTEGER NOT NULL,"
	" vid INTEGER NOT NULL, org_id INTEGER NOT NULL, is_last INTEGER NOT NULL,"
	" is_first INTEGER NOT NULL, PRIMARY KEY(collection_id, date_added)) WITHOUT ROWID;"
	"INSERT INTO entries4 SELECT collection_id, date_added, vid, org_id, is_last, is_first"
	" FROM entries ORDER BY collection_id, date_added;"
	"DROP TABLE entries;"
	"ALTER TABLE entries4 RENAME TO entries;"
	"CREATE UNIQUE INDEX entries_vid ON entries(vid, collection_id);"
	"CREATE TABLE names4(value TEXT NOT NULL COLLATE NOCASE, vid INTEGER NOT NULL,"
	" kind INTEGER NOT NULL, PRIMARY KEY(value, vid, kind)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO names4 SELECT value, vid, kind FROM names;"
	"DROP TABLE names;"
	"ALTER TABLE names4 RENAME TO names;"
	"CREATE TABLE extids4(value TEXT NOT NULL COLLATE NOCASE, vid INTEGER NOT NULL,"
	" PRIMARY KEY(value, vid)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO extids4 SELECT value, vid FROM extids;"
	"DROP TABLE extids;"
	"ALTER TABLE extids4 RENAME TO extids;"
	"CREATE TABLE rels4(src_h INTEGER NOT NULL, vid INTEGER NOT NULL, dst_h INTEGER NOT NULL,"
	" rel_type TEXT NOT NULL, source_ref TEXT NOT NULL, target_ref TEXT NOT NULL,"
	" PRIMARY KEY(src_h, vid)) WITHOUT ROWID;"
	"INSERT INTO rels4 SELECT cc_idhash(source_ref), vid, cc_idhash(target_ref), rel_type,"
	" source_ref, target_ref FROM rels;"
	"DROP TABLE rels;"
	"ALTER TABLE rels4 RENAME TO rels;"
	"CREATE INDEX rels_dst ON rels(dst_h);"
	"CREATE TABLE ids(idh INTEGER NOT NULL, modified_us INTEGER NOT NULL, vid INTEGER NOT NULL,"
	" PRIMARY KEY(idh, modified_us, vid)) WITHOUT ROWID;"
	"INSERT INTO ids SELECT idh, modified_us, vid FROM versions ORDER BY idh, modified_us, vid;"
	"DROP INDEX versions_idh;"
	"INSERT INTO meta VALUES('versions', (SELECT count(*) FROM versions));";

/* Owners and readers (see store.h).
 * - A version belongs to its owner (versions.org_id, the organisation that
 *   first stored it); an entry carries its version's owner (before, the
 *   organisation that added it to the collection).
 * - Ids compare without regard to letter case: the hash is of the lower
 *   case id (cc_idhash changed with this version), so ids and search rows
 *   with an upper-case letter are hashed again.
 * - A version's TLP also counts its granular markings (gtlp), and the
 *   marking ids in any letter case.
 * - Entries keep what a reader needs to pick its rows (group.c): the
 *   entry's level, the per-level newest/oldest flags of its owner's copy,
 *   the owner's rank among the copies of the id in the collection.
 * - Status resources expire: an index on their time. */
static const char schema_v5[] =
	"ALTER TABLE versions ADD COLUMN gtlp INTEGER NOT NULL DEFAULT -1;"
	"UPDATE versions SET tlp = cc_tlp(json), gtlp = cc_gtlp(json) WHERE json LIKE '%marking%';"
	"UPDATE versions SET idh = cc_idhash(id) WHERE id GLOB '*[A-Z]*';"
	"DELETE FROM ids WHERE vid IN (SELECT vid FROM versions WHERE id GLOB '*[A-Z]*');"
	"INSERT INTO ids SELECT idh, modified_us, vid FROM versions WHERE id GLOB '*[A-Z]*';"
	"UPDATE rels SET src_h = cc_idhash(source_ref) WHERE source_ref GLOB '*[A-Z]*';"
	"UPDATE rels SET dst_h = cc_idhash(target_ref) WHERE target_ref GLOB '*[A-Z]*';"
	"CREATE TABLE entries5(collection_id INTEGER NOT NULL, date_added INTEGER NOT NULL,"
	" vid INTEGER NOT NULL, org_id INTEGER NOT NULL, lvl INTEGER NOT NULL,"
	" rank INTEGER NOT NULL, contested INTEGER NOT NULL, vis_last INTEGER NOT NULL,"
	" vis_first INTEGER NOT NULL, PRIMARY KEY(collection_id, date_added)) WITHOUT ROWID;"
	"INSERT INTO entries5 SELECT cid, da, vid, org, lvl, 0, 0, (31 >> lvl) << lvl,"
	" (31 >> lvl) << lvl FROM (SELECT e.collection_id AS cid, e.date_added AS da, e.vid AS vid,"
	" v.org_id AS org, max(CASE WHEN v.tlp >= 0 THEN v.tlp ELSE c.default_tlp END, v.gtlp) AS lvl"
	" FROM entries e JOIN versions v ON v.vid = e.vid JOIN collections c ON c.id = e.collection_id)"
	" ORDER BY cid, da;"
	"DROP TABLE entries;"
	"ALTER TABLE entries5 RENAME TO entries;"
	"CREATE UNIQUE INDEX entries_vid ON entries(vid, collection_id);"
	"CREATE INDEX status_updated ON status(updated_us);";

/* Federation (src/store/peers.c, store.h "Peers, links and cursors").
 * - peers: the remote TAXII servers this hub syncs with, each standing
 *   for an organisation of this hub (org_id) that owns what the peer
 *   delivers; api_root is the API root its discovery URL led to (kept so
 *   that a pass asks once); a removed peer keeps its row (removed = 1),
 *   so that what it delivered stays recognisable as a peer's and its
 *   grants capped.
 * - links: a pull (remote collection into a local one) or a push (local
 *   collection to a remote one) with its cursor: pull, the remote's
 *   X-TAXII-Date-Added-Last of the last page stored (text, as the remote
 *   wrote it); push, the date_added of the last local entry sent.
 * - received: which peer delivered which version, and when (provenance;
 *   also what a push leaves out: never back to where it came from). */
static const char schema_v6_federation[] =
	"CREATE TABLE peers(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" org_id INTEGER NOT NULL UNIQUE REFERENCES orgs(id), url TEXT NOT NULL,"
	" user TEXT NOT NULL, password TEXT NOT NULL, ca_file TEXT NOT NULL, pin TEXT NOT NULL,"
	" max_tlp INTEGER NOT NULL, api_root TEXT NOT NULL DEFAULT '',"
	" removed INTEGER NOT NULL DEFAULT 0, created_us INTEGER NOT NULL);"
	"CREATE TABLE links(id INTEGER PRIMARY KEY, peer_id INTEGER NOT NULL REFERENCES peers(id),"
	" push INTEGER NOT NULL, remote_coll TEXT NOT NULL,"
	" collection_id INTEGER NOT NULL REFERENCES collections(id), max_tlp INTEGER NOT NULL,"
	" cursor TEXT NOT NULL DEFAULT '', after_us INTEGER NOT NULL DEFAULT 0,"
	" moved INTEGER NOT NULL DEFAULT 0, last_us INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE(peer_id, push, remote_coll, collection_id));"
	"CREATE TABLE received(vid INTEGER NOT NULL, peer_id INTEGER NOT NULL,"
	" received_us INTEGER NOT NULL, PRIMARY KEY(vid, peer_id)) WITHOUT ROWID;";

/* The versions of one type without a walk of every collection: a reader's
 * listing of a type that few versions have (attack-patterns among a
 * million indicators: store_find). */
static const char schema_v7[] =
	"CREATE INDEX versions_type ON versions(type);";
/* Hunting and analysis across members (issue 16; src/store/analysis.c):
 * - org_settings: what a member allows others to learn of it — whether it
 *   is named in "who else saw this" answers (else it is only counted);
 * - warninglists: the warning lists imported into the hub (MISP JSON),
 *   and the enabled state of every list, the built-in ones included (a
 *   row with json NULL).
 * Self-contained: it only adds two tables. */
static const char schema_analysis[] =
	"CREATE TABLE org_settings(org_id INTEGER PRIMARY KEY REFERENCES orgs(id),"
	" name_in_sightings INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE warninglists(name TEXT PRIMARY KEY, json TEXT, enabled INTEGER NOT NULL,"
	" added_us INTEGER NOT NULL) WITHOUT ROWID;";

/* Safeguards (issue 15; the checks are src/audit/'s): a restricted
 * collection opens only to a user holding an authorisation that a named
 * approver signed (Ed25519) for a reason and a limited time.
 * - collections.restricted: 1 = members need an authorisation to see it.
 * - approvers: a named person of an organisation, the public half of its
 *   key pair (hex) and the hub's endorsement of that key (the hub's
 *   signature over name, organisation and key, hex), so a key swapped in
 *   the store is not taken for the approver's.
 * - authorisations: a request (collection, user, reason, duration in
 *   seconds, when and by whom it was asked), then its approval (approver,
 *   time, the approver's signature, hex) and its revocation time. */
static const char schema_safeguards[] =
	"ALTER TABLE collections ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE approvers(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" org_id INTEGER NOT NULL REFERENCES orgs(id), public_key TEXT NOT NULL,"
	" endorsement TEXT NOT NULL, created_us INTEGER NOT NULL);"
	"CREATE TABLE authorisations(id TEXT PRIMARY KEY,"
	" collection_id INTEGER NOT NULL REFERENCES collections(id), user_name TEXT NOT NULL,"
	" reason TEXT NOT NULL, duration_s INTEGER NOT NULL, requested_us INTEGER NOT NULL,"
	" requested_by TEXT NOT NULL, approver TEXT, approved_us INTEGER, signature TEXT,"
	" revoked_us INTEGER) WITHOUT ROWID;"
	"CREATE INDEX authorisations_user ON authorisations(user_name, collection_id);";

/* Any part of a name (store_find_query.name) by an index, not a read of
 * every name: an FTS5 table of the trigrams of every name (the rows of
 * names of kind 0; rowid = their vid), kept in step with names by
 * triggers, whatever writes or deletes a name.  A new name goes through
 * names_tri_new, which store_pend_flush empties into the index in one
 * statement, in rowid order (FTS5 writes out its pending data whenever a
 * rowid is not above the one before, so names in another order made a
 * segment of a row or two each; step 11 below keeps that order without
 * the queue).  A search still
 * checks the name itself (LIKE): the trigrams only narrow the versions it
 * reads, and every rule of who may read what applies to them as before. */
static const char schema_name_trigrams[] =
	"CREATE VIRTUAL TABLE names_tri USING fts5(value, tokenize='trigram', columnsize=0);"
	"CREATE TABLE names_tri_new(vid INTEGER PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO names_tri(rowid, value) SELECT vid, value FROM names WHERE kind = 0;"
	"CREATE TRIGGER names_tri_add AFTER INSERT ON names WHEN new.kind = 0 BEGIN"
	" INSERT OR REPLACE INTO names_tri_new(vid, value) VALUES(new.vid, new.value); END;"
	"CREATE TRIGGER names_tri_del AFTER DELETE ON names WHEN old.kind = 0 BEGIN"
	" DELETE FROM names_tri_new WHERE vid = old.vid;"
	" DELETE FROM names_tri WHERE rowid = old.vid; END;";

/* The trigram index made cheaper to write (a bulk pull spent a sixth of
 * its storing in it):
 * - no positions (detail=none): a search asks for every trigram of the
 *   text, not for them as a phrase, and LIKE still decides;
 * - FTS5's pending data written out at 4 MiB instead of 1 MiB
 *   ('hashsize'): a flush of a transaction's names makes a few segments,
 *   not dozens that merging then rewrites (16 MiB ran fewer instructions
 *   but took longer: a hash that size misses the CPU's caches);
 * - no trigger run for every row of names, nor a queue table: the flush
 *   of the pending rows (pending.c), the only writer of names, adds each
 *   name it stores to names_tri itself, in vid order; a deleted name
 *   still leaves the index by the trigger names_tri_del. */
static const char schema_name_trigrams_lean[] =
	"DROP TRIGGER names_tri_add;"
	"DROP TRIGGER names_tri_del;"
	"DROP TABLE names_tri_new;"
	"DROP TABLE names_tri;"
	"CREATE VIRTUAL TABLE names_tri USING fts5(value, tokenize='trigram', detail=none,"
	" columnsize=0);"
	"INSERT INTO names_tri(names_tri, rank) VALUES('hashsize', 4194304);"
	"INSERT INTO names_tri(rowid, value) SELECT vid, value FROM names WHERE kind = 0"
	" ORDER BY vid;"
	"CREATE TRIGGER names_tri_del AFTER DELETE ON names WHEN old.kind = 0 BEGIN"
	" DELETE FROM names_tri WHERE rowid = old.vid; END;";

static const store_step steps[] = {
	{ schema_v1, step_default_collection },   /* 1: objects, collections */
	{ schema_v2, NULL },                      /* 2: members, TAXII status */
	{ schema_v3, NULL },                      /* 3: id hash index */
	{ schema_v4, NULL },                      /* 4: fewer B-trees per version */
	{ schema_v5, step_owners },               /* 5: owners and readers */
	{ schema_v6_federation, NULL },           /* 6: peers, links, cursors, provenance */
	/* 7: observed values are searched (store_find_query.value): an SCO's
	 * value and hashes, the literals of an indicator's pattern, as rows of
	 * names of kind 2 (0 is a name, 1 an alias); a name from each of its
	 * words (kind 3), a sighting's sighting_of_ref (kind 4); versions by
	 * type */
	{ schema_v7, store_facts_index_values },
	{ schema_analysis, NULL },                /* 8: member settings, warning lists */
	{ schema_safeguards, NULL },              /* 9: restricted collections, authorisations
	                                             (= STORE_SCHEMA_SAFEGUARDS) */
	{ schema_name_trigrams, NULL },           /* 10: names by any part (trigrams) */
	{ schema_name_trigrams_lean, NULL },      /* 11: the trigram index without positions
	                                             (= STORE_SCHEMA_TRI_LEAN) */
};
#define N_STEPS ((int)(sizeof(steps) / sizeof(steps[0])))

int store_schema_version(void)
{
	return N_STEPS;
}

static int step_owners(store *s, cc_err *e)
{
	int rc = store_group_fix_all(s, 0, e);

	return rc ? rc : store_owner_flags_fix_all(s, e);
}

static int step_default_collection(store *s, cc_err *e)
{
	return store_collection_add(s, STORE_DEFAULT_COLLECTION, "Default collection",
				    "Objects imported without --collection", NULL, NULL, e);
}

static int get_user_version(store *s, int *v, cc_err *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return store_sqlerr(s, rc, e, "reading the schema version");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_sqlerr(s, rc, e, "reading the schema version");
	return 0;
}

int store_migrate(store *s, int max_version, cc_err *e)
{
	int target = max_version > 0 && max_version < N_STEPS ? max_version : N_STEPS;
	int v, rc;
	char sql[64];

	rc = get_user_version(s, &v, e);
	if (rc)
		return rc;
	s->schema = v;
	if (v > N_STEPS)
		return cc_err_set(e, CC_EIO, "%s: store schema version %d is newer than this "
				  "cybercell supports (%d)", s->path, v, N_STEPS);
	if (v >= target)
		return 0;
	rc = store_begin(s, e);
	if (rc)
		return rc;
	rc = get_user_version(s, &v, e);    /* another process may have migrated */
	s->schema = v;
	for (; rc == 0 && v < target; v++) {
		const store_step *st = &steps[v];
		if (st->sql)
			rc = store_exec(s, st->sql, e);
		if (rc == 0 && st->fn)
			rc = st->fn(s, e);
		if (rc == 0) {
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
			rc = store_exec(s, sql, e);
			s->schema = v + 1;
		}
		if (rc)
			cc_err_prefix(e, "migrating the store to schema version %d", v + 1);
	}
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}
