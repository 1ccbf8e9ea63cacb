/*
 * gen_instance.c — generator of bench/FORMAT.md instances with locality.
 *
 *   gen_instance HR|AS n_mentees n_mentors k seed OUTPUT
 *
 * People are points on the unit square, drawn around "towns" (a mixture of
 * Gaussians) so that some places are crowded; mentors carry 2–4 of 16
 * domain tags, mentees 1–3 weaknesses. A pair's score is
 * 10000 · (0.5 · coverage of the weaknesses + 0.5 · closeness), closeness
 * falling with distance. Each mentee's candidates are its k best-scored
 * among its 3k nearest mentors. HR: mentees rank candidates by score plus
 * noise, mentors rank applicants by their own noisy score; AS: the scores
 * are the arcs. Capacities are uniform in 1..2·ceil(n/m), so places are
 * about as many as mentees and crowded towns run short. Deterministic for
 * a seed (xoshiro256**).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t st[4];

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next64(void)
{
	uint64_t r = rotl(st[1] * 5, 7) * 9, t = st[1] << 17;
	st[2] ^= st[0];
	st[3] ^= st[1];
	st[1] ^= st[2];
	st[0] ^= st[3];
	st[2] ^= t;
	st[3] = rotl(st[3], 45);
	return r;
}

static double unif(void)
{
	return (double)(next64() >> 11) * 0x1.0p-53;
}

static double gauss(void)
{
	double u = unif(), v = unif();
	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

struct pt {
	double x, y;
	uint32_t tags;
};

#define NTOWN 64
static double tx[NTOWN], ty[NTOWN], tw[NTOWN];

static void place(struct pt *p)
{
	if (unif() < 0.3) { /* countryside */
		p->x = unif();
		p->y = unif();
	} else {
		int t = (int)(unif() * NTOWN);
		do {
			p->x = tx[t] + gauss() * tw[t];
			p->y = ty[t] + gauss() * tw[t];
		} while (p->x < 0 || p->x >= 1 || p->y < 0 || p->y >= 1);
	}
}

static uint32_t tags(int lo, int hi)
{
	int k = lo + (int)(unif() * (hi - lo + 1));
	uint32_t t = 0;
	while (__builtin_popcount(t) < k)
		t |= 1u << (next64() % 16);
	return t;
}

struct cand {
	double key;
	uint32_t j;
	int score;
};

static int cand_cmp_key(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key ? 1 : (x->j > y->j) - (x->j < y->j);
}

static int cand_cmp_desc(const void *a, const void *b)
{
	return -cand_cmp_key(a, b);
}

static char *ob, *op;
static size_t ocap;
static FILE *of;

static void flush_out(void)
{
	fwrite(ob, 1, (size_t)(op - ob), of);
	op = ob;
}

static void put_u(uint64_t x, char sep)
{
	char t[24];
	int n = 0;
	if ((size_t)(op - ob) > ocap - 32)
		flush_out();
	do
		t[n++] = (char)('0' + x % 10);
	while (x /= 10);
	while (n)
		*op++ = t[--n];
	*op++ = sep;
}

int main(int argc, char **argv)
{
	if (argc != 7 || (strcmp(argv[1], "HR") && strcmp(argv[1], "AS"))) {
		fprintf(stderr, "usage: gen_instance HR|AS n_mentees n_mentors k seed OUTPUT\n");
		return 2;
	}
	int hr = !strcmp(argv[1], "HR");
	uint32_t n = (uint32_t)strtoul(argv[2], NULL, 10);
	uint32_t m = (uint32_t)strtoul(argv[3], NULL, 10);
	uint32_t k = (uint32_t)strtoul(argv[4], NULL, 10);
	uint64_t seed = strtoull(argv[5], NULL, 10);
	if (k > m)
		k = m;
	for (int i = 0; i < 4; i++) {
		seed += 0x9e3779b97f4a7c15ull;
		uint64_t z = seed;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		st[i] = z ^ (z >> 31);
	}
	for (int t = 0; t < NTOWN; t++) {
		tx[t] = 0.05 + 0.9 * unif();
		ty[t] = 0.05 + 0.9 * unif();
		tw[t] = 0.005 + 0.03 * unif();
	}
	struct pt *men = malloc(sizeof *men * (m + 1)), *tee = malloc(sizeof *tee * (n + 1));
	uint32_t *cap = malloc(sizeof *cap * (m + 1));
	uint32_t cmax = 2 * ((n + m - 1) / (m ? m : 1));
	for (uint32_t j = 0; j < m; j++) {
		place(&men[j]);
		men[j].tags = tags(2, 4);
		cap[j] = 1 + (uint32_t)(unif() * cmax);
	}
	for (uint32_t i = 0; i < n; i++) {
		place(&tee[i]);
		tee[i].tags = tags(1, 3);
	}
	/* Grid of mentors. */
	uint32_t G = (uint32_t)sqrt((double)m / 4) + 1;
	uint32_t *cell = calloc((size_t)G * G + 1, sizeof *cell), *cm = malloc(sizeof *cm * (m + 1));
	for (uint32_t j = 0; j < m; j++)
		cell[(uint32_t)(men[j].y * G) * G + (uint32_t)(men[j].x * G) + 1]++;
	for (uint32_t c = 0; c < G * G; c++)
		cell[c + 1] += cell[c];
	uint32_t *fill = malloc(sizeof *fill * ((size_t)G * G + 1));
	memcpy(fill, cell, sizeof *fill * ((size_t)G * G + 1));
	for (uint32_t j = 0; j < m; j++)
		cm[fill[(uint32_t)(men[j].y * G) * G + (uint32_t)(men[j].x * G)]++] = j;

	size_t E = (size_t)n * k;
	uint32_t *lst = malloc(sizeof *lst * (E + 1));  /* mentee lists, ranked */
	int *sc = malloc(sizeof *sc * (E + 1));
	struct cand *buf = malloc(sizeof *buf * (m + 1));
	double scale = 2.0 / G; /* closeness falls over ~2 cells */
	for (uint32_t i = 0; i < n; i++) {
		int cx = (int)(tee[i].x * G), cy = (int)(tee[i].y * G);
		uint32_t nb = 0;
		for (int r = 0; nb < 3 * k || r < 1; r++) {
			for (int y = cy - r; y <= cy + r; y++)
				for (int x = cx - r; x <= cx + r; x++) {
					if (x < 0 || y < 0 || x >= (int)G || y >= (int)G)
						continue;
					if (abs(x - cx) != r && abs(y - cy) != r)
						continue;
					uint32_t c = (uint32_t)y * G + (uint32_t)x;
					for (uint32_t q = cell[c]; q < cell[c + 1]; q++) {
						uint32_t j = cm[q];
						double dx = men[j].x - tee[i].x, dy = men[j].y - tee[i].y;
						buf[nb].key = dx * dx + dy * dy;
						buf[nb++].j = j;
					}
				}
			if (r > (int)G)
				break;
		}
		qsort(buf, nb, sizeof *buf, cand_cmp_key);
		if (nb > 3 * k)
			nb = 3 * k;
		for (uint32_t q = 0; q < nb; q++) {
			uint32_t j = buf[q].j;
			double cov = (double)__builtin_popcount(men[j].tags & tee[i].tags) /
				     __builtin_popcount(tee[i].tags);
			double close = exp(-sqrt(buf[q].key) / scale);
			int s = (int)(10000 * (0.5 * cov + 0.5 * close));
			buf[q].score = s < 1 ? 1 : s > 10000 ? 10000 : s;
			buf[q].key = buf[q].score + (hr ? 1500 * gauss() : 0);
		}
		qsort(buf, nb, sizeof *buf, cand_cmp_desc);
		for (uint32_t q = 0; q < k; q++) {
			lst[(size_t)i * k + q] = buf[q].j;
			sc[(size_t)i * k + q] = buf[q].score;
		}
	}
	of = fopen(argv[6], "wb");
	if (!of) {
		perror(argv[6]);
		return 1;
	}
	ocap = 1 << 22;
	ob = op = malloc(ocap);
	if (hr) {
		/* Mentor lists: applicants ranked by the mentor's noisy score. */
		uint32_t *deg = calloc(m + 2, sizeof *deg);
		for (size_t e = 0; e < E; e++)
			deg[lst[e] + 2]++;
		for (uint32_t j = 0; j < m; j++)
			deg[j + 2] += deg[j + 1];
		struct cand *ap = malloc(sizeof *ap * (E + 1));
		for (uint32_t i = 0; i < n; i++)
			for (uint32_t q = 0; q < k; q++) {
				size_t e = (size_t)i * k + q;
				struct cand *c = &ap[deg[lst[e] + 1]++];
				c->j = i;
				c->key = sc[e] + 1500 * gauss();
			}
		fprintf(of, "HR %u %u\n", n, m);
		for (uint32_t j = 0; j < m; j++) {
			uint32_t lo = deg[j], hi = deg[j + 1];
			qsort(ap + lo, hi - lo, sizeof *ap, cand_cmp_desc);
			put_u(cap[j], ' ');
			put_u(hi - lo, hi > lo ? ' ' : '\n');
			for (uint32_t q = lo; q < hi; q++)
				put_u(ap[q].j, q + 1 < hi ? ' ' : '\n');
		}
		for (uint32_t i = 0; i < n; i++) {
			put_u(k, k ? ' ' : '\n');
			for (uint32_t q = 0; q < k; q++)
				put_u(lst[(size_t)i * k + q], q + 1 < k ? ' ' : '\n');
		}
	} else {
		fprintf(of, "AS %u %u %zu\n", n, m, E);
		for (uint32_t j = 0; j < m; j++)
			put_u(cap[j], j + 1 < m ? ' ' : '\n');
		if (!m)
			*op++ = '\n';
		for (uint32_t i = 0; i < n; i++)
			for (uint32_t q = 0; q < k; q++) {
				put_u(i, ' ');
				put_u(lst[(size_t)i * k + q], ' ');
				put_u((uint64_t)sc[(size_t)i * k + q], '\n');
			}
	}
	flush_out();
	return fclose(of) ? 1 : 0;
}
