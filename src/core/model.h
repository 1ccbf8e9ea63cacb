/*
 * model.h — the programme's records as plain structs (layer: core).
 *
 * Every text field is a fixed-size, NUL-terminated UTF-8 array, so a
 * record is one value with no pointers to own: it can be copied, zeroed
 * and passed between layers freely. Tag lists (domains, weaknesses) are
 * stored as ",a,b," (vocab codes wrapped in commas) so one substring test
 * finds a tag.
 */
#ifndef BANGDAI_CORE_MODEL_H
#define BANGDAI_CORE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"

#define M_NAME (LIMIT_NAME_BYTES + 1)
#define M_CODE (LIMIT_CODE_BYTES + 1)
#define M_PATH (LIMIT_PATH_BYTES + 1)
#define M_TEXT (LIMIT_TEXT_BYTES + 1)
#define M_TAGS 544  /* ",code,...," for LIMIT_TAGS codes of ~16 bytes */
#define M_TIME 24   /* "2026-11-27T22:27:30Z" */
#define M_SHORT 24  /* phone, id number, gender, enum names */

struct region {
	int64_t id;
	char code[M_CODE];
	char name[M_NAME];
	int level;
	int64_t parent_id;
	char parent_code[M_CODE];
	char path[M_PATH];
	double lat, lon;
	bool has_coords;
	char created_at[M_TIME], updated_at[M_TIME];
};

struct vocab {
	int64_t id;
	char kind[M_CODE];
	char code[M_CODE];
	char name[M_NAME];
	int sort;
};

struct mentor {
	int64_t id;
	char name[M_NAME];
	char gender[M_SHORT];
	char phone[M_SHORT];
	char id_number[M_SHORT];
	int birth_year;
	char region_code[M_CODE];
	char region_name[M_NAME];
	char region_path[M_PATH];
	int64_t region_id;
	char tier[M_SHORT];
	char source[M_CODE];
	char team_type[M_SHORT];
	char post[M_NAME];
	int capacity;
	int scores[4]; /* 四有: political, professional, style, reputation (0..100) */
	char domains[M_TAGS];
	char status[M_SHORT];
	char letter_no[M_CODE];
	char appointed_on[M_TIME];
	int64_t from_mentee_id;
	int version;
	char created_at[M_TIME], updated_at[M_TIME];
};

struct mentor_transition {
	int64_t id, mentor_id, user_id;
	char from_status[M_SHORT], to_status[M_SHORT], action[M_SHORT];
	char reason[M_TEXT];
	char at[M_TIME];
};

struct mentor_org {
	int64_t id;
	char name[M_NAME];
	char kind[M_SHORT];
	char region_code[M_CODE];
	char region_name[M_NAME];
	char region_path[M_PATH];
	int64_t region_id;
	int capacity;
	char domains[M_TAGS];
	char description[M_TEXT];
	char created_at[M_TIME], updated_at[M_TIME];
};

struct menu {
	int64_t id;
	char region_code[M_CODE];
	char region_name[M_NAME];
	char region_path[M_PATH];
	int64_t region_id;
	char name[M_NAME];
	int year;
	bool published;
	int nitems;
	char created_at[M_TIME], updated_at[M_TIME];
};

struct organisation {
	int64_t id;
	char name[M_NAME];
	char region_code[M_CODE];
	char region_name[M_NAME];
	char region_path[M_PATH];
	int64_t region_id;
	int stars;
	bool weak_lax, lagging, demonstration, weak_economy;
	bool was_weak_lax, was_lagging;
	int version;
	char created_at[M_TIME], updated_at[M_TIME];
};

struct org_star {
	int64_t id, org_id, user_id;
	int stars;
	char rated_on[M_TIME];
	char note[M_TEXT];
	char at[M_TIME];
};

struct mentee {
	int64_t id;
	char kind[M_SHORT]; /* "person" | "org" */
	char name[M_NAME];
	char gender[M_SHORT];
	char phone[M_SHORT];
	char id_number[M_SHORT];
	int birth_year;
	char region_code[M_CODE];
	char region_name[M_NAME];
	char region_path[M_PATH];
	int64_t region_id;
	int64_t org_id;
	char category[M_CODE];
	char post[M_NAME];
	char talent_team[M_CODE];
	char weaknesses[M_TAGS];
	char status[M_SHORT];
	int version;
	char created_at[M_TIME], updated_at[M_TIME];
};

struct user {
	int64_t id;
	char login[LIMIT_LOGIN_BYTES + 1];
	char role[M_SHORT];
	char region_code[M_CODE];
	char region_path[M_PATH];
	int64_t region_id;
	int64_t mentor_id, mentee_id;
	bool disabled;
	char created_at[M_TIME];
};

struct audit_entry {
	int64_t id;
	char at[M_TIME];
	int64_t user_id;
	char login[LIMIT_LOGIN_BYTES + 1];
	char client[48];
	char action[M_CODE];
	char object[M_CODE];
	char object_id[M_CODE];
	char *before_json; /* owned by the list that holds the entry */
	char *after_json;
	char prev_hash[65], hash[65];
};

/*
 * A list query: jurisdiction, optional filters, search, sort and page.
 * Empty strings and zero mean "no filter". `root_lo`/`root_hi` are the
 * range of region paths to scan (filled by the service from the caller's
 * jurisdiction and the `region` parameter). The service validates `sort`
 * against each resource's whitelist.
 */
struct list_query {
	char root_lo[M_PATH], root_hi[M_PATH];
	char q[M_NAME * 2];       /* folded search text (service folds it) */
	char status[M_SHORT];
	char tier[M_SHORT];
	char source[M_CODE];
	char team_type[M_SHORT];
	char category[M_CODE];
	char domain[M_CODE];      /* a tag that must be present */
	char kind[M_SHORT];
	int level;                /* regions: level filter; 0 = any */
	int flag;                 /* organisations: 1 weak_lax, 2 lagging, 3 demonstration, 4 weak_economy */
	int64_t only_id;          /* restrict to one record (own data) */
	int64_t parent_id;        /* regions: children of */
	int sort;                 /* resource-specific sort index, 0 = default */
	bool desc;
	int limit, offset;
};

#endif
