/*
 * jdump.c — compact JSON serialisation of jansson values, byte for byte
 * as jansson's own dump with JSON_COMPACT (keys in insertion order,
 * strings escaped as jansson does: \" \\ \b \f \n \r \t, other control
 * characters \u00XX with upper-case hex, everything else as is).
 */
#include <stdio.h>
#include <string.h>

#include "util/jdump.h"

static void dump_string(const char *s, size_t len, cc_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start = 0;

	cc_buf_reserve(out, len + 2);
	cc_buf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7] = { '\\', 0, 0, 0, 0, 0, 0 };
		size_t n = 2;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		cc_buf_append(out, s + start, i - start);
		cc_buf_append(out, esc, n);
		start = i + 1;
	}
	cc_buf_append(out, s + start, len - start);
	cc_buf_putc(out, '"');
}

static bool dump_value(const json_t *v, cc_buf *out)
{
	json_t *x;
	void *it;
	size_t i;
	char num[32];
	int n;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		cc_buf_putc(out, '{');
		for (it = json_object_iter((json_t *)v); it; ) {
			dump_string(json_object_iter_key(it), json_object_iter_key_len(it), out);
			cc_buf_putc(out, ':');
			if (!dump_value(json_object_iter_value(it), out))
				return false;
			it = json_object_iter_next((json_t *)v, it);
			if (it)
				cc_buf_putc(out, ',');
		}
		cc_buf_putc(out, '}');
		return true;
	case JSON_ARRAY:
		cc_buf_putc(out, '[');
		json_array_foreach(v, i, x) {
			if (i)
				cc_buf_putc(out, ',');
			if (!dump_value(x, out))
				return false;
		}
		cc_buf_putc(out, ']');
		return true;
	case JSON_STRING:
		dump_string(json_string_value(v), json_string_length(v), out);
		return true;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		cc_buf_append(out, num, (size_t)n);
		return true;
	case JSON_TRUE:
		cc_buf_puts(out, "true");
		return true;
	case JSON_FALSE:
		cc_buf_puts(out, "false");
		return true;
	case JSON_NULL:
		cc_buf_puts(out, "null");
		return true;
	default:                /* JSON_REAL: jansson's formatting */
		return false;
	}
}

bool cc_json_dump_compact(const json_t *v, cc_buf *out)
{
	size_t len0 = out->len;

	if (dump_value(v, out))
		return true;
	out->len = len0;
	if (out->data)
		out->data[len0] = '\0';
	return false;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	cc_buf_append(data, buffer, size);
	return 0;
}

bool cc_json_dump_text(const json_t *v, cc_buf *out)
{
	return cc_json_dump_compact(v, out) ||
	       json_dump_callback(v, dump_cb, out, JSON_COMPACT) == 0;
}
