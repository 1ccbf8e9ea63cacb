/*
 * msg.c — helpers for the plain request/response pair. Layer: core.
 */
#include "core/msg.h"

#include <stdio.h>
#include <string.h>

bool msg_response_header(struct msg_response *r, const char *name, const char *value)
{
	if (r->nheaders >= MSG_MAX_HEADERS || strlen(name) >= sizeof r->header_name[0] ||
	    strlen(value) >= sizeof r->header_value[0])
		return false;
	snprintf(r->header_name[r->nheaders], sizeof r->header_name[0], "%s", name);
	snprintf(r->header_value[r->nheaders], sizeof r->header_value[0], "%s", value);
	r->nheaders++;
	return true;
}
