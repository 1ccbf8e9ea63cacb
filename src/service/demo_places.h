/*
 * demo_places.h — the fixed tables behind the demo generator (layer:
 * service, internal to demo_gen.c; nothing else includes it).
 *
 * It owns the Yinchuan region tree as it really is (county-level units and
 * townships with their administrative codes and approximate coordinates;
 * the villages and communities below them are plausible, partly real
 * names) and the pools that names, posts and companies are drawn from.
 * Pure data: no functions, no I/O.
 *
 * Every multi-character pool that is one string holds CJK characters of
 * the Basic Multilingual Plane only, so each character is exactly 3 bytes
 * of UTF-8; lists of names are one string separated by single spaces.
 */
#ifndef BANGDAI_SERVICE_DEMO_PLACES_H
#define BANGDAI_SERVICE_DEMO_PLACES_H

#include <stddef.h>

struct demo_place_town {
	const char *suffix;   /* 3 digits appended to the county code */
	const char *name;     /* ...镇 | ...乡 | ...街道 */
	double lat, lon;      /* approximate seat of the township */
	int wine;             /* 1 in the 贺兰山东麓 wine belt */
	const char *villages; /* space-separated ...村 / ...社区 names */
};

struct demo_place_county {
	const char *code, *name;
	double lat, lon;
	int mentor_quota;     /* home county of this many of the 483 mentors */
	const struct demo_place_town *towns;
	size_t ntowns;
};

#define DEMO_PLACE_NCOUNTIES 6
extern const struct demo_place_county demo_place_counties[DEMO_PLACE_NCOUNTIES];

/* The vocabulary a programme office starts with (table vocab). */
struct demo_place_vocab {
	const char *kind, *code, *name;
};
extern const struct demo_place_vocab demo_place_vocab[];
extern const size_t demo_place_nvocab;

/* Weighted pick lists: items with relative weights. */
struct demo_place_weighted {
	const char *s;
	int w;
};

extern const struct demo_place_weighted demo_place_surnames[];
extern const size_t demo_place_nsurnames;

/* Characters of given names (3 bytes each, see above). */
extern const char demo_place_male_chars[];
extern const char demo_place_female_chars[];

/* Company brand words, unique; "宁夏" + brand + industry + "有限公司". */
extern const char *const demo_place_brands[];
extern const size_t demo_place_nbrands;

struct demo_place_industry {
	const char *name;        /* "葡萄酒庄", "农业科技", ... */
	const char *domains[3];  /* vocab domain codes, NULL-padded */
	int wine;                /* 1: only in the wine belt */
};
extern const struct demo_place_industry demo_place_industries[];
extern const size_t demo_place_nindustries;

/* Units that send first secretaries and work teams. City and region units
 * are full names; county units are appended to the county's name. */
extern const char *const demo_place_city_units[];
extern const size_t demo_place_ncity_units;
extern const char *const demo_place_county_units[];
extern const size_t demo_place_ncounty_units;

/* Honours of model exemplars (先进模范). */
extern const struct demo_place_weighted demo_place_honours[];
extern const size_t demo_place_nhonours;

#endif
