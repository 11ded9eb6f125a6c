/*
 * sync_int.h — what the files of the sync module share; not part of its
 * interface (include sync/sync.h from outside).
 */
#ifndef CC_SYNC_INT_H
#define CC_SYNC_INT_H

#include <curl/curl.h>

#include "sync/sync.h"

#define SYNC_MEDIA_TYPE "application/taxii+json;version=2.1"
#define SYNC_ENVELOPE_MAX (16u << 20)   /* bytes of an envelope at most */

struct sync_client {
	CURL *h;                        /* the options of every request, each made on a copy */
	CURLSH *share;                  /* the copies' kept-alive connection and TLS sessions */
	char *url;                      /* as given, ending in '/' */
	char *root;                     /* the API root, ending in '/' (NULL: not known yet) */
	unsigned retries;               /* attempts after the first */
	int64_t max_wait_ms;            /* longest wait before a retry */
	const atomic_bool *stop;
	void (*log)(const char *msg, void *ud);
	void *log_ud;
	struct curl_slist *hdr_get, *hdr_post;  /* request headers */
	size_t requests;                /* attempts so far */
	cc_buf body;                    /* the answer being received */
	char date_first[SYNC_HDR_MAX], date_last[SYNC_HDR_MAX], retry_after[SYNC_HDR_MAX];
	char curl_err[CURL_ERROR_SIZE];
};

/* One request: a GET, or a POST of body. */
typedef struct sync_req {
	const char *url;                /* absolute */
	const char *body;               /* NULL: GET */
	size_t len;
} sync_req;

/* Make rq, retrying what is transient (see sync.h); a on success. */
int sync_request(sync_client *c, const sync_req *rq, sync_answer *a, cc_err *e);

/* POST body to path (below the API root, or absolute). */
int sync_post(sync_client *c, const char *path, const char *body, size_t len, sync_answer *a,
	      cc_err *e);

/* The API root once known (borrowed), else NULL. */
const char *sync_client_root(const sync_client *c);

#endif
