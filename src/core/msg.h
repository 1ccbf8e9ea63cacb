/*
 * msg.h — a request and its response as plain data (layer: core).
 *
 * The HTTP transport (src/http) fills a `struct msg_request` and calls a
 * `struct msg_handler`; the API layer (src/api) implements the handler.
 * Neither knows the other: the `serve` command wires them. Everything in a
 * request is borrowed from the transport for the duration of the call.
 */
#ifndef BANGDAI_CORE_MSG_H
#define BANGDAI_CORE_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

struct msg_request {
	const char *method;        /* "GET", "POST", ... */
	const char *path;          /* decoded path without query, e.g. "/api/v1/mentors/12" */
	const char *body;          /* NULL or body_len bytes (not NUL-terminated) */
	size_t body_len;
	const char *authorization; /* "Authorization" header or NULL */
	const char *cookie;        /* "Cookie" header or NULL */
	const char *csrf;          /* "X-CSRF-Token" header or NULL */
	const char *content_type;  /* "Content-Type" header or NULL */
	const char *client_addr;   /* textual peer address, e.g. "127.0.0.1" */
	/* Query string lookup: value of the first `key` (decoded) or NULL.
	 * A key given twice is reported by `query_dup`. */
	const char *(*query_get)(void *ctx, const char *key);
	/* Calls `fn` for every query key; the handler rejects unknown keys. */
	void (*query_each)(void *ctx, void (*fn)(void *arg, const char *key, const char *val),
			   void *arg);
	void *query_ctx;
};

#define MSG_MAX_HEADERS 8

struct msg_response {
	int status;                 /* HTTP status; 0 means 500 */
	const char *content_type;   /* static string; default "application/json; charset=utf-8" */
	struct buf body;            /* owned by the transport; handler appends */
	/* Extra headers (name and value copied in by msg_response_header). */
	int nheaders;
	char header_name[MSG_MAX_HEADERS][32];
	char header_value[MSG_MAX_HEADERS][512];
};

/* Add a response header; false if there is no room or it is too long. */
bool msg_response_header(struct msg_response *r, const char *name, const char *value);

struct msg_handler {
	/* True if the request may take long (password hashing, PDF, export):
	 * the transport then runs `handle` on a worker thread, not on the
	 * thread that serves other connections. Must be cheap and thread-safe. */
	bool (*is_slow)(void *ctx, const char *method, const char *path);
	/* The largest body this request may carry, from its method and
	 * decoded path (NULL, or an answer of 0: LIMIT_BODY_BYTES). Asked
	 * once the headers are in, before any body byte is read; larger
	 * Content-Lengths are refused with 413. Imports answer
	 * LIMIT_UPLOAD_BYTES. Must be cheap and thread-safe. */
	size_t (*max_body)(void *ctx, const char *method, const char *path);
	/* Answer the request; called concurrently from several threads. */
	void (*handle)(void *ctx, const struct msg_request *req, struct msg_response *res);
	void *ctx;
};

#endif
