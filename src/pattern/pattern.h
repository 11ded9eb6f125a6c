/*
 * pattern.h — the STIX 2.1 patterning language (STIX 2.1 section 9):
 * parse, print in a normalised form, dump the AST as JSON, and evaluate
 * against observed-data with the semantics of the OASIS reference matcher
 * (cti-pattern-matcher).
 *
 * Ownership: pattern_parse() returns a pattern the caller frees with
 * pattern_free(); every node and string inside belongs to that pattern and
 * lives as long as it does (the AST types are public so other modules, e.g.
 * src/match, can walk it read-only; never free or edit nodes yourself).
 * Functions named _normalise/_json/_new return owned values (free() /
 * json_decref() / the matching _free).  json_t arguments are borrowed.
 * A parsed pattern is immutable and may be evaluated from several threads.
 *
 * Errors: pattern_parse() fills e->msg as "pattern:LINE:COL: <what>"
 * (LINE and COL 1-based, COL counted in bytes).
 */
#ifndef CC_PATTERN_H
#define CC_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/err.h"

/* ---- literals -------------------------------------------------------- */

typedef enum pattern_lit_kind {
	PATTERN_LIT_STRING,     /* 'text'            -> str/len (unescaped UTF-8) */
	PATTERN_LIT_INT,        /* 42, -7, +3        -> i */
	PATTERN_LIT_FLOAT,      /* 7.0, -.5          -> f */
	PATTERN_LIT_BOOL,       /* true / false      -> b */
	PATTERN_LIT_TIMESTAMP,  /* t'2016-...Z'      -> ts_us (and str = text inside quotes) */
	PATTERN_LIT_HEX,        /* h'ffd8'           -> bytes/len */
	PATTERN_LIT_BINARY,     /* b'AAEC'           -> bytes/len (base64-decoded) */
	PATTERN_LIT_SET,        /* ('a', 'b')        -> items/n_items (IN only) */
} pattern_lit_kind;

typedef struct pattern_literal {
	pattern_lit_kind kind;
	char *str;              /* STRING: NUL-terminated unescaped text (may hold
				   embedded NULs only if the source did — it cannot);
				   TIMESTAMP: the timestamp text; FLOAT: the source
				   digits (sign kept, '+' dropped); else NULL */
	size_t len;             /* STRING: strlen(str); HEX/BINARY: bytes in bytes */
	unsigned char *bytes;   /* HEX/BINARY: the decoded bytes (NULL when len 0) */
	int64_t i;              /* INT: the value */
	double f;               /* FLOAT: the value */
	bool b;                 /* BOOL: the value */
	int64_t ts_us;          /* TIMESTAMP: microseconds since the epoch */
	struct pattern_literal *items;  /* SET: the members (never SETs) */
	size_t n_items;         /* SET: how many members (0 for "()") */
} pattern_literal;

/* ---- object paths ---------------------------------------------------- */

typedef enum pattern_step_kind {
	PATTERN_STEP_KEY,       /* .name or .'quoted name' (also the first step) */
	PATTERN_STEP_INDEX,     /* [n] — n may be negative (counts from the end) */
	PATTERN_STEP_ANY,       /* [*] — every element of a list */
} pattern_step_kind;

typedef struct pattern_step {
	pattern_step_kind kind;
	char *key;              /* KEY: the property name, unquoted; else NULL */
	int64_t index;          /* INDEX: the list index */
} pattern_step;

/* "file:hashes.'SHA-256'" is type "file" and steps [KEY hashes, KEY SHA-256].
 * A KEY step whose name ends in "_ref" ("_refs") is replaced by the SCO it
 * names (the list of SCOs), as the reference matcher does, so that
 * network-traffic:src_ref.value and domain-name:resolves_to_refs[*].value
 * reach into the referenced objects. */
typedef struct pattern_path {
	char *object_type;      /* the SCO type before ':' */
	pattern_step *steps;    /* at least one; steps[0] is always a KEY */
	size_t n_steps;
} pattern_path;

/* ---- comparison expressions (inside one [...]) ----------------------- */

typedef enum pattern_op {
	PATTERN_OP_EQ,          /* =  (also ==) */
	PATTERN_OP_NE,          /* != (also <>) */
	PATTERN_OP_LT,          /* <  */
	PATTERN_OP_GT,          /* >  */
	PATTERN_OP_LE,          /* <= */
	PATTERN_OP_GE,          /* >= */
	PATTERN_OP_IN,          /* IN (set literal) */
	PATTERN_OP_LIKE,        /* LIKE 'a%b_' (SQL wildcards) */
	PATTERN_OP_MATCHES,     /* MATCHES 'pcre' */
	PATTERN_OP_ISSUBSET,    /* ISSUBSET '10.0.0.0/8' */
	PATTERN_OP_ISSUPERSET,  /* ISSUPERSET '10.0.0.0/24' */
	PATTERN_OP_EXISTS,      /* EXISTS path (no literal) */
} pattern_op;

/* One property test.  "file:size NOT > 10" is {path, GT, negated, 10}. */
typedef struct pattern_comparison {
	pattern_path path;
	pattern_op op;
	bool negated;           /* NOT before the operator (or before EXISTS) */
	pattern_literal lit;    /* the right-hand side; unused for EXISTS */
	void *regex;            /* MATCHES and LIKE: the compiled regexes
				   (private to this module; NULL otherwise) */
	int line, col;          /* where the comparison starts in the source
				   (1-based; col in bytes), for messages */
	int lit_line, lit_col;  /* where its right-hand side starts */
} pattern_comparison;

typedef enum pattern_cexpr_kind {
	PATTERN_CE_CMP,         /* a leaf: cmp */
	PATTERN_CE_AND,         /* all kids (binds tighter than OR) */
	PATTERN_CE_OR,          /* any kid */
} pattern_cexpr_kind;

/* AND/OR nodes are n-ary: "a AND b AND c" and "(a AND b) AND c" are both
 * one AND node with three kids (n_kids >= 2).  Kids are never of the same
 * kind as their parent. */
typedef struct pattern_cexpr {
	pattern_cexpr_kind kind;
	pattern_comparison *cmp;        /* CMP: the comparison; else NULL */
	struct pattern_cexpr **kids;    /* AND/OR: the operands, in source order */
	size_t n_kids;
} pattern_cexpr;

/* ---- observation expressions ----------------------------------------- */

typedef enum pattern_oexpr_kind {
	PATTERN_OE_OBS,         /* [ comparison expression ] -> ce */
	PATTERN_OE_AND,         /* left AND right (different observations) */
	PATTERN_OE_OR,          /* left OR right */
	PATTERN_OE_FOLLOWEDBY,  /* left FOLLOWEDBY right */
	PATTERN_OE_WITHIN,      /* kid WITHIN seconds SECONDS */
	PATTERN_OE_REPEATS,     /* kid REPEATS times TIMES */
	PATTERN_OE_STARTSTOP,   /* kid START t'start' STOP t'stop' */
} pattern_oexpr_kind;

/* Binary nodes keep the parse tree: "A AND B AND C" is AND(AND(A,B),C);
 * precedence from loosest: FOLLOWEDBY, OR, AND, qualifiers (postfix). */
typedef struct pattern_oexpr {
	pattern_oexpr_kind kind;
	pattern_cexpr *ce;              /* OBS: the bracketed expression */
	struct pattern_oexpr *left;     /* AND/OR/FOLLOWEDBY: left operand */
	struct pattern_oexpr *right;    /* AND/OR/FOLLOWEDBY: right operand */
	struct pattern_oexpr *kid;      /* WITHIN/REPEATS/STARTSTOP: qualified */
	double within_s;                /* WITHIN: seconds (> 0) */
	char *within_text;              /* WITHIN: the number as written */
	int64_t repeats;                /* REPEATS: times (>= 1) */
	int64_t start_us, stop_us;      /* STARTSTOP: the window [start, stop) */
	char *start_text, *stop_text;   /* STARTSTOP: timestamp texts */
} pattern_oexpr;

/* A parsed pattern. */
typedef struct pattern {
	pattern_oexpr *root;    /* the whole pattern */
	size_t n_obs;           /* number of PATTERN_OE_OBS leaves */
	size_t n_cmp;           /* number of comparisons in all leaves */
} pattern;

/* ---- parsing and printing -------------------------------------------- */

/* Parse src (NUL-terminated UTF-8).  Returns an owned pattern, or NULL with
 * e filled ("pattern:1:23: expected ']' after comparison", code CC_ERR).
 * Also rejects what the grammar admits but cannot be evaluated: invalid
 * timestamps, MATCHES regexes PCRE2 cannot compile, ISSUBSET/ISSUPERSET
 * on something that is not a string, WITHIN 0, REPEATS 0, START >= STOP,
 * integers outside int64. */
pattern *pattern_parse(const char *src, cc_err *e);

/* Free p and everything in it; NULL is fine. */
void pattern_free(pattern *p);

/* The canonical text of p (malloc'd; caller frees): upper-case keywords,
 * single spaces, only the parentheses precedence needs, strings re-escaped,
 * path components quoted only when they must be.  Parsing it yields the
 * same AST (pattern_ast_json equal). */
char *pattern_normalise(const pattern *p);

/* The AST as JSON (new reference).  Shape, documented in docs/patterns.md:
 * {"type":"and"|"or"|"followedby","left":..,"right":..}
 * {"type":"within","seconds":N,"expr":..} {"type":"repeats","times":N,"expr":..}
 * {"type":"startstop","start":"..","stop":"..","expr":..}
 * {"type":"observation","expr":CE}
 * CE: {"type":"and"|"or","operands":[CE..]} or
 * {"type":"comparison","object_type":"file","path":["hashes","SHA-256",0,"*"],
 *  "operator":"=","negated":false,"value":{"kind":"string","value":"x"}} */
json_t *pattern_ast_json(const pattern *p);

/* The text of an operator ("=", "ISSUBSET", ...). */
const char *pattern_op_name(pattern_op op);


/* ---- observations ------------------------------------------------------ */

/* One observation to evaluate against: what an observed-data says was seen,
 * or what the streaming matcher derives from one log event. */
typedef struct pattern_observation {
	const char *id;         /* observed-data id, for reporting (borrowed; may be NULL) */
	int64_t first_us;       /* first_observed */
	int64_t last_us;        /* last_observed (>= first_us) */
	int64_t count;          /* number_observed (>= 1) */
	json_t *objects;        /* owned reference: a JSON object key -> SCO.  Keys
				   are what _ref/_refs values name: "0","1".. for
				   STIX 2.0 embedded objects, SCO ids for 2.1 */
} pattern_observation;

/* Fill *out from a STIX observed-data object od.  2.0 style ("objects"
 * dict) or 2.1 style ("object_refs"; each id is looked up in scos, a JSON
 * object id -> SCO, which may be NULL when od embeds its objects).
 * Returns 0, or CC_ERR with e filled ("observed-data[ID]: <what>"). */
int pattern_observation_init(pattern_observation *out, json_t *od,
			     json_t *scos, cc_err *e);

/* Release what init took (the objects reference); *o becomes empty. */
void pattern_observation_clear(pattern_observation *o);

/* ---- evaluation: building blocks for streaming matchers -------------- */

/* Resolves a _ref value (a JSON string, or for 2.0 an index string) to the
 * SCO it names, or NULL.  ctx is the caller's. */
typedef json_t *(*pattern_resolve_fn)(void *ctx, const char *ref);

/* Append to out (a JSON array, borrowed) every value the path reaches from
 * sco, which must be of path->object_type (not checked here).  [*] fans out
 * over lists; a step into a _ref/_refs property resolves through resolve
 * (ctx passed through); missing properties add nothing.  Values are
 * appended as new references to the SCO's own json_t values. */
void pattern_path_values(const pattern_path *path, json_t *sco,
			 pattern_resolve_fn resolve, void *ctx, json_t *out);

/* Whether one value satisfies the comparison's operator and literal,
 * IGNORING c->negated (the caller applies NOT: a negated comparison holds
 * when some reached value fails the test; see docs/patterns.md).  Type
 * rules are the reference matcher's: mismatched types never match. */
bool pattern_value_test(const pattern_comparison *c, json_t *value);

/* Whether the comparison holds for the SCO: some value the path reaches
 * passes the test (negated: some value fails it; EXISTS: the path reaches
 * a value / NOT EXISTS: it reaches none). */
bool pattern_comparison_eval(const pattern_comparison *c, json_t *sco,
			     pattern_resolve_fn resolve, void *ctx);

/* Evaluate one bracketed comparison expression against one observation's
 * object set (objects: a JSON object key -> SCO).  A comparison is checked
 * against every SCO of its object type; as in the reference matcher, AND
 * needs all its operands to hold on the same root SCO (so comparisons on
 * two object types joined by AND never match) and OR any operand on any.
 * resolve may be NULL: _ref values are then looked up as keys of objects.
 * Returns whether the expression matches. */
bool pattern_cexpr_eval(const pattern_cexpr *ce, json_t *objects,
			pattern_resolve_fn resolve, void *ctx);

/* ---- evaluation: whole patterns ---------------------------------------- */

/* What a successful match bound: one entry per observation-expression leaf
 * used, in the order the pattern names them. */
typedef struct pattern_match_result {
	bool matched;           /* whether the pattern matched */
	size_t *obs;            /* indices into the observed_data array that
				   form the first binding found (owned) */
	size_t n_obs;           /* entries in obs */
	json_t *bindings;       /* owned: array of {"observed_data": ID,
				   "objects": {key: SCO}} for the bound
				   observations, or NULL */
} pattern_match_result;

/* Evaluate p over the observed-data objects (each a STIX observed-data
 * object, 2.0 style with embedded "objects"; for 2.1 object_refs use
 * pattern_match_scos).  Returns 0 and fills *res (matched or not), or
 * CC_ERR when an observed-data is malformed (e filled).  Free *res with
 * pattern_match_result_free. */
int pattern_match(const pattern *p, json_t *const *observed_data, size_t n,
		  pattern_match_result *res, cc_err *e);

/* Like pattern_match, with scos (JSON object id -> SCO, may be NULL) to
 * resolve STIX 2.1 object_refs. */
int pattern_match_scos(const pattern *p, json_t *const *observed_data,
		       size_t n, json_t *scos, pattern_match_result *res,
		       cc_err *e);

/* Like pattern_match over observations already built (borrowed). */
int pattern_match_observations(const pattern *p,
			       const pattern_observation *obs, size_t n,
			       pattern_match_result *res, cc_err *e);

/* Release what *res holds; res itself may be NULL. */
void pattern_match_result_free(pattern_match_result *res);

#endif
