/*
 * wl_int.h — PRIVATE to src/analysis: the warning-list set's layout
 * (wl.c) shared with the built-in lists (wl_builtin.c).
 */
#ifndef CC_ANALYSIS_WL_INT_H
#define CC_ANALYSIS_WL_INT_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "analysis/analysis.h"

/* What kind of value a list is about (MISP matching_attributes). */
enum { CAT_ADDR = 1, CAT_DOMAIN = 2, CAT_URL = 4, CAT_EMAIL = 8, CAT_HASH = 16,
       CAT_FILENAME = 32, CAT_X509 = 64, CAT_ALL = 127 };

/* MISP's list types. */
enum { WL_CIDR, WL_STRING, WL_HOSTNAME, WL_SUBSTRING, WL_REGEX, WL_NTYPES };

typedef struct wl_list {
	char *name, *description, *type_name;   /* owned */
	int type;               /* WL_* */
	unsigned cats;          /* CAT_* bits it applies to */
	size_t entries;
	char **subs;            /* WL_SUBSTRING: lower-cased entries, owned */
	size_t n_subs;
	pcre2_code **rx;        /* WL_REGEX: compiled entries, owned */
	size_t n_rx;
} wl_list;

/* An address or CIDR: IPv4 in the low 32 bits of lo. */
typedef struct wl_addr {
	int family;             /* 4 or 6 (IPv4-mapped IPv6 is 4) */
	int prefix;             /* 0..32 or 0..128 */
	uint64_t hi, lo;        /* host order */
} wl_addr;

typedef struct wl_ipent { uint64_t hi, lo; uint32_t list; } wl_ipent;
typedef struct wl_iptab {
	wl_ipent *v;            /* masked addresses, sorted (hi, lo) */
	size_t n, cap;
	bool dirty;             /* entries added since the last sort */
} wl_iptab;

/* A string entry: key bytes at keys + off (lower-cased); len 0 = empty slot. */
typedef struct wl_strent { uint64_t h; uint32_t off, len, list; } wl_strent;

struct an_wlset {
	wl_list *lists;         /* in the order they were added */
	size_t n;
	wl_iptab v4[33], v6[129];       /* by prefix length */
	wl_strent *strs;        /* open addressing, at most half full */
	size_t ns, scap;
	char *keys;             /* the string entries' bytes */
	size_t nkeys, capkeys;
};

/* Parse an IPv4/IPv6 address or CIDR (n bytes). */
bool an_cidr_parse(const char *v, size_t n, wl_addr *a);
/* The CAT_* of a STIX object path, 0 for a path no list is about. */
unsigned an_wl_path_cat(const char *path);
/* Make the entries of list number li unreachable (a list that failed). */
void an_wl_forget(an_wlset *s, uint32_t li);

#endif
