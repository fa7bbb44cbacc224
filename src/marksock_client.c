/*
 * marksock_client.c - the client half of the mark socket, for `ramtop
 * mark` (cmd.c): list the running sessions' sockets (removing those of
 * sessions that are gone) and send one request, waiting a bounded time
 * for the one-line answer.
 *
 * Touches: the socket directory (read, stale socket files of sessions
 * that are gone), the socket it sends to.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "marksock.h"

/*
 * Connect to path by the deadline end (clock_now() seconds).  The
 * socket is non-blocking: a session that is stopped (SIGSTOP) with its
 * backlog full makes connect() fail with EAGAIN, retried until end
 * (-ETIMEDOUT), never a connect() that waits for ever.
 */
static int
marksock_connect(const char *path, int *fdp, double end)
{
	struct sockaddr_un sa;
	int fd, e;

	if (strlen(path) >= sizeof sa.sun_path)
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	while (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		e = errno;
		if (e == EINTR)
			continue;
		if ((e == EAGAIN || e == EINPROGRESS) && clock_now() < end) {
			(void)poll(NULL, 0, 20);
			continue;
		}
		close(fd);
		return e == EAGAIN || e == EINPROGRESS ? -ETIMEDOUT : -e;
	}
	*fdp = fd;
	return 0;
}

static int
marksock_cmp_session(const void *a, const void *b)
{
	const struct marksock_session *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int
marksock_sessions(const char *dir, struct marksock_session **out, size_t *n)
{
	struct marksock_session *v = NULL, *nv;
	struct dirent *de;
	struct stat st;
	size_t cap = 0;
	char *end;
	long pid;
	DIR *d;
	int fd, r;

	*out = NULL;
	*n = 0;
	d = opendir(dir);
	if (d == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (end == de->d_name || pid <= 0 || strcmp(end, ".sock") != 0)
			continue;
		if (*n == cap) {
			nv = realloc(v, (cap ? cap * 2 : 8) * sizeof *v);
			if (nv == NULL)
				break;
			v = nv;
			cap = cap ? cap * 2 : 8;
		}
		r = snprintf(v[*n].path, sizeof v[*n].path, "%s/%s", dir,
			     de->d_name);
		if (r < 0 || (size_t)r >= sizeof v[*n].path)
			continue;
		if (lstat(v[*n].path, &st) < 0 || !S_ISSOCK(st.st_mode))
			continue;
		r = marksock_connect(v[*n].path, &fd, clock_now() + 1.0);
		if (r == -ECONNREFUSED || r == -ENOENT) {
			/* Nobody listens: the session is gone. */
			if (st.st_uid == geteuid())
				unlink(v[*n].path);
			continue;
		}
		if (r == 0)
			close(fd);
		v[*n].pid = (int)pid;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, marksock_cmp_session);
	*out = v;
	return 0;
}

/* Why connecting to path failed (r, -errno), in words. */
static void
marksock_connect_err(char *err, size_t errlen, const char *path, int r)
{
	if (r == -ECONNREFUSED)
		snprintf(err, errlen, "no ramtop is listening on %s any more",
			 path);
	else if (r == -EACCES)
		snprintf(err, errlen,
			 "cannot connect to %s: %s (the session "
			 "belongs to another user)",
			 path, strerror(-r));
	else
		snprintf(err, errlen, "cannot connect to %s: %s", path,
			 strerror(-r));
}

/* marksock_write: send all of LINE on FD before END (a peer that hangs
 * up at once may still have answered); 0, or -errno with ERR set. */
static int
marksock_write(int fd, const char *line, double end, const char *path,
	       char *err, size_t errlen)
{
	size_t len = strlen(line);
	struct pollfd pfd;
	ssize_t w;
	int r;

	while (len > 0) {
		w = send(fd, line, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN && clock_now() < end) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			(void)poll(&pfd, 1, 50);
			continue;
		}
		if (w < 0 && (errno == EPIPE || errno == ECONNRESET))
			break; /* refused at once: its answer may be there */
		if (w < 0) {
			r = -errno;
			snprintf(err, errlen, "cannot send to %s: %s", path,
				 strerror(-r));
			return r;
		}
		line += w;
		len -= (size_t)w;
	}
	return 0;
}

/* marksock_read: read FD into BUF (SIZE bytes) until a newline, the end
 * or END; *GOT says how much; 0, or -ETIMEDOUT with ERR set. */
static int
marksock_read(int fd, char *buf, size_t size, size_t *gotp, double end,
	      double timeout, const char *path, char *err, size_t errlen)
{
	struct pollfd pfd;
	size_t got = 0;
	double left;
	ssize_t w;
	int r;

	for (;;) {
		left = end - clock_now();
		if (left <= 0) {
			snprintf(err, errlen,
				 "no answer from %s within %.0f seconds", path,
				 timeout);
			*gotp = got;
			return -ETIMEDOUT;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		w = recv(fd, buf + got, size - 1 - got, 0);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0 || got + (size_t)w >= size - 1) {
			if (w > 0)
				got += (size_t)w;
			break;
		}
		got += (size_t)w;
		if (memchr(buf, '\n', got) != NULL)
			break;
	}
	*gotp = got;
	return 0;
}

int
marksock_send(const char *path, const char *line, char *reply, size_t replylen,
	      double timeout, char *err, size_t errlen)
{
	char buf[MARKSOCK_MSG_MAX + 1];
	size_t got = 0;
	double end = clock_now() + timeout;
	char *nl;
	int fd, r;

	/* The whole call, connect() included, within timeout. */
	r = marksock_connect(path, &fd, end);
	if (r == -ETIMEDOUT) {
		snprintf(
			err, errlen,
			"no answer from %s within %.0f seconds (is that ramtop "
			"stopped?)",
			path, timeout);
		return r;
	}
	if (r < 0) {
		marksock_connect_err(err, errlen, path, r);
		return r;
	}
	r = marksock_write(fd, line, end, path, err, errlen);
	if (r == 0)
		r = marksock_read(fd, buf, sizeof buf, &got, end, timeout, path,
				  err, errlen);
	if (r < 0) {
		close(fd);
		return r;
	}
	close(fd);
	buf[got] = '\0';
	nl = strchr(buf, '\n');
	if (nl != NULL)
		*nl = '\0';
	if (got == 0 || nl == NULL) {
		snprintf(err, errlen,
			 "%s closed the connection without an answer", path);
		return -EPROTO;
	}
	snprintf(reply, replylen, "%s", buf);
	return 0;
}
