/*
 * pool.c — threads for requests too heavy for a libmicrohttpd thread (a
 * POST of objects: parse, validate, store, commit with fsync).  The
 * server suspends the connection, hands the request here, and resumes it
 * when the answer is ready, so that the connections that thread serves
 * keep moving meanwhile and two POSTs that reached the same thread still
 * run side by side.  The password checks of new logins run on a pool of
 * their own whose queue is bounded: a flood of guesses is refused, not
 * queued without end.
 */
#include "taxii/taxii_int.h"

#include <stdlib.h>

typedef struct pool_job {
	taxii_pool_fn fn;
	void *arg;
	struct pool_job *next;
} pool_job;

struct taxii_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pool_job *head, *tail;          /* queued jobs, oldest first */
	size_t queued, max_queued;      /* jobs waiting; their bound (0 = none) */
	bool stopping;                  /* no more jobs will come */
	size_t n_threads;
	pthread_t th[];
};

static void *pool_main(void *arg)
{
	taxii_pool *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		pool_job *j = p->head;

		if (!j) {
			if (p->stopping)
				break;
			pthread_cond_wait(&p->cv, &p->mu);
			continue;
		}
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		p->queued--;
		pthread_mutex_unlock(&p->mu);
		j->fn(j->arg);
		free(j);
		pthread_mutex_lock(&p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

taxii_pool *taxii_pool_new(size_t n_threads, size_t max_queued)
{
	taxii_pool *p = calloc(1, sizeof(*p) + n_threads * sizeof(pthread_t));

	if (!p)
		return NULL;
	p->max_queued = max_queued;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (; p->n_threads < n_threads; p->n_threads++)
		if (pthread_create(&p->th[p->n_threads], NULL, pool_main, p) != 0)
			break;
	if (p->n_threads == 0) {
		taxii_pool_free(p);
		return NULL;
	}
	return p;
}

bool taxii_pool_submit(taxii_pool *p, taxii_pool_fn fn, void *arg)
{
	pool_job *j = malloc(sizeof(*j));

	if (!j)
		return false;
	*j = (pool_job){ fn, arg, NULL };
	pthread_mutex_lock(&p->mu);
	if (p->max_queued && p->queued >= p->max_queued) {
		pthread_mutex_unlock(&p->mu);
		free(j);
		return false;
	}
	p->queued++;
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return true;
}

void taxii_pool_free(taxii_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < p->n_threads; i++)
		pthread_join(p->th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}
