/*
 * proc.c — see proc.h.  The child's standard input, output and error are
 * pipes; poll() feeds the one and drains the others together, so neither
 * side waits on a full pipe.
 */
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/time.h"

extern char **environ;

#define ERR_MAX 4096            /* bytes of standard error kept */

/* The parent's ends of the pipes (-1 once closed) and the input left. */
typedef struct pipes {
	int in, out, err;
	const char *data;
	size_t left;
} pipes;

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Start argv on three new pipes.  Returns 0, or an errno (ENOENT: not on
 * PATH) with nothing left open. */
static int spawn(char *const argv[], pid_t *pid, pipes *p)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, rc;
	posix_spawn_file_actions_t fa;

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		rc = errno;
		goto out_close;
	}
	rc = posix_spawn_file_actions_init(&fa);
	if (rc)
		goto out_close;
	if (!(rc = posix_spawn_file_actions_adddup2(&fa, in[0], 0)) &&
	    !(rc = posix_spawn_file_actions_adddup2(&fa, out[1], 1)) &&
	    !(rc = posix_spawn_file_actions_adddup2(&fa, err[1], 2)))
		rc = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
out_close:
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&err[1]);
	if (rc) {
		close_fd(&in[1]);
		close_fd(&out[0]);
		close_fd(&err[0]);
		return rc;
	}
	p->in = in[1];
	p->out = out[0];
	p->err = err[0];
	fcntl(p->in, F_SETFL, O_NONBLOCK);
	return 0;
}

/* Write what the pipe takes; an error (EPIPE: the child stopped reading)
 * ends the input like its end does. */
static void feed(pipes *p)
{
	ssize_t n = write(p->in, p->data, p->left);

	if (n > 0) {
		p->data += n;
		p->left -= (size_t)n;
	} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
		p->left = 0;
	}
	if (p->left == 0)
		close_fd(&p->in);
}

/* Read what is there into to (up to max bytes kept; to may be NULL);
 * close fd at its end. */
static void drain(int *fd, cc_buf *to, size_t max)
{
	char chunk[16384];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n > 0 && to && to->len < max)
		cc_buf_append(to, chunk, (size_t)n < max - to->len ? (size_t)n : max - to->len);
	else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		close_fd(fd);
}

/* Feed and drain until the pipes are done; false at the deadline. */
static bool exchange(pipes *p, int64_t deadline, cc_buf *out, cc_buf *err)
{
	if (p->left == 0)
		close_fd(&p->in);
	while (p->in >= 0 || p->out >= 0 || p->err >= 0) {
		struct pollfd f[3] = { { p->in, POLLOUT, 0 }, { p->out, POLLIN, 0 },
				       { p->err, POLLIN, 0 } };
		int64_t left = deadline - cc_mono_us();

		if (left <= 0)
			return false;
		if (poll(f, 3, (int)((left + 999) / 1000)) < 0) {
			if (errno == EINTR)
				continue;
			break;          /* closing the pipes below tells the child */
		}
		if (f[0].revents)
			feed(p);
		if (f[1].revents)
			drain(&p->out, out, (size_t)-1);
		if (f[2].revents)
			drain(&p->err, err, ERR_MAX);
	}
	return true;
}

/* Wait for pid; at the deadline (or at once when kill_now) kill it and set
 * *killed.  Returns its wait status, or -1. */
static int reap(pid_t pid, int64_t deadline, bool kill_now, bool *killed)
{
	const struct timespec tick = { 0, 5 * 1000 * 1000 };
	int st;
	pid_t r;

	while ((r = waitpid(pid, &st, WNOHANG)) == 0 || (r < 0 && errno == EINTR)) {
		if (kill_now || cc_mono_us() >= deadline) {
			kill(pid, SIGKILL);
			*killed = true;
			while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
				;
			break;
		}
		nanosleep(&tick, NULL);
	}
	return r == pid ? st : -1;
}

cc_proc_result cc_proc_filter(char *const argv[], const char *in, size_t inlen,
			      int timeout_ms, cc_buf *out, cc_buf *err)
{
	cc_proc_result res = { CC_PROC_OK, 0, 0 };
	int64_t deadline = cc_mono_us() + (int64_t)timeout_ms * 1000;
	pipes p = { -1, -1, -1, in, inlen };
	struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old;
	bool done, killed = false;
	pid_t pid;
	int st;

	res.err_no = spawn(argv, &pid, &p);
	if (res.err_no) {
		res.end = res.err_no == ENOENT ? CC_PROC_NOT_FOUND : CC_PROC_START_FAILED;
		return res;
	}
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	done = exchange(&p, deadline, out, err);
	close_fd(&p.in);
	close_fd(&p.out);
	close_fd(&p.err);
	if (!sigismember(&old, SIGPIPE))        /* the SIGPIPE a write raised */
		while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
			;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	st = reap(pid, deadline, !done, &killed);
	if (killed) {
		res.end = CC_PROC_TIMEOUT;
	} else if (st == -1) {
		res.end = CC_PROC_START_FAILED;
		res.err_no = ECHILD;
	} else if (WIFEXITED(st)) {
		res.code = WEXITSTATUS(st);
		res.end = res.code ? CC_PROC_EXIT : CC_PROC_OK;
	} else {
		res.code = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		res.end = CC_PROC_SIGNAL;
	}
	return res;
}

void cc_proc_thread_nice(int nice)
{
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}
