/*
 * test_life.c — the pure parts of the pairing life (src/service/life.h,
 * pdf.h): civil dates both ways, month ends over leap years, the default
 * settings and grades, and PDF rendering (A4, paginated, the same bytes
 * for the same document). The rest is tested over HTTP in
 * tests/api/test_life.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "service/life.h"
#include "service/pdf.h"

static void test_dates(void **state)
{
	(void)state;
	long d;
	assert_true(life_days("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_true(life_days("2025-05-10", &d));
	long m;
	assert_true(life_days("2025-02-28", &m));
	assert_int_equal(d - m, 71);
	assert_false(life_days("2025-02-29", &d));
	assert_false(life_days("2025-5-1", &d));
	assert_false(life_days("", &d));
	/* Every day from 1901 to 2099 and back. */
	long from, to;
	assert_true(life_days("1901-01-01", &from));
	assert_true(life_days("2099-12-31", &to));
	for (long k = from; k <= to; k += 7) {
		char s[M_TIME];
		life_date(k, s);
		long back;
		assert_true(life_days(s, &back));
		assert_int_equal(back, k);
	}
	const struct {
		int y, m;
		const char *end;
	} ends[] = {{2024, 2, "2024-02-29"}, {2025, 2, "2025-02-28"}, {2100, 2, "2100-02-28"},
		    {2000, 2, "2000-02-29"}, {2025, 12, "2025-12-31"}, {2025, 4, "2025-04-30"}};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		char s[M_TIME];
		life_month_end(ends[i].y, ends[i].m, s);
		assert_string_equal(s, ends[i].end);
	}
	int y, mo;
	life_ym("2026-03-15", &y, &mo);
	assert_int_equal(y, 2026);
	assert_int_equal(mo, 3);
}

static void test_settings_and_grades(void **state)
{
	(void)state;
	struct life_settings ls;
	assert_int_equal(life_settings_load(NULL, &ls), ERR_OK);
	assert_int_equal(ls.log_edit_days, 7);
	assert_int_equal(ls.silent_days, 30);
	assert_int_equal(ls.ngrades, 4);
	const struct {
		int score;
		const char *grade;
	} cases[] = {{100, "excellent"}, {90, "excellent"}, {89, "good"}, {75, "good"},
		     {74, "pass"},       {60, "pass"},       {59, "fail"}, {0, "fail"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(life_grade_of(&ls, cases[i].score), cases[i].grade);
	assert_true(life_grade_known(&ls, "good"));
	assert_false(life_grade_known(&ls, "great"));
	assert_string_equal(life_grade_name(&ls, "excellent"), "优秀");
	assert_true(life_in_list(",3,14,", 14));
	assert_false(life_in_list(",3,14,", 4));
	char code[M_CODE];
	life_path_code("/6401/640122/640122100/", code);
	assert_string_equal(code, "640122100");
}

static struct pdf_doc *doc(int rows)
{
	struct pdf_doc *d = pdf_new("测试文档", "2026-03-01");
	pdf_title(d, "张三 一人一册");
	pdf_heading(d, "一、基本情况");
	pdf_kv(d, "姓名", "张三");
	pdf_para(d, "这是一段很长的说明文字,用来检验自动换行是否正常。This paragraph wraps as well.");
	const char *cols[] = {"日期", "内容"};
	const double w[] = {0.25, 0.75};
	pdf_table(d, 2, cols, w);
	for (int i = 0; i < rows; i++) {
		char a[32], b[128];
		snprintf(a, sizeof a, "2026-03-%02d", i % 28 + 1);
		snprintf(b, sizeof b, "第 %d 行:导师与帮带对象共同下村督导调研", i + 1);
		const char *row[] = {a, b};
		pdf_row(d, row);
	}
	return d;
}

static void test_pdf(void **state)
{
	(void)state;
	struct buf a, b, c;
	buf_init(&a, 16u << 20);
	buf_init(&b, 16u << 20);
	buf_init(&c, 16u << 20);
	struct errinfo ei;
	errinfo_clear(&ei);
	struct pdf_doc *d = doc(150);
	assert_int_equal(pdf_render(d, &a, &ei), ERR_OK);
	pdf_free(d);
	d = doc(150);
	assert_int_equal(pdf_render(d, &b, &ei), ERR_OK);
	pdf_free(d);
	d = doc(3);
	assert_int_equal(pdf_render(d, &c, &ei), ERR_OK);
	pdf_free(d);
	assert_memory_equal(a.data, "%PDF-", 5);
	/* The same document, the same bytes. */
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* 150 rows run over several pages: more pages, more bytes. */
	assert_true(a.len > c.len);
	/* A buffer too small for the document: refused, nothing left in it. */
	struct buf small;
	buf_init(&small, 1000);
	d = doc(3);
	assert_int_equal(pdf_render(d, &small, &ei), ERR_TOO_LARGE);
	assert_int_equal(small.len, 0);
	pdf_free(d);
	pdf_free(NULL);
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	buf_release(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_settings_and_grades),
		cmocka_unit_test(test_pdf),
	};
	return cmocka_run_group_tests_name("life", tests, NULL, NULL);
}
