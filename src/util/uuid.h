/*
 * uuid.h — RFC 4122 UUIDs: random (v4, libsodium) and name-based (v5,
 * SHA-1 through GnuTLS), as STIX identifiers need them.
 */
#ifndef CC_UTIL_UUID_H
#define CC_UTIL_UUID_H

#include <stdbool.h>
#include <stddef.h>

/* Text form length: 36 characters plus NUL. */
#define CC_UUID_STR 37

/* The STIX namespace for deterministic SCO ids (STIX 2.1 section 2.9). */
extern const unsigned char cc_uuid_ns_stix[16];

/* A fresh random version-4 UUID in lower-case text form. */
void cc_uuid4(char out[CC_UUID_STR]);

/* The version-5 UUID of name (len bytes) in namespace ns. */
void cc_uuid5(const unsigned char ns[16], const char *name, size_t len,
	      char out[CC_UUID_STR]);

/* Parse the 36-character text form (either case) into 16 bytes. */
bool cc_uuid_parse(const char *s, unsigned char out[16]);

#endif
