#include "util/unicode.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

bool cc_is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

char *cc_utf8_nfc(const char *s, size_t n, size_t *out_len)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar *u = NULL, *v = NULL;
	int32_t ulen = 0, vlen, olen = 0;
	char *out = NULL;

	if (cc_is_ascii(s, n) || n > INT32_MAX / 4)
		return NULL;
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return NULL;
	u_strFromUTF8(NULL, 0, &ulen, s, (int32_t)n, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return NULL;
	st = U_ZERO_ERROR;
	u = malloc(((size_t)ulen + 1) * sizeof(*u));
	if (!u)
		return NULL;
	u_strFromUTF8(u, ulen + 1, NULL, s, (int32_t)n, &st);
	if (U_FAILURE(st) || unorm2_isNormalized(nfc, u, ulen, &st) || U_FAILURE(st))
		goto out_free;
	vlen = unorm2_normalize(nfc, u, ulen, NULL, 0, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		goto out_free;
	st = U_ZERO_ERROR;
	v = malloc(((size_t)vlen + 1) * sizeof(*v));
	if (!v)
		goto out_free;
	unorm2_normalize(nfc, u, ulen, v, vlen + 1, &st);
	if (U_FAILURE(st))
		goto out_free;
	u_strToUTF8(NULL, 0, &olen, v, vlen, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		goto out_free;
	st = U_ZERO_ERROR;
	out = malloc((size_t)olen + 1);
	if (!out)
		goto out_free;
	u_strToUTF8(out, olen + 1, NULL, v, vlen, &st);
	if (U_FAILURE(st)) {
		free(out);
		out = NULL;
		goto out_free;
	}
	*out_len = (size_t)olen;
out_free:
	free(u);
	free(v);
	return out;
}
