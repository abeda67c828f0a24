// SPDX-License-Identifier: GPL-2.0-or-later
/* Numbers, sizes, rates and durations as people write them. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include "ub/err.h"
#include "ub/num.h"

/* Parse the leading number; *end gets the rest. */
static int leading_u64(const char *s, uint64_t *v, const char **end)
{
	int base = 10;
	char *e;

	if (!isdigit((unsigned char)*s))
		return UB_EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	}
	if (!isxdigit((unsigned char)*s))
		return UB_EINVAL;
	/* strtoull would take a second prefix: "0x0x10" */
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return UB_EINVAL;
	if (base == 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return UB_EINVAL;
	errno = 0;
	*v = strtoull(s, &e, base);
	if (errno)
		return UB_EINVAL;
	*end = e;
	return 0;
}

static int scaled(const char *s, uint32_t *v, const char *const suffix[][2],
		  const uint64_t *mult, unsigned nsuffix)
{
	const char *end;
	uint64_t n;

	if (leading_u64(s, &n, &end))
		return UB_EINVAL;
	for (unsigned i = 0; *end && i < nsuffix; i++)
		if (!strcasecmp(end, suffix[i][0]) ||
		    (suffix[i][1] && !strcasecmp(end, suffix[i][1]))) {
			if (n > UINT32_MAX / mult[i])
				return UB_EINVAL;
			n *= mult[i];
			end = "";
		}
	if (*end || n > UINT32_MAX)
		return UB_EINVAL;
	*v = (uint32_t)n;
	return 0;
}

int ub_parse_u32(const char *s, uint32_t *v)
{
	return scaled(s, v, NULL, NULL, 0);
}

int ub_parse_size(const char *s, uint32_t *v)
{
	static const char *const suffix[][2] = {
		{"K", "KiB"},
		{"KB", NULL},
		{"M", "MiB"},
		{"MB", NULL},
	};
	static const uint64_t mult[] = {1024, 1024, 1 << 20, 1 << 20};

	return scaled(s, v, suffix, mult, 4);
}

int ub_parse_hz(const char *s, uint32_t *v)
{
	static const char *const suffix[][2] = {
		{"Hz", NULL},
		{"k", "kHz"},
		{"M", "MHz"},
	};
	static const uint64_t mult[] = {1, 1000, 1000000};

	return scaled(s, v, suffix, mult, 3);
}

int ub_parse_ms(const char *s, uint32_t *ms)
{
	double v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return UB_EINVAL;
	v = strtod(s, &end);
	if (!*end || !strcasecmp(end, "ms"))
		;
	else if (!strcasecmp(end, "s"))
		v *= 1000;
	else if (!strcasecmp(end, "us"))
		v /= 1000;
	else
		return UB_EINVAL;
	if (v < 0 || v > 3600e3)
		return UB_EINVAL;
	*ms = (uint32_t)v + ((double)(uint32_t)v < v);
	return 0;
}
