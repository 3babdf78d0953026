/* daa das aaa aas aam aad over every AL (and AH) with every CF/AF input.
 * Masks (SDM): daa/das: OF undefined; aaa/aas: OF SF ZF PF undefined;
 * aam/aad: CF OF AF undefined. */
#include "rt/ops.h"

#define BCD(fn, insn)                                                         \
  static void fn(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {                 \
    u32 f;                                                                    \
    (void)b;                                                                  \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %[f]" \
                     : "+a"(a), [f] "=&r"(f) : [fin] "r"(fin) : "cc");        \
    *res = a;                                                                 \
    *fl = f;                                                                  \
  }
BCD(daa, "daa")
BCD(das, "das")
BCD(aaa, "aaa")
BCD(aas, "aas")
BCD(aam10, "aam")
BCD(aad10, "aad")
BCD(aam16, "aam $16")
BCD(aad7, "aad $7")

static void run_bcd(const char *name, binop fn, u32 flagmask) {
  struct tally t;
  tally_begin(&t, name);
  for (u32 ax = 0; ax < 0x10000; ax += 0x1 + (ax >= 0x100 ? 0xff : 0)) {
    for (u32 fl = 0; fl < 4; fl++) {
      u32 fin = (fl & 1 ? CF : 0) | (fl & 2 ? AF : 0) | (rnd() & (ZF | SF | PF | OF)) | 2;
      u32 a = (rnd() & 0xffff0000u) | ax, r, f;
      fn(a, 0, fin, &r, &f);
      tally_case(&t, a, 0, fin, r, f & flagmask);
    }
  }
  tally_end(&t);
}

int main(void) {
  rnd_seed(0xbcdu);
  run_bcd("daa", daa, ARITH & ~OF);
  run_bcd("das", das, ARITH & ~OF);
  run_bcd("aaa", aaa, CF | AF);
  run_bcd("aas", aas, CF | AF);
  run_bcd("aam10", aam10, SF | ZF | PF);
  run_bcd("aad10", aad10, SF | ZF | PF);
  run_bcd("aam16", aam16, SF | ZF | PF);
  run_bcd("aad7", aad7, SF | ZF | PF);
  return 0;
}
