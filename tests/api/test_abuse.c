/*
 * test_abuse.c — hostile clients against the real server (issue 8,
 * "abuse"): slowloris, oversized and chunked bodies, duplicate
 * Content-Length, Content-Length with Transfer-Encoding, header floods,
 * a long URL, more connections than one address may hold, and 10,000
 * wrong passwords against one account from one address and spread over
 * many accounts from one address.
 *
 * The server runs with a short header deadline (--idle-timeout 2) and a
 * short login window so that the suite is quick. Other client addresses
 * are loopback addresses (127.0.0.N) bound as the source.
 *
 * Each test is one "case"; the cases held are written to
 * build/reliability/abuse.tsv ($BANGDAI_RELIABILITY_DIR) for
 * scripts/reliability-table, and summed up in the line
 * "abuse: N cases, M held".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testdb.h"
#include "core/limits.h"
#include "libhttpc.h"

#define IDLE_SECONDS 2    /* --idle-timeout: the header deadline */
#define LOGIN_WINDOW 5    /* $BANGDAI_LOGIN_WINDOW: the flood mostly fits in one */
/* Failures allowed per login+address and per address: lower than the
 * defaults (10, 200) so that the suite runs few argon2id checks. */
#define LOGIN_MAX_PAIR 3  /* $BANGDAI_LOGIN_MAX_PAIR */
#define LOGIN_MAX_ADDR 5  /* $BANGDAI_LOGIN_MAX_ADDR: above LOGIN_MAX_PAIR */
#define FLOOD 10000

static struct httpc_server srv;
static struct testdb db;
static char city_token[64];
static long flood_end; /* when the 10,000 guesses ended (ms) */

/* ---- the cases held --------------------------------------------------- */

#define MAX_CASES 32
static struct {
	const char *name;
	bool held;
	char detail[160];
} cases[MAX_CASES];
static int ncases;
static int cur = -1;

/* Start case `name`: it counts as held only if its test reaches held(). */
static void begin(const char *name)
{
	assert_true(ncases < MAX_CASES);
	cur = ncases++;
	cases[cur].name = name;
	cases[cur].held = false;
	cases[cur].detail[0] = '\0';
}

static void held(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cases[cur].detail, sizeof cases[cur].detail, fmt, ap);
	va_end(ap);
	cases[cur].held = true;
}

static void write_results(void)
{
	const char *dir = getenv("BANGDAI_RELIABILITY_DIR");
	char path[512];
	if (!dir || !*dir)
		dir = "build/reliability";
	mkdir("build", 0755);
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/abuse.tsv", dir);
	FILE *f = fopen(path, "w");
	int ok = 0;
	for (int i = 0; i < ncases; i++) {
		ok += cases[i].held;
		if (f)
			fprintf(f, "%s\t%s\t%s\n", cases[i].name, cases[i].held ? "held" : "FAILED",
				cases[i].detail);
		printf("  abuse case %-28s %s  %s\n", cases[i].name,
		       cases[i].held ? "held" : "NOT HELD", cases[i].detail);
	}
	if (f)
		fclose(f);
	else
		fprintf(stderr, "cannot write %s\n", path);
	printf("abuse: %d cases, %d held\n", ncases, ok);
}

/* ---- small helpers ---------------------------------------------------- */

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* A connection to the server from source address `src` ("127.0.0.N"). */
static int conn_from(const char *src)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	inet_pton(AF_INET, src, &a.sin_addr);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	a.sin_port = htons(srv.port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* True once the server has closed `fd` (end of stream or reset); waits
 * at most `ms`. Data that arrives meanwhile is read and dropped. */
static bool closed_within(int fd, long ms)
{
	long end = now_ms() + ms;
	for (;;) {
		long left = end - now_ms();
		if (left <= 0)
			return false;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		char b[4096];
		ssize_t n = recv(fd, b, sizeof b, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return true;
	}
}

static int status_of(const char *method, const char *path, const char *token, const char *body)
{
	struct httpc_response r;
	if (httpc_request(srv.port, method, path, token, body, &r) != 0)
		return -1;
	int st = r.status;
	httpc_response_release(&r);
	return st;
}

static int login_status(const char *src, const char *login, const char *pw)
{
	char body[256];
	snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"%s\"}", login, pw);
	httpc_set_source(src);
	int st = status_of("POST", "/api/v1/auth/login", NULL, body);
	httpc_set_source(NULL);
	return st;
}

/* ---- setup ------------------------------------------------------------ */

static int group_setup(void **state)
{
	(void)state;
	if (testdb_create(&db, "abuse") != 0)
		return -1;
	const char *b = getenv("BANGDAI_BIN");
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s demo --db '%s' >/dev/null 2>&1", b ? b : "./bangdai", db.uri);
	if (system(cmd) != 0) {
		fprintf(stderr, "demo failed: %s\n", cmd);
		return -1;
	}
	char v[16];
	snprintf(v, sizeof v, "%d", LOGIN_WINDOW);
	setenv("BANGDAI_LOGIN_WINDOW", v, 1);
	snprintf(v, sizeof v, "%d", LOGIN_MAX_ADDR);
	setenv("BANGDAI_LOGIN_MAX_ADDR", v, 1);
	snprintf(v, sizeof v, "%d", LOGIN_MAX_PAIR);
	setenv("BANGDAI_LOGIN_MAX_PAIR", v, 1);
	snprintf(v, sizeof v, "%d", IDLE_SECONDS);
	const char *args[] = {"--idle-timeout", v, NULL};
	if (httpc_spawn_server_args(db.uri, args, &srv) != 0)
		return -1;
	struct httpc_response r;
	if (httpc_request(srv.port, "POST", "/api/v1/auth/login", NULL,
			  "{\"login\":\"city_admin\",\"password\":\"bangdai-demo\"}", &r) != 0 ||
	    r.status != 200) {
		httpc_response_release(&r);
		return -1;
	}
	json_t *j = httpc_json(&r);
	snprintf(city_token, sizeof city_token, "%s",
		 json_string_value(json_object_get(j, "token")));
	json_decref(j);
	httpc_response_release(&r);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	write_results();
	int st = httpc_stop_server(&srv);
	testdb_drop(&db);
	return st == 0 ? 0 : -1;
}

/* ---- slow clients ----------------------------------------------------- */

#define SLOW_CONNS 150
#define SLOW_PER_ADDR 50

/* Slow clients, all at once so that the suite waits for one deadline:
 *   slowloris     many connections send their headers a byte at a time;
 *                 a normal client is answered quickly meanwhile, and
 *                 every slow one is cut at the header deadline although
 *                 it never stops sending;
 *   slow body     complete headers, then the body a byte every 100 ms
 *                 (which keeps MHD's idle timer alive): cut at the body
 *                 deadline, `idle` seconds plus 8 KiB/s;
 *   stalled body  complete headers, part of the body, then silence: cut
 *                 by the idle timeout. */
static void test_slow_clients(void **state)
{
	(void)state;
	static const char dribble[] = "GET /api/v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				      "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	enum { SLOW_BODY = SLOW_CONNS, STALLED = SLOW_CONNS + 1, NCONN = SLOW_CONNS + 2 };
	int fd[NCONN];
	long cut_at[NCONN];
	long t0 = now_ms();
	for (int i = 0; i < NCONN; i++) {
		char src[32];
		snprintf(src, sizeof src, "127.0.0.%d", 10 + i / SLOW_PER_ADDR);
		fd[i] = conn_from(src);
		assert_true(fd[i] >= 0);
		cut_at[i] = 0;
	}
	char req[512];
	int n = snprintf(req, sizeof req,
			 "POST /api/v1/vocab HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
			 "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"kind\":",
			 city_token);
	assert_true(send(fd[SLOW_BODY], req, (size_t)n, MSG_NOSIGNAL) == n);
	assert_true(send(fd[STALLED], req, (size_t)n, MSG_NOSIGNAL) == n);
	int open = NCONN, normal = 0;
	long worst = 0;
	for (size_t step = 0; open > 0 && now_ms() - t0 < (IDLE_SECONDS + 3) * 1000L; step++) {
		for (int i = 0; i < NCONN; i++) {
			if (cut_at[i])
				continue;
			char c = i == SLOW_BODY ? ' ' : dribble[step % (sizeof dribble - 1)];
			ssize_t w = i == STALLED ? 0 : send(fd[i], &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			char b[256];
			ssize_t r = recv(fd[i], b, sizeof b, MSG_DONTWAIT);
			if (w < 0 || r == 0 || (r < 0 && errno != EAGAIN)) {
				cut_at[i] = now_ms() - t0;
				open--;
			}
		}
		/* The normal client, between the slow bytes. */
		long t = now_ms();
		assert_int_equal(status_of("GET", "/api/v1/stats", city_token, NULL), 200);
		t = now_ms() - t;
		worst = t > worst ? t : worst;
		normal++;
		sleep_ms(100);
	}
	for (int i = 0; i < NCONN; i++)
		close(fd[i]);

	begin("slowloris");
	long first = 1L << 30, last = 0;
	for (int i = 0; i < SLOW_CONNS; i++) {
		assert_true(cut_at[i] > 0); /* every slow client was cut */
		first = cut_at[i] < first ? cut_at[i] : first;
		last = cut_at[i] > last ? cut_at[i] : last;
	}
	/* At the deadline (the sweeper looks every 250 ms), not before. */
	assert_true(first >= IDLE_SECONDS * 1000L - 100);
	assert_true(last <= IDLE_SECONDS * 1000L + 1500);
	assert_true(worst < 2000); /* a server held up would take the client's 10 s */
	held("%d slow connections cut at %.1f-%.1f s; %d normal requests, slowest %ld ms",
	     SLOW_CONNS, first / 1000.0, last / 1000.0, normal, worst);

	begin("slow body");
	assert_true(cut_at[SLOW_BODY] > 0);
	assert_true(cut_at[SLOW_BODY] >= IDLE_SECONDS * 1000L - 100);
	assert_true(cut_at[SLOW_BODY] <= IDLE_SECONDS * 1000L + 1500);
	held("a byte every 100 ms: cut after %.1f s", cut_at[SLOW_BODY] / 1000.0);

	begin("stalled body");
	assert_true(cut_at[STALLED] > 0);
	assert_true(cut_at[STALLED] >= IDLE_SECONDS * 1000L - 100);
	held("closed after %.1f s idle", cut_at[STALLED] / 1000.0);
}

/* ---- bodies and framing ----------------------------------------------- */

/* A declared body over the limit is refused from the headers alone: the
 * client sends none of it and still gets its 413. */
static void test_oversized_declared(void **state)
{
	(void)state;
	begin("oversized body (declared)");
	char req[512];
	int n = snprintf(req, sizeof req,
			 "POST /api/v1/mentors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
			 "Content-Type: application/json\r\nContent-Length: %u\r\n\r\n",
			 city_token, 100u << 20);
	struct httpc_response r;
	long t = now_ms();
	assert_int_equal(httpc_raw(srv.port, req, (size_t)n, &r), 0);
	t = now_ms() - t;
	assert_int_equal(r.status, 413);
	assert_true(r.closed);
	assert_true(t < 1000);
	httpc_response_release(&r);
	held("413 in %ld ms without a body byte sent", t);
}

/* The same for an upload route, whose limit is larger. */
static void test_oversized_upload(void **state)
{
	(void)state;
	begin("oversized upload (declared)");
	char req[512];
	int n = snprintf(req, sizeof req,
			 "POST /api/v1/imports/mentors?dry_run=1 HTTP/1.1\r\nHost: x\r\n"
			 "Authorization: Bearer %s\r\nContent-Type: text/csv\r\n"
			 "Content-Length: %u\r\n\r\n",
			 city_token, LIMIT_UPLOAD_BYTES + 1);
	struct httpc_response r;
	assert_int_equal(httpc_raw(srv.port, req, (size_t)n, &r), 0);
	assert_int_equal(r.status, 413);
	assert_true(r.closed);
	httpc_response_release(&r);
	held("413 for %u bytes declared (limit %u)", LIMIT_UPLOAD_BYTES + 1, LIMIT_UPLOAD_BYTES);
}

/* A chunked body has no declared size: it is counted as it arrives and
 * refused with 413 once past the limit; nothing is stored. */
static void test_chunked_over_limit(void **state)
{
	(void)state;
	begin("chunked body over limit");
	struct buf_s {
		char *p;
		size_t n;
	} b;
	size_t chunk = 64 * 1024, nchunks = (LIMIT_BODY_BYTES / chunk) + 4;
	b.p = malloc(1024 + nchunks * (chunk + 16) + 16);
	assert_non_null(b.p);
	b.n = (size_t)sprintf(b.p,
			      "POST /api/v1/mentors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
			      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
			      city_token);
	for (size_t i = 0; i < nchunks; i++) {
		b.n += (size_t)sprintf(b.p + b.n, "%zx\r\n", chunk);
		memset(b.p + b.n, i == 0 ? '[' : ' ', chunk);
		b.n += chunk;
		memcpy(b.p + b.n, "\r\n", 2);
		b.n += 2;
	}
	memcpy(b.p + b.n, "0\r\n\r\n", 5);
	b.n += 5;
	struct httpc_response r;
	assert_int_equal(httpc_raw(srv.port, b.p, b.n, &r), 0);
	free(b.p);
	assert_int_equal(r.status, 413);
	httpc_response_release(&r);
	/* The server is fine afterwards. */
	assert_int_equal(status_of("GET", "/api/v1/stats", city_token, NULL), 200);
	held("413 for %zu KiB chunked (limit %u KiB)", nchunks * chunk / 1024,
	     LIMIT_BODY_BYTES / 1024);
}

static int raw_status(const char *req, bool *closed)
{
	struct httpc_response r;
	if (httpc_raw(srv.port, req, strlen(req), &r) != 0)
		return -1;
	int st = r.status;
	if (closed)
		*closed = r.closed;
	httpc_response_release(&r);
	return st;
}

static void test_duplicate_content_length(void **state)
{
	(void)state;
	begin("duplicate Content-Length");
	char req[512];
	snprintf(req, sizeof req,
		 "POST /api/v1/vocab HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		 "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
		 city_token);
	bool closed = false;
	assert_int_equal(raw_status(req, &closed), 400);
	assert_true(closed);
	/* Equal values are refused too: one framing header, once. */
	snprintf(req, sizeof req,
		 "POST /api/v1/vocab HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		 "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
		 city_token);
	assert_int_equal(raw_status(req, NULL), 400);
	held("400 and closed");
}

static void test_content_length_and_chunked(void **state)
{
	(void)state;
	begin("Content-Length + Transfer-Encoding");
	char req[512];
	/* The classic smuggling shape: a second request hides in the body. */
	snprintf(req, sizeof req,
		 "POST /api/v1/vocab HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		 "Content-Type: application/json\r\nContent-Length: 4\r\n"
		 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/stats HTTP/1.1\r\nHost: x\r\n\r\n",
		 city_token);
	bool closed = false;
	assert_int_equal(raw_status(req, &closed), 400);
	assert_true(closed);
	snprintf(req, sizeof req,
		 "POST /api/v1/vocab HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
		 "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
		 city_token);
	assert_int_equal(raw_status(req, NULL), 400);
	held("400 and closed; smuggled request not answered");
}

/* ---- headers and URL -------------------------------------------------- */

static void test_many_headers(void **state)
{
	(void)state;
	begin("header flood (many headers)");
	size_t cap = 64 * 1024;
	char *req = malloc(cap);
	assert_non_null(req);
	size_t n = (size_t)sprintf(req, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; i < 1000 && n < cap - 64; i++)
		n += (size_t)sprintf(req + n, "X-Flood-%d: %d\r\n", i, i);
	memcpy(req + n, "\r\n", 3);
	int st = raw_status(req, NULL);
	free(req);
	assert_true(st == 431 || st == 400);
	assert_int_equal(status_of("GET", "/api/v1/stats", city_token, NULL), 200);
	held("1000 headers: %d", st);
}

static void test_huge_header(void **state)
{
	(void)state;
	begin("header flood (one huge header)");
	int statuses[2];
	size_t sizes[2] = {LIMIT_HEADER_BYTES + 1024, 256 * 1024};
	for (int k = 0; k < 2; k++) {
		char *req = malloc(sizes[k] + 256);
		assert_non_null(req);
		size_t n = (size_t)sprintf(req, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nX-Big: ");
		memset(req + n, 'b', sizes[k]);
		n += sizes[k];
		memcpy(req + n, "\r\n\r\n", 5);
		statuses[k] = raw_status(req, NULL);
		free(req);
		assert_true(statuses[k] == 431 || statuses[k] == 400);
	}
	held("%zu bytes: %d, %zu bytes: %d", sizes[0], statuses[0], sizes[1], statuses[1]);
}

static void test_long_url(void **state)
{
	(void)state;
	begin("long URL");
	size_t len = LIMIT_URL_BYTES + 100;
	char *req = malloc(len + 128);
	assert_non_null(req);
	size_t n = (size_t)sprintf(req, "GET /api/v1/mentors?q=");
	memset(req + n, 'q', len);
	n += len;
	memcpy(req + n, " HTTP/1.1\r\nHost: x\r\n\r\n", 23);
	int st = raw_status(req, NULL);
	free(req);
	assert_int_equal(st, 414);
	held("414 for %zu bytes", len);
}

/* ---- connections ------------------------------------------------------ */

/* One address may hold LIMIT_CONN_PER_ADDR connections; the next is
 * closed at once, the ones it holds still work, and other addresses are
 * not affected. */
static void test_per_address_limit(void **state)
{
	(void)state;
	begin("connections per address");
	int fd[LIMIT_CONN_PER_ADDR + 1];
	for (int i = 0; i < LIMIT_CONN_PER_ADDR; i++) {
		fd[i] = conn_from("127.0.0.30");
		assert_true(fd[i] >= 0);
	}
	sleep_ms(200); /* let the server accept them all */
	int extra = conn_from("127.0.0.30");
	assert_true(extra >= 0);
	assert_true(closed_within(extra, 1000));
	close(extra);
	/* Another address is served meanwhile. */
	assert_int_equal(status_of("GET", "/api/v1/stats", city_token, NULL), 200);
	/* A held connection still works. */
	char req[256];
	int n = snprintf(req, sizeof req,
			 "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
			 "Connection: close\r\n\r\n",
			 city_token);
	assert_true(send(fd[0], req, (size_t)n, MSG_NOSIGNAL) == n);
	char b[64] = "";
	struct pollfd p = {.fd = fd[0], .events = POLLIN};
	assert_int_equal(poll(&p, 1, 2000), 1);
	assert_true(recv(fd[0], b, sizeof b - 1, 0) > 12);
	assert_memory_equal(b, "HTTP/1.1 200", 12);
	for (int i = 0; i < LIMIT_CONN_PER_ADDR; i++)
		close(fd[i]);
	/* Freed slots are usable again. */
	sleep_ms(200);
	httpc_set_source("127.0.0.30");
	int st = status_of("GET", "/api/v1/stats", city_token, NULL);
	httpc_set_source(NULL);
	assert_int_equal(st, 200);
	held("%d held, the %dth closed at once; others served", LIMIT_CONN_PER_ADDR,
	     LIMIT_CONN_PER_ADDR + 1);
}

/* ---- password guessing ------------------------------------------------ */

/* Send `n` login requests on a keep-alive connection from `src`, one
 * after the other, and count the answers by status. (Pipelined requests
 * stall: libmicrohttpd 0.9.75 does not look at bytes already buffered
 * after it resumes a suspended connection until more arrive.) */
static void flood_logins(const char *src, const char *login, int n, int *n401, int *n429,
			 int *nother)
{
	char body[160], req[512];
	snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"wrong-guess-0000\"}", login);
	int rlen = snprintf(req, sizeof req,
			    "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
			    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			    strlen(body), body);
	enum { BATCH = 1 }; /* one at a time: see the note above */
	static char out[BATCH * 512];
	for (int i = 0; i < BATCH; i++)
		memcpy(out + (size_t)i * (size_t)rlen, req, (size_t)rlen);
	*n401 = *n429 = *nother = 0;
	int fd = -1, done = 0;
	static char in[1 << 16];
	size_t have = 0;
	while (done < n) {
		if (fd < 0) {
			fd = conn_from(src);
			assert_true(fd >= 0);
			have = 0;
		}
		int batch = n - done < BATCH ? n - done : BATCH;
		size_t len = (size_t)batch * (size_t)rlen;
		assert_true(send(fd, out, len, MSG_NOSIGNAL) == (ssize_t)len);
		int got = 0;
		bool eof = false;
		while (got < batch) {
			/* Parse whole responses at the front of `in`. */
			char *end = memmem(in, have, "\r\n\r\n", 4);
			if (end) {
				size_t head = (size_t)(end + 4 - in);
				char *cl = memmem(in, head, "Content-Length: ", 16);
				size_t blen = cl ? strtoul(cl + 16, NULL, 10) : 0;
				if (have >= head + blen) {
					int st = atoi(in + 9);
					*n401 += st == 401;
					*n429 += st == 429;
					*nother += st != 401 && st != 429;
					memmove(in, in + head + blen, have - head - blen);
					have -= head + blen;
					got++;
					continue;
				}
			}
			assert_false(eof);
			struct pollfd p = {.fd = fd, .events = POLLIN};
			assert_int_equal(poll(&p, 1, 10000), 1);
			ssize_t r = recv(fd, in + have, sizeof in - have, 0);
			assert_true(r >= 0);
			eof = r == 0;
			have += (size_t)r;
		}
		done += got;
		if (eof) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
}

/* Audit entries "login_rate_limited" after id `after` for `login`:
 * how many, and the largest refusal count they record. */
static void refusals_audited(json_int_t after, const char *login, int *entries, long *max)
{
	*entries = 0;
	*max = 0;
	for (;;) {
		char path[128];
		snprintf(path, sizeof path, "/api/v1/audit?after=%lld&limit=500", (long long)after);
		struct httpc_response r;
		assert_int_equal(httpc_request(srv.port, "GET", path, city_token, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		json_t *j = httpc_json(&r);
		httpc_response_release(&r);
		json_t *items = json_object_get(j, "items"), *it;
		size_t i;
		json_array_foreach(items, i, it) {
			after = json_integer_value(json_object_get(it, "id"));
			if (strcmp(json_string_value(json_object_get(it, "action")),
				   "login_rate_limited") ||
			    strcmp(json_string_value(json_object_get(it, "login")), login))
				continue;
			(*entries)++;
			json_t *oid = json_object_get(it, "object_id");
			long v = json_is_integer(oid) ? (long)json_integer_value(oid)
				 : json_is_string(oid) ? atol(json_string_value(oid))
						       : 0;
			*max = v > *max ? v : *max;
		}
		size_t n = json_array_size(items);
		json_decref(j);
		if (n < 500)
			break;
	}
}

static json_int_t last_audit_id(void)
{
	json_int_t last = 0;
	for (;;) {
		char path[128];
		snprintf(path, sizeof path, "/api/v1/audit?after=%lld&limit=500", (long long)last);
		struct httpc_response r;
		assert_int_equal(httpc_request(srv.port, "GET", path, city_token, NULL, &r), 0);
		json_t *j = httpc_json(&r);
		httpc_response_release(&r);
		json_t *items = json_object_get(j, "items");
		size_t n = json_array_size(items);
		if (n)
			last = json_integer_value(json_object_get(json_array_get(items, n - 1), "id"));
		json_decref(j);
		if (n < 500)
			return last;
	}
}

/* 10,000 wrong passwords for one account from one address: after
 * LOGIN_MAX_PAIR failures the rest are refused (429) without a password
 * check, the right password from there is refused too while the window
 * lasts, the real user from another address logs in, the refusals are
 * audited (sparsely) and counted, and after the window the account
 * works from the guessing address again. */
static void test_password_flood_one_account(void **state)
{
	(void)state;
	begin("10,000 guesses, one account");
	json_int_t mark = last_audit_id();
	int n401, n429, nother;
	long t0 = now_ms(), t = t0;
	flood_logins("127.0.0.40", "mentor", FLOOD, &n401, &n429, &nother);
	t = now_ms() - t;
	assert_int_equal(nother, 0);
	assert_int_equal(n401 + n429, FLOOD);
	/* Password checks: LOGIN_MAX_PAIR per window begun during the run. */
	long windows = t / (LOGIN_WINDOW * 1000L) + 2;
	assert_true(n401 >= LOGIN_MAX_PAIR);
	assert_true(n401 <= LOGIN_MAX_PAIR * windows);
	/* Still refused right after the last guess: even the right password
	 * (unless a new window began meanwhile, which lets it in). */
	if (login_status("127.0.0.40", "mentor", "bangdai-demo") != 429)
		assert_true(now_ms() - t0 >= LOGIN_WINDOW * 1000L);
	/* The real user, elsewhere, is not locked out. */
	assert_int_equal(login_status("127.0.0.41", "mentor", "bangdai-demo"), 200);
	/* Refusals audited: 1st, 2nd, 4th, ... of each window, with the count. */
	int entries;
	long max;
	refusals_audited(mark, "mentor", &entries, &max);
	assert_true(entries >= 1);
	assert_true(entries <= 15 * windows);
	assert_true(max >= 1 && (max & (max - 1)) == 0);
	flood_end = now_ms();
	held("%d x 401 (password checked), %d x 429 in %.1f s; %d audit entries (up to #%ld)", n401,
	     n429, t / 1000.0, entries, max);
}

/* When the window ends the account works from the guessing address
 * again. (Run after the next test, which fills the wait.) A window began
 * with the first guess, or later if the flood outlasted one: ask every
 * 250 ms (a refusal costs nothing) until a window after the last guess
 * has surely passed. */
static void test_login_window_ends(void **state)
{
	(void)state;
	begin("login window ends");
	assert_true(flood_end > 0);
	long end = flood_end + LOGIN_WINDOW * 1000L + 2000;
	int st;
	while ((st = login_status("127.0.0.40", "mentor", "bangdai-demo")) == 429 && now_ms() < end)
		sleep_ms(250);
	assert_int_equal(st, 200);
	held("in again %.1f s after the last guess", (now_ms() - flood_end) / 1000.0);
}

/* Guesses spread over many accounts from one address: after
 * LOGIN_MAX_ADDR failures that address is refused for every login, while
 * other addresses are not. */
static void test_password_flood_one_address(void **state)
{
	(void)state;
	begin("guesses over many accounts");
	long t = now_ms();
	int n401 = 0, n429 = 0;
	for (int i = 0; i < LOGIN_MAX_ADDR + 30; i++) {
		char login[32];
		snprintf(login, sizeof login, "ghost%d", i);
		int st = login_status("127.0.0.50", login, "wrong-guess-0000");
		assert_true(st == 401 || st == 429);
		n401 += st == 401;
		n429 += st == 429;
	}
	t = now_ms() - t;
	long windows = t / (LOGIN_WINDOW * 1000L) + 2;
	assert_true(n429 > 0);
	assert_true(n401 <= LOGIN_MAX_ADDR * windows);
	/* Blocked for a real account too, from that address only. */
	if (login_status("127.0.0.50", "auditor", "bangdai-demo") != 429) {
		/* the window may just have turned: then it let the user in */
		assert_true(now_ms() - t > LOGIN_WINDOW * 1000L);
	}
	assert_int_equal(login_status("127.0.0.51", "auditor", "bangdai-demo"), 200);
	held("%d x 401, %d x 429 from one address; other addresses log in", n401, n429);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slow_clients),
		cmocka_unit_test(test_oversized_declared),
		cmocka_unit_test(test_oversized_upload),
		cmocka_unit_test(test_chunked_over_limit),
		cmocka_unit_test(test_duplicate_content_length),
		cmocka_unit_test(test_content_length_and_chunked),
		cmocka_unit_test(test_many_headers),
		cmocka_unit_test(test_huge_header),
		cmocka_unit_test(test_long_url),
		cmocka_unit_test(test_per_address_limit),
		cmocka_unit_test(test_password_flood_one_account),
		cmocka_unit_test(test_password_flood_one_address),
		cmocka_unit_test(test_login_window_ends),
	};
	return cmocka_run_group_tests_name("abuse", tests, group_setup, group_teardown);
}
