/*
 * rd_json.c — Zeek JSON and Suricata EVE lines, read with a small
 * allocation-free JSON walker: it checks the syntax and hands each scalar
 * to the reader with the chain of keys above it; values stay in the line
 * (escaped strings are flagged and resolved only if they are kept).
 */
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"

#define JW_DEPTH 8

typedef struct jw {
	const char *p, *end;
	int depth;                       /* objects open */
	int nest;                        /* objects and arrays open */
	const char *key[JW_DEPTH];       /* key of each open level */
	uint32_t klen[JW_DEPTH];
	mt_event *ev;
	mt_reader *r;
	void *ud;                        /* the indicator reader's output */
	void (*scalar)(struct jw *w, const char *v, size_t n, bool str, bool esc);
	void (*lit)(struct jw *w);       /* at true/false/null, may be NULL */
} jw;

static inline void ws(jw *w)
{
	while (w->p < w->end && (*w->p == ' ' || *w->p == '\t' || *w->p == '\r' || *w->p == '\n'))
		w->p++;
}

/* At an opening quote: advance past the string; *esc when it has escapes. */
static bool jstring(jw *w, const char **s, size_t *n, bool *esc)
{
	const char *p = w->p + 1;

	*esc = false;
	while (p < w->end) {
		unsigned char c = (unsigned char)*p;

		if (c == '"') {
			*s = w->p + 1;
			*n = (size_t)(p - *s);
			w->p = p + 1;
			return true;
		}
		if (c == '\\') {
			*esc = true;
			p += 2;
			continue;
		}
		if (c < 0x20)
			return false;
		p++;
	}
	return false;
}

static bool jvalue(jw *w, int level);

static bool jscalar(jw *w, int level)
{
	const char *s = w->p;

	if (*w->p == '"') {
		const char *v;
		size_t n;
		bool esc;

		if (!jstring(w, &v, &n, &esc))
			return false;
		if (level > 0)
			w->scalar(w, v, n, true, esc);
		return true;
	}
	if (*w->p == '-' || (*w->p >= '0' && *w->p <= '9')) {
		w->p++;
		while (w->p < w->end && ((*w->p >= '0' && *w->p <= '9') || *w->p == '.' ||
					  *w->p == 'e' || *w->p == 'E' || *w->p == '+' || *w->p == '-'))
			w->p++;
		if (level > 0)
			w->scalar(w, s, (size_t)(w->p - s), false, false);
		return true;
	}
	if (w->lit && level > 0)
		w->lit(w);
	if (w->end - w->p >= 4 && (!memcmp(w->p, "true", 4) || !memcmp(w->p, "null", 4))) {
		w->p += 4;
		return true;
	}
	if (w->end - w->p >= 5 && !memcmp(w->p, "false", 5)) {
		w->p += 5;
		return true;
	}
	return false;
}

static bool jobject(jw *w, int level)
{
	w->p++;
	ws(w);
	if (w->p < w->end && *w->p == '}') {
		w->p++;
		return true;
	}
	for (;;) {
		const char *k;
		size_t kn;
		bool esc;

		ws(w);
		if (w->p >= w->end || *w->p != '"' || !jstring(w, &k, &kn, &esc))
			return false;
		if (level < JW_DEPTH) {
			w->key[level] = k;
			w->klen[level] = (uint32_t)kn;
		}
		ws(w);
		if (w->p >= w->end || *w->p != ':')
			return false;
		w->p++;
		ws(w);
		w->depth = level + 1;
		if (!jvalue(w, level + 1))
			return false;
		ws(w);
		if (w->p >= w->end)
			return false;
		if (*w->p == '}') {
			w->p++;
			return true;
		}
		if (*w->p != ',')
			return false;
		w->p++;
	}
}

static bool jarray(jw *w, int level)
{
	w->p++;
	ws(w);
	if (w->p < w->end && *w->p == ']') {
		w->p++;
		return true;
	}
	for (;;) {
		ws(w);
		w->depth = level;
		if (!jvalue(w, level))
			return false;
		ws(w);
		if (w->p >= w->end)
			return false;
		if (*w->p == ']') {
			w->p++;
			return true;
		}
		if (*w->p != ',')
			return false;
		w->p++;
	}
}

static bool jvalue(jw *w, int level)
{
	bool ok;

	if (w->p >= w->end)
		return false;
	if (*w->p == '{' || *w->p == '[') {
		if (++w->nest > 64)
			return false;
		ok = *w->p == '{' ? jobject(w, level) : jarray(w, level);
		w->nest--;
		return ok;
	}
	w->depth = level;
	return jscalar(w, level);
}

static bool keyis(const jw *w, int i, const char *k)
{
	size_t n = strlen(k);

	return w->klen[i] == n && memcmp(w->key[i], k, n) == 0;
}

/* Walk a line that must be one JSON object. */
static int walk(jw *w, const char *line, size_t n, const char **why)
{
	w->p = line;
	w->end = line + n;
	ws(w);
	if (w->p >= w->end)
		return 0;
	if (*w->p != '{') {
		*why = "not a JSON object";
		return -1;
	}
	if (!jobject(w, 0)) {
		*why = "bad JSON";
		return -1;
	}
	ws(w);
	if (w->p != w->end) {
		*why = "text after the JSON object";
		return -1;
	}
	return 1;
}

/* ---- Zeek JSON: flat keys named like the TSV columns ---- */

static void zeekjson_scalar(jw *w, const char *v, size_t n, bool str, bool esc)
{
	mt_kind k;

	if (w->depth != 1)
		return;
	if (keyis(w, 0, "ts")) {
		mt_event_set_ts(w->ev, v, n);
		return;
	}
	k = mt_kind_of_column(w->key[0], w->klen[0]);
	if (k != MK_NONE && (w->r->need >> k & 1))
		mt_event_add(w->ev, k, v, n, esc ? MT_F_ESCAPED : 0);
	(void)str;
}

int mt_zeekjson_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why)
{
	jw w = { .ev = ev, .r = r, .scalar = zeekjson_scalar };

	return walk(&w, line, n, why);
}

/* ---- Suricata EVE ---- */

static void eve_scalar(jw *w, const char *v, size_t n, bool str, bool esc)
{
	mt_kind k = MK_NONE;
	unsigned fl = esc ? MT_F_ESCAPED : 0;
	int d = w->depth > JW_DEPTH ? JW_DEPTH : w->depth;

	if (d == 2 && !str && keyis(w, 1, "tx_id") && !w->ev->tx_p) {
		w->ev->tx_p = v;        /* fileinfo.tx_id, dns.tx_id of older Suricatas */
		w->ev->tx_n = (uint32_t)n;
		return;
	}
	if (d == 1) {
		const char *key = w->key[0];

		switch (w->klen[0]) {
		case 9:
			if (!memcmp(key, "timestamp", 9)) {
				mt_event_set_ts(w->ev, v, n);
				return;
			}
			if (!memcmp(key, "dest_port", 9))
				k = MK_DST_PORT;
			break;
		case 6:
			if (!memcmp(key, "src_ip", 6))
				k = MK_SRC_IP;
			break;
		case 7:
			if (!memcmp(key, "dest_ip", 7)) {
				k = MK_DST_IP;
			} else if (!memcmp(key, "flow_id", 7)) {
				w->ev->flow_p = v;
				w->ev->flow_n = (uint32_t)n;
				return;
			}
			break;
		case 8:
			if (!memcmp(key, "src_port", 8))
				k = MK_SRC_PORT;
			break;
		case 5:
			if (!memcmp(key, "proto", 5)) {
				k = MK_PROTO;
			} else if (!memcmp(key, "tx_id", 5)) {
				w->ev->tx_p = v;
				w->ev->tx_n = (uint32_t)n;
				return;
			}
			break;
		}
		if (k != MK_NONE && (w->r->need >> k & 1))
			mt_event_add(w->ev, k, v, n, fl);
		return;
	}
	if (!str || d < 2)
		return;
	if (keyis(w, 0, "dns")) {
		if (keyis(w, d - 1, "rrname"))
			k = MK_DOMAIN;
		else if (keyis(w, d - 1, "rdata") || (d >= 3 && keyis(w, 1, "grouped")))
			k = MK_ANSWER;
	} else if (keyis(w, 0, "http") && d == 2) {
		if (keyis(w, 1, "hostname"))
			k = MK_HOST;
		else if (keyis(w, 1, "url"))
			k = MK_URI;
		else if (keyis(w, 1, "http_user_agent"))
			k = MK_UA;
		else if (keyis(w, 1, "http_method"))
			k = MK_HTTP_METHOD;
	} else if (keyis(w, 0, "tls") && d == 2) {
		if (keyis(w, 1, "sni"))
			k = MK_DOMAIN;
		else if (keyis(w, 1, "subject"))
			k = MK_X509_SUBJECT;
		else if (keyis(w, 1, "issuerdn"))
			k = MK_X509_ISSUER;
		else if (keyis(w, 1, "fingerprint"))
			k = MK_X509_SHA1;
		else if (keyis(w, 1, "serial"))
			k = MK_X509_SERIAL;
	} else if (keyis(w, 0, "fileinfo") && d == 2) {
		if (keyis(w, 1, "md5"))
			k = MK_MD5;
		else if (keyis(w, 1, "sha1"))
			k = MK_SHA1;
		else if (keyis(w, 1, "sha256"))
			k = MK_SHA256;
		else if (keyis(w, 1, "filename"))
			k = MK_FILE_NAME;
	} else if ((keyis(w, 0, "email") || keyis(w, 0, "smtp")) && d == 2) {
		if (keyis(w, 1, "from") || keyis(w, 1, "to") || keyis(w, 1, "cc") ||
		    keyis(w, 1, "mail_from") || keyis(w, 1, "rcpt_to"))
			k = MK_EMAIL;
	}
	if (k != MK_NONE && (w->r->need >> k & 1))
		mt_event_add(w->ev, k, v, n, fl);
}

/* One transaction is one observation: Suricata writes an http, an alert
 * and a fileinfo record (and a dns query and its answer) for the same
 * transaction, with the same flow_id and tx_id.  Records with a flow_id
 * and no tx_id (flow, netflow, anomaly) are one observation per flow and
 * time stamp; records without a flow_id are each their own. */
int mt_eve_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why)
{
	jw w = { .ev = ev, .r = r, .scalar = eve_scalar };
	int rc = walk(&w, line, n, why);

	if (rc == 1 && ev->flow_p) {
		uint64_t k = mt_hash(ev->flow_p, ev->flow_n, 0x6576);

		if (ev->tx_p)
			k = mt_hash(ev->tx_p, ev->tx_n, k);
		else if (ev->ts_p)
			k = mt_hash(ev->ts_p, ev->ts_n, k ^ 1);
		ev->obs_key = k ? k : 1;
	}
	return rc;
}

/* ---- Elastic Common Schema (Filebeat, Elastic Agent) ---- */

/* ECS fields and what they are, sorted by path for bsearch.  Nested
 * objects ({"source": {"ip": ...}}) and dotted keys ({"source.ip": ...})
 * give the same path. */
static const struct ecs_field { const char *path; mt_kind k; } ecs_fields[] = {
	{ "client.domain", MK_DOMAIN }, { "client.ip", MK_SRC_IP },
	{ "client.port", MK_SRC_PORT }, { "destination.domain", MK_DOMAIN },
	{ "destination.ip", MK_DST_IP }, { "destination.port", MK_DST_PORT },
	{ "dns.answers.data", MK_ANSWER }, { "dns.question.name", MK_DOMAIN },
	{ "dns.resolved_ip", MK_IP }, { "email.cc.address", MK_EMAIL },
	{ "email.from.address", MK_EMAIL }, { "email.reply_to.address", MK_EMAIL },
	{ "email.sender.address", MK_EMAIL }, { "email.to.address", MK_EMAIL },
	{ "file.hash.md5", MK_MD5 }, { "file.hash.sha1", MK_SHA1 },
	{ "file.hash.sha256", MK_SHA256 }, { "file.hash.sha512", MK_SHA512 },
	{ "file.name", MK_FILE_NAME }, { "http.request.method", MK_HTTP_METHOD },
	{ "network.transport", MK_PROTO }, { "server.domain", MK_DOMAIN },
	{ "server.ip", MK_DST_IP }, { "server.port", MK_DST_PORT },
	{ "source.domain", MK_DOMAIN }, { "source.ip", MK_SRC_IP },
	{ "source.port", MK_SRC_PORT }, { "tls.client.server_name", MK_DOMAIN },
	{ "tls.server.hash.sha1", MK_X509_SHA1 }, { "tls.server.hash.sha256", MK_X509_SHA256 },
	{ "tls.server.issuer", MK_X509_ISSUER }, { "tls.server.subject", MK_X509_SUBJECT },
	{ "tls.server.x509.issuer.distinguished_name", MK_X509_ISSUER },
	{ "tls.server.x509.serial_number", MK_X509_SERIAL },
	{ "tls.server.x509.subject.distinguished_name", MK_X509_SUBJECT },
	{ "url.domain", MK_DOMAIN }, { "url.full", MK_URL }, { "url.original", MK_URL },
	{ "user_agent.original", MK_UA },
};

static int ecs_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct ecs_field *)e)->path);
}

static void ecs_scalar(jw *w, const char *v, size_t n, bool str, bool esc)
{
	char path[64];
	size_t pl = 0;
	int d = w->depth > JW_DEPTH ? JW_DEPTH : w->depth;
	const struct ecs_field *f;

	for (int i = 0; i < d; i++) {
		if (pl + w->klen[i] + 2 > sizeof(path))
			return;
		if (i)
			path[pl++] = '.';
		memcpy(path + pl, w->key[i], w->klen[i]);
		pl += w->klen[i];
	}
	path[pl] = '\0';
	if (!strcmp(path, "@timestamp")) {
		mt_event_set_ts(w->ev, v, n);
		return;
	}
	f = bsearch(path, ecs_fields, sizeof(ecs_fields) / sizeof(ecs_fields[0]), sizeof(*f), ecs_cmp);
	if (!f || !(w->r->need >> f->k & 1))
		return;
	/* url.original is often only the request's path: a URL needs a scheme */
	if (f->k == MK_URL && !memmem(v, n, "://", 3))
		return;
	if (str || f->k == MK_SRC_PORT || f->k == MK_DST_PORT)
		mt_event_add(w->ev, f->k, v, n, esc ? MT_F_ESCAPED : 0);
}

int mt_ecs_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why)
{
	jw w = { .ev = ev, .r = r, .scalar = ecs_scalar };

	return walk(&w, line, n, why);
}

typedef struct flavour { bool eve, ecs; } flavour;

static void flavour_scalar(jw *w, const char *v, size_t n, bool str, bool esc)
{
	flavour *f = w->ud;

	(void)v, (void)n, (void)str, (void)esc;
	if (w->depth == 1 && keyis(w, 0, "event_type"))
		f->eve = true;
	else if (keyis(w, 0, "@timestamp") || keyis(w, 0, "ecs") ||
		 (w->klen[0] > 4 && !memcmp(w->key[0], "ecs.", 4)))
		f->ecs = true;
}

match_format mt_json_flavour(const char *line, size_t n)
{
	flavour f = { false, false };
	jw w = { .scalar = flavour_scalar, .ud = &f };
	const char *why;

	if (walk(&w, line, n, &why) != 1) {     /* a bad first line: guess */
		f.eve = memmem(line, n, "\"event_type\"", 12) != NULL;
		f.ecs = memmem(line, n, "\"@timestamp\"", 12) != NULL;
	}
	return f.eve ? MATCH_FMT_EVE : f.ecs ? MATCH_FMT_ECS : MATCH_FMT_ZEEKJSON;
}

/* ---- indicator fields straight from the text ---- */

static void ind_scalar(jw *w, const char *v, size_t n, bool str, bool esc)
{
	mt_ind_text *t = w->ud;
	static const char *const keys[MT_IF_COUNT] = {
		[MT_IF_TYPE] = "type", [MT_IF_ID] = "id", [MT_IF_NAME] = "name",
		[MT_IF_PATTERN] = "pattern", [MT_IF_PATTERN_TYPE] = "pattern_type",
		[MT_IF_VALID_FROM] = "valid_from", [MT_IF_VALID_UNTIL] = "valid_until",
	};

	if (w->depth != 1)
		return;
	if (!str)
		return;
	for (int i = 0; i < MT_IF_COUNT; i++)
		if (keyis(w, 0, keys[i])) {
			t->v[i] = v;
			t->n[i] = n;
			t->esc[i] = esc;
			return;
		}
}

static void ind_lit(jw *w)
{
	/* "revoked": true is the one literal that matters */
	mt_ind_text *t = w->ud;

	if (w->depth == 1 && keyis(w, 0, "revoked") && w->p + 4 <= w->end && !memcmp(w->p, "true", 4))
		t->revoked = true;
}

int mt_ind_text_parse(const char *p, size_t n, mt_ind_text *out)
{
	jw w = { .scalar = ind_scalar };
	const char *why;

	memset(out, 0, sizeof(*out));
	w.ud = out;
	w.lit = ind_lit;
	return walk(&w, p, n, &why) == 1 ? 0 : -1;
}
