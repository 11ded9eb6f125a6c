/*
 * jsplit.h — cutting a large JSON document into pieces without building it,
 * so the pieces can be parsed in parallel, and removing insignificant
 * whitespace from JSON text.
 *
 * This is a scanner, not a validator: it only finds where things start and
 * end.  A caller must still parse every piece strictly (and the envelope
 * with the pieces taken out): the document is valid JSON exactly when they
 * all are, because between pieces the scanner accepts only whitespace and
 * commas.  Anything unusual makes it give up (return false) so the caller
 * falls back to parsing the whole document, which reports the error.
 *
 * Ownership: the caller owns the text and the cc_buf it passes; spans
 * point into the text.  Used by import (large bundles on several threads)
 * and by the matcher (indicator files of any size, one object at a time).
 */
#ifndef CC_UTIL_JSPLIT_H
#define CC_UTIL_JSPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* A piece of the text: bytes [off, off + len). */
typedef struct cc_jspan {
	size_t off, len;
} cc_jspan;

/* The pieces of a JSON object text that has one member "objects" whose
 * value is an array of objects (a STIX bundle).  On success *elems (free()
 * it) holds the span of each element, *n their number, and *arr the span
 * of the whole array value including its brackets.  False (nothing
 * allocated) when the text is not of that shape or is nested deeper than
 * max_depth anywhere. */
bool cc_jsplit_bundle(const char *text, size_t len, size_t max_depth,
		      cc_jspan **elems, size_t *n, cc_jspan *arr);

/* The same for a text that is an array of objects (no envelope). */
bool cc_jsplit_array(const char *text, size_t len, size_t max_depth,
		     cc_jspan **elems, size_t *n);

/* Append to out the envelope of a bundle that cc_jsplit_bundle cut: text
 * with its objects array (arr) emptied, for the caller to parse. */
void cc_jsplit_envelope(const char *text, size_t len, cc_jspan arr, cc_buf *out);


#endif
