/* ip.c — addresses and CIDRs as text (see ip.h). */
#include <arpa/inet.h>
#include <string.h>

#include "util/ip.h"

bool cc_ip_parse(const char *s, size_t n, bool cidr, cc_ip *out)
{
	char tmp[64];
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	int max, bits = 0;

	if (an == 0 || an >= sizeof(tmp) || (slash && !cidr))
		return false;
	memcpy(tmp, s, an);
	tmp[an] = '\0';
	memset(out->addr, 0, sizeof(out->addr));
	if (inet_pton(AF_INET, tmp, out->addr) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, tmp, out->addr) == 1)
		out->family = 6;
	else
		return false;
	max = out->family == 4 ? 32 : 128;
	out->prefix = max;
	if (!slash)
		return true;
	if (slash + 1 == s + n || s + n - slash - 1 > 3)
		return false;
	for (const char *q = slash + 1; q < s + n; q++) {
		if (*q < '0' || *q > '9')
			return false;
		bits = bits * 10 + (*q - '0');
	}
	if (bits > max)
		return false;
	out->prefix = bits;
	return true;
}
