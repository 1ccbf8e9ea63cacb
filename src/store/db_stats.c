/*
 * db_stats.c — counts for the dashboard (outcomes and statistics, SPEC
 * section 6). Layer: store. One fixed statement per grouping, picked from
 * a table by enum db_group; every count is over region paths in [lo, hi).
 *
 * Counting rules: mentor groupings count every mentor of the library
 * whatever the stage (in the pipeline, appointed, paused, retired) but
 * not the rejected, as the report's 483 counts everyone selected; the
 * grouping by status shows the stages. Mentees are
 * counted whatever their status. A county grouping counts, for every
 * county (level-2 region) whose subtree meets the range, the rows of both
 * ranges with an index range scan per county (see BY_COUNTY); rows that
 * lie above any county (at the city itself) fall in the "" group.
 */
#include <string.h>

#include "store/db_util.h"

#define IN_SERVICE " AND m.status <> 'rejected'"
#define RANGE(a) " WHERE " a ".region_path >= ?1 AND " a ".region_path < ?2"

/* SELECT key, n FROM mentors grouped by a column. */
#define MENTORS_BY(col, filter)                                                  \
	"SELECT m." col ", COUNT(*) FROM mentors m" RANGE("m") filter            \
	" GROUP BY m." col " ORDER BY m." col
#define MENTEES_BY(col)                                                             \
	"SELECT e." col ", COUNT(*) FROM mentees e" RANGE("e") " GROUP BY e." col   \
	" ORDER BY e." col

/*
 * Rows by county: each county whose subtree meets [lo, hi) counts the rows
 * in both ranges with one index range scan of its own (a join on path
 * ranges would compare every row with every county: minutes at national
 * size). Rows above every county (at the city itself) form the "" group;
 * empty groups are left out.
 */
#define COUNTY_HI "(substr(r.path, 1, length(r.path) - 1) || '0')"
#define BY_COUNTY(table, a, filter)                                                        \
	"SELECT k, n FROM (SELECT r.code AS k, (SELECT COUNT(*) FROM " table " " a            \
	" WHERE " a ".region_path >= CASE WHEN r.path > ?1 THEN r.path ELSE ?1 END"           \
	" AND " a ".region_path < CASE WHEN " COUNTY_HI " < ?2 THEN " COUNTY_HI " ELSE ?2 END" \
	filter ") AS n FROM regions r WHERE r.level = 2 AND r.path < ?2 AND " COUNTY_HI " > ?1" \
	" UNION ALL SELECT '' AS k, COUNT(*) AS n FROM " table " " a                           \
	" WHERE " a ".region_path IN (SELECT t.path FROM regions t WHERE t.level = 1"          \
	" AND t.path >= ?1 AND t.path < ?2)" filter ") x WHERE n > 0 ORDER BY k"

static const char sql_mentors_by_source[] = MENTORS_BY("source", IN_SERVICE);
static const char sql_mentors_by_tier[] = MENTORS_BY("tier", IN_SERVICE);
static const char sql_mentors_by_team[] = MENTORS_BY("team_type", IN_SERVICE);
static const char sql_mentors_by_status[] = MENTORS_BY("status", "");
static const char sql_mentors_by_county[] = BY_COUNTY("mentors", "m", IN_SERVICE);
static const char sql_mentees_by_category[] = MENTEES_BY("category");
static const char sql_mentees_by_kind[] = MENTEES_BY("kind");
static const char sql_mentees_by_county[] = BY_COUNTY("mentees", "e", "");
/* The key is text on every backend. */
static const char sql_orgs_by_stars[] =
	"SELECT CAST(o.stars AS TEXT), COUNT(*) FROM organisations o" RANGE("o")
	" GROUP BY o.stars ORDER BY o.stars";

static const char *const sql_group[] = {
	[DB_MENTORS_BY_SOURCE] = sql_mentors_by_source,
	[DB_MENTORS_BY_TIER] = sql_mentors_by_tier,
	[DB_MENTORS_BY_TEAM] = sql_mentors_by_team,
	[DB_MENTORS_BY_STATUS] = sql_mentors_by_status,
	[DB_MENTORS_BY_COUNTY] = sql_mentors_by_county,
	[DB_MENTEES_BY_CATEGORY] = sql_mentees_by_category,
	[DB_MENTEES_BY_KIND] = sql_mentees_by_kind,
	[DB_MENTEES_BY_COUNTY] = sql_mentees_by_county,
	[DB_ORGS_BY_STARS] = sql_orgs_by_stars,
};
_Static_assert(sizeof sql_group / sizeof sql_group[0] == DB_GROUP__MAX,
	       "one statement per enum db_group value");

static const char *const sql_mix[] = {
	[DB_MENTOR_MIX] = "SELECT m.status, m.source, m.tier, m.team_type, COUNT(*) FROM mentors m"
		RANGE("m") " GROUP BY m.status, m.source, m.tier, m.team_type",
	[DB_MENTEE_MIX] = "SELECT e.category, e.kind, COUNT(*) FROM mentees e" RANGE("e")
		" GROUP BY e.category, e.kind",
};
static const int mix_keys[] = {[DB_MENTOR_MIX] = 4, [DB_MENTEE_MIX] = 2};
_Static_assert(sizeof sql_mix / sizeof sql_mix[0] == DB_MIX__MAX, "one statement per db_mix");

enum err db_count_mix(struct store_conn *c, enum db_mix m, const char *lo, const char *hi,
		      enum err (*fn)(void *arg, const char *const *keys, int64_t n), void *arg)
{
	if ((unsigned)m >= DB_MIX__MAX)
		return ERR_INVALID;
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_mix[m], &st);
	if (e)
		return e;
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	int nk = mix_keys[m];
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		const char *keys[DB_MIX_KEYS] = {"", "", "", ""};
		for (int k = 0; k < nk; k++)
			keys[k] = store_col_text(st, k);
		if ((e = fn(arg, keys, store_col_int(st, nk))))
			break;
	}
	store_done(st);
	return e;
}

#define COUNT_IF(cond) "COALESCE(SUM(CASE WHEN " cond " THEN 1 ELSE 0 END), 0)"

static const char sql_org_totals[] =
	"SELECT COUNT(*), " COUNT_IF("o.weak_lax = 1") ", " COUNT_IF("o.lagging = 1") ", "
	COUNT_IF("o.demonstration = 1") ", " COUNT_IF("o.weak_economy = 1") ", "
	COUNT_IF("o.was_weak_lax = 1 AND o.weak_lax = 0") ", "
	COUNT_IF("o.was_lagging = 1 AND o.lagging = 0") ", " COUNT_IF("o.stars >= 3") ","
	" (SELECT COUNT(*) FROM mentor_orgs x" RANGE("x") "),"
	" (SELECT COUNT(*) FROM menus y" RANGE("y") "),"
	/* Organisations helped as mentees, and how many became 示范村. */
	" (SELECT COUNT(DISTINCT z.org_id) FROM mentees z" RANGE("z") " AND z.kind = 'org'),"
	" (SELECT COUNT(DISTINCT z.org_id) FROM mentees z JOIN organisations w ON w.id = z.org_id"
	RANGE("z") " AND z.kind = 'org' AND w.demonstration = 1)"
	" FROM organisations o" RANGE("o");

/*
 * The key passed to fn is borrowed from the statement for the call. An
 * unknown `g` is ERR_INVALID; fn's error stops the walk and is returned.
 */
enum err db_count_group(struct store_conn *c, enum db_group g, const char *lo, const char *hi,
			enum err (*fn)(void *arg, const char *key, int64_t n), void *arg)
{
	if ((unsigned)g >= DB_GROUP__MAX || !sql_group[g])
		return ERR_INVALID;
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_group[g], &st);
	if (e)
		return e;
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		if ((e = fn(arg, store_col_text(st, 0), store_col_int(st, 1))))
			break;
	}
	store_done(st);
	return e;
}

enum err db_org_totals(struct store_conn *c, const char *lo, const char *hi,
		       struct db_org_totals *out)
{
	struct store_stmt *st;
	enum err e = store_prepare(c, sql_org_totals, &st);
	if (e)
		return e;
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	if ((e = db_one(st)))
		return e;
	memset(out, 0, sizeof *out);
	out->total = store_col_int(st, 0);
	out->weak_lax = store_col_int(st, 1);
	out->lagging = store_col_int(st, 2);
	out->demonstration = store_col_int(st, 3);
	out->weak_economy = store_col_int(st, 4);
	out->rectified = store_col_int(st, 5);
	out->upgraded = store_col_int(st, 6);
	out->three_star = store_col_int(st, 7);
	out->mentor_orgs = store_col_int(st, 8);
	out->menus = store_col_int(st, 9);
	out->helped = store_col_int(st, 10);
	out->helped_demonstration = store_col_int(st, 11);
	store_done(st);
	return ERR_OK;
}
