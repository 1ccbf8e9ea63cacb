/*
 * xfer.h — what import, export and templates share (layer: service,
 * internal): the column tables that map spreadsheet headers to the
 * fields of a record's spec, the value tables (tier 乡镇级 <-> township,
 * ...), the vocabularies by name, and CSV writing.
 *
 * A column table lists every field of the record's spec, in spec order,
 * with its Chinese header (what exports and templates write), the other
 * headers an import accepts for it (the JSON field name always works
 * too), and how a cell's text becomes the field's JSON value. Fields the
 * API does not take as input (id, status, created_at, ...) are exported
 * and, on import, read and dropped, so an exported file imports as is.
 */
#ifndef BANGDAI_SERVICE_XFER_H
#define BANGDAI_SERVICE_XFER_H

#include "core/buf.h"
#include "service/internal.h"

enum xcol_type {
	XC_TEXT,   /* text as written (trimmed) */
	XC_INT,    /* an integer; "85.0" is 85 */
	XC_NUM,    /* a number */
	XC_BOOL,   /* 是/否, Y/N, 1/0, TRUE/FALSE, √/× */
	XC_GENDER, /* 男/女 (男性, M, ...) */
	XC_PHONE,  /* spaces and dashes removed, +86 dropped */
	XC_IDNO,   /* a final x upper-cased */
	XC_YEAR,   /* 1975, 1975-03-01, 1975年3月, 1975.03: the year */
	XC_REGION, /* a region code, a name, or names "贺兰县/习岗镇" -> code */
	XC_VOCAB,  /* a vocabulary code or name -> code (arg: the kind) */
	XC_TAGS,   /* codes or names separated by 、,，;； -> array of codes */
	XC_ENUM,   /* a value of a fixed table (arg) by code or name */
	XC_ORG,    /* an organisation by id or name -> id */
	XC_OUTPUT, /* output only: exported; dropped on import (arg: value table) */
};

struct xcol {
	const char *field;   /* the spec's field name (the English header) */
	const char *header;  /* Chinese header */
	const char *aliases; /* more accepted headers, '|'-separated, or "" */
	enum xcol_type type;
	const char *arg;     /* vocabulary kind or value table name, or NULL */
	const char *example; /* template example, or NULL */
};

/* A list view of the service (svc_mentor_list, ...). */
typedef enum err (*xfer_list_fn)(struct service *s, const struct actor *a,
				 const struct svc_list_args *la, svc_row_fn fn, void *arg,
				 int64_t *total, struct errinfo *ei);

struct xkind {
	const char *name;                /* "mentors": the URL and CLI name */
	const char *title;               /* "导师": sheet and file titles */
	const char *object;              /* audit object: "mentor" */
	const struct field_spec *spec;
	const struct xcol *cols;         /* spec->n entries, spec order */
	int ncols;                       /* == spec->n (checked by the tests) */
	bool import;                     /* may be imported */
	xfer_list_fn list;               /* the list view exported */
	size_t rec_size;                 /* sizeof the record struct */
	/* For the large kinds: the list's own query in one statement, so an
	 * export of 100,000 rows does not page (see svc_export.c); NULL for
	 * the small kinds, which page through `list`. */
	enum err (*db_list)(struct store_conn *c, const struct list_query *q, db_row_fn fn,
			    void *arg, int64_t *total);
	const char *scope;               /* svc_list_scope's kind, and masking */
};

/* The kind called `name`, or NULL. */
const struct xkind *xfer_kind(const char *name);
/* Every kind, NULL-terminated. */
extern const struct xkind *const xfer_kinds[];

/* Map a value of table `table` ("tier", "team_type", "mentee_kind",
 * "level", "mstatus", "org_kind", "role") between its code and its
 * Chinese name. xfer_enum_code accepts the code, the name or an alias
 * (after trimming); NULL if unknown. xfer_enum_name answers the code
 * itself when it has no name. */
const char *xfer_enum_code(const char *table, const char *text);
const char *xfer_enum_name(const char *table, const char *code);
/* The names of a table's values joined by "、" into out. */
void xfer_enum_list(const char *table, char *out, size_t n);
/* Its names one by one (i from 0; NULL past the end). */
const char *xfer_enum_nth(const char *table, int i);

/* Vocabularies by kind, loaded once per import or export. */
struct xfer_vocab {
	struct vocab *v;
	size_t n;
	char (*norm_name)[M_NAME], (*norm_code)[M_NAME]; /* compared forms */
};
enum err xfer_vocab_load(struct store_conn *c, struct xfer_vocab *out);
void xfer_vocab_release(struct xfer_vocab *xv);
/* Code of `text` (a code or a name, compared without blanks and with
 * full-width brackets as ASCII) in vocabulary `kind`, or NULL. */
const char *xfer_vocab_code(const struct xfer_vocab *xv, const char *kind, const char *text);
/* Name of code in `kind`, or the code itself. */
const char *xfer_vocab_name(const struct xfer_vocab *xv, const char *kind, const char *code);

/* Does header text `h` (trimmed) name column `col`? */
bool xfer_header_is(const struct xcol *col, const char *h);
/* Headers that any kind ignores: 序号, 备注, and the two columns an
 * error file adds (行号, 错误说明). */
bool xfer_header_ignored(const char *h);

/* Append one CSV field (RFC 4180 quoting); text that a spreadsheet
 * would run as a formula (= + - @ at the start, or a tab or CR) gets a
 * leading apostrophe when `guard` is true. */
enum err xfer_csv_field(struct buf *b, const char *text, bool first, bool guard);

/* Trim ASCII blanks and the full-width space U+3000 from both ends of
 * in into out (n bytes). */
void xfer_trim(const char *in, char *out, size_t n);

#endif
