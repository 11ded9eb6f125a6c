/*
 * pattern_int.h — private to src/pattern: the lexer, literal helpers and
 * value tests shared by the parser, printer and evaluator.  Nothing outside
 * src/pattern includes this file.
 */
#ifndef CC_PATTERN_INT_H
#define CC_PATTERN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pattern/pattern.h"
#include "util/buf.h"
#include "util/hex.h"

typedef enum ptok_kind {
	PT_EOF, PT_LBRACK, PT_RBRACK, PT_LPAREN, PT_RPAREN, PT_COLON, PT_DOT,
	PT_COMMA, PT_STAR, PT_EQ, PT_NE, PT_LT, PT_LE, PT_GT, PT_GE,
	PT_IDENT,       /* identifier; has_hyphen says whether it holds '-' */
	PT_STRING, PT_INT, PT_FLOAT, PT_TIMESTAMP, PT_HEX, PT_BINARY, PT_BOOL,
	/* keywords */
	PT_AND, PT_OR, PT_NOT, PT_FOLLOWEDBY, PT_LIKE, PT_MATCHES, PT_ISSUBSET,
	PT_ISSUPERSET, PT_EXISTS, PT_IN, PT_START, PT_STOP, PT_WITHIN,
	PT_SECONDS, PT_REPEATS, PT_TIMES, PT_LAST,
} ptok_kind;

/* One token.  For literals, lit holds the decoded value (owned by the token
 * until the parser moves it into the AST). */
typedef struct ptok {
	ptok_kind kind;
	int line, col;          /* 1-based position of the first byte */
	const char *start;      /* points into the source */
	size_t len;             /* bytes of source text */
	bool has_hyphen;        /* IDENT: contains '-' */
	bool positive_sign;     /* INT/FLOAT: written with a leading '+' */
	pattern_literal lit;    /* literal tokens: the value */
} ptok;

typedef struct plexer {
	const char *src;
	size_t pos;
	int line;
	size_t line_start;      /* offset of the current line's first byte */
} plexer;

/* Scan the next token into *t.  Returns 0, or CC_ERR with e set to
 * "pattern:L:C: <what>". */
int plex_next(plexer *lx, ptok *t, cc_err *e);

/* A printable name for a token kind, for "expected X, found Y". */
const char *ptok_name(ptok_kind k);

/* Release what a literal owns (not the struct itself). */
void plit_clear(pattern_literal *l);

/* Append the literal in pattern syntax (re-escaped) to b. */
void plit_print(cc_buf *b, const pattern_literal *l);

/* Base64 (standard alphabet, padded), by libsodium.  Encode returns a
 * malloc'd string; decode is strict (see literal.c) and returns false on
 * bad input, else *out is malloc'd. */
char *pb64_encode(const unsigned char *p, size_t n);
bool pb64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen);

/* Is s valid UTF-8 (n bytes)? */
bool putf8_valid(const char *s, size_t n);

/* Compile the regexes a comparison needs (MATCHES); false with msg set. */
bool pcmp_compile(pattern_comparison *c, char *msg, size_t msgsz);
void pcmp_free_regex(pattern_comparison *c);

/* Parse an IPv4/IPv6 address or CIDR: family 4 or 6, 16 address bytes
 * (IPv4 in the first 4), prefix length.  False when not one. */
bool pcidr_parse(const char *s, int *family, unsigned char addr[16],
		 int *prefix);

/* The root objects on which ce holds in objects (refs resolved in
 * objects), as a new JSON object key -> SCO. */
json_t *pattern_cexpr_roots_json(const pattern_cexpr *ce, json_t *objects);

#endif
