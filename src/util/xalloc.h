/*
 * xalloc.h — allocate or abort, like git's xmalloc family: for the many
 * small allocations after which nothing sensible can be done when memory
 * runs out.  Each prints "cybercell: out of memory" and aborts instead of
 * returning NULL.  Code that can report an allocation failure to its
 * caller (the matcher's CC_ENOMEM) keeps calling malloc itself.
 *
 * Ownership: what they return belongs to the caller, who frees it with
 * free().
 */
#ifndef CC_UTIL_XALLOC_H
#define CC_UTIL_XALLOC_H

#include <stddef.h>

/* n bytes, uninitialised (at least one byte, so n == 0 is fine). */
void *cc_xmalloc(size_t n);
/* n elements of size bytes, zeroed (at least one byte). */
void *cc_xcalloc(size_t n, size_t size);
/* p (may be NULL) resized to n bytes (at least one byte). */
void *cc_xrealloc(void *p, size_t n);
/* A copy of s, or NULL when s is NULL. */
char *cc_xstrdup(const char *s);
/* A copy of the n bytes at s with a NUL after them. */
char *cc_xmemdup(const void *s, size_t n);

/* free() each of the n pointers of v (NULL ones too); CC_FREE_ALL(a, b, ...)
 * frees its arguments, for structs that own many arrays. */
void cc_free_each(void *const *v, size_t n);
#define CC_FREE_ALL(...) \
	cc_free_each((void *const[]){ __VA_ARGS__ }, \
		     sizeof((void *const[]){ __VA_ARGS__ }) / sizeof(void *))

#endif
