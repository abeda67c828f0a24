/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_TEST_UART_UTIL_H
#define UB_TEST_UART_UTIL_H

/*
 * For the end-to-end tests of unbrick's UART path (test_vb_uart*.c): runs
 * of unbrick, stm32flash or a shell script in a session of the virtual
 * board's server (with-vboard --uart), each test on a state directory of
 * its own. Include after cmocka.h.
 */
#include <stddef.h>
#include <stdint.h>

#include "cli_util.h"

#define UU_TIMEOUT_S 120

/* Paths from make check's environment, and a temporary directory named
 * after the test program; -1 when not run through make check. */
int uu_setup(const char *name);
void uu_teardown(void);

/* DIR/name for a state directory of its own (made), or a file in one. */
void uu_dir(char *dir, size_t n, const char *name);
void uu_path(char *out, size_t n, const char *dir, const char *name);

void uu_write(const char *path, const void *data, size_t n);
uint8_t *uu_read(const char *path, size_t *n);
void uu_pattern(uint8_t *b, size_t n, uint32_t seed);

/* The board's memories in a state directory. */
void uu_seed(const char *dir, const uint8_t *flash, size_t n,
	     const uint8_t opt[16]);
uint8_t *uu_flash(const char *dir, size_t want);
void uu_option(const char *dir, uint8_t opt[16]);
extern const uint8_t uu_factory_opt[16];

/*
 * unbrick -B BOARD -I uart -p DIR/tty ARGS... on the board in dir (board: a profile
 * name or path, also the virtual board's), settings "k=v,k=v" or NULL.
 * Backups go under the temporary directory.
 */
void uu_unbrick(struct cli_result *r, const char *dir, const char *board,
		const char *settings, ...);

/*
 * A shell script in one board server session: $UNBRICK is the program,
 * $TTY the pty, $STM32FLASH "stm32flash -b 115200".
 */
void uu_shell(struct cli_result *r, const char *dir, const char *board,
	      const char *settings, const char *script);

void uu_status(const struct cli_result *r, int want);
void uu_has(const char *s, const char *part);
void uu_lacks(const char *s, const char *part);

/* A number from the session report: "uart.dropped", "flash.page_erases". */
long uu_report(const char *dir, const char *key);

#endif
