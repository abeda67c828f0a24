/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_PI_H
#define UB_PI_H

/*
 * The Raspberry Pi 40-pin header (every model since the B+: 1, 2, 3, 4, 5,
 * Zero): physical pin numbers, what each carries, and the GPIO line names the
 * kernel gives them.
 */
#define UB_PI_PINS 40

enum ub_pi_kind {
	UB_PI_GPIO,
	UB_PI_3V3,
	UB_PI_5V,
	UB_PI_GND,
};

struct ub_pi_pin {
	enum ub_pi_kind kind;
	int bcm;	     /* BCM GPIO number, -1 for power and ground */
	const char *func;    /* the usual alternate use: "TXD", "SPI0 SCLK" */
	const char *dt_name; /* line name on Pi 3/4 kernels if not "GPIOn" */
};

/* Pin 1..40; NULL otherwise. */
const struct ub_pi_pin *ub_pi_pin(int pin);

/* "GPIO24", "3V3", "5V", "GND" into buf. */
const char *ub_pi_pin_name(int pin, char *buf, unsigned n);

/*
 * A pin as a profile or --pin writes it: "GPIO24" (BCM name), "pin18" or
 * "18" (physical), "TXD"/"RXD" (GPIO14/15), "3V3", "5V" or "GND" (the first
 * pin of that kind). Returns the physical pin 1..40, or a negative ub_err
 * with a message when the name is unknown or the GPIO is not on the header.
 */
int ub_pi_pin_parse(const char *s);

/* The physical pin of BCM GPIO n, or -1 when not on the header. */
int ub_pi_pin_of_gpio(int bcm);

#endif
