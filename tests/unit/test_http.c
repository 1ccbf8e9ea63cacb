/*
 * test_http.c — the HTTP transport over real sockets (src/http).
 *
 * Starts the server on 127.0.0.1:0 with a fake msg_handler defined here
 * (it echoes method, path, query and body as JSON; /api/slow sleeps
 * 500 ms and is declared slow) and a web root made in a temporary
 * folder, then speaks raw HTTP/1.1 to it, so that what is tested is what
 * a client sees on the wire: statuses, headers, closed connections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/server.h"

/* ---- the fake handler ------------------------------------------------- */

static void add_query(void *arg, const char *key, const char *val)
{
	json_object_set_new(arg, key, json_string(val));
}

static bool fake_is_slow(void *ctx, const char *method, const char *path)
{
	(void)ctx;
	(void)method;
	return strcmp(path, "/api/slow") == 0;
}

static void fake_handle(void *ctx, const struct msg_request *req, struct msg_response *res)
{
	(void)ctx;
	if (strcmp(req->path, "/api/slow") == 0)
		usleep(500 * 1000);
	if (strcmp(req->path, "/api/nostatus") == 0)
		return; /* status 0 must become 500 */
	if (strcmp(req->path, "/api/text") == 0) {
		res->status = 201;
		res->content_type = "text/plain; charset=utf-8";
		msg_response_header(res, "X-Test", "yes");
		buf_puts(&res->body, "plain");
		return;
	}
	json_t *q = json_object();
	req->query_each(req->query_ctx, add_query, q);
	const char *a = req->query_get(req->query_ctx, "a");
	json_t *o = json_pack("{s:s,s:s,s:o,s:s?,s:I,s:s?,s:s?,s:s?,s:s?,s:s}", "method",
			      req->method, "path", req->path, "query", q, "a", a, "body_len",
			      (json_int_t)req->body_len, "authorization", req->authorization,
			      "cookie", req->cookie, "csrf", req->csrf, "content_type",
			      req->content_type, "client", req->client_addr);
	if (req->body && req->body_len < 4096)
		json_object_set_new(o, "body", json_stringn(req->body, req->body_len));
	char *s = json_dumps(o, JSON_COMPACT);
	buf_puts(&res->body, s);
	free(s);
	json_decref(o);
	res->status = 200;
}

static const struct msg_handler fake = {.is_slow = fake_is_slow, .handle = fake_handle};

/* ---- a raw HTTP client ------------------------------------------------ */

struct resp {
	int status;
	char head[16384]; /* status line and headers, NUL-terminated */
	char *body;       /* owned, NUL-terminated */
	size_t blen;
};

static int conn_open(uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* Send everything; false if the peer closed or reset. */
static bool send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
	}
	return true;
}

static bool send_str(int fd, const char *s) { return send_all(fd, s, strlen(s)); }

/* Read up to n bytes, waiting at most timeout_ms. >0 bytes, 0 EOF, -1
 * timeout or error. */
static ssize_t recv_some(int fd, char *p, size_t n, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -1;
	ssize_t r = recv(fd, p, n, 0);
	return r < 0 ? -1 : r;
}

static const char *resp_header(const struct resp *r, const char *name)
{
	static _Thread_local char val[1024];
	size_t nl = strlen(name);
	for (const char *p = strstr(r->head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = strcspn(v, "\r");
			if (vl >= sizeof val)
				vl = sizeof val - 1;
			memcpy(val, v, vl);
			val[vl] = '\0';
			return val;
		}
	}
	return NULL;
}

/* Read one response (Content-Length framed, or up to EOF). Returns false
 * if the connection ended or timed out before a status line. */
static bool read_response(int fd, struct resp *r, int timeout_ms)
{
	size_t have = 0;
	char *end = NULL;
	memset(r, 0, sizeof *r);
	r->status = -1;
	while (!end) {
		if (have >= sizeof r->head - 1)
			return false;
		/* Peek-free: read a byte at a time until the header end, so
		 * bytes of a following response stay in the socket. */
		ssize_t n = recv_some(fd, r->head + have, 1, timeout_ms);
		if (n <= 0)
			return false;
		have += (size_t)n;
		r->head[have] = '\0';
		end = strstr(r->head, "\r\n\r\n");
	}
	end[2] = '\0';
	if (sscanf(r->head, "HTTP/1.%*d %d", &r->status) != 1)
		return false;
	const char *cl = resp_header(r, "Content-Length");
	if (r->status < 200 || r->status == 204 || r->status == 304)
		cl = "0"; /* no body by definition */
	size_t want = cl ? strtoull(cl, NULL, 10) : (size_t)-1;
	size_t cap = cl ? want + 1 : 65536;
	r->body = xmalloc(cap);
	while (r->blen < want) {
		if (r->blen + 1 >= cap) {
			cap *= 2;
			r->body = xreallocarray(r->body, cap, 1);
		}
		ssize_t n = recv_some(fd, r->body + r->blen, cl ? want - r->blen : cap - 1 - r->blen,
				      timeout_ms);
		if (n <= 0)
			break;
		r->blen += (size_t)n;
	}
	r->body[r->blen] = '\0';
	return true;
}

static void resp_release(struct resp *r)
{
	free(r->body);
	r->body = NULL;
}

/* True if the server closes (or resets) the connection within timeout_ms,
 * discarding whatever it still sends. */
static bool wait_closed(int fd, int timeout_ms)
{
	char b[4096];
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= timeout_ms)
			return false;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, (int)(timeout_ms - ms)) <= 0)
			return false;
		ssize_t n = recv(fd, b, sizeof b, 0);
		if (n <= 0)
			return true;
	}
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One request on a fresh connection; the connection is closed after. */
static void roundtrip(uint16_t port, const char *req, struct resp *r)
{
	int fd = conn_open(port);
	assert_true(send_str(fd, req));
	assert_true(read_response(fd, r, 5000));
	close(fd);
}

static json_t *resp_json(const struct resp *r)
{
	json_error_t err;
	json_t *j = json_loadb(r->body, r->blen, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("not JSON: %.200s", r->body);
	return j;
}

static void assert_error_code(const struct resp *r, const char *code)
{
	json_t *j = resp_json(r);
	const char *c = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
	assert_non_null(c);
	assert_string_equal(c, code);
	assert_true(json_is_null(json_object_get(json_object_get(j, "error"), "field")));
	json_decref(j);
}

static void assert_security_headers(const struct resp *r)
{
	assert_non_null(resp_header(r, "X-Content-Type-Options"));
	assert_string_equal(resp_header(r, "X-Content-Type-Options"), "nosniff");
	assert_non_null(resp_header(r, "X-Frame-Options"));
	assert_string_equal(resp_header(r, "X-Frame-Options"), "DENY");
	assert_non_null(resp_header(r, "Referrer-Policy"));
	assert_string_equal(resp_header(r, "Referrer-Policy"), "no-referrer");
	const char *csp = resp_header(r, "Content-Security-Policy");
	assert_non_null(csp);
	assert_non_null(strstr(csp, "default-src 'self'"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_null(strstr(csp, "unsafe-inline"));
}

/* ---- fixture: one server and one web root for most tests -------------- */

static struct http_server *srv;
static uint16_t port;
static char tmpdir[64];
static char webroot[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int group_setup(void **state)
{
	char p[256];
	(void)state;
	log_set_level(LOG_ERROR);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bangdai-test-http-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(webroot, sizeof webroot, "%s/web", tmpdir);
	mkdir(webroot, 0755);
	snprintf(p, sizeof p, "%s/index.html", webroot);
	write_file(p, "<!doctype html><title>bangdai</title>\n");
	snprintf(p, sizeof p, "%s/app.js", webroot);
	write_file(p, "export const x = 1;\n");
	snprintf(p, sizeof p, "%s/style.css", webroot);
	write_file(p, "body{}\n");
	snprintf(p, sizeof p, "%s/.hidden", webroot);
	write_file(p, "secret\n");
	snprintf(p, sizeof p, "%s/sub", webroot);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/sub/index.html", webroot);
	write_file(p, "sub\n");
	snprintf(p, sizeof p, "%s/outside.txt", tmpdir);
	write_file(p, "outside the root\n");
	char link[256];
	snprintf(link, sizeof link, "%s/leak.txt", webroot);
	if (symlink(p, link) != 0)
		return -1;

	struct http_config cfg = {.listen = "127.0.0.1:0", .web_root = webroot, .threads = 2,
				  .workers = 2, .idle_seconds = 1};
	struct errinfo ei;
	if (http_start(&cfg, &fake, &srv, &ei) != ERR_OK)
		return -1;
	port = http_port(srv);
	return port ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[128];
	(void)state;
	http_stop(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- tests ------------------------------------------------------------ */

static void test_get_roundtrip_keepalive(void **state)
{
	struct resp r;
	(void)state;
	int fd = conn_open(port);
	assert_true(send_str(fd, "GET /api/echo?a=1&b=x%20y&flag HTTP/1.1\r\nHost: t\r\n"
				 "Authorization: Bearer tok\r\nCookie: s=1\r\n"
				 "X-CSRF-Token: c\r\n\r\n"));
	assert_true(read_response(fd, &r, 5000));
	assert_int_equal(r.status, 200);
	assert_string_equal(resp_header(&r, "Content-Type"), "application/json; charset=utf-8");
	assert_string_equal(resp_header(&r, "Cache-Control"), "no-store");
	assert_security_headers(&r);
	json_t *j = resp_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "method")), "GET");
	assert_string_equal(json_string_value(json_object_get(j, "path")), "/api/echo");
	assert_string_equal(json_string_value(json_object_get(j, "a")), "1");
	json_t *q = json_object_get(j, "query");
	assert_int_equal(json_object_size(q), 3);
	assert_string_equal(json_string_value(json_object_get(q, "b")), "x y");
	assert_string_equal(json_string_value(json_object_get(q, "flag")), "");
	assert_string_equal(json_string_value(json_object_get(j, "authorization")), "Bearer tok");
	assert_string_equal(json_string_value(json_object_get(j, "cookie")), "s=1");
	assert_string_equal(json_string_value(json_object_get(j, "csrf")), "c");
	assert_string_equal(json_string_value(json_object_get(j, "client")), "127.0.0.1");
	json_decref(j);
	resp_release(&r);

	/* Same connection again: keep-alive works. */
	assert_true(send_str(fd, "GET /api/echo/%E5%B8%88 HTTP/1.1\r\nHost: t\r\n\r\n"));
	assert_true(read_response(fd, &r, 5000));
	assert_int_equal(r.status, 200);
	j = resp_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "path")), "/api/echo/师");
	assert_true(json_is_null(json_object_get(j, "authorization")));
	json_decref(j);
	resp_release(&r);
	close(fd);
}

static void test_post_roundtrip(void **state)
{
	struct resp r;
	(void)state;
	roundtrip(port,
		  "POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
		  "Content-Length: 13\r\n\r\n{\"name\":\"x\"}\n",
		  &r);
	assert_int_equal(r.status, 200);
	json_t *j = resp_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "method")), "POST");
	assert_string_equal(json_string_value(json_object_get(j, "body")), "{\"name\":\"x\"}\n");
	assert_string_equal(json_string_value(json_object_get(j, "content_type")),
			    "application/json");
	json_decref(j);
	resp_release(&r);

	/* A small chunked body is accepted and reassembled. */
	roundtrip(port,
		  "POST /api/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
		  "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n",
		  &r);
	assert_int_equal(r.status, 200);
	j = resp_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "body")), "abcdefg");
	json_decref(j);
	resp_release(&r);

	/* Expect: 100-continue gets its interim answer, then the real one. */
	int fd = conn_open(port);
	assert_true(send_str(fd, "PUT /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
				 "Expect: 100-continue\r\n\r\n"));
	assert_true(read_response(fd, &r, 5000));
	assert_int_equal(r.status, 100);
	resp_release(&r);
	assert_true(send_str(fd, "ok"));
	assert_true(read_response(fd, &r, 5000));
	assert_int_equal(r.status, 200);
	resp_release(&r);
	close(fd);
}

static void test_handler_status_and_headers(void **state)
{
	struct resp r;
	(void)state;
	roundtrip(port, "GET /api/text HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(resp_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	assert_string_equal(resp_header(&r, "X-Test"), "yes");
	assert_string_equal(r.body, "plain");
	assert_security_headers(&r);
	resp_release(&r);

	roundtrip(port, "GET /api/nostatus HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 500);
	resp_release(&r);
}

static void test_query_duplicate_key(void **state)
{
	struct resp r;
	(void)state;
	roundtrip(port, "GET /api/echo?a=1&b=2&a=3 HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 400);
	assert_error_code(&r, "invalid");
	assert_security_headers(&r);
	resp_release(&r);

	/* Keys differ by case: not a duplicate. */
	roundtrip(port, "GET /api/echo?a=1&A=2 HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	resp_release(&r);

	/* %00 anywhere in an API URL is refused. */
	roundtrip(port, "GET /api/echo?a=x%00y HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 400);
	resp_release(&r);
}

static void test_body_at_limit(void **state)
{
	struct resp r;
	char head[256];
	(void)state;
	size_t n = LIMIT_BODY_BYTES;
	char *body = xmalloc(n);
	memset(body, 'x', n);
	int fd = conn_open(port);
	snprintf(head, sizeof head,
		 "POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n\r\n", n);
	assert_true(send_str(fd, head));
	assert_true(send_all(fd, body, n));
	assert_true(read_response(fd, &r, 5000));
	assert_int_equal(r.status, 200);
	json_t *j = resp_json(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "body_len")), n);
	json_decref(j);
	resp_release(&r);
	close(fd);
	free(body);
}

static void test_body_over_limit_declared(void **state)
{
	struct resp r;
	char head[256];
	(void)state;
	int fd = conn_open(port);
	snprintf(head, sizeof head,
		 "POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: %u\r\n\r\n",
		 LIMIT_BODY_BYTES + 1);
	/* Only the headers: the answer must come without the body. */
	assert_true(send_str(fd, head));
	assert_true(read_response(fd, &r, 2000));
	assert_int_equal(r.status, 413);
	assert_error_code(&r, "too_large");
	assert_security_headers(&r);
	resp_release(&r);
	assert_true(wait_closed(fd, 2000));
	close(fd);

	fd = conn_open(port);
	assert_true(send_str(fd, "POST /api/echo HTTP/1.1\r\nHost: t\r\n"
				 "Content-Length: 99999999999999999999999\r\n\r\n"));
	assert_true(read_response(fd, &r, 2000));
	assert_int_equal(r.status, 413);
	resp_release(&r);
	close(fd);
}

/* Send a chunked body of `total` bytes in 64 KiB chunks; returns false if
 * the server stopped the upload early. */
static bool send_chunked(int fd, size_t total)
{
	static char chunk[65536];
	char line[32];
	memset(chunk, 'y', sizeof chunk);
	while (total) {
		size_t n = total < sizeof chunk ? total : sizeof chunk;
		snprintf(line, sizeof line, "%zx\r\n", n);
		if (!send_str(fd, line) || !send_all(fd, chunk, n) || !send_str(fd, "\r\n"))
			return false;
		total -= n;
	}
	return send_str(fd, "0\r\n\r\n");
}

static void test_body_over_limit_chunked(void **state)
{
	struct resp r;
	(void)state;
	const char *head = "POST /api/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";

	/* Exactly the limit is accepted. */
	int fd = conn_open(port);
	assert_true(send_str(fd, head));
	assert_true(send_chunked(fd, LIMIT_BODY_BYTES));
	assert_true(read_response(fd, &r, 5000));
	assert_int_equal(r.status, 200);
	resp_release(&r);
	close(fd);

	/* A little over: the client finishes, then reads 413, and the
	 * connection is closed. */
	fd = conn_open(port);
	assert_true(send_str(fd, head));
	assert_true(send_chunked(fd, LIMIT_BODY_BYTES + 100000));
	assert_true(read_response(fd, &r, 5000));
	assert_int_equal(r.status, 413);
	assert_error_code(&r, "too_large");
	resp_release(&r);
	assert_true(wait_closed(fd, 2000));
	close(fd);

	/* Far over (a client that would never stop): the server answers 413
	 * and hangs up while the client is still sending. */
	fd = conn_open(port);
	assert_true(send_str(fd, head));
	bool finished = send_chunked(fd, 8 * (size_t)LIMIT_BODY_BYTES);
	if (read_response(fd, &r, 5000)) {
		assert_int_equal(r.status, 413);
		resp_release(&r);
	} else {
		/* A reset may overtake the answer; then the upload must at
		 * least have been cut short. */
		assert_false(finished);
	}
	close(fd);
}

static void test_two_content_lengths(void **state)
{
	struct resp r;
	(void)state;
	int fd = conn_open(port);
	assert_true(send_str(fd, "POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
				 "Content-Length: 7\r\n\r\nhello"));
	assert_true(read_response(fd, &r, 2000));
	assert_true(r.status >= 400 && r.status < 500);
	assert_true(wait_closed(fd, 2000));
	resp_release(&r);
	close(fd);

	/* Same value twice is still refused. */
	roundtrip(port,
		  "POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
		  "Content-Length: 2\r\n\r\nhi",
		  &r);
	assert_int_equal(r.status, 400);
	resp_release(&r);
}

static void test_content_length_with_transfer_encoding(void **state)
{
	struct resp r;
	(void)state;
	int fd = conn_open(port);
	assert_true(send_str(fd, "POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
				 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
	assert_true(read_response(fd, &r, 2000));
	assert_true(r.status >= 400 && r.status < 500);
	assert_error_code(&r, "invalid");
	assert_true(wait_closed(fd, 2000));
	resp_release(&r);
	close(fd);

	/* A transfer coding other than chunked. */
	roundtrip(port,
		  "POST /api/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\nxxxx",
		  &r);
	assert_int_equal(r.status, 400);
	resp_release(&r);
}

static void test_header_flood(void **state)
{
	struct resp r;
	(void)state;
	size_t sizes[] = {LIMIT_HEADER_BYTES + 100, 64 * 1024};
	for (size_t k = 0; k < 2; k++) {
		char *req = xmalloc(sizes[k] + 256);
		size_t n = (size_t)snprintf(req, 256, "GET /api/echo HTTP/1.1\r\nHost: t\r\n");
		for (int i = 0; n < sizes[k]; i++)
			n += (size_t)snprintf(req + n, 256, "X-Flood-%d: %090d\r\n", i, 0);
		n += (size_t)snprintf(req + n, 8, "\r\n");
		int fd = conn_open(port);
		send_all(fd, req, n); /* may fail once the server has answered */
		assert_true(read_response(fd, &r, 2000));
		assert_true(r.status == 431 || r.status == 400);
		resp_release(&r);
		assert_true(wait_closed(fd, 2000));
		close(fd);
		free(req);
	}

	/* Just under the limit is fine. */
	char req[LIMIT_HEADER_BYTES + 256];
	size_t n = (size_t)snprintf(req, 256, "GET /api/echo HTTP/1.1\r\nHost: t\r\n");
	for (int i = 0; n + 100 + 30 < LIMIT_HEADER_BYTES; i++)
		n += (size_t)snprintf(req + n, 256, "X-Flood-%d: %090d\r\n", i, 0);
	snprintf(req + n, 8, "\r\n");
	roundtrip(port, req, &r);
	assert_int_equal(r.status, 200);
	resp_release(&r);
}

static void test_long_url(void **state)
{
	struct resp r;
	(void)state;
	size_t lens[] = {LIMIT_URL_BYTES + 1, 40000};
	for (size_t k = 0; k < 2; k++) {
		char *req = xmalloc(lens[k] + 64);
		memcpy(req, "GET /api/echo?q=", 16);
		memset(req + 16, 'a', lens[k] - 12);
		memcpy(req + 4 + lens[k], " HTTP/1.1\r\nHost: t\r\n\r\n", 23);
		int fd = conn_open(port);
		send_all(fd, req, strlen(req));
		assert_true(read_response(fd, &r, 2000));
		assert_int_equal(r.status, 414);
		resp_release(&r);
		close(fd);
		free(req);
	}
	/* At the limit: fine. */
	char req[LIMIT_URL_BYTES + 64];
	memcpy(req, "GET /api/echo?q=", 16);
	memset(req + 16, 'a', LIMIT_URL_BYTES - 12);
	memcpy(req + 4 + LIMIT_URL_BYTES, " HTTP/1.1\r\nHost: t\r\n\r\n", 23);
	roundtrip(port, req, &r);
	assert_int_equal(r.status, 200);
	resp_release(&r);
}

static void test_static_files(void **state)
{
	struct resp r;
	(void)state;
	struct {
		const char *path, *type, *start;
	} cases[] = {
		{"/", "text/html; charset=utf-8", "<!doctype html>"},
		{"/index.html", "text/html; charset=utf-8", "<!doctype html>"},
		{"/app.js", "text/javascript; charset=utf-8", "export"},
		{"/style.css", "text/css; charset=utf-8", "body"},
		{"/sub/", "text/html; charset=utf-8", "sub"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char req[256];
		snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", cases[i].path);
		roundtrip(port, req, &r);
		assert_int_equal(r.status, 200);
		assert_string_equal(resp_header(&r, "Content-Type"), cases[i].type);
		assert_memory_equal(r.body, cases[i].start, strlen(cases[i].start));
		assert_security_headers(&r);
		assert_null(resp_header(&r, "Cache-Control"));
		resp_release(&r);
	}

	/* HEAD: headers, length, no body; keep-alive continues after it. */
	int fd = conn_open(port);
	assert_true(send_str(fd, "HEAD /app.js HTTP/1.1\r\nHost: t\r\n\r\n"
				 "GET /app.js HTTP/1.1\r\nHost: t\r\n\r\n"));
	char buf[4096];
	size_t have = 0;
	buf[0] = '\0';
	long t0 = now_ms();
	while (now_ms() - t0 < 2000 && !strstr(buf, "export")) {
		ssize_t n = recv_some(fd, buf + have, sizeof buf - 1 - have, 2000);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
	}
	assert_true(strncmp(buf, "HTTP/1.1 200", 12) == 0);
	assert_non_null(strstr(buf, "Content-Length: 20"));
	char *second = strstr(buf + 12, "HTTP/1.1 200");
	assert_non_null(second);
	assert_true(strstr(buf, "export") > second); /* no body after HEAD */
	close(fd);

	roundtrip(port, "POST /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", &r);
	assert_int_equal(r.status, 405);
	assert_error_code(&r, "method_not_allowed");
	resp_release(&r);

	roundtrip(port, "GET /missing.js HTTP/1.1\r\nHost: t\r\n\r\n", &r);
	assert_int_equal(r.status, 404);
	assert_error_code(&r, "not_found");
	assert_security_headers(&r);
	resp_release(&r);
}

static void test_path_traversal(void **state)
{
	struct resp r;
	(void)state;
	const char *paths[] = {
		"/../etc/passwd",     "/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/etc/passwd",
		"/sub/../../outside.txt", "/..%2f..%2fetc/passwd", "/leak.txt",
		"/.hidden",           "/sub/%2e%2e/.hidden", "/index.html%00.png",
		"/..\\..\\etc\\passwd", "/%5c..%5cetc/passwd", "//etc/passwd",
		"/sub",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		char req[256];
		snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", paths[i]);
		int fd = conn_open(port);
		assert_true(send_str(fd, req));
		bool got = read_response(fd, &r, 2000);
		if (got && r.status != 404 && r.status != 400)
			fail_msg("%s answered %d", paths[i], r.status);
		if (got) {
			assert_null(strstr(r.body, "root:"));
			assert_null(strstr(r.body, "outside the root"));
			assert_null(strstr(r.body, "secret"));
			resp_release(&r);
		}
		close(fd);
	}
}

struct slow_arg {
	uint16_t port;
	int status;
	long ms;
};

static void *slow_client(void *p)
{
	struct slow_arg *a = p;
	struct resp r;
	long t0 = now_ms();
	int fd = conn_open(a->port);
	send_str(fd, "POST /api/slow HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi");
	if (read_response(fd, &r, 5000)) {
		a->status = r.status;
		resp_release(&r);
	}
	a->ms = now_ms() - t0;
	close(fd);
	return NULL;
}

static void test_slow_does_not_block_fast(void **state)
{
	(void)state;
	/* One I/O thread: were the slow handler run on it, every other
	 * request would wait the full 500 ms. */
	struct http_server *s;
	struct http_config cfg = {.listen = "127.0.0.1:0", .threads = 1, .workers = 2};
	struct errinfo ei;
	assert_int_equal(http_start(&cfg, &fake, &s, &ei), ERR_OK);
	uint16_t p = http_port(s);

	struct slow_arg a[2] = {{p, 0, 0}, {p, 0, 0}};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, slow_client, &a[i]), 0);
	usleep(100 * 1000); /* both slow requests are now on the workers */

	for (int i = 0; i < 5; i++) {
		struct resp r;
		long t0 = now_ms();
		roundtrip(p, "GET /api/echo HTTP/1.1\r\nHost: t\r\n\r\n", &r);
		long ms = now_ms() - t0;
		assert_int_equal(r.status, 200);
		resp_release(&r);
		if (ms >= 200)
			fail_msg("fast request took %ld ms while slow ones ran", ms);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].status, 200);
		assert_true(a[i].ms >= 450);
	}
	http_stop(s);
}

static void test_stop_with_slow_in_flight(void **state)
{
	(void)state;
	struct http_server *s;
	struct http_config cfg = {.listen = "127.0.0.1:0", .threads = 1, .workers = 1};
	struct errinfo ei;
	assert_int_equal(http_start(&cfg, &fake, &s, &ei), ERR_OK);
	struct slow_arg a = {http_port(s), 0, 0};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, slow_client, &a), 0);
	usleep(150 * 1000);
	http_stop(s); /* must wait for the worker, not abort on a suspended connection */
	pthread_join(t, NULL);
}

static void test_per_address_limit(void **state)
{
	(void)state;
	enum { N = LIMIT_CONN_PER_ADDR + 5 };
	int fds[N];
	usleep(200 * 1000); /* let the server finish closing earlier tests' connections */
	for (int i = 0; i < N; i++)
		fds[i] = conn_open(port);
	usleep(300 * 1000);
	int refused = 0;
	bool open_[N];
	for (int i = 0; i < N; i++) {
		char b[16];
		struct pollfd pfd = {.fd = fds[i], .events = POLLIN};
		open_[i] = !(poll(&pfd, 1, 0) == 1 && recv(fds[i], b, sizeof b, 0) <= 0);
		if (!open_[i])
			refused++;
	}
	assert_int_equal(refused, N - LIMIT_CONN_PER_ADDR);
	/* Refused are the last ones (accept order), and the rest still work. */
	for (int i = 0; i < LIMIT_CONN_PER_ADDR - 5; i++)
		assert_true(open_[i]);
	for (int i = 0; i < N; i++) {
		if (open_[i]) {
			struct resp r;
			assert_true(send_str(fds[i], "GET /api/echo HTTP/1.1\r\nHost: t\r\n\r\n"));
			assert_true(read_response(fds[i], &r, 2000));
			assert_int_equal(r.status, 200);
			resp_release(&r);
		}
		close(fds[i]);
	}
	usleep(200 * 1000);
}

static void test_idle_timeout(void **state)
{
	(void)state;
	/* Silent connection. */
	long t0 = now_ms();
	int fd = conn_open(port);
	assert_true(wait_closed(fd, 4000));
	long ms = now_ms() - t0;
	assert_true(ms >= 900);
	close(fd);

	/* Slowloris: half a request, never finished. */
	t0 = now_ms();
	fd = conn_open(port);
	assert_true(send_str(fd, "GET /api/echo HTTP/1.1\r\nHost: t\r\n"));
	assert_true(wait_closed(fd, 4000));
	close(fd);

	/* Idle after a completed request on a keep-alive connection. */
	fd = conn_open(port);
	struct resp r;
	assert_true(send_str(fd, "GET /api/echo HTTP/1.1\r\nHost: t\r\n\r\n"));
	assert_true(read_response(fd, &r, 2000));
	resp_release(&r);
	assert_true(wait_closed(fd, 4000));
	close(fd);
}

static void test_listen_addresses(void **state)
{
	(void)state;
	const char *bad[] = {NULL, "", "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999",
			     "127.0.0.1:8x", "::1:80", "[::1]80", "[::1", "300.0.0.1:80",
			     "example.com:80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct http_server *s = (void *)1;
		struct http_config cfg = {.listen = bad[i]};
		struct errinfo ei;
		errinfo_clear(&ei);
		assert_int_equal(http_start(&cfg, &fake, &s, &ei), ERR_INVALID);
		assert_null(s);
		assert_string_equal(ei.field, "listen");
	}

	/* The port in use: ERR_IO. */
	struct http_server *s;
	struct errinfo ei;
	char listen[32];
	snprintf(listen, sizeof listen, "127.0.0.1:%u", (unsigned)port);
	struct http_config cfg = {.listen = listen};
	assert_int_equal(http_start(&cfg, &fake, &s, &ei), ERR_IO);

	/* A missing web root. */
	struct http_config cfg2 = {.listen = "127.0.0.1:0", .web_root = "/nonexistent/x"};
	assert_int_equal(http_start(&cfg2, &fake, &s, &ei), ERR_IO);

	/* IPv6 loopback, if the machine has it; no web root: everything
	 * outside /api/ is 404. */
	struct http_config cfg6 = {.listen = "[::1]:0", .threads = 1};
	if (http_start(&cfg6, &fake, &s, &ei) == ERR_OK) {
		struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(http_port(s))};
		a.sin6_addr = in6addr_loopback;
		int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
		struct resp r;
		assert_true(send_str(fd, "GET /api/echo HTTP/1.1\r\nHost: t\r\n\r\n"));
		assert_true(read_response(fd, &r, 2000));
		assert_int_equal(r.status, 200);
		json_t *j = resp_json(&r);
		assert_string_equal(json_string_value(json_object_get(j, "client")), "::1");
		json_decref(j);
		resp_release(&r);
		assert_true(send_str(fd, "GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
		assert_true(read_response(fd, &r, 2000));
		assert_int_equal(r.status, 404);
		resp_release(&r);
		close(fd);
		http_stop(s);
	}
	http_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_roundtrip_keepalive),
		cmocka_unit_test(test_post_roundtrip),
		cmocka_unit_test(test_handler_status_and_headers),
		cmocka_unit_test(test_query_duplicate_key),
		cmocka_unit_test(test_body_at_limit),
		cmocka_unit_test(test_body_over_limit_declared),
		cmocka_unit_test(test_body_over_limit_chunked),
		cmocka_unit_test(test_two_content_lengths),
		cmocka_unit_test(test_content_length_with_transfer_encoding),
		cmocka_unit_test(test_header_flood),
		cmocka_unit_test(test_long_url),
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_path_traversal),
		cmocka_unit_test(test_slow_does_not_block_fast),
		cmocka_unit_test(test_stop_with_slow_in_flight),
		cmocka_unit_test(test_per_address_limit),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_listen_addresses),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
