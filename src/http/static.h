/*
 * static.h — static files from the web root (layer: http, internal).
 *
 * Maps a decoded request path to a regular file under the web root and
 * opens it, refusing anything that could leave the root: "..", a
 * backslash, a NUL, a dot-file segment, or a path whose realpath lies
 * outside. Used only by server.c; the rest of the program never sees it.
 */
#ifndef BANGDAI_HTTP_STATIC_H
#define BANGDAI_HTTP_STATIC_H

#include <stddef.h>

#include "core/err.h"

struct http_static_file {
	int fd;                   /* open, O_RDONLY|O_CLOEXEC; owned by the caller */
	size_t size;              /* bytes in the file */
	const char *content_type; /* static string */
};

/*
 * Resolve `root` (borrowed) to an absolute canonical path, returned owned
 * in *out (free with free()).
 * Errors: ERR_IO if it does not exist or is not a directory.
 */
enum err http_static_root(const char *root, char **out);

/*
 * Open the file for `path` (decoded, starts with "/", borrowed; len bytes,
 * may contain NUL which is refused) below `root` (as returned by
 * http_static_root). A path ending in "/" means its index.html.
 * On success fills *f; the caller closes f->fd (or hands it to MHD).
 * Errors: ERR_NOT_FOUND for anything that is not a readable regular file
 * inside the root, including every refused path.
 */
enum err http_static_open(const char *root, const char *path, size_t len,
			  struct http_static_file *f);

/* Content type for a file name by its extension; never NULL. */
const char *http_static_type(const char *name);

#endif
