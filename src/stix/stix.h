/*
 * stix.h — the STIX 2.1 object model of cybercell: strict JSON input,
 * validation of every STIX 2.1 object type against OASIS STIX 2.1 (CS02),
 * the STIX 2.0 -> 2.1 upgrade, identifiers and TLP markings.
 *
 * Objects are jansson json_t values (key order preserved).  Ownership:
 * functions named _parse / returning json_t * hand the caller a NEW
 * reference (json_decref it); functions taking a const json_t * only borrow
 * it; stix_upgrade modifies its object in place and appends new references
 * into the caller's array.  Returned const char * are static strings.
 * Nothing here prints or keeps global mutable state; every function is
 * safe to call from several threads on different objects.
 */
#ifndef CC_STIX_STIX_H
#define CC_STIX_STIX_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

/* Deepest array/object nesting stix_json_parse accepts (jansson's bound, 2048). */
#define STIX_MAX_DEPTH JSON_PARSER_MAX_DEPTH

/* Parse JSON text strictly: duplicate keys rejected, invalid UTF-8
   rejected, nesting depth bounded (STIX_MAX_DEPTH), no crash or hang on
   100 MB strings or 10,000-deep nesting.  NULL on error with e->msg
   "<display>:<line>:<column>: <what>".  New reference. */
json_t *stix_json_parse(const char *text, size_t len, const char *display,
			cc_err *e);

/* The objects of an input document: a bundle -> its "objects" array; a
   JSON array of objects -> itself; a single object -> [it].  New reference
   to an array.  Error if the root is none of these ("<display>: not a STIX
   bundle, object or array of objects"). */
json_t *stix_input_objects(json_t *root, const char *display, cc_err *e);

/* Whether obj is STIX 2.0: its spec_version is "2.0", or it has none and
   the enclosing bundle's spec_version (bundle_spec_version, NULL when none)
   is "2.0", or it has none and is not an SCO (2.1 requires spec_version on
   SDOs, SROs, markings and custom objects; 2.0 had none). */
bool stix_is_20(const json_t *obj, const char *bundle_spec_version);

/* Upgrade one STIX 2.0 object to 2.1 in place: spec_version "2.1";
   malware is_family; observed-data embedded "objects" -> 2.1 SCOs with
   deterministic UUIDv5 ids (namespace cc_uuid_ns_stix, 2.1 id-contributing
   properties) appended to extra (an array; new references), obj gets
   object_refs; 2.0 refs inside SCOs rewritten to ids; labels moved to
   indicator_types, malware_types, report_types, threat_actor_types,
   tool_types; indicator pattern_type "stix"; x_* and x-* kept untouched.
   Call it when stix_is_20() says so; an object whose spec_version is
   "2.1" is left alone.  Returns 0, or a negative code with e set as
   "<property>: <what>" (unknown spec_version, malformed 2.0 data). */
int stix_upgrade(json_t *obj, json_t *extra, cc_err *e);

/* Called once per problem found by stix_validate: path like "valid_from"
   or "external_references[2].source_name" ("" for the object itself), msg
   like "not a STIX timestamp".  Both strings are only valid during the
   call. */
typedef void (*stix_problem_fn)(const char *path, const char *msg, void *ud);

/* Validate one STIX 2.1 object (SDO, SRO, SCO, marking-definition,
   language-content, extension-definition, custom x-...): required
   properties per type, id = type--UUID, timestamps (strict, "Z", modified
   >= created), property types, allowed target types of *_ref and *_refs, closed
   enums, TLP marking definitions, and for indicators with pattern_type
   "stix" the pattern syntax.  Each problem is reported through cb (may be
   NULL).  Returns the number of problems (0 = valid). */
size_t stix_validate(const json_t *obj, stix_problem_fn cb, void *ud);

/* Validate the envelope of a bundle (type "bundle", id bundle--UUID, an
   optional spec_version "2.0"/"2.1", objects a list of objects); not the
   objects themselves, which go through stix_validate one by one (a bundle
   among them is an error).  Returns the number of problems. */
size_t stix_validate_bundle(const json_t *root, stix_problem_fn cb, void *ud);

/* TLP levels. */
enum {
	STIX_TLP_NONE = -1,
	STIX_TLP_CLEAR = 0,         /* TLP 2.0 clear, TLP 1.0 white */
	STIX_TLP_GREEN = 1,
	STIX_TLP_AMBER = 2,
	STIX_TLP_AMBER_STRICT = 3,
	STIX_TLP_RED = 4,
};

/* The TLP level of obj from object_marking_refs (the highest if several;
   TLP 1.0 and 2.0 marking ids both recognised, in any letter case): -1
   none, 0 clear, 1 green, 2 amber, 3 amber+strict, 4 red. */
int stix_tlp_level(const json_t *obj);

/* The highest TLP level among the marking_ref of obj's granular_markings
   (whatever their selectors), -1 when none is a TLP marking. */
int stix_tlp_granular_level(const json_t *obj);

/* The TLP 2.0 marking-definition id for a level 0..4 (NULL otherwise). */
const char *stix_tlp_marking_id(int level);

/* "clear", "green", "amber", "amber+strict", "red" (NULL otherwise). */
const char *stix_tlp_name(int level);

/* Inverse of stix_tlp_name (also accepts "white"); -1 unknown. */
int stix_tlp_parse_name(const char *name);

/* ---- what an object path of a pattern names (src/stix/paths.c) ---- */

/* Whether a path names something of an SCO type. */
typedef enum stix_path_status {
	STIX_PATH_OK,           /* it names a property (or a custom x_ one) */
	STIX_PATH_NO_TYPE,      /* the type is neither a STIX 2.1 SCO nor custom (x-) */
	STIX_PATH_NOT_SCO,      /* a STIX 2.1 type, but not a cyber-observable */
	STIX_PATH_NO_PROP,      /* step bad_step names nothing there */
} stix_path_status;

/* What the value at the end of a path is. */
typedef enum stix_value_kind {
	STIX_VAL_ANY,           /* anything: a dictionary's values, custom properties */
	STIX_VAL_STRING, STIX_VAL_INT, STIX_VAL_FLOAT, STIX_VAL_BOOL,
	STIX_VAL_TIMESTAMP, STIX_VAL_HEX, STIX_VAL_BINARY,
	STIX_VAL_LIST,          /* a list (its elements need [*] or [n]) */
	STIX_VAL_OBJECT,        /* a structure (its properties need a step) */
} stix_value_kind;

typedef struct stix_path_info {
	stix_path_status status;
	stix_value_kind kind;           /* with STIX_PATH_OK */
	const char *const *enum_vals;   /* a closed vocabulary the value is one of, or NULL */
	bool ranged;                    /* INT with bounds lo..hi */
	double lo, hi;
	const char *hash_alg;           /* the last step when it keys a hashes
					   dictionary (borrowed from steps), else NULL */
	size_t bad_step;                /* NO_PROP: the step that names nothing */
	const char *why;                /* NO_PROP: a short reason ("no such property",
					   "not a list", ...) */
} stix_path_info;

/* Look up the path type:steps[0].steps[1]... in the STIX 2.1 tables:
 * steps are property names, NULL for a list index ([n] or [*]); a _ref
 * step continues in the types it may name (the first that has the next
 * property), an extensions step in the predefined extension it names.
 * Custom x- types, x_ properties and unknown extensions are OK (ANY).
 * Never fails: the answer is in *out. */
void stix_path_lookup(const char *type, const char *const *steps, size_t n, stix_path_info *out);

/* A warning about a pattern that parses but cannot do what it seems to
 * say: line and col (1-based, bytes) of what it is about, and the text. */
typedef void (*stix_pattern_warn_fn)(void *ud, int line, int col, const char *msg);

/* Call fn for every comparison of pattern p (a parsed `struct pattern`,
 * src/pattern) whose path names nothing of its SCO type in STIX 2.1
 * (custom x- types and x_ properties aside), and for every value that can
 * never be one of the property's: a string for an integer, '1.2.3.400' for
 * ipv4-addr:value, a hash of the wrong length, a port above 65535, a word
 * outside a closed vocabulary, a list compared without [*].  Returns how
 * many warnings were given (fn may be NULL to count them). */
struct pattern;
size_t stix_pattern_lint(const struct pattern *p, stix_pattern_warn_fn fn, void *ud);

/* Whether id is "<type>--<UUID>" with a well-formed type and RFC 4122 UUID,
   and, when expected_type is not NULL, whether its type is that one. */
bool stix_id_valid(const char *id, const char *expected_type);

/* "indicator--..." -> "indicator" copied into out (size n); false if id is
   malformed or the type does not fit. */
bool stix_id_type(const char *id, char *out, size_t n);

#endif
