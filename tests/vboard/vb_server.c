// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The board server, build/vboard/vboard-server: one process that owns the
 * virtual board for a with-vboard session when more than one program must
 * reach it (--uart, --serprog). It makes the board from the same variables
 * the stand-in libgpiod reads (UB_VBOARD_BOARD, _STATE, _SETTINGS,
 * _REPORT, _VCD), serves USART1 on a pty (vb_server_uart.c) and listens on
 * the UNIX socket UB_VBOARD_SOCKET for the stand-in libgpiod in client
 * mode, the libserialport shim and tests (vb_server.h). It runs until TERM,
 * INT or HUP, then saves the state, writes the report and the trace.
 *
 * Its own settings (the rest go to the board): the UART's (rts=, dtr=,
 * uart_*: vb_server_uart.c), boot0=0|1 (a BOOT0 jumper: the board powers
 * up with BOOT0 so), boot_delay_us=T and boot_mute=1 (the ROM bootloader
 * answers T us late, or never). pi= and host_idle= are the
 * stand-in libgpiod's and are ignored here.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ub/board.h"
#include "ub/err.h"
#include "vb_server.h"

#define MAX_SETTINGS 64
#define MAX_FDS	     32

static const char *const pin_name[VB_NPINS] = {"swclk", "swdio", "nrst",
					       "boot0"};

static struct {
	struct vb *vb;
	char sock[PATH_MAX];
	char report[PATH_MAX];
	FILE *vcd;
	uint64_t vcd_ns;
	int level[VB_NPINS + 2];
	struct pollfd pfd[MAX_FDS];
	vb_server_cb cb[MAX_FDS];
	void *arg[MAX_FDS];
	int nfd;
} sv;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The hook for other listeners --------------------------------------------- */

int vb_server_add_fd(int fd, short events, vb_server_cb cb, void *arg)
{
	if (sv.nfd == MAX_FDS)
		return -1;
	sv.pfd[sv.nfd] = (struct pollfd){.fd = fd, .events = events};
	sv.cb[sv.nfd] = cb;
	sv.arg[sv.nfd++] = arg;
	return 0;
}

void vb_server_del_fd(int fd)
{
	for (int i = 0; i < sv.nfd; i++) {
		if (sv.pfd[i].fd != fd)
			continue;
		sv.nfd--;
		sv.pfd[i] = sv.pfd[sv.nfd];
		sv.cb[i] = sv.cb[sv.nfd];
		sv.arg[i] = sv.arg[sv.nfd];
		return;
	}
}

/* The VCD trace: the four pins and the UART's two wires ------------------ */

static const char vcd_id[VB_NPINS + 2] = {'!', '"', '#', '%', '&', '\''};

static int wire_level(enum vb_pin pin)
{
	int level = vb_sense(sv.vb, pin);

	sv.vb->st.gpio_reads--;
	return level;
}

static void vcd_at(uint64_t ns)
{
	if (ns < sv.vcd_ns)
		ns = sv.vcd_ns;
	if (ns > sv.vcd_ns)
		fprintf(sv.vcd, "#%llu\n", (unsigned long long)ns);
	sv.vcd_ns = ns;
}

static void vcd_open(const char *path)
{
	sv.vcd = fopen(path, "w");
	if (!sv.vcd) {
		fprintf(stderr, "vboard-server: cannot write %s\n", path);
		return;
	}
	fprintf(sv.vcd, "$version unbrick virtual board server $end\n"
			"$timescale 1 ns $end\n$scope module vboard $end\n");
	for (int p = 0; p < VB_NPINS; p++)
		fprintf(sv.vcd, "$var wire 1 %c %s $end\n", vcd_id[p],
			pin_name[p]);
	fprintf(sv.vcd, "$var wire 1 & uart_rx $end\n"
			"$var wire 1 ' uart_tx $end\n"
			"$upscope $end\n$enddefinitions $end\n");
	sv.vcd_ns = sv.vb->now_ps / VB_PS_PER_NS;
	fprintf(sv.vcd, "#%llu\n", (unsigned long long)sv.vcd_ns);
	for (int p = 0; p < VB_NPINS + 2; p++) {
		sv.level[p] = p < VB_NPINS ? wire_level(p) : 1;
		fprintf(sv.vcd, "%d%c\n", sv.level[p], vcd_id[p]);
	}
}

static void vcd_pins(void)
{
	bool at = false;

	if (!sv.vcd)
		return;
	for (int p = 0; p < VB_NPINS; p++) {
		int l = wire_level(p);

		if (l == sv.level[p])
			continue;
		if (!at)
			vcd_at(sv.vb->now_ps / VB_PS_PER_NS);
		at = true;
		fprintf(sv.vcd, "%d%c\n", l, vcd_id[p]);
		sv.level[p] = l;
	}
}

void vb_server_vcd_wire(bool tx, uint64_t start, uint64_t bit_ps,
			const int *bits, unsigned n)
{
	int w = VB_NPINS + tx;

	if (!sv.vcd)
		return;
	for (unsigned i = 0; i <= n; i++) {
		int l = i < n ? bits[i] : 1;

		if (l == sv.level[w])
			continue;
		vcd_at((start + i * bit_ps) / VB_PS_PER_NS);
		fprintf(sv.vcd, "%d%c\n", l, vcd_id[w]);
		sv.level[w] = l;
	}
}

/* Making the board ------------------------------------------------------- */

static int variant_of(const char *name, const char **variant)
{
	struct ub_board *b;
	int err;

	if (!name || !*name)
		return 0;
	b = ub_board_load(name, &err);
	if (!b) {
		fprintf(stderr, "vboard-server: %s\n", ub_errmsg(err));
		return -1;
	}
	if (b->has_dev_id && b->dev_id == 0x414)
		*variant = b->flash_size >= 512 * 1024 ? "variant=ve"
						       : "variant=vc";
	ub_board_free(b);
	return 0;
}

static int make_board(struct vb_uart_set *us)
{
	const char *set[MAX_SETTINGS + 1], *variant = NULL;
	const char *env = getenv("UB_VBOARD_SETTINGS");
	const char *dir = getenv("UB_VBOARD_STATE");
	char *text = strdup(env ? env : ""), err[512] = "";
	uint64_t delay_us = 0;
	bool mute = false, mine;
	int jumper = -1;
	size_t n = 0;

	if (!text || variant_of(getenv("UB_VBOARD_BOARD"), &variant))
		return -1;
	if (variant)
		set[n++] = variant;
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
		while (isspace((unsigned char)*l))
			l++;
		if (!*l || *l == '#' || !strncmp(l, "pi=", 3) ||
		    !strncmp(l, "host_idle=", 10) || !strncmp(l, "held=", 5))
			continue;
		if (vb_uart_setting(us, l, &mine, err, sizeof(err)))
			goto bad;
		if (mine)
			continue;
		if (!strncmp(l, "boot_delay_us=", 14)) {
			delay_us = strtoull(l + 14, NULL, 0);
		} else if (!strcmp(l, "boot0=0") || !strcmp(l, "boot0=1")) {
			jumper = l[6] == '1';
		} else if (!strncmp(l, "boot_mute=", 10)) {
			mute = l[10] == '1' || l[10] == 'y' || l[10] == 't';
		} else if (n == MAX_SETTINGS) {
			snprintf(err, sizeof(err), "too many settings");
			goto bad;
		} else {
			set[n++] = l;
		}
	}
	sv.vb = vb_new(set, n, dir && *dir ? dir : NULL, err, sizeof(err));
	if (!sv.vb)
		goto bad;
	vb_boot_faults(sv.vb, delay_us * VB_PS_PER_US, mute);
	if (jumper >= 0) {
		/* a BOOT0 jumper: the board powers up with it */
		vb_drive(sv.vb, VB_BOOT0, jumper);
		vb_system_reset(sv.vb);
		sv.vb->st.resets = 0;
		sv.vb->st.gpio_writes = 0;
	}
	free(text);
	return 0;
bad:
	fprintf(stderr,
		"vboard-server: %s (UART keys: rts, dtr, "
		"uart_drop_every, uart_flip_every, uart_garbage, "
		"uart_idle_us, uart_uncrossed, uart_mini, boot0, "
		"boot_delay_us, boot_mute)\n",
		err);
	free(text);
	return -1;
}

/* The socket ------------------------------------------------------------- */

static int listen_on(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char tmp[sizeof(a.sun_path)];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid()) >=
		    (int)sizeof(tmp) ||
	    strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "vboard-server: socket path too long: %s\n",
			path);
		return -1;
	}
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", tmp);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unlink(tmp);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 16) || rename(tmp, path)) {
		fprintf(stderr, "vboard-server: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	snprintf(sv.sock, sizeof(sv.sock), "%s", path);
	return fd;
}

static void client_cb(struct vb *vb, int fd, short revents, void *arg);

static void request(struct vb *vb, struct vb_msg *m)
{
	int pin = m->a;

	switch (m->op) {
	case VB_OP_DRIVE:
		if (pin < 0 || pin >= VB_NPINS)
			goto bad;
		vb_drive(vb, pin, m->b < 0 ? -1 : !!m->b);
		vcd_pins();
		m->a = 0;
		break;
	case VB_OP_SENSE:
		if (pin < 0 || pin >= VB_NPINS)
			goto bad;
		m->a = vb_sense(vb, pin);
		break;
	case VB_OP_ADVANCE:
		vb_advance(vb, m->u);
		m->a = 0;
		break;
	case VB_OP_LINE:
		vb_uart_line(vb, m->a, m->b);
		m->a = 0;
		break;
	case VB_OP_MODEM:
		vb_uart_modem(vb, m->a);
		vcd_pins();
		m->a = 0;
		break;
	case VB_OP_NOW:
		m->a = 0;
		break;
	case VB_OP_EXPECT:
		vb_uart_expect(vb, m->u);
		m->a = 0;
		break;
	default:
	bad:
		m->a = -EINVAL;
		break;
	}
	vb_uart_work(vb);
	vcd_pins();
	m->u = vb->now_ps;
}

static void client_cb(struct vb *vb, int fd, short revents, void *arg)
{
	struct vb_msg m;
	ssize_t n = 0, r;

	(void)arg;
	(void)revents;
	while (n < (ssize_t)sizeof(m)) {
		r = read(fd, (char *)&m + n, sizeof(m) - (size_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			vb_server_del_fd(fd);
			close(fd);
			return;
		}
		n += r;
	}
	request(vb, &m);
	if (write(fd, &m, sizeof(m)) != (ssize_t)sizeof(m)) {
		vb_server_del_fd(fd);
		close(fd);
	}
}

static void accept_cb(struct vb *vb, int fd, short revents, void *arg)
{
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

	(void)vb;
	(void)revents;
	(void)arg;
	if (c < 0)
		return;
	if (vb_server_add_fd(c, POLLIN, client_cb, NULL))
		close(c);
}

static void uart_cb(struct vb *vb, int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	(void)arg;
	vb_uart_input(vb);
	vcd_pins();
}

/* The end ---------------------------------------------------------------- */

static void write_report(void)
{
	char tmp[PATH_MAX + 8], *buf = NULL, *end;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len), *f;

	if (!sv.report[0] || !m)
		return;
	vb_report(sv.vb, m);
	fclose(m);
	end = strrchr(buf, '}');
	if (!end) {
		free(buf);
		return;
	}
	*end = 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", sv.report);
	f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%s,", buf);
		vb_uart_report(f);
		fprintf(f, "}\n");
	}
	if (!f || fclose(f) || rename(tmp, sv.report))
		fprintf(stderr, "vboard-server: cannot write %s\n", sv.report);
	free(buf);
}

static int finish(void)
{
	char err[512] = "";
	int ret = 0;

	if (sv.sock[0])
		unlink(sv.sock);
	if (sv.vcd) {
		vcd_at(sv.vb->now_ps / VB_PS_PER_NS);
		fclose(sv.vcd);
	}
	write_report();
	if (vb_close(sv.vb, err, sizeof(err))) {
		fprintf(stderr, "vboard-server: %s\n", err);
		ret = 1;
	}
	vb_uart_close();
	return ret;
}

int main(void)
{
	const char *sock = getenv("UB_VBOARD_SOCKET");
	const char *env, *dir = getenv("UB_VBOARD_STATE");
	struct vb_uart_set us = {.rts_pin = -1, .dtr_pin = -1};
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t block, none;
	char err[512] = "";
	int lfd;

	/* with-vboard may be killed outright: do not outlive it */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return 1;
	if (!sock || !*sock) {
		fprintf(stderr, "vboard-server: UB_VBOARD_SOCKET is not set "
				"(run it through with-vboard --uart)\n");
		return 2;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &none);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (make_board(&us))
		return 1;
	env = getenv("UB_VBOARD_REPORT");
	if (env && *env)
		snprintf(sv.report, sizeof(sv.report), "%s", env);
	env = getenv("UB_VBOARD_VCD");
	if (env && *env)
		vcd_open(env);
	if (vb_uart_open(sv.vb, &us, dir && *dir ? dir : NULL, err,
			 sizeof(err))) {
		fprintf(stderr, "vboard-server: %s\n", err);
		finish();
		return 1;
	}
	vb_server_add_fd(vb_uart_fd(), POLLIN, uart_cb, NULL);
	env = getenv("UB_VBOARD_SERPROG");
	if (env && *env &&
	    (!vb_serprog_start || vb_serprog_start(sv.vb, env))) {
		if (!vb_serprog_start)
			fprintf(stderr, "vboard-server: no serprog here\n");
		finish();
		return 1;
	}
	/* the socket last: its appearance says the server is ready */
	lfd = listen_on(sock);
	if (lfd < 0) {
		finish();
		return 1;
	}
	vb_server_add_fd(lfd, POLLIN, accept_cb, NULL);
	while (!stop) {
		struct pollfd pfd[MAX_FDS];
		vb_server_cb cb[MAX_FDS];
		void *arg[MAX_FDS];
		int n = sv.nfd;

		vb_uart_work(sv.vb);
		vcd_pins();
		memcpy(pfd, sv.pfd, sizeof(pfd));
		memcpy(cb, sv.cb, sizeof(cb));
		memcpy(arg, sv.arg, sizeof(arg));
		if (ppoll(pfd, (nfds_t)n, NULL, &none) < 0)
			continue;
		for (int i = 0; i < n && !stop; i++)
			if (pfd[i].revents)
				cb[i](sv.vb, pfd[i].fd, pfd[i].revents, arg[i]);
	}
	return finish();
}
