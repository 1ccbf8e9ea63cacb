/*
 * libhttpc.c — spawn the real server and speak raw HTTP/1.1 to it, for
 * the API test suites. See libhttpc.h.
 *
 * Deliberately small and strict: it parses exactly one response per
 * connection, understands Content-Length and chunked bodies, and fails
 * (returns -1) rather than guessing, so that a malformed answer from the
 * server shows up as a test failure.
 */
#include "libhttpc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"

#define HTTPC_TIMEOUT_MS 10000
#define HTTPC_MAX_RESPONSE ((size_t)256 << 20)
#define HTTPC_MAX_ARGS 32

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* ---- server process --------------------------------------------------- */

void httpc_dump_log(const struct httpc_server *s)
{
	char b[4096];
	FILE *f = s->log_path[0] ? fopen(s->log_path, "r") : NULL;
	if (!f)
		return;
	fprintf(stderr, "---- server log %s ----\n", s->log_path);
	size_t n;
	while ((n = fread(b, 1, sizeof b, f)) > 0)
		fwrite(b, 1, n, stderr);
	fprintf(stderr, "---- end of server log ----\n");
	fclose(f);
}

/* The port in the port file, or 0 if it is not (yet) there. */
static uint16_t read_port_file(const char *path)
{
	char b[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, b, sizeof b - 1);
	close(fd);
	if (n <= 0)
		return 0;
	b[n] = '\0';
	unsigned long v = 0;
	size_t i = 0;
	for (; b[i] >= '0' && b[i] <= '9'; i++)
		v = v * 10 + (unsigned long)(b[i] - '0');
	if (i == 0 || i > 5 || v == 0 || v > 65535 || (b[i] && b[i] != '\n'))
		return 0;
	return (uint16_t)v;
}

/* This thread's source address (httpc_set_source); 0 = the kernel's. */
static _Thread_local in_addr_t source_addr;

int httpc_set_source(const char *ipv4)
{
	struct in_addr a;
	if (!ipv4) {
		source_addr = 0;
		return 0;
	}
	if (inet_pton(AF_INET, ipv4, &a) != 1)
		return -1;
	source_addr = a.s_addr;
	return 0;
}

static int connect_port(uint16_t port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (source_addr) {
		struct sockaddr_in src;
		memset(&src, 0, sizeof src);
		src.sin_family = AF_INET;
		src.sin_addr.s_addr = source_addr;
		if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
			close(fd);
			return -1;
		}
	}
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static void remove_dir(struct httpc_server *s)
{
	char p[160];
	if (!s->dir[0])
		return;
	snprintf(p, sizeof p, "%s/port", s->dir);
	unlink(p);
	unlink(s->log_path);
	rmdir(s->dir);
	s->dir[0] = '\0';
	s->log_path[0] = '\0';
}

int httpc_spawn_server(const char *db_path, struct httpc_server *out)
{
	return httpc_spawn_server_args(db_path, NULL, out);
}

int httpc_spawn_server_args(const char *db_path, const char *const *extra_args,
			    struct httpc_server *out)
{
	const char *bin = getenv("BANGDAI_BIN");
	const char *argv[HTTPC_MAX_ARGS];
	char port_file[160];
	int argc = 0;

	memset(out, 0, sizeof *out);
	if (!bin || !*bin)
		bin = "./bangdai";
	snprintf(out->dir, sizeof out->dir, "/tmp/bangdai-httpc-XXXXXX");
	if (!mkdtemp(out->dir)) {
		fprintf(stderr, "httpc: mkdtemp: %s\n", strerror(errno));
		out->dir[0] = '\0';
		return -1;
	}
	snprintf(port_file, sizeof port_file, "%s/port", out->dir);
	snprintf(out->log_path, sizeof out->log_path, "%s/server.log", out->dir);

	argv[argc++] = bin;
	argv[argc++] = "serve";
	argv[argc++] = "--db";
	argv[argc++] = db_path;
	argv[argc++] = "--listen";
	argv[argc++] = "127.0.0.1:0";
	argv[argc++] = "--port-file";
	argv[argc++] = port_file;
	for (size_t i = 0; extra_args && extra_args[i]; i++) {
		if (argc >= HTTPC_MAX_ARGS - 1) {
			fprintf(stderr, "httpc: too many server arguments\n");
			remove_dir(out);
			return -1;
		}
		argv[argc++] = extra_args[i];
	}
	argv[argc] = NULL;

	int logfd = open(out->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (logfd < 0) {
		fprintf(stderr, "httpc: %s: %s\n", out->log_path, strerror(errno));
		remove_dir(out);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "httpc: fork: %s\n", strerror(errno));
		close(logfd);
		remove_dir(out);
		return -1;
	}
	if (pid == 0) {
		dup2(logfd, STDOUT_FILENO);
		dup2(logfd, STDERR_FILENO);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		execv(bin, (char *const *)argv);
		dprintf(STDERR_FILENO, "httpc: exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(logfd);
	out->pid = pid;

	long deadline = now_ms() + HTTPC_TIMEOUT_MS;
	while (now_ms() < deadline) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			fprintf(stderr, "httpc: %s serve exited during start-up (status %d)\n", bin,
				WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
			out->pid = 0;
			httpc_dump_log(out);
			remove_dir(out);
			return -1;
		}
		uint16_t port = read_port_file(port_file);
		if (port) {
			int fd = connect_port(port);
			if (fd >= 0) {
				close(fd);
				out->port = port;
				return 0;
			}
		}
		sleep_ms(20);
	}
	fprintf(stderr, "httpc: %s serve did not report a listening port within %d ms\n", bin,
		HTTPC_TIMEOUT_MS);
	httpc_dump_log(out);
	httpc_stop_server(out);
	return -1;
}

int httpc_stop_server(struct httpc_server *s)
{
	int status = -1;
	if (s->pid > 0) {
		int st = 0;
		pid_t w = 0;
		kill(s->pid, SIGTERM);
		long deadline = now_ms() + HTTPC_TIMEOUT_MS;
		while ((w = waitpid(s->pid, &st, WNOHANG)) == 0 && now_ms() < deadline)
			sleep_ms(10);
		if (w == 0) {
			fprintf(stderr, "httpc: server %d ignored SIGTERM; killing it\n", (int)s->pid);
			kill(s->pid, SIGKILL);
			w = waitpid(s->pid, &st, 0);
		}
		if (w == s->pid)
			status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		s->pid = 0;
	}
	s->port = 0;
	remove_dir(s);
	return status;
}

/* ---- responses -------------------------------------------------------- */

void httpc_response_release(struct httpc_response *r)
{
	for (int i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->body);
	memset(r, 0, sizeof *r);
}

const char *httpc_header(const struct httpc_response *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

json_t *httpc_json(const struct httpc_response *r)
{
	json_error_t err;
	if (!r->body)
		return NULL;
	return json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
}

static char *dup_range(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Parse the status line and header lines in [p, p+n) (without the final
 * blank line) into *r. -1 if malformed. */
static int parse_head(const char *p, size_t n, struct httpc_response *r)
{
	const char *end = p + n;
	const char *eol = memchr(p, '\n', n);
	if (!eol)
		eol = end;
	int major, minor, status;
	char line[64];
	size_t ll = (size_t)(eol - p) < sizeof line - 1 ? (size_t)(eol - p) : sizeof line - 1;
	memcpy(line, p, ll);
	line[ll] = '\0';
	if (sscanf(line, "HTTP/%d.%d %3d", &major, &minor, &status) != 3 || status < 100 ||
	    status > 999)
		return -1;
	r->status = status;
	for (p = eol < end ? eol + 1 : end; p < end;) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *le = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		const char *colon = memchr(p, ':', (size_t)(le - p));
		if (!colon || colon == p)
			return -1;
		const char *v = colon + 1;
		while (v < le && (*v == ' ' || *v == '\t'))
			v++;
		const char *ve = le;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		struct httpc_header *h = realloc(r->headers, sizeof *h * (size_t)(r->nheaders + 1));
		if (!h)
			abort();
		r->headers = h;
		h[r->nheaders].name = dup_range(p, (size_t)(colon - p));
		h[r->nheaders].value = dup_range(v, (size_t)(ve - v));
		r->nheaders++;
		p = eol + 1;
	}
	return 0;
}

/* Decode a chunked body in [p, p+n). Returns bytes consumed when the
 * whole body (with its trailer) is there, 0 if more is needed, -1 if
 * malformed. The decoded bytes go to *dec. */
static long decode_chunked(const char *p, size_t n, struct buf *dec)
{
	size_t i = 0;
	buf_clear(dec);
	for (;;) {
		const char *eol = memchr(p + i, '\n', n - i);
		if (!eol)
			return 0;
		size_t size = 0, digits = 0;
		for (const char *c = p + i; c < eol; c++, digits++) {
			int d = *c >= '0' && *c <= '9'   ? *c - '0'
				: *c >= 'a' && *c <= 'f' ? *c - 'a' + 10
				: *c >= 'A' && *c <= 'F' ? *c - 'A' + 10
							 : -1;
			if (d < 0)
				break; /* extensions or CR */
			if (size > (SIZE_MAX >> 4))
				return -1;
			size = size * 16 + (size_t)d;
		}
		if (digits == 0)
			return -1;
		i = (size_t)(eol - p) + 1;
		if (size == 0) {
			/* Trailer lines, then an empty line. */
			for (;;) {
				eol = memchr(p + i, '\n', n - i);
				if (!eol)
					return 0;
				size_t len = (size_t)(eol - (p + i));
				i = (size_t)(eol - p) + 1;
				if (len == 0 || (len == 1 && eol[-1] == '\r'))
					return (long)i;
			}
		}
		if (n - i < size + 2)
			return 0;
		if (buf_append(dec, p + i, size) != ERR_OK)
			return -1;
		i += size;
		if (p[i] == '\r')
			i++;
		if (i >= n)
			return 0;
		if (p[i] != '\n')
			return -1;
		i++;
	}
}

/* Try to parse one final response from the bytes in `in`. 1 = complete
 * (*r filled), 0 = need more, -1 = malformed. With `eof` the peer has
 * closed, so a body without framing ends here. */
static int try_parse(struct buf *in, int head_only, int eof, struct httpc_response *r)
{
	size_t off = 0;
	for (;;) {
		const char *p = in->data + off;
		size_t n = in->len - off;
		const char *hend = NULL;
		size_t seplen = 0;
		for (size_t i = 0; i + 1 < n; i++) {
			if (p[i] == '\n' && p[i + 1] == '\n') {
				hend = p + i;
				seplen = 2;
				break;
			}
			if (i + 3 < n && memcmp(p + i, "\r\n\r\n", 4) == 0) {
				hend = p + i;
				seplen = 4;
				break;
			}
		}
		if (!hend)
			return eof && n ? -1 : 0;
		httpc_response_release(r);
		if (parse_head(p, (size_t)(hend - p), r) != 0)
			return -1;
		const char *body = hend + seplen;
		size_t avail = n - (size_t)(body - p);
		if (r->status >= 100 && r->status < 200) {
			off = (size_t)(body - in->data); /* interim: skip it */
			continue;
		}
		const char *te = httpc_header(r, "Transfer-Encoding");
		const char *cl = httpc_header(r, "Content-Length");
		if (head_only || r->status == 204 || r->status == 304) {
			r->body = dup_range("", 0);
			return 1;
		}
		if (te && strcasecmp(te, "chunked") == 0) {
			struct buf dec;
			buf_init(&dec, HTTPC_MAX_RESPONSE);
			long used = decode_chunked(body, avail, &dec);
			if (used > 0) {
				r->body = dup_range(dec.data ? dec.data : "", dec.len);
				r->body_len = dec.len;
			}
			buf_release(&dec);
			return used > 0 ? 1 : used < 0 || eof ? -1 : 0;
		}
		if (cl) {
			char *e;
			errno = 0;
			unsigned long long want = strtoull(cl, &e, 10);
			if (errno || *e || e == cl)
				return -1;
			if (avail < want)
				return eof ? -1 : 0;
			r->body = dup_range(body, (size_t)want);
			r->body_len = (size_t)want;
			return 1;
		}
		if (!eof)
			return 0;
		r->body = dup_range(body, avail);
		r->body_len = avail;
		return 1;
	}
}

int httpc_quiet;

/* Send `len` bytes on a fresh connection, read one response into *out. */
static int exchange(uint16_t port, const char *bytes, size_t len, int head_only,
		    struct httpc_response *out)
{
	struct buf in;
	int rc = -1, fd;
	long deadline = now_ms() + HTTPC_TIMEOUT_MS;

	memset(out, 0, sizeof *out);
	buf_init(&in, HTTPC_MAX_RESPONSE);
	if ((fd = connect_port(port)) < 0) {
		if (!httpc_quiet)
			fprintf(stderr, "httpc: cannot connect to port %u: %s\n", (unsigned)port,
				strerror(errno));
		return -1;
	}
	/* Interleave sending and reading: the server may answer (413, 400)
	 * before it has read everything, and then close. */
	size_t sent = 0;
	int eof = 0, send_failed = 0;
	for (;;) {
		long left = deadline - now_ms();
		if (left <= 0) {
			fprintf(stderr, "httpc: no complete response within %d ms\n",
				HTTPC_TIMEOUT_MS);
			break;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (sent < len && !send_failed)
			pfd.events |= POLLOUT;
		if (poll(&pfd, 1, (int)(left < 100 ? left : 100)) < 0 && errno != EINTR)
			break;
		if ((pfd.revents & POLLOUT) && sent < len) {
			ssize_t w = send(fd, bytes + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w > 0)
				sent += (size_t)w;
			else if (w < 0 && errno != EAGAIN && errno != EINTR)
				send_failed = 1;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			char b[65536];
			ssize_t n = recv(fd, b, sizeof b, MSG_DONTWAIT);
			if (n > 0) {
				if (buf_append(&in, b, (size_t)n) != ERR_OK)
					break;
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				eof = 1;
			}
		}
		if (in.len) {
			int p = try_parse(&in, head_only, eof, out);
			if (p != 0) {
				if (p < 0)
					fprintf(stderr, "httpc: malformed response: %.200s\n", in.data);
				rc = p > 0 ? 0 : -1;
				break;
			}
		}
		if (eof) {
			if (!in.len && !httpc_quiet)
				fprintf(stderr, "httpc: connection closed without a response\n");
			break;
		}
	}
	if (rc == 0) {
		/* Did the server close after this response? (brief look) */
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		char b[1];
		out->closed = eof || (poll(&pfd, 1, 50) == 1 && recv(fd, b, 1, MSG_PEEK) <= 0);
	} else {
		httpc_response_release(out);
	}
	close(fd);
	buf_release(&in);
	return rc;
}

int httpc_raw(uint16_t port, const char *bytes, size_t len, struct httpc_response *out)
{
	return exchange(port, bytes, len, len >= 5 && memcmp(bytes, "HEAD ", 5) == 0, out);
}

int httpc_request_h(uint16_t port, const char *method, const char *path, const char *token,
		    const char *const *headers, const char *body, struct httpc_response *out)
{
	struct buf req;
	int rc = -1;
	buf_init(&req, HTTPC_MAX_RESPONSE);
	memset(out, 0, sizeof *out);
	if (buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n",
		       method, path, (unsigned)port) != ERR_OK)
		goto out;
	if (token && buf_printf(&req, "Authorization: Bearer %s\r\n", token) != ERR_OK)
		goto out;
	for (size_t i = 0; headers && headers[i]; i++)
		if (buf_printf(&req, "%s\r\n", headers[i]) != ERR_OK)
			goto out;
	if (body && buf_printf(&req,
			       "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			       strlen(body), body) != ERR_OK)
		goto out;
	if (!body && buf_puts(&req, "\r\n") != ERR_OK)
		goto out;
	rc = exchange(port, req.data, req.len, strcmp(method, "HEAD") == 0, out);
out:
	buf_release(&req);
	return rc;
}

int httpc_request(uint16_t port, const char *method, const char *path, const char *token,
		  const char *body, struct httpc_response *out)
{
	return httpc_request_h(port, method, path, token, NULL, body, out);
}
