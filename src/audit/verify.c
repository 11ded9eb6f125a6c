/*
 * verify.c — checking a trail: every line's hash over its own text, the
 * chain of seq and prev from line to line and file to file, each
 * checkpoint's signature against the hub's public key, and a head saved
 * earlier; and taking such a head.
 *
 * What it finds: an edited entry (its hash), a deleted, inserted or
 * reordered entry (seq and prev), a chain rewritten from some point on
 * with fresh hashes (the next checkpoint's signature), a truncated tail
 * (only against a head saved before), lines missing at the start (the
 * first entry must start a trail or follow a rotation).
 */
#include "audit/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/time.h"

/* The state of a check across files. */
typedef struct vstate {
	const audit_key *pub;              /* trusted key, or NULL */
	const audit_head *head;            /* or NULL */
	audit_report *r;
	const char *path;                  /* the file being read */
	bool file_start;                   /* its first line is next */
	bool any;                          /* a line was read before */
	int64_t seq;                       /* the last good entry's */
	char hash[AUDIT_HASH_HEX];
} vstate;

/* Record the first problem (printf fmt); returns 1 (stop reading). */
static int bad(vstate *v, size_t lineno, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int bad(vstate *v, size_t lineno, int64_t seq, const char *fmt, ...)
{
	audit_report *r = v->r;
	va_list ap;

	r->intact = false;
	if (seq > 0)
		snprintf(r->where, sizeof(r->where), "%s:%zu (seq %lld)", v->path, lineno,
			 (long long)seq);
	else
		snprintf(r->where, sizeof(r->where), "%s:%zu", v->path, lineno);
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
	va_end(ap);
	return 1;
}

/* Whether line l follows the entry before it; else 1 after bad(). */
static int check_chain(vstate *v, const audit_line *l, size_t lineno)
{
	long long seq = (long long)l->seq, before = (long long)v->seq;
	bool rotate = l->action && strcmp(l->action, "rotate") == 0;

	if (!v->any) {
		if (l->seq == 1 && strcmp(l->prev, AUDIT_GENESIS) == 0)
			return 0;
		if (l->seq > 1 && rotate) {
			v->r->rotated_start = true;	/* its prev is in an older file */
			return 0;
		}
		return bad(v, lineno, l->seq, "the trail starts at seq %lld without a rotation: "
			   "the entries before it are missing", seq);
	}
	if (v->file_start && !rotate)
		return bad(v, lineno, l->seq, "this file does not start with a rotation, so it "
			   "does not continue the file before it");
	if (l->seq > v->seq + 1)
		return bad(v, lineno, l->seq, "seq %lld follows seq %lld: the entries between are "
			   "missing (deleted)", seq, before);
	if (l->seq <= v->seq)
		return bad(v, lineno, l->seq, "seq %lld follows seq %lld: an entry was inserted or "
			   "moved", seq, before);
	if (strcmp(l->prev, v->hash) != 0)
		return bad(v, lineno, l->seq, "its prev is not the hash of entry %lld: the entry "
			   "before it was replaced", before);
	return 0;
}

/* Check a checkpoint's signature; 1 after bad() when it fails. */
static int check_checkpoint(vstate *v, const audit_line *l, size_t lineno)
{
	const char *sig = json_string_value(json_object_get(l->obj, "signature"));
	cc_buf msg = CC_BUF_INIT;
	bool ok;

	if (!v->pub)
		return bad(v, lineno, l->seq, "a signed checkpoint cannot be checked without the "
			   "hub's public key (audit init made it: DB.audit-key.pub)");
	audit_checkpoint_message(l->seq, l->prev, &msg);
	ok = audit_verify_sig(v->pub->pk, msg.data, msg.len, sig);
	cc_buf_free(&msg);
	if (!ok)
		return bad(v, lineno, l->seq, "the checkpoint's signature is not the hub's: the "
			   "entries before it were rewritten since it was signed, or it was forged");
	v->r->checkpoints++;
	v->r->checkpoint_seq = l->seq;
	return 0;
}

static int on_line(const char *line, size_t len, size_t lineno, void *ud)
{
	vstate *v = ud;
	audit_line l;
	cc_err e;
	int stop = 0;

	if (audit_line_parse(line, len, &l, &e) != 0) {
		stop = bad(v, lineno, l.obj ? l.seq : 0, "%s", e.msg);
		goto out;
	}
	stop = check_chain(v, &l, lineno);
	if (!stop && l.action && strcmp(l.action, "checkpoint") == 0)
		stop = check_checkpoint(v, &l, lineno);
	if (!stop && v->head && l.seq == v->head->seq && strcmp(l.hash, v->head->hash) != 0)
		stop = bad(v, lineno, l.seq, "it is not the entry the saved head names (the trail "
			   "was rewritten since the head was taken)");
	if (stop)
		goto out;
	if (!v->any)
		v->r->first_seq = l.seq;
	v->any = true;
	v->file_start = false;
	v->seq = l.seq;
	memcpy(v->hash, l.hash, sizeof(v->hash));
	v->r->entries++;
	v->r->last_seq = l.seq;
	memcpy(v->r->last_hash, l.hash, sizeof(v->r->last_hash));
out:
	audit_line_clear(&l);
	return stop;
}

/* The verdict on a head after every line is read. */
static void check_head_end(vstate *v)
{
	char a[64], b[128], ts[CC_TS_MAX];
	const audit_head *h = v->head;

	if (!h || !v->r->intact)
		return;
	cc_ts_format(h->ts_us, 0, ts);
	snprintf(b, sizeof(b), "%lld (taken %s)", (long long)h->seq, ts);
	if (v->r->last_seq < h->seq) {
		snprintf(a, sizeof(a), "%lld", (long long)v->r->last_seq);
		snprintf(v->r->where, sizeof(v->r->where), "%s: end", v->path);
		snprintf(v->r->problem, sizeof(v->r->problem), "truncated: the trail ends at seq %s "
			 "but the saved head names entry %s", a, b);
		v->r->intact = false;
	} else if (v->r->entries && h->seq < v->r->first_seq) {
		snprintf(v->r->where, sizeof(v->r->where), "%s:1", v->path);
		snprintf(v->r->problem, sizeof(v->r->problem), "the saved head names entry %s, "
			 "which is before this trail's first entry: give the older (rotated) "
			 "files too", b);
		v->r->intact = false;
	}
}

int audit_verify(const char *const *paths, size_t n, const audit_key *pub,
		 const audit_head *head, audit_report *r, cc_err *e)
{
	vstate v = { pub, head, r, NULL, true, false, 0, "" };
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->intact = true;
	if (head) {
		cc_buf msg = CC_BUF_INIT;
		bool ok;

		audit_head_message(head, &msg);
		ok = pub && audit_verify_sig(pub->pk, msg.data, msg.len, head->sig);
		cc_buf_free(&msg);
		if (!ok) {
			r->intact = false;
			snprintf(r->where, sizeof(r->where), "the saved head");
			snprintf(r->problem, sizeof(r->problem), "%s", pub
				 ? "its signature is not the hub's: the head was altered or forged"
				 : "it cannot be checked without the hub's public key");
			return 0;
		}
	}
	for (size_t i = 0; i < n && r->intact; i++) {
		v.path = paths[i];
		v.file_start = true;
		rc = audit_read(paths[i], on_line, &v, e);
		if (rc == CC_ENOTFOUND && n == 1 && !head)
			rc = 0;	/* no trail yet: nothing was recorded, nothing is wrong */
		if (rc)
			return rc;
	}
	check_head_end(&v);
	return 0;
}

void audit_head_message(const audit_head *h, cc_buf *out)
{
	cc_buf_reset(out);
	cc_buf_printf(out, "cybercell audit head v1\nseq=%lld\nhash=%s\nts=%lld\n",
		      (long long)h->seq, h->hash, (long long)h->ts_us);
}

void audit_head_format(const audit_head *h, cc_buf *out)
{
	char ts[CC_TS_MAX];

	cc_ts_format(h->ts_us, 6, ts);
	cc_buf_printf(out, "{\"head\":\"cybercell audit v1\",\"seq\":%lld,\"hash\":\"%s\","
		      "\"ts\":\"%s\",\"signature\":\"%s\"}\n", (long long)h->seq, h->hash, ts,
		      h->sig);
}

int audit_head_parse(const char *text, size_t len, audit_head *h, cc_err *e)
{
	json_t *o = json_loadb(text, len, JSON_DISABLE_EOF_CHECK, NULL);
	const char *kind = json_string_value(json_object_get(o, "head"));
	const char *hash = json_string_value(json_object_get(o, "hash"));
	const char *ts = json_string_value(json_object_get(o, "ts"));
	const char *sig = json_string_value(json_object_get(o, "signature"));
	json_t *seq = json_object_get(o, "seq");
	int rc = 0;

	memset(h, 0, sizeof(*h));
	if (!kind || strcmp(kind, "cybercell audit v1") != 0 || !json_is_integer(seq) ||
	    !hash || strlen(hash) != 64 || !ts || !cc_ts_parse(ts, &h->ts_us) || !sig ||
	    strlen(sig) != 128)
		rc = cc_err_set(e, CC_ERR, "not an audit head (as 'cybercell audit head' prints)");
	else {
		h->seq = json_integer_value(seq);
		memcpy(h->hash, hash, 65);
		memcpy(h->sig, sig, 129);
	}
	json_decref(o);
	return rc;
}

int audit_head_take(const char *path, const audit_key *key, audit_head *h, cc_err *e)
{
	const char *paths[1] = { path };
	audit_report r;
	cc_buf msg = CC_BUF_INIT;
	int rc = audit_verify(paths, 1, key, NULL, &r, e);

	if (rc)
		return rc;
	if (!r.intact)
		return cc_err_set(e, CC_ERR, "audit %s: not intact, no head is signed: %s: %s", path,
				  r.where, r.problem);
	memset(h, 0, sizeof(*h));
	h->seq = r.last_seq;
	snprintf(h->hash, sizeof(h->hash), "%s", r.entries ? r.last_hash : AUDIT_GENESIS);
	h->ts_us = cc_now_us();
	audit_head_message(h, &msg);
	audit_sign(key, msg.data, msg.len, h->sig);
	cc_buf_free(&msg);
	return 0;
}
