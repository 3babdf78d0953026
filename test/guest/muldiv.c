/* mul, imul (one, two and three operands), div, idiv. Dividends are built
 * from a quotient, divisor and remainder so that no case raises #DE.
 * Masks: after mul/imul only CF and OF are defined (SF ZF AF PF are not);
 * after div/idiv no flag is defined, so none is compared. */
#include "rt/ops.h"

#define MUL1(fn, insn, mod, cons)                                              \
  static void fn(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {                  \
    u32 f, d = 0;                                                             \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn " %" mod "[b]\n\t"      \
                     "pushfl\n\tpopl %[f]"                                    \
                     : "+a"(a), "+d"(d), [f] "=&r"(f)                         \
                     : [b] cons(b), [fin] "r"(fin)                            \
                     : "cc");                                                 \
    *res = a ^ (d * 0x9e3779b9u);                                             \
    *fl = f;                                                                  \
  }
MUL1(mul8, "mulb", "b", "q")
MUL1(mul16, "mulw", "w", "r")
MUL1(mul32, "mull", "", "r")
MUL1(imul8, "imulb", "b", "q")
MUL1(imul16, "imulw", "w", "r")
MUL1(imul32, "imull", "", "r")
BINOP(imul2_16, "imulw", "r", "w")
BINOP(imul2_32, "imull", "r", "")

static void imul3_32(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 f, r;
  __asm__ volatile("pushl %[fin]\n\tpopfl\n\timull $-12345, %[a], %[r]\n\tpushfl\n\tpopl %[f]"
                   : [r] "=r"(r), [f] "=&r"(f) : [a] "r"(a), [fin] "r"(fin) : "cc");
  (void)b;
  *res = r;
  *fl = f;
}

static void imul3_16(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 f, r = 0xdead0000u;
  __asm__ volatile("pushl %[fin]\n\tpopfl\n\timulw $77, %w[a], %w[r]\n\tpushfl\n\tpopl %[f]"
                   : [r] "+r"(r), [f] "=&r"(f) : [a] "r"(a), [fin] "r"(fin) : "cc");
  (void)b;
  *res = r;
  *fl = f;
}

/* Division: EDX:EAX (or DX:AX, AX) / divisor. */
#define DIV(fn, insn, mod, cons)                                               \
  static void fn(u32 lo, u32 hi, u32 dv, u32 *q, u32 *r) {                    \
    __asm__ volatile(insn " %" mod "[d]" : "+a"(lo), "+d"(hi) : [d] cons(dv) : "cc"); \
    *q = lo;                                                                  \
    *r = hi;                                                                  \
  }
DIV(div8, "divb", "b", "q")
DIV(div16, "divw", "w", "r")
DIV(div32, "divl", "", "r")
DIV(idiv8, "idivb", "b", "q")
DIV(idiv16, "idivw", "w", "r")
DIV(idiv32, "idivl", "", "r")

typedef void (*divop)(u32 lo, u32 hi, u32 dv, u32 *q, u32 *r);

/* bits: width; sign: signed division. Builds n = q*d + r with |r| < |d|
 * and q within the width's range. */
static void run_div(const char *name, divop fn, int bits, int sign) {
  struct tally t;
  tally_begin(&t, name);
  u32 wmask = bits == 32 ? ~0u : (1u << bits) - 1;
  for (int i = 0; i < CASES; i++) {
    u32 d = operand() & wmask;
    if (d == 0) d = 1;
    s64 sd = sign ? (bits == 8 ? (s8)d : bits == 16 ? (s16)d : (s32)d) : (s64)d;
    u32 qraw = operand() & wmask;
    s64 q = sign ? (bits == 8 ? (s8)qraw : bits == 16 ? (s16)qraw : (s32)qraw) : (s64)qraw;
    u32 rraw = rnd();
    s64 ad = sd < 0 ? -sd : sd;
    s64 rem = (s64)(rraw % (u32)ad);
    if (sign && (rnd() & 1)) rem = -rem;
    /* The remainder takes the dividend's sign: keep q*d and r the same sign. */
    s64 prod = q * sd;
    if (sign && ((prod < 0 && rem > 0) || (prod > 0 && rem < 0))) rem = -rem;
    if (sign && prod == 0 && rem < 0 && q == 0) { /* fine: dividend negative, quotient 0 */ }
    u64 n = (u64)(prod + rem);
    u32 lo, hi;
    if (bits == 8) { lo = (u32)n & 0xffff; hi = 0; }
    else if (bits == 16) { lo = (u32)n & 0xffff; hi = ((u32)n >> 16) & 0xffff; }
    else { lo = (u32)n; hi = (u32)(n >> 32); }
    u32 qo, ro;
    fn(lo, hi, d, &qo, &ro);
    tally_case(&t, lo, hi, d, qo, ro);
  }
  tally_end(&t);
}

int main(void) {
  rnd_seed(0xd1u);
  RUN3("mul", mul, 0xff, 0xffff, ~0u, CF | OF);
  RUN3("imul", imul, 0xff, 0xffff, ~0u, CF | OF);
  run_binop("imul2_16", imul2_16, 0xffff, 0xffff, CF | OF);
  run_binop("imul2_32", imul2_32, ~0u, ~0u, CF | OF);
  run_binop("imul3_16", imul3_16, 0xffff, 0, CF | OF);
  run_binop("imul3_32", imul3_32, ~0u, 0, CF | OF);
  run_div("div8", div8, 8, 0);
  run_div("div16", div16, 16, 0);
  run_div("div32", div32, 32, 0);
  run_div("idiv8", idiv8, 8, 1);
  run_div("idiv16", idiv16, 16, 1);
  run_div("idiv32", idiv32, 32, 1);
  return 0;
}
