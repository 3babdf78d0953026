/* Divides by zero in the FPU: with the exception masked (the default) the
 * result is infinity; unmasked (fldcw), the division leaves it pending and
 * the next FPU instruction that waits faults (#MF), for which the kernel
 * kills the process with SIGFPE. The fwait is that instruction: the fstp
 * after it would be on a real x87, but QEMU reports a pending exception
 * only at fwait, and test/kernel/fpu.test.ts compares the two. */
#include "stdio.h"

int main(void) {
  volatile double zero = 0.0, r = 1.0 / zero;
  printf("masked: 1/0 = %f\n", r);
  /* fnclex first: unmasking an exception whose flag the masked division
   * left set would report it at once (at the fld1 below) */
  unsigned short cw = 0x037b; /* the default, 0x037f, less ZM */
  __asm__ volatile("fnclex; fldcw %0" : : "m"(cw));
  __asm__ volatile("fld1; fdivl %1; fwait; fstpl %0" : "=m"(r) : "m"(zero));
  printf("unmasked: 1/0 = %f (not reached)\n", r);
  return 0;
}
