/*
 * report_int.h — helpers shared by report*.c (JSON, HTML, STIX): the
 * per-step "what your defenders would see" rows and small formatters.
 * Not part of the interface.
 */
#ifndef CC_WARGAME_REPORT_INT_H
#define CC_WARGAME_REPORT_INT_H

#include "wargame/sim.h"

/* One technique step of a jewel's most likely path, as defenders see it. */
typedef struct wg_seen {
	int jewel;              /* index into model->jewels */
	int step;               /* 1-based */
	int inst;               /* graph instance */
	const wg_rule *rule;
	int host;               /* where it is observable, or WG_NONE */
	double p;               /* success probability */
	double detect;          /* detection probability (model) */
	double detect_intel;    /* with the shared intel (== detect without) */
	double sim_rate;        /* observed detections / attempts of this step (this
				   rule instance) in the campaigns, < 0: n/a */
	size_t sim_attempts;    /* the campaigns' attempts of this step */
	char *sources;          /* ATT&CK data components, by name ("" none); owned */
	const char *telemetry;  /* "EDR alert", "SOC log", "none" */
	char *what;             /* sentence; owned */
} wg_seen;

/* Rows for every jewel's most likely path; caller frees with
 * wg_seen_free. */
wg_seen *wg_seen_rows(const wg_report_in *in, size_t *n);
void wg_seen_free(wg_seen *v, size_t n);

/* Append s to o with HTML's special characters escaped. */
void wg_html_esc(cc_buf *o, const char *s);

/* Most entries of simulation.furthest in the JSON and the report. */
#define WG_REPORT_FURTHEST 30

/* Observed detection rate of technique in r, or -1. */
double wg_report_rate(const wg_sim_result *r, const char *technique);

#endif
