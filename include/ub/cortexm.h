/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UB_CORTEXM_H
#define UB_CORTEXM_H

#include <stdbool.h>
#include <stdint.h>

#include "ub/adi.h"
#include "ub/gpio.h"

/*
 * Cortex-M debug through the AHB-AP (ARMv7-M ARM, C1): halt, resume and step
 * the core, its registers, resets, and running code in RAM until BKPT.
 */
#define UB_DHCSR 0xE000EDF0u
#define UB_DCRSR 0xE000EDF4u
#define UB_DCRDR 0xE000EDF8u
#define UB_DEMCR 0xE000EDFCu
#define UB_AIRCR 0xE000ED0Cu
#define UB_CPUID 0xE000ED00u
#define UB_DFSR	 0xE000ED30u

/* DCRSR register numbers */
enum ub_cm_reg {
	UB_REG_R0 = 0,
	UB_REG_SP = 13,
	UB_REG_LR = 14,
	UB_REG_PC = 15,
	UB_REG_XPSR = 16,
	UB_REG_MSP = 17,
};

enum ub_reset {
	UB_RESET_RUN,  /* let the firmware run */
	UB_RESET_HALT, /* stop at the first instruction */
};

struct ub_cm {
	struct ub_dap *dap;
	struct ub_gpio *gpio; /* for NRST, may lack it */
	uint32_t cpuid;
};

/*
 * Connect to the core. Under reset: hold NRST low while the debug port is
 * powered and the core set to halt at reset (for firmware that turns SWD
 * off); otherwise connect and halt it where it is.
 */
int ub_cm_connect(struct ub_cm *cm, struct ub_dap *dap, struct ub_swd *swd,
		  struct ub_gpio *gpio, bool under_reset);

int ub_cm_halt(struct ub_cm *cm);
int ub_cm_resume(struct ub_cm *cm);
int ub_cm_step(struct ub_cm *cm);
int ub_cm_is_halted(struct ub_cm *cm, bool *halted);

/* Core registers: the core must be halted. */
int ub_cm_reg_read(struct ub_cm *cm, unsigned reg, uint32_t *val);
int ub_cm_reg_write(struct ub_cm *cm, unsigned reg, uint32_t val);

/* Reset by NRST when wired, else by SYSRESETREQ. */
int ub_cm_reset(struct ub_cm *cm, enum ub_reset how);

/*
 * Run code already in RAM: set r0-r3 (args), SP and PC, resume, and wait
 * until the core halts on BKPT or timeout_ms passes. r0 comes back in *ret.
 */
int ub_cm_run(struct ub_cm *cm, uint32_t pc, uint32_t sp,
	      const uint32_t args[4], unsigned timeout_ms, uint32_t *ret);

#endif
