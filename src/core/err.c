/*
 * err.c — names of the project's errors and the errinfo helpers.
 * Layer: core. Owns nothing.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const err_codes[ERR__MAX] = {
	[ERR_OK] = "ok",
	[ERR_INVALID] = "invalid",
	[ERR_UNAUTH] = "unauthorized",
	[ERR_FORBIDDEN] = "forbidden",
	[ERR_NOT_FOUND] = "not_found",
	[ERR_CONFLICT] = "conflict",
	[ERR_TOO_LARGE] = "too_large",
	[ERR_UNPROCESSABLE] = "unprocessable",
	[ERR_RATE_LIMIT] = "rate_limited",
	[ERR_DB] = "database",
	[ERR_IO] = "io",
	[ERR_BUSY] = "busy",
	[ERR_INTERNAL] = "internal",
};
_Static_assert(sizeof err_codes / sizeof err_codes[0] == ERR__MAX,
	       "one code per error");

const char *err_code(enum err e)
{
	if ((unsigned)e >= ERR__MAX || !err_codes[e])
		return "internal";
	return err_codes[e];
}

void errinfo_clear(struct errinfo *ei)
{
	if (ei)
		memset(ei, 0, sizeof *ei);
}

enum err errinfo_set(struct errinfo *ei, enum err e, const char *field,
		     const char *fmt, ...)
{
	if (!ei)
		return e;
	ei->code = e;
	snprintf(ei->field, sizeof ei->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ei->message, sizeof ei->message, fmt, ap);
	va_end(ap);
	return e;
}
