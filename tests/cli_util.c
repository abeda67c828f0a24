// SPDX-License-Identifier: GPL-2.0-or-later
/* Running a program under test and looking at its output. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_util.h"

struct buf {
	char *s;
	size_t n, cap;
};

static int append(struct buf *b, const char *data, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *s;

		while (cap < b->n + n + 1)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, data, n);
	b->n += n;
	b->s[b->n] = '\0';
	return 0;
}

static void child(int out, int err, const char *const *env,
		  const char *const *argv)
{
	/* a group of its own, so a timeout kills all it started */
	setpgid(0, 0);
	int null = open("/dev/null", O_RDONLY);

	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(err, 2) < 0)
		_exit(126);
	for (; env && *env; env++) {
		const char *eq = strchr(*env, '=');

		if (eq) {
			char *name = strndup(*env, (size_t)(eq - *env));

			if (!name || setenv(name, eq + 1, 1))
				_exit(126);
			free(name);
		} else if (unsetenv(*env)) {
			_exit(126);
		}
	}
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int cli_run(struct cli_result *r, const char *const *env,
	    const char *const *argv, unsigned timeout_s)
{
	struct buf b[2] = {{0}};
	int po[2], pe[2], st;
	double end = now() + timeout_s;
	struct pollfd fds[2];
	bool killed = false;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (pipe2(po, O_CLOEXEC))
		return -1;
	if (pipe2(pe, O_CLOEXEC)) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0)
		child(po[1], pe[1], env, argv);
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		return -1;
	}
	fds[0] = (struct pollfd){.fd = po[0], .events = POLLIN};
	fds[1] = (struct pollfd){.fd = pe[0], .events = POLLIN};
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		int left = (int)((end - now()) * 1000);

		if (left <= 0 && !killed) {
			kill(-pid, SIGKILL);
			killed = true;
		}
		if (poll(fds, 2, left > 0 ? left : 1000) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			char chunk[4096];
			ssize_t n;

			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			n = read(fds[i].fd, chunk, sizeof(chunk));
			if (n > 0 && !append(&b[i], chunk, (size_t)n))
				continue;
			if (n < 0 && errno == EINTR)
				continue;
			close(fds[i].fd);
			fds[i].fd = -1;
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	for (int i = 0; i < 2; i++)
		if (!b[i].s)
			append(&b[i], "", 0);
	r->out = b[0].s;
	r->out_len = b[0].n;
	r->err = b[1].s;
	r->err_len = b[1].n;
	return r->out && r->err ? 0 : -1;
}

void cli_result_free(struct cli_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

char *cli_squash(const char *s)
{
	char *d = malloc(strlen(s) + 1), *p = d;

	if (!d)
		return NULL;
	while (*s) {
		if (isspace((unsigned char)*s)) {
			while (isspace((unsigned char)*s))
				s++;
			*p++ = ' ';
		} else {
			*p++ = *s++;
		}
	}
	*p = '\0';
	return d;
}

unsigned cli_count(const char *s, const char *what)
{
	unsigned n = 0;
	size_t len = strlen(what);

	if (!len)
		return 0;
	for (s = strstr(s, what); s; s = strstr(s + len, what))
		n++;
	return n;
}

/* JSON syntax, by recursive descent; depth-limited. */

static void ws(const char **s)
{
	while (**s == ' ' || **s == '\t' || **s == '\n' || **s == '\r')
		(*s)++;
}

static bool value(const char **s, int depth);

static bool string(const char **s)
{
	const char *p = *s;

	if (*p++ != '"')
		return false;
	for (;;) {
		unsigned char c = (unsigned char)*p++;

		if (c == '"')
			break;
		if (c < 0x20)
			return false; /* also the end of the text */
		if (c != '\\')
			continue;
		c = (unsigned char)*p++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++)
				if (!isxdigit((unsigned char)*p++))
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return false;
		}
	}
	*s = p;
	return true;
}

static bool digits(const char **s)
{
	if (!isdigit((unsigned char)**s))
		return false;
	while (isdigit((unsigned char)**s))
		(*s)++;
	return true;
}

static bool number(const char **s)
{
	if (**s == '-')
		(*s)++;
	if (**s == '0')
		(*s)++;
	else if (!digits(s))
		return false;
	if (**s == '.') {
		(*s)++;
		if (!digits(s))
			return false;
	}
	if (**s == 'e' || **s == 'E') {
		(*s)++;
		if (**s == '+' || **s == '-')
			(*s)++;
		if (!digits(s))
			return false;
	}
	return true;
}

static bool list(const char **s, int depth, char close, bool members)
{
	(*s)++;
	ws(s);
	if (**s == close) {
		(*s)++;
		return true;
	}
	for (;;) {
		ws(s);
		if (members) {
			if (!string(s))
				return false;
			ws(s);
			if (*(*s)++ != ':')
				return false;
		}
		if (!value(s, depth + 1))
			return false;
		ws(s);
		if (**s == close) {
			(*s)++;
			return true;
		}
		if (*(*s)++ != ',')
			return false;
	}
}

static bool value(const char **s, int depth)
{
	if (depth > 64)
		return false;
	ws(s);
	switch (**s) {
	case '{':
		return list(s, depth, '}', true);
	case '[':
		return list(s, depth, ']', false);
	case '"':
		return string(s);
	case 't':
		return !strncmp(*s, "true", 4) && (*s += 4);
	case 'f':
		return !strncmp(*s, "false", 5) && (*s += 5);
	case 'n':
		return !strncmp(*s, "null", 4) && (*s += 4);
	default:
		return number(s);
	}
}

bool cli_json_valid(const char *s)
{
	if (!value(&s, 0))
		return false;
	ws(&s);
	return !*s;
}
