/*
 * jdump.h — compact JSON text of a jansson value, the same bytes as
 * json_dumps(v, JSON_COMPACT) but several times faster (no callback per
 * token, no allocation per value).  Used where every stored object is
 * serialised (import of STIX 2.0, store_put without text).
 *
 * Ownership: the caller owns v and out; nothing is kept.
 */
#ifndef CC_UTIL_JDUMP_H
#define CC_UTIL_JDUMP_H

#include <stdbool.h>

#include <jansson.h>

#include "util/buf.h"

/* Append the compact text of v to out and return true.  Reals are left to
 * jansson (their formatting is its own): on meeting one, out is restored
 * to its length on entry and the result is false, and the caller uses
 * json_dumps / json_dump_callback instead. */
bool cc_json_dump_compact(const json_t *v, cc_buf *out);

/* The same text whatever v holds: cc_json_dump_compact, and jansson's own
 * writer when v has reals.  False only when jansson cannot write v. */
bool cc_json_dump_text(const json_t *v, cc_buf *out);

#endif
