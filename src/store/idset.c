/*
 * idset.c — a Bloom filter of the ids in the store, for bulk writers.
 *
 * Storing a version starts by asking the versions index for the id's
 * earlier versions.  On a large import almost every answer is "none", and
 * each costs a walk down a B-tree too large for the CPU cache.  The filter
 * answers "none" from memory, touching one cache line; "maybe" still asks
 * the index.  It may over-answer (after a rollback or a delete it still
 * holds ids the store no longer has), never under-answer.
 *
 * It is built by reading every id hash from the index once the handle has
 * stored enough versions for that to pay (a sixteenth of the store), grown
 * by reading them again when full, and dropped when another connection
 * has committed (PRAGMA data_version changed), since it cannot know what
 * that one stored.  Only handles marked with store_bulk_writer keep one.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Blocks of 512 bits (one cache line), 16 bits per id, 6 bits set per id:
 * about 0.1 % of absent ids answer "maybe". */
#define IDSET_BLOCK_WORDS 8
#define IDSET_IDS_PER_BLOCK 32
#define IDSET_PROBES 6

/* Build only after this many versions stored through the handle. */
#define IDSET_MIN_PUTS 8192

struct store_idset {
	uint64_t *words;        /* n_blocks * IDSET_BLOCK_WORDS */
	size_t n_blocks;        /* a power of two */
	unsigned shift;         /* 64 - log2(n_blocks) */
	size_t n, cap;          /* ids added; ids it is sized for */
	int64_t data_version;   /* the connection's when it was built */
};

static uint64_t *block_of(const store_idset *f, uint64_t h)
{
	size_t b = f->shift >= 64 ? 0 : (size_t)(h >> f->shift);

	return f->words + b * IDSET_BLOCK_WORDS;
}

/* The bits of h within its block, from a second mix of the hash. */
static uint64_t next_bits(uint64_t *h2)
{
	uint64_t bit = *h2 & 511;

	*h2 >>= 9;
	return bit;
}

static void set_add(store_idset *f, int64_t idh)
{
	uint64_t h = (uint64_t)idh, h2 = h * 0x9E3779B97F4A7C15ULL;
	uint64_t *blk = block_of(f, h);

	for (int i = 0; i < IDSET_PROBES; i++) {
		uint64_t bit = next_bits(&h2);
		blk[bit >> 6] |= 1ULL << (bit & 63);
	}
	f->n++;
}

static bool set_has(const store_idset *f, int64_t idh)
{
	uint64_t h = (uint64_t)idh, h2 = h * 0x9E3779B97F4A7C15ULL;
	const uint64_t *blk = block_of(f, h);

	for (int i = 0; i < IDSET_PROBES; i++) {
		uint64_t bit = next_bits(&h2);
		if (!(blk[bit >> 6] & (1ULL << (bit & 63))))
			return false;
	}
	return true;
}

void store_idset_free(store *s)
{
	if (s->idset) {
		free(s->idset->words);
		free(s->idset);
		s->idset = NULL;
	}
}

/* (Re)build the filter for at least want ids from every id hash stored
 * (this transaction's included: flushed first). */
static int build(store *s, size_t want, cc_err *e)
{
	store_idset *f = calloc(1, sizeof(*f));
	sqlite3_stmt *st;
	int rc;

	if (!f)
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", s->path);
	rc = store_pend_flush(s, e);
	if (rc) {
		free(f);
		return rc;
	}
	f->n_blocks = 1;
	f->shift = 64;
	while (f->n_blocks * IDSET_IDS_PER_BLOCK < want) {
		f->n_blocks *= 2;
		f->shift--;
	}
	f->cap = f->n_blocks * IDSET_IDS_PER_BLOCK;
	f->words = calloc(f->n_blocks * IDSET_BLOCK_WORDS, sizeof(uint64_t));
	rc = f->words ? store_read_int(s, "PRAGMA data_version", &f->data_version, "reading", e)
		: cc_err_set(e, CC_ENOMEM, "%s: out of memory", s->path);
	st = rc ? NULL : store_dyn_stmt(s, "SELECT idh FROM ids", e);
	if (!rc && !st)
		rc = CC_EIO;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW)
		set_add(f, sqlite3_column_int64(st, 0));
	if (st) {
		sqlite3_reset(st);
		rc = rc == SQLITE_DONE ? 0 : store_sqlerr(s, rc, e, "reading id hashes");
	}
	store_idset_free(s);
	if (rc) {
		free(f->words);
		free(f);
		return rc;
	}
	s->idset = f;
	return 0;
}

int store_idset_check(store *s, cc_err *e)
{
	int64_t dv;
	int rc;

	if (!s->idset)
		return 0;
	rc = store_read_int(s, "PRAGMA data_version", &dv, "reading", e);
	if (rc == 0 && dv != s->idset->data_version)
		store_idset_free(s);
	return rc;
}

int store_idset_maybe(store *s, int64_t idh, bool *maybe, cc_err *e)
{
	*maybe = true;
	if (!s->bulk)
		return 0;
	if (!s->idset) {
		int64_t count = 0;
		int rc;

		if (++s->bulk_puts < IDSET_MIN_PUTS || s->bulk_puts % IDSET_MIN_PUTS != 0)
			return 0;
		rc = store_meta_get(s, "versions", &count, e);
		if (rc)
			return rc;
		if ((int64_t)s->bulk_puts * 16 < count)
			return 0;
		rc = build(s, (size_t)count * 2 + (1u << 16), e);
		if (rc)
			return rc;
	}
	*maybe = set_has(s->idset, idh);
	return 0;
}

int store_idset_add(store *s, int64_t idh, cc_err *e)
{
	int rc;

	if (!s->idset)
		return 0;
	if (s->idset->n >= s->idset->cap) {
		/* twice the size, from ids: which has not got idh yet (its row
		 * is queued after this), so it is added below all the same */
		rc = build(s, s->idset->cap * 2, e);
		if (rc)
			return rc;
	}
	set_add(s->idset, idh);
	return 0;
}
