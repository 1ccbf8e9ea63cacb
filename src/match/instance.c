/*
 * instance.c — reader and writer of the bench/FORMAT.md instance files
 * (layer: match). Owns the strict line-oriented parser of HR and AS files
 * and the writers of instances and results. It parses from pointer+length
 * only and writes only to the FILE* it is given; it opens nothing.
 *
 * The parser is on the hot path of `bangdai match-file` (hundreds of MB at
 * the national size), so it is a hand-written scanner that builds the
 * solver's arrays directly: for HR, the mentee lines are checked against the
 * mentor lines (mirror, duplicates) while they are read, and each mentee's
 * entries get their rank in the mentor's list on the way.
 */
#include "match/match.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* ---- The scanner -------------------------------------------------------- */

struct scan {
	const char *p;
	const char *end;
	long line; /* 1-based line of p */
	struct errinfo *ei;
};

static enum err scan_fail(struct scan *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static enum err scan_fail(struct scan *s, const char *fmt, ...)
{
	if (s->ei) {
		char msg[200];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		errinfo_set(s->ei, ERR_INVALID, "instance", "line %ld: %s",
			    s->line, msg);
		s->ei->row = s->line;
	}
	return ERR_INVALID;
}

static inline void scan_blank(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r'))
		s->p++;
}

/* Why the next token is not a number; for the error message. */
static enum err scan_not_number(struct scan *s, const char *what)
{
	if (s->p >= s->end)
		return scan_fail(s, "expected %s, found end of input", what);
	if (*s->p == '\n')
		return scan_fail(s, "expected %s, found end of line", what);
	if (*s->p == '-')
		return scan_fail(s, "%s may not be negative", what);
	unsigned char c = (unsigned char)*s->p;
	if (c >= 0x21 && c < 0x7f)
		return scan_fail(s, "expected %s, found '%c'", what, c);
	return scan_fail(s, "expected %s, found byte 0x%02x", what, c);
}

/*
 * Read one unsigned decimal number on the current line into *v; it must
 * not exceed max. `what` names it in errors. Hot: the common case is a few
 * digits followed by a blank.
 */
static enum err scan_num_slow(struct scan *s, uint64_t max, const char *what,
			     uint64_t *v)
{
	const char *p = s->p, *end = s->end;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || (unsigned)(*p - '0') > 9) {
		s->p = p;
		scan_blank(s);
		return scan_not_number(s, what);
	}
	const char *start = p;
	uint64_t x = 0;
	while (p < end && (unsigned)(*p - '0') <= 9 && p - start < 19)
		x = x * 10 + (uint64_t)(*p++ - '0');
	s->p = p;
	if (p < end && (unsigned)(*p - '0') <= 9)
		return scan_fail(s, "%s is too large (more than 19 digits)", what);
	if (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x21 && c < 0x7f)
			return scan_fail(s, "unexpected '%c' after %s", c, what);
		return scan_fail(s, "unexpected byte 0x%02x after %s", c, what);
	}
	if (x > max)
		return scan_fail(s, "%s %" PRIu64 " is too large (at most %" PRIu64 ")",
				 what, x, max);
	*v = x;
	return ERR_OK;
}

/*
 * Read one unsigned decimal number on the current line into *v; it must
 * not exceed max. `what` names it in errors. Hot: the common case (one
 * blank, a few digits, a separator, more than 24 bytes left) runs without
 * bounds checks; anything else takes the careful path.
 */
static inline enum err scan_num(struct scan *s, uint64_t max, const char *what,
				uint64_t *v)
{
	const char *p = s->p;
	if (s->end - p < 24)
		return scan_num_slow(s, max, what, v);
	if (*p == ' ')
		p++;
	unsigned d = (unsigned)(*p - '0');
	if (d > 9)
		return scan_num_slow(s, max, what, v);
	uint64_t x = d;
	int n = 1;
	while ((d = (unsigned)(p[n] - '0')) <= 9 && n < 19) {
		x = x * 10 + d;
		n++;
	}
	char c = p[n];
	if (d <= 9 || x > max || (c != ' ' && c != '\n' && c != '\t' && c != '\r'))
		return scan_num_slow(s, max, what, v);
	s->p = p + n;
	*v = x;
	return ERR_OK;
}

/* The current line must end here (trailing blanks allowed). */
static enum err scan_eol(struct scan *s, const char *record)
{
	scan_blank(s);
	if (s->p >= s->end)
		return ERR_OK;
	if (*s->p != '\n')
		return scan_fail(s, "unexpected data after the %s", record);
	s->p++;
	s->line++;
	return ERR_OK;
}

/* Only blank lines may follow the last record. */
static enum err scan_eof(struct scan *s)
{
	while (s->p < s->end) {
		char c = *s->p;
		if (c == '\n')
			s->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return scan_fail(s, "unexpected data after the last record");
		s->p++;
	}
	return ERR_OK;
}

/* A record is expected on the current line: fail on end of input. */
static enum err scan_need_line(struct scan *s, const char *record)
{
	if (s->p >= s->end)
		return scan_fail(s, "input ends before the %s", record);
	return ERR_OK;
}

/* Bytes left from the current position. */
static uint64_t scan_left(const struct scan *s)
{
	return (uint64_t)(s->end - s->p);
}

/* ---- Lifecycle ---------------------------------------------------------- */

void match_instance_init(struct match_instance *in)
{
	memset(in, 0, sizeof *in);
	match_hr_init(&in->hr);
	match_as_init(&in->as);
}

void match_instance_release(struct match_instance *in)
{
	match_hr_release(&in->hr);
	match_as_release(&in->as);
	in->kind = MATCH_KIND_NONE;
}

/* ---- HR ---------------------------------------------------------------- */

/* Mentor j's line number: the header is line 1. */
static long hr_mentor_line(uint32_t j)
{
	return (long)j + 2;
}

static enum err parse_hr(struct match_hr *hr, struct scan *s)
{
	enum err e;
	uint64_t nm, nt, v;
	uint32_t *cnt = NULL, *mstamp = NULL, *jstamp = NULL, *jrank = NULL;
	size_t mlist_cap = 0;

	if ((e = scan_num(s, MATCH_MAX_MENTEES, "number of mentees", &nm)) ||
	    (e = scan_num(s, MATCH_MAX_MENTORS, "number of mentors", &nt)) ||
	    (e = scan_eol(s, "header")))
		return e;
	/* Each record line needs at least two bytes ("0\n"; a mentor's
	 * "0 0\n" four): a tiny file cannot claim huge counts. */
	if (nm * 2 + nt * 4 > scan_left(s) + 2) {
		s->line = 1;
		return scan_fail(s, "the header announces %" PRIu64 " mentee and %" PRIu64
				 " mentor lines, but only %" PRIu64 " bytes follow",
				 nm, nt, scan_left(s));
	}
	uint32_t n_mentees = (uint32_t)nm, n_mentors = (uint32_t)nt;
	hr->n_mentees = n_mentees;
	hr->n_mentors = n_mentors;
	hr->cap = xcalloc((size_t)n_mentors + 1, sizeof *hr->cap);
	hr->moff = xcalloc((size_t)n_mentors + 1, sizeof *hr->moff);
	hr->eoff = xcalloc((size_t)n_mentees + 1, sizeof *hr->eoff);
	cnt = xcalloc((size_t)n_mentees + 1, sizeof *cnt);
	mstamp = xcalloc((size_t)n_mentees + 1, sizeof *mstamp);

	/* Mentor lines: "<capacity> <k> <mentee>...". The list array grows
	 * with what is actually read, so it is bounded by the input. */
	uint64_t total = 0;
	for (uint32_t j = 0; j < n_mentors; j++) {
		if ((e = scan_need_line(s, "next mentor line")))
			goto out;
		if ((e = scan_num(s, MATCH_MAX_CAPACITY, "capacity", &v)))
			goto out;
		hr->cap[j] = (uint32_t)v;
		if ((e = scan_num(s, n_mentees, "list length", &v)))
			goto out;
		uint32_t k = (uint32_t)v;
		if (total + k > MATCH_MAX_EDGES) {
			e = scan_fail(s, "more than %u pairs in all", MATCH_MAX_EDGES);
			goto out;
		}
		if (total + k > mlist_cap) {
			size_t want = mlist_cap ? mlist_cap * 2 : 1024;
			if (want < total + k)
				want = total + k;
			hr->mlist = xreallocarray(hr->mlist, want, sizeof *hr->mlist);
			mlist_cap = want;
		}
		/* A first mentor with an empty list comes before any
		 * allocation: no arithmetic on a null pointer, even of 0. */
		uint32_t *dst = hr->mlist ? hr->mlist + total : NULL;
		for (uint32_t r = 0; r < k; r++) {
			if ((e = scan_num(s, UINT32_MAX, "mentee", &v)))
				goto out;
			if (v >= n_mentees) {
				e = scan_fail(s, "mentee %" PRIu64 " out of range (there are %u mentees)",
					      v, n_mentees);
				goto out;
			}
			uint32_t i = (uint32_t)v;
			if (mstamp[i] == j + 1) {
				e = scan_fail(s, "mentor %u lists mentee %u twice", j, i);
				goto out;
			}
			mstamp[i] = j + 1;
			cnt[i]++;
			dst[r] = i;
		}
		if ((e = scan_eol(s, "mentor's list")))
			goto out;
		total += k;
		hr->moff[j + 1] = (uint32_t)total;
	}
	free(mstamp);
	mstamp = NULL;

	/* Bucket the mentor lists by mentee: entry (j, r) in mentee i's range
	 * says that mentor j ranks i at r. Mentee lines are then checked
	 * against their bucket and overwrite it in their own order. */
	uint32_t acc = 0;
	for (uint32_t i = 0; i < n_mentees; i++) {
		hr->eoff[i] = acc;
		acc += cnt[i];
		cnt[i] = hr->eoff[i]; /* now: next free slot of i's bucket */
	}
	hr->eoff[n_mentees] = acc;
	hr->epref = xmalloc(xmul((size_t)acc + 1, sizeof *hr->epref));
	for (uint32_t j = 0; j < n_mentors; j++)
		for (uint32_t r = 0, q = hr->moff[j]; q < hr->moff[j + 1]; q++, r++) {
			struct match_hr_pref *b = &hr->epref[cnt[hr->mlist[q]]++];
			b->mentor = j;
			b->rank = r;
		}
	free(cnt);
	cnt = NULL;

	/* Mentee lines: "<k> <mentor>...". jstamp[j] == i+1: mentor j ranks
	 * mentee i (at jrank[j]); the high bit marks "already listed". */
	const uint32_t used = UINT32_C(1) << 31;
	jstamp = xcalloc((size_t)n_mentors + 1, sizeof *jstamp);
	jrank = xmalloc(xmul((size_t)n_mentors + 1, sizeof *jrank));
	for (uint32_t i = 0; i < n_mentees; i++) {
		if ((e = scan_need_line(s, "next mentee line")))
			goto out;
		uint32_t lo = hr->eoff[i], hi = hr->eoff[i + 1];
		if ((e = scan_num(s, n_mentors, "list length", &v)))
			goto out;
		if (v != hi - lo) {
			e = scan_fail(s, "mentee %u lists %" PRIu64 " mentors, but %u mentor lines list mentee %u",
				      i, v, hi - lo, i);
			goto out;
		}
		for (uint32_t q = lo; q < hi; q++) {
			jstamp[hr->epref[q].mentor] = i + 1;
			jrank[hr->epref[q].mentor] = hr->epref[q].rank;
		}
		for (uint32_t q = lo; q < hi; q++) {
			if ((e = scan_num(s, UINT32_MAX, "mentor", &v)))
				goto out;
			if (v >= n_mentors) {
				e = scan_fail(s, "mentor %" PRIu64 " out of range (there are %u mentors)",
					      v, n_mentors);
				goto out;
			}
			uint32_t j = (uint32_t)v;
			if (jstamp[j] == ((i + 1) | used)) {
				e = scan_fail(s, "mentee %u lists mentor %u twice", i, j);
				goto out;
			}
			if (jstamp[j] != i + 1) {
				e = scan_fail(s, "mentee %u lists mentor %u, but mentor %u's list (line %ld) does not list mentee %u",
					      i, j, j, hr_mentor_line(j), i);
				goto out;
			}
			jstamp[j] |= used;
			hr->epref[q].mentor = j;
			hr->epref[q].rank = jrank[j];
		}
		if ((e = scan_eol(s, "mentee's list")))
			goto out;
	}
	e = scan_eof(s);
out:
	free(cnt);
	free(mstamp);
	free(jstamp);
	free(jrank);
	return e;
}

/* ---- AS ---------------------------------------------------------------- */

static enum err parse_as(struct match_as *as, struct scan *s)
{
	enum err e;
	uint64_t nm, nt, ne, v;
	uint32_t *ti = NULL, *tj = NULL, *stamp = NULL;
	uint16_t *ts = NULL;

	if ((e = scan_num(s, MATCH_MAX_MENTEES, "number of mentees", &nm)) ||
	    (e = scan_num(s, MATCH_MAX_MENTORS, "number of mentors", &nt)) ||
	    (e = scan_num(s, MATCH_MAX_EDGES, "number of pairs", &ne)) ||
	    (e = scan_eol(s, "header")))
		return e;
	/* Capacities need two bytes each: a header claiming more than the
	 * input could hold fails on line 2 before anything is allocated. Pair
	 * arrays are sized by what the rest of the input could hold (six
	 * bytes a line, "0 0 1\n") and grow only with what is read, so a
	 * truncated file is reported at the line where it ends. Mentees have
	 * no lines of their own: their arrays are bounded by
	 * MATCH_MAX_MENTEES alone (8 bytes each). */
	if (nt > scan_left(s) / 2 + 1) {
		s->line = 2;
		return scan_fail(s, "the header announces %" PRIu64 " capacities, but only %" PRIu64
				 " bytes follow", nt, scan_left(s));
	}
	uint32_t n_mentees = (uint32_t)nm, n_mentors = (uint32_t)nt;
	uint32_t n_edges = (uint32_t)ne;
	as->n_mentees = n_mentees;
	as->n_mentors = n_mentors;
	as->cap = xcalloc((size_t)n_mentors + 1, sizeof *as->cap);
	as->eoff = xcalloc((size_t)n_mentees + 1, sizeof *as->eoff);

	if (n_mentors > 0 || n_edges > 0) {
		if ((e = scan_need_line(s, "capacities")))
			return e;
	}
	for (uint32_t j = 0; j < n_mentors; j++) {
		if ((e = scan_num(s, MATCH_MAX_CAPACITY, "capacity", &v)))
			return e;
		as->cap[j] = (uint32_t)v;
	}
	if ((e = scan_eol(s, "capacities")))
		return e;

	size_t tcap = scan_left(s) / 6 + 1;
	if (tcap > n_edges)
		tcap = n_edges;
	ti = xmalloc(xmul(tcap + 1, sizeof *ti));
	tj = xmalloc(xmul(tcap + 1, sizeof *tj));
	ts = xmalloc(xmul(tcap + 1, sizeof *ts));
	for (uint32_t k = 0; k < n_edges; k++) {
		if ((e = scan_need_line(s, "next pair line")))
			goto out;
		if (k == tcap) {
			tcap *= 2;
			if (tcap > n_edges)
				tcap = n_edges;
			ti = xreallocarray(ti, tcap + 1, sizeof *ti);
			tj = xreallocarray(tj, tcap + 1, sizeof *tj);
			ts = xreallocarray(ts, tcap + 1, sizeof *ts);
		}
		if ((e = scan_num(s, UINT32_MAX, "mentee", &v)))
			goto out;
		if (v >= n_mentees) {
			e = scan_fail(s, "mentee %" PRIu64 " out of range (there are %u mentees)",
				      v, n_mentees);
			goto out;
		}
		ti[k] = (uint32_t)v;
		if ((e = scan_num(s, UINT32_MAX, "mentor", &v)))
			goto out;
		if (v >= n_mentors) {
			e = scan_fail(s, "mentor %" PRIu64 " out of range (there are %u mentors)",
				      v, n_mentors);
			goto out;
		}
		tj[k] = (uint32_t)v;
		if ((e = scan_num(s, UINT32_MAX, "score", &v)))
			goto out;
		if (v < MATCH_MIN_SCORE || v > MATCH_MAX_SCORE) {
			e = scan_fail(s, "score %" PRIu64 " outside %d..%d", v,
				      MATCH_MIN_SCORE, MATCH_MAX_SCORE);
			goto out;
		}
		ts[k] = (uint16_t)v;
		as->eoff[ti[k] + 1]++;
		if ((e = scan_eol(s, "pair")))
			goto out;
	}
	if ((e = scan_eof(s)))
		goto out;

	for (uint32_t i = 0; i < n_mentees; i++)
		as->eoff[i + 1] += as->eoff[i];
	as->arc = xmalloc(xmul((size_t)n_edges + 1, sizeof *as->arc));
	/* Scatter in input order; eoff[i] is advanced and restored below. */
	for (uint32_t k = 0; k < n_edges; k++) {
		struct match_arc *a = &as->arc[as->eoff[ti[k]]++];
		a->mentor = tj[k];
		a->score = ts[k];
	}
	for (uint32_t i = n_mentees; i > 0; i--)
		as->eoff[i] = as->eoff[i - 1];
	as->eoff[0] = 0;

	/* At most one pair per (mentee, mentor). */
	stamp = xcalloc((size_t)n_mentors + 1, sizeof *stamp);
	for (uint32_t i = 0; i < n_mentees; i++)
		for (uint32_t q = as->eoff[i]; q < as->eoff[i + 1]; q++) {
			uint32_t j = as->arc[q].mentor;
			if (stamp[j] != i + 1) {
				stamp[j] = i + 1;
				continue;
			}
			/* Find the line of the second (i, j): pair k is on
			 * line k + 3. */
			int seen = 0;
			uint32_t k = 0;
			for (; k < n_edges; k++)
				if (ti[k] == i && tj[k] == j && seen++)
					break;
			s->line = (long)k + 3;
			e = scan_fail(s, "pair (mentee %u, mentor %u) given twice", i, j);
			goto out;
		}
out:
	free(ti);
	free(tj);
	free(ts);
	free(stamp);
	return e;
}

enum err match_instance_parse(struct match_instance *in, const char *p,
			      size_t len, struct errinfo *ei)
{
	struct scan s = {.p = p, .end = p + len, .line = 1, .ei = ei};
	enum err e;

	match_instance_release(in);
	scan_blank(&s);
	bool sep = s.end - s.p == 2 ||
		   (s.end - s.p > 2 && (s.p[2] == ' ' || s.p[2] == '\t'));
	if (sep && s.p[0] == 'H' && s.p[1] == 'R') {
		s.p += 2;
		in->kind = MATCH_KIND_HR;
		e = parse_hr(&in->hr, &s);
	} else if (sep && s.p[0] == 'A' && s.p[1] == 'S') {
		s.p += 2;
		in->kind = MATCH_KIND_AS;
		e = parse_as(&in->as, &s);
	} else {
		return scan_fail(&s, "expected \"HR\" or \"AS\" at the start of the file");
	}
	if (e)
		match_instance_release(in);
	return e;
}

/* ---- Writers -------------------------------------------------------------- */

/* A large output buffer with a fast decimal formatter. */
struct wbuf {
	FILE *out;
	char *p;
	char *end;
	bool failed;
	char data[1 << 16];
};

static void wb_flush(struct wbuf *w)
{
	size_t n = (size_t)(w->p - w->data);
	if (n && fwrite(w->data, 1, n, w->out) != n)
		w->failed = true;
	w->p = w->data;
}

static inline void wb_room(struct wbuf *w, size_t n)
{
	if ((size_t)(w->end - w->p) < n)
		wb_flush(w);
}

static inline void wb_u64(struct wbuf *w, uint64_t x)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	wb_room(w, 24);
	while (n)
		*w->p++ = tmp[--n];
}

static inline void wb_i64(struct wbuf *w, int64_t x)
{
	if (x < 0) {
		wb_room(w, 24);
		*w->p++ = '-';
		wb_u64(w, (uint64_t)0 - (uint64_t)x);
	} else {
		wb_u64(w, (uint64_t)x);
	}
}

static inline void wb_c(struct wbuf *w, char c)
{
	wb_room(w, 1);
	*w->p++ = c;
}

static struct wbuf *wb_new(FILE *out)
{
	struct wbuf *w = xmalloc(sizeof *w);
	w->out = out;
	w->p = w->data;
	w->end = w->data + sizeof w->data;
	w->failed = false;
	return w;
}

static enum err wb_done(struct wbuf *w)
{
	wb_flush(w);
	bool failed = w->failed || fflush(w->out) != 0 || ferror(w->out);
	free(w);
	return failed ? ERR_IO : ERR_OK;
}

enum err match_instance_write(const struct match_instance *in, FILE *out)
{
	struct wbuf *w = wb_new(out);
	if (in->kind == MATCH_KIND_HR) {
		const struct match_hr *hr = &in->hr;
		wb_room(w, 3);
		memcpy(w->p, "HR ", 3);
		w->p += 3;
		wb_u64(w, hr->n_mentees);
		wb_c(w, ' ');
		wb_u64(w, hr->n_mentors);
		wb_c(w, '\n');
		for (uint32_t j = 0; j < hr->n_mentors; j++) {
			wb_u64(w, hr->cap[j]);
			wb_c(w, ' ');
			wb_u64(w, hr->moff[j + 1] - hr->moff[j]);
			for (uint32_t q = hr->moff[j]; q < hr->moff[j + 1]; q++) {
				wb_c(w, ' ');
				wb_u64(w, hr->mlist[q]);
			}
			wb_c(w, '\n');
		}
		for (uint32_t i = 0; i < hr->n_mentees; i++) {
			wb_u64(w, hr->eoff[i + 1] - hr->eoff[i]);
			for (uint32_t q = hr->eoff[i]; q < hr->eoff[i + 1]; q++) {
				wb_c(w, ' ');
				wb_u64(w, hr->epref[q].mentor);
			}
			wb_c(w, '\n');
		}
	} else if (in->kind == MATCH_KIND_AS) {
		const struct match_as *as = &in->as;
		wb_room(w, 3);
		memcpy(w->p, "AS ", 3);
		w->p += 3;
		wb_u64(w, as->n_mentees);
		wb_c(w, ' ');
		wb_u64(w, as->n_mentors);
		wb_c(w, ' ');
		wb_u64(w, as->eoff[as->n_mentees]);
		wb_c(w, '\n');
		for (uint32_t j = 0; j < as->n_mentors; j++) {
			if (j)
				wb_c(w, ' ');
			wb_u64(w, as->cap[j]);
		}
		wb_c(w, '\n');
		for (uint32_t i = 0; i < as->n_mentees; i++)
			for (uint32_t q = as->eoff[i]; q < as->eoff[i + 1]; q++) {
				wb_u64(w, i);
				wb_c(w, ' ');
				wb_u64(w, as->arc[q].mentor);
				wb_c(w, ' ');
				wb_u64(w, (uint64_t)as->arc[q].score);
				wb_c(w, '\n');
			}
	}
	return wb_done(w);
}

enum err match_result_write(FILE *out, enum match_kind kind,
			    uint32_t n_mentees, const int32_t *mentor_of,
			    const struct match_as_result *res)
{
	struct wbuf *w = wb_new(out);
	if (kind == MATCH_KIND_AS) {
		wb_u64(w, res ? res->matched : 0);
		wb_c(w, ' ');
		wb_i64(w, res ? res->total : 0);
		wb_c(w, '\n');
	}
	for (uint32_t i = 0; i < n_mentees; i++) {
		wb_i64(w, mentor_of[i]);
		wb_c(w, '\n');
	}
	return wb_done(w);
}
