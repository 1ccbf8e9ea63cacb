/*
 * vec.h — growing arrays of rows (layer: core).
 *
 * VEC(T) is an anonymous struct {T *v; size_t n, cap;}, zero-initialised
 * empty; VEC_PUSH appends a copy of `item`, doubling from 64 (xreallocarray
 * aborts on exhaustion, as everywhere). The owner frees `.v`.
 */
#ifndef BANGDAI_CORE_VEC_H
#define BANGDAI_CORE_VEC_H

#include "core/mem.h"

#define VEC(T)                 \
	struct {               \
		T *v;          \
		size_t n, cap; \
	}

#define VEC_PUSH(vec, item)                                                           \
	do {                                                                          \
		if ((vec).n == (vec).cap) {                                           \
			(vec).cap = (vec).cap ? 2 * (vec).cap : 64;                   \
			(vec).v = xreallocarray((vec).v, (vec).cap, sizeof *(vec).v); \
		}                                                                     \
		(vec).v[(vec).n++] = (item);                                          \
	} while (0)

#endif
