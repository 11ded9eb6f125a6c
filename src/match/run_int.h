/*
 * run_int.h — PRIVATE to src/match/: the state of a match_run.
 *
 * Ownership: the run owns its aggregates (and their value strings) and the
 * candidate observations in its windows.
 */
#ifndef CC_MATCH_RUN_INT_H
#define CC_MATCH_RUN_INT_H

#include "match/scan_int.h"

#define MT_AGG_VALUES 16        /* distinct values kept per sighting */
#define MT_WINDOW_MAX 256       /* candidate observations kept per pattern */

/* What one indicator's sighting will say. */
typedef struct mt_agg {
	uint64_t count;         /* hits */
	int64_t first, last;    /* event times (INT64_MAX/MIN when none had one) */
	size_t nv;
	char *vals[MT_AGG_VALUES]; /* "path\0value" */
	bool dirty;             /* changed since its sighting was last made */
	char sid[48], oid[56];  /* the sighting's and observed-data's ids ("" until
				   first made): later versions keep them */
	int64_t created;        /* their created time */
} mt_agg;

/* The candidate observations of one multi-observation pattern. */
typedef struct mt_window {
	pattern_observation *obs;
	char **vals;            /* per observation: its "path\0value\0" pairs */
	uint32_t *nvals;
	uint64_t *lines;
	size_t n, cap;
} mt_window;

/* The (indicator, observation) pairs that hit lately, so that the other
 * records of an observation (an EVE transaction's http, alert and fileinfo
 * records) do not count again.  Two generations of open-addressing sets
 * of 64-bit keys (0 = empty): when the current one holds MT_SEEN_MAX
 * keys it becomes the old one, so at least the last MT_SEEN_MAX pairs are
 * remembered in bounded memory (records of one transaction are written
 * moments apart). */
#define MT_SEEN_MAX 65536
typedef struct mt_seen {
	uint64_t *cur, *old;    /* 2 * MT_SEEN_MAX slots each, NULL until used */
	size_t n_cur;           /* keys in cur */
} mt_seen;

struct match_run {
	const matcher *m;
	mt_agg **agg;           /* per indicator, NULL until it hits */
	mt_window *win;         /* per general pattern (used by multi ones) */
	mt_seen seen;           /* observations already counted */
	bool retro;             /* some scan ignored validity windows */
	int64_t modified;       /* the last sightings' modified (each call's is later) */
	match_totals tot;
};

void mt_run_hit(match_run *r, const match_opts *o, const char *file, uint32_t ind,
		uint64_t line, int64_t ts, uint64_t obs, const char *vals, uint32_t nv);
void mt_run_cand(match_run *r, const match_opts *o, const char *file, const mt_cand *c,
		 const char *vals, uint64_t line);
/* Deliver a scanned piece's results (hits, candidates, malformed lines,
 * counts) in order; line_base is the lines of the file before it. */
void mt_merge_piece(match_run *run, const match_opts *o, const char *file, mt_piece *pc,
		    uint64_t line_base);

#endif
