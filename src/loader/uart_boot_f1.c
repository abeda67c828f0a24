// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UART monitor's first stage for the STM32F1 (ub/ldr_uart.h, "The
 * first stage"): the ROM bootloader loads it at its own rate and starts it
 * with Go; it takes the monitor's bytes in frames at the fast rate, checks
 * them, and starts the monitor, which the host has told to talk at that
 * rate. Frames with their CRC and repeats, rather than raw bytes, so that
 * noise costs a frame sent again, not the whole monitor.
 *
 * Each of its bytes takes 95 us at the ROM's rate, in every session: so it
 * is Thumb-2 assembly, 480 bytes (the same in C came to 660; the monitor,
 * sent at the fast rate, stays C), and with its 28 bytes of vector and
 * parameters two of the ROM's 256-byte Write Memory blocks. What keeps it
 * small:
 *  - the CRC bit by bit, no table (8 shifts a byte, ~50 cycles; a byte at
 *    2 Mbaud is 352);
 *  - SysTick wraps once a gap (UB_LDRU_GAP_MS) and starts again with each
 *    byte: COUNTFLAG is a gap, and UB_LDRU_BOOT_WAIT_MS that many gaps at
 *    the fast rate without a good frame;
 *  - the host gives the BRR values (struct ub_ldru_boot): no division;
 *  - a frame comes whole onto the stack (its CRC reckoned as it comes, the
 *    header's check left to it) and is done then; every answer carries one
 *    word.
 * It runs the core and USART1 as the monitor does (uart_hw.h; spi_core.h's
 * spi_clock), so that the monitor's start() finds the clock done. No
 * interrupts and no data; the stack is the top of RAM (the host leaves
 * UB_LDRU_BOOT_STACK there). Position-independent as the other loaders:
 * its parameters are the 8 bytes of vector and struct ub_ldru_boot before
 * its code.
 *
 * Registers while it serves frames: r2 SysTick, r4 USART1, r5 the
 * parameters, r6 the frame's bytes so far, r7 its length (sync, header,
 * payload, CRC), r8 the CRC register, r9 gaps left at the fast rate (0 or
 * less: at the ROM's rate for good), sp the frame: sync at sp + 2, so that
 * the payload (an address, data) and the answer's word and CRC are
 * aligned.
 */
#include <stddef.h>
#include <stdint.h>

#include "ub/ldr_uart.h"
#include "uart_hw.h"

/* RM0008 rev 21 §7.3 (RCC), §3.3.3 (FLASH_ACR), §9.2 (GPIO); PM0056
 * §4.5 (SysTick) */
#define RCC	   0x40021000u /* CR +0, CFGR +4, APB2ENR +0x18 */
#define FLASH_ACR  0x40022000u /* RCC + 0x1000 */
#define GPIOA	   0x40010800u /* USART1 - 0x3000: CRH +4, BSRR +0x10 */
#define ACR	   (0x10u | MON_LATENCY) /* PRFTBE: the prefetch stays on */
#define SYST_TICKS (UB_LDRU_PCLK2 / 1000 * UB_LDRU_GAP_MS - 1)
/* CRC-32's register after data and their CRC: a frame that came whole;
 * the register that UB_LDRU_RSP takes to ~0, where an answer's CRC
 * starts */
#define CRC_GOOD 0xDEBB20E3u
#define CRC_RSP	 0xF0958F7Cu
#define FRAME	 1040u /* the stack: 2 + 6 + UB_LDRU_BOOT_MAX + 4 */

_Static_assert((MON_CFGR & 3) == 2, "SW: the PLL, 2 more than the HSI's 0");
_Static_assert(RCC + 0x1000 == FLASH_ACR && USART1 - 0x3000 == GPIOA,
	       "the bases it reaches from others");
_Static_assert(FRAME >= 2 + UB_LDRU_HDR + UB_LDRU_BOOT_MAX + 4 &&
		       FRAME <= UB_LDRU_BOOT_STACK,
	       "a frame fits the stack the host leaves");
_Static_assert(UB_LDRU_PCLK2 / UB_LDRU_HSI == 8u, "SysTick on the HSI: / 8");

/* The entry, first in the code. */
__attribute__((naked, noreturn, section(".text.entry"), used)) void
ub_ldr_uart_boot_f1_entry(void)
{
	/* the constants, by name */
	__asm__(".set .Lhead, %c[head]\n\t"
		".set .Lusart, %c[usart]\n\t"
		".set .Lrcc, %c[rcc]\n\t"
		".set .Lacr, %c[acr]\n\t"
		".set .Lcfgr, %c[cfgr]\n\t"
		".set .Lacr_off, %c[acr_off]\n\t"
		".set .Lgpio_off, %c[gpio_off]\n\t"
		".set .Lapb2, %c[apb2]\n\t"
		".set .Lcrh_mask, %c[crh_mask]\n\t"
		".set .Lcrh_uart, %c[crh_uart]\n\t"
		".set .Lcr1, %c[cr1]\n\t"
		".set .Lticks, %c[ticks]\n\t"
		".set .Lgaps, %c[gaps]\n\t"
		".set .Lbrr_fast, %c[brr_fast]\n\t"
		".set .Lbrr_rom, %c[brr_rom]\n\t"
		".set .Lbrr_hsi, %c[brr_hsi]\n\t"
		".set .Ldest, %c[dest]\n\t"
		".set .Llen, %c[len]\n\t"
		".set .Lstack, %c[stack]\n\t"
		".set .Lreq, %c[req]\n\t"
		".set .Lmax, %c[max]\n\t"
		".set .Lgood, %c[good]\n\t"
		".set .Lcrc_rsp, %c[crc_rsp]\n\t"
		".set .Lrsp4, %c[rsp4]\n\t"
		".set .Lok, %c[ok]"
		:
		:
		[head] "i"(UB_LDRU_BOOT_HEAD), [usart] "i"(USART1),
		[rcc] "i"(RCC), [acr] "i"(ACR), [cfgr] "i"(MON_CFGR),
		[acr_off] "i"(FLASH_ACR - RCC), [gpio_off] "i"(USART1 - GPIOA),
		[apb2] "i"(APB2_AFIO | APB2_IOPA | APB2_USART1),
		[crh_mask] "i"(GPIOA_CRH_MASK), [crh_uart] "i"(GPIOA_CRH_UART),
		[cr1] "i"(CR1_8E1), [ticks] "i"(SYST_TICKS),
		[gaps] "i"(UB_LDRU_BOOT_WAIT_MS / UB_LDRU_GAP_MS),
		[brr_fast] "i"(offsetof(struct ub_ldru_boot, brr_fast)),
		[brr_rom] "i"(offsetof(struct ub_ldru_boot, brr_rom)),
		[brr_hsi] "i"(offsetof(struct ub_ldru_boot, brr_hsi)),
		[dest] "i"(offsetof(struct ub_ldru_boot, dest)),
		[len] "i"(offsetof(struct ub_ldru_boot, len)),
		[stack] "i"(FRAME), [req] "i"(UB_LDRU_REQ),
		[max] "i"(UB_LDRU_BOOT_MAX), [good] "i"(CRC_GOOD),
		[crc_rsp] "i"(CRC_RSP), [rsp4] "i"(UB_LDRU_RSP | 4 << 8),
		[ok] "i"(UB_LDRU_OK));
	__asm__(".set .Leframe, %c[eframe]\n\t"
		".set .Lecmd, %c[ecmd]\n\t"
		".set .Leparam, %c[eparam]\n\t"
		".set .Lwrite, %c[write]\n\t"
		".set .Lboot, %c[boot]\n\t"
		".set .Lping, %c[ping]"
		:
		: [eframe] "i"(UB_LDRU_EFRAME), [ecmd] "i"(UB_LDRU_ECMD),
		  [eparam] "i"(UB_LDRU_EPARAM), [write] "i"(UB_LDRU_WRITE),
		  [boot] "i"(UB_LDRU_BOOT), [ping] "i"(UB_LDRU_PING));
	__asm__ volatile(
		/* the parameters: UB_LDRU_BOOT_HEAD - 8 bytes before */
		"mov	r5, pc\n\t" /* here + 4 */
		"subs	r5, #4 + .Lhead - 8\n\t"
		"cpsid	i\n\t"
		"ldr	r4, =.Lusart\n\t"
		/* the ROM's last ACK may still be on its way out */
		"ldr	r0, [r4, #12]\n\t" /* CR1 */
		"lsls	r0, r0, #28\n\t"   /* TE */
		"bpl	2f\n"
		"1:	ldr	r0, [r4]\n\t" /* SR */
		"lsls	r0, r0, #25\n\t"      /* TC */
		"bpl	1b\n"
		/* the clock, as spi_clock: SYSCLK from the HSI, the PLL
		 * off, set up, on; SYSCLK from it once it locks */
		"2:	ldr	r3, =.Lrcc\n\t"
		"movs	r0, #0\n\t"
		"str	r0, [r3, #4]\n" /* CFGR: the HSI */
		"1:	ldr	r0, [r3, #4]\n\t"
		"lsls	r0, r0, #28\n\t" /* SWS */
		"bne	1b\n\t"
		"ldr	r0, [r3]\n\t"
		"bic	r0, r0, #1 << 24\n\t" /* PLLON */
		"str	r0, [r3]\n"
		"1:	ldr	r0, [r3]\n\t"
		"lsls	r0, r0, #6\n\t" /* PLLRDY */
		"bmi	1b\n\t"
		"add	r1, r3, #.Lacr_off\n\t" /* FLASH_ACR */
		"movs	r0, #.Lacr\n\t"
		"str	r0, [r1]\n\t"
		"ldr	r1, =.Lcfgr & ~3\n\t"
		"str	r1, [r3, #4]\n\t"
		"ldr	r0, [r3]\n\t"
		"orr	r0, r0, #1 << 24\n\t"
		"str	r0, [r3]\n\t"
		"mov	r6, #0x10000\n\t" /* polls of PLLRDY, ms at 8 MHz */
		"movs	r7, #0\n\t"	  /* no PLL: at the ROM's rate */
		"ldr	r1, =.Lticks\n"
		"1:	ldr	r0, [r3]\n\t"
		"lsls	r0, r0, #6\n\t"
		"bmi	2f\n\t"
		"subs	r6, #1\n\t"
		"bne	1b\n\t"
		"lsrs	r1, r1, #3\n\t" /* SysTick at 8 MHz */
		"ldr	r0, [r5, #.Lbrr_hsi]\n\t"
		"b	3f\n"
		"2:	ldr	r0, =.Lcfgr & ~3\n\t"
		"adds	r0, #2\n\t" /* SW: the PLL */
		"str	r0, [r3, #4]\n\t"
		"movs	r7, #.Lgaps\n\t"
		"ldr	r0, [r5, #.Lbrr_fast]\n"
		"3:	mov	r9, r7\n\t"
		"mov	r2, #0xE000E000\n\t"
		"str	r1, [r2, #0x14]\n\t" /* SysTick LOAD: a gap */
		"movs	r1, #5\n\t"
		"str	r1, [r2, #0x10]\n\t" /* CTRL: on, the core's clock */
		/* USART1 on PA9 (TX), PA10 (RX, pulled up), 8E1 */
		"ldr	r1, [r3, #0x18]\n\t"
		"movw	r6, #.Lapb2\n\t"
		"orrs	r1, r6\n\t"
		"str	r1, [r3, #0x18]\n\t"	 /* APB2ENR */
		"sub	r3, r4, #.Lgpio_off\n\t" /* GPIOA */
		"mov	r1, #1 << 10\n\t"
		"str	r1, [r3, #0x10]\n\t" /* BSRR: PA10 up */
		"ldr	r1, [r3, #4]\n\t"
		"bic	r1, r1, #.Lcrh_mask\n\t"
		"orr	r1, r1, #.Lcrh_uart\n\t"
		"str	r1, [r3, #4]\n\t" /* CRH */
		"str	r0, [r4, #8]\n\t" /* BRR (CR2, CR3: the ROM's 0) */
		"movw	r1, #.Lcr1\n\t"
		"str	r1, [r4, #12]\n\t" /* CR1 */
		"sub	sp, sp, #.Lstack\n"

		/* a frame: the sync, the header, then len + 4 bytes */
		".Lframe:\n\t"
		"movs	r6, #0\n\t"
		"movs	r7, #6\n"
		".Lwait:\n\t"
		"ldr	r0, [r4]\n\t"
		"lsls	r0, r0, #26\n\t" /* RXNE */
		"bmi	.Lgot\n\t"
		"ldr	r0, [r2, #0x10]\n\t"
		"lsls	r0, r0, #15\n\t" /* COUNTFLAG */
		"bpl	.Lwait\n\t"
		/* a gap: the frame dropped; the last of those allowed at
		 * the fast rate without a good frame: the ROM's rate for
		 * good (r9 goes below 0 and stays there) */
		"mov	r0, r9\n\t"
		"subs	r0, #1\n\t"
		"mov	r9, r0\n\t"
		"bne	.Lframe\n\t"
		"ldr	r0, [r5, #.Lbrr_rom]\n\t"
		"str	r0, [r4, #8]\n\t"
		"b	.Lframe\n"
		".Lgot:\n\t"
		"ldr	r1, [r4, #4]\n\t"    /* DR */
		"uxtb	r1, r1\n\t"	     /* the parity bit off */
		"str	r2, [r2, #0x18]\n\t" /* SysTick VAL: a gap anew */
		"add	r3, sp, #2\n\t"
		"strb	r1, [r3, r6]\n\t"
		/* COUNTFLAG dropped some cycles later: a SysTick may take
		 * the reload after the write for a wrap */
		"ldr	r0, [r2, #0x10]\n\t"
		"cbnz	r6, 1f\n\t"
		"cmp	r1, #.Lreq\n\t"
		"bne	.Lwait\n\t"
		"movs	r0, #0\n\t"
		"mvns	r0, r0\n\t"
		"b	2f\n"
		"1:	mov	r0, r8\n\t"
		"bl	.Lcrc8\n"
		"2:	mov	r8, r0\n\t"
		"adds	r6, #1\n\t"
		"cmp	r6, #6\n\t"
		"bne	3f\n\t"
		/* the header's len fits (its hchk is left to the CRC) */
		"ldrh	r7, [sp, #3]\n\t"
		"cmp	r7, #.Lmax\n\t"
		"bhi	.Lframe\n\t"
		"adds	r7, #6 + 4\n"
		"3:	cmp	r6, r7\n\t"
		"blo	.Lwait\n\t"

		/* a whole frame: r0 the answer's status; [sp, #8] its word */
		"ldr	r1, =.Lgood\n\t"
		"movs	r0, #.Leframe\n\t"
		"cmp	r8, r1\n\t"
		"bne	.Lanswer\n\t"
		/* a good frame: the rate works (V is clear: cmp found
		 * them equal) */
		"movs	r0, r9\n\t"
		"it	gt\n\t"
		"movgt	r0, #.Lgaps\n\t"
		"mov	r9, r0\n\t"
		"movs	r0, #.Lok\n\t"
		"ldrb	r1, [sp, #5]\n\t" /* the command */
		"cmp	r1, #.Lwrite\n\t"
		"bne	2f\n\t"
		/* WRITE: into [dest, dest + len) only */
		"ldr	r3, [r5, #.Ldest]\n\t"
		"ldr	r6, [sp, #8]\n\t"
		"subs	r6, r6, r3\n\t" /* from the image's start */
		"ldr	r1, [r5, #.Llen]\n\t"
		"cmp	r6, r1\n\t"
		"bhi	1f\n\t"
		"subs	r1, r1, r6\n\t"
		"subs	r7, #6 + 4 + 4\n\t" /* the data's bytes */
		"cmp	r7, r1\n\t"
		"bhi	1f\n\t"
		"adds	r3, r6\n\t"
		"add	r6, sp, #12\n"
		"4:	subs	r7, #1\n\t"
		"bmi	.Lanswer\n\t"
		"ldrb	r1, [r6, r7]\n\t"
		"strb	r1, [r3, r7]\n\t"
		"b	4b\n"
		"1:	movs	r0, #.Leparam\n\t"
		"b	.Lanswer\n"
		/* BOOT: the CRC of the image; the monitor if it is the
		 * host's (r7 = 0) */
		"2:	cmp	r1, #.Lboot\n\t"
		"bne	3f\n\t"
		"ldr	r6, [r5, #.Ldest]\n\t"
		"ldr	r7, [r5, #.Llen]\n\t"
		"movs	r0, #0\n\t"
		"mvns	r0, r0\n"
		"5:	ldrb	r1, [r6], #1\n\t"
		"bl	.Lcrc8\n\t"
		"subs	r7, #1\n\t"
		"bne	5b\n\t"
		"mvns	r0, r0\n\t"
		"ldr	r7, [sp, #8]\n\t"
		"str	r0, [sp, #8]\n\t"
		"eors	r7, r0\n\t"
		"movs	r0, #.Lok\n\t"
		"b	.Lanswer2\n"
		/* PING: OK; the rest: ECMD */
		"3:	cmp	r1, #.Lping\n\t"
		"it	ne\n\t"
		"movne	r0, #.Lecmd\n"

		/* the answer: RSP, len 4, status, seq, hchk, the word, the
		 * CRC, reckoned as it goes */
		".Lanswer:\n\t"
		"movs	r7, #1\n\t" /* not BOOT: the word 0 */
		"movs	r1, #0\n\t"
		"str	r1, [sp, #8]\n"
		".Lanswer2:\n\t"
		"mov	r3, sp\n\t"
		"movw	r1, #.Lrsp4\n\t"
		"strh	r1, [r3, #2]\n\t" /* RSP, len 4 */
		"lsls	r1, r0, #8\n\t"
		"strh	r1, [r3, #4]\n\t" /* 0, status */
		"ldrb	r1, [r3, #6]\n\t" /* seq */
		"eors	r1, r0\n\t"
		"eor	r1, r1, #0xFF ^ 4\n\t"
		"strb	r1, [r3, #7]\n\t" /* hchk */
		"ldr	r0, =.Lcrc_rsp\n\t"
		"movs	r6, #2\n" /* sp + 2: RSP */
		"1:	cmp	r6, #2 + 6 + 4\n\t"
		"bne	2f\n\t"
		"mvns	r1, r0\n\t"
		"str	r1, [sp, #12]\n"
		"2:	ldr	r1, [r4]\n\t"
		"lsls	r1, r1, #24\n\t" /* TXE */
		"bpl	2b\n\t"
		"mov	r3, sp\n\t"
		"ldrb	r1, [r3, r6]\n\t"
		"str	r1, [r4, #4]\n\t"
		"bl	.Lcrc8\n\t"
		"adds	r6, #1\n\t"
		"cmp	r6, #2 + 6 + 4 + 4\n\t"
		"bne	1b\n\t"
		"cbz	r7, 1f\n\t"
		"b	.Lframe\n"
		/* the monitor, once the answer is out: its stack, its entry */
		"1:	ldr	r0, [r4]\n\t"
		"lsls	r0, r0, #25\n\t" /* TC */
		"bpl	1b\n\t"
		"ldr	r0, [r5, #.Ldest]\n\t"
		"ldr	r1, [r0, #4]\n\t"
		"ldr	r0, [r0]\n\t"
		"msr	msp, r0\n\t"
		"bx	r1\n"

		/* r0, the CRC's register (reflected, 0xEDB88320, as
		 * ub_crc32), after the byte in r1; r1 and r3 used */
		".Lcrc8:\n\t"
		"eors	r0, r1\n\t"
		"movs	r1, #8\n\t"
		"ldr	r3, =0xEDB88320\n"
		"1:	lsrs	r0, r0, #1\n\t"
		"it	cs\n\t"
		"eorcs	r0, r3\n\t"
		"subs	r1, #1\n\t"
		"bne	1b\n\t"
		"bx	lr\n\t"
		".ltorg");
}
