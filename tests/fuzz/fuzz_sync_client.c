/*
 * fuzz_sync_client.c — what federation's TAXII client reads from a remote
 * server: the input is the server.  A thread on 127.0.0.1 answers each
 * request the client makes with the next raw HTTP answer of the input
 * (after "HTTP/1.1 ": status, headers, body) and closes the connection;
 * when the answers run out it closes without one.  Every input drives,
 * from its first answer each time:
 *   1. discovery and the API root (sync_api_root),
 *   2. a pull of a collection into a store (sync_pull: paging with next
 *      and X-TAXII-Date-Added-Last, envelopes, the objects validated and
 *      stored, TAXII error bodies, Retry-After),
 *   3. an Add Objects and its status followed (sync_add_objects).
 * Answers are separated by a line "=====".  The fuzz build of the library
 * (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) does not wait between
 * retries.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "store/store.h"
#include "sync/sync.h"

#define MAX_ANSWERS 16
#define SEP "\n=====\n"

static store *g_store;
static int64_t g_coll;
static char g_url[64];

/* The answers of the input being run (guarded by g_mu). */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static const uint8_t *g_ans[MAX_ANSWERS];
static size_t g_len[MAX_ANSWERS], g_n, g_next;

/* Read a request (headers, and a body of Content-Length bytes). */
static void read_request(int fd)
{
	char buf[65536];
	size_t n = 0;
	char *end = NULL;
	long clen = 0;

	while (n < sizeof(buf) - 1 && !end) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - 1 - n);

		if (r <= 0)
			return;
		n += (size_t)r;
		buf[n] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	if (!end)
		return;
	for (char *h = buf; h && h < end; h = strstr(h, "\r\n"), h = h ? h + 2 : NULL)
		if (strncasecmp(h, "Content-Length:", 15) == 0)
			clen = strtol(h + 15, NULL, 10);
	clen -= (long)(n - (size_t)(end + 4 - buf));
	while (clen > 0) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r <= 0)
			return;
		clen -= r;
	}
}

static void *serve(void *arg)
{
	int lfd = *(int *)arg;

	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		uint8_t *copy = NULL;
		const uint8_t *d = NULL;
		size_t len = 0;

		if (fd < 0)
			continue;
		read_request(fd);
		/* a copy: the input may be gone once the client has given up */
		pthread_mutex_lock(&g_mu);
		if (g_next < g_n) {
			len = g_len[g_next];
			d = copy = malloc(len + 1);
			if (!copy)
				abort();
			memcpy(copy, g_ans[g_next], len);
			g_next++;
		}
		pthread_mutex_unlock(&g_mu);
		if (d) {
			ssize_t w = write(fd, "HTTP/1.1 ", 9);

			while (w >= 0 && len > 0) {
				w = write(fd, d, len);
				if (w > 0) {
					d += w;
					len -= (size_t)w;
				}
			}
		}
		free(copy);
		shutdown(fd, SHUT_RDWR);
		close(fd);
	}
	return NULL;
}

static void setup(void)
{
	char path[64];
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	static int lfd;
	pthread_t t;
	store_collection c = { 0 };

	snprintf(path, sizeof(path), "/dev/shm/fuzz_sync_client-%d.db", (int)getpid());
	unlink(path);
	if (store_open(path, &g_store, NULL) != 0 ||
	    store_collection_add(g_store, "c", "C", NULL, NULL, &c, NULL))
		abort();
	g_coll = c.id;
	store_collection_clear(&c);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 16) || getsockname(lfd, (struct sockaddr *)&sa, &sl) ||
	    pthread_create(&t, NULL, serve, &lfd))
		abort();
	pthread_detach(t);
	snprintf(g_url, sizeof(g_url), "http://127.0.0.1:%d/taxii2/", ntohs(sa.sin_port));
}

/* Split the input into answers and start again from the first (NULL:
 * none). */
static void load(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data ? data + size : NULL;	/* NULL + 0 is undefined */

	pthread_mutex_lock(&g_mu);
	g_n = g_next = 0;
	while (data && g_n < MAX_ANSWERS && p <= end) {
		const uint8_t *s = memmem(p, (size_t)(end - p), SEP, strlen(SEP));
		const uint8_t *stop = s ? s : end;

		g_ans[g_n] = p;
		g_len[g_n++] = (size_t)(stop - p);
		if (!s)
			break;
		p = s + strlen(SEP);
	}
	pthread_mutex_unlock(&g_mu);
}

static void rewind_answers(void)
{
	pthread_mutex_lock(&g_mu);
	g_next = 0;
	pthread_mutex_unlock(&g_mu);
}

static sync_client *client(void)
{
	sync_conn conn = { 0 };
	sync_client *c = NULL;

	conn.url = g_url;
	conn.user = "u";
	conn.password = "pw";
	conn.retries = 1;
	conn.max_wait_s = 1;
	if (sync_client_new(&conn, &c, NULL))
		abort();
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char env[] = "{\"objects\":[]}";
	sync_pull_opts po = { 0 };
	sync_counts n;
	sync_client *c;
	const char *root;
	json_t *status = NULL;
	cc_err e;

	if (!g_store)
		setup();
	load(data, size);

	c = client();
	(void)sync_api_root(c, &root, &e);
	sync_client_free(c);

	rewind_answers();
	c = client();
	po.c = c;
	po.remote_coll = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
	po.s = g_store;
	po.collection_id = g_coll;
	po.page = 3;
	po.workers = 2;
	(void)sync_pull(&po, &n, &e);
	sync_client_free(c);

	rewind_answers();
	c = client();
	(void)sync_add_objects(c, po.remote_coll, env, sizeof(env) - 1, &status, &e);
	json_decref(status);
	sync_client_free(c);
	load(NULL, 0);          /* the input is gone after this: no more answers */
	return 0;
}
