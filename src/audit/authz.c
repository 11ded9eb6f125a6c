/*
 * authz.c — the two-person rule: an approver (a named person whose public
 * key the hub endorsed) signs an authorisation that lets one user read one
 * restricted collection for a stated reason and a limited time.
 *
 * What is signed is a canonical text of every field that gives the
 * authorisation its meaning — id, collection UUID, user, reason, duration,
 * approver and approval time — so a signature copied onto another request
 * (another user, collection, reason or time) does not verify, and a row
 * edited in the store stops being valid.  The approver's key is trusted
 * only with the hub's endorsement (the hub's signature of the approver's
 * name, organisation and key), so a key swapped into the store is not.
 * Everything is checked again at every use: nothing is remembered.
 */
#include "audit/audit.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/time.h"

bool audit_duration_parse(const char *s, int64_t *seconds)
{
	char *end;
	long long v;
	int64_t unit;

	if (!s || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end[0] == 0 || end[1] != 0)
		return false;
	switch (end[0]) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return false;
	}
	if (v < AUDIT_AUTHZ_MIN_S || v > AUDIT_AUTHZ_MAX_S / unit)
		return false;
	*seconds = v * unit;
	return true;
}

void audit_authz_message(const store_authz *a, const char *approver, int64_t approved_us,
			 cc_buf *out)
{
	cc_buf_reset(out);
	cc_buf_printf(out, "cybercell authorisation v1\nid=%s\ncollection=%s\nuser=%s\n"
		      "reason=%zu:%s\nduration=%lld\napprover=%s\napproved_us=%lld\n", a->id,
		      a->coll_uuid, a->user ? a->user : "", strlen(a->reason ? a->reason : ""),
		      a->reason ? a->reason : "", (long long)a->duration_s, approver,
		      (long long)approved_us);
}

void audit_approver_message(const char *name, const char *org, const char *pk_hex,
			    cc_buf *out)
{
	cc_buf_reset(out);
	cc_buf_printf(out, "cybercell approver v1\nname=%zu:%s\norg=%zu:%s\nkey=%s\n",
		      strlen(name), name, strlen(org), org, pk_hex);
}

/* Whether approver a's key in the store is the one the hub endorsed. */
static bool endorsed(const store_approver *a, const unsigned char hub_pk[32])
{
	cc_buf msg = CC_BUF_INIT;
	bool ok;

	audit_approver_message(a->name, a->org_name ? a->org_name : "", a->public_key, &msg);
	ok = audit_verify_sig(hub_pk, msg.data, msg.len, a->endorsement);
	cc_buf_free(&msg);
	return ok;
}

int audit_approver_add(store *s, const char *name, int64_t org_id, const audit_key *k,
		       const audit_key *hub, cc_err *e)
{
	store_approver a = { 0 };
	store_org o;
	cc_buf msg = CC_BUF_INIT;
	int rc;

	if (!hub->has_sk)
		return cc_err_set(e, CC_ERR, "approver %s: the hub's secret key is needed to "
				  "endorse it", name);
	rc = store_org_get_id(s, org_id, &o, e);
	if (rc)
		return rc;
	a.name = (char *)name;
	a.org_id = org_id;
	audit_key_hex(k, a.public_key);
	audit_approver_message(name, o.name, a.public_key, &msg);
	audit_sign(hub, msg.data, msg.len, a.endorsement);
	a.created_us = cc_now_us();
	rc = store_approver_add(s, &a, e);
	cc_buf_free(&msg);
	store_org_clear(&o);
	return rc;
}

/* The unix user name of an actor "cli:NAME" (else the actor itself). */
static const char *actor_name(const char *actor)
{
	return actor && strncmp(actor, "cli:", 4) == 0 ? actor + 4 : actor ? actor : "";
}

/* The approver whose stored key is k's, if any (name into who, size wn). */
static bool key_owner(store *s, const audit_key *k, char *who, size_t wn)
{
	store_approver *v = NULL;
	size_t n = 0;
	char hex[AUDIT_PK_HEX];
	bool found = false;

	audit_key_hex(k, hex);
	if (store_approver_list(s, &v, &n, NULL) == 0)
		for (size_t i = 0; i < n && !found; i++)
			if (strcmp(v[i].public_key, hex) == 0) {
				snprintf(who, wn, "%s", v[i].name);
				found = true;
			}
	store_approver_list_free(v, n);
	return found;
}

/* Check that approver ap, holding key, may approve a; CC_EDENIED why. */
static int may_approve(store *s, const store_authz *a, const store_approver *ap,
		       const audit_key *key, const unsigned char hub_pk[32], const char *actor,
		       cc_err *e)
{
	char hex[AUDIT_PK_HEX], other[256];

	if (!hub_pk)
		return cc_err_set(e, CC_EDENIED, "authorise: without the hub's public key no "
				  "approver can be trusted (run 'cybercell audit init')");
	if (!endorsed(ap, hub_pk))
		return cc_err_set(e, CC_EDENIED, "authorise: approver %s: its public key in the store "
				  "is not the one the hub endorsed (the store was altered)", ap->name);
	audit_key_hex(key, hex);
	if (strcmp(hex, ap->public_key) != 0) {
		if (key_owner(s, key, other, sizeof(other)))
			return cc_err_set(e, CC_EDENIED, "authorise: the key given is approver %s's, "
					  "not %s's", other, ap->name);
		return cc_err_set(e, CC_EDENIED, "authorise: the key given is not an approver's "
				  "key (unknown key); approver %s has another", ap->name);
	}
	if (strcasecmp(ap->name, a->user) == 0)
		return cc_err_set(e, CC_EDENIED, "authorise: self-approval: approver %s is the user "
				  "the authorisation is for", ap->name);
	if (strcasecmp(ap->name, actor_name(a->requested_by)) == 0 ||
	    strcasecmp(ap->name, actor_name(actor)) == 0 ||
	    strcasecmp(actor_name(actor), a->user) == 0)
		return cc_err_set(e, CC_EDENIED, "authorise: self-approval: %s asked for this "
				  "authorisation or is the user it is for; another person approves",
				  strcasecmp(ap->name, actor_name(a->requested_by)) == 0
					  ? ap->name : actor_name(actor));
	if (a->revoked_us)
		return cc_err_set(e, CC_EDENIED, "authorise: authorisation %s was revoked", a->id);
	if (a->approver)
		return cc_err_set(e, CC_EDENIED, "authorise: authorisation %s was approved already "
				  "by %s", a->id, a->approver);
	return 0;
}

int audit_authz_approve(store *s, const char *id, const char *approver, const audit_key *key,
			const unsigned char hub_pk[32], const char *actor, int64_t now_us,
			cc_err *e)
{
	store_authz a;
	store_approver ap;
	char sig[AUDIT_SIG_HEX];
	cc_buf msg = CC_BUF_INIT;
	int rc;

	rc = store_authz_get(s, id, &a, e);
	if (rc)
		return rc;
	rc = store_approver_get(s, approver, &ap, e);
	if (rc == CC_ENOTFOUND)
		rc = cc_err_set(e, CC_EDENIED, "authorise: no approver %s (an unknown approver "
				"cannot approve)", approver);
	if (rc == 0)
		rc = may_approve(s, &a, &ap, key, hub_pk, actor, e);
	if (rc == 0) {
		audit_authz_message(&a, ap.name, now_us, &msg);
		audit_sign(key, msg.data, msg.len, sig);
		rc = store_authz_approve(s, a.id, ap.name, now_us, sig, e);
	}
	cc_buf_free(&msg);
	store_approver_clear(&ap);
	store_authz_clear(&a);
	return rc;
}

/* Whether the signature of a verifies with approver ap's key. */
static bool signed_by(const store_authz *a, const store_approver *ap)
{
	cc_buf msg = CC_BUF_INIT;
	audit_key k;
	bool ok;

	audit_authz_message(a, ap->name, a->approved_us, &msg);
	ok = audit_key_from_hex(ap->public_key, &k) &&
	     audit_verify_sig(k.pk, msg.data, msg.len, a->signature);
	cc_buf_free(&msg);
	return ok;
}

bool audit_authz_end(const store_authz *a, int64_t *end_us)
{
	/* approvals after the year 9999 are not made by this clock */
	const int64_t last_us = 253402300799LL * 1000000;

	*end_us = 0;
	if (a->duration_s < AUDIT_AUTHZ_MIN_S || a->duration_s > AUDIT_AUTHZ_MAX_S ||
	    a->approved_us <= 0 || a->approved_us > last_us)
		return false;
	*end_us = a->approved_us + a->duration_s * 1000000;
	return true;
}

int audit_authz_valid(store *s, const store_authz *a, const unsigned char hub_pk[32],
		      int64_t now_us, cc_err *e)
{
	store_approver ap;
	int64_t end_us;
	int rc = 0;

	/* what refuses it as stored first (no signature is checked for a
	 * refusal), then whether what is stored is what was signed */
	if (a->revoked_us)
		return cc_err_set(e, CC_EDENIED, "authorisation %s was revoked", a->id);
	if (!a->approver || !a->signature)
		return cc_err_set(e, CC_EDENIED, "authorisation %s is not approved", a->id);
	if (!audit_authz_end(a, &end_us))
		return cc_err_set(e, CC_EDENIED, "authorisation %s: its duration (%lld s) or approval "
				  "time is out of range: the row was altered", a->id,
				  (long long)a->duration_s);
	if (now_us >= end_us) {
		char ts[CC_TS_MAX];

		cc_ts_format(end_us, 0, ts);
		return cc_err_set(e, CC_EDENIED, "authorisation %s expired at %s", a->id, ts);
	}
	if (store_approver_get(s, a->approver, &ap, NULL) != 0)
		return cc_err_set(e, CC_EDENIED, "authorisation %s: its approver %s is unknown",
				  a->id, a->approver);
	if (!hub_pk || !endorsed(&ap, hub_pk))
		rc = cc_err_set(e, CC_EDENIED, "authorisation %s: approver %s's key in the store "
				"is not the one the hub endorsed", a->id, a->approver);
	else if (!signed_by(a, &ap))
		rc = cc_err_set(e, CC_EDENIED, "authorisation %s: the signature does not verify "
				"(forged, or the authorisation was altered or copied from another)",
				a->id);
	store_approver_clear(&ap);
	return rc;
}

bool audit_authz_open(store *s, const unsigned char *hub_pk, const char *user,
		      int64_t coll_id, int64_t now_us, char id[37], char *why, size_t wn)
{
	store_authz *v = NULL;
	size_t n = 0;
	bool open = false;
	cc_err e;

	why[0] = 0;
	id[0] = 0;
	if (!hub_pk || store_authz_list(s, user, coll_id, &v, &n, NULL) != 0)
		return false;
	for (size_t i = 0; i < n && !open; i++) {
		if (!v[i].approver)
			continue;	/* pending: not a refusal, nothing was granted */
		if (audit_authz_valid(s, &v[i], hub_pk, now_us, &e) == 0) {
			open = true;
			snprintf(id, 37, "%s", v[i].id);
		} else if (!why[0]) {
			snprintf(why, wn, "%s", e.msg);
		}
	}
	if (open)
		why[0] = 0;
	store_authz_list_free(v, n);
	return open;
}
