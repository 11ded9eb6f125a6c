/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * Ownership: a cc_buf owns its bytes.  cc_buf_free() releases them;
 * cc_buf_take() hands them to the caller (who frees them with free()) and
 * leaves the buffer empty.  Appends abort the program on out-of-memory, as
 * a failed allocation of a few bytes is not recoverable here.
 */
#ifndef CC_UTIL_BUF_H
#define CC_UTIL_BUF_H

#include <stddef.h>
#include <stdarg.h>
#include <string.h>

typedef struct cc_buf {
	char *data;         /* the bytes, NUL-terminated; NULL while empty */
	size_t len;         /* bytes in use, not counting the NUL */
	size_t cap;         /* bytes allocated */
} cc_buf;

#define CC_BUF_INIT { NULL, 0, 0 }

void cc_buf_init(cc_buf *b);
void cc_buf_free(cc_buf *b);
/* Make room for at least n more bytes. */
void cc_buf_reserve(cc_buf *b, size_t n);
void cc_buf_append(cc_buf *b, const void *p, size_t n);
void cc_buf_puts(cc_buf *b, const char *s);
/* cc_buf_append inlined, for code that appends many small pieces per
 * request (an audit entry's text): a constant n becomes a few moves. */
static inline void cc_buf_add(cc_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		cc_buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void cc_buf_putc(cc_buf *b, char c);
void cc_buf_printf(cc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cc_buf_vprintf(cc_buf *b, const char *fmt, va_list ap);
/* Forget the contents but keep the allocation. */
void cc_buf_reset(cc_buf *b);
/* Return the bytes (never NULL; "" when empty) and leave b empty. */
char *cc_buf_take(cc_buf *b, size_t *len);
/* The contents as a C string (borrowed; "" when empty). */
const char *cc_buf_str(const cc_buf *b);

#endif
