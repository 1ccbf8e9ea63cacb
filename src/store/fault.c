/*
 * fault.c — the fault injection switch and SQLite's two shims (see
 * fault.h). Layer: store. The shims pass every call through to what
 * SQLite had before, and fail only the armed kind once its count is
 * reached.
 */
#include "store/fault.h"

#include <sqlite3.h>
#include <string.h>

_Atomic int fault_armed_;
static _Atomic long after_n, calls, hits;
static _Atomic bool once;

static void arm(enum fault_kind kind, long n, bool one)
{
	atomic_store(&fault_armed_, 0);
	atomic_store(&calls, 0);
	atomic_store(&hits, 0);
	atomic_store(&after_n, n < 1 ? 1 : n);
	atomic_store(&once, one);
	atomic_store(&fault_armed_, (int)kind + 1);
}

void fault_arm(enum fault_kind kind, long n) { arm(kind, n, false); }
void fault_arm_once(enum fault_kind kind, long n) { arm(kind, n, true); }

void fault_disarm(void) { atomic_store(&fault_armed_, 0); }
long fault_hits(void) { return atomic_load(&hits); }
long fault_calls(void) { return atomic_load(&calls); }

bool fault_fire_slow(enum fault_kind kind)
{
	(void)kind;
	long n = atomic_fetch_add(&calls, 1) + 1, at = atomic_load(&after_n);
	if (n < at || (n > at && atomic_load(&once)))
		return false;
	atomic_fetch_add(&hits, 1);
	return true;
}

/* ---- SQLite's allocator ------------------------------------------------ */

static sqlite3_mem_methods real_mem;

static void *fm_malloc(int n) { return fault_fire(FAULT_SQLITE_MALLOC) ? NULL : real_mem.xMalloc(n); }
static void *fm_realloc(void *p, int n)
{
	return fault_fire(FAULT_SQLITE_MALLOC) ? NULL : real_mem.xRealloc(p, n);
}
static void fm_free(void *p) { real_mem.xFree(p); }
static int fm_size(void *p) { return real_mem.xSize(p); }
static int fm_roundup(int n) { return real_mem.xRoundup(n); }
static int fm_init(void *app) { return real_mem.xInit(app); }
static void fm_shutdown(void *app) { real_mem.xShutdown(app); }

/* ---- a VFS over the default one ---------------------------------------- */

/* Our file, followed in the same allocation by the real VFS's file. */
struct ffile {
	sqlite3_file base;
	sqlite3_file *real;
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;

#define REAL(f) (((struct ffile *)(f))->real)

static int ff_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int ff_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int ff_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
	if (fault_fire(FAULT_SQLITE_IOERR))
		return SQLITE_IOERR_WRITE;
	if (fault_fire(FAULT_SQLITE_FULL))
		return SQLITE_FULL;
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (fault_fire(FAULT_SQLITE_IOERR))
		return SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int ff_sync(sqlite3_file *f, int flags)
{
	if (fault_fire(FAULT_SQLITE_IOERR))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int ff_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int ff_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int ff_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int ff_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int ff_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int ff_sector_size(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int ff_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int ff_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, out);
}
static int ff_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void ff_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int ff_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int ff_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, out);
}
static int ff_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

/* One table per version of the real file's methods, so that SQLite sees
 * exactly the capabilities the real file has (no WAL without xShmMap). */
#define FF_V1                                                                                  \
	.xClose = ff_close, .xRead = ff_read, .xWrite = ff_write, .xTruncate = ff_truncate,    \
	.xSync = ff_sync, .xFileSize = ff_file_size, .xLock = ff_lock, .xUnlock = ff_unlock,   \
	.xCheckReservedLock = ff_check_reserved, .xFileControl = ff_file_control,              \
	.xSectorSize = ff_sector_size, .xDeviceCharacteristics = ff_device
#define FF_V2 .xShmMap = ff_shm_map, .xShmLock = ff_shm_lock, .xShmBarrier = ff_shm_barrier, \
	      .xShmUnmap = ff_shm_unmap
static const sqlite3_io_methods ff_methods[3] = {
	{.iVersion = 1, FF_V1},
	{.iVersion = 2, FF_V1, FF_V2},
	{.iVersion = 3, FF_V1, FF_V2, .xFetch = ff_fetch, .xUnfetch = ff_unfetch},
};

static int fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	struct ffile *ff = (struct ffile *)f;
	ff->real = (sqlite3_file *)(ff + 1);
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	const sqlite3_io_methods *m = ff->real->pMethods;
	/* SQLite calls xClose whenever pMethods is set, even after a failed
	 * open, so it is set exactly when the real file's is. */
	if (!m)
		f->pMethods = NULL;
	else
		f->pMethods = &ff_methods[m->iVersion >= 3 ? 2 : m->iVersion - 1];
	return rc;
}

bool fault_install(void)
{
	static bool done;
	if (done)
		return true;
	sqlite3_mem_methods mm;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
		return false;
	mm = real_mem;
	mm.xMalloc = fm_malloc;
	mm.xRealloc = fm_realloc;
	mm.xFree = fm_free;
	mm.xSize = fm_size;
	mm.xRoundup = fm_roundup;
	mm.xInit = fm_init;
	mm.xShutdown = fm_shutdown;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mm) != SQLITE_OK)
		return false;
	/* As store_sqlite.c configures it (which it cannot once this has
	 * initialised SQLite). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* sqlite3_vfs_find initialises SQLite: after the configuration. */
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		return false;
	fault_vfs = *real_vfs;
	fault_vfs.szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile;
	fault_vfs.zName = "bangdai-fault";
	fault_vfs.pNext = NULL;
	fault_vfs.xOpen = fv_open;
	if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK)
		return false;
	done = true;
	return true;
}
