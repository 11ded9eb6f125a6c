/*
 * match_int.h — PRIVATE to `cybercell match` (src/cmd/match*.c): the
 * state of one run of the command, shared by its option parsing
 * (match.c), its loading of indicators, warning lists and scores
 * (match_in.c) and its output: hits, warnings, sightings (match_out.c).
 */
#ifndef CC_CMD_MATCH_INT_H
#define CC_CMD_MATCH_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis/analysis.h"
#include "match/match.h"
#include "store/store.h"

#define MCLI_SHOWN 5            /* warnings of one kind shown before a count */

typedef struct match_cli {
	/* output of hits */
	bool json;              /* --json */
	bool stats;             /* --stats */
	bool progress;          /* stderr is a terminal */
	uint64_t bad_shown;     /* malformed lines reported */
	int64_t last_progress;
	const char *progress_file;
	const matcher *m;
	match_format fmt;       /* the format of the file being scanned */
	/* warning lists (NULL with --no-warninglists) */
	an_wlset *wl;
	uint64_t wl_skipped;    /* indicator values skipped */
	/* scores (--min-score) */
	double min_score;       /* < 0: no minimum */
	an_evidence *ev;
	uint64_t score_skipped; /* indicators below the minimum */
	int64_t now_us;         /* the time scores are computed at */
	/* sightings */
	store *s;               /* the store, when one is needed */
	int64_t coll_id;        /* the collection of --collection / default */
	const char *sight_path; /* --sightings FILE */
	bool store_s;           /* --store-sightings */
	const char *org;        /* --org */
	char identity[64];      /* where the sightings were made */
	json_t *local_id;       /* the run's own identity object, or NULL */
	bool identity_done;     /* identity and local_id are set */
	match_run *run;
	uint64_t flushes;       /* sightings flushed (--follow) */
} match_cli;

/* match_in.c: the indicators of a bundle file or a store collection, with
 * the warning lists and the minimum score in force. */
int mcli_setup_filters(match_cli *c, matcher *m, const char *const *wl_files, size_t n_wl,
		       bool no_wl, cc_err *e);
int mcli_load(match_cli *c, matcher *m, const char *bundle, const char *coll, cc_err *e);
/* After compiling: say what the filters skipped. */
void mcli_report_skips(const match_cli *c);

/* match_out.c */
void mcli_print_hit(void *ud, const match_hit *h);
void mcli_print_bad(void *ud, const char *file, uint64_t line, const char *why);
void mcli_print_progress(void *ud, uint64_t done, uint64_t total);
void mcli_note_format(void *ud, const char *file, match_format fmt);
/* A log none of whose fields can reach an indicator: say so. */
void mcli_check_fields(const match_cli *c, const char *file, const match_totals *before,
		       const match_totals *after);
/* Write or store the sightings (all of them, or those changed since the
 * last flush). */
int mcli_sightings(match_cli *c, bool changed_only, cc_err *e);

#endif
