/*
 * fields.c — JSON <-> struct through declarative field tables.
 * Layer: core.
 */
#include "core/fields.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"

#define AT(rec, f) ((char *)(rec) + (f)->off)

int fields_find(const struct field_spec *spec, const char *name)
{
	for (int i = 0; i < spec->n; i++)
		if (strcmp(spec->fields[i].name, name) == 0)
			return i;
	return -1;
}

int date_valid(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static enum err set_str(const struct field *f, const json_t *v, void *rec, struct errinfo *ei)
{
	if (!json_is_string(v))
		return errinfo_set(ei, ERR_INVALID, f->name, "应为字符串 (must be a string)");
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (len != strlen(s) || !utf8_valid(s, len))
		return errinfo_set(ei, ERR_INVALID, f->name, "不是有效的文本 (invalid text)");
	if (len >= f->size || (f->max > 0 && utf8_len(s) > (size_t)f->max))
		return errinfo_set(ei, ERR_INVALID, f->name, "过长 (too long: at most %d characters)",
				   f->max > 0 ? (int)f->max : (int)f->size - 1);
	if ((f->flags & F_NONEMPTY) && len == 0)
		return errinfo_set(ei, ERR_INVALID, f->name, "不能为空 (must not be empty)");
	if (len > 0) {
		if ((f->flags & F_CODE) && !code_valid(s))
			return errinfo_set(ei, ERR_INVALID, f->name, "代码格式不正确 (bad code)");
		if ((f->flags & F_PHONE) && !phone_valid(s))
			return errinfo_set(ei, ERR_INVALID, f->name, "手机号格式不正确 (bad mobile number)");
		if ((f->flags & F_IDNO) && !id_number_valid(s))
			return errinfo_set(ei, ERR_INVALID, f->name, "身份证号不正确 (bad ID number)");
		if ((f->flags & F_DATE) && !date_valid(s))
			return errinfo_set(ei, ERR_INVALID, f->name, "日期格式应为 YYYY-MM-DD (bad date)");
	}
	memcpy(AT(rec, f), s, len + 1);
	return ERR_OK;
}

static enum err set_tags(const struct field *f, const json_t *v, void *rec, struct errinfo *ei)
{
	if (!json_is_array(v))
		return errinfo_set(ei, ERR_INVALID, f->name, "应为代码数组 (must be an array of codes)");
	size_t n = json_array_size(v);
	if (f->max > 0 && n > (size_t)f->max)
		return errinfo_set(ei, ERR_INVALID, f->name, "过多 (at most %d)", (int)f->max);
	char *out = AT(rec, f);
	size_t o = 0;
	if (n > 0)
		out[o++] = ',';
	for (size_t i = 0; i < n; i++) {
		const json_t *t = json_array_get(v, i);
		if (!json_is_string(t) || !code_valid(json_string_value(t)))
			return errinfo_set(ei, ERR_INVALID, f->name, "第%zu项不是有效代码 (item %zu is not a code)",
					   i + 1, i + 1);
		const char *s = json_string_value(t);
		size_t len = strlen(s);
		/* Duplicates are refused: a tag list is a set. */
		char probe[40];
		snprintf(probe, sizeof probe, ",%s,", s);
		out[o] = '\0';
		if (o > 0 && strstr(out, probe))
			return errinfo_set(ei, ERR_INVALID, f->name, "重复的代码 (duplicate code %s)", s);
		if (o + len + 2 >= f->size)
			return errinfo_set(ei, ERR_INVALID, f->name, "过长 (too long)");
		memcpy(out + o, s, len);
		o += len;
		out[o++] = ',';
	}
	out[o] = '\0';
	return ERR_OK;
}

static enum err set_ids(const struct field *f, const json_t *v, void *rec, struct errinfo *ei)
{
	if (!json_is_array(v) || json_array_size(v) > (size_t)f->max)
		return errinfo_set(ei, ERR_INVALID, f->name,
				   "应为最多 %d 个编号的数组 (array of at most %d ids)", (int)f->max,
				   (int)f->max);
	int64_t *ids = (int64_t *)AT(rec, f);
	int *n = (int *)((char *)rec + f->count_off);
	*n = 0;
	/* Duplicates are the service's to judge: some lists allow them. */
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *t = json_array_get(v, i);
		if (!json_is_integer(t) || json_integer_value(t) <= 0)
			return errinfo_set(ei, ERR_INVALID, f->name,
					   "第 %zu 项应为编号 (item %zu must be an id)", i + 1, i + 1);
		ids[(*n)++] = (int64_t)json_integer_value(t);
	}
	return ERR_OK;
}

/* Each element is read as a create by f->sub; an error names its path,
 * "items[3].due" (or "items[3]" for an element that is no object). */
static enum err set_objs(const struct field *f, const json_t *v, void *rec, struct errinfo *ei)
{
	if (!json_is_array(v) || json_array_size(v) > (size_t)f->max)
		return errinfo_set(ei, ERR_INVALID, f->name, "应为最多 %d 项的数组 (array of at most %d)",
				   (int)f->max, (int)f->max);
	char *base = AT(rec, f);
	int *n = (int *)((char *)rec + f->count_off);
	*n = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		uint64_t present;
		memset(base + i * f->elem, 0, f->elem);
		enum err e = fields_from_json(f->sub, json_array_get(v, i), base + i * f->elem,
					      &present, 1, ei);
		if (e) {
			char path[sizeof ei->field];
			if (ei->field[0])
				snprintf(path, sizeof path, "%s[%zu].%s", f->name, i, ei->field);
			else
				snprintf(path, sizeof path, "%s[%zu]", f->name, i);
			snprintf(ei->field, sizeof ei->field, "%s", path);
			return e;
		}
		(*n)++;
	}
	return ERR_OK;
}

static enum err set_one(const struct field *f, const json_t *v, void *rec, struct errinfo *ei)
{
	if ((f->flags & F_NULLIN) && json_is_null(v)) {
		memset(AT(rec, f), 0, f->size);
		return ERR_OK;
	}
	switch (f->type) {
	case F_IDS:
		return set_ids(f, v, rec, ei);
	case F_OBJS:
		return set_objs(f, v, rec, ei);
	case F_STR:
		return set_str(f, v, rec, ei);
	case F_TAGS:
		return set_tags(f, v, rec, ei);
	case F_BOOL:
		if (!json_is_boolean(v))
			return errinfo_set(ei, ERR_INVALID, f->name, "应为 true 或 false (must be a boolean)");
		*(bool *)AT(rec, f) = json_is_true(v);
		return ERR_OK;
	case F_INT:
	case F_I64: {
		if (!json_is_integer(v))
			return errinfo_set(ei, ERR_INVALID, f->name, "应为整数 (must be an integer)");
		json_int_t x = json_integer_value(v);
		if ((double)x < f->min || (double)x > f->max)
			return errinfo_set(ei, ERR_INVALID, f->name, "超出范围 %.0f..%.0f (out of range)",
					   f->min, f->max);
		if (f->type == F_INT)
			*(int *)AT(rec, f) = (int)x;
		else
			*(int64_t *)AT(rec, f) = (int64_t)x;
		return ERR_OK;
	}
	case F_NUM: {
		if (!json_is_number(v))
			return errinfo_set(ei, ERR_INVALID, f->name, "应为数字 (must be a number)");
		double x = json_number_value(v);
		if (!isfinite(x) || x < f->min || x > f->max)
			return errinfo_set(ei, ERR_INVALID, f->name, "超出范围 (out of range)");
		*(double *)AT(rec, f) = x;
		return ERR_OK;
	}
	}
	return ERR_INTERNAL;
}

enum err fields_from_json(const struct field_spec *spec, const json_t *obj, void *rec,
			  uint64_t *present, int create, struct errinfo *ei)
{
	if (!json_is_object(obj))
		return errinfo_set(ei, ERR_INVALID, NULL, "请求体应为 JSON 对象 (body must be a JSON object)");
	*present = 0;
	const char *key;
	const json_t *v;
	int next = 0; /* keys usually come in field order: try that first */
	json_object_foreach((json_t *)obj, key, v) {
		int i = next < spec->n && !strcmp(spec->fields[next].name, key)
				? next
				: fields_find(spec, key);
		next = i + 1;
		if (i < 0 || (spec->fields[i].flags & F_OUTPUT))
			return errinfo_set(ei, ERR_INVALID, key, "未知字段 (unknown field)");
		enum err e = set_one(&spec->fields[i], v, rec, ei);
		if (e)
			return e;
		*present |= 1ull << i;
	}
	if (create)
		for (int i = 0; i < spec->n; i++)
			if ((spec->fields[i].flags & F_REQUIRED) && !(*present & (1ull << i)))
				return errinfo_set(ei, ERR_INVALID, spec->fields[i].name,
						   "必填 (required)");
	return ERR_OK;
}

static json_t *tags_json(const char *s)
{
	json_t *a = json_array();
	while (*s) {
		if (*s == ',') {
			s++;
			continue;
		}
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		json_array_append_new(a, json_stringn(s, n));
		s += n;
	}
	return a;
}

json_t *fields_to_json(const struct field_spec *spec, const void *rec, int mask)
{
	json_t *o = json_object();
	for (int i = 0; i < spec->n; i++) {
		const struct field *f = &spec->fields[i];
		const char *p = (const char *)rec + f->off;
		json_t *v = NULL;
		switch (f->type) {
		case F_STR: {
			char masked[64];
			if (mask && (f->flags & (F_PHONE | F_IDNO)) && p[0]) {
				if (f->flags & F_PHONE)
					mask_phone(p, masked, sizeof masked);
				else
					mask_id_number(p, masked, sizeof masked);
				p = masked;
			}
			v = (p[0] || !(f->flags & F_NULLZERO)) ? json_string(p) : json_null();
			if (!v) /* not UTF-8: never expected, stored text is validated */
				v = json_string("");
			break;
		}
		case F_TAGS:
			v = tags_json(p);
			break;
		case F_BOOL:
			v = json_boolean(*(const bool *)p);
			break;
		case F_INT: {
			int x = *(const int *)p;
			v = (x || !(f->flags & F_NULLZERO)) ? json_integer(x) : json_null();
			break;
		}
		case F_I64: {
			int64_t x = *(const int64_t *)p;
			v = (x || !(f->flags & F_NULLZERO)) ? json_integer(x) : json_null();
			break;
		}
		case F_NUM:
			v = json_real(*(const double *)p);
			break;
		case F_IDS:
		case F_OBJS: {
			int n = *(const int *)((const char *)rec + f->count_off);
			v = json_array();
			for (int k = 0; k < n; k++)
				json_array_append_new(
					v, f->type == F_IDS
						   ? json_integer(((const int64_t *)p)[k])
						   : fields_to_json(f->sub, p + (size_t)k * f->elem, mask));
			break;
		}
		}
		json_object_set_new(o, f->name, v);
	}
	return o;
}

void fields_copy(const struct field_spec *spec, void *dst, const void *src, uint64_t present)
{
	for (int i = 0; i < spec->n; i++)
		if (present & (1ull << i)) {
			const struct field *f = &spec->fields[i];
			memcpy((char *)dst + f->off, (const char *)src + f->off, f->size);
			if (f->type == F_IDS || f->type == F_OBJS)
				memcpy((char *)dst + f->count_off, (const char *)src + f->count_off,
				       sizeof(int));
		}
}

/* ---- the same object as text, without building it -------------------- */

/* A JSON string as jansson writes it (JSON_COMPACT, no ESCAPE_SLASH or
 * ENSURE_ASCII): '"' '\\' and control characters escaped, the rest
 * verbatim. Returns false (nothing written) for text that is not UTF-8,
 * which json_string refuses. */
static bool put_jstring(struct buf *b, const char *s, size_t n)
{
	if (!utf8_valid(s, n))
		return false;
	buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\b': buf_puts(b, "\\b"); break;
		case '\f': buf_puts(b, "\\f"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default: buf_printf(b, "\\u%04X", c); break;
		}
	}
	buf_append(b, s + run, n - run);
	buf_putc(b, '"');
	return true;
}

/* An integer in decimal, as "%lld" writes it (printf cost a fifth of the
 * whole text). */
static void put_int(struct buf *b, long long v)
{
	char t[24], *p = t + sizeof t;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(t + sizeof t - p));
}

/* Field indices in key order, as JSON_SORT_KEYS writes them; remembered
 * per thread for the last few specs (a spec is static). */
static const int *key_order(const struct field_spec *spec)
{
	static _Thread_local struct {
		const struct field_spec *spec;
		int idx[64];
	} memo[8];
	static _Thread_local unsigned next;
	for (size_t i = 0; i < sizeof memo / sizeof memo[0]; i++)
		if (memo[i].spec == spec)
			return memo[i].idx;
	unsigned m = next++ % (sizeof memo / sizeof memo[0]);
	int *idx = memo[m].idx;
	for (int i = 0; i < spec->n; i++) {
		int j = i;
		for (; j > 0 && strcmp(spec->fields[idx[j - 1]].name, spec->fields[i].name) > 0; j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
	}
	memo[m].spec = spec;
	return idx;
}

/* The most bytes fields_to_json_text can write for rec: each byte of a
 * value becomes at most six ("\u001F") and a tag adds two quotes to its
 * comma; a number, a masked value or the rest of a member stays under 64;
 * a list of objects adds up its objects. */
static size_t text_bound(const struct field_spec *spec, const void *rec)
{
	size_t bound = 2;
	for (int i = 0; i < spec->n; i++) {
		const struct field *f = &spec->fields[i];
		const char *p = (const char *)rec + f->off;
		bound += strlen(f->name) + 64;
		if (f->type == F_STR || f->type == F_TAGS)
			bound += 8 * strnlen(p, f->size); /* tags: quotes */
		if (f->type == F_IDS || f->type == F_OBJS) {
			int n = *(const int *)((const char *)rec + f->count_off);
			for (int j = 0; j < n; j++)
				bound += f->type == F_IDS
						 ? 24
						 : 1 + text_bound(f->sub, p + (size_t)j * f->elem);
		}
	}
	return bound;
}

enum err fields_to_json_text(const struct field_spec *spec, const void *rec, int mask,
			     struct buf *b)
{
	if (spec->n > 64)
		return ERR_INTERNAL;
	/* Every append below then fits (the objects of a list included). */
	size_t bound = text_bound(spec, rec);
	if (bound > b->max - b->len || buf_reserve(b, bound))
		return ERR_TOO_LARGE;
	const int *order = key_order(spec);
	size_t start = b->len;
	buf_putc(b, '{');
	for (int k = 0; k < spec->n; k++) {
		const struct field *f = &spec->fields[order[k]];
		const char *p = (const char *)rec + f->off;
		if (k)
			buf_putc(b, ',');
		put_jstring(b, f->name, strlen(f->name));
		buf_putc(b, ':');
		switch (f->type) {
		case F_STR: {
			char masked[64];
			if (mask && (f->flags & (F_PHONE | F_IDNO)) && p[0]) {
				if (f->flags & F_PHONE)
					mask_phone(p, masked, sizeof masked);
				else
					mask_id_number(p, masked, sizeof masked);
				p = masked;
			}
			if (!p[0] && (f->flags & F_NULLZERO))
				buf_puts(b, "null");
			else if (!put_jstring(b, p, strlen(p)))
				buf_puts(b, "\"\"");
			break;
		}
		case F_TAGS: {
			bool first = true;
			buf_putc(b, '[');
			while (*p) {
				if (*p == ',') {
					p++;
					continue;
				}
				const char *e = strchr(p, ',');
				size_t n = e ? (size_t)(e - p) : strlen(p);
				if (!first)
					buf_putc(b, ',');
				if (put_jstring(b, p, n))
					first = false;
				else if (!first) /* jansson drops it: so do we */
					b->len--;
				p += n;
			}
			buf_putc(b, ']');
			break;
		}
		case F_BOOL:
			buf_puts(b, *(const bool *)p ? "true" : "false");
			break;
		case F_INT: {
			int x = *(const int *)p;
			if (!x && (f->flags & F_NULLZERO))
				buf_puts(b, "null");
			else
				put_int(b, x);
			break;
		}
		case F_I64: {
			int64_t x = *(const int64_t *)p;
			if (!x && (f->flags & F_NULLZERO))
				buf_puts(b, "null");
			else
				put_int(b, x);
			break;
		}
		case F_NUM: { /* jansson's own real format */
			json_t *v = json_real(*(const double *)p);
			char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			json_decref(v);
			buf_puts(b, t ? t : "null");
			free(t);
			break;
		}
		case F_IDS:
		case F_OBJS: {
			int n = *(const int *)((const char *)rec + f->count_off);
			buf_putc(b, '[');
			for (int j = 0; j < n; j++) {
				if (j)
					buf_putc(b, ',');
				if (f->type == F_IDS) {
					put_int(b, ((const int64_t *)p)[j]);
				} else if (fields_to_json_text(f->sub, p + (size_t)j * f->elem, mask, b)) {
					b->len = start; /* a sub-spec of over 64 fields */
					b->data[start] = '\0';
					return ERR_INTERNAL;
				}
			}
			buf_putc(b, ']');
			break;
		}
		}
	}
	buf_putc(b, '}');
	return ERR_OK;
}
