/*
 * literal.c — pattern literals: free, print in pattern syntax, and
 * the base64 / UTF-8 helpers they need.
 */
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern_int.h"
#include "util/xalloc.h"

void plit_clear(pattern_literal *l)
{
	if (!l)
		return;
	free(l->str);
	free(l->bytes);
	for (size_t i = 0; i < l->n_items; i++)
		plit_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static void print_quoted(cc_buf *b, const char *s, size_t n)
{
	cc_buf_putc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'' || s[i] == '\\')
			cc_buf_putc(b, '\\');
		cc_buf_putc(b, s[i]);
	}
	cc_buf_putc(b, '\'');
}

void plit_print(cc_buf *b, const pattern_literal *l)
{
	char *enc;

	switch (l->kind) {
	case PATTERN_LIT_STRING:
		print_quoted(b, l->str, l->len);
		break;
	case PATTERN_LIT_INT:
		cc_buf_printf(b, "%lld", (long long)l->i);
		break;
	case PATTERN_LIT_FLOAT:
		cc_buf_puts(b, l->str);
		break;
	case PATTERN_LIT_BOOL:
		cc_buf_puts(b, l->b ? "true" : "false");
		break;
	case PATTERN_LIT_TIMESTAMP:
		cc_buf_printf(b, "t'%s'", l->str);
		break;
	case PATTERN_LIT_HEX:
		cc_buf_puts(b, "h'");
		for (size_t i = 0; i < l->len; i++)
			cc_buf_printf(b, "%02x", l->bytes[i]);
		cc_buf_putc(b, '\'');
		break;
	case PATTERN_LIT_BINARY:
		enc = pb64_encode(l->bytes, l->len);
		cc_buf_printf(b, "b'%s'", enc);
		free(enc);
		break;
	case PATTERN_LIT_SET:
		cc_buf_putc(b, '(');
		for (size_t i = 0; i < l->n_items; i++) {
			if (i)
				cc_buf_puts(b, ", ");
			plit_print(b, &l->items[i]);
		}
		cc_buf_putc(b, ')');
		break;
	}
}

static const char b64chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *pb64_encode(const unsigned char *p, size_t n)
{
	char *out = cc_xmalloc(4 * ((n + 2) / 3) + 1), *o = out;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = b64chars[v >> 18 & 63];
		*o++ = b64chars[v >> 12 & 63];
		*o++ = i + 1 < n ? b64chars[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? b64chars[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static int b64val(char c)
{
	const char *p = c ? strchr(b64chars, c) : NULL;

	return p ? (int)(p - b64chars) : -1;
}

/* Strict: length a multiple of 4, '=' only as final padding, and the
 * unused bits of the last group zero (so encode(decode(s)) == s). */
bool pb64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen)
{
	unsigned char *o;
	size_t k = 0;

	*out = NULL;
	*outlen = 0;
	if (n % 4)
		return false;
	o = cc_xmalloc(n / 4 * 3 + 1);
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;

		for (int j = 0; j < 4; j++) {
			if (s[i + j] == '=' && i + 4 == n && j >= 2) {
				v[j] = 0;
				pad++;
			} else if (pad || (v[j] = b64val(s[i + j])) < 0) {
				free(o);
				return false;
			}
		}
		if ((pad == 1 && (v[2] & 3)) || (pad == 2 && (v[1] & 15))) {
			free(o);
			return false;
		}
		o[k++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			o[k++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (pad < 1)
			o[k++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	*out = o;
	*outlen = k;
	return true;
}

bool putf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t j = 1; j < len; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += len;
	}
	return true;
}
