// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * build/vboard/sp-entry PORT: a libserialport 0.1.1 program, for the board
 * server's tests (tests/test_vb_serial.c). Through the shim it finds the
 * pty as a port (by name and in the list), sets 115200 8E1, reads its
 * parity back, and enters the ROM bootloader the way a USB-serial adapter
 * with RTS on BOOT0 (through an inverter) and DTR on NRST does: RTS and
 * DTR asserted (BOOT0 high, NRST low), DTR released, then 0x7F and Get ID.
 * Prints what it found, one "key value" a line; exits 1 on any failure.
 */
#include <stdio.h>
#include <string.h>

#include <libserialport.h>

static int fail(const char *what)
{
	char *msg = sp_last_error_message();

	printf("failed %s: %s\n", what, msg ? msg : "?");
	sp_free_error_message(msg);
	return 1;
}

static int xfer(struct sp_port *p, const unsigned char *out, size_t n,
		unsigned char *in, size_t m)
{
	if (sp_blocking_write(p, out, n, 1000) != (int)n)
		return -1;
	return sp_blocking_read(p, in, m, 1000) == (int)m ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sp_port *p, **list;
	struct sp_port_config *cfg;
	enum sp_parity parity;
	unsigned char in[8];
	int listed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: sp-entry PORT\n");
		return 2;
	}
	if (sp_list_ports(&list) != SP_OK)
		return fail("sp_list_ports");
	for (int i = 0; list[i]; i++)
		listed |= !strcmp(sp_get_port_name(list[i]), argv[1]);
	sp_free_port_list(list);
	printf("listed %d\n", listed);
	if (sp_get_port_by_name(argv[1], &p) != SP_OK)
		return fail("sp_get_port_by_name");
	printf("description %s\n", sp_get_port_description(p));
	printf("transport %d\n", (int)sp_get_port_transport(p));
	if (sp_open(p, SP_MODE_READ_WRITE) != SP_OK)
		return fail("sp_open");
	if (sp_set_baudrate(p, 115200) != SP_OK || sp_set_bits(p, 8) != SP_OK ||
	    sp_set_parity(p, SP_PARITY_EVEN) != SP_OK ||
	    sp_set_stopbits(p, 1) != SP_OK ||
	    sp_set_flowcontrol(p, SP_FLOWCONTROL_NONE) != SP_OK)
		return fail("setting 115200 8E1");
	if (sp_new_config(&cfg) != SP_OK || sp_get_config(p, cfg) != SP_OK ||
	    sp_get_config_parity(cfg, &parity) != SP_OK)
		return fail("reading the settings back");
	sp_free_config(cfg);
	printf("parity %s\n", parity == SP_PARITY_EVEN ? "even" : "other");
	/* BOOT0 high and NRST low, then NRST released: the ROM runs */
	if (sp_set_rts(p, SP_RTS_ON) != SP_OK ||
	    sp_set_dtr(p, SP_DTR_ON) != SP_OK ||
	    sp_set_dtr(p, SP_DTR_OFF) != SP_OK)
		return fail("RTS/DTR");
	if (xfer(p, (const unsigned char[]){0x7F}, 1, in, 1) || in[0] != 0x79)
		return fail("sync");
	if (xfer(p, (const unsigned char[]){0x02, 0xFD}, 2, in, 5) ||
	    in[0] != 0x79 || in[4] != 0x79)
		return fail("Get ID");
	printf("id 0x%02x%02x\n", in[2], in[3]);
	sp_close(p);
	sp_free_port(p);
	return 0;
}
