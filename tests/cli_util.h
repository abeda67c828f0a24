/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_TEST_CLI_UTIL_H
#define UB_TEST_CLI_UTIL_H

/*
 * For tests that run a program: run it with its stdout and stderr captured
 * apart, and look at what it printed.
 */
#include <stdbool.h>
#include <stddef.h>

struct cli_result {
	int status; /* exit status, or 128 + signal; -1 when it did not run */
	char *out;  /* everything on stdout, NUL-terminated */
	char *err;  /* everything on stderr, NUL-terminated */
	size_t out_len, err_len;
};

/*
 * Run argv[0] with argv (NULL-terminated), no stdin. env, when not NULL, is a
 * NULL-terminated list of changes to the environment: "NAME=value" sets,
 * "NAME" unsets. Gives up and kills the program after timeout_s seconds.
 * Returns 0, or -1 when the program could not be started.
 */
int cli_run(struct cli_result *r, const char *const *env,
	    const char *const *argv, unsigned timeout_s);
void cli_result_free(struct cli_result *r);

/* A copy of s with every run of white space made one space (free it). */
char *cli_squash(const char *s);

/* The number of times what occurs in s. */
unsigned cli_count(const char *s, const char *what);

/*
 * Whether s is one JSON value (RFC 8259 syntax), with nothing but white
 * space around it.
 */
bool cli_json_valid(const char *s);

#endif
