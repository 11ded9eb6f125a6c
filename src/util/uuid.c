#include "util/uuid.h"
#include "util/hex.h"

#include <gnutls/crypto.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 00abedb4-aa42-466c-9c01-fed23315a9b7 */
const unsigned char cc_uuid_ns_stix[16] = {
	0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c,
	0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
};

static void format(const unsigned char b[16], char out[CC_UUID_STR])
{
	static const char hex[] = "0123456789abcdef";
	int j = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		out[j++] = hex[b[i] >> 4];
		out[j++] = hex[b[i] & 15];
	}
	out[j] = '\0';
}

void cc_uuid4(char out[CC_UUID_STR])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	format(b, out);
}

void cc_uuid5(const unsigned char ns[16], const char *name, size_t len,
	      char out[CC_UUID_STR])
{
	unsigned char digest[20];
	gnutls_hash_hd_t h;

	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA1) != 0)
		abort();
	gnutls_hash(h, ns, 16);
	gnutls_hash(h, name, len);
	gnutls_hash_deinit(h, digest);
	digest[6] = (unsigned char)((digest[6] & 0x0f) | 0x50);
	digest[8] = (unsigned char)((digest[8] & 0x3f) | 0x80);
	format(digest, out);
}

bool cc_uuid_parse(const char *s, unsigned char out[16])
{
	int j = 0;

	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			continue;
		}
		int hi = cc_hex_digit(s[i]), lo;

		if (hi < 0)
			return false;
		i++;
		lo = cc_hex_digit(s[i]);
		if (lo < 0)
			return false;
		out[j++] = (unsigned char)(hi << 4 | lo);
	}
	return s[36] == '\0';
}
