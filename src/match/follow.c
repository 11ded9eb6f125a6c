/*
 * follow.c — live input: a pipe read as it arrives and a log followed as
 * it grows (like `tail -F`, across Zeek's rotations).  Complete lines are
 * scanned as soon as they are there, on the caller's thread, with the
 * same reader, matcher and merge as a whole file; a partial last line
 * waits for the rest of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "match/run_int.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/time.h"

#define CHUNK (256u << 10)

typedef struct follower {
	const matcher *m;
	match_run *run;
	const match_opts *o;
	const match_follow_opts *fo;
	const char *path, *name;
	bool is_stdin;
	int fd;
	dev_t dev;              /* the open file's identity, to see a rotation */
	ino_t ino;
	off_t off;              /* bytes read from it */
	cc_buf buf;             /* read, not yet scanned (a partial line) */
	mt_reader rd;           /* reader state (Zeek header, CSV columns) */
	bool have_fmt;          /* rd is set up for this file */
	uint64_t line_base;     /* lines of this file already scanned */
	mt_worker w;
	int64_t next_tick;      /* cc_mono_us of the next on_tick */
} follower;

/* Scan the complete lines of f->buf (all of it when last). */
static void scan_lines(follower *f, bool last)
{
	const char *p = f->buf.data, *nl;
	size_t n;
	mt_piece pc;

	if (!f->buf.len)
		return;
	nl = last ? p + f->buf.len - 1 : memrchr(p, '\n', f->buf.len);
	if (!nl)
		return;
	n = (size_t)(nl - p) + 1;
	if (!f->have_fmt) {
		match_format fmt = f->o->format;

		if (fmt == MATCH_FMT_AUTO)
			fmt = mt_detect(p, n, f->o->maps, f->o->n_maps);
		if (fmt == MATCH_FMT_AUTO)
			fmt = MATCH_FMT_TEXT;   /* binary so far: read it as text */
		if (f->o->on_file)
			f->o->on_file(f->o->file_ud, f->name, fmt);
		mt_reader_init(&f->rd, fmt, f->o->maps, f->o->n_maps, f->m->need);
		f->have_fmt = true;
	}
	memset(&pc, 0, sizeof(pc));
	pc.p = p;
	pc.n = n;
	mt_scan_piece(&f->w, &pc, &f->rd);
	mt_merge_piece(f->run, f->o, f->name, &pc, f->line_base);
	f->line_base += pc.lines;
	mt_piece_clear(&pc);
	memmove(f->buf.data, f->buf.data + n, f->buf.len - n);
	f->buf.len -= n;
}

/* Read what is there now; returns the bytes read, 0 at the end (for
 * now), -1 on an error. */
static ssize_t read_some(follower *f)
{
	ssize_t r;

	cc_buf_reserve(&f->buf, CHUNK);
	do
		r = read(f->fd, f->buf.data + f->buf.len, CHUNK);
	while (r < 0 && errno == EINTR);
	if (r > 0) {
		f->buf.len += (size_t)r;
		f->off += r;
	}
	return r;
}

static int open_path(follower *f, cc_err *e)
{
	struct stat st;

	f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0)
		return cc_err_set(e, CC_EIO, "%s: %s", f->name, strerror(errno));
	if (fstat(f->fd, &st) == 0) {
		f->dev = st.st_dev;
		f->ino = st.st_ino;
	}
	f->off = 0;
	f->have_fmt = false;
	f->line_base = 0;
	return 0;
}

/* At the end of the open file: was it rotated or truncated?  Switches
 * to the file now at path when it was rotated (after reading the rest
 * of the old one). */
static void check_rotation(follower *f)
{
	struct stat st;
	cc_err e;

	if (stat(f->path, &st) != 0)
		return;                 /* renamed away, the new one not there yet */
	if (st.st_dev == f->dev && st.st_ino == f->ino) {
		if (st.st_size < f->off) {      /* truncated: read it again */
			scan_lines(f, true);
			lseek(f->fd, 0, SEEK_SET);
			f->off = 0;
			f->have_fmt = false;
			f->line_base = 0;
		}
		return;
	}
	while (read_some(f) > 0)                /* the rest of the old file */
		scan_lines(f, false);
	scan_lines(f, true);
	close(f->fd);
	if (open_path(f, &e) != 0)
		f->fd = -1;             /* try again at the next look */
}

static void tick(follower *f)
{
	int64_t now;

	if (!f->fo->tick_s || !f->fo->on_tick)
		return;
	now = cc_mono_us();
	if (now < f->next_tick)
		return;
	f->fo->on_tick(f->fo->tick_ud);
	f->next_tick = now + (int64_t)f->fo->tick_s * 1000000;
}

static bool stopped(const follower *f)
{
	return f->fo->stop && *f->fo->stop;
}

/* Wait up to ms for input on fd (or just wait, fd < 0); whether there is
 * some (or the end of it) to read. */
static bool wait_input(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(fd >= 0 ? &p : NULL, fd >= 0 ? 1 : 0, ms) > 0;
}

static void follow_loop(follower *f)
{
	int ms = f->fo->poll_ms > 0 ? f->fo->poll_ms : 200;

	while (!stopped(f)) {
		ssize_t r;

		if (f->fd < 0) {                /* between a rotation and the new file */
			cc_err e;

			wait_input(-1, ms);
			if (open_path(f, &e) != 0)
				f->fd = -1;
			tick(f);
			continue;
		}
		if (f->is_stdin && !wait_input(f->fd, ms)) {
			tick(f);
			continue;
		}
		r = read_some(f);
		if (r > 0) {
			scan_lines(f, false);
		} else if (r == 0 && f->is_stdin) {
			break;          /* the pipe ended */
		} else if (r == 0) {
			check_rotation(f);
			wait_input(-1, ms);
		} else if (errno != EAGAIN) {
			break;
		}
		tick(f);
	}
	scan_lines(f, true);
}

int match_follow(const matcher *m, match_run *run, const char *path, const match_opts *o,
		 const match_follow_opts *fo, cc_err *e)
{
	follower f;
	int rc = 0;

	memset(&f, 0, sizeof(f));
	f.m = m;
	f.run = run;
	f.o = o;
	f.fo = fo;
	f.path = path;
	f.name = cc_file_display(path);
	f.is_stdin = !strcmp(path, "-");
	if (o->retro)
		run->retro = true;
	if (f.is_stdin) {
		f.fd = STDIN_FILENO;
	} else {
		rc = open_path(&f, e);
		if (rc)
			return rc;
	}
	mt_worker_init(&f.w, m, o->retro);
	f.next_tick = cc_mono_us() + (int64_t)fo->tick_s * 1000000;
	follow_loop(&f);
	mt_worker_free(&f.w);
	if (!f.is_stdin && f.fd >= 0)
		close(f.fd);
	cc_buf_free(&f.buf);
	return 0;
}
