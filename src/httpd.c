/*
 * httpd.c - the --listen server (httpd.h) on libmicrohttpd: one internal
 * polling thread (epoll where there is one), idle timeout, a bounded
 * request, a bounded number of connections.  Its only shared state is
 * the last exposition, behind a mutex.  Touches: its socket.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "httpd.h"
#include "metrics.h"
#include "sanitize.h"

struct httpd {
	int fd; /* the bound socket until httpd_serve() */
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	char *text[2]; /* [0] Prometheus, [1] OpenMetrics; NULL
			* before the first sample */
	size_t len[2];
};

static const char httpd_nosample[] = "ramtop has no sample yet\n";
static const char httpd_index[] =
	"<html><head><title>ramtop</title></head><body>ramtop exporter: "
	"<a href=\"/metrics\">/metrics</a></body></html>\n";

/* q of one Accept element ("type/sub;version=1;q=0.5"), 1 if none. */
static double
httpd_q(const char *params, size_t len)
{
	const char *p = params, *end = params + len;
	char num[16];
	size_t n;

	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p > 2 && (p[0] == 'q' || p[0] == 'Q') &&
		    p[1] == '=') {
			p += 2;
			for (n = 0; p + n < end && p[n] != ';' && n < 15; n++)
				num[n] = p[n];
			num[n] = '\0';
			return strtod(num, NULL);
		}
		while (p < end && *p != ';')
			p++;
	}
	return 1.0;
}

int
httpd_wants_openmetrics(const char *accept)
{
	static const char om[] = "application/openmetrics-text";
	static const char txt[] = "text/plain";
	double q_om = 0, q_txt = 0, q;
	const char *p = accept, *e, *semi;
	size_t tl;

	if (accept == NULL)
		return 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		semi = memchr(p, ';', (size_t)(e - p));
		tl = (size_t)((semi ? semi : e) - p);
		while (tl > 0 && (p[tl - 1] == ' ' || p[tl - 1] == '\t'))
			tl--;
		q = semi ? httpd_q(semi, (size_t)(e - semi)) : 1.0;
		if (tl == sizeof om - 1 && strncasecmp(p, om, tl) == 0) {
			if (q > q_om)
				q_om = q;
		} else if (tl == sizeof txt - 1 &&
			   strncasecmp(p, txt, tl) == 0) {
			if (q > q_txt)
				q_txt = q;
		}
		p = e;
	}
	return q_om > 0 && q_om >= q_txt;
}

/*
 * libmicrohttpd is loaded (dlopen) when --listen asks for it, not
 * linked: linked, it brings GnuTLS and a dozen more libraries into every
 * ramtop - 2.9 MiB of RSS and ~1.6 ms of start-up (relocations, GnuTLS's
 * constructor) for a screen or a batch run that serves nothing.
 */
static struct {
	void *lib;
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_create_response_from_buffer)
		*create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
} mhd;

/* Load libmicrohttpd once.  0, or -ENOENT with one line in err. */
static int
httpd_load(char *err, size_t errlen)
{
	static const struct {
		const char *name;
		size_t off;
	} fn[] = {
#define F(f) { "MHD_" #f, offsetof(__typeof__(mhd), f) }
		F(start_daemon),
		F(stop_daemon),
		F(create_response_from_buffer),
		F(add_response_header),
		F(queue_response),
		F(destroy_response),
		F(lookup_connection_value),
#undef F
	};
	void *lib, *sym;
	size_t i;

	if (mhd.lib != NULL)
		return 0;
	lib = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		snprintf(err, errlen,
			 "cannot load libmicrohttpd (%s) for --listen: %s "
			 "(install Debian's libmicrohttpd12)",
			 MHD_SONAME, dlerror());
		return -ENOENT;
	}
	for (i = 0; i < sizeof fn / sizeof fn[0]; i++) {
		sym = dlsym(lib, fn[i].name);
		if (sym == NULL) {
			snprintf(err, errlen, "%s lacks %s: %s", MHD_SONAME,
				 fn[i].name, dlerror());
			dlclose(lib);
			return -ENOENT;
		}
		memcpy((char *)&mhd + fn[i].off, &sym, sizeof sym);
	}
	mhd.lib = lib;
	return 0;
}

static enum MHD_Result
httpd_reply(struct MHD_Connection *c, unsigned status, const char *type,
	    const char *body, size_t len, int copy)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = mhd.create_response_from_buffer(len, (void *)body,
					    copy ? MHD_RESPMEM_MUST_COPY
						 : MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhd.add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result
httpd_metrics(struct httpd *h, struct MHD_Connection *c)
{
	const char *accept;
	enum MHD_Result ret;
	int om;

	accept = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
					     MHD_HTTP_HEADER_ACCEPT);
	om = httpd_wants_openmetrics(accept);
	pthread_mutex_lock(&h->lock);
	if (h->text[om] == NULL) {
		pthread_mutex_unlock(&h->lock);
		return httpd_reply(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				   "text/plain; charset=utf-8", httpd_nosample,
				   sizeof httpd_nosample - 1, 0);
	}
	ret = httpd_reply(c, MHD_HTTP_OK,
			  om ? METRICS_CT_OPENMETRICS : METRICS_CT_PROMETHEUS,
			  h->text[om], h->len[om], 1);
	pthread_mutex_unlock(&h->lock);
	return ret;
}

/* GET (or HEAD) of /metrics or /, else 404; other methods 405.  A
 * request body is never read. */
static enum MHD_Result
httpd_answer(void *cls, struct MHD_Connection *c, const char *url,
	     const char *method, const char *version, const char *upload,
	     size_t *upload_size, void **req)
{
	struct httpd *h = cls;
	static const char nf[] = "not found: ramtop serves /metrics\n";
	static const char na[] = "method not allowed: use GET\n";

	(void)version;
	(void)upload;
	/* First call, headers only: a plain GET is answered at the next
	 * call, so that the connection stays open for the next scrape; a
	 * request that announces a body is answered now, and MHD then
	 * closes the connection rather than read the body. */
	if (*req == NULL && *upload_size == 0 &&
	    mhd.lookup_connection_value(c, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_CONTENT_LENGTH) ==
		    NULL &&
	    mhd.lookup_connection_value(c, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_TRANSFER_ENCODING) ==
		    NULL) {
		*req = h;
		return MHD_YES;
	}
	*upload_size = 0;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return httpd_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				   "text/plain; charset=utf-8", na,
				   sizeof na - 1, 0);
	if (strcmp(url, "/metrics") == 0)
		return httpd_metrics(h, c);
	if (strcmp(url, "/") == 0)
		return httpd_reply(c, MHD_HTTP_OK, "text/html; charset=utf-8",
				   httpd_index, sizeof httpd_index - 1, 0);
	return httpd_reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8",
			   nf, sizeof nf - 1, 0);
}

/* "[::1]:9464", "127.0.0.1:9464", ":9464", "9464" into host and port;
 * host "" means every address, NULL the default. */
static int
httpd_split(const char *spec, char *host, size_t hlen, const char **port)
{
	const char *colon, *close;
	size_t n;

	if (spec[0] == '[') {
		close = strchr(spec, ']');
		if (close == NULL || close[1] != ':')
			return -EINVAL;
		n = (size_t)(close - spec - 1);
		*port = close + 2;
		spec++;
	} else if ((colon = strrchr(spec, ':')) != NULL) {
		if (strchr(spec, ':') != colon)
			return -EINVAL; /* bare IPv6: needs [] */
		n = (size_t)(colon - spec);
		*port = colon + 1;
	} else {
		snprintf(host, hlen, "%s", HTTPD_DEFAULT_ADDR);
		*port = spec;
		return 0;
	}
	if (n >= hlen)
		return -ENAMETOOLONG;
	memcpy(host, spec, n);
	host[n] = '\0';
	return 0;
}

static int
httpd_port(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < 1 || v > 65535)
		return -1;
	return (int)v;
}

/* A bound, listening socket for spec, or -1 with err set. */
static int
httpd_bind(const char *spec, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	char host[256], shown[300], host_shown[300], port_s[8];
	const char *port;
	int fd, one = 1, r, e, p;

	sanitize_text(shown, sizeof shown, spec, strlen(spec));
	if (httpd_split(spec, host, sizeof host, &port) < 0 ||
	    (p = httpd_port(port)) < 0) {
		snprintf(err, errlen,
			 "'%s' is not [ADDR:]PORT (e.g. 9464, "
			 "127.0.0.1:9464, [::1]:9464)",
			 shown);
		return -1;
	}
	snprintf(port_s, sizeof port_s, "%d", p);
	if (strchr(host, ':') != NULL)
		snprintf(shown, sizeof shown, "[%.200s]:%d", host, p);
	else
		snprintf(shown, sizeof shown, "%.200s:%d", host[0] ? host : "*",
			 p);
	sanitize_text(host_shown, sizeof host_shown, shown, strlen(shown));
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	r = getaddrinfo(host[0] ? host : NULL, port_s, &hints, &res);
	if (r != 0) {
		snprintf(err, errlen, "%s: %s", host_shown, gai_strerror(r));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC,
		    res->ai_protocol);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0 ||
	    listen(fd, 64) < 0) {
		e = errno;
		snprintf(err, errlen, "cannot listen on %s: %s%s", host_shown,
			 strerror(e),
			 e == EADDRINUSE ? " (choose another port)"
			 : e == EACCES	 ? " (ports below 1024 need root)"
					 : "");
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* Connections at once: HTTPD_CONN_MAX, fewer when the open-file limit
 * is low, so that the sampler always has descriptors left. */
static unsigned
httpd_conn_max(void)
{
	struct rlimit rl;
	rlim_t n = HTTPD_CONN_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 2 < n)
		n = rl.rlim_cur / 2;
	return n < 1 ? 1 : (unsigned)n;
}

struct httpd *
httpd_start(const char *spec, char *err, size_t errlen)
{
	struct httpd *h;
	int fd;

	if (httpd_load(err, errlen) < 0)
		return NULL;
	fd = httpd_bind(spec, err, errlen);
	if (fd < 0)
		return NULL;
	h = calloc(1, sizeof *h);
	if (h == NULL) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->fd = fd;
	pthread_mutex_init(&h->lock, NULL);
	return h;
}

int
httpd_serve(struct httpd *h, char *err, size_t errlen)
{
	sigset_t all, old;

	if (h == NULL || h->d != NULL)
		return 0;
	/* Signals are the main loop's: the server thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	h->d = mhd.start_daemon(
		MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL, httpd_answer, h,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)h->fd,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTPD_IDLE_TIMEOUT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_REQUEST_MAX,
		MHD_OPTION_CONNECTION_LIMIT, httpd_conn_max(), MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (h->d == NULL) {
		snprintf(err, errlen,
			 "cannot start the HTTP server (libmicrohttpd)");
		return -EIO;
	}
	h->fd = -1; /* MHD's now: it closes it */
	return 0;
}

void
httpd_publish(void *ctx, const char *prom, size_t plen, const char *om,
	      size_t olen)
{
	struct httpd *h = ctx;
	char *n[2] = { NULL, NULL }, *old[2];
	const char *src[2] = { prom, om };
	size_t len[2] = { plen, olen };
	int i;

	for (i = 0; i < 2; i++) {
		if (src[i] == NULL)
			continue;
		n[i] = malloc(len[i] + 1);
		if (n[i] == NULL)
			continue; /* keep serving the last one */
		memcpy(n[i], src[i], len[i]);
		n[i][len[i]] = '\0';
	}
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < 2; i++) {
		old[i] = NULL;
		if (n[i] != NULL) {
			old[i] = h->text[i];
			h->text[i] = n[i];
			h->len[i] = len[i];
		}
	}
	pthread_mutex_unlock(&h->lock);
	free(old[0]);
	free(old[1]);
}

void
httpd_stop(struct httpd *h)
{
	if (h == NULL)
		return;
	if (h->d != NULL)
		mhd.stop_daemon(h->d); /* closes the listening socket too */
	if (h->fd >= 0)
		close(h->fd);
	pthread_mutex_destroy(&h->lock);
	free(h->text[0]);
	free(h->text[1]);
	free(h);
}
