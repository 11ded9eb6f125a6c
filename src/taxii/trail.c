/*
 * trail.c — a request as an entry of the audit trail (audit.h): who, from
 * where, what (method, path and query), the answer (status, bytes), and
 * what the handler recorded in the response (the organisation, the ids
 * written, versioned, deleted and sensitive ids read, the authorisation
 * that opened a restricted collection or why one did not).
 */
#include "taxii/taxii_int.h"

#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "util/time.h"

/* The bytes a target keeps as they are: letters and digits (3), and the
 * other characters of a path (KEEP_PATH) or of a query key or value
 * (KEEP_ARG: TAXII's match[...] and its lists). */
#define KEEP_PATH 1
#define KEEP_ARG 2
#define KEEP_RANGE10(c) [(c)] = 3, [(c) + 1] = 3, [(c) + 2] = 3, [(c) + 3] = 3, [(c) + 4] = 3, \
	[(c) + 5] = 3, [(c) + 6] = 3, [(c) + 7] = 3, [(c) + 8] = 3, [(c) + 9] = 3
#define KEEP_LETTERS(a) KEEP_RANGE10(a), KEEP_RANGE10((a) + 10), [(a) + 20] = 3, \
	[(a) + 21] = 3, [(a) + 22] = 3, [(a) + 23] = 3, [(a) + 24] = 3, [(a) + 25] = 3
static const unsigned char keep_table[256] = {
	KEEP_RANGE10('0'), KEEP_LETTERS('A'), KEEP_LETTERS('a'),
	['-'] = 3, ['.'] = 3, ['_'] = 3, ['~'] = 3, [':'] = 3, [','] = 3,
	['/'] = 1, ['@'] = 1, ['!'] = 1, ['$'] = 1, ['\''] = 1, ['('] = 1, [')'] = 1,
	['*'] = 1, ['+'] = 1, [';'] = 1, ['='] = 1, ['['] = 2, [']'] = 2,
};

/* Append s percent-encoded, leaving the bytes of class keep (KEEP_*) as
 * they are; what it writes needs no escaping in JSON (path_plain).  A
 * target is encoded per request: runs are found by the table alone. */
static void put_encoded(cc_buf *b, const char *s, unsigned keep)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	for (;;) {
		const unsigned char *run = p;
		char esc[3];

		while (keep_table[*p] & keep)	/* the NUL is kept by neither */
			p++;
		cc_buf_add(b, run, (size_t)(p - run));
		if (!*p)
			return;
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 15];
		cc_buf_add(b, esc, 3);
		p++;
	}
}

/* A target being built. */
typedef struct target {
	cc_buf b;
	size_t n_args;                     /* arguments so far */
} target;

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	target *t = cls;

	(void)kind;
	cc_buf_add(&t->b, t->n_args++ ? "&" : "?", 1);
	put_encoded(&t->b, key, KEEP_ARG);
	if (value) {
		cc_buf_add(&t->b, "=", 1);
		put_encoded(&t->b, value, KEEP_ARG);
	}
	return MHD_YES;
}

char *taxii_trail_target(struct MHD_Connection *c, const char *url)
{
	target t = { CC_BUF_INIT, 0 };

	url = url ? url : "";
	cc_buf_reserve(&t.b, strlen(url) + 64);	/* most targets, in one allocation */
	put_encoded(&t.b, url, KEEP_PATH);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &t);
	return cc_buf_take(&t.b, NULL);
}

bool taxii_trail_durable(const char *method, const taxii_response *rs)
{
	bool write = strcmp(method, "POST") == 0 || strcmp(method, "DELETE") == 0;

	return (write && rs->status >= 200 && rs->status < 300) || rs->read.n ||
	       rs->written.n || rs->versioned.n || rs->deleted.n || rs->authz[0] ||
	       rs->refused[0];
}

/* Move list *from into *to (which is empty). */
static void move_list(audit_list *to, audit_list *from)
{
	*to = *from;
	memset(from, 0, sizeof(*from));
}

/* en (zeroed first) from r and the answer's org, authz and refused (may
 * be NULL), its strings borrowed from them and from addr (the client's,
 * INET6_ADDRSTRLEN bytes), never freed: the casts drop a const the
 * entry's owned strings do not have. */
static void borrow(audit_entry *en, const taxii_trail_req *r, const char *org, const char *authz,
		   const char *refused, char *addr)
{
	memset(en, 0, sizeof(*en));
	taxii_addr_text(r->addr, addr);
	en->actor = (char *)(r->user && *r->user ? r->user : "-");
	en->login = (char *)((!r->user || !*r->user) && r->login && *r->login ? r->login : NULL);
	en->client = addr;
	en->action = (char *)r->method;
	en->path = (char *)r->target;
	en->path_plain = r->target_plain;
	en->status = r->status;
	en->has_bytes = true;
	en->bytes = (int64_t)r->bytes;
	en->org = (char *)(org && *org ? org : NULL);
	en->authz = (char *)(authz && *authz ? authz : NULL);
	en->message = (char *)(refused && *refused ? refused
			       : r->aborted ? "the client left before the answer was sent" : NULL);
}

void taxii_trail_entry(audit_entry *en, const taxii_trail_req *r, taxii_response *rs)
{
	char addr[INET6_ADDRSTRLEN];
	audit_entry b;

	borrow(&b, r, rs ? rs->org : NULL, rs ? rs->authz : NULL, rs ? rs->refused : NULL, addr);
	memset(en, 0, sizeof(*en));
	en->status = b.status;
	en->has_bytes = b.has_bytes;
	en->bytes = b.bytes;
	audit_set(&en->actor, b.actor);
	audit_set(&en->login, b.login);
	audit_set(&en->org, b.org);
	audit_set(&en->client, b.client);
	audit_set(&en->action, b.action);
	audit_set(&en->path, b.path);
	en->path_plain = b.path_plain;
	audit_set(&en->authz, b.authz);
	audit_set(&en->message, b.message);
	if (!rs)
		return;
	move_list(&en->written, &rs->written);
	move_list(&en->versioned, &rs->versioned);
	move_list(&en->deleted, &rs->deleted);
	move_list(&en->read, &rs->read);
}

void taxii_trail_note(audit_writer *w, const taxii_trail_req *r)
{
	char addr[INET6_ADDRSTRLEN];
	audit_entry en;

	/* an ordinary read's entry borrows r's strings: nothing is copied but
	 * its text, made into the writer's queue */
	borrow(&en, r, r->org, r->authz, r->refused, addr);
	en.ts_us = cc_now_us();
	audit_writer_note(w, &en);
}

void taxii_trail_failed(const char *method, taxii_response *rs)
{
	bool write = strcmp(method, "GET") != 0;
	char user[64], org[208];

	memcpy(user, rs->user, sizeof(user));
	memcpy(org, rs->org, sizeof(org));
	taxii_response_clear(rs);
	memset(rs, 0, sizeof(*rs));
	memcpy(rs->user, user, sizeof(user));
	memcpy(rs->org, org, sizeof(org));
	taxii_error(rs, write ? 500 : 503, write ? "Internal Server Error" : "Service Unavailable",
		    "the audit trail cannot be written%s", write ? "; the request may have taken "
		    "effect: ask again (a repeated POST or DELETE is harmless)" : "");
}
