#include "util/hash.h"

uint64_t cc_fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ULL;

	while (n--)
		h = (h ^ *s++) * 1099511628211ULL;
	return h;
}
