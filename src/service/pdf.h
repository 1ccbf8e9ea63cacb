/*
 * pdf.h — printable A4 documents (layer: service): the growth archive
 * 一人一册, the appointment letter 聘书 and the pairing agreement
 * 结对协议书. A document is built as a list of blocks (titles, headings,
 * paragraphs, key–value lines, tables) and rendered in one call with
 * cairo and pango in Noto CJK: laid out, paginated (a table's header is
 * repeated on each page it runs over), numbered "第 N 页 共 M 页", and
 * written as PDF bytes. Pure: no database, no clock — the creation date
 * is given — so the same document gives the same bytes.
 *
 *   struct pdf_doc *d = pdf_new("一人一册", "2026-03-01");
 *   pdf_title(d, "张三 成长档案");
 *   pdf_heading(d, "基本信息");
 *   pdf_kv(d, "姓名", "张三");
 *   const char *cols[] = {"日期", "内容"};
 *   const double w[] = {0.25, 0.75};
 *   pdf_table(d, 2, cols, w);
 *   pdf_row(d, (const char *[]){"2026-03-01", "..."});
 *   enum err e = pdf_render(d, &buf, &ei);
 *   pdf_free(d);
 *
 * Rendering is serialised (one font map, behind a mutex): it is slow
 * work, run on the server's worker threads.
 */
#ifndef BANGDAI_SERVICE_PDF_H
#define BANGDAI_SERVICE_PDF_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"

#define PDF_MAX_COLS 8

struct pdf_doc;

/* A new document. `title` (document metadata and the running header)
 * and `date` ("YYYY-MM-DD", the creation date written into the file)
 * are copied. Returned owned (pdf_free). */
struct pdf_doc *pdf_new(const char *title, const char *date);
void pdf_free(struct pdf_doc *d); /* NULL is a no-op */

/* Blocks, appended in order; every text is UTF-8 and copied. */
void pdf_title(struct pdf_doc *d, const char *text);          /* large, centred */
void pdf_subtitle(struct pdf_doc *d, const char *text);       /* centred, grey */
void pdf_heading(struct pdf_doc *d, const char *text);        /* section, starts a block */
void pdf_para(struct pdf_doc *d, const char *text);           /* wrapped paragraph */
void pdf_kv(struct pdf_doc *d, const char *key, const char *value); /* "key: value" */
/* Big centred text (letters): size in points, serif or sans. */
void pdf_center(struct pdf_doc *d, const char *text, double size, bool serif, bool bold);
/* Right-aligned line (signatures, dates). */
void pdf_right(struct pdf_doc *d, const char *text);
void pdf_space(struct pdf_doc *d, double points);
void pdf_page_break(struct pdf_doc *d);
/* Start a table of n (1..PDF_MAX_COLS) columns: header texts and
 * relative widths (summing to about 1). Rows follow with pdf_row, each of
 * n cells, until the next non-row block. */
void pdf_table(struct pdf_doc *d, int n, const char *const *header, const double *widths);
void pdf_row(struct pdf_doc *d, const char *const *cells);
/* A frame around every page (letters) with a title watermark, or none. */
void pdf_frame(struct pdf_doc *d, bool on, const char *watermark);

/*
 * Lay out and render the document as PDF, appending its bytes to `out`.
 * Errors: ERR_TOO_LARGE (out is full), ERR_INTERNAL (cairo failed; in
 * ei).
 */
enum err pdf_render(struct pdf_doc *d, struct buf *out, struct errinfo *ei);

#endif
