/*
 * xfer.c — the column tables of import and export, the value tables,
 * vocabularies by name and CSV writing (see xfer.h). Layer: service.
 *
 * Headers: the Chinese header first (exports write it), then what
 * programme offices' own rosters call the same thing. A header is
 * compared after trimming, ignoring ASCII case and blanks, and with
 * full-width brackets read as ASCII ones.
 */
#include "service/xfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* ---- value tables ----------------------------------------------------- */

struct xval {
	const char *table, *code, *name, *aliases;
};

static const struct xval values[] = {
	{"tier", "city", "市级", "市|市级导师库|市级库"},
	{"tier", "county", "县级", "县|区级|县(区)级|县级导师库|县级库"},
	{"tier", "township", "乡镇级", "乡镇|乡级|镇级|乡镇级导师库|乡镇库"},
	{"team_type", "expert", "专家型", "专家"},
	{"team_type", "experienced", "经验型", "经验"},
	{"team_type", "grassroots", "群众型", "群众"},
	{"mentee_kind", "person", "个人", "人员|干部|个人对象"},
	{"mentee_kind", "org", "组织", "党组织|村党组织|组织对象"},
	{"level", "1", "市", "市级|地市|城市"},
	{"level", "2", "县(区)", "县|区|县级市|县区|县级"},
	{"level", "3", "乡镇(街道)", "乡|镇|街道|乡镇|乡镇级"},
	{"level", "4", "村(社区)", "村|社区|村级"},
	{"mstatus", "nominated", "已推选", "乡镇推选"},
	{"mstatus", "shortlisted", "已初选", "县遴初选"},
	{"mstatus", "filed", "已备案", "市级备案"},
	{"mstatus", "active", "在聘", ""},
	{"mstatus", "paused", "暂停", ""},
	{"mstatus", "retired", "已退出", ""},
	{"mstatus", "rejected", "未通过", ""},
	{"org_kind", "party_org", "党组织", ""},
	{"org_kind", "enterprise", "企业", ""},
	{"role", "city_admin", "市级管理员", ""},
	{"role", "county_admin", "县级管理员", ""},
	{"role", "township_admin", "乡镇管理员", ""},
	{"role", "mentor", "导师", ""},
	{"role", "mentee", "帮带对象", ""},
	{"role", "auditor", "审计员", ""},
};
#define NVALUES (sizeof values / sizeof values[0])

/* Normalise for comparison: no blanks, ASCII lower case, full-width
 * brackets, comma and letters/digits read as ASCII. */
static void norm(const char *in, char *out, size_t n)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)in;
	while (*p && o + 4 < n) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		/* U+3000 ideographic space */
		if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 3;
			continue;
		}
		/* U+FF01..U+FF5E full-width ASCII: EF BC 81..EF BD 9E */
		if (p[0] == 0xEF && (p[1] == 0xBC || p[1] == 0xBD) && p[2] >= 0x80 && p[2] <= 0xBF) {
			unsigned cp = 0xFF00u + ((unsigned)(p[1] - 0xBC) << 6) + (p[2] - 0x80u);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				char c = (char)(cp - 0xFF01 + 0x21);
				out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
				p += 3;
				continue;
			}
		}
		char c = (char)*p++;
		out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[o] = '\0';
}

/* Is normalised `h` one of the '|'-separated names of `list`? */
static bool in_list(const char *h, const char *list)
{
	char one[160], n1[160];
	while (list && *list) {
		size_t k = strcspn(list, "|");
		snprintf(one, sizeof one, "%.*s", (int)k, list);
		norm(one, n1, sizeof n1);
		if (n1[0] && !strcmp(h, n1))
			return true;
		list += k;
		if (*list == '|')
			list++;
	}
	return false;
}

const char *xfer_enum_code(const char *table, const char *text)
{
	char h[160];
	norm(text, h, sizeof h);
	for (size_t i = 0; i < NVALUES; i++) {
		const struct xval *v = &values[i];
		if (strcmp(v->table, table))
			continue;
		if (in_list(h, v->code) || in_list(h, v->name) || in_list(h, v->aliases))
			return v->code;
	}
	return NULL;
}

const char *xfer_enum_name(const char *table, const char *code)
{
	for (size_t i = 0; i < NVALUES; i++)
		if (!strcmp(values[i].table, table) && !strcmp(values[i].code, code))
			return values[i].name;
	return code;
}

const char *xfer_enum_nth(const char *table, int i)
{
	for (size_t k = 0; k < NVALUES; k++)
		if (!strcmp(values[k].table, table) && i-- == 0)
			return values[k].name;
	return NULL;
}

void xfer_enum_list(const char *table, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; xfer_enum_nth(table, i); i++) {
		int k = snprintf(out + o, n - o, "%s%s", i ? "、" : "", xfer_enum_nth(table, i));
		if (k < 0 || (size_t)k >= n - o)
			break;
		o += (size_t)k;
	}
}

/* ---- headers ------------------------------------------------------- */

bool xfer_header_is(const struct xcol *col, const char *h)
{
	char nh[160];
	norm(h, nh, sizeof nh);
	return nh[0] && (in_list(nh, col->field) || in_list(nh, col->header) ||
			 in_list(nh, col->aliases));
}

bool xfer_header_ignored(const char *h)
{
	char nh[160];
	norm(h, nh, sizeof nh);
	return in_list(nh, "序号|备注|说明|行号|错误说明|row|error|errors|note|notes");
}

void xfer_trim(const char *in, char *out, size_t n)
{
	const char *s = in, *e = in + strlen(in);
	for (;;) {
		if (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++;
		else if (e - s >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
			s += 3;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - s >= 3 && !memcmp(e - 3, "\xE3\x80\x80", 3))
			e -= 3;
		else
			break;
	}
	size_t len = (size_t)(e - s);
	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* ---- vocabularies ----------------------------------------------------- */

static enum err add_vocab(void *arg, const void *row)
{
	struct xfer_vocab *xv = arg;
	if (xv->n % 64 == 0)
		xv->v = xreallocarray(xv->v, xv->n + 64, sizeof *xv->v);
	xv->v[xv->n++] = *(const struct vocab *)row;
	return ERR_OK;
}

enum err xfer_vocab_load(struct store_conn *c, struct xfer_vocab *out)
{
	memset(out, 0, sizeof *out);
	enum err e = db_vocab_list(c, "", add_vocab, out);
	if (e)
		return e;
	/* Names as compared, made once. */
	out->norm_name = xcalloc(out->n ? out->n : 1, sizeof *out->norm_name);
	out->norm_code = xcalloc(out->n ? out->n : 1, sizeof *out->norm_code);
	for (size_t i = 0; i < out->n; i++) {
		norm(out->v[i].name, out->norm_name[i], sizeof out->norm_name[i]);
		norm(out->v[i].code, out->norm_code[i], sizeof out->norm_code[i]);
	}
	return ERR_OK;
}

void xfer_vocab_release(struct xfer_vocab *xv)
{
	free(xv->v);
	free(xv->norm_name);
	free(xv->norm_code);
	memset(xv, 0, sizeof *xv);
}

const char *xfer_vocab_code(const struct xfer_vocab *xv, const char *kind, const char *text)
{
	char h[160];
	for (size_t i = 0; i < xv->n; i++)
		if (!strcmp(xv->v[i].code, text) && !strcmp(xv->v[i].kind, kind))
			return xv->v[i].code;
	norm(text, h, sizeof h);
	if (!h[0])
		return NULL;
	for (size_t i = 0; i < xv->n; i++)
		if (!strcmp(xv->v[i].kind, kind) &&
		    (!strcmp(h, xv->norm_name[i]) || !strcmp(h, xv->norm_code[i])))
			return xv->v[i].code;
	return NULL;
}

const char *xfer_vocab_name(const struct xfer_vocab *xv, const char *kind, const char *code)
{
	for (size_t i = 0; i < xv->n; i++)
		if (!strcmp(xv->v[i].kind, kind) && !strcmp(xv->v[i].code, code))
			return xv->v[i].name;
	return code;
}

/* ---- CSV -------------------------------------------------------------- */

enum err xfer_csv_field(struct buf *b, const char *text, bool first, bool guard)
{
	enum err e = ERR_OK;
	if (!first && (e = buf_putc(b, ',')))
		return e;
	bool lead = guard && (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
			      text[0] == '@' || text[0] == '\t' || text[0] == '\r');
	bool quote = lead || strpbrk(text, ",\"\r\n") != NULL;
	if (!quote)
		return buf_puts(b, text);
	if ((e = buf_putc(b, '"')))
		return e;
	if (lead && (e = buf_putc(b, '\'')))
		return e;
	for (const char *p = text; *p && !e; p++)
		e = *p == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *p);
	return e ? e : buf_putc(b, '"');
}

/* ---- the column tables -------------------------------------------------- */

#define OUT(f, h) {f, h, "", XC_OUTPUT, NULL, NULL}
#define OUTV(f, h, t) {f, h, "", XC_OUTPUT, t, NULL}

#define PHONE_ALIASES "手机号码|手机|联系电话|联系方式|电话|移动电话"
#define IDNO_ALIASES "身份证号码|公民身份号码|身份证|证件号码"
#define YEAR_ALIASES "出生年月|出生日期|出生年"
#define REGION_ALIASES "所属乡镇|所属乡镇(街道)|所属县区|所属村(社区)|地区代码|地区|所在地区|所在乡镇"
#define SCORE(f, h, al, ex) {f, h, al, XC_INT, NULL, ex}

static const struct xcol mentor_cols[] = {
	OUT("id", "编号"),
	{"name", "姓名", "导师姓名|名字", XC_TEXT, NULL, "侯修升"},
	{"gender", "性别", "", XC_GENDER, NULL, "男"},
	{"phone", "手机号", PHONE_ALIASES, XC_PHONE, NULL, "13800138000"},
	{"id_number", "身份证号", IDNO_ALIASES, XC_IDNO, NULL, "64012219750101123X"},
	{"birth_year", "出生年份", YEAR_ALIASES, XC_YEAR, NULL, "1975"},
	{"region", "所属地区", REGION_ALIASES, XC_REGION, NULL, NULL},
	OUT("region_name", "地区名称"),
	{"tier", "导师库层级", "层级|导师类型|导师层级|库别|导师库", XC_ENUM, "tier", "乡镇级"},
	{"source", "来源类型", "来源|导师来源", XC_VOCAB, "source", NULL},
	{"team_type", "三型", "三型类别|队伍类型|类型", XC_ENUM, "team_type", "经验型"},
	{"post", "职务", "现任职务|岗位|单位及职务", XC_TEXT, NULL, "村党支部书记"},
	{"capacity", "帮带容量", "帮带能力|容量|可带人数", XC_INT, NULL, "2"},
	SCORE("score_political", "政治素质", "政治素质高|政治素质评分", "90"),
	SCORE("score_professional", "业务能力", "业务能力强|业务能力评分", "88"),
	SCORE("score_style", "工作作风", "工作作风实|工作作风评分", "92"),
	SCORE("score_reputation", "群众口碑", "群众口碑好|群众口碑评分", "95"),
	{"domains", "擅长领域", "领域|专长|擅长|擅长方向|帮带领域", XC_TAGS, "domain", NULL},
	OUTV("status", "状态", "mstatus"),
	OUT("letter_no", "聘书编号"),
	OUT("appointed_on", "聘任日期"),
	OUT("from_mentee", "原帮带对象编号"),
	OUT("version", "版本"),
	OUT("created_at", "创建时间"),
	OUT("updated_at", "更新时间"),
};

static const struct xcol mentee_cols[] = {
	OUT("id", "编号"),
	{"kind", "对象类型", "帮带对象类型", XC_ENUM, "mentee_kind", "个人"},
	{"name", "姓名", "名称|对象名称|帮带对象|名字", XC_TEXT, NULL, "王小明"},
	{"gender", "性别", "", XC_GENDER, NULL, "女"},
	{"phone", "手机号", PHONE_ALIASES, XC_PHONE, NULL, "13900139000"},
	{"id_number", "身份证号", IDNO_ALIASES, XC_IDNO, NULL, "640122198803154564"},
	{"birth_year", "出生年份", YEAR_ALIASES, XC_YEAR, NULL, "1988"},
	{"region", "所属地区", REGION_ALIASES, XC_REGION, NULL, NULL},
	OUT("region_name", "地区名称"),
	{"organisation", "所属组织", "所属党组织|组织|组织编号", XC_ORG, NULL, ""},
	{"category", "人员类别", "类别|帮带对象类别|对象类别", XC_VOCAB, "category", NULL},
	{"post", "职务", "现任职务|岗位", XC_TEXT, NULL, "乡镇党政办干事"},
	{"talent_team", "人才队伍", "农村六支人才队伍|所属人才队伍", XC_VOCAB, "talent_team", NULL},
	{"weaknesses", "短板弱项", "短板|弱项|需帮带领域", XC_TAGS, "domain", NULL},
	OUT("status", "状态"),
	OUT("version", "版本"),
	OUT("created_at", "创建时间"),
	OUT("updated_at", "更新时间"),
};

static const struct xcol org_cols[] = {
	OUT("id", "编号"),
	{"name", "组织名称", "党组织名称|名称|村(社区)党组织|党组织", XC_TEXT, NULL, "新华村党支部"},
	{"region", "所属地区", "所属村(社区)|所属乡镇|地区代码|地区", XC_REGION, NULL, NULL},
	OUT("region_name", "地区名称"),
	OUT("stars", "星级"),
	{"weak_lax", "软弱涣散", "软弱涣散村|是否软弱涣散", XC_BOOL, NULL, "否"},
	{"lagging", "后进", "后进村|是否后进", XC_BOOL, NULL, "否"},
	{"demonstration", "示范村", "是否示范村", XC_BOOL, NULL, "是"},
	{"weak_economy", "集体经济薄弱", "集体经济薄弱村|是否集体经济薄弱", XC_BOOL, NULL, "否"},
	{"was_weak_lax", "曾为软弱涣散", "", XC_BOOL, NULL, "否"},
	{"was_lagging", "曾为后进", "", XC_BOOL, NULL, "否"},
	OUT("version", "版本"),
	OUT("created_at", "创建时间"),
	OUT("updated_at", "更新时间"),
};

static const struct xcol region_cols[] = {
	{"code", "地区代码", "代码|区划代码|行政区划代码|编码", XC_TEXT, NULL, NULL},
	{"name", "地区名称", "名称|地名", XC_TEXT, NULL, "新华村"},
	{"level", "层级", "级别|行政级别", XC_ENUM, "level", "村(社区)"},
	{"parent", "上级代码", "上级地区|上级|上级区划代码", XC_REGION, NULL, NULL},
	{"lat", "纬度", "", XC_NUM, NULL, "38.55"},
	{"lon", "经度", "", XC_NUM, NULL, "106.35"},
	OUT("path", "路径"),
	OUT("created_at", "创建时间"),
	OUT("updated_at", "更新时间"),
};

static const struct xcol mentor_org_cols[] = {
	OUT("id", "编号"),
	{"name", "组织名称", "", XC_TEXT, NULL, NULL},
	{"kind", "类型", "", XC_ENUM, "org_kind", NULL},
	{"region", "所属地区", "", XC_REGION, NULL, NULL},
	OUT("region_name", "地区名称"),
	{"capacity", "帮带容量", "", XC_INT, NULL, NULL},
	{"domains", "擅长领域", "", XC_TAGS, "domain", NULL},
	{"description", "简介", "", XC_TEXT, NULL, NULL},
	OUT("created_at", "创建时间"),
	OUT("updated_at", "更新时间"),
};

static const struct xcol menu_cols[] = {
	OUT("id", "编号"),
	{"region", "所属地区", "", XC_REGION, NULL, NULL},
	OUT("region_name", "地区名称"),
	{"name", "菜单名称", "", XC_TEXT, NULL, NULL},
	{"year", "年度", "", XC_INT, NULL, NULL},
	{"published", "已发布", "", XC_BOOL, NULL, NULL},
	OUT("items", "导师人数"),
	OUT("created_at", "创建时间"),
	OUT("updated_at", "更新时间"),
};

static const struct xcol user_cols[] = {
	OUT("id", "编号"),
	{"login", "登录名", "", XC_TEXT, NULL, NULL},
	{"role", "角色", "", XC_ENUM, "role", NULL},
	{"region", "所属地区", "", XC_REGION, NULL, NULL},
	{"mentor", "导师编号", "", XC_INT, NULL, NULL},
	{"mentee", "帮带对象编号", "", XC_INT, NULL, NULL},
	{"disabled", "已停用", "", XC_BOOL, NULL, NULL},
	OUT("created_at", "创建时间"),
};

#define NC(a) (sizeof(a) / sizeof((a)[0]))
#define KIND(nm, title, obj, spec, cols, imp, list, T, dbl, scope)                            \
	static const struct xkind kind_##T = {nm, title, obj, &spec, cols, (int)NC(cols), \
					       imp, list, sizeof(struct T), dbl, scope};   \
	_Static_assert(NC(cols) < 64, "column table")

KIND("mentors", "导师", "mentor", svc_mentor_spec, mentor_cols, true, svc_mentor_list, mentor,
     db_mentor_list, "mentor");
KIND("mentees", "帮带对象", "mentee", svc_mentee_spec, mentee_cols, true, svc_mentee_list,
     mentee, db_mentee_list, "mentee");
KIND("organisations", "党组织", "organisation", svc_org_spec, org_cols, true, svc_org_list,
     organisation, db_org_list, NULL);
KIND("regions", "地区", "region", svc_region_spec, region_cols, true, svc_region_list, region,
     db_region_list, NULL);
KIND("mentor-orgs", "帮带党组织", "mentor_org", svc_mentor_org_spec, mentor_org_cols, false,
     svc_mentor_org_list, mentor_org, NULL, NULL);
KIND("menus", "菜单", "menu", svc_menu_spec, menu_cols, false, svc_menu_list, menu, NULL, NULL);
KIND("users", "账号", "user", svc_user_spec, user_cols, false, svc_user_list, user, NULL, NULL);

const struct xkind *const xfer_kinds[] = {&kind_mentor,     &kind_mentee,   &kind_organisation,
					  &kind_region,     &kind_mentor_org, &kind_menu,
					  &kind_user,       NULL};

const struct xkind *xfer_kind(const char *name)
{
	for (int i = 0; xfer_kinds[i]; i++)
		if (!strcmp(xfer_kinds[i]->name, name))
			return xfer_kinds[i];
	return NULL;
}
