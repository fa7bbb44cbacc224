/*
 * marksock.h - external phase marks: the per-user UNIX socket a running
 * ramtop listens on, and the client side used by `ramtop mark`.
 *
 * Where: $XDG_RUNTIME_DIR/ramtop/PID.sock when XDG_RUNTIME_DIR is a
 * directory owned by us, else /tmp/ramtop-UID/PID.sock.  The directory is
 * created 0700 and refused if it is a symbolic link, not ours, or open to
 * group or others.  The server checks the peer's uid (SO_PEERCRED): only
 * the same user may mark.
 *
 * Protocol: one line per connection, at most MARKSOCK_MSG_MAX bytes with
 * its newline: "mark LABEL\n" (LABEL may be empty: "phase N") or
 * "ping\n".  Reply, one line: "ok N\n" (N: the new phase's index),
 * "ok ramtop PID marks=N refused=N malformed=N oversized=N timeouts=N
 * busy=N\n" for ping (the counters below), or "err REASON\n".  Anything else, too long,
 * or not finished within MARKSOCK_TIMEOUT_S seconds is refused with an
 * "err" line and counted.
 *
 * The server never blocks: marksock_fd() (an epoll descriptor) becomes
 * readable when there is work, and marksock_next() does what is ready.
 * Touches: the socket directory and its own socket file (removed by
 * marksock_close), /proc/PID/exe of a peer.
 */
#ifndef RAMTOP_MARKSOCK_H
#define RAMTOP_MARKSOCK_H

#include <stddef.h>

#include "phase_label.h"

#define MARKSOCK_MSG_MAX 256
#define MARKSOCK_CONNS 8
#define MARKSOCK_TIMEOUT_S 5.0

struct marksock;

/* A mark request, ready to be answered with marksock_reply(). */
struct marksock_req {
	int conn; /* internal */
	int peer_pid;
	char label[PHASE_LABEL_MAX + 1]; /* cleaned; "" for none */
};

/* What a connection's bytes so far amount to: marksock_parse(). */
enum marksock_kind {
	MARKSOCK_MORE,	/* no whole line yet: read on */
	MARKSOCK_PROBE, /* closed without a byte: drop quietly */
	MARKSOCK_PING,
	MARKSOCK_MARK,	  /* label is set */
	MARKSOCK_REFUSED, /* reply and counter are set */
};

/* The marksock_stats counter a refusal bumps. */
enum marksock_counter {
	MARKSOCK_MALFORMED,
	MARKSOCK_OVERSIZED,
};

struct marksock_msg {
	enum marksock_kind kind;
	enum marksock_counter counter;	 /* REFUSED */
	const char *reply;		 /* REFUSED: "err ...\n", static */
	char label[PHASE_LABEL_MAX + 1]; /* MARK: cleaned; "" for none */
};

/*
 * Parse the len bytes a connection has sent so far; eof: the peer has
 * finished writing.  Pure (no sockets, no state): the server's only
 * parser, and the fuzz target's.  Only the first MARKSOCK_MSG_MAX bytes
 * can hold the line; more than one line is refused.
 */
void marksock_parse(const char *buf, size_t len, int eof,
		    struct marksock_msg *out);

struct marksock_stats {
	unsigned long accepted;	    /* connections */
	unsigned long marks;	    /* mark requests handed out */
	unsigned long refused_peer; /* another user */
	unsigned long malformed;    /* unknown request, bad label, NUL */
	unsigned long oversized;    /* longer than MARKSOCK_MSG_MAX */
	unsigned long timeouts;	    /* line not finished in time */
	unsigned long busy;	    /* too many connections at once */
};

/*
 * The socket directory in buf.  With create, make it (0700) if missing.
 * Returns 0, or -errno with err set: -ENOENT (missing, !create), -EPERM
 * (not ours, wrong mode, or a symbolic link), others from mkdir/lstat.
 */
int marksock_dir(char *buf, size_t len, int create, char *err, size_t errlen);

/* Listen on DIR/<our pid>.sock.  Returns 0 or -errno with err set. */
int marksock_open(struct marksock **out, char *err, size_t errlen);

/* For loop_wait(): readable when marksock_next() has work. */
int marksock_fd(const struct marksock *s);
const char *marksock_path(const struct marksock *s);
const struct marksock_stats *marksock_stats(const struct marksock *s);

/*
 * Accept, read and answer what is ready, without blocking.  Returns 1
 * with *req filled when a mark request waits for its answer (give it
 * with marksock_reply(), soon: the client waits), 0 when nothing is.
 */
int marksock_next(struct marksock *s, struct marksock_req *req);

/* A request is read and waits to be taken by marksock_next() (which
 * marksock_fd() does not signal again).  NULL is fine. */
int marksock_pending(const struct marksock *s);

/* Answer req with line (must end in '\n') and close its connection. */
void marksock_reply(struct marksock *s, const struct marksock_req *req,
		    const char *line);

/* Close everything and remove the socket file.  NULL is fine. */
void marksock_close(struct marksock *s);

/* True if process pid runs the same executable as we do (a `ramtop
 * mark` client: not part of the workload). */
int marksock_peer_is_self(int pid);

/* ---- client ---- */

/* A running ramtop session found in the socket directory. */
struct marksock_session {
	int pid;
	char path[108];
};

/*
 * Live sessions in dir, by pid; socket files of sessions that are gone
 * (nobody listening) are removed.  *out is malloc'd (caller frees).
 * Returns 0 or -errno.
 */
int marksock_sessions(const char *dir, struct marksock_session **out,
		      size_t *n);

/*
 * Send line (ending in '\n') to the socket at path and wait up to
 * timeout seconds for the one-line answer, copied without its newline
 * into reply.  Returns 0 (an answer came, "ok ..." or "err ...") or
 * -errno with err saying why there was none.
 */
int marksock_send(const char *path, const char *line, char *reply,
		  size_t replylen, double timeout, char *err, size_t errlen);

#endif
