/*
 * store.h — the hub's object store: every version of every STIX 2.1 object,
 * the TAXII collections that hold them, and the members (organisations,
 * users, grants) and TAXII status resources of the hub.
 *
 * The backend is one SQLite file (WAL mode, synchronous=FULL, schema version
 * in PRAGMA user_version, migrated forward on open).  Nothing of SQLite leaks
 * through this header: a PostgreSQL backend is planned behind the same API.
 *
 * Owners: every object version belongs to the organisation that stored it
 * (org 0 is the hub itself: what the CLI imports).  Each organisation's
 * versions of an id are its own copy of the object: a version is
 * (owner, id, modified) — for objects without `modified` the version is
 * `created`, else 0 — and ids compare without regard to letter case
 * (UUIDs are case-insensitive, RFC 4122).  Storing a version an owner
 * already has is a duplicate (the first one received wins).  A member may
 * not add versions to an object of another owner that it can read (it is
 * refused, CC_EDENIED); it may store an unchanged copy of it into another
 * collection (re-sharing: the version stays its owner's).  An object of
 * another owner that it cannot read is none of its business: its own
 * copy is stored apart, as for an id never seen.  Only an owner deletes its
 * versions.
 *
 * Collections and visibility: a version may be in several collections;
 * each (collection, version) entry gets a `date_added` in microseconds that
 * is unique and strictly increasing across the whole store (max(now,
 * last + 1)), so paging with added_after is exact-once.  A reader sees an
 * entry of another owner when its level — the highest TLP among the
 * object's own and granular markings, or the collection's default TLP for
 * an object without an object-level TLP marking — is at most its grant's
 * max TLP; its own entries always.  "Latest" and "first" are per reader:
 * the newest and oldest version it may see.  When several owners hold a
 * copy of one id in a collection, a reader is served its own copy if it
 * has one, else the copy of the first owner (the hub's copy first, then by
 * arrival) of which it may see a version: no member's copy can stand in
 * for another's.
 *
 * Ownership: a `store` handle owns its connection and prepared statements;
 * use one handle per thread.  Rows passed to a store_row_fn are borrowed
 * and valid only during the call.  Structs filled by _get/_add/_list own
 * their strings; free them with the matching _clear/_list_free.  Every
 * fallible function returns 0 or a negative CC_E* code and fills *e.
 */
#ifndef CC_STORE_H
#define CC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

typedef struct store store;                       /* opaque; one connection */

/* TLP levels, in increasing order of restriction (same as stix_tlp_level). */
enum { STORE_TLP_NONE = -1, STORE_TLP_CLEAR = 0, STORE_TLP_GREEN = 1,
       STORE_TLP_AMBER = 2, STORE_TLP_AMBER_STRICT = 3, STORE_TLP_RED = 4 };

/* The collection every store has from its creation (random UUID). */
#define STORE_DEFAULT_COLLECTION "default"

/* The newest schema version this build knows (PRAGMA user_version). */
int store_schema_version(void);

/* Open path, creating the file and the schema if missing, migrating an
 * older schema forward.  Fails (CC_EIO) if the file is not a store or has a
 * newer schema than this build knows.  *out is NULL on failure. */
int  store_open(const char *path, store **out, cc_err *e);
/* Like store_open but migrates only up to schema max_version (tests, and
 * tools that need an old layout).  max_version <= 0 means the newest. */
int  store_open_version(const char *path, int max_version, store **out, cc_err *e);
void store_close(store *s);                                  /* NULL ok */

/* Write transactions.  store_begin takes the write lock (waiting up to the
 * busy timeout for other writers).  store_commit is durable on return.
 * Without an explicit transaction each write runs in its own. */
int  store_begin(store *s, cc_err *e);
int  store_commit(store *s, cc_err *e);
void store_rollback(store *s);                               /* no-op outside a txn */

/* For a writer that commits and begins again at once, many times (a pull,
 * an import): called between its transactions, after one that held the
 * write lock for a second or more, leaves the lock free for a moment
 * (10 ms), long enough for any other connection waiting for it (its busy
 * handler tries every millisecond) to take it first. */
void store_yield(store *s);

/* Lazy commits, for a writer that can redo its work (a pull, whose cursor
 * moves in the same transactions as its objects).  After store_set_lazy the
 * handle's commits return without waiting for the disk: a crash of the
 * process loses none of them, but a crash of the machine can lose the last
 * ones (whole transactions, the newest first, never part of one) until
 * store_sync, which makes every commit so far durable and makes the
 * handle's commits durable again.  Both outside a transaction. */
int  store_set_lazy(store *s, cc_err *e);
int  store_sync(store *s, cc_err *e);

/* Size the handle's page cache (default 64 MiB; bulk loaders want more).
 * The environment variable CYBERCELL_CACHE_MB, when set, wins (tuning and
 * tests). */
int  store_set_cache_mb(store *s, int mb, cc_err *e);

/* Tune the handle for writing many versions (an import): the WAL is
 * checkpointed by a background thread with a connection of its own
 * instead of inside the commits that grow it, and once enough versions
 * are stored, new ids are recognised from an in-memory filter instead of
 * the index.  Undone by store_close. */
int  store_bulk_writer(store *s, cc_err *e);


/* ---- collections ---- */
typedef struct store_collection {
	int64_t id;             /* internal id, > 0 */
	char uuid[37];          /* the TAXII collection id */
	char *name;             /* unique short name, e.g. "default" */
	char *title;            /* TAXII title (may be NULL) */
	char *description;      /* TAXII description (may be NULL) */
	int default_tlp;        /* STORE_TLP_* for unmarked objects, CLEAR unless set */
	bool restricted;        /* members need an authorisation to see it (see
	                           "Safeguards" below) */
} store_collection;
void store_collection_clear(store_collection *c);            /* frees strings; NULL ok */
/* Add a collection; uuid NULL = random.  CC_ECONFLICT if the name or uuid exists.
 * out may be NULL. */
int  store_collection_add(store *s, const char *name, const char *title, const char *desc,
                          const char *uuid, store_collection *out, cc_err *e);
/* Look a collection up by name or UUID.  CC_ENOTFOUND. */
int  store_collection_get(store *s, const char *name_or_uuid, store_collection *out, cc_err *e);
/* Set the TLP level applied to unmarked objects of a collection. */
int  store_collection_set_tlp(store *s, int64_t id, int default_tlp, cc_err *e);
/* All collections ordered by id; free with store_collection_list_free. */
int  store_collection_list(store *s, store_collection **out, size_t *n, cc_err *e);
void store_collection_list_free(store_collection *v, size_t n);

/* ---- writing objects ---- */

/* What store_put did. */
typedef struct store_put_result {
	bool new_version;       /* a version of the caller's own was created in the store */
	bool versioned;         /* with new_version: of an object the caller held before */
	bool added;             /* it was newly added to the collection (else: a duplicate) */
	bool reshared;          /* an unchanged copy of another owner's version it may
	                           read: that version (still its owner's) is what is in
	                           the collection now */
	int64_t date_added_us;  /* date_added of this version in this collection
	                           (unique, strictly increasing across the store) */
} store_put_result;

/* Store obj, a validated STIX 2.1 object (jansson), in a collection, as a
 * version of org_id's (0 = the hub: a local import).  It is kept as the
 * compact JSON text cc_json_dump_text makes, with its key order.  r may be
 * NULL.  The object must have string "id" and "type"; nothing else is
 * checked here (stix_validate does).  CC_EDENIED (the message says why)
 * when org_id may read a version of the id that another owner holds and
 * obj is not an unchanged copy of one: only an object's creator adds
 * versions to it. */
int store_put(store *s, int64_t collection_id, json_t *obj, int64_t org_id,
              store_put_result *r, cc_err *e);

/* What storing a version takes from an object, made by store_facts_make
 * without a store, in any thread: an importer's workers make it so that
 * the thread writing to the store only binds values.  The strings borrow
 * from the object, which must outlive the facts. */
typedef struct store_facts {
	const char *id, *type;
	int64_t idh;                /* hash of id, the key of the versions index */
	const char *spec_version;   /* "" when absent */
	const char *modified;       /* modified, else created, else "" */
	int64_t modified_us;        /* modified as microseconds (0 when "") */
	int tlp;                    /* stix_tlp_level of the object */
	int gtlp;                   /* stix_tlp_granular_level of the object */
	bool revoked, deprecated;   /* revoked, x_mitre_deprecated */
	cc_buf rows;                /* owned: its names, aliases, external ids and
	                               relationship, packed (src/store/facts.c) */
} store_facts;

/* Fill f from obj (f is overwritten, then owned by the caller: clear it
 * with store_facts_clear).  Fails, with f cleared, when obj has no string
 * id and type or its modified (else created) is not a STIX timestamp. */
int store_facts_make(const json_t *obj, store_facts *f, cc_err *e);
void store_facts_clear(store_facts *f);

/* store_put with the text (json, json_len) and the facts made beforehand
 * from the same object (see store_ingest_prepare). */
int store_put_facts(store *s, int64_t collection_id, const store_facts *f, const char *json,
                    size_t json_len, int64_t org_id, store_put_result *r, cc_err *e);

/* ---- ingest: the one way an input object becomes what is stored ---- */

/* One object ready to store: valid STIX 2.1, its text and its facts. */
typedef struct store_ready {
	json_t *obj;                /* a reference, owned */
	char *text;                 /* compact JSON (cc_json_dump_text of obj), owned */
	size_t len;
	store_facts facts;          /* borrow from obj */
} store_ready;

/* What an input object yields: the objects to store in order (the SCOs a
 * STIX 2.0 upgrade splits off, then the object), or nothing when it has
 * a problem. */
typedef struct store_ingest {
	store_ready *v;             /* owned */
	size_t n, cap;
	size_t problems;            /* problems reported for this input */
} store_ingest;

/* A problem of an input object: id (may be NULL), property path (may be
 * ""), message; strings valid during the call. */
typedef void (*store_problem_fn)(const char *id, const char *path, const char *msg, void *ud);

/* The first problem of an input object and how many there were: a
 * store_problem_fn is store_first_problem_note with a zeroed one as ud. */
typedef struct store_first_problem {
	char first[480];            /* "path: message" of the first */
	size_t n;
} store_first_problem;
void store_first_problem_note(const char *id, const char *path, const char *msg, void *ud);
/* "first" or "first (and more problems)" into out (size n). */
void store_first_problem_text(const store_first_problem *p, char *out, size_t n);

/* Make input object obj ready to store, without a store, on any thread:
 * upgrade STIX 2.0 (bundle_sv: the spec_version of its bundle, may be
 * NULL), validate every resulting object, serialise it and make its facts.
 * Each problem goes to fn (may be NULL).  The result is appended to *out
 * (zero-initialise it first; store_ingest_clear frees it); when there are
 * problems nothing is appended and out->problems grows.  Returns 0 or
 * the number of problems. */
size_t store_ingest_prepare(json_t *obj, const char *bundle_sv, store_ingest *out,
			    store_problem_fn fn, void *ud);
void store_ingest_clear(store_ingest *in);

/* store_put_facts of a ready object. */
int store_put_ready(store *s, int64_t collection_id, const store_ready *r, int64_t org_id,
		    store_put_result *res, cc_err *e);

/* ---- reading ---- */

/* One stored object version, borrowed during a callback. */
typedef struct store_row {
	const char *id, *type, *spec_version;   /* spec_version "" when absent */
	const char *modified;   /* the version as stored text (modified, else created, else "") */
	const char *json;       /* compact JSON of the object, json_len bytes, NUL-terminated */
	size_t json_len;
	int64_t modified_us;    /* the version in microseconds (0 when none) */
	int64_t date_added_us;  /* in the collection; first date_added when collection 0 */
	int64_t collection_id;  /* the collection of this entry (first one when collection 0) */
	int64_t org_id;         /* its owner (0 = the hub: a local import) */
	int tlp;                /* STORE_TLP_* of the object's own markings (NONE when none) */
	int lvl;                /* the entry's level in its collection, what readers are
	                           judged by (see "Collections and visibility"); -1 for a
	                           version read without a collection */
	bool revoked;           /* "revoked": true */
	bool deprecated;        /* "x_mitre_deprecated": true */
} store_row;
/* Called for each row; return nonzero to stop (the call still succeeds). */
typedef int (*store_row_fn)(const store_row *row, void *ud);

/* Version selection bits; several bits select the union. */
enum { STORE_VER_LAST = 1, STORE_VER_FIRST = 2, STORE_VER_ALL = 4 };

/* A TAXII-style query.  Zero-initialise and set what is needed. */
typedef struct store_query {
	int64_t collection_id;                 /* 0 = every collection (local export) */
	const char *const *ids; size_t n_ids;              /* match[id] */
	const char *const *types; size_t n_types;          /* match[type] */
	unsigned versions;                     /* STORE_VER_* bits; 0 (and no version_us) = LAST */
	const int64_t *version_us; size_t n_version_us;    /* match[version]=<timestamp> list */
	const char *const *spec_versions; size_t n_spec;   /* match[spec_version] */
	int64_t added_after_us;                /* 0 = none; rows with date_added > this */
	size_t limit;                          /* 0 = no limit */
	int64_t viewer_org;                    /* 0 = no TLP filtering (local CLI) */
	int max_tlp;                           /* with viewer_org: the highest level it may read
	                                          (see "Collections and visibility" above) */
	bool owner_only;                       /* with viewer_org: only its own versions */
} store_query;

/* Rows in date_added order.  *more (may be NULL) is set when rows beyond
 * limit exist.  The TAXII `next` token is the last row's date_added_us:
 * paging with added_after is complete and exact-once because date_added is
 * unique and increasing.  "last"/"first" are per owner's copy and per
 * collection (per store when collection_id is 0), and per reader with
 * viewer_org (which needs a collection). */
int store_query_run(store *s, const store_query *q, store_row_fn fn, void *ud,
                    bool *more, cc_err *e);

/* Count the rows q selects (ignoring limit). */
int store_query_count(store *s, const store_query *q, size_t *n, cc_err *e);

/* TAXII DELETE: remove the versions selected by q (ids, types, versions,
 * spec_versions, viewer_org, owner_only) from q->collection_id (which must
 * be > 0); unlike a query, no version selection (versions 0, no
 * version_us) means all versions.  A version left in no collection is
 * removed from the store.  n_removed may be NULL. */
int store_delete(store *s, const store_query *q, size_t *n_removed, cc_err *e);

/* The latest version (greatest modified) of each owner's copy of id, or
 * all versions oldest first; in one collection or any (collection_id 0),
 * with no regard to visibility (the hub's own view).  CC_ENOTFOUND if none. */
int store_get(store *s, const char *id, int64_t collection_id, bool all_versions,
              store_row_fn fn, void *ud, cc_err *e);

/* ---- find (CLI `find`, wargame adversary lookup): latest versions only ---- */
typedef struct store_find_query {
	const char *type;           /* exact type, NULL = any */
	const char *name;           /* case-insensitive substring of "name" (from 3 characters
	                               by the trigram index, names_tri; shorter: reads every
	                               name) */
	const char *word;           /* case-insensitive start of "name" or of one of its
	                               words ("secret gr" finds "RED SECRET GROUP"; by the
	                               index; a word starts after a character that is not
	                               a letter, a digit or non-ASCII; 16 words, names up
	                               to 256 bytes) */
	const char *alias;          /* case-insensitive exact name, aliases[] or x_mitre_aliases[] */
	const char *external_id;    /* case-insensitive exact external_references[].external_id */
	const char *related_to;     /* objects at the other end of a relationship with this id */
	const char *relationship_type;  /* with related_to: e.g. "uses" (NULL = any) */
	size_t limit;               /* 0 = no limit */
	bool include_revoked;       /* also revoked / x_mitre_deprecated objects and
	                               relationships (default: hidden) */
	const char *refers_to;      /* relationships whose source_ref or target_ref is this id */
	const char *value;          /* case-insensitive exact observed value: an SCO's value
	                               or one of its hashes, a literal of a STIX pattern */
	const char *sighting_of;    /* sightings whose sighting_of_ref is this id */
	/* A reader's search (the UI): with collection_id > 0, only entries of
	 * that collection, and of each id only the latest version viewer_org at
	 * max_tlp may see of the copy it is served — what store_query_run gives
	 * the same reader ("Collections and visibility"); viewer_org 0 is the
	 * hub (every copy's latest).  related_to is refused there (its
	 * relationships would be the hub's view): use refers_to, then the ids. */
	int64_t collection_id;
	int64_t viewer_org;
	int max_tlp;
	int64_t before_us;          /* with collection_id: entries added before this (0: none) */
} store_find_query;
/* Matching objects (all criteria must hold), ordered by type then id; a
 * reader's search (collection_id > 0) by date_added, newest first, and its
 * rows carry their entry's date_added: the next page is before_us = the
 * last row's (date_added is unique across the store). */
int store_find(store *s, const store_find_query *q, store_row_fn fn, void *ud, cc_err *e);

/* How store_resolve_name looks an object up by the name a user types. */
typedef struct store_resolve {
	const char *what;               /* the subject of its errors: "adversary" */
	const char *const *types;       /* types tried in turn (NULL-terminated);
	                                   NULL: any type */
	bool substring;                 /* then by a name that contains the text */
	bool include_revoked;           /* also revoked and deprecated objects */
} store_resolve;
/* The one object (latest versions) whose name or alias is text, ignoring
 * case: of the first of r->types that has one; failing that, with
 * r->substring, whose name contains text (again the first type with one).
 * Sets *id and, if name is not NULL, *name (its name, else its id), both
 * owned by the caller.  Fails with CC_ENOTFOUND when nothing is called
 * that, CC_ERR when several are (the message names some), or a store
 * error. */
int store_resolve_name(store *s, const store_resolve *r, const char *text, char **id,
                       char **name, cc_err *e);

/* Statistics as a new JSON object:
 * {"objects":N,"versions":M,
 *  "collections":{name:{type:{"objects":n,"versions":m}}},
 *  "total":{type:{"objects":n,"versions":m}}}
 * objects = distinct ids, versions = stored versions (per collection: entries). */
int store_stats(store *s, json_t **out, cc_err *e);

/* ---- members (TAXII) ---- */
typedef struct store_org {
	int64_t id;             /* internal id, > 0 */
	char *name;             /* unique name */
	char identity_id[64];   /* identity--uuid of the organisation */
} store_org;
typedef struct store_user {
	int64_t id;             /* internal id, > 0 */
	char *name;             /* unique login name */
	char *pwhash;           /* the password hash string made by the caller */
	int64_t org_id;         /* the user's organisation */
	char *org_name;         /* its name */
} store_user;
typedef struct store_grant {
	int64_t org_id, collection_id;
	bool can_read, can_write;
	int max_tlp;            /* highest STORE_TLP_* the org may read in the collection */
} store_grant;

int  store_org_add(store *s, const char *name, store_org *out, cc_err *e);     /* CC_ECONFLICT; out may be NULL */
int  store_org_get(store *s, const char *name, store_org *out, cc_err *e);     /* CC_ENOTFOUND */
int  store_org_get_id(store *s, int64_t id, store_org *out, cc_err *e);        /* CC_ENOTFOUND */
int  store_org_list(store *s, store_org **out, size_t *n, cc_err *e);
void store_org_list_free(store_org *v, size_t n);
void store_org_clear(store_org *o);                                            /* NULL ok */
int  store_user_add(store *s, const char *name, int64_t org_id, const char *pwhash, cc_err *e); /* CC_ECONFLICT */
int  store_user_set_pwhash(store *s, const char *name, const char *pwhash, cc_err *e);        /* CC_ENOTFOUND */
int  store_user_get(store *s, const char *name, store_user *out, cc_err *e);   /* CC_ENOTFOUND */
int  store_user_remove(store *s, const char *name, cc_err *e);                 /* CC_ENOTFOUND */
int  store_user_list(store *s, store_user **out, size_t *n, cc_err *e);
void store_user_list_free(store_user *v, size_t n);
void store_user_clear(store_user *u);                                          /* NULL ok */
int  store_grant_set(store *s, const store_grant *g, cc_err *e);               /* insert or replace */
int  store_grant_remove(store *s, int64_t org_id, int64_t collection_id, cc_err *e); /* CC_ENOTFOUND */
/* The grant, its max_tlp capped at the peer's max_tlp when org_id stands
 * for a peer (store_peer).  CC_ENOTFOUND. */
int  store_grant_get(store *s, int64_t org_id, int64_t collection_id, store_grant *out, cc_err *e);
int  store_grant_list(store *s, store_grant **out, size_t *n, cc_err *e);      /* free(*out) */

/* ---- what members allow, warning lists (src/store/analysis.c) ---- */

/* Whether organisation org_id allows other members to see its name in
 * "who else saw this" answers (default: no; it is then only counted). */
int store_org_get_named(store *s, int64_t org_id, bool *named, cc_err *e);
int store_org_set_named(store *s, int64_t org_id, bool named, cc_err *e);

/* A warning list kept in the hub: an imported one (json: its MISP JSON),
 * or the state of a built-in one (json NULL). */
typedef struct store_wl {
	char *name;             /* unique */
	char *json;             /* MISP warning-list JSON, NULL for a built-in's state */
	bool enabled;           /* used by match (and import/validate warnings) */
	int64_t added_us;       /* when it was imported or its state set */
} store_wl;
/* Insert or replace list name. */
int store_wl_put(store *s, const char *name, const char *json, bool enabled, cc_err *e);
/* Set the enabled state of name: an imported list's, else a built-in
 * state row is written (the caller checks that such a list exists). */
int store_wl_set_enabled(store *s, const char *name, bool enabled, cc_err *e);
int store_wl_remove(store *s, const char *name, cc_err *e);                 /* CC_ENOTFOUND */
/* Every row, by name; free with store_wl_list_free. */
int store_wl_list(store *s, store_wl **out, size_t *n, cc_err *e);
void store_wl_list_free(store_wl *v, size_t n);

/* ---- TAXII status resources, kept durable ---- */
int store_status_put(store *s, const char *status_id, const char *json, cc_err *e);  /* insert or replace */
/* The status written at or after not_before_us (0: any age); an older
 * one is CC_ENOTFOUND as a missing one.  *json_out: free(). */
int store_status_get(store *s, const char *status_id, int64_t not_before_us, char **json_out,
		     cc_err *e);
/* Remove the status resources written before before_us; n may be NULL. */
int store_status_expire(store *s, int64_t before_us, size_t *n, cc_err *e);

/* ---- safeguards: restricted collections, approvers, authorisations ----
 * (src/store/safeguards.c).  The store keeps the rows; what makes them
 * valid — the signatures, expiry, who may approve — is src/audit/'s. */

/* Restrict a collection (or lift it): CC_ENOTFOUND when there is none. */
int store_collection_set_restricted(store *s, int64_t id, bool restricted, cc_err *e);

/* A named person who signs authorisations, with the public half of its
 * Ed25519 key pair. */
typedef struct store_approver {
	int64_t id;             /* internal id, > 0 */
	char *name;             /* unique name */
	int64_t org_id;         /* its organisation */
	char *org_name;         /* that organisation's name */
	char public_key[65];    /* Ed25519 public key, 64 hex digits */
	char endorsement[129];  /* the hub's Ed25519 signature of name, organisation
	                           and key (src/audit/), 128 hex digits */
	int64_t created_us;     /* when it was added */
} store_approver;
void store_approver_clear(store_approver *a);                                 /* NULL ok */
/* Add a->name, org_id, public_key, endorsement, created_us.  CC_ECONFLICT
 * when the name exists. */
int  store_approver_add(store *s, const store_approver *a, cc_err *e);
int  store_approver_get(store *s, const char *name, store_approver *out, cc_err *e); /* CC_ENOTFOUND */
int  store_approver_list(store *s, store_approver **out, size_t *n, cc_err *e);      /* by name */
void store_approver_list_free(store_approver *v, size_t n);

/* An authorisation: a user's request to read a restricted collection for
 * a reason and a time, and once approved, the approver's signature. */
typedef struct store_authz {
	char id[37];            /* a random UUID */
	int64_t collection_id;  /* the restricted collection */
	char coll_uuid[37];     /* its TAXII id (filled by _get and _list) */
	char *coll_name;        /* its name (filled by _get and _list) */
	char *user;             /* the user it lets read */
	char *reason;           /* why, as the request said */
	int64_t duration_s;     /* how long from the approval, seconds */
	int64_t requested_us;   /* when it was asked */
	char *requested_by;     /* who asked (an audit actor, e.g. "cli:alice") */
	char *approver;         /* who approved, NULL while pending */
	int64_t approved_us;    /* when, 0 while pending */
	char *signature;        /* the approver's Ed25519 signature (hex), NULL while pending */
	int64_t revoked_us;     /* when it was revoked, 0 if not */
} store_authz;
void store_authz_clear(store_authz *a);                                       /* NULL ok */
/* Add a pending request: id, collection_id, user, reason, duration_s,
 * requested_us, requested_by.  CC_ECONFLICT when the id exists. */
int  store_authz_add(store *s, const store_authz *a, cc_err *e);
int  store_authz_get(store *s, const char *id, store_authz *out, cc_err *e);  /* CC_ENOTFOUND */
/* Record the approval of a pending request; CC_ECONFLICT when it is no
 * longer pending (approved or revoked meanwhile), CC_ENOTFOUND. */
int  store_authz_approve(store *s, const char *id, const char *approver, int64_t approved_us,
			 const char *signature, cc_err *e);
/* Revoke; CC_ENOTFOUND, CC_ECONFLICT when it is revoked already. */
int  store_authz_revoke(store *s, const char *id, int64_t revoked_us, cc_err *e);
/* The authorisations of user on collection_id (user NULL: of anyone;
 * collection_id 0: on any collection), the latest request first. */
int  store_authz_list(store *s, const char *user, int64_t collection_id, store_authz **out,
		      size_t *n, cc_err *e);
void store_authz_list_free(store_authz *v, size_t n);

/* ---- federation: peers, links, cursors, provenance (src/store/peers.c) ---- */

/* A remote TAXII 2.1 server this hub syncs with.  It stands for an
 * organisation of this hub of the same name, made with it: the owner of
 * what the peer delivers (store_put_received) and the organisation of
 * the peer's own login here, whose grants are capped at max_tlp (every
 * store_grant_get says min(grant, max_tlp)).  The strings are owned
 * (store_peer_clear frees them and wipes the password). */
typedef struct store_peer {
	int64_t id;             /* > 0 */
	char *name;             /* unique; also its organisation's name */
	int64_t org_id;         /* the organisation that stands for it */
	char *url;              /* its discovery URL (.../taxii2/) or an API root */
	char *user;             /* the login there ("" = none) */
	char *password;         /* its password there (a secret; "" = none) */
	char *ca_file;          /* PEM file of the CAs that verify it ("" = the system's) */
	char *pin;              /* its public key, "sha256//BASE64" ("" = none) */
	int max_tlp;            /* STORE_TLP_*: the highest this hub ever sends it */
	char *api_root;         /* the API root url led to, once known ("" = not yet) */
} store_peer;

/* Add peer p (name, url, user, password, ca_file, pin, max_tlp) and the
 * organisation that stands for it; fills p->id and p->org_id.  A peer
 * removed before under the same name comes back with its organisation.
 * CC_ECONFLICT when the peer exists, or an organisation of that name
 * that stands for no peer does (a member's organisation never becomes a
 * peer's). */
int  store_peer_add(store *s, store_peer *p, cc_err *e);
int  store_peer_get(store *s, const char *name, store_peer *out, cc_err *e);   /* CC_ENOTFOUND */
int  store_peer_get_id(store *s, int64_t id, store_peer *out, cc_err *e);      /* CC_ENOTFOUND */
int  store_peer_list(store *s, store_peer **out, size_t *n, cc_err *e);        /* by name */
void store_peer_list_free(store_peer *v, size_t n);
void store_peer_clear(store_peer *p);                                          /* NULL ok */
/* Keep the API root URL that peer id's url leads to ("" forgets it). */
int  store_peer_set_api_root(store *s, int64_t id, const char *api_root, cc_err *e);
/* Remove a peer and its links.  Its organisation, what it delivered and
 * the provenance of that stay (the versions are still its organisation's);
 * its stored password is forgotten.  CC_ENOTFOUND. */
int  store_peer_remove(store *s, const char *name, cc_err *e);

/* A link: a pull (the remote collection remote_coll into collection_id)
 * or a push (collection_id to the remote collection), with its cursor.
 * The strings are owned (store_link_clear). */
typedef struct store_link {
	int64_t id, peer_id;
	bool push;              /* else a pull */
	char *remote_coll;      /* the remote collection's id */
	int64_t collection_id;  /* the local collection */
	int max_tlp;            /* push: the highest TLP it sends (and never above
	                           the peer's max_tlp) */
	char *cursor;           /* pull: the remote's X-TAXII-Date-Added-Last of the
	                           last page stored, as it wrote it ("" = none yet) */
	int64_t after_us;       /* push: date_added of the last local entry sent */
	int64_t moved;          /* objects moved by this link so far */
	int64_t last_us;        /* when its cursor last moved (0 = never) */
} store_link;

/* Add link l (peer_id, push, remote_coll, collection_id, max_tlp); fills
 * l->id.  CC_ECONFLICT when the same link exists, CC_ENOTFOUND when the
 * peer does not. */
int  store_link_add(store *s, store_link *l, cc_err *e);
/* The links of a peer (peer_id 0: of every peer), by peer then id. */
int  store_link_list(store *s, int64_t peer_id, store_link **out, size_t *n, cc_err *e);
int  store_link_get(store *s, int64_t id, store_link *out, cc_err *e);       /* CC_ENOTFOUND */
int  store_link_remove(store *s, int64_t id, cc_err *e);                     /* CC_ENOTFOUND */
void store_link_list_free(store_link *v, size_t n);
void store_link_clear(store_link *l);                                        /* NULL ok */
/* Move link id's cursor: pull, to cursor (NULL: unchanged); push, to
 * after_us (never back); and count moved more objects.  Called in the
 * transaction that stored (or sent the confirmation of) what it covers,
 * so the cursor and the objects are durable together.  CC_ENOTFOUND when
 * the link is gone. */
int  store_link_advance(store *s, int64_t id, const char *cursor, int64_t after_us,
			int64_t moved, cc_err *e);

/* Store version r, delivered by peer p (id and org_id are used), in a
 * collection, by the federation rule (the hub acting for itself):
 *  1. an identical version (same id, modified and content) is stored,
 *     whoever owns it: that version is added to the collection (as a
 *     re-share; of several, p's own, else the hub's, else the first);
 *     no second copy, whichever peer or loop brought it;
 *  2. else p's organisation, or a member or the hub, holds a copy of the
 *     id: the version joins p's organisation's copy (a version that copy
 *     has with other content is a duplicate: the first one stays);
 *  3. else the organisations of other peers hold copies: it joins the
 *     first stored of those (an object relayed by several peers stays one
 *     copy);
 *  4. else it starts p's organisation's copy.
 * So a peer never adds a version to a member's or the hub's object, and
 * never changes or deletes one.  Which peer delivered the version, and
 * when, is recorded the first time (store_received_list).  Never
 * CC_EDENIED. */
int store_put_received(store *s, int64_t collection_id, const store_ready *r,
		       const store_peer *p, store_put_result *res, cc_err *e);

/* A push link's next rows after after_us, in date_added order (all
 * versions; the rows as store_query_run gives them): the entries of its
 * collection at most at min(l->max_tlp, p->max_tlp) (the level of
 * "Collections and visibility", whoever the owner), of the copy a reader
 * standing for the peer is served, leaving out what p delivered and what
 * its organisation posted.  *more (may be NULL) is set when rows beyond
 * limit exist. */
int store_outbox(store *s, const store_link *l, const store_peer *p, int64_t after_us,
		 size_t limit, store_row_fn fn, void *ud, bool *more, cc_err *e);

/* For each peer that delivered the version of row (id, modified_us and
 * org_id are used), oldest first: its name and when, borrowed during the
 * call. */
typedef void (*store_received_fn)(const char *peer, int64_t received_us, void *ud);
int store_received_list(store *s, const store_row *row, store_received_fn fn, void *ud,
			cc_err *e);

/* ---- read transactions for servers (src/store/read.c) ---- */

/* Open a read transaction: every read on s until store_read_end sees the
 * same snapshot, and pays the WAL locking once instead of per statement.
 * Only for reads: no store_begin/store_put/store_delete inside it.  *gen
 * receives the store's generation: it differs from the value of any
 * earlier call on this handle whenever the store was changed in between
 * (a commit by any connection or process, or a write on this handle), so a
 * caller may keep what it read under one generation while gen stays equal.
 * Fails with CC_ERR inside a write transaction. */
int  store_read_begin(store *s, uint64_t *gen, cc_err *e);
/* End the read transaction of store_read_begin; no-op when none is open. */
void store_read_end(store *s);

/* A page of the latest versions of one collection, or of one object in
 * it: what store_query_run answers for {collection_id, added_after_us,
 * limit, viewer_org, max_tlp, and ids = {id} when id is set} (no other
 * filter).  Zero-initialise and set what is needed. */
typedef struct store_page_query {
	int64_t collection_id;  /* > 0 */
	int64_t added_after_us; /* 0 = from the start */
	size_t limit;           /* 0 = no limit */
	int64_t viewer_org;     /* 0 = no TLP filtering */
	int max_tlp;            /* with viewer_org, as in store_query */
	const char *id;         /* NULL: every object; else this one only */
} store_page_query;

/* The rows of q in date_added order, as store_query_run; the rows carry
 * only id, json, json_len, date_added_us, collection_id and lvl (the other
 * fields are zero): enough for an objects page, not for a manifest. */
int store_read_page(store *s, const store_page_query *q, store_row_fn fn, void *ud,
		    bool *more, cc_err *e);

#endif
