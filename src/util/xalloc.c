#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *checked(void *p)
{
	if (!p) {
		fputs("cybercell: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *cc_xmalloc(size_t n)
{
	return checked(malloc(n ? n : 1));
}

void *cc_xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

void *cc_xrealloc(void *p, size_t n)
{
	return checked(realloc(p, n ? n : 1));
}

char *cc_xstrdup(const char *s)
{
	return s ? checked(strdup(s)) : NULL;
}

void cc_free_each(void *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
}

char *cc_xmemdup(const void *s, size_t n)
{
	char *d = cc_xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}
