/*
 * api.h — the JSON API under /api/v1/ (layer: api).
 *
 * Turns requests into typed calls of the service and results into JSON.
 * Routes are one table (routes.c): method, path pattern, the roles that
 * may call it, the query keys it accepts, the body spec, and its handler;
 * the router checks the session, the role and the query keys before any
 * handler runs. The OpenAPI document is generated from the same table.
 */
#ifndef BANGDAI_API_API_H
#define BANGDAI_API_API_H

#include "core/err.h"
#include "core/msg.h"
#include "service/service.h"

struct api;

/* `svc` is borrowed and must outlive the api. Returns owned (api_free). */
struct api *api_new(struct service *svc);
void api_free(struct api *a);

/* Mark the session cookie "Secure" (when the server is reached over
 * HTTPS, e.g. behind a TLS proxy). Call before serving. */
void api_set_cookie_secure(struct api *a, bool on);

/* The request handler to give to the HTTP transport (borrowed from a). */
const struct msg_handler *api_handler(struct api *a);

/* The OpenAPI 3 document (returned owned). */
json_t *api_openapi(void);

#endif
