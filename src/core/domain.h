/*
 * domain.h — the programme's fixed vocabulary and rules that need no I/O
 * (layer: core): roles, tiers, team types, mentor pipeline states and the
 * transitions between them, region paths and jurisdiction, masking.
 *
 * What a programme office can extend (person categories, source types,
 * domains, talent teams) is *data* (table `vocab`), not here.
 */
#ifndef BANGDAI_CORE_DOMAIN_H
#define BANGDAI_CORE_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum role {
	ROLE_NONE = 0,
	ROLE_CITY_ADMIN,
	ROLE_COUNTY_ADMIN,
	ROLE_TOWNSHIP_ADMIN,
	ROLE_MENTOR,
	ROLE_MENTEE,
	ROLE_AUDITOR,
	ROLE__MAX
};
/* "city_admin", ...; NULL for ROLE_NONE or out of range. */
const char *role_name(enum role r);
/* Parse a role name; ROLE_NONE if unknown. */
enum role role_parse(const char *s);
bool role_is_admin(enum role r);

/* Region levels: 1 city 市, 2 county 县/区/县级市, 3 township 乡/镇/街道,
 * 4 village/community 村/社区. */
enum { REGION_CITY = 1, REGION_COUNTY, REGION_TOWNSHIP, REGION_VILLAGE };

enum tier { TIER_NONE = 0, TIER_CITY, TIER_COUNTY, TIER_TOWNSHIP, TIER__MAX };
const char *tier_name(enum tier t);   /* "city" | "county" | "township" */
enum tier tier_parse(const char *s);

/* 三型 team types. */
enum team_type { TEAM_NONE = 0, TEAM_EXPERT, TEAM_EXPERIENCED, TEAM_GRASSROOTS, TEAM__MAX };
const char *team_type_name(enum team_type t); /* "expert" | "experienced" | "grassroots" */
enum team_type team_type_parse(const char *s);

/* The mentor selection pipeline. */
enum mstatus {
	MSTATUS_NONE = 0,
	MSTATUS_NOMINATED,   /* 乡镇推选 */
	MSTATUS_SHORTLISTED, /* 县遴初选 */
	MSTATUS_FILED,       /* 市级备案 */
	MSTATUS_ACTIVE,      /* appointed, letter issued 颁发聘书 */
	MSTATUS_PAUSED,
	MSTATUS_RETIRED,
	MSTATUS_REJECTED,
	MSTATUS__MAX
};
const char *mstatus_name(enum mstatus s);
enum mstatus mstatus_parse(const char *s);

enum maction {
	MACTION_NONE = 0,
	MACTION_SHORTLIST, MACTION_FILE, MACTION_APPOINT, MACTION_PAUSE,
	MACTION_RESUME, MACTION_RETIRE, MACTION_REJECT,
	MACTION__MAX
};
const char *maction_name(enum maction a);
enum maction maction_parse(const char *s);

/*
 * The transition table: from status `from`, action `a` leads to `*to`.
 * `*min_role` is the least powerful admin role allowed to take it
 * (city < county < township in power order: ROLE_CITY_ADMIN is the most).
 * `*needs_reason` is true for reject, pause and retire.
 * Returns ERR_CONFLICT if the action is not allowed from `from`.
 */
enum err mentor_transition(enum mstatus from, enum maction a, enum mstatus *to,
			   enum role *min_role, bool *needs_reason);

/* True if role `have` is at least as powerful as admin role `need`. */
bool role_at_least(enum role have, enum role need);

/*
 * Region paths are "/c1/c2/.../" built from region codes; a region's
 * subtree is exactly the set of paths that start with its path, compared
 * whole segment by segment (so "/K1/" never covers "/K10/").
 * Returns true if `path` is `root` or lies below it.
 */
bool path_within(const char *path, const char *root);

/* A valid region or vocabulary code: 1..LIMIT_CODE_BYTES of [0-9A-Za-z_-]. */
bool code_valid(const char *s);

/*
 * Mask a phone number ("13812345678" -> "138****5678") or an ID number
 * (keep the first 6 and last 4 characters). Writes at most `n` bytes to
 * `out`, always NUL-terminated. Works on bytes; inputs are ASCII digits
 * (validated on the way in).
 */
void mask_phone(const char *in, char *out, size_t n);
void mask_id_number(const char *in, char *out, size_t n);

/* Validate a mainland mobile number (11 digits, starts with 1) and an
 * 18-character resident ID number (17 digits + digit or X, checksum). */
bool phone_valid(const char *s);
bool id_number_valid(const char *s);

/* UTF-8 validity of `len` bytes (no overlongs, no surrogates, no NUL). */
bool utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8. */
size_t utf8_len(const char *s);

#endif
