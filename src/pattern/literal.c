/*
 * literal.c — pattern literals: free, print in pattern syntax, and
 * the base64 (libsodium's) / UTF-8 helpers they need.
 */
#include <sodium.h>
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

char *pb64_encode(const unsigned char *p, size_t n)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);

	return sodium_bin2base64(cc_xmalloc(cap), cap, p, n, sodium_base64_VARIANT_ORIGINAL);
}

/* libsodium's decoder is strict with the original variant: padding as
 * needed and only at the end, no other characters, and the unused bits of
 * the last group zero (so encode(decode(s)) == s). */
bool pb64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen)
{
	size_t cap = n / 4 * 3 + 1;
	unsigned char *o = cc_xmalloc(cap);

	*out = NULL;
	*outlen = 0;
	if (sodium_base642bin(o, cap, s, n, NULL, outlen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(o);
		*outlen = 0;
		return false;
	}
	*out = o;
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
