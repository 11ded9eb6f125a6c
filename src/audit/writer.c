/*
 * writer.c — the server's appender: one thread writes the queued entries
 * in batches, one write and one sync per batch.
 *
 * A durable entry (a write, a read of restricted material) wakes the
 * thread at once and its caller hears back once it is on disk; entries
 * that need not be durable at once wait at most batch_ms, so that many
 * ride on one sync.  A crash loses at most the entries of that window
 * that were not durable.  The thread signs a checkpoint after
 * checkpoint_every entries, after checkpoint_s seconds with new entries,
 * and when it stops.  A failed append is reported to on_error; its
 * durable entries' callers get the error, the others are counted and an
 * entry of action "audit lost" says how many at the next append that
 * works.
 *
 * An entry's text is made on the thread that queues it, outside the
 * queue's lock, and copied into the queue's text buffer; the queue is two
 * buffers the thread and the callers swap, so that nothing an entry
 * allocates is freed on another thread (what an allocator makes slow),
 * and the queue itself allocates nothing in the steady state.
 */
#include "audit/audit.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/time.h"
#include "util/xalloc.h"

/* The largest text buffer kept for reuse (bytes). */
#define SPARE_MAX (1u << 20)

/* One queued entry: its text is the queue's text at off (NUL-ended). */
typedef struct item {
	size_t off;
	bool durable;
	audit_done_fn done;                /* or */
	audit_pending *wait;               /* or neither (not durable) */
	void *arg;
} item;

/* A queue: the entries and their text. */
typedef struct queue {
	item *v;
	size_t n, cap;
	cc_buf text;
} queue;

struct audit_writer {
	audit_log *log;
	audit_key key;                     /* signs checkpoints, when has_sk */
	unsigned batch_ms, cp_every, cp_s;
	size_t max_queued;
	void (*on_error)(const char *msg, void *ud);
	void *ud;
	pthread_t thread;
	pthread_mutex_t mu;                /* guards what follows */
	pthread_cond_t wake;               /* for the thread: something to do */
	pthread_cond_t done;               /* for callers: a batch was written */
	queue q;                           /* the entries waiting */
	queue spare;                       /* the last batch's, empty, for reuse */
	bool urgent;                       /* a durable entry waits */
	int64_t oldest_us;                 /* when the queue's first entry came (mono) */
	bool stopping;
	/* the thread's own */
	size_t since_cp;                   /* entries since the last checkpoint */
	int64_t cp_us;                     /* when the last checkpoint was written (mono) */
	int64_t lost;                      /* entries dropped by failed appends */
	char lost_why[256];                /* the last failure */
	audit_entry **ens;                 /* a batch's entries (texts and lost) */
	audit_entry *texts;                /* the entries of its texts: body alone set */
	size_t ens_cap;
};

static void cond_init_mono(pthread_cond_t *c)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(c, &a);
	pthread_condattr_destroy(&a);
}

/* Wait on c until the monotonic time until_us. */
static void wait_until(pthread_cond_t *c, pthread_mutex_t *mu, int64_t until_us)
{
	struct timespec ts = { (time_t)(until_us / 1000000), (long)(until_us % 1000000) * 1000 };

	pthread_cond_timedwait(c, mu, &ts);
}

/* When the thread must act next without being woken (mono µs; INT64_MAX:
 * not before it is woken).  Under mu. */
static int64_t next_due(const audit_writer *w)
{
	int64_t due = INT64_MAX;

	if (w->q.n)
		due = w->urgent ? 0 : w->oldest_us + (int64_t)w->batch_ms * 1000;
	if (w->since_cp && w->key.has_sk && w->cp_us + (int64_t)w->cp_s * 1000000 < due)
		due = w->cp_us + (int64_t)w->cp_s * 1000000;
	return due;
}

/* The entry that says how many entries failed appends dropped. */
static audit_entry *lost_entry(audit_writer *w)
{
	audit_entry *en = cc_xcalloc(1, sizeof(*en));
	char msg[400];

	snprintf(msg, sizeof(msg), "%lld audit entries could not be written and are lost (%s)",
		 (long long)w->lost, w->lost_why);
	audit_set(&en->actor, "hub");
	audit_set(&en->action, "audit lost");
	audit_set(&en->message, msg);
	en->extra = json_pack("{s:I}", "lost", (json_int_t)w->lost);
	return en;
}

/* Append the batch b (it may be empty: a checkpoint alone), answer its
 * durable callers, empty it.  Not under mu. */
static void write_batch(audit_writer *w, queue *b)
{
	audit_entry **ens, *texts, *lost = w->lost ? lost_entry(w) : NULL;
	size_t k = 0, i;
	bool cp;
	cc_err e;
	int rc;

	if (b->n + 1 > w->ens_cap) {	/* kept from batch to batch */
		size_t cap = 2 * (b->n + 1);

		w->ens = cc_xrealloc(w->ens, cap * sizeof(*w->ens));
		w->texts = cc_xrealloc(w->texts, cap * sizeof(*w->texts));
		memset(w->texts, 0, cap * sizeof(*w->texts));
		w->ens_cap = cap;
	}
	ens = w->ens;
	texts = w->texts;
	if (lost)
		ens[k++] = lost;
	for (i = 0; i < b->n; i++) {
		texts[i].body = b->text.data + b->v[i].off;	/* borrowed */
		ens[k++] = &texts[i];
	}
	cp = w->key.has_sk && (w->since_cp + k >= w->cp_every || b->n == 0 ||
			       cc_mono_us() - w->cp_us >= (int64_t)w->cp_s * 1000000);
	rc = audit_log_append(w->log, ens, k, cp ? &w->key : NULL, NULL, &e);
	if (rc == 0) {
		w->lost = 0;
		w->since_cp = cp ? 0 : w->since_cp + k;
		if (cp)
			w->cp_us = cc_mono_us();
	} else {
		for (i = 0; i < b->n; i++)
			w->lost += !b->v[i].durable;
		snprintf(w->lost_why, sizeof(w->lost_why), "%.200s", e.msg);
		if (w->on_error)
			w->on_error(e.msg, w->ud);
	}
	pthread_mutex_lock(&w->mu);
	for (i = 0; i < b->n; i++)
		if (b->v[i].wait) {
			b->v[i].wait->rc = rc;
			b->v[i].wait->finished = true;
		}
	pthread_cond_broadcast(&w->done);
	pthread_mutex_unlock(&w->mu);
	for (i = 0; i < b->n; i++)
		if (b->v[i].done)
			b->v[i].done(rc, b->v[i].arg);
	b->n = 0;
	cc_buf_reset(&b->text);
	audit_entry_clear(lost);
	free(lost);
}

static void queue_free(queue *q)
{
	free(q->v);
	cc_buf_free(&q->text);
}

static void *run(void *arg)
{
	audit_writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		int64_t due = next_due(w);
		queue b;

		if (!w->stopping && due > cc_mono_us()) {
			if (due == INT64_MAX)
				pthread_cond_wait(&w->wake, &w->mu);
			else
				wait_until(&w->wake, &w->mu, due);
			continue;
		}
		if (w->stopping && !w->q.n)
			break;
		/* the callers fill the spare meanwhile */
		b = w->q;
		w->q = w->spare;
		memset(&w->spare, 0, sizeof(w->spare));
		w->urgent = false;
		pthread_cond_broadcast(&w->done);	/* room in the queue */
		pthread_mutex_unlock(&w->mu);
		write_batch(w, &b);
		pthread_mutex_lock(&w->mu);
		/* kept for the next swap, unless a burst made it large */
		if (!w->spare.cap && !w->spare.text.cap && b.text.cap <= SPARE_MAX)
			w->spare = b;
		else
			queue_free(&b);
	}
	pthread_mutex_unlock(&w->mu);
	if ((w->since_cp && w->key.has_sk) || w->lost) {
		queue none = { 0 };

		write_batch(w, &none);	/* the last checkpoint */
		queue_free(&none);
	}
	return NULL;
}

int audit_writer_start(const audit_writer_opts *o, audit_writer **out, cc_err *e)
{
	audit_writer *w = cc_xcalloc(1, sizeof(*w));
	int rc = audit_log_open(o->path, &w->log, e);
	sigset_t all, old;

	*out = NULL;
	if (rc) {
		free(w);
		return rc;
	}
	if (o->key)
		w->key = *o->key;
	w->batch_ms = o->batch_ms ? o->batch_ms : 100;
	w->cp_every = o->checkpoint_every ? o->checkpoint_every : 1000;
	w->cp_s = o->checkpoint_s ? o->checkpoint_s : 10;
	w->max_queued = o->max_queued ? o->max_queued : 65536;
	w->on_error = o->on_error;
	w->ud = o->ud;
	w->cp_us = cc_mono_us();
	pthread_mutex_init(&w->mu, NULL);
	cond_init_mono(&w->wake);
	cond_init_mono(&w->done);
	/* the thread takes no signals: they are its process's to handle
	 * (a server waits for SIGTERM in one thread) */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->wake);
		pthread_cond_destroy(&w->done);
		audit_log_close(w->log);
		audit_key_wipe(&w->key);
		free(w);
		return cc_err_set(e, CC_ERR, "audit %s: cannot start the writer thread", o->path);
	}
	*out = w;
	return 0;
}

/* Add an item for the text that begins at off; its text must be in the
 * queue (NUL-ended) already.  Under mu. */
static void push(audit_writer *w, size_t off, bool durable, audit_done_fn done,
		 audit_pending *wait, void *arg)
{
	if (w->q.n == w->q.cap) {
		w->q.cap = w->q.cap ? 2 * w->q.cap : 64;
		w->q.v = cc_xrealloc(w->q.v, w->q.cap * sizeof(*w->q.v));
	}
	if (!w->q.n)
		w->oldest_us = cc_mono_us();
	w->q.v[w->q.n++] = (item){ off, durable, durable ? done : NULL, durable ? wait : NULL,
				   arg };
	if (durable || w->q.n == 1) {
		w->urgent |= durable;
		pthread_cond_signal(&w->wake);
	}
}

/* Copy text (len bytes) into the queue, once it has room, as an entry. */
static void queue_text(audit_writer *w, const char *text, size_t len, bool durable,
		       audit_done_fn done, audit_pending *wait, void *arg)
{
	size_t off;

	pthread_mutex_lock(&w->mu);
	while (w->q.n >= w->max_queued && !w->stopping)
		pthread_cond_wait(&w->done, &w->mu);
	off = w->q.text.len;
	cc_buf_add(&w->q.text, text, len);
	cc_buf_add(&w->q.text, "", 1);
	push(w, off, durable, done, wait, arg);
	pthread_mutex_unlock(&w->mu);
}

/* Make en's text (on the caller's thread, outside the lock: the threads
 * of the requests make theirs in parallel, and only the copy is serial)
 * and queue it. */
static void queue_entry(audit_writer *w, const audit_entry *en, bool durable, audit_done_fn done,
			audit_pending *wait, void *arg)
{
	cc_buf b = CC_BUF_INIT;

	cc_buf_reserve(&b, 512);        /* an ordinary request's text, grown once at most */
	audit_entry_put(en, &b);
	queue_text(w, b.data, b.len, durable, done, wait, arg);
	cc_buf_free(&b);
}

/* Queue en (taken): durable with done or wait, or not. */
static void enqueue(audit_writer *w, audit_entry *en, bool durable, audit_done_fn done,
		    audit_pending *wait, void *arg)
{
	if (!en->ts_us)
		en->ts_us = cc_now_us();
	if (wait)
		*wait = (audit_pending){ false, 0 };
	queue_entry(w, en, durable, done, wait, arg);
	audit_entry_clear(en);
}

void audit_writer_note(audit_writer *w, const audit_entry *en)
{
	queue_entry(w, en, false, NULL, NULL, NULL);
}

void audit_writer_begin(audit_writer *w, audit_entry *en, audit_pending *p)
{
	enqueue(w, en, true, NULL, p, NULL);
}

int audit_writer_wait(audit_writer *w, audit_pending *p)
{
	pthread_mutex_lock(&w->mu);
	while (!p->finished)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
	return p->rc;
}

int audit_writer_add(audit_writer *w, audit_entry *en, bool durable, audit_done_fn done,
		     void *arg)
{
	audit_pending p;

	if (durable && !done) {
		audit_writer_begin(w, en, &p);
		return audit_writer_wait(w, &p);
	}
	enqueue(w, en, durable, done, NULL, arg);
	return 0;
}

void audit_writer_stop(audit_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->done);
	queue_free(&w->q);
	queue_free(&w->spare);
	free(w->ens);
	free(w->texts);
	audit_log_close(w->log);
	audit_key_wipe(&w->key);
	free(w);
}
