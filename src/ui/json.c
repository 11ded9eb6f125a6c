/*
 * json.c — the UI's JSON answers, errors and object summaries.
 */
#include "ui/ui_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stix/stix.h"

#define JSON_TYPE "application/json; charset=utf-8"

void ui_json(taxii_response *rs, int status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;

	cc_buf_reset(&rs->body);
	cc_buf_puts(&rs->body, text ? text : "{}");
	free(text);
	json_decref(j);
	rs->status = status;
	rs->has_body = true;
	rs->content_type = JSON_TYPE;
}

void ui_error(taxii_response *rs, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *j = json_object();

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_set_new(j, "error", json_string(msg));	/* NULL (not UTF-8): none */
	ui_json(rs, status, j);
}

json_t *ui_summary(const json_t *o)
{
	json_t *s = json_object();
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *name = json_string_value(json_object_get(o, "name"));
	int tlp = stix_tlp_level(o), g = stix_tlp_granular_level(o);

	if (!name)
		name = json_string_value(json_object_get(o, "value"));
	if (!name && type && strcmp(type, "relationship") == 0)
		name = json_string_value(json_object_get(o, "relationship_type"));
	json_object_set(s, "id", json_object_get(o, "id"));
	json_object_set(s, "type", json_object_get(o, "type"));
	json_object_set_new(s, "name", name ? json_string(name) : json_null());
	if (g > tlp)
		tlp = g;
	json_object_set_new(s, "tlp", tlp >= 0 ? json_string(stix_tlp_name(tlp)) : json_null());
	if (json_is_true(json_object_get(o, "revoked")))
		json_object_set_new(s, "revoked", json_true());
	return s;
}

const char *ui_arg(const taxii_request *rq, const char *key)
{
	for (size_t i = 0; i < rq->n_args; i++)
		if (strcmp(rq->args[i].key, key) == 0)
			return rq->args[i].value;
	return NULL;
}

const char *ui_str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

const char *ui_attack_id(const json_t *o)
{
	const char *first = NULL;
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(o, "external_references"), i, r) {
		const char *src = json_string_value(json_object_get(r, "source_name"));
		const char *x = json_string_value(json_object_get(r, "external_id"));

		if (x && src && strcmp(src, "mitre-attack") == 0)
			return x;
		if (x && !first)
			first = x;
	}
	return first;
}

bool ui_live(const json_t *o)
{
	return !json_is_true(json_object_get(o, "revoked")) &&
	       !json_is_true(json_object_get(o, "x_mitre_deprecated"));
}

bool ui_is_adversary(const json_t *o)
{
	const char *type = ui_str(o, "type");

	return o && (!strcmp(type, "intrusion-set") || !strcmp(type, "threat-actor") ||
		     !strcmp(type, "campaign"));
}
