/*
 * demo.h — the generated Yinchuan pilot (layer: service).
 *
 * demo_generate() builds, in memory and with no I/O, a realistic but
 * invented programme for 银川市 with the counts of the news report; the
 * loader (demo_load in service) writes it through the service layer. The
 * same seed gives the same data, byte for byte.
 *
 * All strings are UTF-8 and owned by the struct demo (freed by demo_free).
 * Indices refer to the arrays of the same struct demo.
 */
#ifndef BANGDAI_SERVICE_DEMO_H
#define BANGDAI_SERVICE_DEMO_H

#include <stddef.h>
#include <stdint.h>

struct demo_region {
	char *code;     /* e.g. "6401", "640122", "640122101", "640122101001" */
	char *name;     /* 银川市, 贺兰县, 习岗镇, ... */
	int level;      /* 1 city, 2 county, 3 township, 4 village/community */
	int parent;     /* index into regions, -1 for the city */
	double lat, lon;
};

struct demo_vocab {
	char *kind;     /* "source" | "category" | "domain" | "talent_team" */
	char *code;     /* ASCII code, e.g. "veteran_cadre" */
	char *name;     /* Chinese name, e.g. "老乡镇老先进" */
};

struct demo_mentor {
	char *name, *gender;      /* gender "男" | "女" */
	char *phone, *id_number;  /* valid 11-digit mobile, valid 18-char ID (checksum) */
	int region;               /* index: township (or county/city for higher tiers) */
	char *tier;               /* "city" | "county" | "township" */
	char *source;             /* vocab code of kind "source" */
	char *team_type;          /* "expert" | "experienced" | "grassroots" */
	char *post;               /* 职务, e.g. "原习岗镇党委书记" */
	int birth_year;
	int capacity;             /* 1..5 */
	int scores[4];            /* 四有: political, professional, style, reputation; 60..100 */
	char **domains; size_t ndomains;  /* vocab codes of kind "domain" */
	char *status;             /* "active" mostly; a few "nominated", "shortlisted", "filed", "paused", "retired" */
	int in_menu;              /* 1 if on its county's menu (贺兰县: exactly 34) */
};

struct demo_org {             /* a village/community party organisation */
	char *name;               /* e.g. "习岗镇新平村党支部" */
	int region;               /* index: the village */
	/* flags 0/1 *now*: weak/lax at the start = weak_lax || rectified,
	 * lagging at the start = lagging || upgraded; weak_economy does not
	 * change; demonstration is set only on organisation mentees (the
	 * demonstration-village rate is over those, report: 70%) */
	int weak_lax, lagging, demonstration, weak_economy;
	int stars_start, stars_now; /* 1..5 at the pilot's start (2021-01) and now */
	int rectified;            /* weak/lax at start and no longer (report: 11) */
	int upgraded;             /* lagging at start and upgraded (report: 20) */
};

struct demo_mentor_org {      /* 帮带党组织 (report: 85) */
	char *name;               /* strong party organisation or enterprise */
	char *kind;               /* "party_org" | "enterprise" */
	int region;
	char **domains; size_t ndomains;
	int capacity;
};

struct demo_mentee {
	char *kind;               /* "person" | "org" */
	char *name, *gender;      /* for "org": the organisation's name, gender "" */
	char *phone, *id_number;  /* "" for "org" */
	int region;               /* township (person) or village (org) */
	int org;                  /* index into orgs for kind "org", else -1 */
	char *category;           /* vocab code of kind "category" ("" for org) */
	char *post;
	char *talent_team;        /* vocab code of kind "talent_team" or "" */
	int birth_year;
	char **weaknesses; size_t nweaknesses; /* vocab codes of kind "domain" */
};

struct demo_user {
	char *login, *role;       /* role names of core/domain.h */
	int region;               /* index, -1 = none */
	int mentor, mentee;       /* index or -1 */
};

struct demo {
	struct demo_region *regions; size_t nregions;
	struct demo_vocab *vocab; size_t nvocab;
	struct demo_mentor *mentors; size_t nmentors;
	struct demo_org *orgs; size_t norgs;
	struct demo_mentor_org *mentor_orgs; size_t nmentor_orgs;
	struct demo_mentee *mentees; size_t nmentees;
	struct demo_user *users; size_t nusers;
};

/* Build the demo programme for `seed`. Returns owned memory (demo_free). */
struct demo *demo_generate(uint64_t seed);
void demo_free(struct demo *d);

/* The one password every demo login has (printed by `make run`). */
#define DEMO_PASSWORD "bangdai-demo"

#endif
