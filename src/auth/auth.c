/*
 * auth.c — argon2id, tokens, and the jurisdiction rule. Layer: auth.
 */
#include "auth/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

/* About 0.1 s on the target machine: interactive limits, 64 MiB. */
#define PW_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

static pthread_once_t once = PTHREAD_ONCE_INIT, dummy_once = PTHREAD_ONCE_INIT;
static int init_rc = -1;
static char dummy_hash[AUTH_HASH_BYTES];

static void do_init(void) { init_rc = sodium_init() < 0 ? -1 : 0; }

enum err auth_init(void)
{
	pthread_once(&once, do_init);
	return init_rc == 0 ? ERR_OK : ERR_INTERNAL;
}

/* Made at the first login of an unknown name, not at start-up: a 64 MiB
 * argon2id costs every server start (and every test that starts one)
 * ~0.1-0.8 s. Should it fail, the hash stays "" and verifies nothing. */
static void make_dummy(void)
{
	char pw[AUTH_TOKEN_BYTES];
	auth_new_token(pw); /* a random password nobody knows */
	pw[32] = '\0';
	if (crypto_pwhash_str(dummy_hash, pw, 32, PW_OPSLIMIT, PW_MEMLIMIT) != 0)
		dummy_hash[0] = '\0';
}

const char *auth_dummy_hash(void)
{
	pthread_once(&dummy_once, make_dummy);
	return dummy_hash;
}

enum err auth_hash_password(const char *pw, size_t len, char out[AUTH_HASH_BYTES])
{
	_Static_assert(AUTH_HASH_BYTES >= crypto_pwhash_STRBYTES, "hash room");
	if (len < LIMIT_PASSWORD_MIN || len > LIMIT_PASSWORD_BYTES)
		return ERR_INVALID;
	if (crypto_pwhash_str(out, pw, len, PW_OPSLIMIT, PW_MEMLIMIT) != 0)
		return ERR_INTERNAL;
	return ERR_OK;
}

bool auth_check_password(const char *hash, const char *pw, size_t len)
{
	if (len > LIMIT_PASSWORD_BYTES)
		return false;
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

void auth_new_token(char out[AUTH_TOKEN_BYTES])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, AUTH_TOKEN_BYTES, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void auth_hash_hex(const void *data, size_t len, char out[AUTH_TOKEN_HASH_BYTES])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, data, len, NULL, 0);
	sodium_bin2hex(out, AUTH_TOKEN_HASH_BYTES, h, sizeof h);
}

void auth_token_hash(const char *token, char out[AUTH_TOKEN_HASH_BYTES])
{
	auth_hash_hex(token, strlen(token), out);
}

bool auth_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

bool auth_visible(const struct actor *a, const char *path, const char *kind, int64_t own_id)
{
	switch (a->role) {
	case ROLE_CITY_ADMIN:
	case ROLE_COUNTY_ADMIN:
	case ROLE_TOWNSHIP_ADMIN:
	case ROLE_AUDITOR:
		return a->region_path[0] && path_within(path, a->region_path);
	case ROLE_MENTOR:
		return kind && strcmp(kind, "mentor") == 0 && own_id && own_id == a->mentor_id;
	case ROLE_MENTEE:
		return kind && strcmp(kind, "mentee") == 0 && own_id && own_id == a->mentee_id;
	default:
		return false;
	}
}

bool auth_writable(const struct actor *a, const char *path)
{
	return role_is_admin(a->role) && a->region_path[0] && path_within(path, a->region_path);
}

bool auth_masks(const struct actor *a, const char *kind, int64_t own_id)
{
	if (role_is_admin(a->role))
		return false;
	if (a->role == ROLE_MENTOR && kind && strcmp(kind, "mentor") == 0 && own_id == a->mentor_id)
		return false;
	if (a->role == ROLE_MENTEE && kind && strcmp(kind, "mentee") == 0 && own_id == a->mentee_id)
		return false;
	return true;
}
