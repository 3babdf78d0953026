/* rol ror rcl rcr shl shr sar by CL (counts 0..63, so masking and counts
 * past the width are exercised), and shld/shrd. Where the SDM leaves a flag
 * undefined the comparison masks it, noted per line: QEMU computes those
 * flags by its own formulas, which need not be what a P6 does. */
#include "rt/ops.h"

SHIFTOP3(rol, "rol")
SHIFTOP3(ror, "ror")
SHIFTOP3(rcl, "rcl")
SHIFTOP3(rcr, "rcr")
SHIFTOP3(shl, "shl")
SHIFTOP3(shr, "shr")
SHIFTOP3(sar, "sar")

#define SHD(fn, insn, mod)                                                                 \
  static void fn(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {                              \
    u32 f, src = b >> 8;                                                                   \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn " %%cl, %" mod "[s], %" mod "[a]\n\t" \
                     "pushfl\n\tpopl %[f]"                                                 \
                     : [a] "+r"(a), [f] "=&r"(f)                                           \
                     : [s] "r"(src), "c"(b), [fin] "r"(fin)                                \
                     : "cc");                                                              \
    *res = a;                                                                              \
    *fl = f;                                                                               \
  }
SHD(shld16, "shldw", "w")
SHD(shld32, "shldl", "")
SHD(shrd16, "shrdw", "w")
SHD(shrd32, "shrdl", "")

/* The count is in CL (b & 0x3f); the rest of b is the shld/shrd source. */
static void run_shift(const char *name, binop fn, u32 wmask, u32 flagmask, int one_only_of, u32 maxcount) {
  struct tally t;
  tally_begin(&t, name);
  for (int i = 0; i < CASES; i++) {
    u32 a = operand() & wmask, count = rnd() % (maxcount + 1), fin = (rnd() & ARITH) | 2, r, f;
    if ((i & 7) == 0) count = (u32)i % (maxcount < 31 ? maxcount + 1 : 32); /* every small count, often */
    u32 b = (operand() << 8) | count;
    fn(a, b, fin, &r, &f);
    u32 m = flagmask;
    if (one_only_of && (count & 31) > 1) m &= ~OF; /* OF is defined only for count 1 */
    tally_case(&t, a, b, fin, r, f & m);
  }
  tally_end(&t);
}

#define SHIFT3(p, name, mask, ofrule)                  \
  run_shift(p "8", name##8, 0xff, mask, ofrule, 63);      \
  run_shift(p "16", name##16, 0xffff, mask, ofrule, 63);  \
  run_shift(p "32", name##32, 0xffffffff, mask, ofrule, 63)

int main(void) {
  rnd_seed(0x5a1u);
  SHIFT3("rol", rol, CF | OF, 1);
  SHIFT3("ror", ror, CF | OF, 1);
  SHIFT3("rcl", rcl, CF | OF, 1);
  SHIFT3("rcr", rcr, CF | OF, 1);
  /* Shifts: AF is undefined for any non-zero count. */
  SHIFT3("shl", shl, ARITH & ~AF, 1);
  SHIFT3("shr", shr, ARITH & ~AF, 1);
  SHIFT3("sar", sar, ARITH & ~AF, 1);
  /* shld/shrd: AF undefined; 16-bit counts above 16 leave result and flags
   * undefined, so 16-bit runs use counts 0..16 only (see run_shd). */
  run_shift("shld16", shld16, 0xffff, ARITH & ~AF, 1, 16);
  run_shift("shrd16", shrd16, 0xffff, ARITH & ~AF, 1, 16);
  run_shift("shld32", shld32, 0xffffffff, ARITH & ~AF, 1, 63);
  run_shift("shrd32", shrd32, 0xffffffff, ARITH & ~AF, 1, 63);
  return 0;
}
