/*
 * log.c — JSON-lines logging. Layer: core.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level min) { min_level = min; }

void log_escape(const char *s, char *out, unsigned n)
{
	unsigned o = 0;
	if (n == 0)
		return;
	for (; *s && o + 7 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			o += (unsigned)snprintf(out + o, n - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

void log_event(enum log_level lvl, const char *msg, const char *kv_fmt, ...)
{
	if (lvl < min_level || lvl >= LOG_OFF)
		return;
	char line[2048], emsg[512];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	log_escape(msg, emsg, sizeof emsg);
	int n = snprintf(line, sizeof line,
			 "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\",\"msg\":\"%s\"",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, ts.tv_nsec / 1000000, level_names[lvl], emsg);
	if (kv_fmt && n > 0 && (size_t)n < sizeof line - 2) {
		line[n++] = ',';
		va_list ap;
		va_start(ap, kv_fmt);
		int m = vsnprintf(line + n, sizeof line - (size_t)n, kv_fmt, ap);
		va_end(ap);
		if (m > 0)
			n += m;
	}
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 3)
		n = (int)sizeof line - 3;
	line[n++] = '}';
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}
