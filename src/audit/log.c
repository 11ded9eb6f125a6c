/*
 * log.c — the trail's file: appending under an exclusive lock shared by
 * every process, reading the chain's end from the file's tail when
 * someone else appended, cutting a torn last line, rotating.
 *
 * Appenders hold the file open (O_APPEND) and lock it with flock() for
 * each batch.  After taking the lock an appender checks that its
 * descriptor is still the file at the path (a rotation replaces it) and
 * that the file has the size its own last write left; otherwise it reads
 * the last line again for the seq and hash to chain on to.  A batch is one
 * write() and one fdatasync() before the lock is released.
 */
#include "audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/time.h"
#include "util/xalloc.h"

#define TAIL_CHUNK 65536

struct audit_log {
	char *path;                        /* the trail, as opened */
	int fd;                            /* open O_RDWR | O_APPEND */
	dev_t dev;                         /* what fd is, to notice a rotation */
	ino_t ino;
	off_t known_size;                  /* size after our last append; -1: unknown */
	int64_t last_seq;                  /* the chain's end, valid at known_size */
	char last_hash[AUDIT_HASH_HEX];
	cc_buf buf;                        /* the lines of a batch */
};

/* fsync the directory holding path, so that a new name in it is durable. */
static void sync_dir(const char *path)
{
	char *copy = cc_xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Open path for appending (created 0600 when missing) into l->fd. */
static int open_fd(audit_log *l, cc_err *e)
{
	struct stat sb;
	bool created = true;
	int fd = open(l->path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EEXIST) {
		created = false;
		fd = open(l->path, O_RDWR | O_APPEND | O_CLOEXEC);
	}
	if (fd < 0 || fstat(fd, &sb) != 0) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		return cc_err_set(e, CC_EIO, "audit %s: %s", l->path, strerror(err));
	}
	if (created)
		sync_dir(l->path);
	l->fd = fd;
	l->dev = sb.st_dev;
	l->ino = sb.st_ino;
	l->known_size = -1;
	return 0;
}

int audit_log_open(const char *path, audit_log **out, cc_err *e)
{
	audit_log *l = cc_xcalloc(1, sizeof(*l));
	int rc;

	l->path = cc_xstrdup(path);
	rc = open_fd(l, e);
	if (rc) {
		free(l->path);
		free(l);
		*out = NULL;
		return rc;
	}
	*out = l;
	return 0;
}

void audit_log_close(audit_log *l)
{
	if (!l)
		return;
	close(l->fd);
	cc_buf_free(&l->buf);
	free(l->path);
	free(l);
}

const char *audit_log_path(const audit_log *l)
{
	return l->path;
}

/* Lock the file now at l->path (reopening it after a rotation); *size
 * receives its size.  Unlock with flock(l->fd, LOCK_UN). */
static int lock_current(audit_log *l, off_t *size, cc_err *e)
{
	for (int tries = 0; tries < 100; tries++) {
		struct stat fsb, psb;
		int rc;

		if (flock(l->fd, LOCK_EX) != 0)
			return cc_err_set(e, CC_EIO, "audit %s: locking: %s", l->path, strerror(errno));
		if (fstat(l->fd, &fsb) == 0 && stat(l->path, &psb) == 0 &&
		    fsb.st_dev == psb.st_dev && fsb.st_ino == psb.st_ino) {
			*size = fsb.st_size;
			return 0;
		}
		/* rotated (or removed) under us: the file at the path is the trail */
		flock(l->fd, LOCK_UN);
		close(l->fd);
		rc = open_fd(l, e);
		if (rc) {
			l->fd = -1;
			return rc;
		}
	}
	return cc_err_set(e, CC_EIO, "audit %s: the file keeps being replaced", l->path);
}

/* Where the line that ends before offset end starts (the byte after the
 * previous newline, or 0). */
static int line_start(int fd, off_t end, off_t *start, const char *path, cc_err *e)
{
	char chunk[4096];
	off_t pos = end;

	while (pos > 0) {
		size_t n = pos < (off_t)sizeof(chunk) ? (size_t)pos : sizeof(chunk);
		ssize_t got = pread(fd, chunk, n, pos - (off_t)n);

		if (got != (ssize_t)n)
			return cc_err_set(e, CC_EIO, "audit %s: reading: %s", path,
					  got < 0 ? strerror(errno) : "short read");
		for (size_t i = n; i > 0; i--)
			if (chunk[i - 1] == '\n') {
				*start = pos - (off_t)n + (off_t)i;
				return 0;
			}
		pos -= (off_t)n;
	}
	*start = 0;
	return 0;
}

/* Cut a torn last line (no newline at the end) off a file of *size
 * bytes; *cut receives the bytes removed. */
static int cut_torn(audit_log *l, off_t *size, off_t *cut, cc_err *e)
{
	char last;
	off_t start;
	int rc;

	*cut = 0;
	if (*size == 0)
		return 0;
	if (pread(l->fd, &last, 1, *size - 1) != 1)
		return cc_err_set(e, CC_EIO, "audit %s: reading: %s", l->path, strerror(errno));
	if (last == '\n')
		return 0;
	rc = line_start(l->fd, *size, &start, l->path, e);
	if (rc)
		return rc;
	if (ftruncate(l->fd, start) != 0 || fdatasync(l->fd) != 0)
		return cc_err_set(e, CC_EIO, "audit %s: cutting a torn line: %s", l->path,
				  strerror(errno));
	*cut = *size - start;
	*size = start;
	return 0;
}

/* Read the chain's end (seq, hash) from the last line of a file of size
 * bytes that ends with a newline. */
static int read_tail(audit_log *l, off_t size, cc_err *e)
{
	audit_line al;
	cc_err pe;
	off_t start;
	char *text;
	int rc;

	if (size == 0) {
		l->last_seq = 0;
		snprintf(l->last_hash, sizeof(l->last_hash), "%s", AUDIT_GENESIS);
		return 0;
	}
	rc = line_start(l->fd, size - 1, &start, l->path, e);
	if (rc)
		return rc;
	text = cc_xmalloc((size_t)(size - 1 - start) + 1);
	if (pread(l->fd, text, (size_t)(size - 1 - start), start) != size - 1 - start) {
		free(text);
		return cc_err_set(e, CC_EIO, "audit %s: reading: %s", l->path, strerror(errno));
	}
	/* an edited last line still names its seq and hash: chain on to
	 * them (audit verify reports the edit); nothing to chain on to is
	 * an error */
	rc = audit_line_parse(text, (size_t)(size - 1 - start), &al, &pe);
	if (al.obj) {
		l->last_seq = al.seq;
		snprintf(l->last_hash, sizeof(l->last_hash), "%s", al.hash);
		rc = 0;
	} else {
		rc = cc_err_set(e, CC_ERR, "audit %s: the last line is %s; nothing can be chained "
				"to it (run 'cybercell audit verify', then move the file aside)",
				l->path, pe.msg);
	}
	audit_line_clear(&al);
	free(text);
	return rc;
}

/* Add the line of en to l->buf, chained on to l's end, which it becomes. */
static void chain(audit_log *l, const audit_entry *en)
{
	char hash[AUDIT_HASH_HEX];

	audit_line_make(en, l->last_seq + 1, l->last_hash, &l->buf, hash);
	audit_line_finish(&l->buf, hash);
	l->last_seq++;
	memcpy(l->last_hash, hash, sizeof(hash));
}

/* A checkpoint after l's end, signed by key. */
static void chain_checkpoint(audit_log *l, const audit_key *key)
{
	audit_entry cp = { 0 };
	char sig[AUDIT_SIG_HEX], pk[AUDIT_PK_HEX];
	cc_buf msg = CC_BUF_INIT;

	audit_checkpoint_message(l->last_seq + 1, l->last_hash, &msg);
	audit_sign(key, msg.data, msg.len, sig);
	audit_key_hex(key, pk);
	audit_set(&cp.actor, "hub");
	audit_set(&cp.action, "checkpoint");
	cp.extra = json_pack("{s:s,s:s}", "key", pk, "signature", sig);
	chain(l, &cp);
	audit_entry_clear(&cp);
	cc_buf_free(&msg);
}

/* A note that a torn line of cut bytes was removed. */
static void chain_recover(audit_log *l, off_t cut)
{
	audit_entry en = { 0 };
	char msg[160];

	snprintf(msg, sizeof(msg), "a torn last line of %lld bytes (a write cut short) was "
		 "removed", (long long)cut);
	audit_set(&en.actor, "hub");
	audit_set(&en.action, "recover");
	audit_set(&en.message, msg);
	en.extra = json_pack("{s:I}", "removed_bytes", (json_int_t)cut);
	chain(l, &en);
	audit_entry_clear(&en);
}

/* Write l->buf at the end of the file (size bytes) and sync it. */
static int write_batch(audit_log *l, off_t size, cc_err *e)
{
	size_t done = 0;

	while (done < l->buf.len) {
		ssize_t w = write(l->fd, l->buf.data + done, l->buf.len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int err = errno;

			(void)!ftruncate(l->fd, size);	/* no half batch stays behind */
			return cc_err_set(e, CC_EIO, "audit %s: writing: %s", l->path,
					  w < 0 ? strerror(err) : "no progress");
		}
		done += (size_t)w;
	}
	if (fdatasync(l->fd) != 0)
		return cc_err_set(e, CC_EIO, "audit %s: syncing: %s", l->path, strerror(errno));
	return 0;
}

int audit_log_append(audit_log *l, audit_entry *const *v, size_t n, const audit_key *key,
		     int64_t *last_seq, cc_err *e)
{
	int64_t seq0 = 0;
	char hash0[AUDIT_HASH_HEX];
	off_t size = 0, cut = 0;
	int rc;

	if (l->fd < 0 && (rc = open_fd(l, e)))
		return rc;
	rc = lock_current(l, &size, e);
	if (rc)
		return rc;
	if (size != l->known_size) {
		rc = cut_torn(l, &size, &cut, e);
		if (rc == 0)
			rc = read_tail(l, size, e);
		if (rc)
			goto out_unlock;
	}
	seq0 = l->last_seq;
	memcpy(hash0, l->last_hash, sizeof(hash0));
	cc_buf_reset(&l->buf);
	if (cut)
		chain_recover(l, cut);
	for (size_t i = 0; i < n; i++)
		chain(l, v[i]);
	if (key && key->has_sk)
		chain_checkpoint(l, key);
	rc = write_batch(l, size, e);
	if (rc) {
		l->last_seq = seq0;
		memcpy(l->last_hash, hash0, sizeof(hash0));
		l->known_size = -1;
	} else {
		l->known_size = size + (off_t)l->buf.len;
		if (last_seq)
			*last_seq = l->last_seq;
	}
out_unlock:
	flock(l->fd, LOCK_UN);
	return rc;
}

/* A name for the archive of path that does not exist yet. */
static void archive_name(const char *path, char *out, size_t n)
{
	char ts[CC_TS_MAX], stamp[32];
	struct stat sb;
	size_t k = 0;

	cc_ts_format(cc_now_us(), 0, ts);	/* 2026-11-23T14:06:12Z */
	for (const char *p = ts; *p && k + 1 < sizeof(stamp); p++)
		if (*p != '-' && *p != ':')
			stamp[k++] = *p;
	stamp[k] = 0;
	snprintf(out, n, "%s.%s", path, stamp);
	for (int i = 1; stat(out, &sb) == 0 && i < 1000; i++)
		snprintf(out, n, "%s.%s-%d", path, stamp, i);
}

/* Write the first lines of the new file tmp, chained on to l's end. */
static int start_new(audit_log *l, const char *tmp, const char *actor, const char *archived,
		     const audit_key *key, cc_err *e)
{
	audit_entry en = { 0 };
	int fd, rc = 0;

	audit_set(&en.actor, actor);
	audit_set(&en.action, "rotate");
	en.extra = json_pack("{s:s,s:I}", "previous_file", archived, "previous_seq",
			     (json_int_t)l->last_seq);
	cc_buf_reset(&l->buf);
	chain(l, &en);
	if (key && key->has_sk)
		chain_checkpoint(l, key);
	unlink(tmp);	/* left by a rotation that died */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, l->buf.data, l->buf.len) != (ssize_t)l->buf.len || fsync(fd) != 0)
		rc = cc_err_set(e, CC_EIO, "audit %s: %s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	audit_entry_clear(&en);
	return rc;
}

int audit_log_rotate(const char *path, const char *actor, const audit_key *key,
		     char *archived, size_t an, cc_err *e)
{
	audit_log *l = NULL;
	cc_buf tmpb = CC_BUF_INIT;
	const char *tmp;
	off_t size = 0, cut = 0;
	int rc = audit_log_open(path, &l, e);

	if (rc)
		return rc;
	rc = lock_current(l, &size, e);
	if (rc)
		goto out;
	rc = cut_torn(l, &size, &cut, e);
	if (rc == 0)
		rc = read_tail(l, size, e);
	if (rc == 0 && cut)
		rc = cc_err_set(e, CC_ERR, "audit %s: a torn last line was cut; rotate again", path);
	if (rc)
		goto out_unlock;
	archive_name(path, archived, an);
	cc_buf_printf(&tmpb, "%s.new", path);
	tmp = tmpb.data;
	rc = start_new(l, tmp, actor, archived, key, e);
	/* the old file gets its second name first, then the new one takes
	 * the path: the path always names a whole trail */
	if (rc == 0 && link(path, archived) != 0)
		rc = cc_err_set(e, CC_EIO, "audit %s: %s", archived, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = cc_err_set(e, CC_EIO, "audit %s: %s", path, strerror(errno));
		unlink(archived);
	}
	if (rc == 0)
		sync_dir(path);
	else
		unlink(tmp);
out_unlock:
	flock(l->fd, LOCK_UN);
out:
	cc_buf_free(&tmpb);
	audit_log_close(l);
	return rc;
}

int audit_read(const char *path, audit_line_fn fn, void *ud, cc_err *e)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = 0;

	if (!f)
		return cc_err_set(e, errno == ENOENT ? CC_ENOTFOUND : CC_EIO, "audit %s: %s", path,
				  strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[--n] = 0;
		if (fn(line, (size_t)n, lineno, ud))
			break;
	}
	if (ferror(f))
		rc = cc_err_set(e, CC_EIO, "audit %s: reading: %s", path, strerror(errno));
	free(line);
	fclose(f);
	return rc;
}
