// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual board's settings, its state directory and its report
 * (vb_state.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vb_test_util.h"

/* --- settings ---------------------------------------------------------- */

static void set_ok(struct vb_settings *s, const char *kv)
{
	char err[256] = "";

	if (vb_setting(s, kv, err, sizeof(err)))
		fail_msg("'%s' refused: %s", kv, err);
}

/* kv is refused with a message that contains want. */
static void set_bad(const char *kv, const char *want)
{
	struct vb_settings s;
	char err[256] = "";

	vb_settings_default(&s);
	if (!vb_setting(&s, kv, err, sizeof(err)))
		fail_msg("'%s' was taken", kv);
	if (!strstr(err, want))
		fail_msg("'%s': message '%s' lacks '%s'", kv, err, want);
}

static void settings_default(void **state)
{
	struct vb_settings s;

	(void)state;
	vb_settings_default(&s);
	assert_int_equal(s.variant, VB_CB);
	assert_int_equal(s.swclk_hz, 1000000);
	assert_int_equal(s.cpu_hz, 8000000);
	assert_int_equal(s.prog_ns, 52500);
	assert_int_equal(s.page_erase_us, 30000);
	assert_int_equal(s.mass_erase_us, 30000);
	assert_false(s.uid_set);
	assert_false(s.has_bad_page);
	assert_int_equal(s.power_loss_after, 0);
}

static void settings_each_key(void **state)
{
	static const uint8_t uid[12] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB,
					0xCD, 0xEF, 0x00, 0x11, 0x22, 0x33};
	struct vb_settings s;

	(void)state;
	vb_settings_default(&s);
	set_ok(&s, "variant=vc");
	assert_int_equal(s.variant, VB_VC);
	set_ok(&s, "variant=VE");
	assert_int_equal(s.variant, VB_VE);
	set_ok(&s, "variant=cb");
	assert_int_equal(s.variant, VB_CB);
	set_ok(&s, "uid=0123456789abcdef00112233");
	assert_memory_equal(s.uid, uid, 12);
	assert_true(s.uid_set);
	set_ok(&s, "swclk_hz=4M");
	assert_int_equal(s.swclk_hz, 4000000);
	set_ok(&s, "swclk_hz=400kHz");
	assert_int_equal(s.swclk_hz, 400000);
	set_ok(&s, "cpu_hz=72000000");
	assert_int_equal(s.cpu_hz, 72000000);
	set_ok(&s, "prog_ns=0x9C40");
	assert_int_equal(s.prog_ns, 40000);
	set_ok(&s, "page_erase_us=20000");
	assert_int_equal(s.page_erase_us, 20000);
	set_ok(&s, "mass_erase_us=40000");
	assert_int_equal(s.mass_erase_us, 40000);
	set_ok(&s, "wait_every=7");
	set_ok(&s, "wait_count=3");
	set_ok(&s, "fault_every=11");
	set_ok(&s, "parity_every=13");
	assert_int_equal(s.wait_every, 7);
	assert_int_equal(s.wait_count, 3);
	assert_int_equal(s.fault_every, 11);
	assert_int_equal(s.parity_every, 13);
	set_ok(&s, "unpowered=1");
	set_ok(&s, "swapped=1");
	set_ok(&s, "nrst_nc=1");
	assert_true(s.unpowered && s.swapped && s.nrst_nc);
	set_ok(&s, "swapped=0");
	assert_false(s.swapped);
	set_ok(&s, "power_loss_after=12");
	assert_int_equal(s.power_loss_after, 12);
	set_ok(&s, "bad_page=0x08004000");
	assert_true(s.has_bad_page);
	assert_int_equal(s.bad_page, 0x08004000);
	set_ok(&s, "bad_page=17K"); /* an offset, with a size suffix */
	assert_int_equal(s.bad_page, 0x08004400);
	set_ok(&s, "swd_disable_us=50");
	assert_int_equal(s.swd_disable_us, 50);
}

static void settings_errors(void **state)
{
	(void)state;
	set_bad("colour=red", "unknown setting 'colour'");
	set_bad("colour=red", "swd_disable_us"); /* lists the known ones */
	set_bad("variant", "not key=value");
	set_bad("=1", "not key=value");
	set_bad("variant=f4", "'f4' is not cb, vc or ve");
	set_bad("uid=0123", "24 hex digits");
	set_bad("uid=0123456789abcdef0011223g", "24 hex digits");
	set_bad("prog_ns=fast", "prog_ns: 'fast' is not a number");
	set_bad("prog_ns=", "prog_ns");
	set_bad("prog_ns=-1", "prog_ns");
	set_bad("wait_every=99999999999", "wait_every");
	set_bad("swclk_hz=0", "swclk_hz");
	set_bad("swclk_hz=1G", "swclk_hz");
	set_bad("unpowered=2", "unpowered: '2' is not 0 or 1");
	set_bad("bad_page=0x09000000", "bad_page");
	set_bad("bad_page=page", "bad_page");
}

static void vb_new_reports_bad_setting(void **state)
{
	static const char *const set[] = {"variant=cb", "speed=11"};
	char err[256] = "";

	(void)state;
	assert_null(vb_new(set, 2, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "unknown setting 'speed'"));
}

/* --- state directory --------------------------------------------------- */

static char tmpdir[256];

static int make_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vb_state.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *path(const char *sub)
{
	static char p[4][400];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", tmpdir, sub);
	return p[i];
}

static bool exists(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0;
}

static long file_size(const char *p)
{
	struct stat sb;

	if (stat(p, &sb))
		fail_msg("no %s", p);
	return (long)sb.st_size;
}

static size_t slurp(const char *p, void *buf, size_t max)
{
	FILE *f = fopen(p, "rb");
	size_t n;

	if (!f)
		fail_msg("cannot open %s", p);
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static void spit(const char *p, const void *buf, size_t len)
{
	FILE *f = fopen(p, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		fail_msg("cannot write %s", p);
}

static struct vb *open_dir(const char *const *set, size_t n, const char *dir)
{
	char err[512] = "";
	struct vb *vb = vb_new(set, n, dir, err, sizeof(err));

	if (!vb)
		fail_msg("vb_new(%s): %s", dir, err);
	vb_drive(vb, VB_NRST, 0);
	return vb;
}

static void new_dir_starts_erased(void **state)
{
	const char *dir = path("a/b/board");
	uint8_t opt[16], json[512];
	size_t n;
	struct vb *vb;

	(void)state;
	vb = open_dir(NULL, 0, dir); /* mkdir -p */
	assert_string_equal(vb->state_dir, dir);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE, 4), 0xFFFFFFFF);
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE, 4), 0x00FF5AA5);
	/* nothing written yet */
	assert_false(exists(path("a/b/board/flash.bin")));
	assert_false(exists(path("a/b/board/board.json")));
	vbt_close(vb);
	assert_int_equal(file_size(path("a/b/board/flash.bin")), 128 * 1024);
	assert_int_equal(slurp(path("a/b/board/option.bin"), opt, 16), 16);
	assert_int_equal(opt[0], 0xA5);
	assert_int_equal(opt[1], 0x5A);
	assert_int_equal(opt[2], 0xFF);
	assert_int_equal(opt[3], 0x00);
	n = slurp(path("a/b/board/board.json"), json, sizeof(json) - 1);
	json[n] = 0;
	assert_non_null(strstr((char *)json, "\"variant\":\"cb\""));
	assert_non_null(
		strstr((char *)json, "\"uid\":\"34FF6D064D4B313432422043\""));
}

static void round_trip(void **state)
{
	static const char *const set[] = {"uid=A1A2A3A4A5A6A7A8A9AAABAC",
					  "variant=vc"};
	static const char *const vc[] = {"variant=vc"};
	const char *dir = path("rt");
	struct vb *vb;

	(void)state;
	vb = open_dir(set, 2, dir);
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE + 0x3FFFE, 0x1234);
	vbt_opt_unlock(vb);
	vbt_opt_erase(vb);
	vbt_opt_program(vb, 0, 0xA5);
	vbt_opt_program(vb, 4, 0xFE);
	vbt_close(vb);

	vb = open_dir(vc, 1, dir); /* no uid= now: the directory's */
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 0x3FFFE, 2), 0x1234);
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE + 8, 2), 0x01FE);
	assert_int_equal(vbt_rd(vb, VB_OPT_BASE + 10, 2), 0xFFFF); /* erased */
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR, 4), 0xA4A3A2A1);
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR + 8, 4), 0xACABAAA9);
	/* the option bytes took effect at power-on */
	assert_int_equal(vbt_rd(vb, FPEC_WRPR, 4) & 0xFF, 0xFE);
	vbt_close(vb);
}

static void uid_setting_wins_and_is_saved(void **state)
{
	static const char *const a[] = {"uid=111111111111111111111111"};
	static const char *const b[] = {"uid=222222222222222222222222"};
	const char *dir = path("uid");
	struct vb *vb;

	(void)state;
	vbt_close(open_dir(a, 1, dir));
	vb = open_dir(b, 1, dir);
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR, 4), 0x22222222);
	vbt_close(vb);
	vb = open_dir(NULL, 0, dir);
	assert_int_equal(vbt_rd(vb, VB_UID_ADDR, 4), 0x22222222);
	vbt_close(vb);
}

static void variant_mismatch(void **state)
{
	static const char *const ve[] = {"variant=ve"};
	const char *dir = path("cb");
	char err[512] = "";
	struct stat sb;
	uint8_t *big;

	(void)state;
	vbt_close(open_dir(NULL, 0, dir));
	assert_null(vb_new(ve, 1, dir, err, sizeof(err)));
	assert_non_null(strstr(err, "STM32F103CB"));
	assert_non_null(strstr(err, "STM32F103VE"));
	assert_non_null(strstr(err, dir));
	/* the lock was released: the right variant opens it */
	vbt_close(open_dir(NULL, 0, dir));

	/* a flash.bin of the wrong size, without board.json */
	dir = path("seeded");
	mkdir(dir, 0777);
	big = calloc(1, 256 * 1024);
	assert_non_null(big);
	spit(path("seeded/flash.bin"), big, 256 * 1024);
	free(big);
	assert_null(vb_new(NULL, 0, dir, err, sizeof(err)));
	assert_non_null(strstr(err, "262144"));
	assert_non_null(strstr(err, "131072"));
	assert_non_null(strstr(err, "STM32F103CB"));
	assert_int_equal(stat(path("seeded/flash.bin"), &sb), 0);
	assert_int_equal(sb.st_size, 256 * 1024); /* left alone */

	/* option.bin must be 16 bytes */
	dir = path("badopt");
	mkdir(dir, 0777);
	spit(path("badopt/option.bin"), "\xA5\x5A", 2);
	assert_null(vb_new(NULL, 0, dir, err, sizeof(err)));
	assert_non_null(strstr(err, "option.bin"));
}

static void seeded_flash_bin(void **state)
{
	const char *dir = path("seed");
	uint8_t *img = malloc(128 * 1024);
	struct vb *vb;

	(void)state;
	assert_non_null(img);
	for (unsigned i = 0; i < 128 * 1024; i++)
		img[i] = (uint8_t)(i * 7);
	mkdir(dir, 0777);
	spit(path("seed/flash.bin"), img, 128 * 1024);
	vb = open_dir(NULL, 0, dir);
	assert_memory_equal(vb->flash, img, 128 * 1024);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE + 0x100, 1),
			 0x100 * 7 & 0xFF);
	vbt_close(vb);
	free(img);
}

static void save_is_atomic(void **state)
{
	const char *dir = path("atomic");
	struct stat before, after;
	struct dirent *de;
	struct vb *vb;
	DIR *d;
	int n = 0;

	(void)state;
	vbt_close(open_dir(NULL, 0, dir));
	assert_int_equal(stat(path("atomic/flash.bin"), &before), 0);
	vb = open_dir(NULL, 0, dir);
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE, 0x4321);
	vbt_close(vb);
	/* a new file renamed over the old, not rewritten in place: a crash
	 * leaves one or the other, whole */
	assert_int_equal(stat(path("atomic/flash.bin"), &after), 0);
	assert_true(before.st_ino != after.st_ino);
	assert_int_equal(after.st_size, 128 * 1024);
	/* and no temporaries left */
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (strcmp(de->d_name, "flash.bin") &&
		    strcmp(de->d_name, "option.bin") &&
		    strcmp(de->d_name, "board.json") &&
		    strcmp(de->d_name, ".lock"))
			fail_msg("left behind: %s", de->d_name);
		n++;
	}
	closedir(d);
	assert_int_equal(n, 4);
}

static void lock_is_held_while_open(void **state)
{
	const char *dir = path("lock");
	struct vb *vb;
	int fd;

	(void)state;
	vb = open_dir(NULL, 0, dir);
	fd = open(path("lock/.lock"), O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	vbt_close(vb);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	close(fd);
}

/* The second process's vb_new waits until the first board closes. */
static void second_board_waits(void **state)
{
	const char *dir = path("two");
	struct pollfd pfd;
	int pipefd[2], status;
	struct vb *vb;
	char c = 0;
	pid_t pid;

	(void)state;
	vb = open_dir(NULL, 0, dir);
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE, 0x7777);
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256];
		struct vb *b2;

		close(pipefd[0]);
		/* the inherited descriptor shares the parent's lock */
		close(vb->state_fd);
		b2 = vb_new(NULL, 0, dir, err, sizeof(err));
		/* it sees what the first one saved */
		c = b2 && b2->flash[0] == 0x77 ? 'y' : 'n';
		if (write(pipefd[1], &c, 1) != 1)
			_exit(2);
		if (b2)
			vb_close(b2, err, sizeof(err));
		_exit(0);
	}
	close(pipefd[1]);
	pfd.fd = pipefd[0];
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 300), 0); /* still waiting */
	vbt_close(vb);
	assert_int_equal(poll(&pfd, 1, 20000), 1);
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void saved_after_power_loss(void **state)
{
	static const char *const set[] = {"power_loss_after=2"};
	const char *dir = path("power");
	struct vb *vb;

	(void)state;
	vb = open_dir(set, 1, dir);
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE, 0x1111);
	vbt_wr(vb, FPEC_CR, 4, CR_PG);
	vbt_wr(vb, VB_FLASH_BASE + 2, 2, 0x2222);
	vb_advance(vb, 100 * VB_PS_PER_US);
	assert_false(vb->powered);
	vbt_close(vb);
	vb = open_dir(NULL, 0, dir);
	assert_int_equal(vbt_rd(vb, VB_FLASH_BASE, 4), 0x22221111);
	vbt_close(vb);
}

/* --- report ------------------------------------------------------------ */

static void report_has_every_key(void **state)
{
	static const char *const keys[] = {
		"{\"chip\":\"STM32F103CB\"",
		"\"modeled_us\":",
		"\"swclk_hz\":1000000",
		"\"swclk_cycles\":",
		"\"gpio_writes\":",
		"\"gpio_reads\":",
		"\"line_resets\":",
		"\"jtag_to_swd\":",
		"\"swd_transactions\":{\"ok\":",
		"\"wait\":",
		"\"fault\":",
		"\"no_ack\":",
		"\"parity_errors\":",
		"\"contention\":",
		"\"flash_busy_us\":30052",
		"\"flash\":{\"programs\":1",
		"\"page_erases\":1",
		"\"mass_erases\":0",
		"\"option_erases\":0",
		"\"option_programs\":0",
		"\"cpu_instructions\":",
		"\"resets\":",
		"\"powered\":true}",
	};
	struct vb *vb = vbt_board(NULL, 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	vbt_unlock(vb);
	vbt_program(vb, VB_FLASH_BASE, 0);
	vbt_page_erase(vb, VB_FLASH_BASE);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	vb_report(vb, f);
	fclose(f);
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strstr(buf, keys[i]))
			fail_msg("report lacks %s: %s", keys[i], buf);
	assert_int_equal(buf[len - 1], '\n');
	free(buf);
	vb_power_loss(vb);
	f = open_memstream(&buf, &len);
	vb_report(vb, f);
	fclose(f);
	assert_non_null(strstr(buf, "\"powered\":false}"));
	free(buf);
	vbt_close(vb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(settings_default),
		cmocka_unit_test(settings_each_key),
		cmocka_unit_test(settings_errors),
		cmocka_unit_test(vb_new_reports_bad_setting),
		cmocka_unit_test_setup_teardown(new_dir_starts_erased, make_tmp,
						remove_tmp),
		cmocka_unit_test_setup_teardown(round_trip, make_tmp,
						remove_tmp),
		cmocka_unit_test_setup_teardown(uid_setting_wins_and_is_saved,
						make_tmp, remove_tmp),
		cmocka_unit_test_setup_teardown(variant_mismatch, make_tmp,
						remove_tmp),
		cmocka_unit_test_setup_teardown(seeded_flash_bin, make_tmp,
						remove_tmp),
		cmocka_unit_test_setup_teardown(save_is_atomic, make_tmp,
						remove_tmp),
		cmocka_unit_test_setup_teardown(lock_is_held_while_open,
						make_tmp, remove_tmp),
		cmocka_unit_test_setup_teardown(second_board_waits, make_tmp,
						remove_tmp),
		cmocka_unit_test_setup_teardown(saved_after_power_loss,
						make_tmp, remove_tmp),
		cmocka_unit_test(report_has_every_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
