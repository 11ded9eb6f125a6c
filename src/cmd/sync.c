/*
 * sync.c — `cybercell sync`: one pass over the links of the peers (or
 * keep going), printing per link what moved.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "sync/sync.h"

const char cmd_sync_usage[] =
	"usage: cybercell sync [NAME...] [--watch SECONDS] [--json] [--retries N]\n"
	"                      [--page-size N]\n"
	"\n"
	"Run every link of every peer (or of the peers NAME...): pulls, then\n"
	"pushes, one line per link saying what moved.  A pull stores each page\n"
	"with its cursor in one transaction and a push moves its cursor once the\n"
	"remote confirmed; so after any interruption the next pass goes on where\n"
	"the last one stopped, and every version moves exactly once.  A link that\n"
	"fails is reported and the others still run.\n"
	"\n"
	"  --watch SECONDS   keep going: a pass every SECONDS until SIGINT or SIGTERM\n"
	"  --json            one JSON object per link and pass instead of text\n"
	"  --retries N       attempts after the first of a request that failed for\n"
	"                    a transient reason (default 6; waits double from 0.25 s,\n"
	"                    or what the server's Retry-After says, at most 30 s)\n"
	"  --page-size N     objects asked per page (default 10000) and sent per\n"
	"                    envelope (default 50000 and the remote's\n"
	"                    max_content_length); a page is stored whole, with its\n"
	"                    cursor, in one transaction\n"
	"\n"
	"Objects a peer sends that are not valid STIX 2.1, and objects a remote\n"
	"refuses, are reported on stderr, one line each.\n"
	"Exit status: 0 every link done, 1 a link failed, 2 bad usage.\n";

/* One link's report on out: a line of text, or (json) a JSON object. */
static void print_link(const sync_link_report *r, bool json, FILE *out)
{
	const store_link *l = r->link;
	const char *verb = l->push ? "refused" : "invalid";

	if (json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:s}",
				      "peer", r->peer->name, "direction", l->push ? "push" : "pull",
				      "remote_collection", l->remote_coll, "collection", r->collection,
				      "objects", (json_int_t)r->n.objects, "new", (json_int_t)r->n.added,
				      "already", (json_int_t)r->n.already, "failed",
				      (json_int_t)r->n.failed, "requests", (json_int_t)r->requests,
				      "ok", r->rc == 0, "error", r->error);

		json_dumpf(j, out, JSON_COMPACT);
		fputc('\n', out);
		json_decref(j);
		return;
	}
	if (l->push)
		fprintf(out, "push %s -> %s %s: ", r->collection, r->peer->name, l->remote_coll);
	else
		fprintf(out, "pull %s %s -> %s: ", r->peer->name, l->remote_coll, r->collection);
	fprintf(out, "%zu objects, %zu new, %zu already there, %zu %s (%zu request%s)", r->n.objects,
		r->n.added, r->n.already, r->n.failed, verb, r->requests, r->requests == 1 ? "" : "s");
	if (r->rc)
		fprintf(out, "; FAILED: %s", r->error);
	fputc('\n', out);
}

static void on_link(const sync_link_report *r, void *ud)
{
	const cmd_sync_out *o = ud;

	fputs(o->link_prefix, o->links);
	print_link(r, o->json, o->links);
	fflush(o->links);
}

static void on_problem(const char *id, const char *msg, void *ud)
{
	fprintf(stderr, "%s%s%s%s\n", ((const cmd_sync_out *)ud)->prefix, id, *id ? ": " : "", msg);
}

static void on_log(const char *msg, void *ud)
{
	fprintf(stderr, "%s%s\n", ((const cmd_sync_out *)ud)->prefix, msg);
}

void cmd_sync_report(struct sync_pass_opts *o, const cmd_sync_out *out)
{
	o->on_link = on_link;
	o->on_problem = on_problem;
	o->log = on_log;
	o->ud = (void *)out;
}

/* The thread that turns SIGINT/SIGTERM into the stop flag. */
typedef struct sig_watch {
	sigset_t set;
	atomic_bool *stop;
} sig_watch;

static void *sig_thread(void *arg)
{
	sig_watch *w = arg;
	int sig = 0;

	while (sigwait(&w->set, &sig) != 0)
		;
	atomic_store(w->stop, true);
	return NULL;
}

/* Passes every `seconds` until stopped; the status of the last pass. */
static int watch(sync_pass_opts *o, unsigned seconds, atomic_bool *stop)
{
	sig_watch w = { .stop = stop };
	sigset_t old;
	pthread_t th;
	int status = 0;

	sigemptyset(&w.set);
	sigaddset(&w.set, SIGINT);
	sigaddset(&w.set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &w.set, &old);
	if (pthread_create(&th, NULL, sig_thread, &w) != 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		fputs("cybercell: sync: cannot start a thread\n", stderr);
		return 1;
	}
	while (!atomic_load(stop)) {
		cc_err e = { 0 };

		status = sync_pass(o, &e) == 0 ? 0 : 1;
		if (status && e.code != CC_ERR)
			cmd_fail(&e);
		if (status && e.code == CC_ENOTFOUND)
			break;          /* a peer named that does not exist */
		for (unsigned t = 0; t < seconds * 10 && !atomic_load(stop); t++)
			nanosleep(&(struct timespec){ 0, 100000000L }, NULL);
	}
	if (!atomic_load(stop))
		pthread_kill(th, SIGTERM);
	pthread_join(th, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return status;
}

int cmd_sync(int argc, char **argv, const cc_cli *cli)
{
	static const struct option opts[] = {
		{ "watch", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "retries", required_argument, NULL, 'r' },
		{ "page-size", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	cmd_sync_out out = { false, stdout, "", "cybercell: sync: " };
	sync_pass_opts o = { 0 };
	long long every = 0, retries = 0, page = 0;
	atomic_bool stop = false;
	store *s = NULL;
	cc_err e = { 0 };
	int c, status;

	cmd_getopt_reset();
	while ((c = cmd_getopt("sync", argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'w':
			if (!cmd_parse_long("sync", "--watch", optarg, 1, 7 * 86400, &every))
				return 2;
			break;
		case 'r':
			if (!cmd_parse_long("sync", "--retries", optarg, 1, 100, &retries))
				return 2;
			break;
		case 'p':
			if (!cmd_parse_long("sync", "--page-size", optarg, 1, SYNC_PAGE_MAX, &page))
				return 2;
			break;
		case 'j': out.json = true; break;
		default: return 2;      /* reported by cmd_getopt */
		}
	}
	/* a writer of many versions, as import is (a big first pull) */
	if (store_open(cli->db_path, &s, &e) != 0 || store_set_cache_mb(s, 256, &e) != 0 ||
	    store_bulk_writer(s, &e) != 0) {
		store_close(s);
		return cmd_fail(&e);
	}
	o.s = s;
	o.peers = optind < argc ? (const char *const *)argv + optind : NULL;
	o.n_peers = (size_t)(argc - optind);
	o.retries = (unsigned)retries;
	o.page = (size_t)page;
	cmd_sync_report(&o, &out);
	o.stop = &stop;
	if (every) {
		status = watch(&o, (unsigned)every, &stop);
	} else {
		status = sync_pass(&o, &e) == 0 ? 0 : 1;
		if (status && e.code != CC_ERR)
			cmd_fail(&e);   /* not a link's failure (reported above): say it */
	}
	store_close(s);
	return status;
}
