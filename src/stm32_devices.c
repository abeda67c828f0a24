// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The STM32 device table, by DEV_ID. Chip knowledge, as data.
 *
 * One row per DEV_ID of ST's AN2606 ("STM32 microcontroller system memory
 * boot mode", device-dependent bootloader parameters), plus a few newer
 * DEV_IDs of the same series. Each row names its documents:
 *   - AN2606: the DEV_ID, the RAM the ROM bootloader keeps for itself
 *     (boot_ram_end: loaders sent over the bootloader go at or above it)
 *     and the bootloader's USART1 pins;
 *   - the reference manual (RMxxxx) of the line: flash organisation
 *     ("embedded flash memory"), the flash-size register ("device
 *     electronic signature") and DBGMCU_IDCODE ("debug support").
 * Every value was cross-checked against public transcriptions of those
 * documents: stm32flash (dev_table.c), stm32loader (devices.py), OpenOCD
 * (src/flash/nor/stm32*.c), Black Magic Debug (src/target/stm32*.c) and
 * probe-rs (targets/STM32*_Series.yaml). Where they disagree or only one
 * says so, the row carries an UNSURE_* bit and a comment; 0 or NULL means
 * "not known" rather than a guess.
 *
 * Sizes are those of the largest part with the DEV_ID. ram_size counts the
 * SRAM that is contiguous from 0x20000000 (including SRAM2 or CCM SRAM
 * where mapped right behind SRAM1).
 */
#include <stdio.h>
#include <string.h>

#include "ub/err.h"
#include "ub/stm32.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* clang-format off */
#define K(n) ((n) * 1024u)
#define M(n) ((n) * 1024u * 1024u)

/* DBGMCU_IDCODE */
#define DBG_M3  0xE0042000u /* Cortex-M3/M4/M7: F1 F2 F3 F4 F7 G4 L1 L4 WB WL */
#define DBG_M0  0x40015800u /* Cortex-M0/M0+: F0 G0 L0 C0 U0 */
#define DBG_H7  0x5C001000u /* H7 (debug APB, AP0) */
#define DBG_M33 0xE0044000u /* Cortex-M33: L5 U5 H5 U3 WBA (debug APB) */

#define PA9 "PA9/PA10"

/* Uniform pages; the same with a second bank at b2; sectors. */
#define PAGE(sz)            { .page = (sz) }
#define PAGE2(sz, b2, how)  { .page = (sz), .bank2 = (b2), .banks = (how) }
#define SECT(list, b2, how) { .sectors = (list), .nsectors = ARRAY_SIZE(list), \
			      .bank2 = (b2), .banks = (how) }

#define ONE UB_STM32_ONE_BANK
#define TWO UB_STM32_TWO_BANKS
#define OPT UB_STM32_BANK_OPTION

#define U_RAM  UB_STM32_UNSURE_RAM
#define U_BOOT UB_STM32_UNSURE_BOOT_RAM
#define U_PINS UB_STM32_UNSURE_PINS
#define U_LAY  UB_STM32_UNSURE_LAYOUT
#define U_ADDR UB_STM32_UNSURE_ADDR

/* F2/F4 and F72x/73x: 4 x 16 KB, 64 KB, then 128 KB (RM0033, RM0090, RM0431) */
static const uint32_t f4_sectors[] = { K(16), K(16), K(16), K(16), K(64), K(128) };
/* F74x-F77x in one bank: 4 x 32 KB, 128 KB, then 256 KB (RM0385, RM0410) */
static const uint32_t f7_sectors[] = { K(32), K(32), K(32), K(32), K(128), K(256) };

#define DEV(id, nm, fam, fmax, fsz, idc, lay, ram, bend, pins, prog, uns, src) \
	{ .dev_id = (id), .name = (nm), .family = (fam), \
	  .flash_base = 0x08000000u, .flash_max = (fmax), \
	  .flash_size_reg = (fsz), .idcode_addr = (idc), .layout = lay, \
	  .ram_base = 0x20000000u, .ram_size = (ram), .boot_ram_end = (bend), \
	  .usart1 = (pins), .can_program = (prog), .unsure = (uns), \
	  .source = (src) }

static const struct ub_stm32_dev devices[] = {
	/*  DEV_ID name                                         family      flash    fsize reg   IDCODE   layout                       RAM      boot RAM end USART1 prog unsure                   source */

	/* C0, Cortex-M0+. AN2606's RAM ranges for C0 do not fit the parts (stm32loader notes it): bootloader RAM unknown. */
	DEV(0x443, "STM32C011xx",                               "stm32c0",  K(32),   0x1FFF75A0, DBG_M0,  PAGE(K(2)),                  K(6),    0,           PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0490"),
	DEV(0x453, "STM32C031xx",                               "stm32c0",  K(32),   0x1FFF75A0, DBG_M0,  PAGE(K(2)),                  K(12),   0x20002000,  PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0490"),
	DEV(0x44C, "STM32C051xx",                               "stm32c0",  K(64),   0x1FFF75A0, DBG_M0,  PAGE(K(2)),                  K(12),   0,           PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0490; OpenOCD stm32l4x.c"),
	DEV(0x493, "STM32C071xx",                               "stm32c0",  K(128),  0x1FFF75A0, DBG_M0,  PAGE(K(2)),                  K(24),   0,           PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0490; OpenOCD stm32l4x.c"),
	DEV(0x44D, "STM32C091xx/092xx",                         "stm32c0",  K(256),  0x1FFF75A0, DBG_M0,  PAGE(K(2)),                  K(36),   0,           PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0490; OpenOCD stm32l4x.c"),

	/* F0, Cortex-M0. 0x445: AN2606 gives all 6 KB of RAM to the bootloader. */
	DEV(0x444, "STM32F03xx4/6",                             "stm32f0",  K(32),   0x1FFFF7CC, DBG_M0,  PAGE(K(1)),                  K(4),    0x20000800,  PA9,   0,   0,                       "AN2606; RM0091, RM0360"),
	DEV(0x440, "STM32F030x8/F05xxx",                        "stm32f0",  K(64),   0x1FFFF7CC, DBG_M0,  PAGE(K(1)),                  K(8),    0x20000800,  PA9,   0,   0,                       "AN2606; RM0091, RM0360"),
	DEV(0x445, "STM32F04xxx/F070x6",                        "stm32f0",  K(32),   0x1FFFF7CC, DBG_M0,  PAGE(K(1)),                  K(6),    0x20001800,  PA9,   0,   0,                       "AN2606; RM0091, RM0360"),
	DEV(0x448, "STM32F070xB/F071xx/F072xx",                 "stm32f0",  K(128),  0x1FFFF7CC, DBG_M0,  PAGE(K(2)),                  K(16),   0x20001800,  PA9,   0,   0,                       "AN2606; RM0091, RM0360"),
	DEV(0x442, "STM32F030xC/F09xxx",                        "stm32f0",  K(256),  0x1FFFF7CC, DBG_M0,  PAGE(K(2)),                  K(32),   0x20001800,  PA9,   0,   0,                       "AN2606; RM0091, RM0360"),

	/* F1, Cortex-M3: the family unbrick programs. XL: bank 2 from 512 KB, same 2 KB pages. */
	DEV(0x412, "STM32F10xxx low-density",                   "stm32f1",  K(32),   0x1FFFF7E0, DBG_M3,  PAGE(K(1)),                  K(10),   0x20000200,  PA9,   1,   0,                       "AN2606; RM0008 §3.3.3, §30.1.1, §31.6.1"),
	DEV(0x410, "STM32F10xxx medium-density",                "stm32f1",  K(128),  0x1FFFF7E0, DBG_M3,  PAGE(K(1)),                  K(20),   0x20000200,  PA9,   1,   0,                       "AN2606; RM0008 §3.3.3, §30.1.1, §31.6.1"),
	DEV(0x414, "STM32F10xxx high-density",                  "stm32f1",  K(512),  0x1FFFF7E0, DBG_M3,  PAGE(K(2)),                  K(64),   0x20000200,  PA9,   1,   0,                       "AN2606; RM0008 §3.3.3, §30.1.1, §31.6.1"),
	DEV(0x430, "STM32F10xxx XL-density",                    "stm32f1",  M(1),    0x1FFFF7E0, DBG_M3,  PAGE2(K(2), K(512), TWO),    K(96),   0x20000800,  PA9,   1,   0,                       "AN2606; RM0008 §3.3.3, §30.1.1, §31.6.1; PM0068"),
	DEV(0x418, "STM32F105xx/107xx connectivity line",       "stm32f1",  K(256),  0x1FFFF7E0, DBG_M3,  PAGE(K(2)),                  K(64),   0x20001000,  PA9,   1,   0,                       "AN2606; RM0008 §3.3.3, §30.1.1, §31.6.1"),
	DEV(0x420, "STM32F100xx low/medium-density value line", "stm32f1",  K(128),  0x1FFFF7E0, DBG_M3,  PAGE(K(1)),                  K(8),    0x20000200,  PA9,   1,   0,                       "AN2606; RM0041 (flash, signature, DBGMCU)"),
	DEV(0x428, "STM32F100xx high-density value line",       "stm32f1",  K(512),  0x1FFFF7E0, DBG_M3,  PAGE(K(2)),                  K(32),   0x20000200,  PA9,   1,   0,                       "AN2606; RM0041 (flash, signature, DBGMCU)"),

	/* F2, Cortex-M3. */
	DEV(0x411, "STM32F2xxxx",                               "stm32f2",  M(1),    0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(128),  0x20002000,  PA9,   0,   0,                       "AN2606; RM0033"),

	/* F3, Cortex-M4. 0x432: the F378 bootloader keeps 0x20001000, the F373 0x20001400: the larger is given. */
	DEV(0x432, "STM32F373xx/378xx",                         "stm32f3",  K(256),  0x1FFFF7CC, DBG_M3,  PAGE(K(2)),                  K(32),   0x20001400,  PA9,   0,   0,                       "AN2606; RM0313"),
	DEV(0x422, "STM32F302xB(C)/303xB(C)/358xx",             "stm32f3",  K(256),  0x1FFFF7CC, DBG_M3,  PAGE(K(2)),                  K(40),   0x20001400,  PA9,   0,   0,                       "AN2606; RM0316, RM0365"),
	DEV(0x439, "STM32F301xx/302x4(6/8)/318xx",              "stm32f3",  K(64),   0x1FFFF7CC, DBG_M3,  PAGE(K(2)),                  K(16),   0x20001800,  PA9,   0,   0,                       "AN2606; RM0365, RM0366"),
	DEV(0x438, "STM32F303x4(6/8)/334xx/328xx",              "stm32f3",  K(64),   0x1FFFF7CC, DBG_M3,  PAGE(K(2)),                  K(12),   0x20001800,  PA9,   0,   0,                       "AN2606; RM0364, RM0316"),
	DEV(0x446, "STM32F302xD(E)/303xD(E)/398xx",             "stm32f3",  K(512),  0x1FFFF7CC, DBG_M3,  PAGE(K(2)),                  K(64),   0x20001800,  PA9,   0,   0,                       "AN2606; RM0316, RM0365"),

	/*
	 * F4, Cortex-M4. 0x413: bootloader v3.x kept 0x20002000, v9.x 0x20003000: the larger is given.
	 * 0x419/0x434: 2 MB parts have two banks of 1 MB; 1 MB parts one bank unless DB1M is set (then 2 x 512 KB).
	 * 0x434: stm32flash's AN2606 range ends at 0x2005FFFF, but SRAM1-3 are 320 KB (RM0386, probe-rs).
	 */
	DEV(0x413, "STM32F40xxx/41xxx",                         "stm32f4",  M(1),    0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(128),  0x20003000,  PA9,   0,   0,                       "AN2606; RM0090"),
	DEV(0x419, "STM32F42xxx/43xxx",                         "stm32f4",  M(2),    0x1FFF7A22, DBG_M3,  SECT(f4_sectors, M(1), TWO), K(192),  0x20003000,  PA9,   0,   0,                       "AN2606; RM0090"),
	DEV(0x423, "STM32F401xB(C)",                            "stm32f4",  K(256),  0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(64),   0x20003000,  PA9,   0,   0,                       "AN2606; RM0368"),
	DEV(0x433, "STM32F401xD(E)",                            "stm32f4",  K(512),  0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(96),   0x20003000,  PA9,   0,   0,                       "AN2606; RM0368"),
	DEV(0x458, "STM32F410xx",                               "stm32f4",  K(128),  0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(32),   0x20003000,  PA9,   0,   0,                       "AN2606; RM0401"),
	DEV(0x431, "STM32F411xx",                               "stm32f4",  K(512),  0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(128),  0x20003000,  PA9,   0,   0,                       "AN2606; RM0383"),
	DEV(0x441, "STM32F412xx",                               "stm32f4",  M(1),    0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(256),  0x20003000,  PA9,   0,   0,                       "AN2606; RM0402"),
	DEV(0x421, "STM32F446xx",                               "stm32f4",  K(512),  0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(128),  0x20003000,  PA9,   0,   0,                       "AN2606; RM0390"),
	DEV(0x434, "STM32F469xx/479xx",                         "stm32f4",  M(2),    0x1FFF7A22, DBG_M3,  SECT(f4_sectors, M(1), TWO), K(320),  0x20003000,  PA9,   0,   U_RAM,                   "AN2606; RM0386"),
	DEV(0x463, "STM32F413xx/423xx",                         "stm32f4",  K(1536), 0x1FFF7A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(320),  0x20003000,  PA9,   0,   0,                       "AN2606; RM0430"),

	/* F7, Cortex-M7. 0x451: nDBANK=1 (factory) is one bank of 32/128/256 KB sectors; nDBANK=0 makes two banks of 16/64/128 KB. */
	DEV(0x452, "STM32F72xxx/73xxx",                         "stm32f7",  K(512),  0x1FF07A22, DBG_M3,  SECT(f4_sectors, 0, ONE),    K(256),  0x20004000,  PA9,   0,   0,                       "AN2606; RM0431"),
	DEV(0x449, "STM32F74xxx/75xxx",                         "stm32f7",  M(1),    0x1FF0F442, DBG_M3,  SECT(f7_sectors, 0, ONE),    K(320),  0x20004000,  PA9,   0,   0,                       "AN2606; RM0385"),
	DEV(0x451, "STM32F76xxx/77xxx",                         "stm32f7",  M(2),    0x1FF0F442, DBG_M3,  SECT(f7_sectors, 0, OPT),    K(512),  0x20004000,  PA9,   0,   0,                       "AN2606; RM0410"),

	/* G0, Cortex-M0+. 0x467: DUAL_BANK makes bank 2 start at 256 KB on 512 KB parts; pages stay 2 KB. */
	DEV(0x466, "STM32G03xxx/04xxx",                         "stm32g0",  K(64),   0x1FFF75E0, DBG_M0,  PAGE(K(2)),                  K(8),    0x20001000,  PA9,   0,   0,                       "AN2606; RM0444, RM0454"),
	DEV(0x456, "STM32G05xxx/06xxx",                         "stm32g0",  K(64),   0x1FFF75E0, DBG_M0,  PAGE(K(2)),                  K(18),   0x20001000,  PA9,   0,   0,                       "AN2606; RM0444, RM0454"),
	DEV(0x460, "STM32G07xxx/08xxx",                         "stm32g0",  K(128),  0x1FFF75E0, DBG_M0,  PAGE(K(2)),                  K(36),   0x20002700,  PA9,   0,   0,                       "AN2606; RM0444, RM0454"),
	DEV(0x467, "STM32G0B0xx/B1xx/C1xx",                     "stm32g0",  K(512),  0x1FFF75E0, DBG_M0,  PAGE2(K(2), K(256), OPT),    K(144),  0x20004000,  PA9,   0,   0,                       "AN2606; RM0444, RM0454"),

	/* G4, Cortex-M4. 0x469: with DBANK=1 (believed the factory setting) two banks of 2 KB pages, with DBANK=0 4 KB pages. */
	DEV(0x468, "STM32G431xx/441xx",                         "stm32g4",  K(128),  0x1FFF75E0, DBG_M3,  PAGE(K(2)),                  K(32),   0x20004000,  PA9,   0,   0,                       "AN2606; RM0440"),
	DEV(0x469, "STM32G47xxx/48xxx",                         "stm32g4",  K(512),  0x1FFF75E0, DBG_M3,  PAGE2(K(2), K(256), OPT),    K(128),  0x20004000,  PA9,   0,   U_LAY,                   "AN2606; RM0440"),
	DEV(0x479, "STM32G491xx/4A1xx",                         "stm32g4",  K(512),  0x1FFF75E0, DBG_M3,  PAGE(K(2)),                  K(112),  0x20004000,  PA9,   0,   0,                       "AN2606; RM0440"),

	/* H5, Cortex-M33: DBGMCU at 0xE0044000 through AP0 (0x44024000 from the core). Bootloader RAM: stm32loader only. */
	DEV(0x474, "STM32H503xx",                               "stm32h5",  K(128),  0x08FFF80C, DBG_M33, PAGE2(K(8), K(64), TWO),     K(32),   0x20004000,  PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0492"),
	DEV(0x478, "STM32H523xx/533xx",                         "stm32h5",  K(512),  0x08FFF80C, DBG_M33, PAGE2(K(8), K(256), TWO),    K(272),  0,           PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0481; Black Magic Debug stm32h5.c"),
	DEV(0x484, "STM32H562xx/563xx/573xx",                   "stm32h5",  M(2),    0x08FFF80C, DBG_M33, PAGE2(K(8), M(1), TWO),      K(640),  0,           PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0481"),

	/* H7, Cortex-M7: RAM is the DTCM at 0x20000000 (the AXI SRAM is at 0x24000000). 0x485: DTCM is 64 KB, up to 192 KB by option. */
	DEV(0x450, "STM32H74xxx/75xxx",                         "stm32h7",  M(2),    0x1FF1E880, DBG_H7,  PAGE2(K(128), M(1), TWO),    K(128),  0x20004100,  PA9,   0,   0,                       "AN2606; RM0433, RM0399"),
	DEV(0x480, "STM32H7A3xx/7B3xx/7B0xx",                   "stm32h7",  M(2),    0x08FFF80C, DBG_H7,  PAGE2(K(8), M(1), TWO),      K(128),  0x20004100,  PA9,   0,   0,                       "AN2606; RM0455"),
	DEV(0x483, "STM32H72xxx/73xxx",                         "stm32h7",  M(1),    0x1FF1E880, DBG_H7,  PAGE(K(128)),                K(128),  0x20004100,  PA9,   0,   0,                       "AN2606; RM0468"),
	DEV(0x485, "STM32H7Rxx/7Sxx",                           "stm32h7",  K(64),   0x08FFF80C, DBG_H7,  PAGE(K(8)),                  K(64),   0,           NULL,  0,   U_RAM | U_BOOT | U_PINS, "AN2606; RM0477; OpenOCD stm32h7x.c"),

	/* L0, Cortex-M0+, 128-byte pages. 0x447: 0x20001000 or 0x20001400 by bootloader version, 0x20002000 in stm32flash: the largest is given. */
	DEV(0x457, "STM32L01xxx/02xxx",                         "stm32l0",  K(16),   0x1FF8007C, DBG_M0,  PAGE(128),                   K(2),    0x20000800,  NULL,  0,   U_PINS,                  "AN2606; RM0377"),
	DEV(0x425, "STM32L031xx/041xx",                         "stm32l0",  K(32),   0x1FF8007C, DBG_M0,  PAGE(128),                   K(8),    0x20001000,  PA9,   0,   0,                       "AN2606; RM0377"),
	DEV(0x417, "STM32L05xxx/06xxx",                         "stm32l0",  K(64),   0x1FF8007C, DBG_M0,  PAGE(128),                   K(8),    0x20001000,  PA9,   0,   0,                       "AN2606; RM0367, RM0376, RM0377"),
	DEV(0x447, "STM32L07xxx/08xxx",                         "stm32l0",  K(192),  0x1FF8007C, DBG_M0,  PAGE2(128, K(96), TWO),      K(20),   0x20002000,  PA9,   0,   U_BOOT,                  "AN2606; RM0367, RM0376, RM0377"),

	/* L1, Cortex-M3, 256-byte pages. Cat.1/2 keep the flash size at 0x1FF8004C, Cat.3-6 at 0x1FF800CC. */
	DEV(0x416, "STM32L1xxx6(8/B)",                          "stm32l1",  K(128),  0x1FF8004C, DBG_M3,  PAGE(256),                   K(16),   0x20000800,  PA9,   0,   0,                       "AN2606; RM0038"),
	DEV(0x429, "STM32L1xxx6(8/B)A",                         "stm32l1",  K(128),  0x1FF8004C, DBG_M3,  PAGE(256),                   K(32),   0x20001000,  PA9,   0,   0,                       "AN2606; RM0038"),
	DEV(0x427, "STM32L1xxxC",                               "stm32l1",  K(256),  0x1FF800CC, DBG_M3,  PAGE(256),                   K(32),   0x20001000,  PA9,   0,   0,                       "AN2606; RM0038"),
	DEV(0x436, "STM32L1xxxD",                               "stm32l1",  K(384),  0x1FF800CC, DBG_M3,  PAGE2(256, K(192), TWO),     K(48),   0x20001000,  PA9,   0,   0,                       "AN2606; RM0038"),
	DEV(0x437, "STM32L1xxxE",                               "stm32l1",  K(512),  0x1FF800CC, DBG_M3,  PAGE2(256, K(256), TWO),     K(80),   0x20001000,  PA9,   0,   0,                       "AN2606; RM0038"),

	/*
	 * L4 and L4+, Cortex-M4. 0x464: 0x20003100 (stm32flash) or 0x20002100 (stm32loader): the larger is given.
	 * 0x415: bootloader 0x92 keeps 0x20003100, 0xA3 0x20003000. 0x415/0x461: 1 MB parts are always dual bank.
	 * 0x470/0x471 (L4+): DBANK=1 (believed the factory setting) gives two banks of 4 KB pages, DBANK=0 8 KB pages.
	 */
	DEV(0x464, "STM32L41xxx/42xxx",                         "stm32l4",  K(128),  0x1FFF75E0, DBG_M3,  PAGE(K(2)),                  K(40),   0x20003100,  PA9,   0,   U_BOOT,                  "AN2606; RM0394"),
	DEV(0x435, "STM32L43xxx/44xxx",                         "stm32l4",  K(256),  0x1FFF75E0, DBG_M3,  PAGE(K(2)),                  K(64),   0x20003100,  PA9,   0,   0,                       "AN2606; RM0394"),
	DEV(0x462, "STM32L45xxx/46xxx",                         "stm32l4",  K(512),  0x1FFF75E0, DBG_M3,  PAGE(K(2)),                  K(160),  0x20003100,  PA9,   0,   0,                       "AN2606; RM0394"),
	DEV(0x415, "STM32L47xxx/48xxx",                         "stm32l4",  M(1),    0x1FFF75E0, DBG_M3,  PAGE2(K(2), K(512), TWO),    K(96),   0x20003100,  PA9,   0,   0,                       "AN2606; RM0351"),
	DEV(0x461, "STM32L496xx/4A6xx",                         "stm32l4",  M(1),    0x1FFF75E0, DBG_M3,  PAGE2(K(2), K(512), TWO),    K(320),  0x20003100,  PA9,   0,   0,                       "AN2606; RM0351"),
	DEV(0x470, "STM32L4Rxx/4Sxx (L4+)",                     "stm32l4",  M(2),    0x1FFF75E0, DBG_M3,  PAGE2(K(4), M(1), OPT),      K(640),  0x20003200,  PA9,   0,   U_LAY,                   "AN2606; RM0432"),
	DEV(0x471, "STM32L4P5xx/Q5xx (L4+)",                    "stm32l4",  M(1),    0x1FFF75E0, DBG_M3,  PAGE2(K(4), K(512), OPT),    K(320),  0x20004000,  PA9,   0,   U_LAY,                   "AN2606; RM0432"),

	/* L5, Cortex-M33. DBANK=1 (believed the factory setting): two banks of 2 KB pages; DBANK=0: 4 KB pages. */
	DEV(0x472, "STM32L552xx/562xx",                         "stm32l5",  K(512),  0x0BFA05E0, DBG_M33, PAGE2(K(2), K(256), OPT),    K(256),  0x20004000,  PA9,   0,   U_LAY | U_PINS,          "AN2606; RM0438"),

	/* U0, Cortex-M0+. Bootloader RAM and pins not checked. */
	DEV(0x459, "STM32U031xx",                               "stm32u0",  K(64),   0x1FFF3EA0, DBG_M0,  PAGE(K(2)),                  K(12),   0,           NULL,  0,   U_BOOT | U_PINS,         "AN2606; RM0503; OpenOCD stm32l4x.c"),
	DEV(0x489, "STM32U073xx/083xx",                         "stm32u0",  K(256),  0x1FFF6EA0, DBG_M0,  PAGE(K(2)),                  K(40),   0,           NULL,  0,   U_BOOT | U_PINS,         "AN2606; RM0503; OpenOCD stm32l4x.c"),

	/* U3, Cortex-M33. 1 MB parts are dual bank; bank split from OpenOCD only. */
	DEV(0x454, "STM32U375xx/385xx",                         "stm32u3",  M(1),    0x0BFA07A0, DBG_M33, PAGE2(K(4), K(512), TWO),    K(256),  0,           NULL,  0,   U_BOOT | U_PINS | U_LAY, "AN2606; RM0487; OpenOCD stm32l4x.c"),

	/* U5, Cortex-M33, 8 KB pages; the largest parts are always dual bank. */
	DEV(0x455, "STM32U535xx/545xx",                         "stm32u5",  K(512),  0x0BFA07A0, DBG_M33, PAGE2(K(8), K(256), TWO),    K(256),  0x20004000,  PA9,   0,   U_PINS,                  "AN2606; RM0456"),
	DEV(0x482, "STM32U575xx/585xx",                         "stm32u5",  M(2),    0x0BFA07A0, DBG_M33, PAGE2(K(8), M(1), TWO),      K(768),  0x20004000,  PA9,   0,   U_PINS,                  "AN2606; RM0456"),
	DEV(0x481, "STM32U595xx/599xx/5A5xx/5A9xx",             "stm32u5",  M(4),    0x0BFA07A0, DBG_M33, PAGE2(K(8), M(2), TWO),      K(2496), 0x20004000,  PA9,   0,   U_PINS,                  "AN2606; RM0456"),
	DEV(0x476, "STM32U5F7xx/5F9xx/5G7xx/5G9xx",             "stm32u5",  M(4),    0x0BFA07A0, DBG_M33, PAGE2(K(8), M(2), TWO),      K(3008), 0,           PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0456; OpenOCD stm32l4x.c"),

	/* WB, Cortex-M4 (+M0+ radio core). RAM counts SRAM1 only: SRAM2, shared with the radio core, is not counted. */
	DEV(0x494, "STM32WB10xx/15xx",                          "stm32wb",  K(320),  0x1FFF75E0, DBG_M3,  PAGE(K(2)),                  K(12),   0,           PA9,   0,   U_BOOT | U_PINS,         "AN2606; RM0473"),
	DEV(0x495, "STM32WB30xx/35xx/50xx/55xx",                "stm32wb",  M(1),    0x1FFF75E0, DBG_M3,  PAGE(K(4)),                  K(192),  0x20004000,  PA9,   0,   U_PINS,                  "AN2606; RM0434"),

	/* WBA, Cortex-M33. */
	DEV(0x492, "STM32WBA50xx/52xx/54xx/55xx",               "stm32wba", M(1),    0x0BF907A0, DBG_M33, PAGE(K(8)),                  K(128),  0,           NULL,  0,   U_BOOT | U_PINS,         "AN2606; RM0493; OpenOCD stm32l4x.c"),
	DEV(0x4B0, "STM32WBA62xx/63xx/64xx/65xx",               "stm32wba", M(2),    0x0BFA07A0, DBG_M33, PAGE2(K(8), M(1), TWO),      K(512),  0,           NULL,  0,   U_BOOT | U_PINS,         "AN2606; RM0515; OpenOCD stm32l4x.c"),

	/* WL, Cortex-M4 (+M0+). */
	DEV(0x497, "STM32WLE5xx/WL55xx",                        "stm32wl",  K(256),  0x1FFF75E0, DBG_M3,  PAGE(K(2)),                  K(64),   0x20002000,  PA9,   0,   0,                       "AN2606; RM0453, RM0461"),
};
/* clang-format on */

/*
 * Silicon revisions by REV_ID, where the reference manual lists them
 * (RM0008 §31.6.1 "MCU device ID code", RM0041 likewise).
 */
struct rev {
	uint16_t dev_id, rev_id;
	const char *name;
};

static const struct rev revs[] = {
	{0x412, 0x1000, "A"},
	{0x410, 0x0000, "A"},
	{0x410, 0x2000, "B"},
	{0x410, 0x2001, "Z"},
	{0x410, 0x2003, "1, 2, 3, X or Y"},
	{0x414, 0x1000, "A or 1"},
	{0x414, 0x1001, "Z"},
	{0x414, 0x1003, "1, 2, 3, X or Y"},
	{0x430, 0x1000, "A or 1"},
	{0x418, 0x1000, "A"},
	{0x418, 0x1001, "Z"},
	{0x420, 0x1000, "A"},
	{0x420, 0x1001, "Z"},
	{0x428, 0x1000, "A"},
	{0x428, 0x1001, "Z"},
};

const struct ub_stm32_dev *ub_stm32_devices(size_t *count)
{
	if (count)
		*count = ARRAY_SIZE(devices);
	return devices;
}

const struct ub_stm32_dev *ub_stm32_by_id(uint16_t dev_id)
{
	dev_id &= 0xFFF;
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++)
		if (devices[i].dev_id == dev_id)
			return &devices[i];
	return NULL;
}

int ub_stm32_page_of(const struct ub_stm32_dev *d, uint32_t offset,
		     uint32_t *start, uint32_t *size)
{
	const struct ub_stm32_layout *l;
	uint32_t base = 0, pos = 0, sz;

	if (!d)
		return ub_fail(UB_EINVAL, "no STM32 device given");
	if (offset >= d->flash_max)
		return ub_fail(UB_ERANGE,
			       "offset 0x%X is past the %u KB of flash of %s",
			       (unsigned)offset,
			       (unsigned)(d->flash_max / 1024), d->name);
	l = &d->layout;
	if (l->bank2 && offset >= l->bank2) {
		base = l->bank2;
		offset -= base;
	}
	if (l->page) {
		sz = l->page;
		pos = offset - offset % sz;
	} else {
		/* the last sector size repeats to the end of the bank */
		for (unsigned i = 0;; i++) {
			sz = l->sectors[i < l->nsectors ? i : l->nsectors - 1u];
			if (offset - pos < sz)
				break;
			pos += sz;
		}
	}
	if (start)
		*start = base + pos;
	if (size)
		*size = sz;
	return 0;
}

uint32_t ub_stm32_page_size(const struct ub_stm32_dev *d, uint32_t offset)
{
	uint32_t size;

	if (!d || offset >= d->flash_max)
		return 0;
	if (ub_stm32_page_of(d, offset, NULL, &size))
		return 0;
	return size;
}

/* "stm32f4" -> "STM32F4" */
static void series(const char *family, char *buf, size_t len)
{
	size_t i;

	for (i = 0; family[i] && i + 1 < len; i++)
		buf[i] = (family[i] >= 'a' && family[i] <= 'z')
				 ? (char)(family[i] - 'a' + 'A')
				 : family[i];
	buf[i] = '\0';
}

/* The families some row can be programmed in: "STM32F1" (", "-separated). */
static void programmable(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++) {
		char s[16];
		int dup = 0;

		if (!devices[i].can_program)
			continue;
		for (size_t j = 0; j < i; j++)
			if (devices[j].can_program &&
			    !strcmp(devices[j].family, devices[i].family))
				dup = 1;
		if (dup)
			continue;
		series(devices[i].family, s, sizeof(s));
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? ", " : "", s);
		if (n >= len)
			break;
	}
}

int ub_stm32_check_supported(const struct ub_stm32_dev *d)
{
	char s[16], prog[64];

	if (!d)
		return ub_fail(UB_EUNSUPPORTED, "unknown STM32 device");
	if (d->can_program)
		return 0;
	series(d->family, s, sizeof(s));
	programmable(prog, sizeof(prog));
	return ub_fail(UB_EUNSUPPORTED,
		       "%s (%s, DEV_ID 0x%03X) is not supported yet: unbrick "
		       "programs %s only",
		       s, d->name, (unsigned)d->dev_id, prog);
}

const char *ub_stm32_rev_name(const struct ub_stm32_dev *d, uint16_t rev_id)
{
	if (!d)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(revs); i++)
		if (revs[i].dev_id == d->dev_id && revs[i].rev_id == rev_id)
			return revs[i].name;
	return NULL;
}
