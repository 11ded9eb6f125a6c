/*
 * hash.h — FNV-1a (64 bits), the one non-cryptographic string hash of the
 * program: hash tables keyed by names, caches keyed by text.  Not for
 * anything an adversary chooses to collide (use libsodium for that).
 */
#ifndef CC_UTIL_HASH_H
#define CC_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a of the n bytes at p (offset basis 14695981039346656037, prime
 * 1099511628211). */
uint64_t cc_fnv1a(const void *p, size_t n);

#endif
