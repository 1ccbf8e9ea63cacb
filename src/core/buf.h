/*
 * buf.h — the one growable byte buffer, always bounded (layer: core).
 *
 * A buffer is given its maximum size when it is initialised; an append
 * that would pass it fails with ERR_TOO_LARGE and leaves the buffer as it
 * was. The contents are always NUL-terminated (the NUL is not counted in
 * `len`), so `data` can be handed to C string functions when the bytes are
 * text.
 *
 *   struct buf b;
 *   buf_init(&b, 1 << 20);
 *   if (buf_printf(&b, "%d", n)) ...;
 *   buf_release(&b);
 */
#ifndef BANGDAI_CORE_BUF_H
#define BANGDAI_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"

struct buf {
	char *data;  /* owned; NULL until the first append */
	size_t len;  /* bytes used, not counting the trailing NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* largest allowed len */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);       /* frees data; b can be init'ed again */
void buf_clear(struct buf *b);         /* len = 0, keeps the memory */
/* Hand the data to the caller (owned, NUL-terminated, never NULL) and reset b. */
char *buf_detach(struct buf *b, size_t *len_out);

/* Make room for n more bytes now, so that appends up to them do not
 * reallocate. ERR_TOO_LARGE past the limit (b unchanged). */
enum err buf_reserve(struct buf *b, size_t n);
enum err buf_append(struct buf *b, const void *p, size_t n);
enum err buf_puts(struct buf *b, const char *s);
enum err buf_putc(struct buf *b, char c);
enum err buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum err buf_vprintf(struct buf *b, const char *fmt, va_list ap);

#endif
