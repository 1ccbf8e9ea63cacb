/*
 * fault.h — fault injection for tests (layer: store; the import path in
 * service/ uses it too). A test arms one kind of fault to fire from the
 * Nth call of that kind on, runs an operation, and checks that it failed
 * cleanly: an error back, the data as it was.
 *
 * Our own allocations are not a point of failure to inject: core/mem.h's
 * wrappers abort on exhaustion by design. What can fail under a running
 * server is the storage engine and I/O, hence the kinds below.
 *
 * Always compiled in, inert unless armed: the tests link the very library
 * the product is built from (no second build of everything on a 2-core
 * machine, and what is tested is what ships). Unarmed, a hook in our code
 * (store_step, store_exec, the transaction's BEGIN and COMMIT, the .xlsx
 * reader's file layer) costs one relaxed atomic load and a branch. The two
 * SQLite shims (an allocator around SQLite's own, a VFS around the default
 * one) are installed only by fault_install, which only tests call: the
 * product's SQLite runs with nothing in between.
 *
 *   fault_install();                        // first, before any store_open
 *   fault_arm(FAULT_SQLITE_MALLOC, 5);      // the 5th allocation and after fail
 *   e = operation();
 *   long hits = fault_hits();               // 0: it ran past the fault
 *   fault_disarm();
 */
#ifndef BANGDAI_STORE_FAULT_H
#define BANGDAI_STORE_FAULT_H

#include <stdatomic.h>
#include <stdbool.h>

enum fault_kind {
	FAULT_SQLITE_MALLOC, /* SQLite's allocator returns NULL (SQLITE_NOMEM) */
	FAULT_SQLITE_IOERR,  /* VFS xWrite/xSync/xTruncate: SQLITE_IOERR_WRITE/_FSYNC/_TRUNCATE */
	FAULT_SQLITE_FULL,   /* VFS xWrite: SQLITE_FULL (the disk is full) */
	FAULT_STORE_STEP,    /* store_step/store_exec/BEGIN/COMMIT: ERR_DB, any backend */
	FAULT_SHEET_READ,    /* the .xlsx reader's file layer: a short read */
	FAULT__MAX
};

/* Install the SQLite allocator and VFS shims (idempotent). Must run before
 * SQLite initialises, i.e. before the process's first store_open; without
 * it the two FAULT_SQLITE_ kinds never fire. Returns false if SQLite was
 * initialised already. */
bool fault_install(void);

/* Fail the `after_n`-th call (1-based) of `kind` and every later one,
 * until fault_disarm: a persistent fault, as a full disk or exhausted
 * memory is. Resets the counts. */
void fault_arm(enum fault_kind kind, long after_n);
/* Fail only the `n`-th call: a transient fault, which the code must not
 * take for success (nor ignore and carry on with part of a write). */
void fault_arm_once(enum fault_kind kind, long n);
void fault_disarm(void);
/* Calls failed since fault_arm. */
long fault_hits(void);
/* Calls of the armed kind seen since fault_arm (failed or not). */
long fault_calls(void);

/* For the hooks: true if this call must fail. One load and a branch while
 * nothing is armed. */
extern _Atomic int fault_armed_; /* the armed kind + 1, 0 for none */
bool fault_fire_slow(enum fault_kind kind);
static inline bool fault_fire(enum fault_kind kind)
{
	return atomic_load_explicit(&fault_armed_, memory_order_relaxed) == (int)kind + 1 &&
	       fault_fire_slow(kind);
}

#endif
