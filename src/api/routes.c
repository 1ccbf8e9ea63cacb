/*
 * routes.c — the route table of /api/v1/: method, path, roles, accepted
 * query keys, body and response specs, and handler. Layer: api.
 * Authorisation is the `roles` column, checked by the router; the
 * service then checks jurisdiction on the data itself.
 */
#include "api/internal.h"

const char *const api_q_list[] = {"region", "q", "status", "tier", "source", "team_type",
				  "category", "domain", "kind", "level", "flag", "parent",
				  "sort", "order", "limit", "offset", NULL};
static const char *const q_vocab[] = {"kind", NULL};
static const char *const q_stats[] = {"region", "from", "to", NULL};
static const char *const q_audit[] = {"after", "limit", NULL};
static const char *const q_region[] = {"region", NULL};
static const char *const q_mentee[] = {"mentee", NULL};

#define V1 "/api/v1"

const struct route api_routes[] = {
	{"POST", V1 "/auth/login", R_PUBLIC, NULL, NULL, NULL, false, true,
	 "登录 Log in: answers {token}; also sets an HttpOnly session cookie", api_login},
	{"POST", V1 "/auth/logout", R_ANY, NULL, NULL, NULL, false, false, "退出 Log out", api_logout},
	{"GET", V1 "/auth/me", R_ANY, NULL, NULL, &svc_user_spec, false, false,
	 "当前用户 The caller's account", api_me},
	{"GET", V1 "/openapi.json", R_PUBLIC, NULL, NULL, NULL, false, false,
	 "This document", api_openapi_get},

	{"GET", V1 "/regions", R_ANY, api_q_list, NULL, &svc_region_spec, true, false,
	 "地区 Regions (search folds simplified/traditional)", api_region_list},
	{"POST", V1 "/regions", R_ADMIN, NULL, &svc_region_spec, &svc_region_spec, false, false,
	 "新建地区 Create a region under a parent", api_region_create},
	{"GET", V1 "/regions/{code}", R_ANY, NULL, NULL, &svc_region_spec, false, false,
	 "地区详情 One region", api_region_get},
	{"PATCH", V1 "/regions/{code}", R_ADMIN, NULL, &svc_region_spec, &svc_region_spec, false,
	 false, "修改地区 Update name or coordinates", api_region_update},

	{"GET", V1 "/vocab", R_ANY, q_vocab, NULL, &svc_vocab_spec, true, false,
	 "词表 Vocabularies: source, category, domain, talent_team", api_vocab_list},
	{"POST", V1 "/vocab", R_CITY, NULL, &svc_vocab_spec, &svc_vocab_spec, false, false,
	 "扩展词表 Add a vocabulary entry", api_vocab_create},

	{"GET", V1 "/mentors", R_ANY, api_q_list, NULL, &svc_mentor_spec, true, false,
	 "导师库 Mentors in the caller's jurisdiction", api_mentor_list},
	{"POST", V1 "/mentors", R_ADMIN, NULL, &svc_mentor_spec, &svc_mentor_spec, false, false,
	 "乡镇推选 Nominate a mentor", api_mentor_create},
	{"GET", V1 "/mentors/{id}", R_ANY, NULL, NULL, &svc_mentor_spec, false, false,
	 "导师详情 One mentor", api_mentor_get},
	{"PATCH", V1 "/mentors/{id}", R_ADMIN, NULL, &svc_mentor_spec, &svc_mentor_spec, false,
	 false, "修改导师 Update a mentor", api_mentor_update},
	{"POST", V1 "/mentors/{id}/transitions", R_ADMIN, NULL, &svc_transition_spec,
	 &svc_mentor_spec, false, false,
	 "遴选流程 Pipeline step: shortlist, file, appoint, pause, resume, retire, reject",
	 api_mentor_transition},
	{"GET", V1 "/mentors/{id}/transitions", R_ANY, NULL, NULL, &svc_transition_spec, true,
	 false, "遴选记录 The mentor's pipeline history", api_mentor_history},

	{"GET", V1 "/mentor-orgs", R_READ, api_q_list, NULL, &svc_mentor_org_spec, true, false,
	 "帮带党组织 Mentor organisations", api_mentor_org_list},
	{"POST", V1 "/mentor-orgs", R_ADMIN, NULL, &svc_mentor_org_spec, &svc_mentor_org_spec,
	 false, false, "新建帮带党组织 Create a mentor organisation", api_mentor_org_create},
	{"GET", V1 "/mentor-orgs/{id}", R_READ, NULL, NULL, &svc_mentor_org_spec, false, false,
	 "帮带党组织详情 One mentor organisation", api_mentor_org_get},
	{"PATCH", V1 "/mentor-orgs/{id}", R_ADMIN, NULL, &svc_mentor_org_spec,
	 &svc_mentor_org_spec, false, false, "修改帮带党组织 Update", api_mentor_org_update},

	{"GET", V1 "/menus", R_ANY, api_q_list, NULL, &svc_menu_spec, true, false,
	 "菜单 Menus of mentors (mentees see their county's published menu)", api_menu_list},
	{"POST", V1 "/menus", R_ADMIN, NULL, &svc_menu_spec, &svc_menu_spec, false, false,
	 "新建菜单 Create a county menu", api_menu_create},
	{"GET", V1 "/menus/{id}", R_ANY, NULL, NULL, &svc_menu_spec, false, false,
	 "菜单详情 One menu", api_menu_get},
	{"PATCH", V1 "/menus/{id}", R_ADMIN, NULL, &svc_menu_spec, &svc_menu_spec, false, false,
	 "修改菜单 Update or publish a menu", api_menu_update},
	{"GET", V1 "/menus/{id}/mentors", R_ANY, NULL, NULL, &svc_mentor_spec, true, false,
	 "菜单导师 The menu's mentors", api_menu_items_get},
	{"PUT", V1 "/menus/{id}/mentors", R_ADMIN, NULL, NULL, NULL, false, false,
	 "设置菜单导师 Replace the menu's mentors: {\"mentors\": [id, ...]}", api_menu_items_put},

	{"GET", V1 "/organisations", R_READ, api_q_list, NULL, &svc_org_spec, true, false,
	 "村(社区)党组织 Organisations", api_org_list},
	{"POST", V1 "/organisations", R_ADMIN, NULL, &svc_org_spec, &svc_org_spec, false, false,
	 "新建党组织 Create an organisation", api_org_create},
	{"GET", V1 "/organisations/{id}", R_READ, NULL, NULL, &svc_org_spec, false, false,
	 "党组织详情 One organisation", api_org_get},
	{"PATCH", V1 "/organisations/{id}", R_ADMIN, NULL, &svc_org_spec, &svc_org_spec, false,
	 false, "修改党组织 Update flags", api_org_update},
	{"GET", V1 "/organisations/{id}/stars", R_READ, NULL, NULL, &svc_org_star_spec, true,
	 false, "星级历史 Star-rating history", api_org_stars_get},
	{"POST", V1 "/organisations/{id}/stars", R_ADMIN, NULL, &svc_org_star_spec,
	 &svc_org_star_spec, false, false, "评定星级 Add a star rating", api_org_stars_add},

	{"GET", V1 "/mentees", R_ANY, api_q_list, NULL, &svc_mentee_spec, true, false,
	 "帮带对象 Mentees (people and organisations)", api_mentee_list},
	{"POST", V1 "/mentees", R_ADMIN, NULL, &svc_mentee_spec, &svc_mentee_spec, false, false,
	 "新建帮带对象 Create a mentee", api_mentee_create},
	{"GET", V1 "/mentees/{id}", R_ANY, NULL, NULL, &svc_mentee_spec, false, false,
	 "帮带对象详情 One mentee", api_mentee_get},
	{"PATCH", V1 "/mentees/{id}", R_ADMIN, NULL, &svc_mentee_spec, &svc_mentee_spec, false,
	 false, "修改帮带对象 Update a mentee", api_mentee_update},

	{"GET", V1 "/users", R_READ, api_q_list, NULL, &svc_user_spec, true, false,
	 "账号 Accounts in the caller's jurisdiction", api_user_list},
	{"POST", V1 "/users", R_ADMIN, NULL, &svc_user_spec, &svc_user_spec, false, true,
	 "新建账号 Create an account of lower rank: add \"password\"", api_user_create},
	{"PUT", V1 "/users/{code}/password", R_ANY, NULL, NULL, NULL, false, true,
	 "设置密码 Set a password: {\"password\": ...}", api_user_password},
	{"PUT", V1 "/users/{code}/disabled", R_ADMIN, NULL, NULL, NULL, false, false,
	 "停用账号 Disable or enable: {\"disabled\": true}", api_user_disable},

	{"GET", V1 "/audit", R_CITY | R_AUDITOR, q_audit, NULL, NULL, true, false,
	 "审计日志 The audit log (留痕)", api_audit_list},
	{"GET", V1 "/audit/verify", R_CITY | R_AUDITOR, NULL, NULL, NULL, false, true,
	 "校验审计链 Verify the audit hash chain", api_audit_verify},

	{"GET", V1 "/stats", R_READ, q_stats, NULL, NULL, false, false,
	 "统计 The programme's figures for a jurisdiction", api_stats},

	{"POST", V1 "/match/runs", R_ADMIN, NULL, NULL, NULL, false, true,
	 "科学匹配 Run matching: {method: auto|menu|team|groups, region, weights, reach_km, k, "
	 "seed, parent, wider, mentees}; answers the proposal with per-principle scores",
	 api_match_run_create},
	{"GET", V1 "/match/runs", R_READ, api_q_list, NULL, NULL, true, false,
	 "匹配记录 Matching runs, newest first", api_match_run_list},
	{"GET", V1 "/match/runs/{id}", R_READ, NULL, NULL, NULL, false, false,
	 "匹配方案 A run: proposals with their explanation, unmatched mentees with reasons and "
	 "alternatives, earlier rounds", api_match_run_get},
	{"POST", V1 "/match/runs/{id}/approve", R_ADMIN, NULL, NULL, NULL, false, false,
	 "审批 Approve: the proposals become pairings (status proposed)", api_match_run_approve},
	{"POST", V1 "/match/runs/{id}/discard", R_ADMIN, NULL, NULL, NULL, false, false,
	 "放弃 Discard a proposal", api_match_run_discard},
	{"GET", V1 "/match/rules", R_READ, q_region, NULL, NULL, true, false,
	 "锁定与禁止 Locks and bans in force", api_match_rule_list},
	{"POST", V1 "/match/rules", R_ADMIN, NULL, NULL, NULL, false, false,
	 "锁定或禁止配对 Lock or ban a pair: {kind: lock|ban, mentee, mentor, reason}",
	 api_match_rule_add},
	{"DELETE", V1 "/match/rules/{id}", R_ADMIN, NULL, NULL, NULL, false, false,
	 "撤销规则 Lift a lock or ban", api_match_rule_remove},
	{"GET", V1 "/match/choices", R_ADMIN | R_MENTEE | R_AUDITOR, q_mentee, NULL, NULL, true,
	 false, "点单 A mentee's ranked menu choices", api_match_choices_get},
	{"PUT", V1 "/match/choices", R_ADMIN | R_MENTEE, NULL, NULL, NULL, true, false,
	 "点单 Rank up to 5 mentors of a menu: {menu, mentors: [id, ...], mentee?}",
	 api_match_choices_put},
	{"PUT", V1 "/match/ranks", R_MENTOR, NULL, NULL, NULL, false, false,
	 "导师排序 A mentor ranks its applicants: {mentees: [id, ...]}", api_match_ranks_put},
	{"GET", V1 "/pairings", R_ANY, api_q_list, NULL, NULL, true, false,
	 "帮带对子 Pairings", api_pairing_list},
};
const int api_nroutes = (int)(sizeof api_routes / sizeof api_routes[0]);
