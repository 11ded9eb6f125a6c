/*
 * ckpt.c — checkpointing the WAL from a thread of its own.
 *
 * By default SQLite checkpoints inside the commit that makes the WAL pass
 * 1,000 pages: the committing thread copies those pages into the database
 * file and fsyncs it.  For a bulk writer that is a sixth of its time spent
 * on work nobody waits for.  With store_bulk_writer the handle's commits
 * only note the WAL's size; past a threshold they wake a thread that runs a
 * PASSIVE checkpoint on a second connection while the writer goes on.
 * Durability is unchanged: a commit is durable when its WAL frames are
 * synced, which the committing thread still does.
 */
#include <pthread.h>
#include <stdlib.h>

#include "store/store_int.h"

/* Wake the checkpointer when the WAL holds this many frames (16 MiB of
 * 16 KiB pages, SQLite's own default). */
#define CKPT_FRAMES 1000

/* The WAL starts again from its beginning only when a write transaction
 * begins after a checkpoint has copied all of it, which a writer that
 * never pauses does not give the checkpointer time to do.  Past this many
 * frames (512 MiB) store_begin waits for the checkpoint in progress. */
#define CKPT_WAIT_FRAMES 32768

struct store_ckpt {
	sqlite3 *db;            /* the checkpointer's own connection */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool want;              /* a commit asked for a checkpoint */
	bool busy;              /* checkpointing now */
	bool stop;
	int frames;             /* the WAL's size after the last commit */
	bool all_copied;        /* the last checkpoint copied every frame */
};

static void *ckpt_main(void *arg)
{
	store_ckpt *k = arg;

	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (!k->want && !k->stop)
			pthread_cond_wait(&k->cv, &k->mu);
		if (!k->want)
			break;
		k->want = false;
		k->busy = true;
		pthread_mutex_unlock(&k->mu);
		/* A failure (busy, I/O) only leaves the WAL longer; the next
		 * request or the last connection's close checkpoints it. */
		int log = -1, done = -1;
		int rc = sqlite3_wal_checkpoint_v2(k->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
						   &log, &done);
		pthread_mutex_lock(&k->mu);
		k->busy = false;
		k->all_copied = rc == SQLITE_OK && log == done;
		pthread_cond_broadcast(&k->cv);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

/* The writer's WAL hook, called after each commit with the WAL's size. */
static int ckpt_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	store_ckpt *k = arg;

	(void)db;
	(void)name;
	pthread_mutex_lock(&k->mu);
	k->frames = frames;
	if (frames >= CKPT_FRAMES) {
		k->want = true;
		pthread_cond_broadcast(&k->cv);
	}
	pthread_mutex_unlock(&k->mu);
	return SQLITE_OK;
}

void store_ckpt_wait(store *s)
{
	store_ckpt *k = s->ckpt;

	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	if (k->frames >= CKPT_WAIT_FRAMES) {
		while (k->want || k->busy)
			pthread_cond_wait(&k->cv, &k->mu);
		if (k->all_copied)
			k->frames = 0;
	}
	pthread_mutex_unlock(&k->mu);
}

int store_ckpt_start(store *s, cc_err *e)
{
	store_ckpt *k;
	int rc;

	if (s->ckpt)
		return 0;
	k = calloc(1, sizeof(*k));
	if (!k)
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", s->path);
	rc = sqlite3_open_v2(s->path, &k->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(k->db, 1000);
		/* a first read makes the connection see the WAL; before it, a
		 * checkpoint does nothing.  synchronous=FULL (the default, said
		 * here because store_sync counts on it): a checkpoint syncs the
		 * WAL before it copies frames out, and the database before the
		 * WAL may start over. */
		rc = sqlite3_exec(k->db, "PRAGMA synchronous = FULL; PRAGMA schema_version", NULL,
				  NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		rc = cc_err_set(e, CC_EIO, "%s: opening the checkpointer: %s", s->path,
				k->db ? sqlite3_errmsg(k->db) : sqlite3_errstr(rc));
		sqlite3_close(k->db);
		free(k);
		return rc;
	}
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	if (pthread_create(&k->th, NULL, ckpt_main, k) != 0) {
		pthread_cond_destroy(&k->cv);
		pthread_mutex_destroy(&k->mu);
		sqlite3_close(k->db);
		free(k);
		return 0;       /* no thread: commits keep checkpointing themselves */
	}
	s->ckpt = k;
	sqlite3_wal_hook(s->db, ckpt_hook, k);
	return 0;
}

void store_ckpt_stop(store *s)
{
	store_ckpt *k = s->ckpt;

	if (!k)
		return;
	sqlite3_wal_autocheckpoint(s->db, 1000);        /* the default hook again */
	pthread_mutex_lock(&k->mu);
	k->stop = true;
	pthread_cond_broadcast(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->th, NULL);
	pthread_cond_destroy(&k->cv);
	pthread_mutex_destroy(&k->mu);
	sqlite3_close(k->db);
	free(k);
	s->ckpt = NULL;
}
