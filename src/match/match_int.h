/*
 * match_int.h — PRIVATE to src/match/: the pieces the matcher's files share
 * (arena, exact indexes, events, readers).  Nothing outside src/match/ and
 * its own unit test includes this file; the module's interface is match.h.
 *
 * Ownership: an index owns its tables; strings live in the mt_arena of the
 * matcher and are addressed by 32-bit offsets.  Event fields borrow the bytes
 * of the input block or of the event's scratch buffer.
 */
#ifndef CC_MATCH_INT_H
#define CC_MATCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match/match.h"
#include "pattern/pattern.h"
#include "util/hex.h"

/* ---- arena: one growable byte array, strings addressed by offset ---- */
typedef struct mt_arena {
	char *data;             /* the bytes */
	size_t len;             /* bytes used */
	size_t cap;             /* bytes allocated */
} mt_arena;

/* Copy n bytes (plus a NUL) into the arena; returns the offset, or
 * UINT32_MAX when the arena would pass 4 GiB or memory runs out. */
uint32_t mt_arena_put(mt_arena *a, const void *p, size_t n);
void mt_arena_free(mt_arena *a);
static inline const char *mt_arena_str(const mt_arena *a, uint32_t off)
{
	return a->data + off;
}

/* A fast 64-bit hash of n bytes. */
uint64_t mt_hash(const void *p, size_t n, uint64_t seed);

/* ---- what a log field is, in STIX terms ---- */
typedef enum mt_kind {
	MK_NONE = 0,
	MK_SRC_IP,      /* network-traffic:src_ref, an ipv4-addr / ipv6-addr */
	MK_DST_IP,      /* network-traffic:dst_ref */
	MK_IP,          /* another address seen (DNS answer, SAN IP, file host) */
	MK_SRC_PORT,    /* network-traffic:src_port */
	MK_DST_PORT,    /* network-traffic:dst_port */
	MK_PROTO,       /* network-traffic:protocols[*] */
	MK_DOMAIN,      /* domain-name:value */
	MK_URL,         /* url:value */
	MK_EMAIL,       /* email-addr:value */
	MK_MD5,         /* file:hashes.MD5 */
	MK_SHA1,        /* file:hashes.'SHA-1' */
	MK_SHA256,      /* file:hashes.'SHA-256' */
	MK_SHA512,      /* file:hashes.'SHA-512' */
	MK_FILE_NAME,   /* file:name */
	MK_X509_SHA1,   /* x509-certificate:hashes.'SHA-1' */
	MK_X509_SHA256, /* x509-certificate:hashes.'SHA-256' */
	MK_X509_SUBJECT,/* x509-certificate:subject */
	MK_X509_ISSUER, /* x509-certificate:issuer */
	MK_X509_SERIAL, /* x509-certificate:serial_number */
	MK_UA,          /* network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' */
	MK_HTTP_METHOD, /* network-traffic:extensions.'http-request-ext'.request_method */
	MK_URI,         /* HTTP request path (joined with the host into MK_URL) */
	MK_HOST,        /* HTTP Host (a domain-name; joined with MK_URI into MK_URL) */
	MK_ANSWER,      /* DNS answer: an address or a name, decided by its text */
	MK_HASH_ANY,    /* a hash of unknown algorithm, decided by its length */
	MK_COUNT
} mt_kind;

/* The STIX object path a kind stands for ("ipv4-addr:value" for the address
 * kinds, whose type depends on the text). */
const char *mt_kind_path(mt_kind k);
/* The kind of a column name (CSV defaults, Zeek field names); MK_NONE if
 * unknown. */
mt_kind mt_kind_of_column(const char *name, size_t n);
/* The kind of a STIX object path given in --map ("ipv4-addr:value"...). */
mt_kind mt_kind_of_path(const char *path);

/* ---- one log event: fields borrowed from the input ---- */
#define MT_MAX_FIELDS 64
typedef struct mt_field {
	const char *p;          /* the bytes (not NUL-terminated) */
	uint32_t n;             /* their length */
	uint16_t kind;          /* mt_kind */
	uint16_t flags;         /* MT_F_* */
} mt_field;
#define MT_F_ESCAPED 1      /* JSON string with backslash escapes still in */

typedef struct mt_event {
	int64_t ts_us;          /* event time once known; see mt_event_ts */
	const char *ts_p;       /* the time stamp's text, parsed on demand */
	uint32_t ts_n;
	bool ts_done;           /* ts_us is final */
	uint64_t obs_key;       /* the observation (transaction) the record belongs
				   to, 0 = its own: records of one observation
				   count once (see mt_eve_line) */
	const char *flow_p, *tx_p; /* EVE flow_id and tx_id texts (NULL = none) */
	uint32_t flow_n, tx_n;
	uint64_t line;          /* 1-based line number within its piece */
	const char *raw;        /* the whole line */
	size_t raw_len;
	size_t nf;              /* fields in use */
	mt_field f[MT_MAX_FIELDS];
	char *scratch;          /* unescaped / joined values, owned by the scanner */
	size_t scratch_len, scratch_cap;
} mt_event;

/* Add a field (ignored when the event is full or the value is empty). */
static inline void mt_event_add(mt_event *ev, mt_kind k, const char *p, size_t n,
				unsigned flags)
{
	if (ev->nf < MT_MAX_FIELDS && n > 0 && n < UINT32_MAX) {
		mt_field *f = &ev->f[ev->nf++];
		f->p = p;
		f->n = (uint32_t)n;
		f->kind = (uint16_t)k;
		f->flags = (uint16_t)flags;
	}
}
/* Copy bytes into the event's scratch; returns where they are (valid until
 * the event is reset; NULL on out of memory). */
const char *mt_event_keep(mt_event *ev, const char *p, size_t n);
/* Resolve escapes, join host+URI into URL, split answers: after this every
 * field holds plain bytes of its final kind.  Call once per event. */
void mt_event_finish(mt_event *ev);
void mt_event_reset(mt_event *ev);
/* The event time (INT64_MIN when the line has none), parsed from ts_p the
 * first time it is asked for: most events never need it. */
int64_t mt_event_ts(mt_event *ev);
/* Readers: the time stamp is at p (n bytes). */
static inline void mt_event_set_ts(mt_event *ev, const char *p, size_t n)
{
	ev->ts_p = p;
	ev->ts_n = (uint32_t)n;
	ev->ts_done = false;
}
void mt_event_free(mt_event *ev);

/* ---- normalisation (both sides of an exact lookup) ---- */
#define MT_NORM_MAX 4096
/* Normalise value v of kind k into out (MT_NORM_MAX bytes); returns the
 * length, or -1 when it cannot be a value of that kind (or is too long). */
int mt_norm(mt_kind k, const char *v, size_t n, char *out);

/* Parse an IPv4/IPv6 address or CIDR.  IPv4 and IPv4-mapped IPv6 come back
 * as family 4 (prefix adjusted).  cidr=false refuses a "/n" suffix. */
typedef struct mt_ip {
	int family;             /* 4 or 6 */
	int prefix;             /* 0..32 or 0..128 */
	uint32_t v4;            /* host order */
	uint64_t hi, lo;        /* IPv6, host order halves */
} mt_ip;
bool mt_ip_parse(const char *s, size_t n, bool cidr, mt_ip *out);

/* ---- exact indexes ---- */
/* Values are indicator numbers; several indicators on one key chain through
 * the shared dup list. */
typedef struct mt_dups {
	uint32_t *v;            /* pairs (indicator, next) */
	size_t n, cap;
} mt_dups;

typedef struct mt_ip4tab {
	uint32_t *keys;         /* masked addresses */
	uint32_t *vals;         /* UINT32_MAX = empty */
	uint32_t mask, used;    /* capacity-1, entries */
} mt_ip4tab;
typedef struct mt_ip6ent { uint64_t hi, lo; uint32_t val; } mt_ip6ent;
typedef struct mt_ip6tab {
	mt_ip6ent *e;
	uint32_t mask, used;
} mt_ip6tab;

typedef struct mt_ipindex {
	uint64_t present4;      /* bit p: a /p IPv4 table has entries */
	uint64_t present6[3];   /* bit p: a /p IPv6 table has entries */
	uint8_t order4[33], n4; /* present prefixes, longest first */
	uint8_t order6[129], n6;
	mt_ip4tab t4[33];
	uint64_t *bits4[25];    /* p <= 24: bit (addr >> (32-p)) set when the /p
				   table has that key (a miss costs one bit test) */
	uint64_t *long24;       /* bit (addr >> 8): some /25../32 entry lies there */
	uint32_t *mask16;       /* per /16: bit p-16 when a /p entry (p >= 16) lies
				   in it; one small array decides most probes */
	mt_ip6tab t6[129];
	mt_dups *dups;          /* borrowed from the matcher */
} mt_ipindex;

int mt_ipindex_add(mt_ipindex *x, const mt_ip *ip, uint32_t ind);
void mt_ipindex_finish(mt_ipindex *x);
/* Call fn(ud, indicator) for every entry covering ip; returns how many. */
typedef void (*mt_hit_fn)(void *ud, uint32_t ind);
size_t mt_ipindex_find(const mt_ipindex *x, const mt_ip *ip, mt_hit_fn fn, void *ud);
void mt_ipindex_free(mt_ipindex *x);
size_t mt_ipindex_bytes(const mt_ipindex *x);

/* String set keyed by (kind, normalised bytes). */
typedef struct mt_strent { uint32_t h, off, val; } mt_strent;
typedef struct mt_strindex {
	mt_strent *e;           /* off: arena offset of [u16 len][kind][bytes] */
	uint32_t mask, used;
	uint32_t kinds;         /* bit k: some key of kind k exists */
	uint64_t *filter;       /* one bit per (hash >> 7) & fmask: a miss is
				   usually decided in this small array */
	uint32_t fmask;
	mt_arena *arena;        /* borrowed */
	mt_dups *dups;          /* borrowed */
} mt_strindex;

int mt_strindex_add(mt_strindex *x, mt_kind k, const char *v, size_t n, uint32_t ind);
/* Build the filter (after the last add; without memory it is skipped). */
void mt_strindex_finish(mt_strindex *x);
size_t mt_strindex_find(const mt_strindex *x, mt_kind k, const char *v, size_t n,
			mt_hit_fn fn, void *ud);
void mt_strindex_free(mt_strindex *x);
size_t mt_strindex_bytes(const mt_strindex *x);

/* Append ind to the chain of *slot (UINT32_MAX = empty). */
int mt_dups_add(mt_dups *d, uint32_t *slot, uint32_t ind);
/* Walk the chain of val. */
size_t mt_dups_each(const mt_dups *d, uint32_t val, mt_hit_fn fn, void *ud);

/* ---- readers ---- */
typedef struct mt_reader mt_reader;
/* Parse one line (without its '\n') into ev.  Returns 1 for an event, 0 for
 * a line that is not an event (header, comment, blank), -1 for a malformed
 * line (with a short reason in *why). */
typedef int (*mt_line_fn)(mt_reader *r, const char *line, size_t n, mt_event *ev,
			  const char **why);

/* Zeek TSV header state. */
typedef struct mt_zeek_hdr {
	char sep;               /* field separator */
	char set_sep;           /* set/vector separator */
	char empty[16];         /* "(empty)" */
	char unset[16];         /* "-" */
	uint32_t nfields;       /* columns per row */
	uint16_t col_kind[MT_MAX_FIELDS * 2]; /* mt_kind per column */
	uint8_t col_set[MT_MAX_FIELDS * 2];   /* column is a set/vector */
	int ts_col;             /* column of ts, -1 none */
	bool have_fields;       /* #fields seen */
	uint64_t gen;           /* bumped on each #fields line */
	char fields_line[2048]; /* the #fields line, to compare pieces' headers */
} mt_zeek_hdr;

struct mt_reader {
	match_format fmt;
	mt_line_fn line;
	uint32_t need;          /* bit k: fields of kind k can matter to the matcher */
	mt_zeek_hdr zeek;       /* for MATCH_FMT_ZEEK */
	/* CSV */
	char csv_sep;
	bool csv_have_header;
	uint32_t csv_ncols;
	uint16_t csv_kind[MT_MAX_FIELDS * 2];
	int csv_ts_col;
	const match_colmap *maps; /* --map, borrowed */
	size_t n_maps;
};

void mt_reader_init(mt_reader *r, match_format fmt, const match_colmap *maps, size_t n_maps,
		    uint32_t need);
/* Guess the format from the first bytes of a file (a header row naming a
 * --map column makes it CSV); MATCH_FMT_AUTO when it cannot be told. */
match_format mt_detect(const char *p, size_t n, const match_colmap *maps, size_t n_maps);

int mt_zeek_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why);
int mt_zeekjson_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why);
int mt_eve_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why);
int mt_csv_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why);
int mt_text_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why);
int mt_ecs_line(mt_reader *r, const char *line, size_t n, mt_event *ev, const char **why);
/* Which JSON lines a first line (a JSON object) starts: EVE (a top-level
 * event_type), ECS (a top-level "@timestamp" or "ecs"), else Zeek JSON. */
match_format mt_json_flavour(const char *line, size_t n);

/* Time stamps in logs: epoch seconds with a fraction, or ISO 8601 with Z or
 * a +hhmm / +hh:mm offset.  false if neither. */
bool mt_parse_time(const char *s, size_t n, int64_t *us);

/* The properties of an indicator the matcher needs, borrowed from its
 * JSON text (esc: the string still has backslash escapes). */
enum { MT_IF_TYPE, MT_IF_ID, MT_IF_NAME, MT_IF_PATTERN, MT_IF_PATTERN_TYPE,
       MT_IF_VALID_FROM, MT_IF_VALID_UNTIL, MT_IF_COUNT };
typedef struct mt_ind_text {
	const char *v[MT_IF_COUNT];
	size_t n[MT_IF_COUNT];
	bool esc[MT_IF_COUNT];
	bool revoked;
} mt_ind_text;
/* 0, or -1 when p is not one JSON object. */
int mt_ind_text_parse(const char *p, size_t n, mt_ind_text *out);

/* JSON string unescape (\uXXXX to UTF-8); returns the length written to out
 * (which has room for n bytes), or -1 if the escapes are bad. */
int mt_json_unescape(const char *s, size_t n, char *out);

/* ---- the matcher ---- */

/* One accepted indicator (24 bytes; its strings are in the arena). */
typedef struct mt_ind {
	uint32_t id_off;        /* "indicator--..." */
	uint32_t name_off;      /* name, "" when none */
	int64_t valid_from;     /* INT64_MIN when absent */
	int64_t valid_until;    /* INT64_MAX when absent; exclusive */
} mt_ind;

/* A pattern the exact indexes cannot hold: evaluated per event. */
typedef struct mt_general {
	pattern *pat;           /* owned */
	uint32_t ind;           /* indicator number */
	uint32_t kinds;         /* bit k: events with a field of kind k may match */
	bool multi;             /* needs several observations (stateful) */
	size_t n_leaves;        /* observation expressions */
	const pattern_cexpr **leaves;
} mt_general;

/* LIKE/MATCHES on one kind of field. */
typedef struct mt_rxent {
	uint32_t ind;           /* indicator number */
	pattern *pat;           /* owned; the pattern module (PCRE2, UTF, NFC)
				   confirms prefilter matches and tests values
				   with non-ASCII bytes */
	bool exact;             /* Hyperscan compiled it exactly: an ASCII
				   value's Hyperscan match needs no confirming */
} mt_rxent;
typedef struct mt_rxset {
	void *db;               /* hs_database_t *, NULL when every entry is PCRE-only */
	mt_rxent *e;            /* hs id -> entry */
	size_t n, cap;
	char **expr;            /* regexes until compiled */
	unsigned *flags;
	mt_rxent *pcre;         /* entries Hyperscan refused even as prefilter */
	size_t n_pcre, cap_pcre;
} mt_rxset;

enum { MT_ROLE_ANY, MT_ROLE_SRC, MT_ROLE_DST, MT_ROLES };

struct matcher {
	mt_arena arena;         /* indicator ids, names, string keys */
	mt_dups dups;           /* chains of indicators sharing a key */
	mt_ind *ind;
	size_t n_ind, cap_ind;
	mt_ipindex ip[MT_ROLES];/* addresses by role */
	mt_strindex str;        /* every string kind */
	mt_rxset rx[MK_COUNT];  /* LIKE/MATCHES by field kind */
	uint32_t rx_kinds;      /* bit k: rx[k] has entries */
	void *scratch_proto;    /* hs_scratch_t * for cloning, NULL without regexes */
	mt_general *gen;
	size_t n_gen, cap_gen;
	uint32_t gen_kinds;     /* union of gen[].kinds */
	uint32_t need;          /* kinds of fields worth reading (set by compile) */
	match_stats st;
	bool compiled;
	match_filter_fn filter; /* match_set_filter, NULL = none */
	void *filter_ud;
	match_admit_fn admit;   /* match_set_admit, NULL = none */
	void *admit_ud;
};

/* obs.c: the event's SCOs as {key: SCO} (new reference), for the
 * pattern module; and the SCO (with a deterministic id) for one hit value
 * of the given object path, NULL when the path names no SCO. */
json_t *mt_event_objects(const mt_event *ev);
json_t *mt_value_sco(const char *path, const char *value);

/* rx.c: p is a single LIKE/MATCHES comparison on kind k; takes p. */
int mt_rx_add(matcher *m, mt_kind k, pattern *p, uint32_t ind);
int mt_rx_compile(matcher *m, cc_err *e);
/* Call fn for every indicator whose LIKE/MATCHES on kind k matches the
 * value; scratch is the thread's hs_scratch_t. */
int mt_rx_scan(const matcher *m, mt_kind k, void *scratch, const char *p, size_t n,
	       mt_hit_fn fn, void *ud);
void mt_rx_free(matcher *m);

#endif
