/*
 * err.h — the project's one error enum (layer: core, no I/O).
 *
 * Every function that can fail returns an `enum err`; 0 is success. Details
 * meant for a client (which field, which row) travel in `struct errinfo`,
 * filled by whoever detects the problem. The map from error to HTTP status
 * lives in the api layer, not here.
 */
#ifndef BANGDAI_CORE_ERR_H
#define BANGDAI_CORE_ERR_H

#include <stddef.h>

enum err {
	ERR_OK = 0,
	ERR_INVALID,     /* malformed input: bad JSON, wrong type, unknown field */
	ERR_UNAUTH,      /* no or expired session, wrong password */
	ERR_FORBIDDEN,   /* authenticated, but role or jurisdiction says no */
	ERR_NOT_FOUND,   /* no such object (or not visible to the caller) */
	ERR_CONFLICT,    /* duplicate key, illegal state transition, capacity */
	ERR_TOO_LARGE,   /* input larger than a named limit */
	ERR_UNPROCESSABLE, /* well-formed but fails a domain rule */
	ERR_RATE_LIMIT,  /* too many attempts */
	ERR_DB,          /* storage failed (logged where the response is decided) */
	ERR_IO,          /* file or socket failed */
	ERR_BUSY,        /* transient: database busy / serialisation failure */
	ERR_INTERNAL,    /* should not happen; logged */
	ERR__MAX
};

/* Stable machine-readable code, e.g. "invalid", "not_found". Never NULL. */
const char *err_code(enum err e);

/* Details for the client. All fields are NUL-terminated and may be empty. */
struct errinfo {
	enum err code;
	char field[64];    /* offending field (JSON name or column header) */
	char message[256]; /* human-readable, Chinese or English */
	long row;          /* 1-based input row (imports, instance files); 0 = none */
	long column;       /* 1-based column; 0 = none */
};

/*
 * Record an error in `ei` (which may be NULL) and return `e`, so callers can
 * write `return errinfo_set(ei, ERR_INVALID, "name", "必填");`.
 * `field` may be NULL. The message is printf-formatted and truncated.
 */
enum err errinfo_set(struct errinfo *ei, enum err e, const char *field,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reset `ei` to "no error". */
void errinfo_clear(struct errinfo *ei);

#endif
