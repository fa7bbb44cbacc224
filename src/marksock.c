/*
 * marksock.c - the mark socket: a non-blocking UNIX stream server that
 * hands out "mark LABEL" requests one at a time (the client that sends
 * them is marksock_client.c).  Every connection is checked (peer uid), bounded (one line
 * of MARKSOCK_MSG_MAX bytes, MARKSOCK_TIMEOUT_S seconds, MARKSOCK_CONNS at
 * once, fewer under a low RLIMIT_NOFILE) and answered with one line.  Out
 * of descriptors, the listening socket rests a moment instead of waking
 * the loop at once, again and again.
 *
 * The request parser, marksock_parse(), is pure: bytes in, a verdict
 * out; the server acts on its verdicts and tests/fuzz/fuzz_marksock.c
 * fuzzes it.
 *
 * Touches: the socket directory (create, check), its own socket file,
 * /proc/PID/exe of a peer.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "marksock.h"

struct marksock_conn {
	int fd; /* -1: free slot */
	int pid;
	int ready; /* a mark request waits for its answer */
	double deadline;
	size_t len;
	char buf[MARKSOCK_MSG_MAX + 1];
	char label[PHASE_LABEL_MAX + 1];
};

struct marksock {
	int lfd, efd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;
	ino_t ino;
	struct marksock_conn c[MARKSOCK_CONNS];
	struct marksock_stats st;
	double paused_until; /* out of descriptors: not listening */
	int nconns;	     /* slots open to clients, by RLIMIT_NOFILE */
};

/* Seconds the listening socket rests after accept() ran out of
 * descriptors: level-triggered, it would otherwise wake us at once. */
#define MARKSOCK_PAUSE_S 0.2

#define MARKSOCK_LISTEN UINT32_MAX

/* ---- the directory ---------------------------------------------------- */

static int
marksock_base(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;

	if (xdg != NULL && xdg[0] == '/' && stat(xdg, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == geteuid())
		n = snprintf(buf, len, "%s/ramtop", xdg);
	else
		n = snprintf(buf, len, "/tmp/ramtop-%u", (unsigned)geteuid());
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int
marksock_dir(char *buf, size_t len, int create, char *err, size_t errlen)
{
	struct stat st;
	int e;

	if (marksock_base(buf, len) < 0) {
		snprintf(err, errlen,
			 "the socket directory name is too long "
			 "(XDG_RUNTIME_DIR)");
		return -ENAMETOOLONG;
	}
	if (create && mkdir(buf, 0700) < 0 && errno != EEXIST) {
		e = errno;
		snprintf(err, errlen, "cannot create %s: %s", buf, strerror(e));
		return -e;
	}
	if (lstat(buf, &st) < 0) {
		e = errno;
		snprintf(err, errlen, "%s: %s", buf, strerror(e));
		return -e;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen,
			 "%s is not a directory (%s); remove it and retry", buf,
			 S_ISLNK(st.st_mode) ? "a symbolic link" : "a file");
		return -EPERM;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen,
			 "%s belongs to uid %u, not to you (uid %u); refusing "
			 "to use it",
			 buf, (unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errlen,
			 "%s has mode %04o, open to other users; it must be "
			 "0700 (chmod 700 it)",
			 buf, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

/* ---- the request: bytes in, a verdict out ------------------------------ */

static void
marksock_refuse(struct marksock_msg *out, enum marksock_counter counter,
		const char *reply)
{
	out->kind = MARKSOCK_REFUSED;
	out->counter = counter;
	out->reply = reply;
}

/* One whole line, its newline (if any) removed. */
static void
marksock_parse_line(const char *buf, size_t len, struct marksock_msg *out)
{
	size_t skip;

	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (memchr(buf, '\0', len) != NULL) {
		marksock_refuse(out, MARKSOCK_MALFORMED,
				"err malformed request: NUL byte\n");
		return;
	}
	if (len == 4 && memcmp(buf, "ping", 4) == 0) {
		out->kind = MARKSOCK_PING;
		return;
	}
	if (len < 4 || memcmp(buf, "mark", 4) != 0 ||
	    (len > 4 && buf[4] != ' ')) {
		marksock_refuse(out, MARKSOCK_MALFORMED,
				"err unknown request; send \"mark LABEL\"\n");
		return;
	}
	skip = len > 4 ? 5 : 4;
	if (phase_label_clean(out->label, buf + skip, len - skip) < 0) {
		marksock_refuse(out, MARKSOCK_MALFORMED,
				"err label too long (at most 128 bytes)\n");
		return;
	}
	out->kind = MARKSOCK_MARK;
}

void
marksock_parse(const char *buf, size_t len, int eof, struct marksock_msg *out)
{
	size_t room = len < MARKSOCK_MSG_MAX ? len : MARKSOCK_MSG_MAX;
	const char *nl = memchr(buf, '\n', room);

	memset(out, 0, sizeof *out);
	if (nl != NULL) {
		if ((size_t)(nl - buf) + 1 < len)
			marksock_refuse(out, MARKSOCK_MALFORMED,
					"err one request per connection\n");
		else
			marksock_parse_line(buf, (size_t)(nl - buf), out);
	} else if (len >= MARKSOCK_MSG_MAX) {
		marksock_refuse(out, MARKSOCK_OVERSIZED,
				"err message too long (at most 256 bytes)\n");
	} else if (!eof) {
		out->kind = MARKSOCK_MORE;
	} else if (len == 0) {
		out->kind = MARKSOCK_PROBE; /* a liveness probe */
	} else {
		marksock_parse_line(buf, len, out);
	}
}

/* ---- server ------------------------------------------------------------ */

/* Connections held at once: MARKSOCK_CONNS, fewer under a low
 * RLIMIT_NOFILE (half of what is left above 16), so that idle clients
 * cannot take the descriptors reading /proc needs; at least one. */
static int
marksock_nconns(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return MARKSOCK_CONNS;
	n = rl.rlim_cur > 18 ? (rl.rlim_cur - 16) / 2 : 1;
	return n < MARKSOCK_CONNS ? (int)n : MARKSOCK_CONNS;
}

int
marksock_open(struct marksock **out, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	struct epoll_event ev;
	struct marksock *s;
	struct stat st;
	char dir[sizeof sa.sun_path];
	int r, e, i;

	*out = NULL;
	r = marksock_dir(dir, sizeof dir, 1, err, errlen);
	if (r < 0)
		return r;
	s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->lfd = s->efd = -1;
	for (i = 0; i < MARKSOCK_CONNS; i++)
		s->c[i].fd = -1;
	s->nconns = marksock_nconns();
	r = snprintf(s->path, sizeof s->path, "%s/%ld.sock", dir,
		     (long)getpid());
	if (r < 0 || (size_t)r >= sizeof s->path) {
		snprintf(err, errlen, "socket path %s/... is too long", dir);
		free(s);
		return -ENAMETOOLONG;
	}
	/* A socket file with our pid is left from a session that is gone. */
	if (lstat(s->path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(s->path);
	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		goto fail;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, s->path, strlen(s->path) + 1);
	if (bind(s->lfd, (struct sockaddr *)&sa, sizeof sa) < 0)
		goto fail;
	if (lstat(s->path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	(void)chmod(s->path, 0600);
	if (listen(s->lfd, 16) < 0)
		goto fail;
	s->efd = epoll_create1(EPOLL_CLOEXEC);
	if (s->efd < 0)
		goto fail;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u32 = MARKSOCK_LISTEN;
	if (epoll_ctl(s->efd, EPOLL_CTL_ADD, s->lfd, &ev) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	e = errno;
	snprintf(err, errlen, "cannot listen on %s: %s", s->path, strerror(e));
	marksock_close(s);
	return -e;
}

int
marksock_fd(const struct marksock *s)
{
	return s != NULL ? s->efd : -1;
}

const char *
marksock_path(const struct marksock *s)
{
	return s->path;
}

const struct marksock_stats *
marksock_stats(const struct marksock *s)
{
	return &s->st;
}

static void
marksock_say(int fd, const char *line)
{
	ssize_t w;

	w = send(fd, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)w;
}

static void
marksock_drop(struct marksock *s, struct marksock_conn *c, const char *line)
{
	if (c->fd < 0)
		return;
	if (line != NULL)
		marksock_say(c->fd, line);
	epoll_ctl(s->efd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->ready = 0;
	c->len = 0;
}

static void
marksock_accept(struct marksock *s)
{
	struct epoll_event ev;
	struct ucred cr;
	socklen_t cl;
	int fd, i;

	for (;;) {
		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
			/* The connection waits in the backlog; stop polling
			 * the socket for a while rather than spin on it. */
			epoll_ctl(s->efd, EPOLL_CTL_DEL, s->lfd, NULL);
			s->paused_until = clock_now() + MARKSOCK_PAUSE_S;
			return;
		}
		if (fd < 0)
			return; /* EAGAIN, or an error to retry next time */
		s->st.accepted++;
		cl = sizeof cr;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0 ||
		    cr.uid != geteuid()) {
			s->st.refused_peer++;
			marksock_say(fd, "err permission denied: this ramtop "
					 "session belongs to another user\n");
			close(fd);
			continue;
		}
		for (i = 0; i < s->nconns && s->c[i].fd >= 0; i++)
			;
		if (i == s->nconns) {
			s->st.busy++;
			marksock_say(fd, "err busy: too many connections\n");
			close(fd);
			continue;
		}
		memset(&ev, 0, sizeof ev);
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(s->efd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			continue;
		}
		s->c[i].fd = fd;
		s->c[i].pid = cr.pid;
		s->c[i].ready = 0;
		s->c[i].len = 0;
		s->c[i].deadline = clock_now() + MARKSOCK_TIMEOUT_S;
	}
}

static void
marksock_read(struct marksock *s, struct marksock_conn *c)
{
	struct marksock_msg m;
	char reply[256];
	ssize_t n;

	n = recv(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len,
		 MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			marksock_drop(s, c, NULL);
		return;
	}
	c->len += (size_t)n;
	marksock_parse(c->buf, c->len, n == 0, &m);
	switch (m.kind) {
	case MARKSOCK_MORE:
		return;
	case MARKSOCK_PROBE:
		marksock_drop(s, c, NULL);
		return;
	case MARKSOCK_PING:
		snprintf(reply, sizeof reply,
			 "ok ramtop %ld marks=%lu refused=%lu malformed=%lu "
			 "oversized=%lu timeouts=%lu busy=%lu\n",
			 (long)getpid(), s->st.marks, s->st.refused_peer,
			 s->st.malformed, s->st.oversized, s->st.timeouts,
			 s->st.busy);
		marksock_drop(s, c, reply);
		return;
	case MARKSOCK_MARK:
		memcpy(c->label, m.label, sizeof c->label);
		epoll_ctl(s->efd, EPOLL_CTL_DEL, c->fd, NULL);
		c->ready = 1;
		return;
	case MARKSOCK_REFUSED:
		if (m.counter == MARKSOCK_OVERSIZED)
			s->st.oversized++;
		else
			s->st.malformed++;
		marksock_drop(s, c, m.reply);
		return;
	}
}

static int
marksock_take(struct marksock *s, struct marksock_req *req)
{
	int i;

	for (i = 0; i < MARKSOCK_CONNS; i++) {
		if (s->c[i].fd >= 0 && s->c[i].ready == 1) {
			req->conn = i;
			req->peer_pid = s->c[i].pid;
			memcpy(req->label, s->c[i].label, sizeof req->label);
			s->c[i].ready = 2; /* handed out */
			s->st.marks++;
			return 1;
		}
	}
	return 0;
}

int
marksock_next(struct marksock *s, struct marksock_req *req)
{
	struct epoll_event ev[MARKSOCK_CONNS + 1], lev;
	double now = clock_now();
	int n, i;

	if (s == NULL)
		return 0;
	if (s->paused_until > 0 && now >= s->paused_until) {
		memset(&lev, 0, sizeof lev);
		lev.events = EPOLLIN;
		lev.data.u32 = MARKSOCK_LISTEN;
		if (epoll_ctl(s->efd, EPOLL_CTL_ADD, s->lfd, &lev) == 0)
			s->paused_until = 0;
	}
	for (i = 0; i < MARKSOCK_CONNS; i++) {
		if (s->c[i].fd >= 0 && !s->c[i].ready &&
		    now > s->c[i].deadline) {
			s->st.timeouts++;
			marksock_drop(s, &s->c[i],
				      "err timeout: no complete line\n");
		}
	}
	n = epoll_wait(s->efd, ev, MARKSOCK_CONNS + 1, 0);
	for (i = 0; i < n; i++) {
		if (ev[i].data.u32 == MARKSOCK_LISTEN)
			marksock_accept(s);
		else if (ev[i].data.u32 < MARKSOCK_CONNS &&
			 s->c[ev[i].data.u32].fd >= 0 &&
			 !s->c[ev[i].data.u32].ready)
			marksock_read(s, &s->c[ev[i].data.u32]);
	}
	return marksock_take(s, req);
}

int
marksock_pending(const struct marksock *s)
{
	int i;

	for (i = 0; s != NULL && i < MARKSOCK_CONNS; i++)
		if (s->c[i].fd >= 0 && s->c[i].ready == 1)
			return 1;
	return 0;
}

void
marksock_reply(struct marksock *s, const struct marksock_req *req,
	       const char *line)
{
	if (s == NULL || req->conn < 0 || req->conn >= MARKSOCK_CONNS)
		return;
	marksock_drop(s, &s->c[req->conn], line);
}

void
marksock_close(struct marksock *s)
{
	struct stat st;
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < MARKSOCK_CONNS; i++)
		if (s->c[i].fd >= 0)
			marksock_drop(s, &s->c[i], "err ramtop is exiting\n");
	if (s->lfd >= 0) {
		/* Remove the file only if it is still the one we bound. */
		if (s->ino != 0 && lstat(s->path, &st) == 0 &&
		    st.st_dev == s->dev && st.st_ino == s->ino)
			unlink(s->path);
		close(s->lfd);
	}
	if (s->efd >= 0)
		close(s->efd);
	free(s);
}

int
marksock_peer_is_self(int pid)
{
	struct stat me, peer;
	char path[64];

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/exe", pid);
	if (stat("/proc/self/exe", &me) < 0 || stat(path, &peer) < 0)
		return 0;
	return me.st_dev == peer.st_dev && me.st_ino == peer.st_ino;
}
