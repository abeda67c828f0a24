// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmark's data and its physical limits (bench/run.sh compiles and
 * runs this; it is not part of unbrick).
 *
 *   mkimage bin SEED SIZE OUT
 *       SIZE pseudo-random bytes (xorshift32 from SEED), starting with a
 *       vector table whose reset handler spins (b .), so that the chip
 *       runs quietly after a reset.
 *   mkimage blank SIZE OUT
 *       SIZE bytes of 0xFF (an erased flash).
 *   mkimage patch IN OFFSET LEN SEED OUT
 *       IN with [OFFSET, OFFSET+LEN) replaced by new pseudo-random bytes.
 *   mkimage hex SEED BASE BEFORE OUT.hex AFTER OFFSET:LEN...
 *       pseudo-random chunks as Intel HEX at BASE+OFFSET (the first one
 *       with a vector table when at offset 0), and AFTER: the flash image
 *       BEFORE with the chunks written over it.
 *   mkimage limit BEFORE AFTER PAGE PROG_NS PAGE_ERASE_US MASS_ERASE_US
 *                 LINK
 *       the least work that turns flash BEFORE into AFTER (DESIGN.md §5):
 *       prints "halfwords erases wire_bytes prog_us erase_us wire_us
 *       limit_us" (below).
 *   mkimage readlimit SIZE LINK
 *       the same for reading SIZE bytes: only the wire.
 *   mkimage spilimit BEFORE AFTER SPI_HZ LINK
 *       the same for an SST25VF016B (AAI word program) behind LINK, its SCK
 *       at SPI_HZ: prints "words erase_us prog_us bus_us link_bytes link_us
 *       limit_us" (below).
 *
 * LINK is how the host reaches the chip: swd:HZ (SWCLK; a bare number is
 * that too), uart:BAUD (8E1, 11 bits a byte), or clip (a programmer on the
 * SPI chip's own pins: the SPI bus is the only wire).
 *
 * The limit of a write: a page whose old content can become the new one by
 * programming alone (only erased halfwords change) needs only its changed
 * halfwords programmed; any other changed page needs an erase and then
 * every halfword of its new content that is not 0xFFFF. When every page
 * needs an erase, one mass erase may replace them. Those halfwords must
 * cross the wire (2 bytes each): over SWD at 46 SWCLK cycles per 32-bit
 * transfer, over the UART at 11 bit times a byte. A loader in RAM overlaps
 * the wire with programming, so the limit is
 *   max(halfwords * tPROG + erases * tERASE, wire time)
 * Verifying costs nothing in it: a CRC computed on the target.
 *
 * The limit of an SPI flash write (SST25VF016B datasheet, AC
 * characteristics: AAI word program tBP 10 us, sector and block erase tSE =
 * tBE 25 ms, chip erase tSCE 50 ms; BOARDS.md): a 64 KB block whose old content can become the new one by
 * programming alone costs its changed words; any other changed block
 * needs an erase (one chip erase when that is cheaper) and every word of
 * its new content that is not 0xFFFF. On the SPI bus each AAI word is 3
 * bytes (0xAD and two data bytes) followed by tBP, and verifying reads the
 * written bytes back once (a CRC next to the chip still has to read them):
 *   bus = erase + words * (tBP + 24 / fSCK) + 2 * words * 8 / fSCK
 * Through the MCU the host's link carries the 2 data bytes of each word,
 * overlapped with the bus by a loader in RAM:
 *   limit = max(bus, link time)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLOCKS_PER_WORD 46 /* SWD: a 32-bit transfer with auto-increment */
#define UART_BITS	11 /* 8E1: start, 8 data, parity, stop */

/* SST25VF016B datasheet, AC characteristics: tBP, tBE, tSCE. */
#define SST_TBP_US	   10.0
#define SST_BLOCK	   65536u
#define SST_BLOCK_ERASE_US 25000.0
#define SST_CHIP_ERASE_US  50000.0
#define SST_AAI_BITS	   24 /* 0xAD d0 d1 */

static const char *prog = "mkimage";

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end)
		die("not a number: '%s'", s);
	return v;
}

static uint32_t rng = 1;

static uint8_t next_byte(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return (uint8_t)(rng >> 24);
}

static void seed(unsigned long s)
{
	rng = (uint32_t)s * 2654435761u ^ 0x9E3779B9u;
	if (!rng)
		rng = 1;
	for (int i = 0; i < 16; i++)
		next_byte();
}

static void fill(uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = next_byte();
}

/* Initial SP in RAM, reset handler at 0x08000008: "b ." */
static void vectors(uint8_t *b, size_t n)
{
	static const uint8_t v[10] = {0x00, 0x10, 0x00, 0x20, 0x09,
				      0x00, 0x00, 0x08, 0xFE, 0xE7};

	memcpy(b, v, n < sizeof(v) ? n : sizeof(v));
}

static uint8_t *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f)
		die("cannot open %s", path);
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0)
		die("cannot read %s", path);
	rewind(f);
	buf = malloc(len ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		die("cannot read %s", path);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static void save(const char *path, const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b, 1, n, f) != n || fclose(f))
		die("cannot write %s", path);
}

static void hex_record(FILE *f, unsigned type, unsigned addr, const uint8_t *d,
		       unsigned n)
{
	unsigned sum = n + (addr >> 8) + (addr & 0xFF) + type;

	fprintf(f, ":%02X%04X%02X", n, addr & 0xFFFF, type);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "%02X", d[i]);
		sum += d[i];
	}
	fprintf(f, "%02X\n", (0x100 - (sum & 0xFF)) & 0xFF);
}

static int cmd_hex(int argc, char **argv)
{
	uint32_t base;
	size_t n;
	uint8_t *flash;
	FILE *f;
	unsigned upper = 0x10000; /* none written yet */

	if (argc < 7)
		die("%s", "hex SEED BASE BEFORE OUT.hex AFTER OFFSET:LEN...");
	seed(num(argv[1]));
	base = (uint32_t)num(argv[2]);
	flash = load(argv[3], &n);
	f = fopen(argv[4], "w");
	if (!f)
		die("cannot write %s", argv[4]);
	for (int i = 6; i < argc; i++) {
		char *colon = strchr(argv[i], ':');
		unsigned long off, len;

		if (!colon)
			die("expected OFFSET:LEN, not '%s'", argv[i]);
		*colon = '\0';
		off = num(argv[i]);
		len = num(colon + 1);
		if (off + len > n || off + len < off)
			die("chunk %s is outside BEFORE", argv[i]);
		fill(flash + off, len);
		if (off == 0)
			vectors(flash, len);
		for (unsigned long p = off; p < off + len;) {
			uint32_t addr = base + (uint32_t)p;
			unsigned k = 16;

			if (addr >> 16 != upper) {
				uint8_t ext[2] = {(uint8_t)(addr >> 24),
						  (uint8_t)(addr >> 16)};

				upper = addr >> 16;
				hex_record(f, 4, 0, ext, 2);
			}
			if (k > off + len - p)
				k = (unsigned)(off + len - p);
			/* a record does not cross a 64 KB boundary */
			if ((addr & 0xFFFF) + k > 0x10000)
				k = 0x10000 - (addr & 0xFFFF);
			hex_record(f, 0, addr & 0xFFFF, flash + p, k);
			p += k;
		}
	}
	fprintf(f, ":00000001FF\n");
	if (fclose(f))
		die("cannot write %s", argv[4]);
	save(argv[5], flash, n);
	free(flash);
	return 0;
}

/* LINK: swd:HZ (or a bare HZ), uart:BAUD or clip. */
struct link {
	enum { LINK_SWD, LINK_UART, LINK_CLIP } kind;
	double hz;
};

static struct link parse_link(const char *s)
{
	struct link l = {LINK_SWD, 0};

	if (!strcmp(s, "clip"))
		return (struct link){LINK_CLIP, 1};
	if (!strncmp(s, "swd:", 4)) {
		s += 4;
	} else if (!strncmp(s, "uart:", 5)) {
		l.kind = LINK_UART;
		s += 5;
	}
	l.hz = (double)num(s);
	if (!l.hz)
		die("a link runs at more than 0 Hz: '%s'", s);
	return l;
}

/* Microseconds for n bytes from the host to the target over l. */
static double link_us(struct link l, unsigned long long n)
{
	switch (l.kind) {
	case LINK_SWD:
		return (double)((n + 3) / 4) * CLOCKS_PER_WORD * 1e6 / l.hz;
	case LINK_UART:
		return (double)n * UART_BITS * 1e6 / l.hz;
	default:
		return 0;
	}
}

static int cmd_limit(int argc, char **argv)
{
	size_t n, n2, page, pages;
	uint8_t *a, *b;
	unsigned long long hw = 0, erases = 0;
	double prog_ns, page_us, mass_us, prog_us, erase_us, wire_us;
	struct link l;

	if (argc != 8)
		die("%s", "limit BEFORE AFTER PAGE PROG_NS PAGE_ERASE_US "
			  "MASS_ERASE_US LINK");
	a = load(argv[1], &n);
	b = load(argv[2], &n2);
	page = num(argv[3]);
	prog_ns = (double)num(argv[4]);
	page_us = (double)num(argv[5]);
	mass_us = (double)num(argv[6]);
	l = parse_link(argv[7]);
	if (n != n2 || !page || n % page || page % 2 || l.kind == LINK_CLIP)
		die("%s", "BEFORE and AFTER must be whole pages of one size");
	pages = n / page;
	for (size_t p = 0; p < n; p += page) {
		bool programmable = true;
		unsigned long long changed = 0, set = 0;

		if (!memcmp(a + p, b + p, page))
			continue;
		for (size_t i = p; i < p + page; i += 2) {
			bool same = a[i] == b[i] && a[i + 1] == b[i + 1];
			bool blank = a[i] == 0xFF && a[i + 1] == 0xFF;

			changed += !same;
			set += b[i] != 0xFF || b[i + 1] != 0xFF;
			if (!same && !blank)
				programmable = false;
		}
		if (programmable) {
			hw += changed;
		} else {
			erases++;
			hw += set;
		}
	}
	prog_us = (double)hw * prog_ns / 1000.0;
	erase_us = (double)erases * page_us;
	if (erases == pages && mass_us < erase_us)
		erase_us = mass_us;
	wire_us = link_us(l, hw * 2);
	printf("%llu %llu %llu %.0f %.0f %.0f %.0f\n", hw, erases, hw * 2,
	       prog_us, erase_us, wire_us,
	       prog_us + erase_us > wire_us ? prog_us + erase_us : wire_us);
	free(a);
	free(b);
	return 0;
}

/* SPI bus time: erase, AAI words, and reading them back. */
static double spi_bus_us(double erase_us, unsigned long long words, double hz)
{
	return erase_us + (double)words * SST_TBP_US +
	       (double)words * (SST_AAI_BITS + 16) * 1e6 / hz;
}

static int cmd_spilimit(int argc, char **argv)
{
	size_t n, n2, blocks_erased = 0;
	uint8_t *a, *b;
	unsigned long long words = 0, all_words = 0;
	double hz, erase_us, bus_us, wire_us, lim;
	struct link l;

	if (argc != 5)
		die("%s", "spilimit BEFORE AFTER SPI_HZ LINK");
	a = load(argv[1], &n);
	b = load(argv[2], &n2);
	hz = (double)num(argv[3]);
	l = parse_link(argv[4]);
	if (n != n2 || n % SST_BLOCK || !hz)
		die("%s", "BEFORE and AFTER must be whole 64 KB blocks of one "
			  "size, at more than 0 Hz");
	for (size_t p = 0; p < n; p += SST_BLOCK) {
		bool programmable = true;
		unsigned long long changed = 0, set = 0;

		for (size_t i = p; i < p + SST_BLOCK; i += 2) {
			bool same = a[i] == b[i] && a[i + 1] == b[i + 1];

			changed += !same;
			set += b[i] != 0xFF || b[i + 1] != 0xFF;
			/* programming only clears bits */
			if ((a[i] & b[i]) != b[i] ||
			    (a[i + 1] & b[i + 1]) != b[i + 1])
				programmable = false;
		}
		all_words += set;
		if (programmable) {
			words += changed;
		} else {
			blocks_erased++;
			words += set;
		}
	}
	erase_us = (double)blocks_erased * SST_BLOCK_ERASE_US;
	bus_us = spi_bus_us(erase_us, words, hz);
	/* or one chip erase, and everything programmed again */
	if (blocks_erased &&
	    spi_bus_us(SST_CHIP_ERASE_US, all_words, hz) < bus_us) {
		erase_us = SST_CHIP_ERASE_US;
		words = all_words;
		bus_us = spi_bus_us(erase_us, words, hz);
	}
	wire_us = link_us(l, words * 2);
	lim = bus_us > wire_us ? bus_us : wire_us;
	printf("%llu %.0f %.0f %.0f %llu %.0f %.0f\n", words, erase_us,
	       (double)words * SST_TBP_US, bus_us,
	       l.kind == LINK_CLIP ? 0 : words * 2, wire_us, lim);
	free(a);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "bin") && argc == 5) {
		size_t n = num(argv[3]);
		uint8_t *b = malloc(n ? n : 1);

		if (!b)
			die("%s", "out of memory");
		seed(num(argv[2]));
		fill(b, n);
		vectors(b, n);
		save(argv[4], b, n);
		free(b);
		return 0;
	}
	if (!strcmp(cmd, "blank") && argc == 4) {
		size_t n = num(argv[2]);
		uint8_t *b = malloc(n ? n : 1);

		if (!b)
			die("%s", "out of memory");
		memset(b, 0xFF, n);
		save(argv[3], b, n);
		free(b);
		return 0;
	}
	if (!strcmp(cmd, "patch") && argc == 7) {
		size_t n, off = num(argv[3]), len = num(argv[4]);
		uint8_t *b = load(argv[2], &n);

		if (off + len > n || off + len < off)
			die("%s", "the patch is outside IN");
		seed(num(argv[5]));
		fill(b + off, len);
		save(argv[6], b, n);
		free(b);
		return 0;
	}
	if (!strcmp(cmd, "hex"))
		return cmd_hex(argc - 1, argv + 1);
	if (!strcmp(cmd, "limit"))
		return cmd_limit(argc - 1, argv + 1);
	if (!strcmp(cmd, "spilimit"))
		return cmd_spilimit(argc - 1, argv + 1);
	if (!strcmp(cmd, "readlimit") && argc == 4) {
		unsigned long long n = num(argv[2]);
		double wire = link_us(parse_link(argv[3]), n);

		printf("0 0 %llu 0 0 %.0f %.0f\n", n, wire, wire);
		return 0;
	}
	fprintf(stderr,
		"usage: %s bin SEED SIZE OUT | blank SIZE OUT | "
		"patch IN OFFSET LEN SEED OUT |\n"
		"       hex SEED BASE BEFORE OUT.hex AFTER OFFSET:LEN... |\n"
		"       limit BEFORE AFTER PAGE PROG_NS PAGE_ERASE_US "
		"MASS_ERASE_US LINK |\n"
		"       readlimit SIZE LINK | spilimit BEFORE AFTER SPI_HZ "
		"LINK\n",
		prog);
	return 2;
}
