/*
 * db_mentor_cols.h — the column list and FROM clause of a mentor row
 * (layer: store, internal). Shared by db_mentor.c and db_menu.c (a
 * menu's items are mentor rows) so that db_read_mentor (db_util.h)
 * reads both the same way. Not part of the store's contract.
 */
#ifndef BANGDAI_STORE_DB_MENTOR_COLS_H
#define BANGDAI_STORE_DB_MENTOR_COLS_H

/* Column order is what db_read_mentor expects: change both together. */
#define MENTOR_COLS                                                                      \
	"m.id, m.name, m.gender, m.phone, m.id_number, m.birth_year, m.region_id,"       \
	" m.region_path, m.tier, m.source, m.team_type, m.post, m.capacity,"            \
	" m.score_political, m.score_professional, m.score_style, m.score_reputation,"  \
	" m.domains, m.status, m.letter_no, m.appointed_on, m.from_mentee_id, m.version," \
	" m.created_at, m.updated_at, r.code, r.name"

#define MENTOR_FROM " FROM mentors m JOIN regions r ON r.id = m.region_id"

#endif
