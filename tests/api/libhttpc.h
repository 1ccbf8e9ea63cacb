/*
 * libhttpc.h — helpers for the API test suites (tests/api/test_*.c).
 *
 * Starts the real `bangdai serve` as a child process on a free loopback
 * port and speaks HTTP/1.1 to it over raw sockets, so that the suites
 * test exactly what a client sees. Independent of src/ internals: it uses
 * only core/buf.h and jansson. Not thread-safe per response object; any
 * number of responses may be used from different threads.
 *
 *   struct httpc_server s;
 *   assert_int_equal(httpc_spawn_server(db, &s), 0);
 *   struct httpc_response r;
 *   assert_int_equal(httpc_request(s.port, "GET", "/api/v1/stats", tok, NULL, &r), 0);
 *   json_t *j = httpc_json(&r);
 *   ...
 *   json_decref(j);
 *   httpc_response_release(&r);
 *   httpc_stop_server(&s);
 */
#ifndef BANGDAI_TESTS_LIBHTTPC_H
#define BANGDAI_TESTS_LIBHTTPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

struct httpc_server {
	pid_t pid;            /* the child; 0 when not running */
	uint16_t port;        /* the port it listens on (127.0.0.1) */
	char dir[64];         /* private temporary folder (port file, log) */
	char log_path[128];   /* the server's stdout and stderr */
};

struct httpc_header {
	char *name;  /* owned, as received */
	char *value; /* owned, surrounding blanks removed */
};

struct httpc_response {
	int status;                   /* e.g. 200; interim 1xx answers are skipped */
	int nheaders;
	struct httpc_header *headers; /* owned */
	char *body;                   /* owned, NUL-terminated (NUL not counted) */
	size_t body_len;              /* decoded: chunked framing removed */
	int closed;                   /* the server closed the connection after it */
};

/*
 * Run `$BANGDAI_BIN serve --db DB_PATH --listen 127.0.0.1:0 --port-file F`
 * (BANGDAI_BIN defaults to ./bangdai), wait until F holds the port and the
 * port accepts connections (at most 10 s). `extra_args` (borrowed,
 * NULL-terminated, may be NULL) are appended to the command line.
 * On success fills *out and returns 0. On failure returns -1, prints why
 * and the server's log to stderr, and leaves nothing running.
 */
int httpc_spawn_server(const char *db_path, struct httpc_server *out);
int httpc_spawn_server_args(const char *db_path, const char *const *extra_args,
			    struct httpc_server *out);

/*
 * SIGTERM the server, wait up to 10 s, then SIGKILL. Removes its
 * temporary folder. Returns its exit status (0 = clean exit), 128 + N if
 * it died of signal N, -1 if it was not running. Safe to call twice.
 */
int httpc_stop_server(struct httpc_server *s);

/* Print the server's log so far to stderr (for a failing test). */
void httpc_dump_log(const struct httpc_server *s);

/*
 * One request on a fresh connection to 127.0.0.1:port with
 * "Connection: close". `token` (may be NULL) becomes
 * "Authorization: Bearer TOKEN"; `body` (may be NULL, NUL-terminated)
 * is sent with "Content-Type: application/json". All borrowed.
 * Fills *out (release with httpc_response_release) and returns 0, or
 * returns -1 if no complete response arrived within 10 s (*out is then
 * empty but may still be released).
 */
int httpc_request(uint16_t port, const char *method, const char *path, const char *token,
		  const char *body, struct httpc_response *out);

/*
 * As httpc_request, with extra header lines ("Name: value", borrowed,
 * NULL-terminated array, may be NULL), e.g. a Cookie and X-CSRF-Token.
 */
int httpc_request_h(uint16_t port, const char *method, const char *path, const char *token,
		    const char *const *headers, const char *body, struct httpc_response *out);

/*
 * Send `len` hand-crafted bytes (borrowed) on a fresh connection and read
 * the first final response (Content-Length, chunked, or up to close; no
 * body if the bytes start with "HEAD "). The server may close before
 * reading everything: what it answered is still returned. 0 or -1 as
 * httpc_request.
 */
int httpc_raw(uint16_t port, const char *bytes, size_t len, struct httpc_response *out);

/*
 * Connect this thread's later requests from `ipv4` (a loopback address
 * such as "127.0.0.2", so that the server sees another client), or from
 * the default address again with NULL. -1 if `ipv4` is not an address.
 */
int httpc_set_source(const char *ipv4);

/* Set to 1 to stop httpc_request and friends printing a refused
 * connection or one closed without an answer (expected in a test that
 * kills the server). */
extern int httpc_quiet;

/* Value of the first header `name` (case-insensitive), borrowed from r,
 * or NULL. */
const char *httpc_header(const struct httpc_response *r, const char *name);

/* The body parsed as JSON (duplicate keys rejected), returned owned
 * (json_decref), or NULL if it is not JSON. */
json_t *httpc_json(const struct httpc_response *r);

/* Free what *r owns and empty it. */
void httpc_response_release(struct httpc_response *r);

#endif
