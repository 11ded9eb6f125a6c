/*
 * analysis.h — what turns matches into judgements analysts trust:
 *
 *   - warning lists: values that must never alert on their own (special
 *     address ranges, public resolvers, hashes of empty files, lists in
 *     MISP's warning-list format that a member adds), and values too broad
 *     to be an indicator;
 *   - scores: an indicator's confidence decaying with age (MISP's decay
 *     model), raised by fresh sightings, lowered by false-positive reports
 *     (STIX opinion objects);
 *   - "who else saw this": sightings of an indicator or a value across the
 *     members of the hub, through the store's one access layer, naming a
 *     member only where it allows it;
 *   - attribution help: intrusion-sets ranked by the evidence they share
 *     with what was seen, rare evidence above common.
 *
 * Ownership: _new returns an owned handle freed by the matching _free
 * (NULL ok); strings returned by lookups are borrowed from the handle and
 * live as long as it does; json_t results are new references.  Handles are
 * read-only once built and may then be shared by threads.
 */
#ifndef CC_ANALYSIS_H
#define CC_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/store.h"
#include "util/err.h"

/* ---- warning lists (wl.c, wl_builtin.c) ---- */

typedef struct an_wlset an_wlset;

/* An empty set of lists; NULL without memory. */
an_wlset *an_wlset_new(void);
void an_wlset_free(an_wlset *s);

/* Parse one list in MISP's warning-list JSON format (name, description,
 * version, type: cidr | string | hostname | substring | regex,
 * matching_attributes, list) and add it.  origin names the input in
 * errors ("FILE: list[3]: not an address or CIDR").  CC_ERR on a list that
 * is not one (nothing is added), CC_ECONFLICT when a list of that name is
 * in the set already. */
int an_wlset_add_json(an_wlset *s, const char *text, size_t len, const char *origin, cc_err *e);

/* The lists the project ships, written from the public registries (see
 * wl_builtin.c and docs/warninglists.md). */
typedef struct an_wl_builtin {
	const char *name;       /* "cybercell-private" ... */
	const char *description;
	bool on;                /* used unless disabled (the documentation
				   ranges and names are off by default) */
} an_wl_builtin;
/* The built-in lists (*n of them). */
const an_wl_builtin *an_wl_builtins(size_t *n);
/* The MISP-format JSON of built-in list name (malloc'd), NULL if none. */
char *an_wl_builtin_json(const char *name);

/* What a set holds, for listings. */
typedef struct an_wl_meta {
	const char *name, *description, *type;  /* borrowed from the set */
	size_t entries;
} an_wl_meta;
size_t an_wlset_count(const an_wlset *s);
void an_wlset_meta(const an_wlset *s, size_t i, an_wl_meta *out);

/* The name of a list of s that holds value v (n bytes) of STIX object
 * path ("ipv4-addr:value", "network-traffic:dst_ref.value",
 * "domain-name:value", "url:value", "email-addr:value", "file:hashes.MD5",
 * "file:name", "x509-certificate:hashes.'SHA-1'" ...), or NULL.  An
 * address may be a CIDR: it is listed when it lies inside a listed range.
 * A list applies to the paths its matching_attributes name. */
const char *an_wl_find(const an_wlset *s, const char *path, const char *v, size_t n);

/* Why value v of path is too broad to be an indicator (a CIDR wider than
 * /16 for IPv4 or /32 for IPv6, a top-level domain), or NULL. */
const char *an_wl_broad(const char *path, const char *v, size_t n);

/* Add the lists in force to set: the built-in lists that are on (by
 * default, unless the store disabled them; the off ones when the store
 * enabled them) and the lists imported into store s and enabled there.
 * s may be NULL: the built-in defaults only. */
int an_wlset_load(an_wlset *set, store *s, cc_err *e);

/* A message about an indicator (borrowed during the call). */
typedef void (*an_warn_fn)(void *ud, const char *msg);
/* Warn through fn about every value that pattern p (a parsed `struct
 * pattern`) compares with =, IN or ISSUBSET and that is on a list of s
 * or too broad ("ipv4-addr:value '10.0.0.0/8' is on warning list
 * cybercell-private (...)").  s may be NULL (breadth only).  Returns how
 * many. */
struct pattern;
size_t an_wl_check_pattern(const an_wlset *s, const struct pattern *p, an_warn_fn fn, void *ud);

/* ---- scores: confidence that decays (score.c) ---- */

/* MISP's decay model: score(t) = base * (1 - (t / tau)^(1 / delta)) for
 * an age t below the lifetime tau, 0 after it. */
typedef struct an_decay {
	double tau_days;        /* lifetime */
	double delta;           /* decay speed: above 1 it drops early, below 1 late */
} an_decay;
/* The default model for indicators about SCO type t ("ipv4-addr",
 * "domain-name", "file" ...; NULL or unknown: the general one). */
void an_decay_for(const char *t, an_decay *out);

/* Sightings and opinions that bear on indicators' scores. */
typedef struct an_evidence an_evidence;
an_evidence *an_evidence_new(void);
void an_evidence_free(an_evidence *ev);
/* Take what a sighting (of an indicator: its last_seen) or an opinion
 * (on an indicator or a sighting of one) says; other objects are ignored.
 * The latest opinion of each author on each object counts. */
void an_evidence_add(an_evidence *ev, const json_t *obj);
/* Sum up the opinions (call after the last an_evidence_add; again after
 * more adds). */
void an_evidence_finish(an_evidence *ev);

/* Why an indicator scores what it does. */
typedef struct an_score_info {
	double score;           /* 0..100 */
	int base;               /* confidence (75 when it has none) */
	int adjust;             /* opinions: strongly-disagree -40, disagree -20,
				   agree +10, strongly-agree +20 */
	int64_t since_us;       /* age counts from: valid_from (else created),
				   or the last sighting's last_seen when later */
	uint64_t sightings;     /* sightings of it */
	an_decay model;
	char type[32];          /* the SCO type the model was chosen for */
	bool expired;           /* valid_until has passed: 0 */
} an_score_info;
/* The score of indicator obj at now_us, from its confidence and age and
 * the evidence (ev may be NULL).  Returns the score; *why (may be NULL)
 * gets the details. */
double an_indicator_score(const an_evidence *ev, const json_t *obj, int64_t now_us,
			  an_score_info *why);

/* ---- who else saw this (seen.c) ---- */

typedef struct an_seen_query {
	const char *indicator;  /* the sightings of this indicator id, or */
	const char *value;      /* of an observed value (an SCO's value or hash) */
	int64_t viewer_org;     /* who asks: a member (its grants and TLP ceilings
				   decide what it may count), 0 the operator */
} an_seen_query;

/* Who sighted it, as the viewer may know: a new JSON object
 *   {"indicator"|"value": Q, "members": N, "sightings", "count",
 *    "first_seen", "last_seen",
 *    "named": [{"member", "you"?, "sightings", "count", "first_seen",
 *               "last_seen"}...],      (the viewer, and members that allow it)
 *    "unnamed": {"members", "sightings", "count", "first_seen", "last_seen"},
 *    "hub": {...}}                      (the hub's own sightings, no member)
 * counting only what store_query_run lets the viewer read.  CC_EUSAGE
 * unless exactly one of indicator and value is given. */
int an_who_saw(store *s, const an_seen_query *q, json_t **out, cc_err *e);

/* ---- attribution help (attrib.c) ---- */

typedef struct an_attr an_attr;        /* a knowledge base of groups' profiles */
an_attr *an_attr_new(void);
void an_attr_free(an_attr *a);
/* Take an object of the knowledge base (intrusion-sets, attack-patterns,
 * malware, tools, indicators, infrastructure, relationships; STIX 2.0 or
 * 2.1; revoked and x_mitre_deprecated ones are left out; others
 * ignored). */
void an_attr_add(an_attr *a, const json_t *obj);
/* Build each intrusion-set's profile: the techniques, software and
 * infrastructure it uses, the techniques of its software, the indicators
 * that indicate it or its software, the parents of its sub-techniques.
 * CC_ENOTFOUND when there is no intrusion-set. */
int an_attr_build(an_attr *a, cc_err *e);
/* The id of the object of the base that text names: an id, an ATT&CK id
 * (T1059.001, S0002), or the name of a technique, malware or tool
 * (ignoring case); NULL when none. */
const char *an_attr_resolve(const an_attr *a, const char *text);
/* What indicator id indicates in the base (its `indicates` targets), up
 * to max ids into out (borrowed); how many. */
size_t an_attr_indicated(const an_attr *a, const char *id, const char **out, size_t max);
/* Rank the groups by the evidence ids (objects of the base; others are
 * listed as unmatched): a new JSON object
 *   {"note": "an aid to an analyst, not a verdict: ...", "groups": N,
 *    "evidence": K, "unmatched": [id...],
 *    "ranking": [{"rank", "id", "name", "probability", "profile",
 *                 "shared": [ITEM...], "missing": [ITEM...]}...]}
 * with the top groups; ITEM {"id", "type", "name", "external_id",
 * "groups" (how many have it), "weight" (ln(groups / that))}. */
int an_attr_rank(const an_attr *a, const char *const *ids, size_t n, size_t top, json_t **out,
		 cc_err *e);

/* For measuring the ranking (tests, docs/attribution.md): the groups,
 * the items of type (NULL: all) of group g's profile (up to max into
 * out, borrowed), and the position (1-based; 0 when absent) of group id
 * in the ranking for the evidence, by the likelihood or (baseline) by a
 * plain TF-IDF cosine. */
size_t an_attr_n_groups(const an_attr *a);
const char *an_attr_group_id(const an_attr *a, size_t g);
size_t an_attr_group_items(const an_attr *a, size_t g, const char *type, const char **out,
			   size_t max);
size_t an_attr_position(const an_attr *a, const char *const *ids, size_t n, const char *group,
			bool baseline);

#endif
