/*
 * pdf.c — printable A4 documents with cairo and pango (pdf.h is the
 * contract). Layer: service; no database, no clock.
 *
 * Two passes over the blocks: the first measures each block with pango
 * (on the PDF surface's own context, so that measure and drawing agree)
 * and places it on a page, moving it to the next page when it does not
 * fit (a heading keeps room for what follows it; a table row that moves
 * takes its table's header along); the second draws every page with its
 * running header, its footer "第 N 页 共 M 页" — the total is known by
 * then — and, for letters, a frame. One font map serves every render,
 * behind a mutex.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "service/pdf.h"

/* A4 in points, and the page's furniture. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 56.0
#define MARGIN_TOP 70.0
#define MARGIN_BOTTOM 66.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define CELL_PAD 3.5

#define SANS "Noto Sans CJK SC"
#define SERIF "Noto Serif CJK SC"

enum kind { B_TITLE, B_SUBTITLE, B_HEADING, B_PARA, B_KV, B_CENTER, B_RIGHT, B_SPACE,
	    B_BREAK, B_THEAD, B_ROW };

struct block {
	enum kind kind;
	char *text[PDF_MAX_COLS];
	int ncols;
	int table;         /* B_THEAD, B_ROW: index of the table's header block */
	double size;       /* B_CENTER; B_SPACE: its height */
	bool serif, bold;
	/* Placement (pass 1). */
	int page;
	double y, h;
	bool head_again;   /* B_ROW first on a page: draw the header above it */
};

struct pdf_doc {
	char *title, *date;
	struct block *b;
	size_t n, cap;
	double widths[64][PDF_MAX_COLS]; /* per table */
	int ntables;
	int cur_table;     /* the table rows go to, -1 if none */
	bool frame;
	char *watermark;
	int pages;
};

struct pdf_doc *pdf_new(const char *title, const char *date)
{
	struct pdf_doc *d = xcalloc(1, sizeof *d);
	d->title = xstrdup(title ? title : "");
	d->date = xstrdup(date ? date : "");
	d->cur_table = -1;
	return d;
}

void pdf_free(struct pdf_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		for (int k = 0; k < PDF_MAX_COLS; k++)
			free(d->b[i].text[k]);
	free(d->b);
	free(d->title);
	free(d->date);
	free(d->watermark);
	free(d);
}

static struct block *push(struct pdf_doc *d, enum kind k, const char *text)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->b = xreallocarray(d->b, d->cap, sizeof *d->b);
	}
	struct block *b = &d->b[d->n++];
	memset(b, 0, sizeof *b);
	b->kind = k;
	b->table = -1;
	if (text)
		b->text[0] = xstrdup(text);
	b->ncols = 1;
	if (k != B_ROW)
		d->cur_table = -1;
	return b;
}

void pdf_title(struct pdf_doc *d, const char *t) { push(d, B_TITLE, t); }
void pdf_subtitle(struct pdf_doc *d, const char *t) { push(d, B_SUBTITLE, t); }
void pdf_heading(struct pdf_doc *d, const char *t) { push(d, B_HEADING, t); }
void pdf_para(struct pdf_doc *d, const char *t) { push(d, B_PARA, t); }
void pdf_right(struct pdf_doc *d, const char *t) { push(d, B_RIGHT, t); }
void pdf_page_break(struct pdf_doc *d) { push(d, B_BREAK, NULL); }

void pdf_kv(struct pdf_doc *d, const char *key, const char *value)
{
	struct block *b = push(d, B_KV, key);
	b->text[1] = xstrdup(value ? value : "");
	b->ncols = 2;
}

void pdf_center(struct pdf_doc *d, const char *text, double size, bool serif, bool bold)
{
	struct block *b = push(d, B_CENTER, text);
	b->size = size;
	b->serif = serif;
	b->bold = bold;
}

void pdf_space(struct pdf_doc *d, double points)
{
	push(d, B_SPACE, NULL)->size = points;
}

void pdf_frame(struct pdf_doc *d, bool on, const char *watermark)
{
	d->frame = on;
	free(d->watermark);
	d->watermark = watermark && watermark[0] ? xstrdup(watermark) : NULL;
}

void pdf_table(struct pdf_doc *d, int n, const char *const *header, const double *widths)
{
	if (n < 1)
		n = 1;
	if (n > PDF_MAX_COLS)
		n = PDF_MAX_COLS;
	if (d->ntables == (int)(sizeof d->widths / sizeof d->widths[0]))
		d->ntables--; /* more tables than slots: the last slot is reused */
	int t = d->ntables++;
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += widths && widths[i] > 0 ? widths[i] : 1.0;
	for (int i = 0; i < n; i++)
		d->widths[t][i] = (widths && widths[i] > 0 ? widths[i] : 1.0) / sum;
	struct block *b = push(d, B_THEAD, NULL);
	b->ncols = n;
	b->table = t;
	for (int i = 0; i < n; i++)
		b->text[i] = xstrdup(header && header[i] ? header[i] : "");
	d->cur_table = (int)(d->n - 1);
}

void pdf_row(struct pdf_doc *d, const char *const *cells)
{
	int head = d->cur_table;
	if (head < 0)
		return; /* a row outside a table: dropped (a programmer's slip) */
	const struct block *h = &d->b[head];
	int n = h->ncols, t = h->table;
	struct block *b = push(d, B_ROW, NULL);
	d->cur_table = head;
	b->ncols = n;
	b->table = head;
	(void)t;
	for (int i = 0; i < n; i++)
		b->text[i] = xstrdup(cells && cells[i] ? cells[i] : "");
}

/* ---- layout ---------------------------------------------------------------------- */

static pthread_mutex_t render_mu = PTHREAD_MUTEX_INITIALIZER;

/* The one font map and the context of the render in progress (both
 * under render_mu). */
static PangoFontMap *font_map;
static PangoContext *render_ctx;
static pthread_once_t cleanup_once = PTHREAD_ONCE_INIT;

/* At exit, give back what the font machinery keeps for the process's
 * life (the font map, cairo's and fontconfig's caches), so that a leak
 * checker sees only real leaks. */
static void pdf_cleanup(void)
{
	pthread_mutex_lock(&render_mu);
	if (font_map) {
		g_object_unref(font_map);
		font_map = NULL;
		cairo_debug_reset_static_data();
		FcFini();
	}
	pthread_mutex_unlock(&render_mu);
}

static void register_cleanup(void) { atexit(pdf_cleanup); }

#if defined(__SANITIZE_ADDRESS__)
/* Under AddressSanitizer: cairo 1.16's PDF backend loses two small
 * arrays in cairo_surface_finish (font subsetting) that no call gives
 * back; LeakSanitizer reads this hook and lets those alone. Ours are
 * still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\n";
}
#endif

static PangoLayout *make_layout(cairo_t *cr, const char *text, const char *family, double size,
				bool bold, double width, PangoAlignment align)
{
	(void)cr;
	PangoLayout *l = pango_layout_new(render_ctx);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draw a layout at (x, y) in a grey level, or only measure it. */
static double text_at(cairo_t *cr, bool draw, double x, double y, const char *text,
		      const char *family, double size, bool bold, double width,
		      PangoAlignment align, double grey)
{
	PangoLayout *l = make_layout(cr, text, family, size, bold, width, align);
	double h = layout_h(l);
	if (draw) {
		cairo_set_source_rgb(cr, grey, grey, grey);
		cairo_move_to(cr, x, y);
		pango_cairo_show_layout(cr, l);
	}
	g_object_unref(l);
	return h;
}

/* A table's header or one of its rows: returns its height. */
static double cells(cairo_t *cr, bool draw, const struct pdf_doc *d, const struct block *b,
		    double y, bool header)
{
	const struct block *head = &d->b[b->kind == B_THEAD ? (size_t)(b - d->b) : (size_t)b->table];
	const double *w = d->widths[head->table];
	double h = 0, x = MARGIN_X;
	double size = header ? 9.5 : 9.0;
	for (int i = 0; i < b->ncols; i++) {
		double cw = w[i] * CONTENT_W;
		double ch = text_at(cr, false, 0, 0, b->text[i], SANS, size, header, cw - 2 * CELL_PAD,
				    PANGO_ALIGN_LEFT, 0);
		if (ch > h)
			h = ch;
	}
	h += 2 * CELL_PAD;
	if (draw) {
		if (header) {
			cairo_set_source_rgb(cr, 0.93, 0.90, 0.88);
			cairo_rectangle(cr, MARGIN_X, y, CONTENT_W, h);
			cairo_fill(cr);
		}
		cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
		cairo_set_line_width(cr, 0.5);
		for (int i = 0; i < b->ncols; i++) {
			double cw = w[i] * CONTENT_W;
			cairo_rectangle(cr, x, y, cw, h);
			cairo_stroke(cr);
			text_at(cr, true, x + CELL_PAD, y + CELL_PAD, b->text[i], SANS, size, header,
				cw - 2 * CELL_PAD, PANGO_ALIGN_LEFT, 0.1);
			x += cw;
		}
	}
	return h;
}

/* Space above and below a block. */
static void gaps(const struct block *b, double *before, double *after)
{
	*before = 0;
	*after = 0;
	switch (b->kind) {
	case B_TITLE: *after = 8; break;
	case B_SUBTITLE: *after = 14; break;
	case B_HEADING: *before = 12; *after = 6; break;
	case B_PARA: *after = 5; break;
	case B_KV: *after = 3; break;
	case B_CENTER: *after = 6; break;
	case B_RIGHT: *after = 4; break;
	case B_THEAD: *before = 2; break;
	default: break;
	}
}

/* Height of a block; drawn at y when `draw`. */
static double block(cairo_t *cr, bool draw, const struct pdf_doc *d, const struct block *b,
		    double y)
{
	switch (b->kind) {
	case B_TITLE:
		return text_at(cr, draw, MARGIN_X, y, b->text[0], SANS, 20, true, CONTENT_W,
			       PANGO_ALIGN_CENTER, 0.1);
	case B_SUBTITLE:
		return text_at(cr, draw, MARGIN_X, y, b->text[0], SANS, 10.5, false, CONTENT_W,
			       PANGO_ALIGN_CENTER, 0.4);
	case B_HEADING: {
		double h = text_at(cr, draw, MARGIN_X + 10, y, b->text[0], SANS, 13, true,
				   CONTENT_W - 10, PANGO_ALIGN_LEFT, 0.1);
		if (draw) {
			cairo_set_source_rgb(cr, 0.72, 0.11, 0.11);
			cairo_rectangle(cr, MARGIN_X, y + 2, 4, h - 4);
			cairo_fill(cr);
			cairo_set_line_width(cr, 0.6);
			cairo_move_to(cr, MARGIN_X, y + h + 2);
			cairo_line_to(cr, MARGIN_X + CONTENT_W, y + h + 2);
			cairo_stroke(cr);
		}
		return h + 3;
	}
	case B_PARA:
		return text_at(cr, draw, MARGIN_X, y, b->text[0], SANS, 10.5, false, CONTENT_W,
			       PANGO_ALIGN_LEFT, 0.1);
	case B_KV: {
		double kh = text_at(cr, draw, MARGIN_X, y, b->text[0], SANS, 10.5, true, 100,
				    PANGO_ALIGN_LEFT, 0.3);
		double vh = text_at(cr, draw, MARGIN_X + 104, y, b->text[1], SANS, 10.5, false,
				    CONTENT_W - 104, PANGO_ALIGN_LEFT, 0.1);
		return kh > vh ? kh : vh;
	}
	case B_CENTER:
		return text_at(cr, draw, MARGIN_X, y, b->text[0], b->serif ? SERIF : SANS, b->size,
			       b->bold, CONTENT_W, PANGO_ALIGN_CENTER, 0.1);
	case B_RIGHT:
		return text_at(cr, draw, MARGIN_X, y, b->text[0], SANS, 11, false, CONTENT_W,
			       PANGO_ALIGN_RIGHT, 0.1);
	case B_SPACE:
		return b->size;
	case B_BREAK:
		return 0;
	case B_THEAD:
		return cells(cr, draw, d, b, y, true);
	case B_ROW:
		return cells(cr, draw, d, b, y, false);
	}
	return 0;
}

/* Pass 1: every block's page and position. */
static void paginate(cairo_t *cr, struct pdf_doc *d)
{
	const double bottom = PAGE_H - MARGIN_BOTTOM;
	int page = 0;
	double y = MARGIN_TOP;
	for (size_t i = 0; i < d->n; i++) {
		struct block *b = &d->b[i];
		if (b->kind == B_BREAK) {
			if (y > MARGIN_TOP) {
				page++;
				y = MARGIN_TOP;
			}
			b->page = page;
			continue;
		}
		double before, after;
		gaps(b, &before, &after);
		b->h = block(cr, false, d, b, 0);
		/* A heading or a table's header keeps room for what follows. */
		double need = b->h + before;
		if ((b->kind == B_HEADING || b->kind == B_THEAD) && i + 1 < d->n)
			need += block(cr, false, d, &d->b[i + 1], 0) + 4;
		b->head_again = false;
		if (y > MARGIN_TOP && y + need > bottom) {
			page++;
			y = MARGIN_TOP;
			if (b->kind == B_ROW) {
				b->head_again = true;
				y += d->b[b->table].h;
			}
		}
		if (y > MARGIN_TOP || b->kind == B_HEADING)
			y += y > MARGIN_TOP ? before : 0;
		b->page = page;
		b->y = y;
		y += b->h + after;
	}
	d->pages = page + 1;
}

/* The running header, footer and frame of page p (0-based). */
static void furniture(cairo_t *cr, const struct pdf_doc *d, int p)
{
	char foot[64];
	snprintf(foot, sizeof foot, "第 %d 页 共 %d 页", p + 1, d->pages);
	if (d->frame) {
		cairo_set_source_rgb(cr, 0.72, 0.11, 0.11);
		cairo_set_line_width(cr, 3);
		cairo_rectangle(cr, 24, 24, PAGE_W - 48, PAGE_H - 48);
		cairo_stroke(cr);
		cairo_set_line_width(cr, 0.8);
		cairo_rectangle(cr, 31, 31, PAGE_W - 62, PAGE_H - 62);
		cairo_stroke(cr);
		if (d->watermark) {
			cairo_save(cr);
			cairo_translate(cr, PAGE_W / 2, PAGE_H / 2);
			cairo_rotate(cr, -0.6);
			PangoLayout *l = make_layout(cr, d->watermark, SANS, 64, true, PAGE_W,
						     PANGO_ALIGN_CENTER);
			cairo_set_source_rgba(cr, 0.72, 0.11, 0.11, 0.12);
			cairo_move_to(cr, -PAGE_W / 2, -layout_h(l) / 2);
			pango_cairo_show_layout(cr, l);
			g_object_unref(l);
			cairo_restore(cr);
		}
	} else {
		text_at(cr, true, MARGIN_X, 30, d->title, SANS, 8.5, false, CONTENT_W,
			PANGO_ALIGN_RIGHT, 0.45);
		cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
		cairo_set_line_width(cr, 0.5);
		cairo_move_to(cr, MARGIN_X, 44);
		cairo_line_to(cr, MARGIN_X + CONTENT_W, 44);
		cairo_stroke(cr);
	}
	text_at(cr, true, MARGIN_X, PAGE_H - 44, foot, SANS, 8.5, false, CONTENT_W,
		PANGO_ALIGN_CENTER, 0.45);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}


enum err pdf_render(struct pdf_doc *d, struct buf *out, struct errinfo *ei)
{
	size_t start = out->len;
	pthread_once(&cleanup_once, register_cleanup);
	pthread_mutex_lock(&render_mu);
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "bangdai");
	if (d->date[0]) {
		char when[40];
		snprintf(when, sizeof when, "%.10sT00:00:00Z", d->date);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, when);
	}
	cairo_t *cr = cairo_create(s);
	if (!font_map)
		font_map = pango_cairo_font_map_new();
	render_ctx = pango_font_map_create_context(font_map);
	pango_cairo_update_context(cr, render_ctx);
	paginate(cr, d);
	for (int p = 0; p < d->pages; p++) {
		furniture(cr, d, p);
		for (size_t i = 0; i < d->n; i++) {
			const struct block *b = &d->b[i];
			if (b->page != p || b->kind == B_BREAK)
				continue;
			if (b->head_again) {
				const struct block *h = &d->b[b->table];
				block(cr, true, d, h, b->y - h->h);
			}
			block(cr, true, d, b, b->y);
		}
		cairo_show_page(cr);
	}
	cairo_status_t st = cairo_status(cr);
	g_object_unref(render_ctx);
	render_ctx = NULL;
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	pthread_mutex_unlock(&render_mu);
	if (st != CAIRO_STATUS_SUCCESS && out->data) {
		out->len = start; /* nothing of a failed document stays */
		out->data[start] = '\0';
	}
	if (st == CAIRO_STATUS_WRITE_ERROR)
		return errinfo_set(ei, ERR_TOO_LARGE, NULL, "文档过大 (document too large)");
	if (st != CAIRO_STATUS_SUCCESS)
		return errinfo_set(ei, ERR_INTERNAL, NULL, "PDF 生成失败: %s", cairo_status_to_string(st));
	return ERR_OK;
}
