/*
 * server.c — the HTTP transport on libmicrohttpd. Layer: http.
 *
 * Owns the daemon, the per-request context, the checks made on a request
 * before any of its body is read (sizes, duplicate and conflicting framing
 * headers, query keys), the worker pool for slow handlers, security
 * headers, static files and the access log. It turns bytes into a
 * `struct msg_request` and a `struct msg_response` into bytes; it must not
 * know any API route, role or table (that is the handler's business).
 *
 * Life of a request (MHD calls us, always on the connection's I/O thread
 * unless noted):
 *   uri_logger      request line read: allocate `struct req` (the one
 *                   per-request context), note the raw URI
 *   access, 1st     headers read, body not yet: validate, queue an error
 *                   at once if refused (MHD then closes the connection)
 *   access, more    body bytes: append to req->body, or count and drop
 *   access, last    body complete: answer (static file, API inline), or
 *                   suspend and hand the request to a worker thread
 *   access, again   after a worker resumed the connection: queue its answer
 *   completed       write the access log line, free `struct req`
 *
 * libmicrohttpd 0.9.75 facts this relies on (checked on the wire, see
 * tests/unit/test_http.c): it accepts two Content-Length headers and
 * Content-Length with Transfer-Encoding (so we refuse them), a response
 * queued in the first call is sent with "Connection: close", a response
 * cannot be queued while a body is still arriving, and it answers 431 by
 * itself when headers overflow the connection's memory pool (and 400 to
 * an HTTP/1.1 request without Host): those answers of its own carry none
 * of our security headers, only a fixed text, and close the connection.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/static.h"

/* Largest response body a handler may build (exports, PDFs). */
#define HTTP_RESPONSE_MAX ((size_t)64 << 20)
/* Query parameters in one request; more is refused with 400. */
#define HTTP_QUERY_ARGS_MAX 64
/* After a chunked body passes its limit (LIMIT_BODY_BYTES, or what the
 * handler's max_body answered for the route) we keep reading (and
 * dropping) up to this many more bytes so that a well-behaved client
 * finishes sending and then reads our 413; past it we write the 413
 * ourselves and close. */
#define HTTP_DRAIN_BYTES ((size_t)LIMIT_BODY_BYTES)
/* Per-connection memory pool: holds the request line, the headers and
 * the read buffer. Our own checks (LIMIT_URL_BYTES, LIMIT_HEADER_BYTES)
 * answer 414/431 precisely; the pool is sized so that MHD can always read
 * that much, and refuses (431) anything far larger before we see it. */
#define HTTP_MEMORY_LIMIT ((size_t)2 * (LIMIT_HEADER_BYTES + LIMIT_URL_BYTES) + 4096)
/* Characters of the raw path kept for the access log. */
#define HTTP_LOG_PATH 128

#define JSON_TYPE "application/json; charset=utf-8"

struct header_pair {
	const char *name;
	const char *value;
};

/* Sent with every response, API or static. */
static const struct header_pair security_headers[] = {
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "no-referrer"},
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	 "object-src 'none'; frame-ancestors 'none'; base-uri 'none'"},
};
#define NSECURITY_HEADERS (sizeof security_headers / sizeof security_headers[0])

enum req_state {
	REQ_NEW,       /* first access-handler call not made yet */
	REQ_BODY,      /* accepted; body (if any) arriving */
	REQ_DRAIN,     /* chunked body over the limit: drop the rest, then 413 */
	REQ_SUSPENDED, /* on the worker queue or being handled by a worker */
	REQ_RESUMED,   /* a worker filled `res`; waiting to be queued */
	REQ_ANSWERED,  /* a response is queued */
};

/* Request headers the transport looks at; each may appear at most once. */
enum hdr { H_CONTENT_LENGTH, H_TRANSFER_ENCODING, H_AUTHORIZATION, H_COOKIE,
	   H_CSRF, H_CONTENT_TYPE, H_HOST, H__MAX };
static const char *const hdr_names[] = {
	[H_CONTENT_LENGTH] = "Content-Length",
	[H_TRANSFER_ENCODING] = "Transfer-Encoding",
	[H_AUTHORIZATION] = "Authorization",
	[H_COOKIE] = "Cookie",
	[H_CSRF] = "X-CSRF-Token",
	[H_CONTENT_TYPE] = "Content-Type",
	[H_HOST] = "Host",
};
_Static_assert(sizeof hdr_names / sizeof hdr_names[0] == H__MAX, "hdr_names");

struct header_scan {
	size_t bytes;            /* all header lines, as sent */
	const char *val[H__MAX]; /* borrowed from MHD's pool */
	unsigned count[H__MAX];
};

struct query_arg {
	const char *key; /* borrowed from MHD's pool, decoded */
	const char *val; /* never NULL ("?flag" gives "") */
};

/* The per-request context: allocated in uri_logger, freed in
 * request_completed, nowhere else. */
struct req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	enum req_state state;
	bool api;         /* path under /api/ */
	bool raw_nul;     /* the raw URI contains %00 */
	bool too_many_args;
	size_t uri_len;   /* raw request target, query included */
	size_t received;  /* body bytes seen, kept or dropped */
	size_t max_body;  /* this request's body limit (msg_handler.max_body) */
	int status;       /* queued status, for the log; 0 = none */
	struct timespec t0;
	char method[16];
	char path[HTTP_LOG_PATH]; /* raw path, truncated, for the log */
	char addr[INET6_ADDRSTRLEN];
	struct buf body;
	struct msg_request msg;
	struct msg_response res;
	int nargs;
	struct query_arg args[HTTP_QUERY_ARGS_MAX];
	struct req *next; /* worker queue */
};

/* Slowest request body we wait for, after the first `idle` seconds. */
#define HTTP_BODY_MIN_RATE 8192 /* bytes per second */

/* One per TCP connection (MHD_OPTION_NOTIFY_CONNECTION), for deadlines:
 * MHD's own timeout restarts at every byte received, so a client that
 * sends its headers (slowloris) or its body (slow POST) a byte at a time
 * would hold the connection for ever. The sweeper thread shuts down a
 * connection whose request has not reached our first call within `idle`
 * seconds of the connection opening or of its previous request
 * completing, and one whose body arrives slower than `idle` seconds plus
 * HTTP_BODY_MIN_RATE. */
struct conn_track {
	struct conn_track *prev, *next; /* http_server.conns, under conn_mu */
	int fd;
	long long since;  /* CLOCK_MONOTONIC ms: opened, headers or request done */
	bool in_request;  /* headers complete, request not yet completed */
	bool in_body;     /* ... and its body still arriving */
	size_t body;      /* body bytes received so far */
	bool cut;         /* shut down by the sweeper */
};

struct http_server {
	struct MHD_Daemon *daemon;
	const struct msg_handler *h; /* borrowed */
	char *root;                  /* canonical web root, owned; NULL = none */
	uint16_t port;
	pthread_mutex_t mu; /* guards head, tail, stopping */
	pthread_cond_t cv;
	struct req *head, *tail;
	bool stopping;
	unsigned nworkers;
	pthread_t *workers;
	unsigned idle;           /* seconds: idle timeout and header deadline */
	pthread_mutex_t conn_mu; /* guards conns, sweeper_stop */
	pthread_cond_t conn_cv;
	struct conn_track conns; /* list head (sentinel) */
	bool sweeper_stop;
	bool sweeper_started;
	pthread_t sweeper;
};

/* ---- small helpers ---------------------------------------------------- */

static long long elapsed_us(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)(t.tv_sec - t0->tv_sec) * 1000000 + (t.tv_nsec - t0->tv_nsec) / 1000;
}

static long long mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- header deadline -------------------------------------------------- */

/* MHD_OPTION_NOTIFY_CONNECTION. MHD calls CLOSED before it closes the
 * socket, and we unlink under conn_mu, so the sweeper never touches a
 * descriptor number that was reused. */
static void conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct conn_track *t = xcalloc(1, sizeof *t);
		t->fd = ci ? ci->connect_fd : -1;
		t->since = mono_ms();
		pthread_mutex_lock(&s->conn_mu);
		t->next = s->conns.next;
		t->prev = &s->conns;
		s->conns.next->prev = t;
		s->conns.next = t;
		pthread_mutex_unlock(&s->conn_mu);
		*socket_context = t;
		return;
	}
	struct conn_track *t = *socket_context;
	if (!t)
		return;
	*socket_context = NULL;
	pthread_mutex_lock(&s->conn_mu);
	t->prev->next = t->next;
	t->next->prev = t->prev;
	pthread_mutex_unlock(&s->conn_mu);
	free(t);
}

static struct conn_track *conn_track_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Mark the connection of `conn` as inside a request (headers complete,
 * body arriving) or back to waiting for the next one. */
static void conn_mark(struct http_server *s, struct MHD_Connection *conn, bool in_request)
{
	struct conn_track *t = conn_track_of(conn);
	if (!t)
		return;
	pthread_mutex_lock(&s->conn_mu);
	t->in_request = in_request;
	t->in_body = in_request;
	t->body = 0;
	t->since = mono_ms();
	pthread_mutex_unlock(&s->conn_mu);
}

/* `n` more body bytes arrived; with n == 0 the body is complete. */
static void conn_body(struct http_server *s, struct MHD_Connection *conn, size_t n)
{
	struct conn_track *t = conn_track_of(conn);
	if (!t)
		return;
	pthread_mutex_lock(&s->conn_mu);
	t->body += n;
	if (!n)
		t->in_body = false;
	pthread_mutex_unlock(&s->conn_mu);
}

/* Has `t` missed its deadline at `now`? Called under conn_mu. */
static bool conn_overdue(const struct http_server *s, const struct conn_track *t, long long now)
{
	long long idle_ms = (long long)s->idle * 1000;
	if (t->cut || t->fd < 0)
		return false;
	if (!t->in_request)
		return now - t->since >= idle_ms;
	if (t->in_body)
		return now - t->since >=
		       idle_ms + (long long)(t->body / HTTP_BODY_MIN_RATE) * 1000;
	return false; /* being handled: the handler's time is not the client's */
}

static void *sweeper_main(void *arg)
{
	struct http_server *s = arg;
	pthread_mutex_lock(&s->conn_mu);
	while (!s->sweeper_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->conn_cv, &s->conn_mu, &until);
		long long now = mono_ms();
		unsigned cut = 0;
		for (struct conn_track *t = s->conns.next; t != &s->conns; t = t->next)
			if (conn_overdue(s, t, now)) {
				/* MHD sees end of stream and closes it itself. */
				shutdown(t->fd, SHUT_RDWR);
				t->cut = true;
				cut++;
			}
		if (cut)
			log_event(LOG_INFO, "slow clients cut (header or body deadline)", "\"count\":%u", cut);
	}
	pthread_mutex_unlock(&s->conn_mu);
	return NULL;
}

/* MHD_OPTION_EXTERNAL_LOGGER. A flood (refused connections, oversized
 * headers) would otherwise write one line per attempt: at most
 * HTTP_MHD_LOG_PER_SEC lines a second are written, and the number
 * dropped is reported when the next second starts. Counting is
 * approximate across threads, which is good enough for a log. */
#define HTTP_MHD_LOG_PER_SEC 20
static atomic_llong mhd_log_second;
static atomic_uint mhd_log_count;

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char line[512], esc[768];
	struct timespec now;
	(void)cls;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	long long sec = (long long)now.tv_sec;
	long long prev = atomic_load(&mhd_log_second);
	if (prev != sec && atomic_compare_exchange_strong(&mhd_log_second, &prev, sec)) {
		unsigned n = atomic_exchange(&mhd_log_count, 0);
		if (n > HTTP_MHD_LOG_PER_SEC)
			log_event(LOG_WARN, "microhttpd messages suppressed", "\"count\":%u",
				  n - HTTP_MHD_LOG_PER_SEC);
	}
	if (atomic_fetch_add(&mhd_log_count, 1) >= HTTP_MHD_LOG_PER_SEC)
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_escape(line, esc, sizeof esc);
	log_event(LOG_WARN, "microhttpd", "\"detail\":\"%s\"", esc);
}

/* Adds the security headers, and for API and error responses the JSON
 * content type default and "Cache-Control: no-store". False if MHD
 * refused a header (out of memory). */
static bool add_common_headers(struct MHD_Response *resp, bool api)
{
	for (size_t i = 0; i < NSECURITY_HEADERS; i++)
		if (MHD_add_response_header(resp, security_headers[i].name,
					    security_headers[i].value) != MHD_YES)
			return false;
	if (api && MHD_add_response_header(resp, "Cache-Control", "no-store") != MHD_YES)
		return false;
	return true;
}

/* Queue `resp` (taken) with `status`; records the status for the log. */
static enum MHD_Result queue(struct req *r, unsigned status, struct MHD_Response *resp)
{
	if (!resp)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->state = REQ_ANSWERED;
	r->status = (int)status;
	return ret;
}

/* Format the transport's own JSON error body into `out`. `code` and
 * `message` are constants without characters that need escaping. */
static int error_body(char *out, size_t n, const char *code, const char *message)
{
	int len = snprintf(out, n, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"field\":null}}",
			   code, message);
	return len < 0 || (size_t)len >= n ? -1 : len;
}

/* Queue a JSON error produced by the transport. With `close` the
 * connection is closed after it (MHD does so anyway when this happens in
 * the first call). */
static enum MHD_Result reply_error(struct req *r, unsigned status, const char *code,
				   const char *message, bool close)
{
	char body[512];
	int len = error_body(body, sizeof body, code, message);
	if (len < 0)
		return MHD_NO;
	struct MHD_Response *resp =
		MHD_create_response_from_buffer((size_t)len, body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (!add_common_headers(resp, true) ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, JSON_TYPE) != MHD_YES ||
	    (close && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close") != MHD_YES) ||
	    (status == MHD_HTTP_METHOD_NOT_ALLOWED &&
	     MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") != MHD_YES)) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	return queue(r, status, resp);
}

/* Write a complete 413 straight to the socket, for the one case where MHD
 * cannot queue a response (a chunked body still arriving). Best effort:
 * the caller closes the connection right after. */
static void write_raw_413(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	char body[256], out[1024];
	int blen = error_body(body, sizeof body, "too_large", "request body too large");
	if (!ci || blen < 0)
		return;
	int n = snprintf(out, sizeof out,
			 "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\n"
			 "Content-Type: " JSON_TYPE "\r\nCache-Control: no-store\r\n");
	for (size_t i = 0; i < NSECURITY_HEADERS && n > 0 && (size_t)n < sizeof out; i++)
		n += snprintf(out + n, sizeof out - (size_t)n, "%s: %s\r\n",
			      security_headers[i].name, security_headers[i].value);
	if (n > 0 && (size_t)n < sizeof out)
		n += snprintf(out + n, sizeof out - (size_t)n, "Content-Length: %d\r\n\r\n%s",
			      blen, body);
	if (n <= 0 || (size_t)n >= sizeof out)
		return;
	ssize_t w = send(ci->connect_fd, out, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)w;
	r->status = MHD_HTTP_CONTENT_TOO_LARGE;
}

/* ---- per-request context ---------------------------------------------- */

/* MHD_OPTION_URI_LOG_CALLBACK: the request line has been read. `uri` is
 * the raw target (not yet decoded, query included). What we return is the
 * request's context; MHD promises request_completed for it. */
static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct req *r = xmalloc(sizeof *r);
	r->srv = cls;
	r->conn = conn;
	r->state = REQ_NEW;
	r->api = false;
	r->too_many_args = false;
	r->uri_len = strlen(uri);
	r->raw_nul = false;
	for (const char *p = uri; (p = strchr(p, '%')) != NULL; p++)
		if (p[1] == '0' && p[2] == '0') {
			r->raw_nul = true;
			break;
		}
	size_t plen = strcspn(uri, "?");
	if (plen >= sizeof r->path)
		plen = sizeof r->path - 1;
	memcpy(r->path, uri, plen);
	r->path[plen] = '\0';
	r->method[0] = '\0';
	r->addr[0] = '\0';
	r->received = 0;
	r->max_body = LIMIT_BODY_BYTES;
	r->status = 0;
	r->nargs = 0;
	r->next = NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	buf_init(&r->body, LIMIT_BODY_BYTES);
	memset(&r->msg, 0, sizeof r->msg);
	r->res.status = 0;
	r->res.content_type = NULL;
	r->res.nheaders = 0;
	buf_init(&r->res.body, HTTP_RESPONSE_MAX);
	return r;
}

/* MHD_OPTION_NOTIFY_COMPLETED: the one place a request's memory is freed.
 * Also writes the access log line. */
static void request_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct req *r = *req_cls;
	(void)cls;
	if (!r)
		return;
	*req_cls = NULL;
	conn_mark(r->srv, conn, false);
	enum log_level lvl = r->status >= 500 ? LOG_WARN : LOG_DEBUG;
	char path[HTTP_LOG_PATH * 2], method[sizeof r->method * 2];
	log_escape(r->path, path, sizeof path);
	log_escape(r->method, method, sizeof method);
	log_event(lvl, "http", "\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,\"us\":%lld%s",
		  method, path, r->status, elapsed_us(&r->t0),
		  toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : ",\"aborted\":true");
	buf_release(&r->body);
	buf_release(&r->res.body);
	free(r);
}

/* ---- first call: checks before any body byte is read ---------------- */

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct header_scan *hs = cls;
	(void)kind;
	if (!value)
		value = "";
	hs->bytes += strlen(key) + strlen(value) + 4; /* ": " and CRLF */
	for (int i = 0; i < H__MAX; i++)
		if (strcasecmp(key, hdr_names[i]) == 0) {
			if (hs->count[i]++ == 0)
				hs->val[i] = value;
			break;
		}
	return MHD_YES;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct req *r = cls;
	(void)kind;
	if (r->nargs >= HTTP_QUERY_ARGS_MAX) {
		r->too_many_args = true;
		return MHD_NO;
	}
	r->args[r->nargs].key = key;
	r->args[r->nargs].val = value ? value : "";
	r->nargs++;
	return MHD_YES;
}

static bool args_have_duplicate(const struct req *r)
{
	for (int i = 1; i < r->nargs; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(r->args[i].key, r->args[j].key) == 0)
				return true;
	return false;
}

/* Parse a Content-Length value: digits only. False if malformed; a value
 * too large for uint64 saturates. */
static bool parse_content_length(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		v = v > (~0ull - d) / 10 ? ~0ull : v * 10 + d;
	}
	*out = v;
	return true;
}

static enum MHD_Result first_call(struct req *r, const char *url, const char *method)
{
	struct header_scan hs;
	size_t mlen = strlen(method);
	memcpy(r->method, method, mlen < sizeof r->method ? mlen + 1 : sizeof r->method);
	r->method[sizeof r->method - 1] = '\0';
	r->api = strncmp(url, "/api/", 5) == 0;
	if (r->api && r->srv->h->max_body) {
		size_t m = r->srv->h->max_body(r->srv->h->ctx, method, url);
		if (m) {
			r->max_body = m;
			r->body.max = m; /* still empty: nothing was read */
		}
	}

	if (r->uri_len > LIMIT_URL_BYTES)
		return reply_error(r, MHD_HTTP_URI_TOO_LONG, "too_large", "URL too long", true);

	memset(&hs, 0, sizeof hs);
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, scan_header, &hs);
	if (hs.bytes > LIMIT_HEADER_BYTES)
		return reply_error(r, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, "too_large",
				   "request headers too large", true);
	for (int i = 0; i < H__MAX; i++)
		if (hs.count[i] > 1)
			return reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid",
					   "repeated request header", true);
	/* Two framings for one body is how requests are smuggled past
	 * proxies: refuse rather than pick one. */
	if (hs.count[H_CONTENT_LENGTH] && hs.count[H_TRANSFER_ENCODING])
		return reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid",
				   "Content-Length with Transfer-Encoding", true);
	if (hs.count[H_TRANSFER_ENCODING] &&
	    strcasecmp(hs.val[H_TRANSFER_ENCODING], "chunked") != 0)
		return reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid",
				   "unsupported Transfer-Encoding", true);
	if (hs.count[H_CONTENT_LENGTH]) {
		unsigned long long cl;
		if (!parse_content_length(hs.val[H_CONTENT_LENGTH], &cl))
			return reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid",
					   "malformed Content-Length", true);
		if (cl > r->max_body)
			return reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
					   "request body too large", true);
	}

	if (!r->api) {
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
					   "only GET and HEAD", true);
		r->state = REQ_BODY;
		return MHD_YES;
	}

	if (r->raw_nul)
		return reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid", "NUL in URL", true);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_arg, r);
	if (r->too_many_args)
		return reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid", "too many query parameters",
				   true);
	if (args_have_duplicate(r))
		return reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid", "repeated query parameter",
				   true);
	r->msg.authorization = hs.val[H_AUTHORIZATION];
	r->msg.cookie = hs.val[H_COOKIE];
	r->msg.csrf = hs.val[H_CSRF];
	r->msg.content_type = hs.val[H_CONTENT_TYPE];
	r->state = REQ_BODY;
	return MHD_YES;
}

/* ---- body ------------------------------------------------------------ */

static enum MHD_Result body_bytes(struct req *r, const char *data, size_t n)
{
	r->received += n;
	if (r->state == REQ_DRAIN) {
		if (r->received - r->max_body > HTTP_DRAIN_BYTES) {
			write_raw_413(r);
			return MHD_NO; /* MHD closes the connection */
		}
		return MHD_YES;
	}
	if (r->received > r->max_body) {
		/* Only a chunked body gets here: a declared length was checked. */
		buf_release(&r->body);
		r->state = REQ_DRAIN;
		return MHD_YES;
	}
	if (r->api && buf_append(&r->body, data, n) != ERR_OK)
		return MHD_NO; /* cannot happen: received <= max */
	return MHD_YES;
}

/* ---- API requests ----------------------------------------------------- */

static const char *query_get(void *ctx, const char *key)
{
	const struct req *r = ctx;
	for (int i = 0; i < r->nargs; i++)
		if (strcmp(r->args[i].key, key) == 0)
			return r->args[i].val;
	return NULL;
}

static void query_each(void *ctx, void (*fn)(void *arg, const char *key, const char *val),
		       void *arg)
{
	const struct req *r = ctx;
	for (int i = 0; i < r->nargs; i++)
		fn(arg, r->args[i].key, r->args[i].val);
}

/* Complete r->msg (headers were filled by first_call) and run the handler
 * into r->res. Runs on an I/O thread or a worker. */
static void run_handler(struct req *r, const char *url, const char *method)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  r->addr, sizeof r->addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  r->addr, sizeof r->addr);
	}
	r->msg.method = method;
	r->msg.path = url;
	r->msg.body = r->body.len ? r->body.data : NULL;
	r->msg.body_len = r->body.len;
	r->msg.client_addr = r->addr;
	r->msg.query_get = query_get;
	r->msg.query_each = query_each;
	r->msg.query_ctx = r;
	r->srv->h->handle(r->srv->h->ctx, &r->msg, &r->res);
}

/* Turn r->res into an MHD response and queue it. The body's memory is
 * handed to MHD, not copied. */
static enum MHD_Result reply_api(struct req *r)
{
	struct msg_response *res = &r->res;
	unsigned status = res->status >= 100 && res->status <= 599 ? (unsigned)res->status : 500;
	struct MHD_Response *resp;
	if (res->status != 0 && status == 500)
		log_event(LOG_ERROR, "handler returned an invalid status", "\"status\":%d",
			  res->status);
	if (res->body.len) {
		size_t len;
		char *data = buf_detach(&res->body, &len);
		resp = MHD_create_response_from_buffer_with_free_callback(len, data, free);
		if (!resp)
			free(data);
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	if (!add_common_headers(resp, true) ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				    res->content_type ? res->content_type : JSON_TYPE) != MHD_YES) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	for (int i = 0; i < res->nheaders && i < MSG_MAX_HEADERS; i++)
		if (MHD_add_response_header(resp, res->header_name[i], res->header_value[i]) !=
		    MHD_YES)
			log_event(LOG_ERROR, "response header refused", "\"index\":%d", i);
	return queue(r, status, resp);
}

/* Hand `r` to a worker: suspend the connection, then enqueue (in that
 * order, so the worker's resume always finds it suspended). False when
 * the server is stopping; the caller then runs the handler itself. */
static bool enqueue_slow(struct req *r)
{
	struct http_server *s = r->srv;
	bool queued = false;
	pthread_mutex_lock(&s->mu);
	if (!s->stopping) {
		r->state = REQ_SUSPENDED;
		MHD_suspend_connection(r->conn);
		r->next = NULL;
		if (s->tail)
			s->tail->next = r;
		else
			s->head = r;
		s->tail = r;
		pthread_cond_signal(&s->cv);
		queued = true;
	}
	pthread_mutex_unlock(&s->mu);
	return queued;
}

static void *worker_main(void *arg)
{
	struct http_server *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->head && !s->stopping)
			pthread_cond_wait(&s->cv, &s->mu);
		struct req *r = s->head;
		if (r) {
			s->head = r->next;
			if (!s->head)
				s->tail = NULL;
		}
		pthread_mutex_unlock(&s->mu);
		if (!r)
			return NULL; /* stopping and the queue is drained */
		run_handler(r, r->msg.path, r->msg.method);
		/* MHD_resume_connection takes MHD's own mutex, which the I/O
		 * thread takes before calling us again: that orders our writes
		 * to r->res and r->state before its reads. */
		r->state = REQ_RESUMED;
		MHD_resume_connection(r->conn);
	}
}

static enum MHD_Result dispatch_api(struct req *r, const char *url, const char *method)
{
	const struct msg_handler *h = r->srv->h;
	if (h->is_slow && h->is_slow(h->ctx, method, url)) {
		/* The worker reads these after we return: both live in MHD's
		 * connection pool until request_completed. */
		r->msg.method = method;
		r->msg.path = url;
		if (enqueue_slow(r))
			return MHD_YES;
	}
	run_handler(r, url, method);
	return reply_api(r);
}

/* ---- static files ----------------------------------------------------- */

static enum MHD_Result dispatch_static(struct req *r, const char *url)
{
	struct http_static_file f;
	if (!r->srv->root || r->raw_nul ||
	    http_static_open(r->srv->root, url, strlen(url), &f) != ERR_OK)
		return reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "no such file", false);
	struct MHD_Response *resp = MHD_create_response_from_fd(f.size, f.fd);
	if (!resp) {
		close(f.fd);
		return MHD_NO;
	}
	if (!add_common_headers(resp, false) ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, f.content_type) !=
		    MHD_YES) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	return queue(r, MHD_HTTP_OK, resp);
}

/* ---- the access handler ----------------------------------------------- */

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_data_size,
				      void **req_cls)
{
	struct req *r = *req_cls;
	(void)cls;
	(void)conn;
	(void)version;
	assert(r); /* uri_logger always sets it */

	switch (r->state) {
	case REQ_NEW:
		conn_mark(r->srv, conn, true);
		return first_call(r, url, method);
	case REQ_BODY:
	case REQ_DRAIN:
		if (*upload_data_size) {
			size_t n = *upload_data_size;
			*upload_data_size = 0;
			conn_body(r->srv, conn, n);
			return body_bytes(r, upload_data, n);
		}
		conn_body(r->srv, conn, 0);
		if (r->state == REQ_DRAIN)
			return reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
					   "request body too large", true);
		return r->api ? dispatch_api(r, url, method) : dispatch_static(r, url);
	case REQ_RESUMED:
		return reply_api(r);
	case REQ_SUSPENDED:
	case REQ_ANSWERED:
		break;
	}
	return MHD_YES;
}

/* ---- start and stop --------------------------------------------------- */

/* Parse "HOST:PORT" or "[V6]:PORT" into *ss. HOST may be an IPv4
 * literal, "localhost", or empty / "*" for every address. */
static enum err parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6,
			     struct errinfo *ei)
{
	char host[64];
	const char *port_s;
	size_t hlen;
	memset(ss, 0, sizeof *ss);
	*v6 = false;
	if (!listen)
		return errinfo_set(ei, ERR_INVALID, "listen", "no listen address");
	if (listen[0] == '[') {
		const char *end = strchr(listen, ']');
		if (!end || end[1] != ':')
			return errinfo_set(ei, ERR_INVALID, "listen", "expected [ADDR]:PORT");
		hlen = (size_t)(end - listen - 1);
		if (hlen >= sizeof host)
			return errinfo_set(ei, ERR_INVALID, "listen", "address too long");
		memcpy(host, listen + 1, hlen);
		port_s = end + 2;
		*v6 = true;
	} else {
		const char *colon = strrchr(listen, ':');
		if (!colon || memchr(listen, ':', (size_t)(colon - listen)))
			return errinfo_set(ei, ERR_INVALID, "listen", "expected HOST:PORT");
		hlen = (size_t)(colon - listen);
		if (hlen >= sizeof host)
			return errinfo_set(ei, ERR_INVALID, "listen", "address too long");
		memcpy(host, listen, hlen);
		port_s = colon + 1;
	}
	host[hlen] = '\0';

	unsigned long port = 0;
	if (!*port_s || strlen(port_s) > 5)
		return errinfo_set(ei, ERR_INVALID, "listen", "bad port");
	for (const char *p = port_s; *p; p++) {
		if (*p < '0' || *p > '9')
			return errinfo_set(ei, ERR_INVALID, "listen", "bad port");
		port = port * 10 + (unsigned long)(*p - '0');
	}
	if (port > 65535)
		return errinfo_set(ei, ERR_INVALID, "listen", "bad port");

	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return errinfo_set(ei, ERR_INVALID, "listen", "bad IPv6 address");
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (host[0] == '\0' || strcmp(host, "*") == 0)
			a->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (strcmp(host, "localhost") == 0)
			a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return errinfo_set(ei, ERR_INVALID, "listen", "bad IPv4 address");
	}
	return ERR_OK;
}

static void stop_workers(struct http_server *s, unsigned started)
{
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(s->workers[i], NULL);
}

static void stop_sweeper(struct http_server *s)
{
	if (!s->sweeper_started)
		return;
	pthread_mutex_lock(&s->conn_mu);
	s->sweeper_stop = true;
	pthread_cond_signal(&s->conn_cv);
	pthread_mutex_unlock(&s->conn_mu);
	pthread_join(s->sweeper, NULL);
	s->sweeper_started = false;
}

static void server_free(struct http_server *s)
{
	pthread_mutex_destroy(&s->conn_mu);
	pthread_cond_destroy(&s->conn_cv);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->workers);
	free(s->root);
	free(s);
}

enum err http_start(const struct http_config *cfg, const struct msg_handler *h,
		    struct http_server **out, struct errinfo *ei)
{
	struct sockaddr_storage ss;
	bool v6;
	enum err e;
	unsigned started = 0;

	assert(cfg && h && h->handle && out);
	*out = NULL;
	e = parse_listen(cfg->listen, &ss, &v6, ei);
	if (e)
		return e;

	struct http_server *s = xcalloc(1, sizeof *s);
	s->h = h;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_mutex_init(&s->conn_mu, NULL);
	pthread_cond_init(&s->conn_cv, NULL);
	s->conns.next = s->conns.prev = &s->conns;
	if (cfg->web_root && http_static_root(cfg->web_root, &s->root) != ERR_OK) {
		e = errinfo_set(ei, ERR_IO, "web_root", "web root %s is not a folder",
				cfg->web_root);
		goto fail;
	}

	s->nworkers = cfg->workers ? cfg->workers : 2;
	s->workers = xcalloc(s->nworkers, sizeof *s->workers);
	for (; started < s->nworkers; started++)
		if (pthread_create(&s->workers[started], NULL, worker_main, s) != 0) {
			e = errinfo_set(ei, ERR_INTERNAL, NULL, "cannot start worker threads");
			goto fail;
		}

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cfg->threads ? cfg->threads : ncpu > 0 ? (unsigned)ncpu : 1;
	unsigned idle = cfg->idle_seconds ? cfg->idle_seconds : LIMIT_IDLE_SECONDS;
	s->idle = idle;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME | (v6 ? MHD_USE_IPv6 : 0);
	uint16_t port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
				 : ((struct sockaddr_in *)&ss)->sin_port);
	s->daemon = MHD_start_daemon(
		flags, port, NULL, NULL, access_handler, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, (void *)NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)LIMIT_CONN_TOTAL,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)LIMIT_CONN_PER_ADDR,
		MHD_OPTION_CONNECTION_TIMEOUT, idle,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MEMORY_LIMIT,
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
		MHD_OPTION_URI_LOG_CALLBACK, uri_logger, (void *)s,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, (void *)s,
		MHD_OPTION_NOTIFY_CONNECTION, conn_notify, (void *)s,
		MHD_OPTION_END);
	if (!s->daemon) {
		e = errinfo_set(ei, ERR_IO, "listen", "cannot listen on %s", cfg->listen);
		goto fail;
	}
	if (pthread_create(&s->sweeper, NULL, sweeper_main, s) != 0) {
		e = errinfo_set(ei, ERR_INTERNAL, NULL, "cannot start the sweeper thread");
		MHD_stop_daemon(s->daemon);
		goto fail;
	}
	s->sweeper_started = true;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : port;
	log_event(LOG_INFO, "listening", "\"port\":%u,\"threads\":%u,\"workers\":%u",
		  (unsigned)s->port, threads, s->nworkers);
	*out = s;
	return ERR_OK;
fail:
	stop_workers(s, started);
	server_free(s);
	return e;
}

uint16_t http_port(const struct http_server *s)
{
	return s ? s->port : 0;
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	/* Workers drain the queue (each job resumes its connection) before
	 * they exit; after `stopping` no new job is queued, so no connection
	 * is left suspended, which MHD_stop_daemon does not allow. */
	stop_workers(s, s->nworkers);
	MHD_stop_daemon(s->daemon);
	stop_sweeper(s);
	server_free(s);
}
