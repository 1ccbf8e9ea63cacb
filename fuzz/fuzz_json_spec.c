/*
 * fuzz_json_spec.c — libFuzzer target: JSON request bodies through the
 * declarative field specs (src/core/fields.c with every record spec of
 * src/service/specs.c), parsed as the router parses them: json_loadb with
 * JSON_REJECT_DUPLICATES.
 *
 * Input: byte 0 picks the spec (low 4 bits, modulo the number of specs),
 * whether it is a create (bit 4: required fields enforced) and whether the
 * output is masked (bit 5); the rest is the JSON body.
 *
 * The record is allocated at its exact size, so a write past the struct
 * is caught by ASan. Checks, beyond the sanitizers, when the body is
 * accepted:
 *   - what was stored reads back as what was sent: every given field comes
 *     out of fields_to_json with the same value (a 0 or "" may come out as
 *     null for F_NULLZERO fields), so nothing is silently cut or changed;
 *   - a masked phone or ID number shows no more than its head and tail;
 *   - lists of ids and of objects (plan items) read back item by item.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "core/model.h"
#include "service/service.h"

static const struct {
	const struct field_spec *spec;
	size_t size;
} specs[] = {
	{&svc_region_spec, sizeof(struct region)},
	{&svc_vocab_spec, sizeof(struct vocab)},
	{&svc_mentor_spec, sizeof(struct mentor)},
	{&svc_transition_spec, sizeof(struct mentor_transition)},
	{&svc_mentor_org_spec, sizeof(struct mentor_org)},
	{&svc_menu_spec, sizeof(struct menu)},
	{&svc_org_spec, sizeof(struct organisation)},
	{&svc_org_star_spec, sizeof(struct org_star)},
	{&svc_mentee_spec, sizeof(struct mentee)},
	{&svc_user_spec, sizeof(struct user)},
	/* request bodies: arrays of ids, of objects, null read as 0 */
	{&svc_pairing_new_spec, sizeof(struct svc_pairing_new)},
	{&svc_plan_edit_in_spec, sizeof(struct svc_plan_edit_in)},
	{&svc_choices_in_spec, sizeof(struct svc_choices_in)},
};
#define NSPECS (sizeof specs / sizeof specs[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const struct field_spec *spec, const char *field, const char *why)
{
	fprintf(stderr, "fuzz_json_spec: %s.%s: %s\n", spec->name, field, why);
	abort();
}

/* Did `in` (what the client sent for field f) come back as `out`? */
static void same_value(const struct field_spec *spec, const struct field *f, const json_t *in,
		       const json_t *out)
{
	if (json_is_null(out)) {
		if (json_is_null(in) && (f->flags & F_NULLIN))
			return;
		if (!(f->flags & F_NULLZERO))
			fail(spec, f->name, "null out for a field that is never null");
		if (!((json_is_string(in) && json_string_length(in) == 0) ||
		      (json_is_integer(in) && json_integer_value(in) == 0)))
			fail(spec, f->name, "a value went in, null came out");
		return;
	}
	switch (f->type) {
	case F_STR:
		if (!json_is_string(out) || json_string_length(in) != json_string_length(out) ||
		    memcmp(json_string_value(in), json_string_value(out), json_string_length(in)))
			fail(spec, f->name, "the string read back differs");
		break;
	case F_TAGS:
		if (!json_is_array(out) || json_array_size(in) != json_array_size(out))
			fail(spec, f->name, "the tag list read back differs in length");
		for (size_t i = 0; i < json_array_size(in); i++) {
			const json_t *a = json_array_get(in, i), *b = json_array_get(out, i);
			if (!json_is_string(b) || json_string_length(a) != json_string_length(b) ||
			    memcmp(json_string_value(a), json_string_value(b), json_string_length(a)))
				fail(spec, f->name, "a tag read back differs");
		}
		break;
	case F_BOOL:
		if (!json_is_boolean(out) || json_is_true(in) != json_is_true(out))
			fail(spec, f->name, "the boolean read back differs");
		break;
	case F_INT:
	case F_I64:
		if (!json_is_integer(out) || json_integer_value(in) != json_integer_value(out))
			fail(spec, f->name, "the integer read back differs");
		break;
	case F_NUM:
		if (!json_is_number(out) || json_number_value(in) != json_number_value(out))
			fail(spec, f->name, "the number read back differs");
		break;
	case F_IDS:
		if (!json_equal((json_t *)in, (json_t *)out))
			fail(spec, f->name, "the ids read back differ");
		break;
	case F_OBJS:
		if (!json_is_array(out) || json_array_size(in) != json_array_size(out))
			fail(spec, f->name, "the list read back differs in length");
		for (size_t i = 0; i < json_array_size(in); i++)
			for (int k = 0; k < f->sub->n; k++) {
				const struct field *g = &f->sub->fields[k];
				const json_t *a = json_object_get(json_array_get(in, i), g->name);
				if (a)
					same_value(f->sub, g, a,
						   json_object_get(json_array_get(out, i), g->name));
			}
		break;
	}
}

/* A masked value keeps `head` and `tail` characters and stars the rest. */
static void check_mask(const struct field_spec *spec, const struct field *f, const char *raw,
		       const char *masked, size_t head, size_t tail)
{
	size_t n = strlen(raw);
	if (strlen(masked) != n)
		fail(spec, f->name, "the masked value has another length");
	for (size_t i = 0; i < n; i++) {
		bool keep = i < head || i + tail >= n;
		if (keep ? masked[i] != raw[i] : masked[i] != '*')
			fail(spec, f->name, "the mask shows what it should hide");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct field_spec *spec = specs[(data[0] & 15) % NSPECS].spec;
	size_t rsize = specs[(data[0] & 15) % NSPECS].size;
	int create = (data[0] >> 4) & 1;
	int mask = (data[0] >> 5) & 1;

	json_error_t jerr;
	json_t *body = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &jerr);
	if (!body)
		return 0;
	void *rec = calloc(1, rsize);
	if (!rec)
		abort();
	uint64_t present = 0;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = fields_from_json(spec, body, rec, &present, create, &ei);
	if (e != ERR_OK && e != ERR_INVALID)
		fail(spec, ei.field, "an error other than ERR_INVALID");
	if (e == ERR_OK) {
		json_t *out = fields_to_json(spec, rec, 0);
		json_t *masked = fields_to_json(spec, rec, mask);
		for (int i = 0; i < spec->n; i++) {
			const struct field *f = &spec->fields[i];
			const json_t *in = json_object_get(body, f->name);
			if (!(present & (1ull << i)) != !in)
				fail(spec, f->name, "the present bit does not say what was given");
			if (in)
				same_value(spec, f, in, json_object_get(out, f->name));
			const json_t *mv = json_object_get(masked, f->name);
			if (mask && in && json_is_string(mv) && (f->flags & (F_PHONE | F_IDNO)))
				check_mask(spec, f, json_string_value(in), json_string_value(mv),
					   (f->flags & F_PHONE) ? 3 : 6, 4);
		}
		/* What came out goes back in (output-only fields and nulls aside). */
		json_t *again = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(out, k, v) {
			int i = fields_find(spec, k);
			if (i >= 0 && !(spec->fields[i].flags & F_OUTPUT) && (present & (1ull << i)) &&
			    !json_is_null(v))
				json_object_set(again, k, v);
		}
		void *rec2 = calloc(1, rsize);
		uint64_t present2 = 0;
		if (!rec2)
			abort();
		if (fields_from_json(spec, again, rec2, &present2, 0, &ei) != ERR_OK)
			fail(spec, ei.field, "what was accepted and read back is refused");
		free(rec2);
		json_decref(again);
		json_decref(out);
		json_decref(masked);
	}
	free(rec);
	json_decref(body);
	return 0;
}
