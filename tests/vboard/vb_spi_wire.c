// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the SPI NOR chip is wired, and what it sees on its pins.
 *
 * On the MCU (spi_bus=1-3): SCK, MOSI and MISO are SPIn's pins as AFIO maps
 * them, CS# is a GPIO (spi_cs). A frame reaches the chip only when SCK is
 * an alternate-function output free of the debug port (SPI3 needs JTAG
 * remapped away from PB3/PB4), with MOSI likewise, and CS# low. Another
 * device on the bus (spi_other_cs: the Spark Core's CC3000 on PB12) must
 * keep its CS# high: while it is low it drives MISO too, and the MCU reads
 * garbage. An LSB-first frame goes out bit-reversed; modes 1 and 2 sample
 * on the wrong edge and read the chip's bits one late.
 *
 * On the clip (a programmer on the chip's pins: the Pi's GPIO lines, the
 * serprog server): levels on CS#, SCK and MOSI at every edge. The MCU
 * held in reset, or with those pins inputs, leaves them alone; if it
 * drives them too, the lines contend and the chip sees garbage.
 *
 * Also: the settings, the profile's [spi] section, spi.bin, the VCD lines.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ub/board.h"
#include "ub/num.h"
#include "vb.h"

#define PS_PER_S 1000000000000ull

static const char vcd_id[4] = {'(', ')', '*', '+'};
static const char *const vcd_name[4] = {"spi_cs", "spi_clk", "spi_mosi",
					"spi_miso"};

/* What $UB_VBOARD_BOARD's [spi] section says, for what no setting set. */
static void from_profile(struct vb *vb)
{
	const char *name = getenv("UB_VBOARD_BOARD");
	struct vb_settings p = vb->set;
	struct vb_settings *s = &vb->set;
	char set[8][48], err[160];
	struct ub_board *b;
	size_t n;
	int e;

	if (!name || !*name)
		return;
	b = ub_board_load(name, &e);
	if (!b)
		return; /* its loader says what is wrong */
	n = vb_spi_profile(b, set, 8);
	ub_board_free(b);
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(set[i], '=');

		*eq = 0;
		vb_spi_setting(&p, set[i], eq + 1, err, sizeof(err));
	}
	if (s->spi_chip < 0)
		s->spi_chip = p.spi_chip;
	if (s->spi_bus < 0)
		s->spi_bus = p.spi_bus;
	if (s->spi_cs < -1)
		s->spi_cs = p.spi_cs;
	if (s->spi_other_cs < -1)
		s->spi_other_cs = p.spi_other_cs;
}

int vb_spi_board_new(struct vb *vb, char *err, size_t errlen)
{
	struct vb_settings *s = &vb->set;

	if (s->spi_chip < 0 || s->spi_bus < 0 || s->spi_cs < -1 ||
	    s->spi_other_cs < -1)
		from_profile(vb);
	s->spi_chip = s->spi_chip < 0 ? 0 : s->spi_chip;
	s->spi_bus = s->spi_bus < 0 ? 0 : s->spi_bus;
	s->spi_cs = s->spi_cs < -1 ? -1 : s->spi_cs;
	s->spi_other_cs = s->spi_other_cs < -1 ? -1 : s->spi_other_cs;
	for (int l = 0; l < 4; l++) {
		vb->io.clip[l] = -1;
		vb->io.vcd_spi[l] = -2;
	}
	vb->io.nor_cs = 1;
	if (!vb->set.spi_chip)
		return 0;
	vb->nor = vb_nor_new((enum vb_nor_part)vb->set.spi_chip, &vb->st);
	if (!vb->nor) {
		snprintf(err, errlen, "out of memory for the SPI flash");
		return -1;
	}
	vb_nor_no_ebsy(vb->nor, s->spi_no_ebsy);
	return 0;
}

static int parse_pin(const char *v, int *pin)
{
	if (!strcasecmp(v, "none")) {
		*pin = -1;
		return 0;
	}
	*pin = vb_pin_parse(v);
	return *pin < 0 ? -1 : 0;
}

int vb_spi_setting(struct vb_settings *s, const char *key, const char *v,
		   char *err, size_t errlen)
{
	int n;

	if (!strcmp(key, "spi_chip")) {
		n = vb_nor_parse(v);
		if (n >= 0) {
			s->spi_chip = n;
			return 0;
		}
		snprintf(err, errlen,
			 "setting spi_chip: '%s' is not sst25vf016b, m25pe16, "
			 "w25q64 or none",
			 v);
		return -1;
	}
	if (!strcmp(key, "spi_bus")) {
		if (!strcasecmp(v, "none") || !strcasecmp(v, "clip")) {
			s->spi_bus = 0;
			return 0;
		}
		if (!strncasecmp(v, "spi", 3) && v[3] >= '1' && v[3] <= '3' &&
		    !v[4]) {
			s->spi_bus = v[3] - '0';
			return 0;
		}
		snprintf(err, errlen,
			 "setting spi_bus: '%s' is not spi1, spi2, spi3 or "
			 "none",
			 v);
		return -1;
	}
	if (!strcmp(key, "spi_cs") || !strcmp(key, "spi_other_cs")) {
		if (!parse_pin(v,
			       key[4] == 'c' ? &s->spi_cs : &s->spi_other_cs))
			return 0;
		snprintf(err, errlen,
			 "setting %s: '%s' is not a pin (PB9) or "
			 "none",
			 key, v);
		return -1;
	}
	if (!strcmp(key, "spi_no_ebsy")) {
		if ((v[0] == '0' || v[0] == '1') && !v[1]) {
			s->spi_no_ebsy = v[0] == '1';
			return 0;
		}
		snprintf(err, errlen, "setting spi_no_ebsy: '%s' is not 0 or 1",
			 v);
		return -1;
	}
	if (!strcmp(key, "hse_hz")) {
		uint32_t u;

		if (!strcmp(v, "0") || !ub_parse_hz(v, &u)) {
			s->hse_hz = strcmp(v, "0") ? u : 0;
			return 0;
		}
		snprintf(err, errlen, "setting hse_hz: '%s' is not a frequency",
			 v);
		return -1;
	}
	return 1;
}

size_t vb_spi_profile(const struct ub_board *b, char (*out)[48], size_t max)
{
	const struct ub_spi_conf *s = &b->spi;
	size_t n = 0;

	if (!s->present || !s->nchip || max < 4)
		return 0;
	if (!strcasecmp(s->chip[0], "any") || vb_nor_parse(s->chip[0]) > 0)
		snprintf(out[n++], 48, "spi_chip=%s",
			 strcasecmp(s->chip[0], "any") ? s->chip[0] : "w25q64");
	else
		return 0; /* a part the board does not model */
	if (!strcasecmp(s->bus, "mcu") && vb_pin_parse(s->cs) >= 0) {
		snprintf(out[n++], 48, "spi_bus=%s", s->peripheral);
		snprintf(out[n++], 48, "spi_cs=%s", s->cs);
		for (unsigned i = 0; i < s->npark; i++)
			if (s->park[i].level == 1 &&
			    vb_pin_parse(s->park[i].pin) >= 0) {
				snprintf(out[n++], 48, "spi_other_cs=%s",
					 s->park[i].pin);
				break;
			}
	}
	return n;
}

int vb_spi_state_load(struct vb *vb, const char *dir, char *err, size_t errlen)
{
	char path[600];
	size_t size, got;
	uint8_t *mem;
	FILE *f;
	long len = -1;

	if (!vb->nor)
		return 0;
	mem = vb_nor_mem(vb->nor, &size);
	snprintf(path, sizeof(path), "%s/spi.bin", dir);
	f = fopen(path, "rb");
	if (!f)
		return 0; /* a new chip: erased */
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    (size_t)len != size) {
		snprintf(err, errlen,
			 "%s has %ld bytes, but the %s holds %zu bytes", path,
			 len, vb_nor_name((enum vb_nor_part)vb->set.spi_chip),
			 size);
		fclose(f);
		return -1;
	}
	rewind(f);
	got = fread(mem, 1, size, f);
	fclose(f);
	if (got != size) {
		snprintf(err, errlen, "cannot read %s", path);
		return -1;
	}
	return 0;
}

const uint8_t *vb_spi_state_data(struct vb *vb, size_t *len)
{
	if (!vb->nor)
		return NULL;
	return vb_nor_mem(vb->nor, len);
}

/* The chip's lines: SPIn's pins for CS#, SCK, MOSI, MISO on the MCU. */
static int mcu_pin(struct vb *vb, enum vb_spi_line l)
{
	int pins[4];

	if (!vb->set.spi_bus)
		return -1;
	if (l == VB_SPI_CS)
		return vb->set.spi_cs;
	vb_spi_pins(vb, (unsigned)vb->set.spi_bus - 1, pins);
	return pins[l == VB_SPI_CLK ? 1 : l == VB_SPI_MOSI ? 3 : 2];
}

static int mcu_drive(struct vb *vb, enum vb_spi_line l)
{
	int pin = mcu_pin(vb, l);

	return pin < 0 ? -1 : vb_gpio_drive(vb, pin);
}

/* The level on a chip line: the MCU's and the clip's drive, else its
 * pull (CS# up, the others down). */
static int line(struct vb *vb, enum vb_spi_line l, bool *fight)
{
	int m = mcu_drive(vb, l), c = vb->io.clip[l];

	if (l == VB_SPI_MISO) {
		int chip = vb->nor ? vb_nor_miso(vb->nor, vb_io_now(vb)) : -1;

		return chip >= 0 ? chip : 1;
	}
	if (m >= 0 && c >= 0 && m != c && fight)
		*fight = true;
	if (m >= 0 && c >= 0)
		return m & c;
	if (m >= 0)
		return m;
	if (c >= 0)
		return c;
	return l == VB_SPI_CS;
}

static uint8_t garbage(struct vb *vb)
{
	uint32_t x = vb->io.lfsr;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	vb->io.lfsr = x ? x : 0xACE1u;
	return (uint8_t)x;
}

void vb_spi_wire_update(struct vb *vb)
{
	bool fight = false;
	uint64_t t;
	int cs, clk;

	if (!vb->nor)
		return;
	t = vb_io_now(vb);
	cs = line(vb, VB_SPI_CS, &fight);
	if (cs != vb->io.nor_cs) {
		vb->io.nor_cs = cs;
		vb_nor_select(vb->nor, !cs, t);
	}
	clk = line(vb, VB_SPI_CLK, &fight);
	if (vb->io.clip[VB_SPI_CLK] >= 0 && clk != vb->io.nor_clk) {
		int mosi = line(vb, VB_SPI_MOSI, &fight);

		if (fight) {
			vb->st.spi_contention++;
			mosi = garbage(vb) & 1;
		}
		vb_nor_sck(vb->nor, clk, mosi, t);
	}
	vb->io.nor_clk = clk;
	vb_spi_vcd_sample(vb);
}

int vb_spi_wire_ext(struct vb *vb, int pin)
{
	if (!vb->nor || pin < 0 || pin != mcu_pin(vb, VB_SPI_MISO))
		return -1;
	return vb_nor_miso(vb->nor, vb_io_now(vb));
}

static uint8_t reverse(uint8_t b)
{
	b = (uint8_t)((b & 0xF0) >> 4 | (b & 0x0F) << 4);
	b = (uint8_t)((b & 0xCC) >> 2 | (b & 0x33) << 2);
	return (uint8_t)((b & 0xAA) >> 1 | (b & 0x55) << 1);
}

uint16_t vb_spi_mcu_frame(struct vb *vb, unsigned n, uint16_t tx, unsigned bits,
			  bool lsb_first, bool mode_ok, uint64_t t)
{
	int pin_clk = mcu_pin(vb, VB_SPI_CLK), pin_mosi, pin_miso;
	unsigned nbytes = bits / 8;
	uint16_t rx = 0;
	bool wired = vb->nor && vb->set.spi_bus == (int)n;

	if (wired) {
		pin_mosi = mcu_pin(vb, VB_SPI_MOSI);
		pin_miso = mcu_pin(vb, VB_SPI_MISO);
	} else {
		int pins[4];

		vb_spi_pins(vb, n - 1, pins);
		pin_miso = pins[2];
		pin_mosi = pins[3];
	}
	for (unsigned i = 0; i < nbytes; i++) {
		/* the byte that goes out first: high first, or low first */
		unsigned sh = lsb_first ? 8 * i : 8 * (nbytes - 1 - i);
		uint8_t b = (uint8_t)(tx >> sh), w = lsb_first ? reverse(b) : b;
		uint8_t r = 0xFF;
		bool chip =
			wired && !vb->io.nor_cs && vb_gpio_af_out(vb, pin_clk);

		if (chip) {
			if (!vb_gpio_af_out(vb, pin_mosi))
				w = 0; /* MOSI floats */
			r = vb_nor_byte(vb->nor, w, t);
			if (!mode_ok) /* the other edge: a bit late */
				r = (uint8_t)(r >> 1 | 0x80);
		} else {
			r = vb_gpio_level(vb, pin_miso) ? 0xFF : 0x00;
		}
		if (wired && vb->set.spi_other_cs >= 0 &&
		    !vb_gpio_level(vb, vb->set.spi_other_cs)) {
			r &= garbage(vb); /* two devices on MISO */
			vb->st.spi_contention++;
		}
		if (!vb_gpio_is_input(vb, pin_miso)) /* MISO is an output */
			r = vb_gpio_drive(vb, pin_miso) > 0 ? 0xFF : 0x00;
		if (lsb_first)
			r = reverse(r);
		rx |= (uint16_t)(r << sh);
	}
	return rx;
}

void vb_spi_clip_drive(struct vb *vb, enum vb_spi_line l, int level)
{
	if (l == VB_SPI_MISO)
		return;
	vb->io.clip[l] = level;
	vb_spi_wire_update(vb);
}

int vb_spi_clip_sense(struct vb *vb, enum vb_spi_line l)
{
	return line(vb, l, NULL);
}

/* The MCU drives one of the chip's lines the clip drives. */
static bool mcu_fights(struct vb *vb)
{
	for (int l = VB_SPI_CS; l <= VB_SPI_MOSI; l++)
		if (mcu_drive(vb, (enum vb_spi_line)l) >= 0)
			return true;
	return false;
}

void vb_spi_clip_xfer(struct vb *vb, const uint8_t *tx, size_t ntx, uint8_t *rx,
		      size_t nrx, uint32_t hz)
{
	uint64_t half = PS_PER_S / 2 / (hz ? hz : 1);
	bool fight = mcu_fights(vb);

	if (!vb->nor) {
		memset(rx, 0xFF, nrx);
		vb_advance(vb, half * 16 * (ntx + nrx + 1));
		return;
	}
	if (fight)
		vb->st.spi_contention++;
	vb_spi_clip_drive(vb, VB_SPI_CLK, 0);
	vb_spi_clip_drive(vb, VB_SPI_CS, 0);
	for (size_t i = 0; i < ntx + nrx; i++) {
		uint8_t b = i < ntx ? tx[i] : 0xFF, r = 0;

		if (!vb->vcd && !fight && !vb->io.nor_cs) { /* byte level */
			r = vb_nor_byte(vb->nor, b, vb->now_ps);
			vb_advance(vb, 16 * half);
		} else {
			for (int bit = 7; bit >= 0; bit--) {
				/* data at the falling edge, sampled at the
				 * rising one (mode 0) */
				vb_spi_clip_drive(vb, VB_SPI_MOSI,
						  b >> bit & 1);
				vb_advance(vb, half);
				r = (uint8_t)(r << 1 |
					      vb_spi_clip_sense(vb,
								VB_SPI_MISO));
				vb_spi_clip_drive(vb, VB_SPI_CLK, 1);
				vb_advance(vb, half);
				vb_spi_clip_drive(vb, VB_SPI_CLK, 0);
			}
		}
		if (i >= ntx)
			rx[i - ntx] = fight ? r & garbage(vb) : r;
	}
	vb_spi_clip_drive(vb, VB_SPI_CS, 1);
	vb_advance(vb, half);
	vb_spi_clip_drive(vb, VB_SPI_MOSI, -1);
	vb_spi_clip_drive(vb, VB_SPI_CLK, -1);
	vb_spi_clip_drive(vb, VB_SPI_CS, -1);
}

void vb_spi_vcd_header(struct vb *vb, FILE *f)
{
	if (!vb->nor)
		return;
	for (int l = 0; l < 4; l++)
		fprintf(f, "$var wire 1 %c %s $end\n", vcd_id[l], vcd_name[l]);
}

void vb_spi_vcd_sample(struct vb *vb)
{
	uint64_t t = vb->now_ps / VB_PS_PER_NS;
	int level[4];
	bool change = false;

	if (!vb->vcd || !vb->nor)
		return;
	for (int l = 0; l < 4; l++) {
		level[l] = line(vb, (enum vb_spi_line)l, NULL);
		change |= level[l] != vb->io.vcd_spi[l];
	}
	if (!change)
		return;
	if (t <= vb->io.vcd_spi_ns && vb->io.vcd_spi[0] != -2)
		t = vb->io.vcd_spi_ns + 1;
	fprintf(vb->vcd, "#%llu\n", (unsigned long long)t);
	for (int l = 0; l < 4; l++)
		if (level[l] != vb->io.vcd_spi[l])
			fprintf(vb->vcd, "%d%c\n", level[l], vcd_id[l]);
	memcpy(vb->io.vcd_spi, level, sizeof(level));
	vb->io.vcd_spi_ns = t;
}
