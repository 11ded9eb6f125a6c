/*
 * unicode.h — Unicode normalisation (ICU), for comparisons that the STIX
 * patterning reference matcher makes on NFC-normalised text.
 */
#ifndef CC_UTIL_UNICODE_H
#define CC_UTIL_UNICODE_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the n bytes at s are all ASCII (then bytes and characters agree,
 * and the text is its own NFC form). */
bool cc_is_ascii(const char *s, size_t n);

/* The NFC form of the UTF-8 text s (n bytes), as a malloc'd NUL-terminated
 * string the caller frees, its length in *out_len.  Returns NULL when there
 * is nothing to change: s is already NFC (pure ASCII always is), or s is not
 * valid UTF-8 (then it is compared as it is). */
char *cc_utf8_nfc(const char *s, size_t n, size_t *out_len);

#endif
