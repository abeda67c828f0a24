/*
 * A small Cortex-M3 firmware for the image loader tests: a vector table,
 * startup code that copies .data from flash to RAM and clears .bss, a main
 * loop that sums a 70 KB table in .rodata (so the image crosses a 64 KB
 * boundary in flash), and some initialised data. Built with
 * arm-none-eabi-as and tests/data/sample.ld; it is never run, only loaded.
 */
	.syntax unified
	.cpu cortex-m3
	.thumb

	.section .isr_vector, "a", %progbits
	.global vectors
vectors:
	.word _estack
	.word Reset_Handler
	.word Default_Handler	/* NMI */
	.word Default_Handler	/* HardFault */
	.word Default_Handler	/* MemManage */
	.word Default_Handler	/* BusFault */
	.word Default_Handler	/* UsageFault */
	.word 0, 0, 0, 0
	.word Default_Handler	/* SVCall */
	.word Default_Handler	/* DebugMon */
	.word 0
	.word Default_Handler	/* PendSV */
	.word Default_Handler	/* SysTick */

	.text
	.thumb_func
	.global Reset_Handler
Reset_Handler:
	ldr	r0, =_sidata		/* copy .data from flash to RAM */
	ldr	r1, =_sdata
	ldr	r2, =_edata
1:	cmp	r1, r2
	bhs	2f
	ldr	r3, [r0], #4
	str	r3, [r1], #4
	b	1b
2:	ldr	r1, =_sbss		/* clear .bss */
	ldr	r2, =_ebss
	movs	r3, #0
3:	cmp	r1, r2
	bhs	main
	str	r3, [r1], #4
	b	3b

	.thumb_func
main:
	ldr	r0, =table		/* sum the table into counter, forever */
	ldr	r1, =table_end
	movs	r2, #0
4:	ldr	r3, [r0], #4
	adds	r2, r2, r3
	cmp	r0, r1
	blo	4b
	ldr	r0, =counter
	str	r2, [r0]
	ldr	r0, =state
	ldr	r1, [r0]
	adds	r1, r1, #1
	str	r1, [r0]
	b	main

	.thumb_func
Default_Handler:
	b	Default_Handler
	.ltorg
	.balign 4

	/* 17920 words (70 KB) of a linear congruential sequence. */
	.section .rodata
	.balign 4
table:
	.set	x, 0x2545F491
	.rept	17920
	.set	x, (x * 1664525 + 1013904223) & 0xffffffff
	.word	x
	.endr
table_end:

	.data
	.balign 4
state:
	.word	0xC0FFEE01, 0x12345678, 0xDEADBEEF, 0x0BADF00D
greeting:
	.ascii	"unbrick sample .data: stored in flash, runs in RAM\0"
	.balign 4

	.bss
	.balign 4
counter:
	.space	4
scratch:
	.space	256
