/*
 * specs.c — the field specs of every record: the one place that names the
 * JSON fields, their types, limits and which are required on create.
 * Layer: service. The order of a spec's fields is the bit order of
 * `present` masks.
 */
#include <float.h>

#include "service/internal.h"

#define NF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define BIG 9007199254740991.0 /* 2^53-1: largest integer JSON carries exactly */

static const struct field region_fields[] = {
	FIELD(region, code, "code", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(region, name, "name", F_STR, F_REQUIRED | F_NONEMPTY, 0, 60),
	FIELD(region, level, "level", F_INT, F_REQUIRED, 1, 4),
	FIELD(region, parent_code, "parent", F_STR, F_CODE | F_NULLZERO, 0, 0),
	FIELD(region, lat, "lat", F_NUM, 0, -90, 90),
	FIELD(region, lon, "lon", F_NUM, 0, -180, 180),
	FIELD(region, path, "path", F_STR, F_OUTPUT, 0, 0),
	FIELD(region, created_at, "created_at", F_STR, F_OUTPUT, 0, 0),
	FIELD(region, updated_at, "updated_at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_region_spec = {"region", region_fields, NF(region_fields)};

static const struct field vocab_fields[] = {
	FIELD(vocab, kind, "kind", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(vocab, code, "code", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(vocab, name, "name", F_STR, F_REQUIRED | F_NONEMPTY, 0, 60),
	FIELD(vocab, sort, "sort", F_INT, 0, 0, 100000),
};
const struct field_spec svc_vocab_spec = {"vocab", vocab_fields, NF(vocab_fields)};

static const struct field mentor_fields[] = {
	FIELD(mentor, id, "id", F_I64, F_OUTPUT, 0, 0),
	FIELD(mentor, name, "name", F_STR, F_REQUIRED | F_NONEMPTY, 0, 40),
	FIELD(mentor, gender, "gender", F_STR, 0, 0, 2),
	FIELD(mentor, phone, "phone", F_STR, F_PHONE | F_NULLZERO, 0, 0),
	FIELD(mentor, id_number, "id_number", F_STR, F_IDNO | F_NULLZERO, 0, 0),
	FIELD(mentor, birth_year, "birth_year", F_INT, F_NULLZERO, 1900, 2100),
	FIELD(mentor, region_code, "region", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(mentor, region_name, "region_name", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentor, tier, "tier", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(mentor, source, "source", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(mentor, team_type, "team_type", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(mentor, post, "post", F_STR, 0, 0, 60),
	FIELD(mentor, capacity, "capacity", F_INT, 0, 1, LIMIT_CAPACITY),
	FIELD(mentor, scores[0], "score_political", F_INT, 0, 0, 100),
	FIELD(mentor, scores[1], "score_professional", F_INT, 0, 0, 100),
	FIELD(mentor, scores[2], "score_style", F_INT, 0, 0, 100),
	FIELD(mentor, scores[3], "score_reputation", F_INT, 0, 0, 100),
	FIELD(mentor, domains, "domains", F_TAGS, 0, 0, LIMIT_TAGS),
	FIELD(mentor, status, "status", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentor, letter_no, "letter_no", F_STR, F_OUTPUT | F_NULLZERO, 0, 0),
	FIELD(mentor, appointed_on, "appointed_on", F_STR, F_OUTPUT | F_NULLZERO, 0, 0),
	FIELD(mentor, from_mentee_id, "from_mentee", F_I64, F_OUTPUT | F_NULLZERO, 0, 0),
	FIELD(mentor, version, "version", F_INT, F_OUTPUT, 0, 0),
	FIELD(mentor, created_at, "created_at", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentor, updated_at, "updated_at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_mentor_spec = {"mentor", mentor_fields, NF(mentor_fields)};

static const struct field transition_fields[] = {
	FIELD(mentor_transition, id, "id", F_I64, F_OUTPUT, 0, 0),
	FIELD(mentor_transition, action, "action", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(mentor_transition, reason, "reason", F_STR, 0, 0, 1000),
	FIELD(mentor_transition, from_status, "from", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentor_transition, to_status, "to", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentor_transition, user_id, "user", F_I64, F_OUTPUT | F_NULLZERO, 0, 0),
	FIELD(mentor_transition, at, "at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_transition_spec = {"transition", transition_fields,
					       NF(transition_fields)};

static const struct field mentor_org_fields[] = {
	FIELD(mentor_org, id, "id", F_I64, F_OUTPUT, 0, 0),
	FIELD(mentor_org, name, "name", F_STR, F_REQUIRED | F_NONEMPTY, 0, 60),
	FIELD(mentor_org, kind, "kind", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(mentor_org, region_code, "region", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(mentor_org, region_name, "region_name", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentor_org, capacity, "capacity", F_INT, 0, 1, LIMIT_CAPACITY),
	FIELD(mentor_org, domains, "domains", F_TAGS, 0, 0, LIMIT_TAGS),
	FIELD(mentor_org, description, "description", F_STR, 0, 0, 1000),
	FIELD(mentor_org, created_at, "created_at", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentor_org, updated_at, "updated_at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_mentor_org_spec = {"mentor_org", mentor_org_fields,
					       NF(mentor_org_fields)};

static const struct field menu_fields[] = {
	FIELD(menu, id, "id", F_I64, F_OUTPUT, 0, 0),
	FIELD(menu, region_code, "region", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(menu, region_name, "region_name", F_STR, F_OUTPUT, 0, 0),
	FIELD(menu, name, "name", F_STR, F_REQUIRED | F_NONEMPTY, 0, 60),
	FIELD(menu, year, "year", F_INT, F_REQUIRED, 2000, 2100),
	FIELD(menu, published, "published", F_BOOL, 0, 0, 0),
	FIELD(menu, nitems, "items", F_INT, F_OUTPUT, 0, 0),
	FIELD(menu, created_at, "created_at", F_STR, F_OUTPUT, 0, 0),
	FIELD(menu, updated_at, "updated_at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_menu_spec = {"menu", menu_fields, NF(menu_fields)};

static const struct field org_fields[] = {
	FIELD(organisation, id, "id", F_I64, F_OUTPUT, 0, 0),
	FIELD(organisation, name, "name", F_STR, F_REQUIRED | F_NONEMPTY, 0, 60),
	FIELD(organisation, region_code, "region", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(organisation, region_name, "region_name", F_STR, F_OUTPUT, 0, 0),
	FIELD(organisation, stars, "stars", F_INT, F_OUTPUT, 0, 0),
	FIELD(organisation, weak_lax, "weak_lax", F_BOOL, 0, 0, 0),
	FIELD(organisation, lagging, "lagging", F_BOOL, 0, 0, 0),
	FIELD(organisation, demonstration, "demonstration", F_BOOL, 0, 0, 0),
	FIELD(organisation, weak_economy, "weak_economy", F_BOOL, 0, 0, 0),
	FIELD(organisation, was_weak_lax, "was_weak_lax", F_BOOL, 0, 0, 0),
	FIELD(organisation, was_lagging, "was_lagging", F_BOOL, 0, 0, 0),
	FIELD(organisation, version, "version", F_INT, F_OUTPUT, 0, 0),
	FIELD(organisation, created_at, "created_at", F_STR, F_OUTPUT, 0, 0),
	FIELD(organisation, updated_at, "updated_at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_org_spec = {"organisation", org_fields, NF(org_fields)};

static const struct field org_star_fields[] = {
	FIELD(org_star, id, "id", F_I64, F_OUTPUT, 0, 0),
	FIELD(org_star, stars, "stars", F_INT, F_REQUIRED, 1, 5),
	FIELD(org_star, rated_on, "rated_on", F_STR, F_REQUIRED | F_DATE, 0, 0),
	FIELD(org_star, note, "note", F_STR, 0, 0, 1000),
	FIELD(org_star, user_id, "user", F_I64, F_OUTPUT | F_NULLZERO, 0, 0),
	FIELD(org_star, at, "at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_org_star_spec = {"org_star", org_star_fields, NF(org_star_fields)};

static const struct field mentee_fields[] = {
	FIELD(mentee, id, "id", F_I64, F_OUTPUT, 0, 0),
	FIELD(mentee, kind, "kind", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(mentee, name, "name", F_STR, F_REQUIRED | F_NONEMPTY, 0, 60),
	FIELD(mentee, gender, "gender", F_STR, 0, 0, 2),
	FIELD(mentee, phone, "phone", F_STR, F_PHONE | F_NULLZERO, 0, 0),
	FIELD(mentee, id_number, "id_number", F_STR, F_IDNO | F_NULLZERO, 0, 0),
	FIELD(mentee, birth_year, "birth_year", F_INT, F_NULLZERO, 1900, 2100),
	FIELD(mentee, region_code, "region", F_STR, F_REQUIRED | F_CODE | F_NONEMPTY, 0, 0),
	FIELD(mentee, region_name, "region_name", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentee, org_id, "organisation", F_I64, F_NULLZERO, 0, BIG),
	FIELD(mentee, category, "category", F_STR, F_CODE, 0, 0),
	FIELD(mentee, post, "post", F_STR, 0, 0, 60),
	FIELD(mentee, talent_team, "talent_team", F_STR, F_CODE, 0, 0),
	FIELD(mentee, weaknesses, "weaknesses", F_TAGS, 0, 0, LIMIT_TAGS),
	FIELD(mentee, status, "status", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentee, version, "version", F_INT, F_OUTPUT, 0, 0),
	FIELD(mentee, created_at, "created_at", F_STR, F_OUTPUT, 0, 0),
	FIELD(mentee, updated_at, "updated_at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_mentee_spec = {"mentee", mentee_fields, NF(mentee_fields)};

static const struct field user_fields[] = {
	FIELD(user, id, "id", F_I64, F_OUTPUT, 0, 0),
	FIELD(user, login, "login", F_STR, F_REQUIRED | F_NONEMPTY | F_CODE, 0, LIMIT_LOGIN_BYTES),
	FIELD(user, role, "role", F_STR, F_REQUIRED | F_NONEMPTY, 0, 0),
	FIELD(user, region_code, "region", F_STR, F_CODE | F_NULLZERO, 0, 0),
	FIELD(user, mentor_id, "mentor", F_I64, F_NULLZERO, 0, BIG),
	FIELD(user, mentee_id, "mentee", F_I64, F_NULLZERO, 0, BIG),
	FIELD(user, disabled, "disabled", F_BOOL, F_OUTPUT, 0, 0),
	FIELD(user, created_at, "created_at", F_STR, F_OUTPUT, 0, 0),
};
const struct field_spec svc_user_spec = {"user", user_fields, NF(user_fields)};

/* ---- request bodies of matching and of a pairing's life ---------------- */

static const struct field match_rule_in_fields[] = {
	FIELD(svc_match_rule_in, kind, "kind", F_STR, 0, 0, 0),
	FIELD(svc_match_rule_in, mentee, "mentee", F_I64, F_REQUIRED, 1, BIG),
	FIELD(svc_match_rule_in, mentor, "mentor", F_I64, F_REQUIRED, 1, BIG),
	FIELD(svc_match_rule_in, reason, "reason", F_STR, 0, 0, 0),
};
const struct field_spec svc_match_rule_in_spec = {"match_rule_in", match_rule_in_fields,
						  NF(match_rule_in_fields)};

static const struct field choices_in_fields[] = {
	FIELD(svc_choices_in, mentee, "mentee", F_I64, 0, 1, BIG),
	FIELD(svc_choices_in, menu, "menu", F_I64, F_REQUIRED, 1, BIG),
	FIELD_IDS(svc_choices_in, mentors, nmentors, "mentors", F_REQUIRED),
};
const struct field_spec svc_choices_in_spec = {"choices_in", choices_in_fields,
					       NF(choices_in_fields)};

static const struct field ranks_in_fields[] = {
	FIELD_IDS(svc_ranks_in, mentees, nmentees, "mentees", F_REQUIRED),
};
const struct field_spec svc_ranks_in_spec = {"ranks_in", ranks_in_fields, NF(ranks_in_fields)};

static const struct field pairing_new_fields[] = {
	FIELD_IDS(svc_pairing_new, mentors, nmentors, "mentors", F_REQUIRED),
	FIELD_IDS(svc_pairing_new, mentees, nmentees, "mentees", F_REQUIRED),
	FIELD(svc_pairing_new, mode, "mode", F_STR, 0, 0, 0),
	FIELD(svc_pairing_new, project, "project", F_I64, F_NULLIN | F_NULLZERO, 1, BIG),
};
const struct field_spec svc_pairing_new_spec = {"pairing_new", pairing_new_fields,
						NF(pairing_new_fields)};

static const struct field plan_new_fields[] = {
	FIELD(svc_plan_new, year, "year", F_INT, 0, 2000, 2100),
};
const struct field_spec svc_plan_new_spec = {"plan_new", plan_new_fields, NF(plan_new_fields)};

static const struct field plan_edit_in_fields[] = {
	FIELD_OBJS(svc_plan_edit_in, items, nitems, "items", 0, &svc_plan_item_in_spec),
};
const struct field_spec svc_plan_edit_in_spec = {"plan_edit_in", plan_edit_in_fields,
						 NF(plan_edit_in_fields)};

static const struct field pairing_ids_fields[] = {
	FIELD_IDS(svc_pairing_ids, pairings, npairings, "pairings", F_REQUIRED),
};
const struct field_spec svc_pairing_ids_spec = {"pairing_ids", pairing_ids_fields,
						NF(pairing_ids_fields)};
