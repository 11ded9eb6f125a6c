/*
 * scan_int.h — PRIVATE to src/match/: the records a scanning thread keeps
 * for one piece of a file until the caller's thread merges it, and the
 * per-run state (sighting aggregates, multi-observation windows).
 *
 * Ownership: a piece owns its records, value bytes and candidate
 * observations (json references); a worker owns its event and scratch.
 */
#ifndef CC_MATCH_SCAN_INT_H
#define CC_MATCH_SCAN_INT_H

#include "match/match_int.h"
#include "util/buf.h"

/* A hit of one indicator on one event (values in the piece's vals). */
typedef struct mt_hitrec {
	uint32_t ind;           /* indicator number */
	uint32_t nv;            /* values */
	uint64_t line;          /* line within the piece, 1-based */
	int64_t ts;             /* event time */
	uint64_t obs;           /* the event's observation key (mt_event.obs_key) */
	size_t voff;            /* offset of nv "path\0value\0" pairs in vals */
} mt_hitrec;

/* An event that satisfied an observation expression of a multi-observation
 * pattern: the run's state for that pattern decides. */
typedef struct mt_cand {
	uint32_t gen;           /* index in matcher.gen */
	uint32_t nv;            /* values */
	uint64_t line;
	int64_t ts;
	json_t *objects;        /* owned: the event's {key: SCO} */
	size_t voff;
} mt_cand;

#define MT_BAD_KEEP 5
typedef struct mt_piece {
	const char *p;          /* the piece's bytes (whole lines) */
	size_t n;
	uint64_t lines, events, malformed;
	uint64_t fields;        /* fields kept by the reader, all events */
	struct { uint64_t line; const char *why; } bad[MT_BAD_KEEP];
	int nbad;
	mt_hitrec *hits;
	size_t nh, caph;
	mt_cand *cands;
	size_t nc, capc;
	cc_buf vals;
	mt_reader rd_end;       /* the reader after the piece (header state) */
	int state;              /* 0 waiting, 1 taken, 2 done */
} mt_piece;

typedef struct mt_acc { uint32_t ind, field; } mt_acc;

/* One scanning thread's state. */
typedef struct mt_worker {
	const matcher *m;
	mt_event ev;            /* the current event */
	void *scratch;          /* hs_scratch_t *, NULL without regexes */
	mt_acc *acc;            /* (indicator, field) pairs of the current event */
	size_t nacc, capacc;
	uint32_t cur_field;
	bool retro;             /* ignore validity windows (match_opts.retro) */
} mt_worker;

void mt_worker_init(mt_worker *w, const matcher *m, bool retro);
void mt_worker_free(mt_worker *w);
/* Read every line of pc with rd (whose header state carries on). */
void mt_scan_piece(mt_worker *w, mt_piece *pc, mt_reader *rd);
void mt_match_event(mt_worker *w, mt_piece *pc, mt_event *ev);
void mt_piece_clear(mt_piece *pc);
/* The object path a hit value is reported under. */
const char *mt_field_path(const mt_field *f);

#endif
