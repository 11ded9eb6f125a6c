/*
 * fuzz_taxii.c — the TAXII request path without sockets: method, URL,
 * query string, headers and body go through taxii_handle against a store
 * holding one organisation, user, collection and grant.
 *
 * Input: line 1 the method, line 2 the path with an optional ?query, then
 * "Name: value" header lines up to an empty line, then the body.  The user
 * "u" has password "pw" (Authorization: Basic dTpwdw==); the collection id
 * is 11111111-2222-4333-8444-555555555555.  The query becomes arguments as
 * the server gets them from libmicrohttpd (split at '&' and the first '=',
 * '+' a space, MHD_http_unescape), which also go to taxii_filter_parse
 * directly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "store/store.h"
#include "taxii/taxii.h"

static store *g_store;
static taxii_ctx *g_ctx;
static taxii_memo *g_memo;      /* kept across inputs, as a server thread keeps it */

static void setup(void)
{
	char path[64], hash[crypto_pwhash_STRBYTES];
	store_org o = { 0 };
	store_collection c = { 0 };
	store_grant g;
	taxii_config cfg = { "api1", 1 << 20, NULL, 0, NULL };

	snprintf(path, sizeof(path), "/tmp/fuzz_taxii-%d.db", (int)getpid());
	unlink(path);
	if (sodium_init() < 0 || store_open(path, &g_store, NULL) != 0)
		abort();
	/* cheap argon2 parameters: the verifier reads them from the hash */
	if (crypto_pwhash_str(hash, "pw", 2, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) ||
	    store_org_add(g_store, "o", &o, NULL) ||
	    store_user_add(g_store, "u", o.id, hash, NULL) ||
	    store_collection_add(g_store, "c", "C", NULL, "11111111-2222-4333-8444-555555555555", &c, NULL))
		abort();
	g.org_id = o.id;
	g.collection_id = c.id;
	g.can_read = g.can_write = true;
	g.max_tlp = STORE_TLP_AMBER;
	if (store_grant_set(g_store, &g, NULL))
		abort();
	store_org_clear(&o);
	store_collection_clear(&c);
	g_ctx = taxii_ctx_new(&cfg);
	if (!g_ctx)
		abort();
}

/* Next line of [*p, end) as a new string (without the newline). */
static char *next_line(const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *e = nl ? nl : end;
	char *s = strndup(*p, (size_t)(e - *p));

	*p = nl ? nl + 1 : end;
	return s;
}

#define MAX_ARGS 64    /* as many as the server takes */

/* Split query q (modified in place) into args as libmicrohttpd does for the
 * server: '&'-separated, key and value at the first '=' (no '=': NULL
 * value), '+' a space, percent-decoded.  Returns how many. */
static size_t split_query(char *q, taxii_arg *args)
{
	size_t n = 0;

	while (q && *q && n < MAX_ARGS) {
		char *amp = strchr(q, '&'), *eq, *p;

		if (amp)
			*amp = 0;
		for (p = q; *p; p++)
			if (*p == '+')
				*p = ' ';
		eq = strchr(q, '=');
		if (eq)
			*eq++ = 0;
		MHD_http_unescape(q);
		if (eq)
			MHD_http_unescape(eq);
		args[n].key = q;
		args[n].value = eq;
		n++;
		q = amp ? amp + 1 : NULL;
	}
	return n;
}

/* taxii_filter_parse on its own: a failure leaves nothing behind. */
static void check_filters(const taxii_arg *args, size_t n)
{
	taxii_filter f;
	cc_err e;

	if (taxii_filter_parse(args, n, &f, &e) != 0) {
		if (f.ids || f.types || f.specs || f.version_us || f.n_ids || f.limit || !e.msg[0])
			abort();
		return;
	}
	if (f.limit > 1000000000 || f.next_us < 0 || f.added_after_us < 0)
		abort();
	taxii_filter_clear(&f);
}

/* Answer rq through the memo; a GET must get what a fresh handler answers. */
static void handle(const taxii_request *rq)
{
	taxii_response rs;

	if (!g_memo)
		g_memo = taxii_memo_new();
	taxii_handle_memo(g_ctx, g_store, g_memo, rq, &rs);
	if (rs.status < 200 || rs.status > 599)
		abort();
	if (strcmp(rq->method, "GET") == 0) {
		taxii_response fresh;
		size_t n1, n2;
		const char *b1 = taxii_response_body(&rs, &n1);
		const char *b2;

		taxii_handle(g_ctx, g_store, rq, &fresh);
		b2 = taxii_response_body(&fresh, &n2);
		if (fresh.status != rs.status || n1 != n2 || (n1 && memcmp(b1, b2, n1) != 0))
			abort();
		taxii_response_clear(&fresh);
	}
	taxii_response_clear(&rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char *method, *url, *hdrs[16] = { 0 }, *q;
	size_t nh = 0, na, i;
	taxii_arg args[MAX_ARGS];
	taxii_request rq;

	if (!g_store)
		setup();
	memset(&rq, 0, sizeof(rq));
	method = next_line(&p, end);
	url = next_line(&p, end);
	while (p < end && nh < 16) {
		char *h = next_line(&p, end), *colon;

		if (!*h) {
			free(h);
			break;
		}
		hdrs[nh++] = h;
		colon = strchr(h, ':');
		if (!colon)
			continue;
		*colon = 0;
		for (colon++; *colon == ' '; colon++)
			;
		if (!strcasecmp(h, "accept"))
			rq.accept = colon;
		else if (!strcasecmp(h, "content-type"))
			rq.content_type = colon;
		else if (!strcasecmp(h, "authorization"))
			rq.authorization = colon;
		else if (!strcasecmp(h, "host"))
			rq.host = colon;
	}
	q = strchr(url, '?');
	if (q)
		*q++ = 0;
	na = split_query(q, args);
	check_filters(args, na);
	rq.method = method;
	rq.path = url;
	rq.args = args;
	rq.n_args = na;
	rq.tls = true;
	rq.body = p;
	rq.body_len = (size_t)(end - p);
	handle(&rq);
	for (i = 0; i < nh; i++)
		free(hdrs[i]);
	free(method);
	free(url);
	return 0;
}
