/*
 * buf.c — bounded growable buffer. Layer: core.
 */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

void buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len_out)
{
	char *p = b->data;
	if (!p) {
		p = xmalloc(1);
		p[0] = '\0';
	}
	if (len_out)
		*len_out = b->len;
	buf_init(b, b->max);
	return p;
}

/* Make room for `n` more bytes plus the NUL. */
static enum err buf_grow(struct buf *b, size_t n)
{
	if (n > b->max - b->len)
		return ERR_TOO_LARGE;
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return ERR_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	b->data = xreallocarray(b->data, cap, 1);
	b->cap = cap;
	return ERR_OK;
}

enum err buf_reserve(struct buf *b, size_t n) { return buf_grow(b, n); }

enum err buf_append(struct buf *b, const void *p, size_t n)
{
	enum err e = buf_grow(b, n);
	if (e)
		return e;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return ERR_OK;
}

enum err buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

enum err buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

enum err buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return ERR_INTERNAL;
	enum err e = buf_grow(b, (size_t)n);
	if (e)
		return e;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return ERR_OK;
}

enum err buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum err e = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return e;
}
