/*
 * migrations.h — the ordered list of schema migrations (layer: store,
 * internal to it). Each is applied once, in a transaction, and recorded
 * in schema_version. Never edit a released migration: add the next one.
 */
#ifndef BANGDAI_STORE_MIGRATIONS_H
#define BANGDAI_STORE_MIGRATIONS_H

#include <stddef.h>

struct migration {
	int version;
	const char *sql; /* portable DDL; may use {{ID}}, {{BLOB}}, {{PATHTEXT}} */
};

extern const struct migration migrations[];
extern const size_t migrations_count;

#endif
