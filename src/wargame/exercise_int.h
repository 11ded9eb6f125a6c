/*
 * exercise_int.h — the state of an exercise game, shared by exercise.c
 * (the rules of the game) and exercise_msg.c (messages, briefing and
 * after-action review).  Not part of the interface.
 */
#ifndef CC_WARGAME_EXERCISE_INT_H
#define CC_WARGAME_EXERCISE_INT_H

#include <jansson.h>

#include "wargame/sim_int.h"

enum { EX_RUNNING = 0, EX_EVICTED, EX_JEWEL, EX_TURNS };

/* Score of the game (docs/exercise.md). */
#define EX_PTS_EVICTED 100      /* the attacker has no move left */
#define EX_PTS_JEWEL (-100)     /* a crown jewel fell */
#define EX_PTS_TURN 1           /* each turn the jewels hold */
#define EX_PTS_ISOLATE_HIT 10   /* isolating a host the attacker is on */
#define EX_PTS_ISOLATE_MISS (-5) /* isolating a clean host (disruption) */
#define EX_PTS_FOUND 5          /* an investigation that finds the attacker */

struct wg_exercise {
	const wg_graph *g;
	wg_simctx *c;
	wg_camp s;              /* the attacker's campaign (its own stream) */
	wg_rng arng;            /* false alerts */
	wg_ex_opts o;
	int turn;               /* 1-based blue turn */
	int budget;             /* points left this turn */
	int outcome;            /* EX_* */
	int jewel;              /* model jewel that fell, or WG_NONE */
	int score;
	int next_alert;         /* alert ids, ... */
	int *tele;              /* hosts with telemetry (EDR or monitored) */
	size_t ntele;
	uint32_t *fp_off;       /* per host (CSR): the adversary's technique rules */
	int *fp_rules;          /* that could act on it (false alerts name one) */
	json_t *alerts;         /* raised by the last attacker move */
	json_t *results;        /* blue results this turn */
	json_t *shown;          /* blue results of the previous turn */
	json_t *steps;          /* every attacker step, for the review */
	json_t *blue;           /* every blue action, for the review */
	json_t *log;            /* every alert with its turn, for the review */
	size_t true_alerts, false_alerts;
	size_t iso_hit, iso_miss, found;    /* isolations on / off the attacker,
					       investigations that found it */
};

#endif
