/*
 * wl_builtin.c — the warning lists cybercell ships, written by the project
 * from the public registries (not copied from any other list):
 *
 *   - IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and
 *     the RFCs each entry cites), the multicast registries (RFC 5771,
 *     RFC 4291) and RFC 6598 shared address space;
 *   - the addresses the big public DNS resolvers publish for themselves,
 *     as facts;
 *   - the hashes of the empty input, computed by us (md5sum, sha1sum,
 *     sha256sum ... of /dev/null).
 *
 * The documentation ranges (RFC 5737, RFC 3849) and the reserved example
 * names (RFC 2606, RFC 6761) are a list of their own, off by default:
 * examples, demos and tests use them on purpose.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/wl_int.h"
#include "util/xalloc.h"

typedef struct builtin {
	const char *type;               /* MISP list type */
	const char *attrs;              /* matching_attributes, comma-separated */
	const char *const *entries;     /* NULL-terminated */
} builtin;

/* RFC 1918 private-use networks, RFC 4193 unique local IPv6. */
static const char *const private_ranges[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", NULL
};
/* RFC 6598 shared address space (carrier-grade NAT). */
static const char *const shared_cgn[] = { "100.64.0.0/10", NULL };
/* Loopback (RFC 1122, RFC 4291) and link-local (RFC 3927, RFC 4291). */
static const char *const loopback_linklocal[] = {
	"127.0.0.0/8", "::1/128", "169.254.0.0/16", "fe80::/10", NULL
};
/* Multicast (RFC 5771 for IPv4, RFC 4291 for IPv6). */
static const char *const multicast[] = { "224.0.0.0/4", "ff00::/8", NULL };
/* The rest of the special-purpose registries that never reach the
 * Internet as a host's address: "this network" (RFC 791), IETF protocol
 * assignments (RFC 6890), the deprecated 6to4 relay anycast (RFC 7526),
 * benchmarking (RFC 2544, RFC 5180), reserved (RFC 1112), limited
 * broadcast (RFC 919), the unspecified IPv6 address (RFC 4291), the
 * discard-only prefix (RFC 6666). */
static const char *const special_purpose[] = {
	"0.0.0.0/8", "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15", "240.0.0.0/4",
	"255.255.255.255/32", "::/128", "100::/64", "2001:2::/48", NULL
};
/* Public DNS resolvers, as their operators publish them: Google Public
 * DNS, Cloudflare 1.1.1.1 (and its families service), Quad9, Cisco
 * OpenDNS, AdGuard DNS, CleanBrowsing, Yandex DNS, Comodo Secure DNS. */
static const char *const public_resolvers[] = {
	"8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844",
	"1.1.1.1", "1.0.0.1", "1.1.1.2", "1.0.0.2", "1.1.1.3", "1.0.0.3",
	"2606:4700:4700::1111", "2606:4700:4700::1001",
	"9.9.9.9", "149.112.112.112", "9.9.9.10", "149.112.112.10", "2620:fe::fe", "2620:fe::9",
	"208.67.222.222", "208.67.220.220", "2620:119:35::35", "2620:119:53::53",
	"94.140.14.14", "94.140.15.15", "2a10:50c0::ad1:ff", "2a10:50c0::ad2:ff",
	"185.228.168.9", "185.228.169.9", "77.88.8.8", "77.88.8.1",
	"8.26.56.26", "8.20.247.20", NULL
};
/* Digests of zero bytes: MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512,
 * SHA3-256, SHA3-512 of the empty input. */
static const char *const empty_hashes[] = {
	"d41d8cd98f00b204e9800998ecf8427e",
	"da39a3ee5e6b4b0d3255bfef95601890afd80709",
	"d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f",
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
	"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
	"a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
	"a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26",
	NULL
};
/* Documentation: RFC 5737 (IPv4), RFC 3849 (IPv6). */
static const char *const doc_ranges[] = {
	"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", NULL
};
/* Reserved names: RFC 2606 (example.com/.net/.org and the test, example,
 * invalid, localhost TLDs), RFC 6761 (the same as special-use names). */
static const char *const doc_names[] = {
	"example.com", "example.net", "example.org", "test", "example", "invalid", "localhost", NULL
};

#define ADDR_ATTRS "ip-src,ip-dst,ip-src|port,ip-dst|port,domain|ip"

/* What `warninglist list` shows; the lists' contents are in lists[],
 * in the same order. */
static const an_wl_builtin infos[] = {
	{ "cybercell-private", "Private-use networks (RFC 1918) and unique local IPv6 (RFC 4193)", true },
	{ "cybercell-shared-cgn", "Shared address space for carrier-grade NAT (RFC 6598)", true },
	{ "cybercell-loopback-link-local", "Loopback and link-local addresses (RFC 1122, RFC 3927, RFC 4291)", true },
	{ "cybercell-multicast", "Multicast addresses (RFC 5771, RFC 4291)", true },
	{ "cybercell-special-purpose", "Other IANA special-purpose addresses that are no host on the Internet (RFC 6890)", true },
	{ "cybercell-public-resolvers", "Public DNS resolvers, as their operators publish them", true },
	{ "cybercell-empty-hashes", "Hashes of the empty file", true },
	{ "cybercell-documentation-ranges", "Documentation address ranges (RFC 5737, RFC 3849); off by default", false },
	{ "cybercell-documentation-names", "Reserved example and test names (RFC 2606, RFC 6761); off by default", false },
};

static const builtin lists[] = {
	{ "cidr", ADDR_ATTRS, private_ranges },
	{ "cidr", ADDR_ATTRS, shared_cgn },
	{ "cidr", ADDR_ATTRS, loopback_linklocal },
	{ "cidr", ADDR_ATTRS, multicast },
	{ "cidr", ADDR_ATTRS, special_purpose },
	{ "cidr", ADDR_ATTRS, public_resolvers },
	{ "string", "md5,sha1,sha224,sha256,sha384,sha512,sha3-256,sha3-512,x509-fingerprint-sha1,"
		    "x509-fingerprint-sha256", empty_hashes },
	{ "cidr", ADDR_ATTRS, doc_ranges },
	{ "hostname", "domain,hostname,url,domain|ip", doc_names },
};
_Static_assert(sizeof(infos) / sizeof(infos[0]) == sizeof(lists) / sizeof(lists[0]),
	       "one entry of lists[] per built-in list");
#define N_BUILTINS (sizeof(infos) / sizeof(infos[0]))

const an_wl_builtin *an_wl_builtins(size_t *n)
{
	*n = N_BUILTINS;
	return infos;
}

char *an_wl_builtin_json(const char *name)
{
	for (size_t i = 0; i < N_BUILTINS; i++) {
		const builtin *b = &lists[i];
		json_t *j, *list, *attrs;
		char *out, *a, *save = NULL;

		if (strcmp(infos[i].name, name))
			continue;
		list = json_array();
		attrs = json_array();
		for (const char *const *e = b->entries; *e; e++)
			json_array_append_new(list, json_string(*e));
		a = cc_xstrdup(b->attrs);
		for (char *t = strtok_r(a, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(attrs, json_string(t));
		free(a);
		j = json_pack("{s:s,s:I,s:s,s:s,s:o,s:o}", "name", infos[i].name, "version", (json_int_t)1,
			      "description", infos[i].description, "type", b->type,
			      "matching_attributes", attrs, "list", list);
		out = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(j);
		return out;
	}
	return NULL;
}
