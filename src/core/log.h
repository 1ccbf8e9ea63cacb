/*
 * log.h — JSON-lines logging to standard error (layer: core).
 *
 * One line per event: {"ts":"...","level":"info","msg":"...", ...}.
 * `kv` is extra JSON members written verbatim (caller escapes), may be NULL.
 * Thread-safe (one write(2) per line).
 */
#ifndef BANGDAI_CORE_LOG_H
#define BANGDAI_CORE_LOG_H

/* LOG_OFF only as log_set_level's minimum: nothing is logged (tests that
 * provoke failures by the hundred). */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_set_level(enum log_level min);
void log_event(enum log_level lvl, const char *msg, const char *kv_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Escape `s` as the inside of a JSON string into `out` (size n, truncated,
 * NUL-terminated). For log fields built from untrusted text. */
void log_escape(const char *s, char *out, unsigned n);

#endif
