/*
 * match.h — the compiled indicator matcher and the log scanner.
 *
 * A matcher holds every STIX-patterned indicator it was given, compiled:
 * single comparisons on addresses, domains, URLs, e-mail addresses, hashes
 * and certificate fields go into exact indexes; LIKE/MATCHES into one
 * Hyperscan database per object path (PCRE2 for what Hyperscan refuses);
 * everything else is evaluated per event with the pattern module, with
 * per-indicator state for multi-observation patterns.  A scan reads logs
 * (Zeek TSV/JSON, Suricata EVE, CSV, text), turns each line into the STIX
 * observations it implies, and reports hits in file/line order, on one or
 * more threads.  A run accumulates hits into STIX sightings.
 *
 * Ownership: match_new/match_run_new return owned handles freed with
 * match_free/match_run_free (NULL ok).  Hits passed to callbacks are
 * borrowed for the duration of the call.  match_sightings() returns a new
 * jansson reference.  A compiled matcher is read-only and may be shared by
 * the scanning threads; a run is used by one caller thread.
 */
#ifndef CC_MATCH_H
#define CC_MATCH_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef enum match_format {
	MATCH_FMT_AUTO = 0,     /* decide from the content */
	MATCH_FMT_ZEEK,         /* Zeek TSV with #fields/#types headers */
	MATCH_FMT_ZEEKJSON,     /* Zeek JSON lines */
	MATCH_FMT_EVE,          /* Suricata EVE JSON lines */
	MATCH_FMT_CSV,          /* CSV with a header row */
	MATCH_FMT_TEXT,         /* anything: values found by their shape */
	MATCH_FMT_ECS,          /* Elastic Common Schema JSON lines (Filebeat,
				   Elastic Agent), nested or dotted keys */
	MATCH_FMT_COUNT
} match_format;

/* "zeek" -> MATCH_FMT_ZEEK ...; false when unknown. */
bool match_format_parse(const char *s, match_format *out);
/* The name of a format ("zeek", "eve", ...). */
const char *match_format_name(match_format f);

/* --map COLUMN=OBJECT_PATH for CSV. */
typedef struct match_colmap {
	const char *column;     /* header name, case-insensitive */
	const char *path;       /* STIX object path, e.g. "ipv4-addr:value" */
} match_colmap;
/* false (and *e set) when path is not one the CSV reader can fill. */
bool match_colmap_check(const match_colmap *m, cc_err *e);

typedef struct matcher matcher;

/* Counts of what the matcher holds, by how it is evaluated. */
typedef struct match_stats {
	size_t indicators;      /* accepted indicators */
	size_t skipped;         /* not pattern_type stix, revoked, or bad pattern */
	size_t exact_ip;        /* address and CIDR entries */
	size_t exact_str;       /* domain, URL, e-mail, hash, certificate entries */
	size_t regex_hs;        /* LIKE/MATCHES in Hyperscan */
	size_t regex_pcre;      /* LIKE/MATCHES that only PCRE2 takes */
	size_t general;         /* evaluated with the pattern evaluator */
	size_t filtered;        /* values the filter dropped (match_set_filter) */
	size_t bytes;           /* memory of indexes and strings */
	size_t strings;         /* of which string bytes (ids, names, keys) */
} match_stats;

matcher *match_new(void);
void match_free(matcher *m);

/* Add one indicator object (borrowed).  Returns 0 when taken, 1 when
 * skipped (not a STIX-patterned indicator, revoked), negative with *e on a
 * pattern that does not parse (the caller may warn and go on). */
int match_add_indicator(matcher *m, json_t *obj, cc_err *e);
/* Like match_add_indicator, from the object's JSON text (read without
 * building a tree: what a million-indicator feed needs). */
int match_add_indicator_text(matcher *m, const char *text, size_t len, cc_err *e);
/* Add every indicator in a STIX bundle file ("-" stdin, .gz ok).  Bad
 * patterns are counted as skipped and the first few reported through warn. */
typedef void (*match_warn_fn)(void *ud, const char *msg);
int match_add_bundle_file(matcher *m, const char *path, match_warn_fn warn, void *ud,
			  cc_err *e);
/* Values that must never alert (warning lists, values too broad): fn
 * says true for a value to drop.  It is asked, with hit false, about each
 * value an indicator puts into the exact indexes (a dropped value is not
 * indexed; an indicator left without values never hits), and, with hit
 * true, about the values of each hit (a hit all of whose values it drops
 * is not reported, and counted in match_totals.suppressed).  path is the
 * STIX object path ("ipv4-addr:value", "network-traffic:dst_ref.value",
 * "file:hashes.MD5" ...), v (n bytes) the value as written.  Set it
 * before adding indicators; fn is called on the caller's thread. */
typedef bool (*match_filter_fn)(void *ud, const char *indicator, const char *path, const char *v,
				size_t n, bool hit);
void match_set_filter(matcher *m, match_filter_fn fn, void *ud);

/* Which indicators to take at all (e.g. a minimum score): fn gets each
 * STIX-patterned indicator's JSON text (len bytes) and says true to take
 * it; one it refuses is counted as skipped.  Set before adding. */
typedef bool (*match_admit_fn)(void *ud, const char *json, size_t len);
void match_set_admit(matcher *m, match_admit_fn fn, void *ud);

/* Build the indexes; after this the matcher is read-only. */
int match_compile(matcher *m, cc_err *e);
void match_get_stats(const matcher *m, match_stats *out);
/* The id / name of indicator number i (borrowed). */
const char *match_indicator_id(const matcher *m, uint32_t i);
const char *match_indicator_name(const matcher *m, uint32_t i);

/* How many indicators the exact indexes hold for one value of an object
 * path (see match_path_id: "ipv4-addr:value", "file:hashes.MD5", ...), looked up exactly as a
 * scan does (normalised, CIDRs covering an address).  For benchmarks and
 * tests; 0 for paths without an index. */
size_t match_lookup(const matcher *m, int path_id, const char *v, size_t n);
/* The path_id of an object path for match_lookup, -1 when not indexed. */
int match_path_id(const char *path);

/* One value of an event that took part in a hit. */
typedef struct match_value {
	const char *path;       /* STIX object path, e.g. "domain-name:value" */
	const char *value;      /* the value as it was in the log (NUL-terminated) */
} match_value;

typedef struct match_hit {
	uint32_t indicator;     /* indicator number, see match_indicator_id */
	const char *file;       /* display name of the log */
	uint64_t line;          /* 1-based line */
	int64_t ts_us;          /* event time, INT64_MIN when the line had none */
	size_t n_values;
	const match_value *values;
	bool retro;             /* a retro-hunt: validity windows were ignored */
} match_hit;

typedef void (*match_hit_fn)(void *ud, const match_hit *h);
/* A malformed line: file, line, reason. */
typedef void (*match_bad_fn)(void *ud, const char *file, uint64_t line, const char *why);
/* Progress: bytes done of total for the current file. */
typedef void (*match_progress_fn)(void *ud, uint64_t done, uint64_t total);
/* A file's format is decided (detected or given): name, format. */
typedef void (*match_file_fn)(void *ud, const char *file, match_format fmt);

typedef struct match_opts {
	match_format format;    /* MATCH_FMT_AUTO to detect per file */
	const match_colmap *maps; size_t n_maps;
	int threads;            /* >= 1 */
	bool retro;             /* retro-hunt: ignore the indicators' validity
				   windows (valid_from / valid_until) */
	match_hit_fn on_hit; void *hit_ud;
	match_bad_fn on_bad; void *bad_ud;
	match_progress_fn on_progress; void *progress_ud;
	match_file_fn on_file; void *file_ud;
} match_opts;

/* The result of scanning: per-indicator counts for the sightings. */
typedef struct match_run match_run;
match_run *match_run_new(const matcher *m);
void match_run_free(match_run *r);

/* Scan one log file ("-" stdin, .gz transparent).  Hits are delivered in
 * file/line order whatever the thread count.  Returns 0, or CC_EIO when the
 * file cannot be read, CC_ERR when its format cannot be determined. */
int match_scan_file(const matcher *m, match_run *run, const char *path,
		    const match_opts *o, cc_err *e);
/* Scan bytes already in memory (tests, fuzzing); name is for messages. */
int match_scan_mem(const matcher *m, match_run *run, const char *name,
		   const char *data, size_t len, const match_opts *o, cc_err *e);
/* Call after the last file: multi-observation windows are released (a hit
 * is reported as soon as a window matches, so nothing is pending). */
void match_run_finish(const matcher *m, match_run *run, const match_opts *o);

/* Following a growing log (match_follow). */
typedef struct match_follow_opts {
	int poll_ms;            /* how often to look for new data when there is
				   none (default 200) */
	int tick_s;             /* call on_tick every tick_s seconds (0: never) */
	void (*on_tick)(void *ud);
	void *tick_ud;
	const volatile sig_atomic_t *stop; /* stop when *stop becomes nonzero (set
				   by a signal handler); may be NULL */
} match_follow_opts;

/* Scan path ("-": stdin) as it grows, line by line as lines arrive (hits
 * are delivered as soon as their line is complete), until stdin ends or
 * *stop is set.  A file is read from its start, then followed like
 * `tail -F`: when it is renamed away (Zeek's rotation) the rest of it is
 * read and the new file at path is followed from its start; when it is
 * truncated it is read again from the start.  The format is decided from
 * each file's first line (o->format unless AUTO).  Returns 0, or CC_EIO
 * when path cannot be read at all. */
int match_follow(const matcher *m, match_run *run, const char *path, const match_opts *o,
		 const match_follow_opts *fo, cc_err *e);

typedef struct match_totals {
	uint64_t lines, events, malformed, hits, bytes;
	uint64_t merged;        /* hits on an observation already counted (the
				   other records of one EVE transaction) */
	uint64_t fields;        /* fields the readers kept (0 for a log none of
				   whose fields can matter to the indicators) */
	uint64_t suppressed;    /* hits all of whose values the filter dropped */
} match_totals;
void match_run_totals(const match_run *r, match_totals *out);

/* The STIX 2.1 objects of the run: one sighting per indicator hit, with an
 * observed-data and its SCOs each.  identity is the where_sighted_ref
 * identity id ("identity--..."); created_by may be NULL.  Returns an array
 * of new objects (empty when nothing hit).  A sighting and its
 * observed-data keep their ids from call to call (a run that goes on
 * makes new versions of them, each call's modified later than the last). */
json_t *match_sightings(const matcher *m, match_run *run, const char *identity);
/* Like match_sightings, with only the sightings that changed since the
 * last call of either (a long-running scan flushes them periodically). */
json_t *match_sightings_changed(const matcher *m, match_run *run, const char *identity);

#endif
