/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_LDR_SPI_AAI_H
#define UB_LDR_SPI_AAI_H

/*
 * SST25 AAI word programming for spi_core.h (which includes it, after the
 * bus and the polls it uses): the end of each word found by RDSR at a
 * learnt lead (spi_aai), or on SO after EBSY (spi_aai_so). Static
 * functions only.
 */

/*
 * The wait after an AAI word (tBP, 10 us at most, 7 typical). A status
 * byte tells what the chip was at its start, so a poll that begins at a
 * random time sees the end about one and a half bytes late; the word's
 * 1.5 us command is all the bus does besides. So the first RDSR is put
 * where the word should end: the lead after CS# rose is learnt from the
 * first word, then kept the least that finds the chip ready at the first
 * look: every 32 words one a 32nd of a microsecond shorter is tried, and
 * a word not ready at the first look adds a 16th. Past the lead, RDSR is
 * polled as everywhere (timeout, beat). This works out the lead for the
 * next word from what the last wait saw.
 */
SPI_HOT void spi_aai_learn(struct spi_ctx *x)
{
	uint32_t step = x->p->cfg.ticks_per_us / 32 + 1, max;

	if (!x->looks) { /* ready at the first look: the lead is enough */
		x->ok = x->lead;
		if (++x->probes >= 32) {
			x->probes = 0;
			x->lead = x->ok > step ? x->ok - step : 0;
		}
	} else if (x->lead < x->ok) { /* a shorter one was too short */
		x->lead = x->ok;
	} else if (x->ok) { /* the chip slower than it was: a little more */
		x->ok += 2 * step;
		x->lead = x->ok;
	} else { /* the first word: it was ready by the last look's start */
		max = x->p->timeout_us * x->p->cfg.ticks_per_us / 2;
		x->ok = x->late > x->to_look ? x->late - x->to_look : 0;
		x->ok = x->ok < max ? x->ok : max;
		x->lead = x->ok;
		x->probes = 0;
	}
}

/*
 * SST25 AAI word programming: one sequence for the job, WRDI at its end
 * (also after an error, so that the chip leaves AAI mode). Once a word is
 * seen done the next command goes out at once; what the wait taught is
 * worked out while that word programs (spi_aai_learn).
 */
static uint32_t spi_aai(struct spi_ctx *x, uint32_t addr, const uint8_t *s,
			uint32_t len)
{
	uint32_t st = UB_LDR_OK, i = 0, t0, first, w, k;
	struct spi_timer tm;
	uint8_t sr;

	if ((addr | len) & 1)
		return UB_LDR_BADPARAM;
	if (!len)
		return UB_LDR_OK;
	spi_cmd1(x, NOR_WREN);
	spi_cs_low(x);
	spi_cmd_addr(x, NOR_AAI, addr);
	for (;;) {
		/* the word's two bytes; CS# up starts tBP */
		spi_tx(x, s[i]);
		spi_tx(x, s[i + 1]);
		spi_tx_end(x);
		spi_cs_up(x);
		t0 = SYST_VAL;
		if (i)
			spi_aai_learn(x);
		i += 2;
		spi_timer_start(x, &tm);
		while (((t0 - SYST_VAL) & SYST_MASK) < x->lead)
			;
		spi_cs_low(x);
		spi_xchg(x, NOR_RDSR);
		first = w = SYST_VAL;
		k = 0;
		while ((sr = spi_xchg(x, 0xFF)) & NOR_WIP) {
			w = SYST_VAL;
			if (++k & 7)
				continue;
			x->p->beat++;
			if (spi_timer_expired(&tm)) {
				spi_cs_up(x);
				x->p->err_addr = addr + i - 2;
				x->p->err_sr = sr;
				st = UB_LDR_SPI_BUSY;
				break;
			}
		}
		if (st)
			break;
		spi_cs_up(x);
		/* kept after CS# up, these fill its least high time */
		__asm__ volatile("" : : : "memory");
		w = (t0 - w) & SYST_MASK;
		first = ((t0 - first) & SYST_MASK) - x->lead;
		if (i >= len)
			break;
		spi_cs_low(x);
		spi_tx(x, NOR_AAI);
		x->looks = k;
		x->late = w;
		x->to_look = first;
	}
	spi_delay(x->gap);
	spi_cmd1(x, NOR_WRDI);
	return st;
}

/*
 * SST25 AAI with hardware end-of-write (SST25VF016B datasheet, "End-of-
 * Write Detection"): after EBSY, SO shows RY/BY# whenever CE# is low in
 * AAI mode, so the end of a word is a pin read (IDR, RM0008 §9.1.4: an
 * alternate-function input is sampled too) rather than a status command:
 * CE# goes down again at once and the next command follows the chip's
 * ready at the next look. A chip that does not drive SO shows MISO's
 * pull-up, high, at the first look after the first word (tBP is micro-
 * seconds, the look a few cycles): that word is waited for with RDSR, AAI
 * left, *done 2, and the caller goes on with RDSR polling, for the rest of
 * the run too (no_so). Else *done is len. SPI_IDLE runs every 8 looks.
 */
static uint32_t spi_aai_so(struct spi_ctx *x, uint32_t addr, const uint8_t *s,
			   uint32_t len, uint32_t *done)
{
	uint32_t st = UB_LDR_OK, i = 0, k;
	struct spi_timer tm;

	*done = len;
	spi_cmd1(x, NOR_EBSY);
	SPI_IDLE(x);
	spi_cmd1(x, NOR_WREN);
	SPI_IDLE(x);
	spi_cs_low(x);
	spi_cmd_addr(x, NOR_AAI, addr);
	for (;;) {
		spi_tx(x, s[i]);
		spi_tx(x, s[i + 1]);
		/* CS# up as soon as the last bit is out (tBP starts), what
		 * came in on MISO dropped after */
		while (!(x->spi[SPI_SR] & SPI_TXE))
			;
		while (x->spi[SPI_SR] & SPI_BSY)
			;
		spi_cs_up(x);
		(void)x->spi[SPI_DR];
		(void)x->spi[SPI_SR];
		spi_delay(x->cph);
		spi_cs_low(x);
		i += 2;
		if (i == 2 && (*x->so & x->so_bit)) {
			x->no_so = 1;
			spi_cs_high(x);
			st = spi_wait_ready(x, addr);
			spi_cmd1(x, NOR_WRDI);
			spi_cmd1(x, NOR_DBSY);
			*done = 2;
			return st;
		}
		spi_timer_start(x, &tm);
		k = 0;
		/* eight looks, then the idle work: a microsecond or so */
		while (!(*x->so & x->so_bit)) {
			if (++k & 7)
				continue;
			SPI_IDLE(x);
			x->p->beat++;
			/* SPI_IDLE may have taken long: the chip is late only
			 * if it is still busy after the time is up */
			if (spi_timer_expired(&tm) && !(*x->so & x->so_bit)) {
				x->p->err_addr = addr + i - 2;
				x->p->err_sr = 0; /* SO is no status register */
				st = UB_LDR_SPI_BUSY;
				break;
			}
		}
		if (st || i >= len)
			break;
		spi_tx(x, NOR_AAI);
	}
	spi_cs_high(x);
	spi_cmd1(x, NOR_WRDI);
	SPI_IDLE(x);
	spi_cmd1(x, NOR_DBSY);
	return st;
}

#endif
