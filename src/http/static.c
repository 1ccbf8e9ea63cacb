/*
 * static.c — static files from the web root. Layer: http.
 *
 * Owns the mapping from a URL path to a file and the refusal of every
 * path that could escape the root. It opens files but never writes a
 * response: server.c turns the descriptor into one. Checks are done
 * twice on purpose: textually on the decoded path (cheap, catches "..",
 * backslashes, NULs and dot-files) and on the resolved path (realpath
 * must stay under the root, so a symlink pointing out is refused), and
 * the final open uses O_NOFOLLOW so nothing is swapped in between.
 */
#include "http/static.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct ext_type {
	const char *ext;
	const char *type;
};

static const struct ext_type ext_types[] = {
	{"html", "text/html; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"mjs", "text/javascript; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"json", "application/json; charset=utf-8"},
	{"svg", "image/svg+xml"},
	{"png", "image/png"},
	{"ico", "image/x-icon"},
	{"woff2", "font/woff2"},
	{"map", "application/json; charset=utf-8"},
	{"txt", "text/plain; charset=utf-8"},
};

const char *http_static_type(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	if (dot)
		for (size_t i = 0; i < sizeof ext_types / sizeof ext_types[0]; i++)
			if (strcasecmp(dot + 1, ext_types[i].ext) == 0)
				return ext_types[i].type;
	return "application/octet-stream";
}

enum err http_static_root(const char *root, char **out)
{
	struct stat st;
	char *r = realpath(root, NULL);
	if (!r)
		return ERR_IO;
	if (stat(r, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(r);
		return ERR_IO;
	}
	*out = r;
	return ERR_OK;
}

/* True if the decoded path may name a file: starts with "/", no NUL, no
 * backslash, no "..", no segment starting with "." (dot-files, ".git"). */
static int path_is_clean(const char *path, size_t len)
{
	if (len == 0 || path[0] != '/' || memchr(path, '\0', len) || memchr(path, '\\', len))
		return 0;
	for (size_t i = 0; i + 1 < len; i++) {
		if (path[i] == '.' && path[i + 1] == '.')
			return 0;
		if (path[i] == '/' && path[i + 1] == '.')
			return 0;
	}
	return 1;
}

enum err http_static_open(const char *root, const char *path, size_t len,
			  struct http_static_file *f)
{
	char full[PATH_MAX];
	char *real = NULL;
	int fd = -1;
	enum err e = ERR_NOT_FOUND;
	struct stat st;

	if (!path_is_clean(path, len) || len >= sizeof full)
		return ERR_NOT_FOUND;
	/* Exactly len bytes: path need not be NUL-terminated. */
	int n = snprintf(full, sizeof full, "%s%.*s%s", root, (int)len, path,
			 path[len - 1] == '/' ? "index.html" : "");
	if (n < 0 || (size_t)n >= sizeof full)
		return ERR_NOT_FOUND;

	real = realpath(full, NULL);
	if (!real)
		goto out;
	size_t rlen = strlen(root);
	if (strncmp(real, root, rlen) != 0 || real[rlen] != '/')
		goto out;
	fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		goto out;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	f->fd = fd;
	f->size = (size_t)st.st_size;
	f->content_type = http_static_type(real);
	fd = -1;
	e = ERR_OK;
out:
	if (fd >= 0)
		close(fd);
	free(real);
	return e;
}
