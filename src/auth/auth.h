/*
 * auth.h — passwords, tokens and the caller's identity (layer: auth).
 *
 * Pure functions on libsodium: argon2id password hashes, random session
 * tokens that are stored only as their BLAKE2b hash, and the one rule of
 * jurisdiction. No storage here: the service layer keeps sessions and
 * users, and calls auth_visible() on every read and write.
 */
#ifndef BANGDAI_AUTH_AUTH_H
#define BANGDAI_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/domain.h"
#include "core/err.h"
#include "core/limits.h"

/* Call once before any other function (idempotent, thread-safe).
 * ERR_INTERNAL if libsodium cannot initialise. */
enum err auth_init(void);

#define AUTH_HASH_BYTES 128   /* room for an encoded argon2id string */
#define AUTH_TOKEN_BYTES 44   /* 43 base64url chars + NUL */
#define AUTH_TOKEN_HASH_BYTES 65 /* 64 hex chars + NUL */

/*
 * Hash `pw` (len bytes) with argon2id (~0.1 s; run it off the I/O
 * threads). Writes an encoded string to `out`.
 * Errors: ERR_INVALID if the length is outside LIMIT_PASSWORD_MIN..
 * LIMIT_PASSWORD_BYTES; ERR_INTERNAL if hashing fails (out of memory).
 */
enum err auth_hash_password(const char *pw, size_t len, char out[AUTH_HASH_BYTES]);

/* True if `pw` matches the encoded hash. Constant time in the password. */
bool auth_check_password(const char *hash, const char *pw, size_t len);

/* A hash that no password matches, checked when a login is unknown so
 * that both paths cost the same. */
const char *auth_dummy_hash(void);

/* A new random token (256 bits, base64url, NUL-terminated). */
void auth_new_token(char out[AUTH_TOKEN_BYTES]);

/* Hex BLAKE2b-256 of a token: what the database keeps. */
void auth_token_hash(const char *token, char out[AUTH_TOKEN_HASH_BYTES]);

/* Hex BLAKE2b-256 of `len` bytes (audit chain). */
void auth_hash_hex(const void *data, size_t len, char out[AUTH_TOKEN_HASH_BYTES]);

/* Constant-time string equality. */
bool auth_equal(const char *a, const char *b);

/*
 * The caller of a request, as the service layer sees it. Filled from the
 * session; a zeroed actor (role ROLE_NONE) is anonymous.
 */
struct actor {
	int64_t user_id;
	enum role role;
	char login[LIMIT_LOGIN_BYTES + 1];
	char region_path[LIMIT_PATH_BYTES + 1]; /* jurisdiction root; "" = none */
	int64_t mentor_id;  /* role mentor: own mentor record, else 0 */
	int64_t mentee_id;  /* role mentee: own mentee record, else 0 */
	char client[48];    /* client address, for the audit log */
};

/*
 * The one jurisdiction rule: may `a` see an object that lies in region
 * `path` (and, for personal records, belongs to mentor/mentee `own_id` of
 * `kind` "mentor"/"mentee"; pass 0 and NULL for other objects)?
 * Admins and auditors see their region's subtree; a mentor or mentee only
 * its own record.
 */
bool auth_visible(const struct actor *a, const char *path, const char *kind, int64_t own_id);

/* May `a` change things in `path`? Admins in their subtree only. */
bool auth_writable(const struct actor *a, const char *path);

/* True if `a` must see phone and ID numbers masked on a record of
 * kind/own_id (auditors always; mentors and mentees except their own). */
bool auth_masks(const struct actor *a, const char *kind, int64_t own_id);

#endif
