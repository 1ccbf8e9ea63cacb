/*
 * fields.h — declarative field specs: one table per record type says how
 * its struct maps to JSON (layer: core; pure, uses jansson values only).
 *
 * The same table validates input (unknown fields rejected, types, lengths,
 * ranges, required on create) and writes output (with phone and ID numbers
 * masked on request), so the API, the audit log and the importers agree on
 * every name.
 */
#ifndef BANGDAI_CORE_FIELDS_H
#define BANGDAI_CORE_FIELDS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

enum ftype {
	F_STR,   /* char[size]; max = largest number of code points (0: size-1 bytes) */
	F_INT,   /* int; min..max */
	F_I64,   /* int64_t; min..max */
	F_NUM,   /* double; min..max */
	F_BOOL,  /* bool */
	F_TAGS,  /* char[size] ",a,b," <-> JSON array of codes; max = most tags */
	F_IDS,   /* int64_t[] <-> JSON array of ids (> 0), count in an int; max = most */
	F_OBJS,  /* struct[] <-> JSON array of objects read by `sub` (every
		    object a create), count in an int; max = most */
};

enum {
	F_REQUIRED = 1 << 0, /* must be given on create */
	F_OUTPUT = 1 << 1,   /* output only: an input that names it is refused */
	F_PHONE = 1 << 2,    /* a mobile number; masked on output when asked */
	F_IDNO = 1 << 3,     /* a resident ID number; masked likewise */
	F_CODE = 1 << 4,     /* a code: [0-9A-Za-z_-] only */
	F_NONEMPTY = 1 << 5, /* a string may not be empty when given */
	F_NULLZERO = 1 << 6, /* output 0 / "" as null */
	F_DATE = 1 << 7,     /* YYYY-MM-DD */
	F_NULLIN = 1 << 8,   /* an input null means 0 / "" (as if not given) */
};

struct field {
	const char *name;
	enum ftype type;
	size_t off, size;
	unsigned flags;
	double min, max;
	/* F_IDS, F_OBJS: where the count is, the size of one element, and
	 * (F_OBJS) the spec of one element. */
	size_t count_off, elem;
	const struct field_spec *sub;
};

#define FIELD(st, member, nm, ty, fl, mn, mx) \
	{ nm, ty, offsetof(struct st, member), sizeof(((struct st *)0)->member), fl, mn, mx, 0, 0, NULL }

/* An array of ids into `member` (an int64_t[]) with its count in `count`;
 * at most as many as fit. */
#define FIELD_IDS(st, member, count, nm, fl)                                                  \
	{ nm, F_IDS, offsetof(struct st, member), sizeof(((struct st *)0)->member), fl, 0,       \
	  (double)(sizeof(((struct st *)0)->member) / sizeof(((struct st *)0)->member[0])),      \
	  offsetof(struct st, count), sizeof(((struct st *)0)->member[0]), NULL }

/* An array of objects read by spec `sp` into `member` (a struct[]). */
#define FIELD_OBJS(st, member, count, nm, fl, sp)                                             \
	{ nm, F_OBJS, offsetof(struct st, member), sizeof(((struct st *)0)->member), fl, 0,      \
	  (double)(sizeof(((struct st *)0)->member) / sizeof(((struct st *)0)->member[0])),      \
	  offsetof(struct st, count), sizeof(((struct st *)0)->member[0]), sp }

struct field_spec {
	const char *name;           /* record name, for messages */
	const struct field *fields;
	int n;
};

/*
 * Fill `rec` from JSON object `obj`. Every key must name a field that is
 * not F_OUTPUT; *present gets bit i set for each field i given (so an
 * update touches only those). When `create` is true, F_REQUIRED fields
 * must be present. Errors: ERR_INVALID with the field name in ei.
 */
enum err fields_from_json(const struct field_spec *spec, const json_t *obj, void *rec,
			  uint64_t *present, int create, struct errinfo *ei);

/* New JSON object (returned owned) with every field of `rec`; phone and
 * ID number fields are masked when `mask` is true. */
json_t *fields_to_json(const struct field_spec *spec, const void *rec, int mask);

/* The text json_dumps(fields_to_json(spec, rec, mask), JSON_COMPACT |
 * JSON_SORT_KEYS) would give, appended to b, without building the object
 * (the audit log writes one per record written). Errors: ERR_TOO_LARGE
 * (b's limit; b unchanged). */
enum err fields_to_json_text(const struct field_spec *spec, const void *rec, int mask,
			     struct buf *b);

/* Index of the field called `name`, or -1. */
int fields_find(const struct field_spec *spec, const char *name);

/* Copy the fields whose bit is set in `present` from src to dst. */
void fields_copy(const struct field_spec *spec, void *dst, const void *src, uint64_t present);

/* True if s is "YYYY-MM-DD" with a real date. */
int date_valid(const char *s);

#endif
