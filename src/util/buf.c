#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cc_buf_init(cc_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void cc_buf_free(cc_buf *b)
{
	if (!b)
		return;
	free(b->data);
	cc_buf_init(b);
}

void cc_buf_reserve(cc_buf *b, size_t n)
{
	size_t need = b->len + n + 1;
	size_t cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = cc_xrealloc(b->data, cap);
	b->cap = cap;
}

void cc_buf_append(cc_buf *b, const void *p, size_t n)
{
	cc_buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void cc_buf_puts(cc_buf *b, const char *s)
{
	cc_buf_append(b, s, strlen(s));
}

void cc_buf_putc(cc_buf *b, char c)
{
	cc_buf_append(b, &c, 1);
}

void cc_buf_vprintf(cc_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	cc_buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void cc_buf_printf(cc_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cc_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void cc_buf_reset(cc_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *cc_buf_take(cc_buf *b, size_t *len)
{
	char *p;

	cc_buf_reserve(b, 0);
	p = b->data;
	if (len)
		*len = b->len;
	cc_buf_init(b);
	return p;
}

const char *cc_buf_str(const cc_buf *b)
{
	return b->data ? b->data : "";
}
