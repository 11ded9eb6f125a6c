/*
 * ip.h — IPv4 and IPv6 addresses and CIDRs as text ("192.0.2.1",
 * "10.0.0.0/8", "2001:db8::/32"), read with inet_pton and a checked
 * prefix length.
 */
#ifndef CC_UTIL_IP_H
#define CC_UTIL_IP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cc_ip {
	int family;                 /* 4 or 6 */
	int prefix;                 /* 0..32 or 0..128; the full length without "/n" */
	unsigned char addr[16];     /* network order; IPv4 in the first 4 bytes */
} cc_ip;

/* Parse the n bytes at s as an address, or with cidr as an address or a
 * CIDR (the prefix at most the family's length).  False when it is not
 * one; nothing else is checked (host bits may be set). */
bool cc_ip_parse(const char *s, size_t n, bool cidr, cc_ip *out);

#endif
