/*
 * audit.h — the hub's safeguards: a tamper-evident audit trail of what
 * is done with the hub, and the two-person authorisations that open a
 * restricted collection.
 *
 * The trail is an append-only file of JSON lines beside the store (not a
 * store table: appending costs the server no SQLite write transaction and
 * no wait for the store's write lock, and a SIEM can tail it).  Each line
 * is one entry; its "prev" is the hash of the entry before and its "hash"
 * the BLAKE2b-256 of the line's bytes up to "hash" (libsodium), so an
 * edited, deleted, inserted or reordered line breaks the chain.  Entries
 * of action "checkpoint" carry the hub's Ed25519 signature over their
 * sequence number and the hash before them, so that the chain cannot be
 * rewritten without the hub's key; a signed head (count and last hash) an
 * operator keeps reveals a truncated tail.  Appenders of every process
 * take an exclusive lock on the file (flock), so the server and the
 * command line append to one chain.
 *
 * An authorisation lets one user read one restricted collection for a
 * stated reason and a limited time; it is valid once an approver — a
 * named person whose public key the hub endorsed — signed the canonical
 * text that binds its id, collection, user, reason, duration, approver and
 * approval time.  The rows are in the store (store.h "safeguards"); the
 * rules are here.
 *
 * Dependencies: util, store, libsodium, jansson.  Ownership: an
 * audit_entry owns its strings (audit_entry_clear); handles made by _open
 * and _start are freed by _close and _stop (NULL accepted).  Secret keys
 * are wiped when their audit_key is (audit_key_wipe).
 */
#ifndef CC_AUDIT_H
#define CC_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

#define AUDIT_HASH_HEX 65                  /* 64 hex digits of a BLAKE2b-256, NUL */
#define AUDIT_PK_HEX 65                    /* an Ed25519 public key in hex, NUL */
#define AUDIT_SIG_HEX 129                  /* an Ed25519 signature in hex, NUL */

/* ---- keys (keys.c) ---------------------------------------------------- */

/* An Ed25519 key pair, or its public half alone. */
typedef struct audit_key {
	unsigned char pk[32];              /* public key */
	unsigned char sk[64];              /* secret key (libsodium layout), when has_sk */
	bool has_sk;
} audit_key;

/* A fresh key pair. */
void audit_key_generate(audit_key *k);
/* Wipe the secret half (and everything else). */
void audit_key_wipe(audit_key *k);
/* The public key in hex (AUDIT_PK_HEX bytes). */
void audit_key_hex(const audit_key *k, char out[AUDIT_PK_HEX]);
/* Write the secret key to a new file path (mode 0600; an existing file is
 * never replaced: CC_ECONFLICT) / the public key to a new file (0644). */
int audit_key_save_secret(const char *path, const audit_key *k, cc_err *e);
int audit_key_save_public(const char *path, const audit_key *k, cc_err *e);
/* Read a secret key file (refused when others may read it) / a public
 * key file.  CC_ENOTFOUND when the file does not exist. */
int audit_key_load_secret(const char *path, audit_key *k, cc_err *e);
int audit_key_load_public(const char *path, audit_key *k, cc_err *e);
/* Parse 64 hex digits into a public key; false when they are not. */
bool audit_key_from_hex(const char *hex, audit_key *k);

/* The hex Ed25519 signature (AUDIT_SIG_HEX) of msg by k (which has sk). */
void audit_sign(const audit_key *k, const char *msg, size_t len, char out[AUDIT_SIG_HEX]);
/* Whether sig_hex is pk's signature of msg. */
bool audit_verify_sig(const unsigned char pk[32], const char *msg, size_t len,
		      const char *sig_hex);

/* ---- entries (entry.c) ------------------------------------------------ */

/* A list of strings (ids, arguments); owned. */
typedef struct audit_list {
	char **v;
	size_t n, cap;
} audit_list;
/* Append a copy of s (aborts when out of memory, like cc_buf). */
void audit_list_add(audit_list *l, const char *s);
void audit_list_clear(audit_list *l);

/* What happened, before it is chained.  Zero-initialise (then status,
 * exit_code and bytes are "none"), set what applies; strings owned. */
typedef struct audit_entry {
	int64_t ts_us;                     /* when; 0 = when it is appended */
	char *actor;                       /* a user, "cli:<unix user>" or "hub" */
	char *login;                       /* a user name whose login was refused */
	char *org;                         /* the actor's organisation */
	char *client;                      /* the client's address */
	char *action;                      /* "GET", "POST", "org add", "checkpoint", ... */
	char *path;                        /* request path with its query */
	bool path_plain;                   /* path holds only printable ASCII but '"'
	                                      and '\\' (a percent-encoded request
	                                      target): written without escaping */
	audit_list args;                   /* command-line arguments */
	int status;                        /* HTTP status; 0 = none */
	bool has_exit;                     /* exit_code is set */
	int exit_code;                     /* a command's exit status */
	bool has_bytes;                    /* bytes is set */
	int64_t bytes;                     /* response body bytes */
	audit_list written;                /* ids newly stored in a collection */
	audit_list versioned;              /* ids given a new version by their owner */
	audit_list deleted;                /* ids of which versions were deleted */
	audit_list read;                   /* ids read that are TLP:RED, TLP:AMBER+STRICT
	                                      or in a restricted collection */
	char *authz;                       /* the authorisation that opened a
	                                      restricted collection, or was acted on */
	char *message;                     /* why it was refused or failed */
	json_t *extra;                     /* more fields (an object, owned), e.g. a
	                                      checkpoint's signature */
	char *body;                        /* when set: every field above already
	                                      written as the line has them (a queued
	                                      text, audit_entry_put), the others unset */
} audit_entry;

void audit_entry_clear(audit_entry *en);                      /* NULL ok */
/* Append the line's text of en between seq and prev (each field as
 * ",\"key\":value"; ts_us 0: the time now; its body when set) to out. */
void audit_entry_put(const audit_entry *en, cc_buf *out);
/* Set a string field (*field = copy of s; NULL clears). */
void audit_set(char **field, const char *s);

/* The line of en with seq and prev (the hash before it): the JSON text up
 * to "prev" appended to out, and its hash; audit_line_finish appends the
 * hash and a newline.  Text a client chose is escaped so that
 * no value can end the line or a field. */
void audit_line_make(const audit_entry *en, int64_t seq, const char *prev, cc_buf *out,
		     char hash[AUDIT_HASH_HEX]);
void audit_line_finish(cc_buf *out, const char hash[AUDIT_HASH_HEX]);

/* The largest seq a line may have (no trail gets near it; a larger one
 * was written by someone else, and nothing could follow it). */
#define AUDIT_SEQ_MAX (INT64_MAX / 2)

/* A line of the trail, checked on its own: the hash over its text, its
 * seq and prev.  audit_line_parse fills it from line (len bytes, without
 * the newline): 0, or CC_ERR with what is wrong in e. */
typedef struct audit_line {
	json_t *obj;                       /* the parsed entry (owned) */
	int64_t seq;                       /* "seq" */
	char prev[AUDIT_HASH_HEX];         /* "prev" */
	char hash[AUDIT_HASH_HEX];         /* "hash", which matches the text */
	const char *action;                /* "action", borrowed from obj */
} audit_line;
int audit_line_parse(const char *line, size_t len, audit_line *out, cc_err *e);
void audit_line_clear(audit_line *l);

/* The text a checkpoint signs: its seq and the hash of the entry before. */
void audit_checkpoint_message(int64_t seq, const char *prev, cc_buf *out);

/* ---- the file (log.c) ------------------------------------------------- */

/* The sequence number and hash that start a new trail. */
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* An open trail for appending. */
typedef struct audit_log audit_log;

/* Open (create, mode 0600) the trail at path for appending.  Fails when
 * it cannot be written. */
int audit_log_open(const char *path, audit_log **out, cc_err *e);
void audit_log_close(audit_log *l);
const char *audit_log_path(const audit_log *l);

/* Append the n entries in order, then (key not NULL, with its secret
 * half) a checkpoint signed by key, and sync the file: durable on return.
 * The file is locked meanwhile; what other processes appended is read
 * from its tail first, and a torn last line (a crash in mid-write) is
 * cut off and noted in an entry of action "recover".  Entries with ts_us
 * 0 get the time now.  *last_seq (may be NULL) receives the seq of the
 * last line written. */
int audit_log_append(audit_log *l, audit_entry *const *v, size_t n, const audit_key *key,
		     int64_t *last_seq, cc_err *e);

/* Start a new file: the current one is kept as path.<UTC time> (its name
 * into archived, size an), and path starts with an entry of action
 * "rotate" that chains on to the last entry of the old one (and a
 * checkpoint when key is given). */
int audit_log_rotate(const char *path, const char *actor, const audit_key *key,
		     char *archived, size_t an, cc_err *e);

/* Call fn for each line of the file at path (without its newline), with
 * its 1-based number; fn returns nonzero to stop.  CC_ENOTFOUND when the
 * file does not exist. */
typedef int (*audit_line_fn)(const char *line, size_t len, size_t lineno, void *ud);
int audit_read(const char *path, audit_line_fn fn, void *ud, cc_err *e);

/* ---- the server's writer (writer.c) ------------------------------------ */

/* Called when a durable entry is on disk (rc 0) or could not be written. */
typedef void (*audit_done_fn)(int rc, void *arg);

/* A durable entry on its way to disk (audit_writer_begin); the writer's. */
typedef struct audit_pending {
	bool finished;                     /* written, or failed */
	int rc;                            /* then: 0 or the error */
} audit_pending;

typedef struct audit_writer_opts {
	const char *path;                  /* the trail */
	const audit_key *key;              /* signs checkpoints (copied; NULL: none) */
	unsigned batch_ms;                 /* an entry that need not be durable at once
	                                      waits at most this long (0: 100) */
	unsigned checkpoint_every;         /* a checkpoint after this many entries
	                                      (0: 1000) ... */
	unsigned checkpoint_s;             /* ... or this many seconds with new entries
	                                      (0: 10) */
	size_t max_queued;                 /* entries waiting at most; more wait for room
	                                      (0: 65536) */
	void (*on_error)(const char *msg, void *ud); /* a failed append (may be NULL) */
	void *ud;
} audit_writer_opts;

/* The server's appender: a thread that writes queued entries in batches,
 * one sync per batch.  Fails when the trail cannot be opened. */
typedef struct audit_writer audit_writer;
int audit_writer_start(const audit_writer_opts *o, audit_writer **out, cc_err *e);

/* Queue en (its contents are taken; en is left zeroed).  durable: it is
 * written at once (with whatever else waits), and done(rc, arg) is
 * called on the writer's thread when it is on disk or failed — or, done
 * NULL, this call waits for that and returns rc.  Not durable: it is on
 * disk within batch_ms (done is not called).  Returns 0 or the error. */
int audit_writer_add(audit_writer *w, audit_entry *en, bool durable, audit_done_fn done,
		     void *arg);

/* Queue the entry en (borrowed, ts_us set) that need not be durable at
 * once: its text is made here and copied into the queue (nothing of en
 * is copied or taken): an ordinary request's entry. */
void audit_writer_note(audit_writer *w, const audit_entry *en);

/* Queue en as a durable entry without waiting: the caller does something
 * else meanwhile (a POST commits its store transaction while its entry is
 * synced), then waits for it with audit_writer_wait.  p must stay valid
 * until then. */
void audit_writer_begin(audit_writer *w, audit_entry *en, audit_pending *p);
/* Wait until the entry of p is on disk; 0, or the error. */
int audit_writer_wait(audit_writer *w, audit_pending *p);

/* Write what is queued and a last checkpoint, stop the thread, close the
 * trail.  NULL ok. */
void audit_writer_stop(audit_writer *w);

/* ---- checking the trail (verify.c) ------------------------------------ */

/* A signed head: how many entries the trail had and the last one's hash,
 * signed by the hub's key when it was taken. */
typedef struct audit_head {
	int64_t seq;                       /* the last entry's seq */
	char hash[AUDIT_HASH_HEX];         /* its hash */
	int64_t ts_us;                     /* when the head was taken */
	char sig[AUDIT_SIG_HEX];           /* the hub's signature */
} audit_head;

/* The text a head signs. */
void audit_head_message(const audit_head *h, cc_buf *out);
/* One JSON line of h (with a newline) / parse it back (CC_ERR). */
void audit_head_format(const audit_head *h, cc_buf *out);
int audit_head_parse(const char *text, size_t len, audit_head *h, cc_err *e);

/* What audit_verify found. */
typedef struct audit_report {
	bool intact;                       /* nothing wrong was found */
	size_t entries;                    /* entries read */
	int64_t first_seq, last_seq;       /* of the first and last entry read */
	char last_hash[AUDIT_HASH_HEX];
	size_t checkpoints;                /* signed checkpoints verified */
	int64_t checkpoint_seq;            /* seq of the last verified one (0: none) */
	bool rotated_start;                /* the first file starts after a rotation */
	char where[256];                   /* the first bad entry: "FILE:LINE (seq N)" */
	char problem[512];                 /* what is wrong with it */
} audit_report;

/* Check the files at paths, in order (a rotated trail: the oldest first),
 * as one chain: each line's hash, seq and prev, and each checkpoint's
 * signature against pub (NULL: a trail with checkpoints is then not
 * intact: they cannot be checked).  With head (may be NULL, its signature
 * checked against pub), the trail must hold the entry it names, unchanged.
 * 0 when the check ran (r->intact tells the verdict), else an I/O error. */
int audit_verify(const char *const *paths, size_t n, const audit_key *pub,
		 const audit_head *head, audit_report *r, cc_err *e);

/* A head of the trail at path, which must be intact, signed now by key. */
int audit_head_take(const char *path, const audit_key *key, audit_head *h, cc_err *e);

/* ---- authorisations (authz.c) ------------------------------------------ */

/* Shortest and longest authorisation. */
#define AUDIT_AUTHZ_MIN_S 1
#define AUDIT_AUTHZ_MAX_S (366LL * 86400)

/* Parse a duration "90s", "15m", "2h", "1d" into seconds; false when it
 * is not one or out of range. */
bool audit_duration_parse(const char *s, int64_t *seconds);

/* The text an approver signs for a (with approver and approved_us as it
 * will be stored) / the text the hub signs to endorse an approver. */
void audit_authz_message(const store_authz *a, const char *approver, int64_t approved_us,
			 cc_buf *out);
void audit_approver_message(const char *name, const char *org, const char *pk_hex,
			    cc_buf *out);

/* Add approver name of organisation org_id with public key k, endorsed by
 * the hub's key hub (with its secret half). */
int audit_approver_add(store *s, const char *name, int64_t org_id, const audit_key *k,
		       const audit_key *hub, cc_err *e);

/* Approve request id as approver name with the approver's key (secret
 * half): refused (CC_EDENIED, the message says why) when the approver is
 * unknown, its key in the store is not the one the hub endorsed, the key
 * is not the approver's, the approver is the user the authorisation is
 * for or the one who asked for it (actor), or the request is revoked or
 * approved already.  The signature is stored with the approval time now. */
int audit_authz_approve(store *s, const char *id, const char *approver, const audit_key *key,
			const unsigned char hub_pk[32], const char *actor, int64_t now_us,
			cc_err *e);

/* When approved authorisation a ends (approval + duration, µs) into
 * *end_us; false when its duration or approval time is out of range (a
 * row altered in the store). */
bool audit_authz_end(const store_authz *a, int64_t *end_us);

/* Whether approved authorisation a holds at now_us: its approver's key is
 * endorsed by hub_pk, its signature verifies over what is stored, it is
 * not revoked and not expired (and its times are in range).  0, or CC_EDENIED with why in e. */
int audit_authz_valid(store *s, const store_authz *a, const unsigned char hub_pk[32],
		      int64_t now_us, cc_err *e);

/* Whether user may read restricted collection coll_id at now_us: true and
 * the authorisation's id in id; false, with in why (size wn) the reason
 * an authorisation of the user failed ("" when the user has none approved).
 * hub_pk NULL: nobody may. */
bool audit_authz_open(store *s, const unsigned char *hub_pk, const char *user,
		      int64_t coll_id, int64_t now_us, char id[37], char *why, size_t wn);

#endif
