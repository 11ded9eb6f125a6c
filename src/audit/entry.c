/*
 * entry.c — one audit entry as one line of JSON, and the hash that
 * chains it to the one before.
 *
 * A line is {"seq":N,"ts":"…",…fields…,"prev":"<hex>","hash":"<hex>"}
 * where hash is the BLAKE2b-256 (libsodium's crypto_generichash) of the
 * bytes from "{" up to the end of the prev field, so that a change of any
 * byte before it changes it, and "hash" is always the last field.  Text
 * that a client chose is escaped as the access log escapes it: valid
 * UTF-8 passes, control characters, DEL, C1 controls, the Unicode line
 * separators, backslash and bytes that are not UTF-8 become the text
 * \xHH — no value can end the line or run into the next field, and no
 * two values are written alike.
 */
#include "audit/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/time.h"
#include "util/xalloc.h"

/* The suffix of every line after the hashed part: ,"hash":"<64 hex>"} */
#define HASH_FIELD ",\"hash\":\""
#define SUFFIX_LEN (sizeof(HASH_FIELD) - 1 + 64 + 2)

void audit_list_add(audit_list *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = cc_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = cc_xstrdup(s ? s : "");
}

void audit_list_clear(audit_list *l)
{
	if (!l->v)
		return;
	cc_free_each((void *const *)l->v, l->n);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void audit_set(char **field, const char *s)
{
	free(*field);
	*field = cc_xstrdup(s);
}

void audit_entry_clear(audit_entry *en)
{
	if (!en)
		return;
	CC_FREE_ALL(en->actor, en->login, en->org, en->client, en->action, en->path, en->authz,
		    en->message, en->body);
	audit_list_clear(&en->args);
	audit_list_clear(&en->written);
	audit_list_clear(&en->versioned);
	audit_list_clear(&en->deleted);
	audit_list_clear(&en->read);
	json_decref(en->extra);
	memset(en, 0, sizeof(*en));
}

/* The length of the valid UTF-8 sequence at p (n bytes left) that may
 * pass as it is, else 0 (invalid, or a character escaped anyway). */
static size_t utf8_ok(const unsigned char *p, size_t n)
{
	unsigned cp;
	size_t len, i;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = p[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029)
		return 0;
	return len;
}

/* Printable ASCII but '"' and '\\': the bytes a JSON string holds as they are. */
#define PLAIN4(c) ((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\'), \
	((c) + 1 >= 0x20 && (c) + 1 < 0x7f && (c) + 1 != '"' && (c) + 1 != '\\'), \
	((c) + 2 >= 0x20 && (c) + 2 < 0x7f && (c) + 2 != '"' && (c) + 2 != '\\'), \
	((c) + 3 >= 0x20 && (c) + 3 < 0x7f && (c) + 3 != '"' && (c) + 3 != '\\')
#define PLAIN16(c) PLAIN4(c), PLAIN4((c) + 4), PLAIN4((c) + 8), PLAIN4((c) + 12)
#define PLAIN64(c) PLAIN16(c), PLAIN16((c) + 16), PLAIN16((c) + 32), PLAIN16((c) + 48)
static const bool plain[256] = { PLAIN64(0), PLAIN64(64), PLAIN64(128), PLAIN64(192) };

/* Append s (n bytes) as a JSON string, escaped as the header says (a
 * line is made per request: runs of plain bytes are copied at once). */
static void put_text(cc_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	cc_buf_add(b, "\"", 1);
	while (p < end) {
		const unsigned char *run = p;
		size_t k;

		while (p < end && plain[*p])
			p++;
		if (p > run) {
			cc_buf_add(b, run, (size_t)(p - run));
			continue;
		}
		if (*p == '"') {
			cc_buf_add(b, "\\\"", 2);
			p++;
			continue;
		}
		k = *p >= 0x80 ? utf8_ok(p, (size_t)(end - p)) : 0;
		if (k) {
			cc_buf_add(b, p, k);
			p += k;
			continue;
		}
		{	/* one byte as the text \xHH (its backslash escaped for JSON) */
			char esc[5] = { '\\', '\\', 'x', hex[*p >> 4], hex[*p & 15] };

			cc_buf_add(b, esc, sizeof(esc));
			p++;
		}
	}
	cc_buf_add(b, "\"", 1);
}

static void put_str(cc_buf *b, const char *s)
{
	put_text(b, s, strlen(s));
}

/* ,"key": with key a string literal (its length known when compiled) */
#define KEY(key) ",\"" key "\":"
#define PUT_KEY(b, key) cc_buf_add((b), KEY(key), sizeof(KEY(key)) - 1)

/* v in decimal. */
static void put_digits(cc_buf *b, int64_t v)
{
	char digits[24], *p = digits + sizeof(digits);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	cc_buf_add(b, p, (size_t)(digits + sizeof(digits) - p));
}

/* ,"key":N */
#define PUT_INT(b, key, v) (PUT_KEY(b, key), put_digits((b), (v)))

/* ,"key":"value" when value is set. */
#define FIELD(b, key, value) field((b), KEY(key), sizeof(KEY(key)) - 1, (value))
static void field(cc_buf *b, const char *key, size_t key_len, const char *value)
{
	if (!value)
		return;
	cc_buf_add(b, key, key_len);
	put_str(b, value);
}

/* ,"key":[...] when the list is not empty. */
#define FIELD_LIST(b, key, l) field_list((b), KEY(key), sizeof(KEY(key)) - 1, (l))
static void field_list(cc_buf *b, const char *key, size_t key_len, const audit_list *l)
{
	if (!l->n)
		return;
	cc_buf_add(b, key, key_len);
	cc_buf_add(b, "[", 1);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			cc_buf_add(b, ",", 1);
		put_str(b, l->v[i]);
	}
	cc_buf_add(b, "]", 1);
}

/* The extra fields, in their order, after those above. */
static void field_extra(cc_buf *b, json_t *extra)
{
	const char *key;
	json_t *v;

	json_object_foreach(extra, key, v) {
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		cc_buf_putc(b, ',');
		put_str(b, key);
		cc_buf_putc(b, ':');
		cc_buf_puts(b, text ? text : "null");
		free(text);
	}
}

/* Two hex digits per byte value. */
#define HEX2(c) { "0123456789abcdef"[(c) >> 4], "0123456789abcdef"[(c) & 15] }
#define HEX2x4(c) HEX2(c), HEX2((c) + 1), HEX2((c) + 2), HEX2((c) + 3)
#define HEX2x16(c) HEX2x4(c), HEX2x4((c) + 4), HEX2x4((c) + 8), HEX2x4((c) + 12)
#define HEX2x64(c) HEX2x16(c), HEX2x16((c) + 16), HEX2x16((c) + 32), HEX2x16((c) + 48)
static const char hex2[256][2] = { HEX2x64(0), HEX2x64(64), HEX2x64(128), HEX2x64(192) };

/* The BLAKE2b-256 of data in lower-case hex (by a table of digit pairs:
 * a hash is made per entry). */
static void hash_hex(const char *data, size_t len, char out[AUDIT_HASH_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)data, len, NULL, 0);
	for (size_t i = 0; i < sizeof(h); i++)
		memcpy(out + 2 * i, hex2[h[i]], 2);
	out[64] = '\0';
}

/* Append the line's text of en between seq and prev (each field as
 * ",\"key\":value", ts_us 0: the time now) to out. */
static void put_fields(const audit_entry *en, cc_buf *out)
{
	char ts[CC_TS_MAX];

	cc_ts_format(en->ts_us ? en->ts_us : cc_now_us(), 6, ts);
	FIELD(out, "ts", ts);
	FIELD(out, "actor", en->actor ? en->actor : "-");
	FIELD(out, "login", en->login);
	FIELD(out, "org", en->org);
	FIELD(out, "client", en->client);
	FIELD(out, "action", en->action ? en->action : "-");
	if (en->path && en->path_plain) {	/* nothing to escape: copied */
		PUT_KEY(out, "path");
		cc_buf_add(out, "\"", 1);
		cc_buf_add(out, en->path, strlen(en->path));
		cc_buf_add(out, "\"", 1);
	} else {
		FIELD(out, "path", en->path);
	}
	FIELD_LIST(out, "args", &en->args);
	if (en->status)
		PUT_INT(out, "status", en->status);
	if (en->has_exit)
		PUT_INT(out, "exit", en->exit_code);
	if (en->has_bytes)
		PUT_INT(out, "bytes", en->bytes);
	FIELD_LIST(out, "written", &en->written);
	FIELD_LIST(out, "versioned", &en->versioned);
	FIELD_LIST(out, "deleted", &en->deleted);
	FIELD_LIST(out, "read", &en->read);
	FIELD(out, "authorisation", en->authz);
	FIELD(out, "message", en->message);
	if (en->extra)
		field_extra(out, en->extra);
}

void audit_entry_put(const audit_entry *en, cc_buf *out)
{
	if (en->body)
		cc_buf_add(out, en->body, strlen(en->body));
	else
		put_fields(en, out);
}

void audit_line_make(const audit_entry *en, int64_t seq, const char *prev, cc_buf *out,
		     char hash[AUDIT_HASH_HEX])
{
	size_t start = out->len;

	cc_buf_add(out, "{\"seq\":", 7);
	put_digits(out, seq);
	audit_entry_put(en, out);
	/* prev is a hash in hex, written here: nothing to escape */
	cc_buf_add(out, ",\"prev\":\"", 9);
	cc_buf_add(out, prev, strlen(prev));
	cc_buf_add(out, "\"", 1);
	hash_hex(out->data + start, out->len - start, hash);
}

void audit_line_finish(cc_buf *out, const char hash[AUDIT_HASH_HEX])
{
	cc_buf_add(out, HASH_FIELD, sizeof(HASH_FIELD) - 1);
	cc_buf_add(out, hash, 64);
	cc_buf_add(out, "\"}\n", 3);
}

/* Whether s is 64 lower-case hex digits. */
static bool is_hash(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int audit_line_parse(const char *line, size_t len, audit_line *out, cc_err *e)
{
	char computed[AUDIT_HASH_HEX];
	json_error_t je;
	json_t *o, *seq;
	const char *prev, *hash;

	memset(out, 0, sizeof(*out));
	if (len < SUFFIX_LEN || memcmp(line + len - SUFFIX_LEN, HASH_FIELD, sizeof(HASH_FIELD) - 1) ||
	    memcmp(line + len - 2, "\"}", 2) != 0)
		return cc_err_set(e, CC_ERR, "not an audit entry (no \"hash\" field at its end)");
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		return cc_err_set(e, CC_ERR, "not an audit entry (%s)", je.text);
	}
	seq = json_object_get(o, "seq");
	prev = json_string_value(json_object_get(o, "prev"));
	hash = json_string_value(json_object_get(o, "hash"));
	if (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
	    json_integer_value(seq) > AUDIT_SEQ_MAX || !is_hash(prev) || !is_hash(hash)) {
		json_decref(o);
		return cc_err_set(e, CC_ERR, "not an audit entry (seq, prev or hash missing or bad)");
	}
	out->obj = o;
	out->seq = json_integer_value(seq);
	snprintf(out->prev, sizeof(out->prev), "%s", prev);
	snprintf(out->hash, sizeof(out->hash), "%s", hash);
	out->action = json_string_value(json_object_get(o, "action"));
	hash_hex(line, len - SUFFIX_LEN, computed);
	if (strcmp(computed, hash) != 0)
		return cc_err_set(e, CC_ERR, "its hash does not match its content: the entry was "
				  "changed after it was written");
	return 0;
}

void audit_line_clear(audit_line *l)
{
	if (!l)
		return;
	json_decref(l->obj);
	memset(l, 0, sizeof(*l));
}

void audit_checkpoint_message(int64_t seq, const char *prev, cc_buf *out)
{
	cc_buf_reset(out);
	cc_buf_printf(out, "cybercell audit checkpoint v1\nseq=%lld\nprev=%s\n", (long long)seq,
		      prev);
}
