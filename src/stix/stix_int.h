/*
 * stix_int.h — private to src/stix: the per-type property tables that
 * drive validation (types.c) and the helpers the module's files share.
 * Nothing outside src/stix includes this.
 */
#ifndef CC_STIX_STIX_INT_H
#define CC_STIX_STIX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* What a property's value must be. */
enum stix_kind {
	K_STR,          /* string */
	K_INT,          /* integer (range in lo..hi when PF_RANGE) */
	K_FLOAT,        /* number */
	K_BOOL,         /* boolean */
	K_TS,           /* STIX timestamp */
	K_REF,          /* identifier of an allowed type (targets) */
	K_REFS,         /* non-empty list of K_REF */
	K_STRS,         /* non-empty list of strings */
	K_ENUM,         /* string from the closed list vals */
	K_ENUMS,        /* non-empty list of K_ENUM */
	K_DICT,         /* JSON object (STIX dictionary) */
	K_HASHES,       /* hashes dictionary */
	K_HEX,          /* hex string */
	K_BIN,          /* base64 string */
	K_OBJ,          /* object validated by the table sub */
	K_OBJS,         /* non-empty list of K_OBJ */
	K_LIST,         /* non-empty list of anything */
	K_ANY,          /* anything (checked by the type's rule) */
	K_EXTS,         /* the extensions dictionary */
};

/* Property flags. */
#define PF_REQ   0x01   /* required */
#define PF_RANGE 0x02   /* K_INT/K_FLOAT: lo <= value <= hi */
#define PF_EMPTY 0x04   /* list may be empty */

/* Classes of STIX types, also used as bits in reference target masks. */
#define STIX_CLS_SDO    0x01
#define STIX_CLS_SRO    0x02
#define STIX_CLS_SCO    0x04
#define STIX_CLS_MARK   0x08    /* marking-definition */
#define STIX_CLS_LC     0x10    /* language-content */
#define STIX_CLS_EXTDEF 0x20    /* extension-definition */
#define STIX_CLS_CUSTOM 0x40    /* x-... or unknown type, class unknown */
#define STIX_CLS_BUNDLE 0x80

struct stix_table;

/* One property of a type (or of a nested structure). */
typedef struct stix_prop {
	const char *name;               /* property name */
	uint8_t kind;                   /* enum stix_kind */
	uint8_t flags;                  /* PF_* */
	uint8_t targets;                /* K_REF(S): allowed classes (STIX_CLS_*) */
	const char *const *vals;        /* K_REF(S): allowed types (NULL-ended);
					   K_ENUM(S): allowed values */
	const struct stix_table *sub;   /* K_OBJ(S): the nested table */
	double lo, hi;                  /* K_INT/K_FLOAT with PF_RANGE */
} stix_prop;

struct stix_vctx;

/* A set of properties with an optional cross-property rule. */
typedef struct stix_table {
	const stix_prop *props;         /* the properties */
	size_t n;                       /* how many */
	/* checks that involve several properties; may be NULL */
	void (*rule)(struct stix_vctx *v, const json_t *obj);
} stix_table;

/* A STIX type known to the specification. */
typedef struct stix_type {
	const char *name;               /* "attack-pattern" */
	uint8_t cls;                    /* STIX_CLS_* */
	const stix_table *table;        /* its own properties (not the common ones) */
} stix_type;

/* The known types, sorted by name; and lookup of s (n bytes). */
extern const stix_type stix_types[];
const stix_type *stix_type_find(const char *s, size_t n);

/* Common properties of SDOs/SROs (also language-content and
   extension-definition) and of SCOs. */
extern const stix_table stix_common_sdo, stix_common_sco;

/* The table of predefined SCO extension ext ("archive-ext" ...) of type
   (NULL if that type has no such extension). */
const stix_table *stix_sco_ext_find(const char *type, const char *ext);

/* The closed list of extension types (extension_types, extension_type). */
extern const char *const stix_ext_types[];

/* Validation context: the problem callback and the current path. */
typedef struct stix_vctx {
	void (*cb)(const char *path, const char *msg, void *ud);
	void *ud;
	size_t problems;        /* count so far */
	char path[512];         /* current property path */
	size_t plen;            /* its length */
} stix_vctx;

/* Report a problem at the current path (+ "." prop when prop is set). */
void stix_problem(stix_vctx *v, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Timestamp value of obj[prop] in *us; false when absent or invalid. */
bool stix_ts_get(const json_t *obj, const char *prop, int64_t *us);

/* Report prop_b < prop_a (strict: prop_b <= prop_a) when both are valid. */
void stix_check_order(stix_vctx *v, const json_t *obj, const char *a,
		      const char *b, bool strict);

/* Validate the properties of a nested structure against a table. */
void stix_check_table(stix_vctx *v, const json_t *obj, const stix_table *t);

/* The cross-property rules of the types (rules.c). */
typedef void stix_rule_fn(stix_vctx *v, const json_t *obj);
stix_rule_fn stix_rule_external_reference, stix_rule_granular_marking, stix_rule_mime_part,
	stix_rule_artifact, stix_rule_seen, stix_rule_email_message, stix_rule_file, stix_rule_indicator,
	stix_rule_location, stix_rule_malware, stix_rule_malware_analysis, stix_rule_marking,
	stix_rule_network_traffic, stix_rule_observed_data, stix_rule_at_least_one,
	stix_rule_relationship, stix_rule_ipv4, stix_rule_ipv6, stix_rule_mac,
	stix_rule_selectors;

/* Helpers shared with stix.c. */
bool stix_type_name_ok(const char *s, size_t n);
bool stix_uuid_ok(const char *u);
size_t stix_id_type_len(const char *id);
int stix_tlp_id_level(const char *id, int *version);
const char *stix_tlp1_marking_id(int level);

/* The TLP 2.0 extension definition id. */
#define STIX_TLP2_EXT "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

#endif
