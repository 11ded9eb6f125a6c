/*
 * obs.c — the STIX observations a log event implies, as the pattern
 * module evaluates them (a JSON object key -> SCO; _ref values are keys),
 * and the SCOs a sighting carries for the values that hit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"
#include "util/uuid.h"

static bool text_is_v6(const char *p, size_t n)
{
	return memchr(p, ':', n) != NULL;
}

static json_t *str(const char *p, size_t n)
{
	json_t *s = json_stringn(p, n);

	return s ? s : json_string("");	/* invalid UTF-8 in a log: empty */
}

static void put_int(json_t *o, const char *k, const char *p, size_t n)
{
	long long v = 0;

	if (n == 0 || n > 18)
		return;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return;
		v = v * 10 + (p[i] - '0');
	}
	json_object_set_new(o, k, json_integer(v));
}

static json_t *child(json_t *o, const char *k)
{
	json_t *c = json_object_get(o, k);

	if (!c) {
		c = json_object();
		json_object_set_new(o, k, c);
	}
	return c;
}

json_t *mt_event_objects(const mt_event *ev)
{
	json_t *objs = json_object();
	json_t *nt = NULL, *file = NULL, *cert = NULL;
	char key[16];
	int nk = 0;
	const char *src_key = NULL, *dst_key = NULL;
	char src_buf[16], dst_buf[16];

	for (size_t i = 0; i < ev->nf; i++) {
		const mt_field *f = &ev->f[i];
		json_t *o = NULL;

		switch (f->kind) {
		case MK_SRC_IP:
		case MK_DST_IP:
		case MK_IP:
			o = json_pack("{s:s,s:o}", "type", text_is_v6(f->p, f->n) ? "ipv6-addr" : "ipv4-addr",
				      "value", str(f->p, f->n));
			snprintf(key, sizeof(key), "%d", nk++);
			if (f->kind == MK_SRC_IP && !src_key)
				src_key = strcpy(src_buf, key);
			if (f->kind == MK_DST_IP && !dst_key)
				dst_key = strcpy(dst_buf, key);
			json_object_set_new(objs, key, o);
			continue;
		case MK_DOMAIN:
		case MK_HOST:
			o = json_pack("{s:s,s:o}", "type", "domain-name", "value", str(f->p, f->n));
			break;
		case MK_URL:
			o = json_pack("{s:s,s:o}", "type", "url", "value", str(f->p, f->n));
			break;
		case MK_EMAIL:
			o = json_pack("{s:s,s:o}", "type", "email-addr", "value", str(f->p, f->n));
			break;
		case MK_MD5: case MK_SHA1: case MK_SHA256: case MK_SHA512: {
			static const char *const alg[] = { "MD5", "SHA-1", "SHA-256", "SHA-512" };

			if (!file)
				file = json_pack("{s:s,s:{}}", "type", "file", "hashes");
			json_object_set_new(json_object_get(file, "hashes"), alg[f->kind - MK_MD5],
					    str(f->p, f->n));
			continue;
		}
		case MK_FILE_NAME:
			if (!file)
				file = json_pack("{s:s,s:{}}", "type", "file", "hashes");
			json_object_set_new(file, "name", str(f->p, f->n));
			continue;
		case MK_X509_SHA1: case MK_X509_SHA256: case MK_X509_SUBJECT:
		case MK_X509_ISSUER: case MK_X509_SERIAL:
			if (!cert)
				cert = json_pack("{s:s}", "type", "x509-certificate");
			if (f->kind == MK_X509_SHA1 || f->kind == MK_X509_SHA256)
				json_object_set_new(child(cert, "hashes"),
						    f->kind == MK_X509_SHA1 ? "SHA-1" : "SHA-256", str(f->p, f->n));
			else
				json_object_set_new(cert, f->kind == MK_X509_SUBJECT ? "subject" :
						    f->kind == MK_X509_ISSUER ? "issuer" : "serial_number",
						    str(f->p, f->n));
			continue;
		case MK_SRC_PORT: case MK_DST_PORT: case MK_PROTO: case MK_UA:
		case MK_HTTP_METHOD: case MK_URI:
			if (!nt)
				nt = json_pack("{s:s}", "type", "network-traffic");
			if (f->kind == MK_SRC_PORT || f->kind == MK_DST_PORT) {
				put_int(nt, f->kind == MK_SRC_PORT ? "src_port" : "dst_port", f->p, f->n);
			} else if (f->kind == MK_PROTO) {
				char lo[32];
				size_t n = f->n < sizeof(lo) ? f->n : sizeof(lo) - 1;

				for (size_t j = 0; j < n; j++)
					lo[j] = (char)(f->p[j] >= 'A' && f->p[j] <= 'Z' ? f->p[j] + 32 : f->p[j]);
				json_object_set_new(nt, "protocols", json_pack("[o]", str(lo, n)));
			} else {
				json_t *h = child(child(nt, "extensions"), "http-request-ext");

				if (f->kind == MK_UA)
					json_object_set_new(child(h, "request_header"), "User-Agent",
							    str(f->p, f->n));
				else
					json_object_set_new(h, f->kind == MK_URI ? "request_value" :
							    "request_method", str(f->p, f->n));
			}
			continue;
		default:
			continue;
		}
		if (o) {
			snprintf(key, sizeof(key), "%d", nk++);
			json_object_set_new(objs, key, o);
		}
	}
	if (src_key || dst_key) {
		if (!nt)
			nt = json_pack("{s:s}", "type", "network-traffic");
		if (src_key)
			json_object_set_new(nt, "src_ref", json_string(src_key));
		if (dst_key)
			json_object_set_new(nt, "dst_ref", json_string(dst_key));
	}
	if (nt) {
		snprintf(key, sizeof(key), "%d", nk++);
		json_object_set_new(objs, key, nt);
	}
	if (file) {
		snprintf(key, sizeof(key), "%d", nk++);
		json_object_set_new(objs, key, file);
	}
	if (cert) {
		snprintf(key, sizeof(key), "%d", nk++);
		json_object_set_new(objs, key, cert);
	}
	return objs;
}

/* ---- SCOs for sightings ---- */

/* A deterministic SCO id from its id-contributing properties. */
static void sco_id(json_t *sco, const char *type, json_t *contrib)
{
	char *s = json_dumps(contrib, JSON_COMPACT | JSON_SORT_KEYS);
	char u[CC_UUID_STR], id[128];

	cc_uuid5(cc_uuid_ns_stix, s ? s : "", s ? strlen(s) : 0, u);
	free(s);
	snprintf(id, sizeof(id), "%s--%s", type, u);
	json_object_set_new(sco, "id", json_string(id));
}

json_t *mt_value_sco(const char *path, const char *value)
{
	json_t *sco = NULL, *c;
	const char *type;

	if (!strncmp(path, "ipv4-addr:", 10) || !strncmp(path, "ipv6-addr:", 10) ||
	    !strncmp(path, "network-traffic:src_ref", 23) || !strncmp(path, "network-traffic:dst_ref", 23))
		type = strchr(value, ':') ? "ipv6-addr" : "ipv4-addr";
	else if (!strncmp(path, "domain-name:", 12))
		type = "domain-name";
	else if (!strncmp(path, "url:", 4))
		type = "url";
	else if (!strncmp(path, "email-addr:", 11))
		type = "email-addr";
	else if (!strncmp(path, "file:hashes.", 12) || !strncmp(path, "x509-certificate:hashes.", 24)) {
		const char *alg = strchr(path, '.') + 1;
		char a[16];
		size_t n;

		if (*alg == '\'')
			alg++;
		n = strcspn(alg, "'");
		if (n >= sizeof(a))
			return NULL;
		memcpy(a, alg, n);
		a[n] = '\0';
		char hex[MT_NORM_MAX];
		int hn = mt_norm(MK_HASH_ANY, value, strlen(value), hex);

		if (hn <= 0)
			return NULL;
		type = path[0] == 'f' ? "file" : "x509-certificate";
		sco = json_pack("{s:s,s:s,s:{s:s%}}", "type", type, "spec_version", "2.1", "hashes", a,
				hex, (size_t)hn);
		if (!sco)
			return NULL;
		c = json_pack("{s:O}", "hashes", json_object_get(sco, "hashes"));
		sco_id(sco, type, c);
		json_decref(c);
		return sco;
	} else if (!strcmp(path, "file:name")) {
		sco = json_pack("{s:s,s:s,s:s}", "type", "file", "spec_version", "2.1", "name", value);
		if (!sco)
			return NULL;
		c = json_pack("{s:s}", "name", value);
		sco_id(sco, "file", c);
		json_decref(c);
		return sco;
	} else {
		return NULL;
	}
	sco = json_pack("{s:s,s:s,s:s}", "type", type, "spec_version", "2.1", "value", value);
	if (!sco)
		return NULL;
	c = json_pack("{s:s}", "value", value);
	sco_id(sco, type, c);
	json_decref(c);
	return sco;
}
