/*
 * guard.c — deadlines for slow clients.  libmicrohttpd's own timeout only
 * measures silence, which a client trickling a byte now and then never
 * breaks; here every connection carries an absolute deadline for its
 * request headers and a minimum rate for its body, and a thread hangs up
 * (shutdown(2), which libmicrohttpd then sees as the client leaving) on
 * those that miss them.  The list of connections changes only when one
 * opens or closes; the phase changes of each request are atomic stores.
 */
#include "taxii/taxii_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "util/time.h"

#define GUARD_TICK_MS 250

struct taxii_conn {
	int fd;                             /* its socket (valid until taxii_guard_close) */
	atomic_int phase;                   /* a taxii_conn_phase */
	atomic_int_fast64_t since_us;       /* when that phase began (monotonic µs) */
	atomic_uint_fast64_t body;          /* body bytes received in the BODY phase */
	bool cut;                           /* shut down already */
	taxii_conn *prev, *next;            /* the guard's list */
};

struct taxii_guard {
	pthread_mutex_t mu;                 /* guards head, stopping and every c->cut */
	pthread_cond_t cv;                  /* wakes the thread to stop */
	taxii_conn *head;                   /* connections watched */
	bool stopping;
	int64_t header_us;                  /* header deadline, and the body's grace */
	uint64_t min_rate;                  /* body bytes per second; 0 = none */
	pthread_t th;
};

/* Whether c has missed its deadline at now. */
static bool late(const taxii_guard *g, taxii_conn *c, int64_t now)
{
	int phase = atomic_load_explicit(&c->phase, memory_order_acquire);
	int64_t since = atomic_load_explicit(&c->since_us, memory_order_relaxed);
	uint64_t body;

	if (phase == TAXII_CONN_HEADERS)
		return now - since > g->header_us;
	if (phase != TAXII_CONN_BODY || !g->min_rate)
		return false;
	body = atomic_load_explicit(&c->body, memory_order_relaxed);
	/* the bytes due: the rate times the time past the grace */
	return now - since > g->header_us &&
	       (uint64_t)(now - since - g->header_us) / 1000 * g->min_rate / 1000 > body;
}

static void *guard_main(void *arg)
{
	taxii_guard *g = arg;
	struct timespec ts;

	pthread_mutex_lock(&g->mu);
	while (!g->stopping) {
		int64_t now = cc_mono_us();

		for (taxii_conn *c = g->head; c; c = c->next)
			if (!c->cut && late(g, c, now)) {
				c->cut = true;
				shutdown(c->fd, SHUT_RDWR);
			}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += GUARD_TICK_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		while (pthread_cond_timedwait(&g->cv, &g->mu, &ts) == EINTR)
			;
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

taxii_guard *taxii_guard_new(const taxii_limits *l)
{
	taxii_guard *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->header_us = (int64_t)l->header_timeout * 1000000;
	g->min_rate = l->body_min_rate == UINT_MAX ? 0 : l->body_min_rate;
	if (pthread_create(&g->th, NULL, guard_main, g) != 0) {
		pthread_mutex_destroy(&g->mu);
		pthread_cond_destroy(&g->cv);
		free(g);
		return NULL;
	}
	return g;
}

void taxii_guard_free(taxii_guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->mu);
	g->stopping = true;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->th, NULL);
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->cv);
	free(g);
}

taxii_conn *taxii_guard_open(taxii_guard *g, int fd)
{
	taxii_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	atomic_init(&c->phase, TAXII_CONN_HEADERS);
	atomic_init(&c->since_us, cc_mono_us());
	atomic_init(&c->body, 0);
	pthread_mutex_lock(&g->mu);
	c->next = g->head;
	if (g->head)
		g->head->prev = c;
	g->head = c;
	pthread_mutex_unlock(&g->mu);
	return c;
}

void taxii_guard_close(taxii_guard *g, taxii_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		g->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&g->mu);
	free(c);
}

void taxii_conn_phase(taxii_conn *c, int phase)
{
	if (!c)
		return;
	/* a checker that sees the new phase also sees its start */
	atomic_store_explicit(&c->body, 0, memory_order_relaxed);
	atomic_store_explicit(&c->since_us, cc_mono_us(), memory_order_relaxed);
	atomic_store_explicit(&c->phase, phase, memory_order_release);
}

void taxii_conn_body(taxii_conn *c, size_t n)
{
	if (c)
		atomic_fetch_add_explicit(&c->body, n, memory_order_relaxed);
}
