/*
 * da_ref.c — the yardstick: a tight plain-C mentee-proposing deferred
 * acceptance for bench/FORMAT.md HR files, trusting its input (no checks).
 *
 *   da_ref FILE      prints one line per mentee: its mentor or -1
 *
 * Reads the file in one fread, parses with an inline digit loop, finds each
 * mentee entry's rank in the mentor's list by a bucket transpose, and runs
 * DA with a per-mentor bitmap of held ranks and a worst-held pointer that
 * only moves up (O(pairs) in all). Build: cc -O2 -o da_ref bench/da_ref.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *p;

static inline uint32_t num(void)
{
	while (*p < '0')
		p++;
	uint32_t x = 0;
	while (*p >= '0')
		x = x * 10 + (uint32_t)(*p++ - '0');
	return x;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		return 1;
	buf[len] = '\0';
	fclose(f);
	p = buf + 2;
	uint32_t n = num(), m = num();
	uint32_t *cap = malloc(sizeof *cap * (m + 1));
	uint32_t *moff = malloc(sizeof *moff * (m + 1));
	uint32_t *cnt = calloc(n + 1, sizeof *cnt);
	size_t mcap = 1 << 20, E = 0;
	uint32_t *ml = malloc(sizeof *ml * mcap);
	for (uint32_t j = 0; j < m; j++) {
		cap[j] = num();
		uint32_t k = num();
		moff[j] = (uint32_t)E;
		if (E + k > mcap) {
			while (E + k > mcap)
				mcap *= 2;
			ml = realloc(ml, sizeof *ml * mcap);
		}
		for (uint32_t r = 0; r < k; r++) {
			uint32_t i = num();
			ml[E++] = i;
			cnt[i]++;
		}
	}
	moff[m] = (uint32_t)E;
	/* eoff from counts; bucket (mentor, rank) by mentee */
	uint32_t *eoff = malloc(sizeof *eoff * (n + 1));
	uint32_t acc = 0;
	for (uint32_t i = 0; i < n; i++) {
		eoff[i] = acc;
		acc += cnt[i];
		cnt[i] = eoff[i];
	}
	eoff[n] = acc;
	uint32_t *pm = malloc(sizeof *pm * (E + 1)), *pr = malloc(sizeof *pr * (E + 1));
	for (uint32_t j = 0; j < m; j++)
		for (uint32_t q = moff[j]; q < moff[j + 1]; q++) {
			uint32_t s = cnt[ml[q]]++;
			pm[s] = j;
			pr[s] = q - moff[j];
		}
	/* mentee lines: reorder the bucket into preference order */
	uint32_t *rk = malloc(sizeof *rk * (m + 1));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = num(), lo = eoff[i];
		for (uint32_t q = lo; q < lo + k; q++)
			rk[pm[q]] = pr[q];
		for (uint32_t q = lo; q < lo + k; q++) {
			uint32_t j = num();
			pm[q] = j;
			pr[q] = rk[j];
		}
	}
	free(buf);
	/* deferred acceptance */
	uint64_t *held = calloc(E / 64 + 2, 8);
	uint32_t *load = calloc(m + 1, sizeof *load), *worst = calloc(m + 1, sizeof *worst);
	uint32_t *next = malloc(sizeof *next * (n + 1)), *st = malloc(sizeof *st * (n + 1));
	size_t sp = 0;
	for (uint32_t i = n; i-- > 0;) {
		next[i] = eoff[i];
		st[sp++] = i;
	}
	while (sp) {
		uint32_t i = st[--sp], q = next[i], end = eoff[i + 1];
		for (; q < end; q++) {
			uint32_t j = pm[q], r = pr[q];
			size_t b = moff[j];
			if (load[j] < cap[j]) {
				held[(b + r) >> 6] |= 1ull << ((b + r) & 63);
				if (load[j]++ == 0 || r > worst[j])
					worst[j] = r;
				break;
			}
			if (cap[j] && r < worst[j]) {
				size_t w = b + worst[j];
				held[w >> 6] &= ~(1ull << (w & 63));
				held[(b + r) >> 6] |= 1ull << ((b + r) & 63);
				uint32_t v = ml[w];
				do /* the next held rank below the old worst */
					w--;
				while (!(held[w >> 6] >> (w & 63) & 1));
				worst[j] = (uint32_t)(w - b);
				next[v]++;
				st[sp++] = v;
				break;
			}
		}
		next[i] = q;
	}
	char *out = malloc((size_t)n * 12 + 16), *o = out;
	for (uint32_t i = 0; i < n; i++) {
		if (next[i] >= eoff[i + 1]) {
			*o++ = '-';
			*o++ = '1';
		} else {
			char t[12];
			int k = 0;
			uint32_t x = pm[next[i]];
			do
				t[k++] = (char)('0' + x % 10);
			while (x /= 10);
			while (k)
				*o++ = t[--k];
		}
		*o++ = '\n';
	}
	fwrite(out, 1, (size_t)(o - out), stdout);
	return 0;
}
