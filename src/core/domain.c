/*
 * domain.c — fixed vocabulary, the mentor pipeline table, region paths,
 * masking and input checks. Layer: core; no I/O, no allocation.
 */
#include "core/domain.h"

#include <string.h>

#include "core/limits.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const role_names[ROLE__MAX] = {
	[ROLE_CITY_ADMIN] = "city_admin",
	[ROLE_COUNTY_ADMIN] = "county_admin",
	[ROLE_TOWNSHIP_ADMIN] = "township_admin",
	[ROLE_MENTOR] = "mentor",
	[ROLE_MENTEE] = "mentee",
	[ROLE_AUDITOR] = "auditor",
};
_Static_assert(NELEM(role_names) == ROLE__MAX, "role names");

static const char *const tier_names[TIER__MAX] = {
	[TIER_CITY] = "city", [TIER_COUNTY] = "county", [TIER_TOWNSHIP] = "township",
};
_Static_assert(NELEM(tier_names) == TIER__MAX, "tier names");

static const char *const team_names[TEAM__MAX] = {
	[TEAM_EXPERT] = "expert", [TEAM_EXPERIENCED] = "experienced",
	[TEAM_GRASSROOTS] = "grassroots",
};
_Static_assert(NELEM(team_names) == TEAM__MAX, "team names");

static const char *const mstatus_names[MSTATUS__MAX] = {
	[MSTATUS_NOMINATED] = "nominated", [MSTATUS_SHORTLISTED] = "shortlisted",
	[MSTATUS_FILED] = "filed", [MSTATUS_ACTIVE] = "active",
	[MSTATUS_PAUSED] = "paused", [MSTATUS_RETIRED] = "retired",
	[MSTATUS_REJECTED] = "rejected",
};
_Static_assert(NELEM(mstatus_names) == MSTATUS__MAX, "status names");

static const char *const maction_names[MACTION__MAX] = {
	[MACTION_SHORTLIST] = "shortlist", [MACTION_FILE] = "file",
	[MACTION_APPOINT] = "appoint", [MACTION_PAUSE] = "pause",
	[MACTION_RESUME] = "resume", [MACTION_RETIRE] = "retire",
	[MACTION_REJECT] = "reject",
};
_Static_assert(NELEM(maction_names) == MACTION__MAX, "action names");

static const char *name_of(const char *const *names, unsigned n, unsigned v)
{
	return v < n ? names[v] : NULL;
}

static unsigned parse_of(const char *const *names, unsigned n, const char *s)
{
	if (!s)
		return 0;
	for (unsigned i = 1; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return 0;
}

const char *role_name(enum role r) { return name_of(role_names, ROLE__MAX, r); }
enum role role_parse(const char *s) { return parse_of(role_names, ROLE__MAX, s); }
const char *tier_name(enum tier t) { return name_of(tier_names, TIER__MAX, t); }
enum tier tier_parse(const char *s) { return parse_of(tier_names, TIER__MAX, s); }
const char *team_type_name(enum team_type t) { return name_of(team_names, TEAM__MAX, t); }
enum team_type team_type_parse(const char *s) { return parse_of(team_names, TEAM__MAX, s); }
const char *mstatus_name(enum mstatus s) { return name_of(mstatus_names, MSTATUS__MAX, s); }
enum mstatus mstatus_parse(const char *s) { return parse_of(mstatus_names, MSTATUS__MAX, s); }
const char *maction_name(enum maction a) { return name_of(maction_names, MACTION__MAX, a); }
enum maction maction_parse(const char *s) { return parse_of(maction_names, MACTION__MAX, s); }

bool role_is_admin(enum role r)
{
	return r == ROLE_CITY_ADMIN || r == ROLE_COUNTY_ADMIN || r == ROLE_TOWNSHIP_ADMIN;
}

/* Power order among admins: city > county > township. */
static int admin_rank(enum role r)
{
	switch (r) {
	case ROLE_CITY_ADMIN: return 3;
	case ROLE_COUNTY_ADMIN: return 2;
	case ROLE_TOWNSHIP_ADMIN: return 1;
	default: return 0;
	}
}

bool role_at_least(enum role have, enum role need)
{
	int h = admin_rank(have), n = admin_rank(need);
	return h > 0 && n > 0 && h >= n;
}

static const struct transition {
	enum mstatus from;
	enum maction action;
	enum mstatus to;
	enum role min_role;
	bool needs_reason;
} transitions[] = {
	{MSTATUS_NOMINATED, MACTION_SHORTLIST, MSTATUS_SHORTLISTED, ROLE_COUNTY_ADMIN, false},
	{MSTATUS_SHORTLISTED, MACTION_FILE, MSTATUS_FILED, ROLE_CITY_ADMIN, false},
	{MSTATUS_FILED, MACTION_APPOINT, MSTATUS_ACTIVE, ROLE_CITY_ADMIN, false},
	{MSTATUS_ACTIVE, MACTION_PAUSE, MSTATUS_PAUSED, ROLE_COUNTY_ADMIN, true},
	{MSTATUS_PAUSED, MACTION_RESUME, MSTATUS_ACTIVE, ROLE_COUNTY_ADMIN, false},
	{MSTATUS_ACTIVE, MACTION_RETIRE, MSTATUS_RETIRED, ROLE_COUNTY_ADMIN, true},
	{MSTATUS_PAUSED, MACTION_RETIRE, MSTATUS_RETIRED, ROLE_COUNTY_ADMIN, true},
	{MSTATUS_NOMINATED, MACTION_REJECT, MSTATUS_REJECTED, ROLE_COUNTY_ADMIN, true},
	{MSTATUS_SHORTLISTED, MACTION_REJECT, MSTATUS_REJECTED, ROLE_CITY_ADMIN, true},
	{MSTATUS_FILED, MACTION_REJECT, MSTATUS_REJECTED, ROLE_CITY_ADMIN, true},
};

enum err mentor_transition(enum mstatus from, enum maction a, enum mstatus *to,
			   enum role *min_role, bool *needs_reason)
{
	for (size_t i = 0; i < NELEM(transitions); i++) {
		const struct transition *t = &transitions[i];
		if (t->from == from && t->action == a) {
			*to = t->to;
			*min_role = t->min_role;
			*needs_reason = t->needs_reason;
			return ERR_OK;
		}
	}
	return ERR_CONFLICT;
}

bool path_within(const char *path, const char *root)
{
	size_t n = strlen(root);
	/* A well-formed path starts and ends with '/', so a whole-prefix
	 * match is a whole-segment match; "/" alone is the whole tree. */
	if (n < 1 || root[0] != '/' || root[n - 1] != '/')
		return false;
	return strncmp(path, root, n) == 0;
}

bool code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > LIMIT_CODE_BYTES)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void mask_keep(const char *in, size_t head, size_t tail, char *out, size_t n)
{
	size_t len = strlen(in);
	if (n == 0)
		return;
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < n; i++)
		out[o++] = (i < head || i + tail >= len) ? in[i] : '*';
	out[o] = '\0';
}

void mask_phone(const char *in, char *out, size_t n) { mask_keep(in, 3, 4, out, n); }
void mask_id_number(const char *in, char *out, size_t n) { mask_keep(in, 6, 4, out, n); }

bool phone_valid(const char *s)
{
	if (strlen(s) != 11 || s[0] != '1')
		return false;
	for (int i = 0; i < 11; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool id_number_valid(const char *s)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	if (strlen(s) != 18)
		return false;
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		sum += (s[i] - '0') * w[i];
	}
	char c = s[17] == 'x' ? 'X' : s[17];
	return c == check[sum % 11];
}

bool utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned cp;
		if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
		else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
		else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
		else return false;
		if (n >= len - i)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}
