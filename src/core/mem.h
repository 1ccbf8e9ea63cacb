/*
 * mem.h — allocation wrappers (layer: core).
 *
 * They abort on exhaustion, so callers never test for NULL; every size
 * product is overflow-checked. `x*(0)` returns a valid unique pointer.
 * Sizes that come from outside must be checked against a named limit
 * (core/limits.h) *before* calling these.
 */
#ifndef BANGDAI_CORE_MEM_H
#define BANGDAI_CORE_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);                       /* returned owned */
void *xcalloc(size_t nmemb, size_t size);      /* zeroed; overflow-checked */
void *xreallocarray(void *p, size_t nmemb, size_t size); /* p taken */
char *xstrdup(const char *s);                  /* s borrowed */
char *xstrndup(const char *s, size_t n);       /* copies at most n bytes, adds NUL */
void *xmemdup(const void *p, size_t n);

/* Multiply with overflow check; aborts on overflow (a programmer's error
 * once the inputs were checked against limits). */
size_t xmul(size_t a, size_t b);

#endif
