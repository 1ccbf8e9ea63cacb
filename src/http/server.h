/*
 * server.h — the HTTP transport on libmicrohttpd (layer: http).
 *
 * Owns the listening socket, connection limits, request parsing and
 * static files; hands every request under /api/ to a `struct msg_handler`
 * and serves everything else from the web root. It knows nothing of the
 * API's routes or of storage.
 */
#ifndef BANGDAI_HTTP_SERVER_H
#define BANGDAI_HTTP_SERVER_H

#include <stdint.h>

#include "core/err.h"
#include "core/msg.h"

struct http_config {
	const char *listen;   /* "HOST:PORT"; port 0 picks a free port */
	const char *web_root; /* folder of static files, or NULL for none */
	unsigned threads;     /* I/O threads; 0 = number of CPUs */
	unsigned workers;     /* worker threads for slow requests; 0 = 2 */
	unsigned idle_seconds; /* idle timeout, and the time a request has to send
				* its headers; 0 = LIMIT_IDLE_SECONDS */
};

struct http_server;

/*
 * Start serving. `h` is borrowed and must outlive the server.
 * On success *out is the running server (owned; stop with http_stop).
 * Errors: ERR_INVALID (bad listen address, in ei), ERR_IO (cannot bind).
 */
enum err http_start(const struct http_config *cfg, const struct msg_handler *h,
		    struct http_server **out, struct errinfo *ei);

/* The port actually bound (useful with port 0). */
uint16_t http_port(const struct http_server *s);

/* Stop accepting, finish running requests, free everything. NULL is a no-op. */
void http_stop(struct http_server *s);

#endif
