/*
 * httpd.h - the --listen server: GET /metrics (and / , a one-line page)
 * with libmicrohttpd in its own thread, answering from a copy of the
 * last exposition the main loop handed over.  It never reads /proc and
 * never waits on sampling; sampling waits on it only for a pointer swap.
 *
 * Linked into the ramtop binary only (not libramtop.a).
 */
#ifndef RAMTOP_HTTPD_H
#define RAMTOP_HTTPD_H

#include <stddef.h>

/* Limits (DESIGN.md "Metrics"; ramtop(1) METRICS). */
#define HTTPD_DEFAULT_ADDR "127.0.0.1"
#define HTTPD_IDLE_TIMEOUT 10	      /* s without a byte: closed */
#define HTTPD_REQUEST_MAX (16 * 1024) /* request line + headers */
#define HTTPD_CONN_MAX 256	      /* at once; less at a low ulimit -n */

struct httpd;

/*
 * Bind [ADDR:]PORT ("9464", "127.0.0.1:9464", "[::1]:9464", ":9464" for
 * every address) and listen; nothing is answered until httpd_serve().
 * Returns NULL with one line in err ("cannot listen on 127.0.0.1:9464:
 * Address already in use (choose another port)") on failure.
 */
struct httpd *httpd_start(const char *spec, char *err, size_t errlen);

/*
 * Start the server thread (with every signal blocked: they are the main
 * loop's).  Call after a command is launched: a fork while another
 * thread runs could leave the child a locked allocator.  Returns 0, or
 * -EIO with one line in err.
 */
int httpd_serve(struct httpd *h, char *err, size_t errlen);

/* Serve these texts from now on (copied).  For metrics_out's serve. */
void httpd_publish(void *h, const char *prom, size_t plen, const char *om,
		   size_t olen);

/* Stop the thread, close every connection and the socket; free h. */
void httpd_stop(struct httpd *h);

/* Which format an Accept header asks for: 1 OpenMetrics, 0 Prometheus
 * text (also when accept is NULL). */
int httpd_wants_openmetrics(const char *accept);

#endif
