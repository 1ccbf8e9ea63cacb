/*
 * fuzz_domain.c — libFuzzer target: the input checks and the masking of
 * src/core/domain.c — UTF-8 validation and counting, phone and ID number
 * checks and masks, codes, dates, region paths, the vocabulary parsers.
 *
 * Input: byte 0 is the size of the mask output buffer (0..63); byte 1
 * splits the rest in two at that offset (modulo) for the two-argument
 * functions; bytes 2.. are the text.
 *
 * Checks, beyond the sanitizers:
 *   - utf8_valid agrees with an independent decoder written from the
 *     Unicode standard's table of well-formed byte sequences (Table 3-7),
 *     with NUL refused as the project requires; utf8_len counts what that
 *     decoder counts;
 *   - a mask writes within its buffer, always NUL-terminated, keeps only
 *     the head and tail it promises and stars the rest;
 *   - phone_valid, id_number_valid (with its checksum recomputed here),
 *     code_valid and date_valid accept only what their contracts say;
 *     path_within is a whole-segment prefix test;
 *   - every name parser inverts its printer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/fields.h"
#include "core/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const char *s)
{
	fprintf(stderr, "fuzz_domain: %s (input \"%s\")\n", why, s);
	abort();
}

/* Well-formed UTF-8 per Unicode Table 3-7; NUL refused. Returns the
 * number of code points, or -1. */
static long ref_utf8(const unsigned char *s, size_t n)
{
	long cps = 0;
	for (size_t i = 0; i < n; cps++) {
		unsigned char b = s[i];
		size_t need;
		unsigned char lo = 0x80, hi = 0xBF;
		if (b == 0)
			return -1;
		if (b <= 0x7F) {
			i++;
			continue;
		} else if (b >= 0xC2 && b <= 0xDF) {
			need = 1;
		} else if (b == 0xE0) {
			need = 2, lo = 0xA0;
		} else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
			need = 2;
		} else if (b == 0xED) {
			need = 2, hi = 0x9F;
		} else if (b == 0xF0) {
			need = 3, lo = 0x90;
		} else if (b >= 0xF1 && b <= 0xF3) {
			need = 3;
		} else if (b == 0xF4) {
			need = 3, hi = 0x8F;
		} else {
			return -1;
		}
		if (n - i - 1 < need)
			return -1;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return -1;
		for (size_t k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return -1;
		i += need + 1;
	}
	return cps;
}

static void check_mask(void (*fn)(const char *, char *, size_t), const char *in, size_t head,
		       size_t tail, size_t n)
{
	/* Exactly n bytes, so ASan sees a write past them. */
	char *out = malloc(n ? n : 1);
	if (!out)
		abort();
	if (n == 0) {
		out[0] = 'U';
		fn(in, out, 0);
		if (out[0] != 'U')
			fail("a mask wrote into a buffer of size 0", in);
		free(out);
		return;
	}
	fn(in, out, n);
	size_t len = strlen(in), olen = strnlen(out, n);
	if (olen == n)
		fail("a mask left its output without a NUL", in);
	if (olen != (len < n - 1 ? len : n - 1))
		fail("a mask output has the wrong length", in);
	for (size_t i = 0; i < olen; i++) {
		bool keep = i < head || i + tail >= len;
		if (keep ? out[i] != in[i] : out[i] != '*')
			fail("a mask shows what it should hide", in);
	}
	free(out);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t outn = data[0] & 63;
	const unsigned char *t = data + 2;
	size_t n = size - 2;

	/* UTF-8 on the raw bytes, exactly n of them (no NUL after). */
	long cps = ref_utf8(t, n);
	bool ok = utf8_valid((const char *)t, n);
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, t, n);
	s[n] = '\0';
	if (ok != (cps >= 0))
		fail(ok ? "utf8_valid accepts ill-formed UTF-8" : "utf8_valid refuses well-formed UTF-8",
		     s);
	if (ok && utf8_len(s) != (size_t)cps)
		fail("utf8_len miscounts", s);

	/* The string checks see the text up to its first NUL, as C does. */
	size_t len = strlen(s);
	check_mask(mask_phone, s, 3, 4, outn);
	check_mask(mask_id_number, s, 6, 4, outn);

	if (phone_valid(s) && !(len == 11 && s[0] == '1' && all_digits(s, 11)))
		fail("phone_valid accepts a non-phone", s);
	if (id_number_valid(s)) {
		static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
		int sum = 0;
		if (len != 18 || !all_digits(s, 17))
			fail("id_number_valid accepts a malformed number", s);
		for (int i = 0; i < 17; i++)
			sum += (s[i] - '0') * w[i];
		if ("10X98765432"[sum % 11] != (s[17] == 'x' ? 'X' : s[17]))
			fail("id_number_valid accepts a wrong checksum", s);
	}
	if (code_valid(s)) {
		if (len == 0 || len > LIMIT_CODE_BYTES)
			fail("code_valid accepts a code of the wrong length", s);
		for (size_t i = 0; i < len; i++)
			if (!strchr("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-",
				    s[i]))
				fail("code_valid accepts a character outside [0-9A-Za-z_-]", s);
	}
	if (date_valid(s) && !(len == 10 && s[4] == '-' && s[7] == '-' && all_digits(s, 4) &&
			       all_digits(s + 5, 2) && all_digits(s + 8, 2)))
		fail("date_valid accepts a malformed date", s);

	/* Two strings: a path and a root. */
	size_t cut = len ? data[1] % (len + 1) : 0;
	char *root = strndup(s, cut);
	const char *path = s + cut;
	if (!root)
		abort();
	if (path_within(path, root)) {
		size_t rl = strlen(root);
		if (rl == 0 || root[0] != '/' || root[rl - 1] != '/' || strncmp(path, root, rl))
			fail("path_within accepts a path outside the root", s);
	}
	free(root);

	/* Parsers invert printers; an unknown name parses to NONE. */
	enum role r = role_parse(s);
	if (r != ROLE_NONE && strcmp(role_name(r), s))
		fail("role_parse", s);
	enum tier ti = tier_parse(s);
	if (ti != TIER_NONE && strcmp(tier_name(ti), s))
		fail("tier_parse", s);
	enum team_type tt = team_type_parse(s);
	if (tt != TEAM_NONE && strcmp(team_type_name(tt), s))
		fail("team_type_parse", s);
	enum mstatus ms = mstatus_parse(s);
	if (ms != MSTATUS_NONE && strcmp(mstatus_name(ms), s))
		fail("mstatus_parse", s);
	enum maction ma = maction_parse(s);
	if (ma != MACTION_NONE && strcmp(maction_name(ma), s))
		fail("maction_parse", s);
	free(s);
	return 0;
}
