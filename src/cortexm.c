// SPDX-License-Identifier: GPL-2.0-or-later
/* Cortex-M halting debug over the AHB-AP (ARMv7-M ARM, C1.6). */
#include <time.h>

#include "ub/cortexm.h"
#include "ub/err.h"
#include "ub/log.h"

#define DBGKEY	      0xA05F0000u
#define C_DEBUGEN     (1u << 0)
#define C_HALT	      (1u << 1)
#define C_STEP	      (1u << 2)
#define C_MASKINTS    (1u << 3)
#define S_REGRDY      (1u << 16)
#define S_HALT	      (1u << 17)
#define S_RESET_ST    (1u << 25)
#define VC_CORERESET  (1u << 0)
#define VC_HARDERR    (1u << 10)
#define DFSR_VCATCH   (1u << 3)
#define DCRSR_WRITE   (1u << 16)
#define VECTKEY	      0x05FA0000u
#define SYSRESETREQ   (1u << 2)
#define DFSR_BKPT     (1u << 1)
#define POLLS	      200
#define NRST_HOLD_MS  20
#define NRST_AFTER_MS 50

#define NRST UB_BIT(UB_LINE_NRST)

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int dhcsr(struct ub_cm *cm, uint32_t bits)
{
	return ub_dap_write32(cm->dap, UB_DHCSR, DBGKEY | C_DEBUGEN | bits);
}

/* Poll DHCSR until all of bits are set. */
static int wait_dhcsr(struct ub_cm *cm, uint32_t bits, const char *what)
{
	uint32_t v = 0;
	int err;

	for (int i = 0; i < POLLS; i++) {
		err = ub_dap_read32(cm->dap, UB_DHCSR, &v);
		if (err)
			return err;
		if ((v & bits) == bits)
			return 0;
	}
	return ub_fail(UB_ETIMEOUT, "the core did not %s (DHCSR 0x%08X)", what,
		       v);
}

int ub_cm_halt(struct ub_cm *cm)
{
	int err = dhcsr(cm, C_HALT);

	return err ? err : wait_dhcsr(cm, S_HALT, "halt");
}

int ub_cm_resume(struct ub_cm *cm)
{
	uint32_t dfsr = 0x1F;

	/* forget why it halted, so the next halt is seen for what it is */
	int err = ub_dap_write32(cm->dap, UB_DFSR, dfsr);

	return err ? err : dhcsr(cm, 0);
}

int ub_cm_step(struct ub_cm *cm)
{
	int err = dhcsr(cm, C_STEP | C_MASKINTS);

	return err ? err : wait_dhcsr(cm, S_HALT, "stop after one step");
}

int ub_cm_is_halted(struct ub_cm *cm, bool *halted)
{
	uint32_t v;
	int err = ub_dap_read32(cm->dap, UB_DHCSR, &v);

	*halted = !err && (v & S_HALT);
	return err;
}

int ub_cm_reg_read(struct ub_cm *cm, unsigned reg, uint32_t *val)
{
	int err = ub_dap_write32(cm->dap, UB_DCRSR, reg);

	if (!err)
		err = wait_dhcsr(cm, S_REGRDY, "hand over a register");
	if (!err)
		err = ub_dap_read32(cm->dap, UB_DCRDR, val);
	return err;
}

int ub_cm_reg_write(struct ub_cm *cm, unsigned reg, uint32_t val)
{
	int err = ub_dap_write32(cm->dap, UB_DCRDR, val);

	if (!err)
		err = ub_dap_write32(cm->dap, UB_DCRSR, reg | DCRSR_WRITE);
	if (!err)
		err = wait_dhcsr(cm, S_REGRDY, "take a register");
	return err;
}

static int nrst(struct ub_cm *cm, int level)
{
	return ub_gpio_set(cm->gpio, NRST, level ? NRST : 0);
}

static bool have_nrst(const struct ub_cm *cm)
{
	return cm->gpio && (cm->gpio->have & NRST);
}

/* Reset from inside: the write resets the chip, its ACK may never come,
 * so the debug port is connected again afterwards. */
static int sysresetreq(struct ub_cm *cm)
{
	ub_dap_write32(cm->dap, UB_AIRCR, VECTKEY | SYSRESETREQ);
	sleep_ms(NRST_AFTER_MS);
	ub_swd_clear(cm->dap->swd);
	return ub_dap_connect(cm->dap, cm->dap->swd);
}

int ub_cm_reset(struct ub_cm *cm, enum ub_reset how)
{
	uint32_t v;
	int err;

	err = ub_dap_write32(cm->dap, UB_DEMCR,
			     how == UB_RESET_HALT ? VC_CORERESET : 0);
	/* to run, let go of the core entirely: C_DEBUGEN off */
	if (!err)
		err = how == UB_RESET_HALT
			      ? dhcsr(cm, C_HALT)
			      : ub_dap_write32(cm->dap, UB_DHCSR, DBGKEY);
	if (!err)
		err = ub_dap_read32(cm->dap, UB_DHCSR,
				    &v); /* clear S_RESET_ST */
	if (err)
		return err;
	if (have_nrst(cm)) {
		err = nrst(cm, 0);
		if (!err) {
			sleep_ms(NRST_HOLD_MS);
			err = nrst(cm, 1);
		}
		sleep_ms(NRST_AFTER_MS);
		if (!err)
			err = ub_dap_read32(cm->dap, UB_DHCSR, &v);
		if (!err && !(v & S_RESET_ST)) {
			ub_warn("NRST had no effect: is the wire on the "
				"board's "
				"reset pin? Resetting by SYSRESETREQ instead");
			err = sysresetreq(cm);
		}
	} else {
		err = sysresetreq(cm);
	}
	if (!err && how == UB_RESET_HALT)
		err = wait_dhcsr(cm, S_HALT, "halt after reset");
	if (!err && how == UB_RESET_HALT)
		err = ub_dap_write32(cm->dap, UB_DEMCR, 0);
	return err;
}

int ub_cm_connect(struct ub_cm *cm, struct ub_dap *dap, struct ub_swd *swd,
		  struct ub_gpio *gpio, bool under_reset)
{
	uint32_t dh = 0;
	int err;

	cm->dap = dap;
	cm->gpio = gpio;
	if (under_reset && !have_nrst(cm))
		return ub_fail(UB_ECONFIG, "connecting under reset needs the "
					   "NRST wire: give --pin nrst=GPIOn");
	if (under_reset) {
		err = nrst(cm, 0);
		if (err)
			return err;
		sleep_ms(NRST_HOLD_MS);
	}
	err = ub_dap_connect(dap, swd);
	if (!err)
		err = ub_dap_read32(dap, UB_CPUID, &cm->cpuid);
	if (!err && under_reset) {
		err = ub_dap_write32(dap, UB_DEMCR, VC_CORERESET);
		if (!err)
			err = dhcsr(cm, C_HALT);
		/* read S_RESET_ST away, so that it then tells of NRST */
		if (!err)
			err = ub_dap_read32(dap, UB_DHCSR, &dh);
		if (!err)
			err = nrst(cm, 1);
		sleep_ms(NRST_AFTER_MS);
		if (!err)
			err = ub_dap_read32(dap, UB_DHCSR, &dh);
		if (!err && !(dh & S_RESET_ST)) {
			/* the chip never saw NRST: halt it where it runs */
			ub_warn("NRST had no effect: is the wire on the "
				"board's reset pin? Halting without a reset");
			err = dhcsr(cm, C_HALT);
		}
		if (!err)
			err = wait_dhcsr(cm, S_HALT, "halt at reset");
		if (!err)
			err = ub_dap_write32(dap, UB_DEMCR, 0);
	} else if (!err) {
		err = ub_cm_halt(cm);
	}
	if (under_reset && err)
		nrst(cm, 1);
	if (!err)
		ub_info("core CPUID 0x%08X, halted", cm->cpuid);
	return err;
}

int ub_cm_run(struct ub_cm *cm, uint32_t pc, uint32_t sp,
	      const uint32_t args[4], unsigned timeout_ms, uint32_t *ret)
{
	double deadline = now_ms() + timeout_ms;
	uint32_t v = 0, dfsr = 0;
	int err = 0;

	for (unsigned i = 0; !err && i < 4; i++)
		err = ub_cm_reg_write(cm, UB_REG_R0 + i, args[i]);
	if (!err)
		err = ub_cm_reg_write(cm, UB_REG_SP, sp);
	if (!err)
		err = ub_cm_reg_write(cm, UB_REG_PC, pc | 1);
	if (!err)
		err = ub_cm_reg_write(cm, UB_REG_XPSR, 0x01000000);
	/* a fault halts the core at once instead of locking it up */
	if (!err)
		err = ub_dap_write32(cm->dap, UB_DEMCR, VC_HARDERR);
	if (!err)
		err = ub_cm_resume(cm);
	while (!err) {
		err = ub_dap_read32(cm->dap, UB_DHCSR, &v);
		if (err || (v & S_HALT))
			break;
		if (now_ms() > deadline) {
			ub_cm_halt(cm);
			return ub_fail(
				UB_ETIMEOUT,
				"code in RAM did not finish within %u ms",
				timeout_ms);
		}
	}
	if (!err)
		err = ub_dap_read32(cm->dap, UB_DFSR, &dfsr);
	if (!err)
		err = ub_dap_write32(cm->dap, UB_DEMCR, 0);
	if (!err && !(dfsr & DFSR_BKPT)) {
		uint32_t at = 0;

		ub_cm_reg_read(cm, UB_REG_PC, &at);
		return ub_fail(UB_EPROTO,
			       "code in RAM %s at 0x%08X before its breakpoint "
			       "(DFSR 0x%X)",
			       dfsr & DFSR_VCATCH ? "faulted" : "stopped", at,
			       dfsr);
	}
	return err ? err : ub_cm_reg_read(cm, UB_REG_R0, ret);
}
