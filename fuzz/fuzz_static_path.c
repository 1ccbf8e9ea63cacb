/*
 * fuzz_static_path.c — libFuzzer target: the mapping of a decoded request
 * path to a file under the web root (http_static_open, src/http/static.c),
 * which must refuse everything that could leave the root.
 *
 * Input: the decoded path, exactly as many bytes as given (the contract
 * takes pointer and length; nothing follows them).
 *
 * The root is a private temporary folder holding index.html, app.js,
 * sub/index.html, a dot-file .secret, a symlink link.js that points out
 * of the root, and, beside the root, a file outside.html.
 *
 * Checks, beyond the sanitizers: an accepted path opens one of the three
 * public files (compared by device and inode), never .secret, the
 * outside file or anything through the symlink; the content type is never
 * NULL.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/static.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char top[96];   /* temporary folder: root/ and outside.html */
static char *root;     /* canonical root, as http_static_root gives it */
static struct stat pub[3];

static void put(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", top, rel);
	FILE *f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

static void cleanup(void)
{
	static const char *const files[] = {"root/index.html", "root/app.js", "root/sub/index.html",
					    "root/.secret", "root/link.js", "outside.html"};
	char p[256];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", top, files[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/root/sub", top);
	rmdir(p);
	snprintf(p, sizeof p, "%s/root", top);
	rmdir(p);
	rmdir(top);
	free(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char p[256], q[256];
	snprintf(top, sizeof top, "%s/bangdai-fuzz-static-XXXXXX", tmp);
	if (!mkdtemp(top))
		abort();
	snprintf(p, sizeof p, "%s/root", top);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/root/sub", top);
	mkdir(p, 0700);
	put("root/index.html", "<!doctype html>");
	put("root/app.js", "export {};");
	put("root/sub/index.html", "<!doctype html>");
	put("root/.secret", "secret");
	put("outside.html", "outside");
	snprintf(p, sizeof p, "%s/outside.html", top);
	snprintf(q, sizeof q, "%s/root/link.js", top);
	if (symlink(p, q) != 0)
		abort();
	atexit(cleanup);
	snprintf(p, sizeof p, "%s/root", top);
	if (http_static_root(p, &root) != ERR_OK)
		abort();
	static const char *const ok[3] = {"index.html", "app.js", "sub/index.html"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/root/%s", top, ok[i]);
		if (stat(p, &pub[i]) != 0)
			abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_static_file f;
	memset(&f, 0, sizeof f);
	f.fd = -1;
	enum err e = http_static_open(root, (const char *)data, size, &f);
	if (e != ERR_OK) {
		if (e != ERR_NOT_FOUND) {
			fprintf(stderr, "fuzz_static_path: error %d, not ERR_NOT_FOUND\n", e);
			abort();
		}
		return 0;
	}
	struct stat st;
	if (f.fd < 0 || fstat(f.fd, &st) != 0 || !f.content_type) {
		fprintf(stderr, "fuzz_static_path: accepted without a file or a type\n");
		abort();
	}
	bool known = false;
	for (int i = 0; i < 3; i++)
		known |= st.st_dev == pub[i].st_dev && st.st_ino == pub[i].st_ino;
	if (!known || (size_t)st.st_size != f.size) {
		fprintf(stderr, "fuzz_static_path: \"%.*s\" opened a file it must not\n", (int)size,
			(const char *)data);
		abort();
	}
	close(f.fd);
	return 0;
}
