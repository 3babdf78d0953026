/* The x87 FPU, switched lazily. A context switch saves nothing: it sets
 * CR0.TS (unless the FPU still holds the next process's registers), and
 * the first FPU instruction the next process runs traps (#NM) to
 * fpu_trap(), which saves the registers of the process that had the FPU
 * into its struct proc and loads this one's. Most programs never touch the
 * FPU and cost nothing; one that computes alone keeps its registers in the
 * FPU across every switch.
 *
 * The kernel itself never uses the FPU (it is compiled with -mno-80387):
 * the instructions here are the only ones, and they only move user state.
 * An FPU trap in ring 0 is a kernel bug (trap.c panics). */
#include "kernel.h"
#include "mmu.h"
#include "proc.h"

/* Whose registers the FPU holds, or NULL: nobody's worth keeping. */
static struct proc *owner;

static u32 read_cr0(void) {
  u32 v;
  __asm__ volatile("mov %%cr0, %0" : "=r"(v));
  return v;
}

static void write_cr0(u32 v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v)); }

static void set_ts(void) { write_cr0(read_cr0() | CR0_TS); }

void fpu_init(void) {
  /* NE: an unmasked exception is #MF, a fault at the next FPU instruction,
   * instead of IRQ 13 through the PIC (a PC's FERR# wiring); MP: fwait
   * traps like the others while TS is set; EM clear: the FPU is real. */
  write_cr0((read_cr0() | CR0_NE | CR0_MP) & ~(CR0_EM | CR0_TS));
  __asm__ volatile("fninit");
  set_ts();
}

/* From the scheduler, before p runs: p may use the FPU without a trap only
 * if the registers are still its own. */
void fpu_switch_to(struct proc *p) {
  if (p == owner) __asm__ volatile("clts");
  else set_ts();
}

/* #NM from user mode: curproc's first FPU instruction since it was
 * switched to. */
void fpu_trap(void) {
  __asm__ volatile("clts");
  if (owner == curproc) return;
  if (owner) __asm__ volatile("fxsave %0" : "=m"(owner->fpu.image));
  if (curproc->fpu.used) {
    __asm__ volatile("fxrstor %0" : : "m"(curproc->fpu.image));
  } else {
    /* a fresh process's FPU is the one Linux gives: control word 0x37f,
     * every exception masked, 64-bit precision, round to nearest */
    __asm__ volatile("fninit");
    curproc->fpu.used = 1;
  }
  owner = curproc;
}

/* The child starts with the parent's FPU state, which is in the FPU
 * itself while the parent owns it. fxsave leaves the FPU as it was, so the
 * parent goes on owning it. */
void fpu_fork(struct proc *child, struct proc *parent) {
  if (owner == parent) __asm__ volatile("fxsave %0" : "=m"(parent->fpu.image));
  memcpy(child->fpu.image, parent->fpu.image, sizeof child->fpu.image);
  child->fpu.used = parent->fpu.used;
}

/* exec and exit: p's FPU state is gone. If the FPU held it, it now holds
 * nobody's, and TS makes p's next FPU instruction (after exec) trap and
 * start from fninit. */
void fpu_reset(struct proc *p) {
  p->fpu.used = 0;
  if (owner != p) return;
  owner = NULL;
  set_ts();
}

/* #MF from user mode: which exception it was, for the report. The FPU is
 * curproc's (the fault came from its own instruction). The exception is
 * cleared, as an #MF handler must, or the next waiting FPU instruction
 * would report the same one again. */
const char *fpu_error(void) {
  u16 sw, cw;
  __asm__ volatile("fnstsw %0; fnstcw %1; fnclex" : "=m"(sw), "=m"(cw));
  u32 unmasked = sw & ~cw & 0x3f;
  if (unmasked & 1) return sw & 0x40 ? "stack fault" : "invalid operation";
  if (unmasked & 4) return "divide by zero";
  if (unmasked & 8) return "overflow";
  if (unmasked & 16) return "underflow";
  if (unmasked & 2) return "denormal operand";
  if (unmasked & 32) return "inexact result";
  return "no exception pending";
}

/* For a signal frame: p's FPU state as fxsave's image, 0 when it has none
 * (it has not used the FPU since exec). Saving leaves the FPU as it was. */
int fpu_save_image(struct proc *p, u8 *image) {
  if (!p->fpu.used) return 0;
  if (owner == p) __asm__ volatile("fxsave %0" : "=m"(p->fpu.image));
  memcpy(image, p->fpu.image, sizeof p->fpu.image);
  return 1;
}

/* From sigreturn: p's FPU state becomes image (which the program may have
 * changed: MXCSR, which fxrstor faults on when a reserved bit is set, is
 * put back to its default; this CPU has no SSE). It is loaded at p's next
 * FPU instruction. */
void fpu_load_image(struct proc *p, const u8 *image) {
  memcpy(p->fpu.image, image, sizeof p->fpu.image);
  u32 mxcsr = 0x1f80, mask = 0xffbf;
  memcpy(p->fpu.image + 24, &mxcsr, 4);
  memcpy(p->fpu.image + 28, &mask, 4);
  p->fpu.used = 1;
  if (owner == p) {
    owner = NULL;
    set_ts();
  }
}
