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
 *                 SWCLK_HZ
 *       the least work that turns flash BEFORE into AFTER (DESIGN.md §5):
 *       prints "halfwords erases wire_bytes prog_us erase_us wire_us
 *       limit_us" (below).
 *   mkimage readlimit SIZE SWCLK_HZ
 *       the same for reading SIZE bytes: only the wire.
 *
 * The limit of a write: a page whose old content can become the new one by
 * programming alone (only erased halfwords change) needs only its changed
 * halfwords programmed; any other changed page needs an erase and then
 * every halfword of its new content that is not 0xFFFF. When every page
 * needs an erase, one mass erase may replace them. Those halfwords must
 * cross the wire (2 bytes each), at 46 SWCLK cycles per 32-bit transfer;
 * a loader in RAM overlaps the wire with programming, so the limit is
 *   max(halfwords * tPROG + erases * tERASE, ceil(wire_bytes / 4) * 46 / f)
 * Verifying costs nothing in it: a CRC computed on the target.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLOCKS_PER_WORD 46 /* SWD: a 32-bit transfer with auto-increment */

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

static int cmd_limit(int argc, char **argv)
{
	size_t n, n2, page, pages;
	uint8_t *a, *b;
	unsigned long long hw = 0, erases = 0;
	double prog_ns, page_us, mass_us, hz, prog_us, erase_us, wire_us;

	if (argc != 8)
		die("%s", "limit BEFORE AFTER PAGE PROG_NS PAGE_ERASE_US "
			  "MASS_ERASE_US SWCLK_HZ");
	a = load(argv[1], &n);
	b = load(argv[2], &n2);
	page = num(argv[3]);
	prog_ns = (double)num(argv[4]);
	page_us = (double)num(argv[5]);
	mass_us = (double)num(argv[6]);
	hz = (double)num(argv[7]);
	if (n != n2 || !page || n % page || page % 2 || !hz)
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
	wire_us = (double)((hw * 2 + 3) / 4) * CLOCKS_PER_WORD * 1e6 / hz;
	printf("%llu %llu %llu %.0f %.0f %.0f %.0f\n", hw, erases, hw * 2,
	       prog_us, erase_us, wire_us,
	       prog_us + erase_us > wire_us ? prog_us + erase_us : wire_us);
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
	if (!strcmp(cmd, "readlimit") && argc == 4) {
		unsigned long long n = num(argv[2]);
		double wire = (double)((n + 3) / 4) * CLOCKS_PER_WORD * 1e6 /
			      (double)num(argv[3]);

		printf("0 0 %llu 0 0 %.0f %.0f\n", n, wire, wire);
		return 0;
	}
	fprintf(stderr,
		"usage: %s bin SEED SIZE OUT | blank SIZE OUT | "
		"patch IN OFFSET LEN SEED OUT |\n"
		"       hex SEED BASE BEFORE OUT.hex AFTER OFFSET:LEN... |\n"
		"       limit BEFORE AFTER PAGE PROG_NS PAGE_ERASE_US "
		"MASS_ERASE_US SWCLK_HZ |\n"
		"       readlimit SIZE SWCLK_HZ\n",
		prog);
	return 2;
}
