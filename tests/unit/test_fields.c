/*
 * test_fields.c — the field types of request bodies (core/fields.h):
 * arrays of ids (F_IDS) and arrays of objects read by their own spec
 * (F_OBJS), through the specs of the matching and pairing-life bodies
 * (service/specs.c): limits, wrong types, the field an error names
 * (nested ones by their path), null read as "not set" (F_NULLIN), and the
 * JSON written back (the text form the same bytes as jansson's).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/fields.h"
#include "service/service.h"

/* Parse `text` by spec into rec (create): the error, with ei's field. */
static enum err parse(const struct field_spec *spec, const char *text, void *rec,
		      uint64_t *present, struct errinfo *ei)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	assert_non_null(j);
	errinfo_clear(ei);
	enum err e = fields_from_json(spec, j, rec, present, 1, ei);
	json_decref(j);
	return e;
}

/* The body is refused, naming `field`. */
static void refused(const struct field_spec *spec, const char *text, const char *field)
{
	static char rec[1 << 16];
	uint64_t present;
	struct errinfo ei;
	memset(rec, 0, sizeof rec);
	assert_int_equal(parse(spec, text, rec, &present, &ei), ERR_INVALID);
	if (strcmp(ei.field, field))
		fail_msg("%s: field \"%s\", want \"%s\"", text, ei.field, field);
}

static void test_ids(void **state)
{
	(void)state;
	struct svc_choices_in in;
	uint64_t present;
	struct errinfo ei;
	memset(&in, 0, sizeof in);
	/* Duplicates pass: the service judges them (a menu refuses them). */
	assert_int_equal(parse(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[3,1,3]}", &in,
			       &present, &ei),
			 ERR_OK);
	assert_int_equal(in.menu, 7);
	assert_int_equal(in.mentee, 0);
	assert_int_equal(in.nmentors, 3);
	assert_int_equal(in.mentors[0], 3);
	assert_int_equal(in.mentors[1], 1);
	assert_int_equal(in.mentors[2], 3);
	/* An empty list is a list. */
	assert_int_equal(parse(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[]}", &in, &present,
			       &ei),
			 ERR_OK);
	assert_int_equal(in.nmentors, 0);
	/* The limit is what fits: SVC_MAX_CHOICES. */
	assert_int_equal(parse(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[1,2,3,4,5]}", &in,
			       &present, &ei),
			 ERR_OK);
	assert_int_equal(in.nmentors, SVC_MAX_CHOICES);
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[1,2,3,4,5,6]}", "mentors");
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":1}", "mentors");
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":{\"a\":1}}", "mentors");
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[1,\"2\"]}", "mentors");
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[1,0]}", "mentors");
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[-4]}", "mentors");
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[1.5]}", "mentors");
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[null]}", "mentors");
	refused(&svc_choices_in_spec, "{\"menu\":7}", "mentors");
	refused(&svc_choices_in_spec, "{\"mentors\":[1]}", "menu");
	refused(&svc_choices_in_spec, "{\"menu\":7,\"mentors\":[1],\"who\":1}", "who");
	refused(&svc_choices_in_spec, "{\"menu\":0,\"mentors\":[1]}", "menu");

	/* A thousand ranks fit, one more does not. */
	struct svc_ranks_in *r = calloc(1, sizeof *r);
	assert_non_null(r);
	json_t *a = json_array();
	for (int i = 1; i <= SVC_MAX_RANKS + 1; i++)
		json_array_append_new(a, json_integer(i));
	json_t *body = json_pack("{s:o}", "mentees", a);
	errinfo_clear(&ei);
	assert_int_equal(fields_from_json(&svc_ranks_in_spec, body, r, &present, 1, &ei),
			 ERR_INVALID);
	assert_string_equal(ei.field, "mentees");
	json_array_remove(a, SVC_MAX_RANKS);
	assert_int_equal(fields_from_json(&svc_ranks_in_spec, body, r, &present, 1, &ei), ERR_OK);
	assert_int_equal(r->nmentees, SVC_MAX_RANKS);
	assert_int_equal(r->mentees[SVC_MAX_RANKS - 1], SVC_MAX_RANKS);
	json_decref(body);
	free(r);
}

static void test_objs(void **state)
{
	(void)state;
	struct svc_plan_edit_in *in = calloc(1, sizeof *in);
	assert_non_null(in);
	uint64_t present;
	struct errinfo ei;
	assert_int_equal(parse(&svc_plan_edit_in_spec,
			       "{\"items\":[{\"side\":\"mentor\",\"title\":\"走访\",\"due\":\"2026-03-01\"},"
			       "{\"side\":\"mentee\",\"title\":\"学习\",\"domain\":\"party\","
			       "\"due\":\"2026-12-31\"}]}",
			       in, &present, &ei),
			 ERR_OK);
	assert_int_equal(present, 1);
	assert_int_equal(in->nitems, 2);
	assert_string_equal(in->items[0].side, "mentor");
	assert_string_equal(in->items[0].title, "走访");
	assert_string_equal(in->items[0].domain, "");
	assert_string_equal(in->items[1].domain, "party");
	assert_string_equal(in->items[1].due, "2026-12-31");
	/* No items at all: not present (the service tells "nothing given"). */
	assert_int_equal(parse(&svc_plan_edit_in_spec, "{}", in, &present, &ei), ERR_OK);
	assert_int_equal(present, 0);

	/* Errors inside an item name their path. */
	const char *ok = "{\"side\":\"mentor\",\"title\":\"t\",\"due\":\"2026-01-01\"}";
	char body[4096];
	snprintf(body, sizeof body,
		 "{\"items\":[%s,%s,%s,{\"side\":\"mentor\",\"title\":\"t\",\"due\":\"2026-02-30\"}]}",
		 ok, ok, ok);
	refused(&svc_plan_edit_in_spec, body, "items[3].due");
	snprintf(body, sizeof body, "{\"items\":[%s,{\"side\":\"mentor\",\"due\":\"2026-01-01\"}]}",
		 ok);
	refused(&svc_plan_edit_in_spec, body, "items[1].title");
	snprintf(body, sizeof body, "{\"items\":[{\"side\":\"mentor\",\"title\":\"t\","
				    "\"due\":\"2026-01-01\",\"owner\":1}]}");
	refused(&svc_plan_edit_in_spec, body, "items[0].owner");
	snprintf(body, sizeof body, "{\"items\":[%s,7]}", ok);
	refused(&svc_plan_edit_in_spec, body, "items[1]");
	refused(&svc_plan_edit_in_spec, "{\"items\":{}}", "items");
	refused(&svc_plan_edit_in_spec, "{\"items\":null}", "items");
	refused(&svc_plan_edit_in_spec, "{\"items\":[],\"year\":2026}", "year");

	/* At most SVC_LIFE_MAX_ITEMS. */
	json_t *a = json_array();
	for (int i = 0; i <= SVC_LIFE_MAX_ITEMS; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "side", "mentee", "title",
						   "t", "due", "2026-01-01"));
	json_t *j = json_pack("{s:o}", "items", a);
	errinfo_clear(&ei);
	assert_int_equal(fields_from_json(&svc_plan_edit_in_spec, j, in, &present, 1, &ei),
			 ERR_INVALID);
	assert_string_equal(ei.field, "items");
	json_array_remove(a, 0);
	assert_int_equal(fields_from_json(&svc_plan_edit_in_spec, j, in, &present, 1, &ei), ERR_OK);
	assert_int_equal(in->nitems, SVC_LIFE_MAX_ITEMS);
	json_decref(j);
	free(in);
}

static void test_null_in_and_pairing_body(void **state)
{
	(void)state;
	struct svc_pairing_new in;
	uint64_t present;
	struct errinfo ei;
	memset(&in, 0, sizeof in);
	in.project = 99;
	assert_int_equal(parse(&svc_pairing_new_spec,
			       "{\"mentors\":[1,2],\"mentees\":[3],\"mode\":\"1v1\",\"project\":null}",
			       &in, &present, &ei),
			 ERR_OK);
	assert_int_equal(in.project, 0);
	assert_int_equal(in.nmentors, 2);
	assert_int_equal(in.nmentees, 1);
	assert_string_equal(in.mode, "1v1");
	assert_int_equal(parse(&svc_pairing_new_spec, "{\"mentors\":[1],\"mentees\":[3],\"project\":5}",
			       &in, &present, &ei),
			 ERR_OK);
	assert_int_equal(in.project, 5);
	refused(&svc_pairing_new_spec, "{\"mentors\":[1],\"mentees\":[3],\"project\":0}", "project");
	refused(&svc_pairing_new_spec, "{\"mentors\":[1],\"mentees\":[3],\"project\":\"5\"}",
		"project");
	refused(&svc_pairing_new_spec, "{\"mentors\":[1],\"mentees\":[3],\"mode\":null}", "mode");
	refused(&svc_pairing_new_spec, "{\"mentors\":[1]}", "mentees");
	refused(&svc_pairing_new_spec, "{\"mentees\":[1]}", "mentors");
	/* Seventeen members do not fit a pairing. */
	refused(&svc_pairing_new_spec,
		"{\"mentors\":[1],\"mentees\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}",
		"mentees");
	/* The activity's create takes pairings, its update does not. */
	struct svc_activity act;
	memset(&act, 0, sizeof act);
	errinfo_clear(&ei);
	json_t *j = json_pack("{s:[i,i]}", "pairings", 4, 5);
	assert_int_equal(fields_from_json(&svc_activity_new_spec, j, &act, &present, 0, &ei),
			 ERR_OK);
	assert_int_equal(act.npairings, 2);
	assert_int_equal(act.pairings[1], 5);
	assert_int_equal(fields_from_json(&svc_activity_spec, j, &act, &present, 0, &ei),
			 ERR_INVALID);
	assert_string_equal(ei.field, "pairings");
	json_decref(j);
}

/* What was read writes back as the same JSON, and the text form is the
 * very bytes of jansson's; fields_copy takes the count along. */
static void test_write_back(void **state)
{
	(void)state;
	static const char *const bodies[][2] = {
		{"pairing", "{\"mentors\":[1,9007199254740991],\"mentees\":[3],\"mode\":\"1v1\"}"},
		{"plan", "{\"items\":[{\"side\":\"mentor\",\"title\":\"走访\\\"x\\\"\","
			 "\"due\":\"2026-03-01\"},{\"side\":\"mentee\",\"title\":\"t\","
			 "\"domain\":\"party\",\"due\":\"2026-12-31\"}]}"},
		{"plan", "{\"items\":[]}"},
	};
	static char rec[1 << 16], copy[1 << 16];
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		const struct field_spec *spec =
			bodies[i][0][1] == 'a' ? &svc_pairing_new_spec : &svc_plan_edit_in_spec;
		uint64_t present;
		struct errinfo ei;
		memset(rec, 0, sizeof rec);
		assert_int_equal(parse(spec, bodies[i][1], rec, &present, &ei), ERR_OK);
		json_t *in = json_loads(bodies[i][1], 0, NULL);
		json_t *out = fields_to_json(spec, rec, 0);
		const char *k;
		json_t *v;
		json_object_foreach(in, k, v) {
			json_t *o = json_object_get(out, k);
			if (json_is_array(o) && json_array_size(o) && json_is_object(json_array_get(o, 0))) {
				/* items come out with every field: compare the given ones */
				for (size_t n = 0; n < json_array_size(v); n++) {
					const char *kk;
					json_t *vv;
					json_object_foreach(json_array_get(v, n), kk, vv)
						assert_true(json_equal(vv, json_object_get(
										   json_array_get(o, n), kk)));
				}
				assert_int_equal(json_array_size(v), json_array_size(o));
			} else {
				assert_true(json_equal(v, o));
			}
		}
		char *want = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
		struct buf b;
		buf_init(&b, 1 << 20);
		assert_int_equal(fields_to_json_text(spec, rec, 0, &b), ERR_OK);
		assert_string_equal(b.data, want);
		buf_release(&b);
		memset(copy, 0, sizeof copy);
		fields_copy(spec, copy, rec, present);
		json_t *again = fields_to_json(spec, copy, 0);
		assert_true(json_equal(again, out));
		json_decref(again);
		free(want);
		json_decref(out);
		json_decref(in);
	}
	/* Past the limit inside an item: refused, the buffer unchanged. */
	struct svc_plan_edit_in *p = calloc(1, sizeof *p);
	assert_non_null(p);
	p->nitems = 3;
	for (int i = 0; i < 3; i++)
		snprintf(p->items[i].title, sizeof p->items[i].title, "%0200d", i);
	struct buf b;
	buf_init(&b, 300);
	buf_puts(&b, "keep");
	assert_int_equal(fields_to_json_text(&svc_plan_edit_in_spec, p, 0, &b), ERR_TOO_LARGE);
	assert_string_equal(b.data, "keep");
	buf_release(&b);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_objs),
		cmocka_unit_test(test_null_in_and_pairing_body),
		cmocka_unit_test(test_write_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
