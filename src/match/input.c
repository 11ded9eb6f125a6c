/*
 * input.c — scanning a file: map it (or read it whole when it is stdin or
 * gzip), detect its format, read its header, cut it into pieces at line
 * boundaries, let N threads scan the pieces, and merge the pieces' results
 * in order on the caller's thread, so hits come out the same for any N.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "match/run_int.h"
#include "util/file.h"

#define PIECE_BYTES (8u << 20)

typedef struct scan_job {
	const matcher *m;
	const mt_reader *proto;     /* reader state after the file's header */
	bool retro;                 /* match_opts.retro */
	mt_piece *pieces;
	size_t n_pieces;
	size_t next;                /* next piece to take */
	size_t merged;              /* pieces merged so far */
	size_t ahead;               /* how far workers may run ahead of the merge */
	pthread_mutex_t mu;
	pthread_cond_t cv;
} scan_job;

static void *worker_main(void *arg)
{
	scan_job *j = arg;
	mt_worker w;

	mt_worker_init(&w, j->m, j->retro);
	for (;;) {
		size_t i;
		mt_reader rd;

		pthread_mutex_lock(&j->mu);
		while (j->next < j->n_pieces && j->next >= j->merged + j->ahead)
			pthread_cond_wait(&j->cv, &j->mu);
		if (j->next >= j->n_pieces) {
			pthread_mutex_unlock(&j->mu);
			break;
		}
		i = j->next++;
		j->pieces[i].state = 1;
		pthread_mutex_unlock(&j->mu);
		rd = *j->proto;
		mt_scan_piece(&w, &j->pieces[i], &rd);
		j->pieces[i].rd_end = rd;
		pthread_mutex_lock(&j->mu);
		j->pieces[i].state = 2;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
	}
	mt_worker_free(&w);
	return NULL;
}

static bool same_header(const mt_reader *a, const mt_reader *b)
{
	return a->zeek.sep == b->zeek.sep && a->zeek.set_sep == b->zeek.set_sep &&
	       !strcmp(a->zeek.empty, b->zeek.empty) && !strcmp(a->zeek.unset, b->zeek.unset) &&
	       !strcmp(a->zeek.fields_line, b->zeek.fields_line) &&
	       !memcmp(a->zeek.col_kind, b->zeek.col_kind, sizeof(a->zeek.col_kind)) &&
	       !memcmp(a->zeek.col_set, b->zeek.col_set, sizeof(a->zeek.col_set));
}

void mt_merge_piece(match_run *run, const match_opts *o, const char *file, mt_piece *pc,
		    uint64_t line_base)
{
	size_t hi = 0, ci = 0;

	for (int b = 0; b < pc->nbad; b++)
		if (o->on_bad)
			o->on_bad(o->bad_ud, file, line_base + pc->bad[b].line, pc->bad[b].why);
	while (hi < pc->nh || ci < pc->nc) {
		if (ci >= pc->nc || (hi < pc->nh && pc->hits[hi].line <= pc->cands[ci].line)) {
			const mt_hitrec *h = &pc->hits[hi++];

			mt_run_hit(run, o, file, h->ind, line_base + h->line, h->ts, h->obs,
				   pc->vals.data + h->voff, h->nv);
		} else {
			const mt_cand *c = &pc->cands[ci++];

			mt_run_cand(run, o, file, c, pc->vals.data + c->voff, line_base + c->line);
		}
	}
	run->tot.lines += pc->lines;
	run->tot.events += pc->events;
	run->tot.fields += pc->fields;
	run->tot.malformed += pc->malformed;
	run->tot.bytes += pc->n;
}

/* Read the header lines (Zeek '#' lines, the CSV header row) into proto;
 * returns how many bytes they took and counts their lines. */
static size_t read_header(mt_reader *proto, const char *p, size_t n, uint64_t *lines)
{
	const char *s = p, *end = p + n;
	mt_event ev;

	memset(&ev, 0, sizeof(ev));
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *why;
		bool hdr;

		if (proto->fmt == MATCH_FMT_ZEEK)
			hdr = le == s || *s == '#';
		else if (proto->fmt == MATCH_FMT_CSV)
			hdr = !proto->csv_have_header;
		else
			break;
		if (!hdr)
			break;
		mt_event_reset(&ev);
		proto->line(proto, s, (size_t)(le - s), &ev, &why);
		(*lines)++;
		s = nl ? nl + 1 : end;
	}
	mt_event_free(&ev);
	return (size_t)(s - p);
}

static size_t cut_pieces(const char *p, size_t n, mt_piece **out)
{
	size_t cap = n / PIECE_BYTES + 2, np = 0;
	mt_piece *v = calloc(cap, sizeof(*v));
	size_t off = 0;

	if (!v)
		return 0;
	while (off < n) {
		size_t end = off + PIECE_BYTES < n ? off + PIECE_BYTES : n;

		if (end < n) {
			const char *nl = memchr(p + end, '\n', n - end);

			end = nl ? (size_t)(nl - p) + 1 : n;
		}
		if (np == cap) {
			mt_piece *nv = realloc(v, (cap *= 2) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
			memset(v + np, 0, (cap - np) * sizeof(*v));
		}
		v[np].p = p + off;
		v[np].n = end - off;
		np++;
		off = end;
	}
	*out = v;
	return np;
}

int match_scan_mem(const matcher *m, match_run *run, const char *name, const char *data,
		   size_t len, const match_opts *o, cc_err *e)
{
	match_format fmt = o->format;
	mt_reader proto;
	uint64_t line_base = 0;
	size_t hdr, np;
	mt_piece *pieces = NULL;
	int threads = o->threads < 1 ? 1 : o->threads;
	scan_job job;
	pthread_t *tid = NULL;
	int nt = 0;

	if (fmt == MATCH_FMT_AUTO)
		fmt = mt_detect(data, len, o->maps, o->n_maps);
	if (fmt == MATCH_FMT_AUTO)
		return cc_err_set(e, CC_ERR, "%s: cannot determine the log format (binary data?); use --format",
				  name);
	if (o->on_file)
		o->on_file(o->file_ud, name, fmt);
	mt_reader_init(&proto, fmt, o->maps, o->n_maps, m->need);
	if (o->retro)
		run->retro = true;
	hdr = read_header(&proto, data, len, &line_base);
	run->tot.lines += line_base;
	run->tot.bytes += hdr;
	np = cut_pieces(data + hdr, len - hdr, &pieces);
	if (!pieces)
		return cc_err_set(e, CC_ENOMEM, "%s: out of memory", name);
	memset(&job, 0, sizeof(job));
	job.m = m;
	job.proto = &proto;
	job.retro = o->retro;
	job.pieces = pieces;
	job.n_pieces = np;
	job.ahead = (size_t)threads * 2;
	pthread_mutex_init(&job.mu, NULL);
	pthread_cond_init(&job.cv, NULL);
	if (threads > 1 && np > 1) {
		tid = calloc((size_t)threads, sizeof(*tid));
		for (int t = 0; tid && t < threads; t++)
			if (pthread_create(&tid[t], NULL, worker_main, &job) == 0)
				nt++;
	}
	{
		mt_worker w;
		mt_reader seq = proto;	/* the sequential reader state */

		mt_worker_init(&w, m, o->retro);
		for (size_t i = 0; i < np; i++) {
			mt_piece *pc = &pieces[i];

			if (nt) {
				pthread_mutex_lock(&job.mu);
				while (pc->state != 2)
					pthread_cond_wait(&job.cv, &job.mu);
				pthread_mutex_unlock(&job.mu);
				/* a header that changed in an earlier piece: redo this one */
				if (fmt == MATCH_FMT_ZEEK && !same_header(&seq, &proto)) {
					mt_piece_clear(pc);
					mt_scan_piece(&w, pc, &seq);
				} else {
					seq = pc->rd_end;
				}
			} else {
				mt_scan_piece(&w, pc, &seq);
			}
			mt_merge_piece(run, o, name, pc, line_base);
			line_base += pc->lines;
			if (o->on_progress)
				o->on_progress(o->progress_ud, (uint64_t)(pc->p + pc->n - data), len);
			mt_piece_clear(pc);
			pthread_mutex_lock(&job.mu);
			job.merged = i + 1;
			pthread_cond_broadcast(&job.cv);
			pthread_mutex_unlock(&job.mu);
		}
		mt_worker_free(&w);
	}
	for (int t = 0; t < nt; t++)
		pthread_join(tid[t], NULL);
	free(tid);
	pthread_mutex_destroy(&job.mu);
	pthread_cond_destroy(&job.cv);
	free(pieces);
	return 0;
}

int match_scan_file(const matcher *m, match_run *run, const char *path, const match_opts *o,
		    cc_err *e)
{
	const char *name = cc_file_display(path);
	int fd = -1, rc;
	struct stat st;
	unsigned char magic[2] = { 0, 0 };
	void *map = NULL;
	size_t len = 0;
	cc_buf b = CC_BUF_INIT;

	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cc_err_set(e, CC_EIO, "%s: %s", name, strerror(errno));
		if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
			rc = cc_err_set(e, CC_EIO, "%s: %s", name, S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
			close(fd);
			return rc;
		}
		if (S_ISREG(st.st_mode) && st.st_size > 0 && pread(fd, magic, 2, 0) == 2 &&
		    !(magic[0] == 0x1f && magic[1] == 0x8b)) {
			len = (size_t)st.st_size;
			map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
			if (map == MAP_FAILED)
				map = NULL;
			else
				madvise(map, len, MADV_SEQUENTIAL);
		}
		close(fd);
	}
	if (!map) {
		rc = cc_file_read_all(path, &b, e);
		if (rc < 0) {
			cc_buf_free(&b);
			return rc;
		}
	}
	rc = match_scan_mem(m, run, name, map ? map : (b.data ? b.data : ""), map ? len : b.len, o, e);
	if (map)
		munmap(map, len);
	cc_buf_free(&b);
	return rc;
}
