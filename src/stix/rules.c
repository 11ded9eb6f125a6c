/*
 * rules.c — the STIX 2.1 rules that involve several properties of one
 * object ("one of A or B MUST be present", "last_seen >= first_seen", TLP
 * marking definitions, indicator patterns), called after the property
 * table of the type has been checked.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stix/stix.h"
#include "stix/stix_int.h"
#include "pattern/pattern.h"

static bool has(const json_t *obj, const char *prop)
{
	return json_object_get(obj, prop) != NULL;
}

static const char *str(const json_t *obj, const char *prop)
{
	return json_string_value(json_object_get(obj, prop));
}

/* Whether s matches prefix followed by digits, with min_digits at least. */
static bool prefix_digits(const char *s, const char *prefix, size_t min_digits)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return false;
	s += n;
	n = strspn(s, "0123456789");
	return s[n] == '\0' && n >= min_digits;
}

void stix_rule_external_reference(stix_vctx *v, const json_t *obj)
{
	const char *src = str(obj, "source_name");
	const char *eid = str(obj, "external_id");

	if (!has(obj, "description") && !has(obj, "url") && !has(obj, "external_id"))
		stix_problem(v, NULL, "needs one of description, url or external_id");
	if (!src)
		return;
	if (strcmp(src, "cve") == 0) {
		/* CVE-YYYY-NNNN with at least four digits after the year */
		if (!eid || strlen(eid) < 13 || strncmp(eid, "CVE-", 4) != 0 ||
		    strspn(eid + 4, "0123456789") != 4 || eid[8] != '-' ||
		    !prefix_digits(eid + 9, "", 4))
			stix_problem(v, "external_id", "not a CVE identifier");
	} else if (strcmp(src, "capec") == 0) {
		if (!eid || !prefix_digits(eid, "CAPEC-", 1))
			stix_problem(v, "external_id", "not a CAPEC identifier");
	}
}

void stix_rule_granular_marking(stix_vctx *v, const json_t *obj)
{
	if (has(obj, "lang") == has(obj, "marking_ref"))
		stix_problem(v, NULL, "needs exactly one of lang or marking_ref");
}

void stix_rule_mime_part(stix_vctx *v, const json_t *obj)
{
	if (has(obj, "body") == has(obj, "body_raw_ref"))
		stix_problem(v, NULL, "needs exactly one of body or body_raw_ref");
}

void stix_rule_artifact(stix_vctx *v, const json_t *obj)
{
	if (has(obj, "payload_bin") && has(obj, "url"))
		stix_problem(v, "url", "must not be present with payload_bin");
	if (has(obj, "url") && !has(obj, "hashes"))
		stix_problem(v, "hashes", "required when url is present");
}

void stix_rule_seen(stix_vctx *v, const json_t *obj)
{
	stix_check_order(v, obj, "first_seen", "last_seen", false);
}

void stix_rule_email_message(stix_vctx *v, const json_t *obj)
{
	const json_t *mp = json_object_get(obj, "is_multipart");

	if (json_is_true(mp) && has(obj, "body"))
		stix_problem(v, "body", "must not be present when is_multipart is true");
	if (json_is_false(mp) && has(obj, "body_multipart"))
		stix_problem(v, "body_multipart",
			     "must not be present when is_multipart is false");
}

void stix_rule_file(stix_vctx *v, const json_t *obj)
{
	if (!has(obj, "hashes") && !has(obj, "name"))
		stix_problem(v, NULL, "a file needs hashes or name");
}

/* Report a pattern error as "pattern: <where>: <what>". */
static void check_stix_pattern(stix_vctx *v, const char *src)
{
	cc_err e = { 0 };
	pattern *p = pattern_parse(src, &e);

	if (!p) {
		const char *msg = e.msg;

		if (strncmp(msg, "pattern:", 8) == 0)
			msg += 8;
		stix_problem(v, "pattern", "invalid STIX pattern: %s", msg);
		return;
	}
	pattern_free(p);
}

void stix_rule_indicator(stix_vctx *v, const json_t *obj)
{
	const char *pt = str(obj, "pattern_type");
	const char *src = str(obj, "pattern");

	stix_check_order(v, obj, "valid_from", "valid_until", true);
	if (pt && src && strcmp(pt, "stix") == 0)
		check_stix_pattern(v, src);
}

void stix_rule_location(stix_vctx *v, const json_t *obj)
{
	bool lat = has(obj, "latitude"), lon = has(obj, "longitude");

	if (!has(obj, "region") && !has(obj, "country") && !(lat && lon))
		stix_problem(v, NULL, "a location needs region, country, or "
			     "latitude and longitude");
	if (lat != lon)
		stix_problem(v, lat ? "longitude" : "latitude",
			     "required with %s", lat ? "latitude" : "longitude");
	if (has(obj, "precision") && !(lat && lon))
		stix_problem(v, "precision", "requires latitude and longitude");
}

void stix_rule_malware(stix_vctx *v, const json_t *obj)
{
	if (json_is_true(json_object_get(obj, "is_family")) && !has(obj, "name"))
		stix_problem(v, "name", "required when is_family is true");
	stix_rule_seen(v, obj);
}

void stix_rule_malware_analysis(stix_vctx *v, const json_t *obj)
{
	if (!has(obj, "result") && !has(obj, "analysis_sco_refs"))
		stix_problem(v, NULL, "needs result or analysis_sco_refs");
	stix_check_order(v, obj, "analysis_started", "analysis_ended", false);
}

/* The TLP 2.0 marking definitions (extension STIX_TLP2_EXT). */
static void check_tlp2(stix_vctx *v, const json_t *obj, const char *id)
{
	const json_t *ext = json_object_get(json_object_get(obj, "extensions"),
					    STIX_TLP2_EXT);
	const char *lvl = str(ext, "tlp_2_0");
	int version = 0, by_id = id ? stix_tlp_id_level(id, &version) : -1;
	int by_ext = stix_tlp_parse_name(lvl);

	if (!ext) {
		if (version == 2)
			stix_problem(v, "extensions", "a TLP 2.0 marking needs the "
				     "TLP 2.0 extension");
		return;
	}
	if (!lvl || by_ext < 0 || strcmp(lvl, "white") == 0) {
		stix_problem(v, "extensions." STIX_TLP2_EXT ".tlp_2_0",
			     "not a TLP 2.0 level");
		return;
	}
	if (id && (version != 2 || by_id != by_ext))
		stix_problem(v, "id", "TLP:%s must use id %s", lvl,
			     stix_tlp_marking_id(by_ext));
}

/* TLP 1.0 (definition_type "tlp") and statement markings. */
static void check_definition(stix_vctx *v, const json_t *obj, const char *id)
{
	const char *dt = str(obj, "definition_type");
	const json_t *def = json_object_get(obj, "definition");

	if (has(obj, "definition_type") != (def != NULL)) {
		stix_problem(v, def ? "definition_type" : "definition",
			     "definition and definition_type go together");
		return;
	}
	if (!dt || !json_is_object(def))
		return;
	if (strcmp(dt, "tlp") == 0) {
		const char *tlp = str(def, "tlp");
		int l = -1;

		if (tlp && (strcmp(tlp, "white") == 0 || strcmp(tlp, "green") == 0 ||
			    strcmp(tlp, "amber") == 0 || strcmp(tlp, "red") == 0))
			l = stix_tlp_parse_name(tlp);
		if (l < 0)
			stix_problem(v, "definition.tlp", "not a TLP 1.0 level "
				     "(white, green, amber, red)");
		else if (id && strcmp(id, stix_tlp1_marking_id(l)) != 0)
			stix_problem(v, "id", "TLP:%s must use id %s", tlp,
				     stix_tlp1_marking_id(l));
	} else if (strcmp(dt, "statement") == 0) {
		if (!json_is_string(json_object_get(def, "statement")))
			stix_problem(v, "definition.statement",
				     "required string missing");
	}
}

void stix_rule_marking(stix_vctx *v, const json_t *obj)
{
	const char *id = str(obj, "id");

	if (!has(obj, "definition_type") && !has(obj, "extensions"))
		stix_problem(v, NULL, "a marking definition needs definition_type "
			     "and definition, or extensions");
	check_definition(v, obj, id);
	check_tlp2(v, obj, id);
}

void stix_rule_network_traffic(stix_vctx *v, const json_t *obj)
{
	if (!has(obj, "src_ref") && !has(obj, "dst_ref"))
		stix_problem(v, NULL, "needs src_ref or dst_ref");
	if (json_is_true(json_object_get(obj, "is_active")) && has(obj, "end"))
		stix_problem(v, "end", "must not be present when is_active is true");
	stix_check_order(v, obj, "start", "end", false);
}

void stix_rule_observed_data(stix_vctx *v, const json_t *obj)
{
	if (has(obj, "objects") == has(obj, "object_refs"))
		stix_problem(v, "object_refs", has(obj, "objects") ?
			     "must not be present with objects" :
			     "required property missing");
	stix_check_order(v, obj, "first_observed", "last_observed", false);
}

void stix_rule_at_least_one(stix_vctx *v, const json_t *obj)
{
	static const char *const base[] = { "type", "id", "spec_version",
		"object_marking_refs", "granular_markings", "defanged", NULL };
	const char *k;
	const json_t *x;

	json_object_foreach((json_t *)obj, k, x) {
		size_t i = 0;

		while (base[i] && strcmp(base[i], k) != 0)
			i++;
		if (!base[i])
			return;
	}
	stix_problem(v, NULL, "needs at least one property besides the common ones");
}

void stix_rule_relationship(stix_vctx *v, const json_t *obj)
{
	const char *rt = str(obj, "relationship_type");

	if (rt && (rt[0] == '\0' ||
		   rt[strspn(rt, "abcdefghijklmnopqrstuvwxyz0123456789-")] != '\0'))
		stix_problem(v, "relationship_type", "only a-z, 0-9 and '-' allowed");
	stix_check_order(v, obj, "start_time", "stop_time", true);
}

/* "ADDR" or "ADDR/PREFIX" for inet_pton family af (prefix <= max). */
static bool addr_or_cidr(const char *s, int af, long max)
{
	char buf[64];
	unsigned char bin[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(af, buf, bin) != 1)
		return false;
	if (slash) {
		char *end;
		long p = strtol(slash + 1, &end, 10);

		if (!slash[1] || *end || p < 0 || p > max ||
		    strspn(slash + 1, "0123456789") != strlen(slash + 1))
			return false;
	}
	return true;
}

void stix_rule_ipv4(stix_vctx *v, const json_t *obj)
{
	const char *val = str(obj, "value");

	if (val && !addr_or_cidr(val, AF_INET, 32))
		stix_problem(v, "value", "not an IPv4 address or CIDR block");
}

void stix_rule_ipv6(stix_vctx *v, const json_t *obj)
{
	const char *val = str(obj, "value");

	if (val && !addr_or_cidr(val, AF_INET6, 128))
		stix_problem(v, "value", "not an IPv6 address or CIDR block");
}

/* A MAC-48 address: six colon-separated pairs of lower-case hex digits. */
void stix_rule_mac(stix_vctx *v, const json_t *obj)
{
	const char *val = str(obj, "value");
	bool ok = val && strlen(val) == 17;

	for (int i = 0; ok && i < 17; i++)
		ok = i % 3 == 2 ? val[i] == ':' :
		     strchr("0123456789abcdef", val[i]) != NULL && val[i];
	if (val && !ok)
		stix_problem(v, "value", "not a lower-case colon-separated MAC-48 address");
}

/* Whether a granular-marking selector ("description",
   "external_references.[0].url") names something present in obj. */
static bool selector_resolves(const json_t *obj, const char *sel)
{
	const json_t *cur = obj;
	char part[256];

	while (*sel) {
		const char *dot = strchr(sel, '.');
		size_t n = dot ? (size_t)(dot - sel) : strlen(sel);

		if (n == 0 || n >= sizeof(part))
			return false;
		memcpy(part, sel, n);
		part[n] = '\0';
		if (part[0] == '[') {
			char *end;
			long i = strtol(part + 1, &end, 10);

			if (!json_is_array(cur) || end == part + 1 || strcmp(end, "]") != 0 ||
			    i < 0 || (size_t)i >= json_array_size(cur))
				return false;
			cur = json_array_get(cur, (size_t)i);
		} else {
			cur = json_is_object(cur) ? json_object_get(cur, part) : NULL;
			if (!cur)
				return false;
		}
		sel += n + (dot ? 1 : 0);
		if (dot && !*sel)
			return false;
	}
	return cur != obj;
}

void stix_rule_selectors(stix_vctx *v, const json_t *obj)
{
	const json_t *gms = json_object_get(obj, "granular_markings"), *gm, *sel;
	size_t i, j;

	json_array_foreach((json_t *)gms, i, gm) {
		json_array_foreach(json_object_get(gm, "selectors"), j, sel) {
			const char *s = json_string_value(sel);
			char path[96];

			if (!s || selector_resolves(obj, s))
				continue;
			snprintf(path, sizeof(path), "granular_markings[%zu].selectors[%zu]",
				 i, j);
			stix_problem(v, path, "selects nothing in this object");
		}
	}
}
