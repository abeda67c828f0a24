// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Raspberry Pi 40-pin header. Sources: the Raspberry Pi documentation
 * (computers/raspberry-pi.html, "GPIO and the 40-pin header"); line names on
 * Pi 3/4 kernels from the gpio-line-names of bcm2710-rpi-3-b.dts and
 * bcm2711-rpi-4-b.dts; the Pi 5 (RP1) names every line "GPIOn".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ub/err.h"
#include "ub/pi.h"

#define G(n, f, dt)                  \
	{                            \
		UB_PI_GPIO, n, f, dt \
	}
#define P(k)                      \
	{                         \
		k, -1, NULL, NULL \
	}

static const struct ub_pi_pin header[UB_PI_PINS + 1] = {
	[1] = P(UB_PI_3V3),
	[2] = P(UB_PI_5V),
	[3] = G(2, "I2C1 SDA", "SDA1"),
	[4] = P(UB_PI_5V),
	[5] = G(3, "I2C1 SCL", "SCL1"),
	[6] = P(UB_PI_GND),
	[7] = G(4, "GPCLK0", "GPIO_GCLK"),
	[8] = G(14, "UART TXD", "TXD1"),
	[9] = P(UB_PI_GND),
	[10] = G(15, "UART RXD", "RXD1"),
	[11] = G(17, NULL, NULL),
	[12] = G(18, "PCM CLK", NULL),
	[13] = G(27, NULL, NULL),
	[14] = P(UB_PI_GND),
	[15] = G(22, NULL, NULL),
	[16] = G(23, NULL, NULL),
	[17] = P(UB_PI_3V3),
	[18] = G(24, NULL, NULL),
	[19] = G(10, "SPI0 MOSI", "SPI_MOSI"),
	[20] = P(UB_PI_GND),
	[21] = G(9, "SPI0 MISO", "SPI_MISO"),
	[22] = G(25, NULL, NULL),
	[23] = G(11, "SPI0 SCLK", "SPI_SCLK"),
	[24] = G(8, "SPI0 CE0", "SPI_CE0_N"),
	[25] = P(UB_PI_GND),
	[26] = G(7, "SPI0 CE1", "SPI_CE1_N"),
	[27] = G(0, "ID EEPROM SDA", "ID_SDA"),
	[28] = G(1, "ID EEPROM SCL", "ID_SCL"),
	[29] = G(5, NULL, NULL),
	[30] = P(UB_PI_GND),
	[31] = G(6, NULL, NULL),
	[32] = G(12, "PWM0", NULL),
	[33] = G(13, "PWM1", NULL),
	[34] = P(UB_PI_GND),
	[35] = G(19, "PCM FS", NULL),
	[36] = G(16, NULL, NULL),
	[37] = G(26, NULL, NULL),
	[38] = G(20, "PCM DIN", NULL),
	[39] = P(UB_PI_GND),
	[40] = G(21, "PCM DOUT", NULL),
};

const struct ub_pi_pin *ub_pi_pin(int pin)
{
	return pin >= 1 && pin <= UB_PI_PINS ? &header[pin] : NULL;
}

const char *ub_pi_pin_name(int pin, char *buf, unsigned n)
{
	static const char *const kind[] = {"GPIO", "3V3", "5V", "GND"};
	const struct ub_pi_pin *p = ub_pi_pin(pin);

	if (!p)
		snprintf(buf, n, "?");
	else if (p->kind == UB_PI_GPIO)
		snprintf(buf, n, "GPIO%d", p->bcm);
	else
		snprintf(buf, n, "%s", kind[p->kind]);
	return buf;
}

int ub_pi_pin_of_gpio(int bcm)
{
	for (int i = 1; i <= UB_PI_PINS; i++)
		if (header[i].kind == UB_PI_GPIO && header[i].bcm == bcm)
			return i;
	return -1;
}

static int first_of(enum ub_pi_kind k)
{
	for (int i = 1; i <= UB_PI_PINS; i++)
		if (header[i].kind == k)
			return i;
	return -1;
}

/* A decimal number taking the whole of s, or -1. */
static long whole_number(const char *s)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	return *end || v > 1000 ? -1 : v;
}

int ub_pi_pin_parse(const char *name)
{
	const char *s = name;
	long n;

	if (!strcasecmp(s, "3V3") || !strcasecmp(s, "3.3V"))
		return first_of(UB_PI_3V3);
	if (!strcasecmp(s, "5V"))
		return first_of(UB_PI_5V);
	if (!strcasecmp(s, "GND"))
		return first_of(UB_PI_GND);
	if (!strcasecmp(s, "TXD"))
		return ub_pi_pin_of_gpio(14);
	if (!strcasecmp(s, "RXD"))
		return ub_pi_pin_of_gpio(15);
	if (!strncasecmp(s, "GPIO", 4) && (n = whole_number(s + 4)) >= 0) {
		int pin = ub_pi_pin_of_gpio((int)n);

		if (pin < 0)
			return ub_fail(
				UB_ENOENT,
				"GPIO%ld is not on the Pi's 40-pin header "
				"(it has GPIO0-GPIO27)",
				n);
		return pin;
	}
	if (!strncasecmp(s, "pin", 3))
		s += 3;
	n = whole_number(s);
	if (n >= 1 && n <= UB_PI_PINS)
		return (int)n;
	return ub_fail(UB_ENOENT,
		       "'%s' is not a Pi header pin: write GPIO24 (BCM name), "
		       "pin18 (physical pin 1-40), TXD, RXD, 3V3, 5V or GND",
		       name);
}
