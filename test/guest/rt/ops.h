/* Macros that wrap one instruction between a chosen EFLAGS image and a
 * capture of the EFLAGS it leaves. "mod" is the operand modifier for the
 * width: "b" (8-bit, with the "q" constraint), "w" (16) or "" (32). */
#ifndef OPS_H
#define OPS_H
#include "rt.h"

typedef void (*binop)(u32 a, u32 b, u32 fin, u32 *res, u32 *fl);

#define BINOP(fn, insn, cons, mod)                                                     \
  static void fn(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {                          \
    u32 f;                                                                             \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn " %" mod "[b], %" mod "[a]\n\t" \
                     "pushfl\n\tpopl %[f]"                                             \
                     : [a] "+" cons(a), [f] "=&r"(f)                                   \
                     : [b] cons(b), [fin] "r"(fin)                                     \
                     : "cc");                                                          \
    *res = a;                                                                          \
    *fl = f;                                                                           \
  }

#define UNOP(fn, insn, cons, mod)                                                     \
  static void fn(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {                         \
    u32 f;                                                                            \
    (void)b;                                                                          \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn " %" mod "[a]\n\t"              \
                     "pushfl\n\tpopl %[f]"                                            \
                     : [a] "+" cons(a), [f] "=&r"(f)                                  \
                     : [fin] "r"(fin)                                                 \
                     : "cc");                                                         \
    *res = a;                                                                         \
    *fl = f;                                                                          \
  }

/* Shifts and rotates by CL. */
#define SHIFTOP(fn, insn, cons, mod)                                                  \
  static void fn(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {                         \
    u32 f;                                                                            \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn " %%cl, %" mod "[a]\n\t"        \
                     "pushfl\n\tpopl %[f]"                                            \
                     : [a] "+" cons(a), [f] "=&r"(f)                                  \
                     : "c"(b), [fin] "r"(fin)                                         \
                     : "cc");                                                         \
    *res = a;                                                                         \
    *fl = f;                                                                          \
  }

/* Every form at all three widths: name8, name16, name32. */
#define BINOP3(name, mnem)        \
  BINOP(name##8, mnem "b", "q", "b") \
  BINOP(name##16, mnem "w", "r", "w") \
  BINOP(name##32, mnem "l", "r", "")
#define UNOP3(name, mnem)        \
  UNOP(name##8, mnem "b", "q", "b") \
  UNOP(name##16, mnem "w", "r", "w") \
  UNOP(name##32, mnem "l", "r", "")
#define SHIFTOP3(name, mnem)        \
  SHIFTOP(name##8, mnem "b", "q", "b") \
  SHIFTOP(name##16, mnem "w", "r", "w") \
  SHIFTOP(name##32, mnem "l", "r", "")

#define CASES 2048

/* Runs fn over CASES random operand pairs (masked to the width) and random
 * incoming arithmetic flags; folds the full result register and the flags
 * (under flagmask) into one CRC line. */
static inline void run_binop(const char *name, binop fn, u32 width_mask, u32 b_mask, u32 flagmask) {
  struct tally t;
  tally_begin(&t, name);
  for (int i = 0; i < CASES; i++) {
    u32 a = operand() & width_mask, b = operand() & b_mask, fin = (rnd() & ARITH) | 2, r, f;
    fn(a, b, fin, &r, &f);
    tally_case(&t, a, b, fin, r, f & flagmask);
  }
  tally_end(&t);
}

#define RUN3(prefix, name, bmask8, bmask16, bmask32, flagmask)        \
  run_binop(prefix "8", name##8, 0xff, bmask8, flagmask);            \
  run_binop(prefix "16", name##16, 0xffff, bmask16, flagmask);       \
  run_binop(prefix "32", name##32, 0xffffffff, bmask32, flagmask)
#endif
