/* Unit tests of src/audit: the line format and its hash, the chain across
 * appenders, files and rotations, what verify detects (edited, deleted,
 * inserted, swapped, rewritten, truncated), the writer thread, key files,
 * and the authorisations' rules (every refusal, expiry, tampering). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "audit/audit.h"
#include "util/file.h"
#include "util/time.h"
#include "util/uuid.h"

#include "store_fixture.h"

/* ---- helpers ---- */

/* A temporary folder with a trail path in it. */
typedef struct tmp {
	char dir[64];
	char path[128];
} tmp;

static void tmp_make(tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_audit.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/t.audit", t->dir);
}

static void tmp_remove(tmp *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

/* Append n plain entries (actor "u<i>", action "GET") to the trail at
 * path through a log of its own, with a checkpoint by key (may be NULL). */
static void append_n(const char *path, int n, const audit_key *key)
{
	audit_log *l;
	cc_err e;

	assert_int_equal(audit_log_open(path, &l, &e), 0);
	for (int i = 0; i < n; i++) {
		audit_entry en = { 0 }, *v[1] = { &en };
		char who[16];

		snprintf(who, sizeof(who), "u%d", i);
		audit_set(&en.actor, who);
		audit_set(&en.action, "GET");
		en.status = 200;
		assert_int_equal(audit_log_append(l, v, 1, i == n - 1 ? key : NULL, NULL, &e), 0);
		audit_entry_clear(&en);
	}
	audit_log_close(l);
}

/* The lines of a file (owned strings, with their newline). */
typedef struct lines {
	char *v[64];
	size_t n;
} lines;

static void lines_read(const char *path, lines *ls)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	assert_non_null(f);
	ls->n = 0;
	while (getline(&line, &cap, f) > 0 && ls->n < 64)
		ls->v[ls->n++] = strdup(line);
	free(line);
	fclose(f);
}

static void lines_write(const char *path, const lines *ls)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < ls->n; i++)
		fputs(ls->v[i], f);
	fclose(f);
}

static void lines_free(lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->v[i]);
	ls->n = 0;
}

/* Run sql on the store at path through a connection of its own (what
 * someone with the sqlite3 program can do). */
static int sqlite3_exec_for_test(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* Verify the one file path with key; the report in *r; returns intact. */
static bool verify1(const char *path, const audit_key *key, const audit_head *head,
		    audit_report *r)
{
	const char *paths[1] = { path };
	cc_err e;

	assert_int_equal(audit_verify(paths, 1, key, head, r, &e), 0);
	return r->intact;
}

/* ---- the line ---- */

static void expect_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("got      %s\nexpected %s...", s, prefix);
}

static void test_line_escapes_and_hash(void **state)
{
	audit_entry en = { 0 };
	cc_buf line = CC_BUF_INIT;
	char hash[AUDIT_HASH_HEX];
	audit_line l;
	cc_err e;

	(void)state;
	audit_set(&en.actor, "alice");
	audit_set(&en.action, "GET");
	/* a newline, a quote, a backslash, a byte that is not UTF-8, é, U+2028 */
	audit_set(&en.path, "/a\n\"b\\c\xff\xc3\xa9\xe2\x80\xa8");
	audit_list_add(&en.read, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
	en.status = 200;
	en.ts_us = 1700000000000000;
	audit_line_make(&en, 7, AUDIT_GENESIS, &line, hash);
	audit_line_finish(&line, hash);
	expect_prefix(line.data,
		"{\"seq\":7,\"ts\":\"2023-11-14T22:13:20.000000Z\",\"actor\":\"alice\",\"action\":\"GET\","
		"\"path\":\"/a\\\\x0a\\\"b\\\\x5cc\\\\xff\xc3\xa9\\\\xe2\\\\x80\\\\xa8\",\"status\":200,"
		"\"read\":[\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"],"
		"\"prev\":\"" AUDIT_GENESIS "\",\"hash\":\"" );
	assert_int_equal(strchr(line.data, '\n') - line.data, (long)line.len - 1);
	assert_int_equal(audit_line_parse(line.data, line.len - 1, &l, &e), 0);
	assert_int_equal(l.seq, 7);
	assert_string_equal(l.hash, hash);
	assert_string_equal(l.action, "GET");
	assert_string_equal(json_string_value(json_object_get(l.obj, "path")),
			    "/a\\x0a\"b\\x5cc\\xff\xc3\xa9\\xe2\\x80\\xa8");
	audit_line_clear(&l);
	/* any byte changed before the hash breaks it */
	line.data[strstr(line.data, "200") - line.data] = '4';
	assert_int_equal(audit_line_parse(line.data, line.len - 1, &l, &e), CC_ERR);
	assert_non_null(strstr(e.msg, "does not match its content"));
	assert_int_equal(l.seq, 7);	/* still named */
	audit_line_clear(&l);
	assert_int_equal(audit_line_parse("{\"seq\":1}", 9, &l, &e), CC_ERR);
	assert_null(l.obj);
	/* a seq nothing could follow (found by fuzz_audit: the next seq overflowed) */
	cc_buf_reset(&line);
	audit_line_make(&en, AUDIT_SEQ_MAX + 1, AUDIT_GENESIS, &line, hash);
	audit_line_finish(&line, hash);
	assert_int_equal(audit_line_parse(line.data, line.len - 1, &l, &e), CC_ERR);
	assert_null(l.obj);
	assert_non_null(strstr(e.msg, "seq, prev or hash missing or bad"));
	cc_buf_reset(&line);
	audit_line_make(&en, AUDIT_SEQ_MAX, AUDIT_GENESIS, &line, hash);
	audit_line_finish(&line, hash);
	assert_int_equal(audit_line_parse(line.data, line.len - 1, &l, &e), 0);
	audit_line_clear(&l);
	cc_buf_free(&line);
	audit_entry_clear(&en);
}

/* ---- the chain and what verify finds ---- */

typedef struct tamper_case {
	const char *name;
	void (*edit)(lines *ls);
	const char *where;              /* expected "LINE (seq N)" suffix of where */
	const char *problem;            /* a part of the expected problem */
} tamper_case;

static void edit_field(lines *ls) { ls->v[2][strstr(ls->v[2], "\"u2\"") - ls->v[2] + 2] = 'X'; }
static void delete_line(lines *ls)
{
	free(ls->v[3]);
	memmove(&ls->v[3], &ls->v[4], (ls->n - 4) * sizeof(char *));
	ls->n--;
}
static void insert_line(lines *ls)
{
	memmove(&ls->v[3], &ls->v[2], (ls->n - 2) * sizeof(char *));
	ls->v[2] = strdup(ls->v[3]);
	ls->n++;
}
static void swap_lines(lines *ls)
{
	char *t = ls->v[1];

	ls->v[1] = ls->v[2];
	ls->v[2] = t;
}
static void delete_first(lines *ls)
{
	free(ls->v[0]);
	memmove(&ls->v[0], &ls->v[1], (ls->n - 1) * sizeof(char *));
	ls->n--;
}

static void test_verify_detects(void **state)
{
	static const tamper_case cases[] = {
		{ "edit a field", edit_field, ":3 (seq 3)", "does not match its content" },
		{ "delete a line", delete_line, ":4 (seq 5)", "seq 5 follows seq 3" },
		{ "insert a line", insert_line, ":4 (seq 3)", "seq 3 follows seq 3" },
		{ "swap two lines", swap_lines, ":2 (seq 3)", "seq 3 follows seq 1" },
		{ "delete the first line", delete_first, ":1 (seq 2)", "starts at seq 2" },
	};
	audit_key key;
	audit_report r;
	tmp t;

	(void)state;
	audit_key_generate(&key);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lines ls;

		tmp_make(&t);
		append_n(t.path, 6, &key);
		assert_true(verify1(t.path, &key, NULL, &r));
		assert_int_equal(r.entries, 7);       /* 6 and a checkpoint */
		assert_int_equal(r.checkpoints, 1);
		lines_read(t.path, &ls);
		cases[i].edit(&ls);
		lines_write(t.path, &ls);
		lines_free(&ls);
		assert_false(verify1(t.path, &key, NULL, &r));
		if (!strstr(r.where, cases[i].where) || !strstr(r.problem, cases[i].problem))
			fail_msg("%s: %s: %s", cases[i].name, r.where, r.problem);
		tmp_remove(&t);
	}
	audit_key_wipe(&key);
}

/* A rewrite that recomputes every hash after an edit is caught by the
 * checkpoint signed after it; a checkpoint signed by another key too. */
static void test_verify_rewritten_chain(void **state)
{
	audit_key key, other;
	audit_report r;
	tmp t;

	(void)state;
	audit_key_generate(&key);
	audit_key_generate(&other);
	tmp_make(&t);
	append_n(t.path, 3, &key);
	/* rebuild the trail: the same entries but u1 changed, hashes recomputed,
	 * then a checkpoint this attacker signs with its own key */
	unlink(t.path);
	{
		audit_log *l;
		cc_err e;

		assert_int_equal(audit_log_open(t.path, &l, &e), 0);
		for (int i = 0; i < 3; i++) {
			audit_entry en = { 0 }, *v[1] = { &en };

			audit_set(&en.actor, i == 1 ? "mallory" : i ? "u2" : "u0");
			audit_set(&en.action, "GET");
			assert_int_equal(audit_log_append(l, v, 1, i == 2 ? &other : NULL, NULL, &e), 0);
			audit_entry_clear(&en);
		}
		audit_log_close(l);
	}
	assert_true(verify1(t.path, &other, NULL, &r));         /* under the forger's key */
	assert_false(verify1(t.path, &key, NULL, &r));          /* under the hub's */
	assert_non_null(strstr(r.where, ":4 (seq 4)"));
	assert_non_null(strstr(r.problem, "signature is not the hub's"));
	assert_false(verify1(t.path, NULL, NULL, &r));          /* no key: not checkable */
	assert_non_null(strstr(r.problem, "without the hub's public key"));
	tmp_remove(&t);
	audit_key_wipe(&key);
	audit_key_wipe(&other);
}

static void test_head_and_truncation(void **state)
{
	audit_key key;
	audit_head h, h2;
	audit_report r;
	cc_buf text = CC_BUF_INIT;
	cc_err e;
	lines ls;
	tmp t;

	(void)state;
	audit_key_generate(&key);
	tmp_make(&t);
	append_n(t.path, 5, &key);
	assert_int_equal(audit_head_take(t.path, &key, &h, &e), 0);
	assert_int_equal(h.seq, 6);
	audit_head_format(&h, &text);
	assert_int_equal(audit_head_parse(text.data, text.len, &h2, &e), 0);
	assert_int_equal(h2.seq, 6);
	assert_string_equal(h2.hash, h.hash);
	assert_true(verify1(t.path, &key, &h2, &r));
	append_n(t.path, 2, NULL);                               /* more is fine */
	assert_true(verify1(t.path, &key, &h2, &r));
	/* cut the last four lines: intact without the head, truncated with it */
	lines_read(t.path, &ls);
	for (int i = 0; i < 4; i++)
		free(ls.v[--ls.n]);
	lines_write(t.path, &ls);
	lines_free(&ls);
	assert_true(verify1(t.path, &key, NULL, &r));
	assert_false(verify1(t.path, &key, &h2, &r));
	assert_non_null(strstr(r.problem, "truncated: the trail ends at seq 4"));
	/* an altered head is refused */
	h2.seq = 4;
	assert_false(verify1(t.path, &key, &h2, &r));
	assert_non_null(strstr(r.problem, "head was altered or forged"));
	/* a tampered trail gets no head */
	lines_read(t.path, &ls);
	ls.v[0][10] = ls.v[0][10] == '1' ? '2' : '1';
	lines_write(t.path, &ls);
	lines_free(&ls);
	assert_int_equal(audit_head_take(t.path, &key, &h, &e), CC_ERR);
	assert_non_null(strstr(e.msg, "not intact"));
	cc_buf_free(&text);
	tmp_remove(&t);
	audit_key_wipe(&key);
}

/* Two appenders (two processes' handles) interleave into one chain; a
 * torn last line is cut and noted; a rotation chains the files. */
static void test_appenders_torn_rotate(void **state)
{
	audit_log *a, *b;
	audit_key key;
	audit_report r;
	char archived[256], path2[300];
	const char *both[2];
	int64_t seq = 0;
	cc_err e;
	tmp t;
	int fd;

	(void)state;
	audit_key_generate(&key);
	tmp_make(&t);
	assert_int_equal(audit_log_open(t.path, &a, &e), 0);
	assert_int_equal(audit_log_open(t.path, &b, &e), 0);
	for (int i = 0; i < 6; i++) {
		audit_entry en = { 0 }, *v[1] = { &en };

		audit_set(&en.actor, i % 2 ? "b" : "a");
		assert_int_equal(audit_log_append(i % 2 ? b : a, v, 1, NULL, &seq, &e), 0);
		assert_int_equal(seq, i + 1);
		audit_entry_clear(&en);
	}
	/* a crash in mid-write leaves half a line */
	fd = open(t.path, O_WRONLY | O_APPEND);
	assert_true(write(fd, "{\"seq\":7,\"ts\":", 14) == 14);
	close(fd);
	{
		audit_entry en = { 0 }, *v[1] = { &en };

		audit_set(&en.actor, "a");
		assert_int_equal(audit_log_append(a, v, 1, &key, &seq, &e), 0);
		audit_entry_clear(&en);
	}
	assert_int_equal(seq, 9);      /* recover, the entry, a checkpoint */
	assert_true(verify1(t.path, &key, NULL, &r));
	assert_int_equal(r.entries, 9);
	assert_int_equal(audit_log_rotate(t.path, "cli:test", &key, archived, sizeof(archived),
					  &e), 0);
	{	/* b still holds the old file open: it must append to the new one */
		audit_entry en = { 0 }, *v[1] = { &en };

		audit_set(&en.actor, "b");
		assert_int_equal(audit_log_append(b, v, 1, NULL, &seq, &e), 0);
		audit_entry_clear(&en);
	}
	assert_int_equal(seq, 12);     /* rotate 10, checkpoint 11 */
	both[0] = archived;
	both[1] = t.path;
	assert_int_equal(audit_verify(both, 2, &key, NULL, &r, &e), 0);
	assert_true(r.intact);
	assert_int_equal(r.entries, 12);
	assert_true(verify1(t.path, &key, NULL, &r));
	assert_true(r.rotated_start);
	assert_int_equal(r.first_seq, 10);
	/* the files in the wrong order do not chain */
	both[0] = t.path;
	both[1] = archived;
	assert_int_equal(audit_verify(both, 2, &key, NULL, &r, &e), 0);
	assert_false(r.intact);
	snprintf(path2, sizeof(path2), "%s:1", archived);
	assert_non_null(strstr(r.where, path2));
	audit_log_close(a);
	audit_log_close(b);
	tmp_remove(&t);
	audit_key_wipe(&key);
}

/* The writer: durable entries are on disk when add returns (or the
 * callback runs); batched ones by stop; a checkpoint at the end. */
static void done_cb(int rc, void *arg)
{
	*(int *)arg = rc + 100;
}

/* A writer with options o on a trail in t (made here) with a new key. */
static audit_writer *writer_start(tmp *t, audit_key *key, audit_writer_opts o)
{
	audit_writer *w;
	cc_err e;

	audit_key_generate(key);
	tmp_make(t);
	o.path = t->path;
	o.key = key;
	assert_int_equal(audit_writer_start(&o, &w, &e), 0);
	return w;
}

static void test_writer(void **state)
{
	/* a long batch time: only the durable entry forces a write */
	audit_writer_opts o = { .batch_ms = 5000 };
	audit_key key;
	audit_report r;
	int cb = 0;
	lines ls;
	tmp t;
	audit_writer *w = writer_start(&t, &key, o);

	(void)state;
	for (int i = 0; i < 3; i++) {
		audit_entry en = { 0 };

		audit_set(&en.actor, "batched");
		assert_int_equal(audit_writer_add(w, &en, false, NULL, NULL), 0);
		assert_null(en.actor);	/* taken */
	}
	{
		audit_entry en = { 0 };

		audit_set(&en.actor, "durable");
		assert_int_equal(audit_writer_add(w, &en, true, NULL, NULL), 0);
	}
	lines_read(t.path, &ls);	/* the batch went with it */
	assert_int_equal(ls.n, 4);
	assert_non_null(strstr(ls.v[3], "\"durable\""));
	lines_free(&ls);
	{
		audit_entry en = { 0 };

		audit_set(&en.actor, "async");
		assert_int_equal(audit_writer_add(w, &en, true, done_cb, &cb), 0);
	}
	audit_writer_stop(w);
	assert_int_equal(cb, 100);
	assert_true(verify1(t.path, &key, NULL, &r));
	assert_int_equal(r.entries, 6);
	assert_int_equal(r.checkpoints, 1);
	tmp_remove(&t);
	audit_key_wipe(&key);
}

/* Many threads queue at once, ordinary entries (audit_writer_note, made
 * into the queue) and durable ones, through a short queue that makes
 * them wait for room and a batch time that swaps the queues often: every
 * entry is written once, in each thread's order, and the chain holds. */
#define W_THREADS 4
#define W_EACH 1500

typedef struct wjob {
	audit_writer *w;
	int id;
} wjob;

static void *writer_thread(void *arg)
{
	const wjob *j = arg;
	char actor[16], msg[32];

	snprintf(actor, sizeof(actor), "t%d", j->id);
	for (int i = 0; i < W_EACH; i++) {
		snprintf(msg, sizeof(msg), "n%d", i);
		if (i % 97 == 0) {
			audit_entry en = { 0 };

			audit_set(&en.actor, actor);
			audit_set(&en.message, msg);
			if (audit_writer_add(j->w, &en, true, NULL, NULL) != 0)
				return (void *)1;
		} else {
			audit_entry en = { .ts_us = cc_now_us(), .actor = actor, .message = msg };

			audit_writer_note(j->w, &en);
		}
	}
	return NULL;
}

static void test_writer_threads(void **state)
{
	audit_writer_opts o = { .batch_ms = 1, .max_queued = 40, .checkpoint_every = 500 };
	pthread_t th[W_THREADS];
	wjob jobs[W_THREADS];
	int next[W_THREADS] = { 0 };
	audit_key key;
	audit_report r;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	tmp t;
	audit_writer *w = writer_start(&t, &key, o);

	(void)state;
	for (int k = 0; k < W_THREADS; k++) {
		jobs[k] = (wjob){ w, k };
		assert_int_equal(pthread_create(&th[k], NULL, writer_thread, &jobs[k]), 0);
	}
	for (int k = 0; k < W_THREADS; k++) {
		void *rv;

		pthread_join(th[k], &rv);
		assert_null(rv);
	}
	audit_writer_stop(w);
	assert_true(verify1(t.path, &key, NULL, &r));
	assert_true(r.entries >= W_THREADS * W_EACH + W_THREADS * W_EACH / 500);
	f = fopen(t.path, "r");
	assert_non_null(f);
	while (getline(&line, &cap, f) > 0) {
		int k, i;
		const char *a = strstr(line, "\"actor\":\"t");

		if (!a)
			continue;
		assert_int_equal(sscanf(a, "\"actor\":\"t%d\"", &k), 1);
		assert_non_null(strstr(line, "\"message\":\"n"));
		assert_int_equal(sscanf(strstr(line, "\"message\":\"n"), "\"message\":\"n%d\"", &i),
				 1);
		assert_true(k >= 0 && k < W_THREADS);
		assert_int_equal(i, next[k]);	/* once each, in its thread's order */
		next[k]++;
	}
	free(line);
	fclose(f);
	for (int k = 0; k < W_THREADS; k++)
		assert_int_equal(next[k], W_EACH);
	tmp_remove(&t);
	audit_key_wipe(&key);
}

static void test_keys(void **state)
{
	audit_key k, k2;
	char sk[160], pk[160], sig[AUDIT_SIG_HEX];
	cc_err e;
	tmp t;

	(void)state;
	tmp_make(&t);
	snprintf(sk, sizeof(sk), "%s/k", t.dir);
	snprintf(pk, sizeof(pk), "%s/k.pub", t.dir);
	audit_key_generate(&k);
	assert_int_equal(audit_key_save_secret(sk, &k, &e), 0);
	assert_int_equal(audit_key_save_public(pk, &k, &e), 0);
	assert_int_equal(audit_key_save_secret(sk, &k, &e), CC_ECONFLICT);
	{
		struct stat sb;

		assert_int_equal(stat(sk, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
	}
	assert_int_equal(audit_key_load_secret(sk, &k2, &e), 0);
	assert_memory_equal(k2.pk, k.pk, 32);
	assert_memory_equal(k2.sk, k.sk, 64);
	assert_int_equal(audit_key_load_public(pk, &k2, &e), 0);
	assert_memory_equal(k2.pk, k.pk, 32);
	assert_false(k2.has_sk);
	assert_int_equal(audit_key_load_secret(pk, &k2, &e), CC_ERR);   /* a public key file */
	chmod(sk, 0644);
	assert_int_equal(audit_key_load_secret(sk, &k2, &e), CC_ERR);
	assert_non_null(strstr(e.msg, "make it 0600"));
	snprintf(sk, sizeof(sk), "%s/none", t.dir);
	assert_int_equal(audit_key_load_secret(sk, &k2, &e), CC_ENOTFOUND);
	audit_sign(&k, "msg", 3, sig);
	assert_true(audit_verify_sig(k.pk, "msg", 3, sig));
	assert_false(audit_verify_sig(k.pk, "msh", 3, sig));
	sig[0] = sig[0] == '0' ? '1' : '0';
	assert_false(audit_verify_sig(k.pk, "msg", 3, sig));
	assert_false(audit_verify_sig(k.pk, "msg", 3, "zz"));
	tmp_remove(&t);
	audit_key_wipe(&k);
}

static void test_duration(void **state)
{
	int64_t s = 0;

	(void)state;
	assert_true(audit_duration_parse("90s", &s));
	assert_int_equal(s, 90);
	assert_true(audit_duration_parse("2h", &s));
	assert_int_equal(s, 7200);
	assert_true(audit_duration_parse("1d", &s));
	assert_int_equal(s, 86400);
	assert_true(audit_duration_parse("15m", &s));
	assert_int_equal(s, 900);
	assert_false(audit_duration_parse("0s", &s));
	assert_false(audit_duration_parse("90", &s));
	assert_false(audit_duration_parse("1y", &s));
	assert_false(audit_duration_parse("-1h", &s));
	assert_false(audit_duration_parse("367d", &s));
	assert_false(audit_duration_parse("2hh", &s));
}

/* ---- authorisations ---- */

/* A restricted collection, users' authorisation requests, two approvers. */
typedef struct azfx {
	audit_key hub, ann, bob, stranger;
	int64_t coll, org;
	char coll_uuid[37];
} azfx;

static void az_request(fx *f, azfx *z, const char *user, int64_t dur, char id[37])
{
	store_authz a = { 0 };
	cc_err e;

	cc_uuid4(id);
	memcpy(a.id, id, 37);
	a.collection_id = z->coll;
	a.user = (char *)user;
	a.reason = "case 42: ransomware on the payments network";
	a.duration_s = dur;
	a.requested_us = cc_now_us();
	a.requested_by = "cli:operator";
	assert_int_equal(store_authz_add(f->s, &a, &e), 0);
}

static void az_setup(fx *f, azfx *z)
{
	store_collection c;
	store_org o;
	cc_err e;

	audit_key_generate(&z->hub);
	audit_key_generate(&z->ann);
	audit_key_generate(&z->bob);
	audit_key_generate(&z->stranger);
	assert_int_equal(store_collection_add(f->s, "secret", NULL, NULL, NULL, &c, &e), 0);
	assert_int_equal(store_collection_set_restricted(f->s, c.id, true, &e), 0);
	z->coll = c.id;
	memcpy(z->coll_uuid, c.uuid, 37);
	store_collection_clear(&c);
	assert_int_equal(store_collection_get(f->s, "secret", &c, &e), 0);
	assert_true(c.restricted);
	store_collection_clear(&c);
	assert_int_equal(store_org_add(f->s, "ministry", &o, &e), 0);
	z->org = o.id;
	store_org_clear(&o);
	assert_int_equal(audit_approver_add(f->s, "ann", z->org, &z->ann, &z->hub, &e), 0);
	assert_int_equal(audit_approver_add(f->s, "bob", z->org, &z->bob, &z->hub, &e), 0);
	assert_int_equal(audit_approver_add(f->s, "ann", z->org, &z->bob, &z->hub, &e),
			 CC_ECONFLICT);
}

static void test_authz_refusals(void **state)
{
	fx *f = *state;
	azfx z;
	char id[37], id2[37], why[256], got[37];
	int64_t now = cc_now_us();
	cc_err e;

	az_setup(f, &z);
	az_request(f, &z, "carol", 60, id);
	az_request(f, &z, "bob", 60, id2);
	assert_false(audit_authz_open(f->s, z.hub.pk, "carol", z.coll, now, got, why, sizeof(why)));
	assert_string_equal(why, "");	/* pending: nothing granted, nothing refused */
	/* unknown approver, another approver's key, an unknown key */
	assert_int_equal(audit_authz_approve(f->s, id, "zed", &z.ann, z.hub.pk, "cli:op2", now, &e),
			 CC_EDENIED);
	assert_non_null(strstr(e.msg, "no approver zed"));
	assert_int_equal(audit_authz_approve(f->s, id, "ann", &z.bob, z.hub.pk, "cli:op2", now, &e),
			 CC_EDENIED);
	assert_non_null(strstr(e.msg, "the key given is approver bob's, not ann's"));
	assert_int_equal(audit_authz_approve(f->s, id, "ann", &z.stranger, z.hub.pk, "cli:op2", now,
					     &e), CC_EDENIED);
	assert_non_null(strstr(e.msg, "not an approver's key"));
	/* self-approval: the approver is the user, or asked for it */
	assert_int_equal(audit_authz_approve(f->s, id2, "bob", &z.bob, z.hub.pk, "cli:op2", now, &e),
			 CC_EDENIED);
	assert_non_null(strstr(e.msg, "self-approval: approver bob is the user"));
	assert_int_equal(audit_authz_approve(f->s, id, "ann", &z.ann, z.hub.pk, "cli:ann", now, &e),
			 CC_EDENIED);
	assert_non_null(strstr(e.msg, "self-approval"));
	/* a good approval; then not again */
	assert_int_equal(audit_authz_approve(f->s, id, "ann", &z.ann, z.hub.pk, "cli:op2", now, &e), 0);
	assert_int_equal(audit_authz_approve(f->s, id, "bob", &z.bob, z.hub.pk, "cli:op2", now, &e),
			 CC_EDENIED);
	assert_non_null(strstr(e.msg, "approved already by ann"));
	assert_true(audit_authz_open(f->s, z.hub.pk, "carol", z.coll, now + 1, got, why, sizeof(why)));
	assert_string_equal(got, id);
	/* expiry to the microsecond */
	assert_true(audit_authz_open(f->s, z.hub.pk, "carol", z.coll, now + 60000000 - 1, got, why,
				     sizeof(why)));
	assert_false(audit_authz_open(f->s, z.hub.pk, "carol", z.coll, now + 60000000, got, why,
				      sizeof(why)));
	assert_non_null(strstr(why, "expired at"));
	/* not for another user, nor without the hub's key */
	assert_false(audit_authz_open(f->s, z.hub.pk, "dave", z.coll, now + 1, got, why, sizeof(why)));
	assert_false(audit_authz_open(f->s, NULL, "carol", z.coll, now + 1, got, why, sizeof(why)));
	/* revoked: closed, and no approval of it */
	assert_int_equal(store_authz_revoke(f->s, id, now + 2, &e), 0);
	assert_int_equal(store_authz_revoke(f->s, id, now + 2, &e), CC_ECONFLICT);
	assert_false(audit_authz_open(f->s, z.hub.pk, "carol", z.coll, now + 3, got, why, sizeof(why)));
	assert_non_null(strstr(why, "was revoked"));
	az_request(f, &z, "carol", 60, id);
	assert_int_equal(store_authz_revoke(f->s, id, now, &e), 0);
	assert_int_equal(audit_authz_approve(f->s, id, "ann", &z.ann, z.hub.pk, "cli:op2", now, &e),
			 CC_EDENIED);
	assert_non_null(strstr(e.msg, "was revoked"));
	audit_key_wipe(&z.hub);
}

/* What someone who can write the store but holds no key can try. */
static void test_authz_tampering(void **state)
{
	fx *f = *state;
	azfx z;
	store_authz a, b;
	store_approver ap;
	char id[37], id2[37], why[256], got[37];
	int64_t now = cc_now_us();
	cc_err e;

	az_setup(f, &z);
	az_request(f, &z, "carol", 60, id);
	assert_int_equal(audit_authz_approve(f->s, id, "ann", &z.ann, z.hub.pk, "cli:op", now, &e), 0);
	assert_int_equal(store_authz_get(f->s, id, &a, &e), 0);
	assert_int_equal(audit_authz_valid(f->s, &a, z.hub.pk, now, &e), 0);
	/* altered: another user, a longer time, another reason */
	{
		char *user = a.user;

		a.user = "mallory";
		assert_int_equal(audit_authz_valid(f->s, &a, z.hub.pk, now, &e), CC_EDENIED);
		assert_non_null(strstr(e.msg, "signature does not verify"));
		a.user = user;
	}
	a.duration_s = 3600;
	assert_int_equal(audit_authz_valid(f->s, &a, z.hub.pk, now, &e), CC_EDENIED);
	/* times out of range (found by fuzz_audit: approval + duration overflowed) */
	a.duration_s = INT64_MAX / 1000;
	assert_int_equal(audit_authz_valid(f->s, &a, z.hub.pk, now, &e), CC_EDENIED);
	assert_non_null(strstr(e.msg, "out of range: the row was altered"));
	a.duration_s = 60;
	{
		int64_t approved = a.approved_us, end;

		assert_true(audit_authz_end(&a, &end));
		assert_int_equal(end, approved + 60000000);
		a.approved_us = INT64_MAX - 1;
		assert_false(audit_authz_end(&a, &end));
		assert_int_equal(audit_authz_valid(f->s, &a, z.hub.pk, now, &e), CC_EDENIED);
		assert_non_null(strstr(e.msg, "out of range"));
		a.approved_us = approved;
	}
	/* replayed: the signature copied onto another request (another user) */
	az_request(f, &z, "mallory", 60, id2);
	assert_int_equal(store_authz_approve(f->s, id2, "ann", a.approved_us, a.signature, &e), 0);
	assert_int_equal(store_authz_get(f->s, id2, &b, &e), 0);
	assert_int_equal(audit_authz_valid(f->s, &b, z.hub.pk, now, &e), CC_EDENIED);
	assert_false(audit_authz_open(f->s, z.hub.pk, "mallory", z.coll, now, got, why, sizeof(why)));
	assert_non_null(strstr(why, "signature does not verify"));
	store_authz_clear(&b);
	/* a forged approver key: approve with a key swapped into the store */
	assert_int_equal(store_approver_get(f->s, "bob", &ap, &e), 0);
	audit_key_hex(&z.stranger, ap.public_key);
	{
		char sql[256];

		snprintf(sql, sizeof(sql), "UPDATE approvers SET public_key = '%s' WHERE name = 'bob'",
			 ap.public_key);
		assert_int_equal(sqlite3_exec_for_test(f->path, sql), 0);
	}
	az_request(f, &z, "dave", 60, id2);
	assert_int_equal(audit_authz_approve(f->s, id2, "bob", &z.stranger, z.hub.pk, "cli:op",
					     now, &e), CC_EDENIED);
	assert_non_null(strstr(e.msg, "not the one the hub endorsed"));
	store_approver_clear(&ap);
	store_authz_clear(&a);
	audit_key_wipe(&z.hub);
}

/* A restricted collection is never pushed to a peer (federation): no link
 * pushes it, and a link made before it was restricted sends nothing. */
static void test_restricted_never_pushed(void **state)
{
	fx *f = *state;
	store_collection c, r;
	store_peer p = { 0 };
	store_link l = { 0 };
	int rows = 0;
	cc_err e;

	assert_int_equal(store_collection_add(f->s, "intel", NULL, NULL, NULL, &c, &e), 0);
	assert_int_equal(store_collection_add(f->s, "secret", NULL, NULL, NULL, &r, &e), 0);
	assert_int_equal(store_collection_set_restricted(f->s, r.id, true, &e), 0);
	p.name = "uk-hub";
	p.url = "https://127.0.0.1:9/taxii2/";
	p.user = p.password = p.ca_file = p.pin = "";
	p.max_tlp = STORE_TLP_RED;
	assert_int_equal(store_peer_add(f->s, &p, &e), 0);
	l.peer_id = p.id;
	l.push = true;
	l.remote_coll = "11111111-2222-4333-8444-555555555555";
	l.max_tlp = STORE_TLP_RED;
	l.collection_id = r.id;
	assert_int_equal(store_link_add(f->s, &l, &e), CC_EDENIED);
	assert_non_null(strstr(e.msg, "restricted"));
	l.collection_id = c.id;
	assert_int_equal(store_link_add(f->s, &l, &e), 0);
	assert_int_equal(store_outbox(f->s, &l, &p, 0, 10, count_row, &rows, NULL, &e), 0);
	assert_int_equal(store_collection_set_restricted(f->s, c.id, true, &e), 0);
	assert_int_equal(store_outbox(f->s, &l, &p, 0, 10, count_row, &rows, NULL, &e), CC_EDENIED);
	assert_int_equal(rows, 0);
	store_collection_clear(&c);
	store_collection_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_escapes_and_hash),
		cmocka_unit_test(test_verify_detects),
		cmocka_unit_test(test_verify_rewritten_chain),
		cmocka_unit_test(test_head_and_truncation),
		cmocka_unit_test(test_appenders_torn_rotate),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_writer_threads),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_duration),
		cmocka_unit_test_setup_teardown(test_authz_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_authz_tampering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restricted_never_pushed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
