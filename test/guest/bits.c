/* bt bts btr btc (register, immediate and memory forms, with memory bit
 * offsets reaching outside the addressed dword), bsf bsr, bswap, setcc and
 * cmovcc over random flags, movzx/movsx, cbw cwde cwd cdq.
 * Masks: bt*: only CF is defined; bsf/bsr: only ZF is defined, and the
 * destination is undefined for a zero source (left unchanged by QEMU and
 * by P6 hardware, compared). */
#include "rt/ops.h"

BINOP(bt16, "btw", "r", "w")
BINOP(bt32, "btl", "r", "")
BINOP(bts16, "btsw", "r", "w")
BINOP(bts32, "btsl", "r", "")
BINOP(btr16, "btrw", "r", "w")
BINOP(btr32, "btrl", "r", "")
BINOP(btc16, "btcw", "r", "w")
BINOP(btc32, "btcl", "r", "")
BINOP(bsf16, "bsfw", "r", "w")
BINOP(bsf32, "bsfl", "r", "")
BINOP(bsr16, "bsrw", "r", "w")
BINOP(bsr32, "bsrl", "r", "")

/* BINOP puts the source first (AT&T): "bsf %b, %a" scans b into a. */

static u32 table[64];

/* Memory forms: the bit offset is signed and may address outside table[32]. */
#define BTMEM(fn, insn)                                                          \
  static void fn(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {                    \
    u32 f;                                                                      \
    int off = (int)(b % 1024) - 512;                                            \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn " %[o], %[m]\n\t"          \
                     "pushfl\n\tpopl %[f]"                                      \
                     : [m] "+m"(table[32]), [f] "=&r"(f)                         \
                     : [o] "r"(off), [fin] "r"(fin)                             \
                     : "cc", "memory");                                         \
    u32 h = 0;                                                                  \
    for (int i = 0; i < 64; i++) h = h * 31 + table[i];                         \
    *res = h;                                                                   \
    *fl = f;                                                                    \
    (void)a;                                                                    \
  }
BTMEM(btm, "btl")
BTMEM(btsm, "btsl")
BTMEM(btrm, "btrl")
BTMEM(btcm, "btcl")

#define BTIMM(fn, insn, imm, mod)                                                  \
  static void fn(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {                   \
    u32 f;                                                                     \
    (void)b;                                                                   \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn " $" #imm ", %" mod "[a]\n\t" \
                     "pushfl\n\tpopl %[f]"                                     \
                     : [a] "+r"(a), [f] "=&r"(f)                               \
                     : [fin] "r"(fin)                                          \
                     : "cc");                                                  \
    *res = a;                                                                  \
    *fl = f;                                                                   \
  }
BTIMM(btsi, "btsl", 37, "") /* 37 & 31 = 5 */
BTIMM(btci, "btcw", 19, "w") /* 19 & 15 = 3 */

static void setcc_all(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 r = 0;
  u8 v;
  (void)a, (void)b;
#define S(cc, bit)                                                                      \
  __asm__ volatile("pushl %[fin]\n\tpopfl\n\tset" cc " %[v]" : [v] "=q"(v) : [fin] "r"(fin) : "cc"); \
  r |= (u32)v << bit;
  S("o", 0) S("no", 1) S("b", 2) S("ae", 3) S("e", 4) S("ne", 5) S("be", 6) S("a", 7)
  S("s", 8) S("ns", 9) S("p", 10) S("np", 11) S("l", 12) S("ge", 13) S("le", 14) S("g", 15)
#undef S
  *res = r;
  *fl = 0;
}

static void cmov_all(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 h = 0;
#define C(cc)                                                                              \
  {                                                                                        \
    u32 d = a;                                                                             \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\tcmov" cc "l %[s], %[d]" : [d] "+r"(d) : [s] "r"(b), [fin] "r"(fin) : "cc"); \
    h = h * 3 + d;                                                                         \
  }
  C("o") C("no") C("b") C("ae") C("e") C("ne") C("be") C("a")
  C("s") C("ns") C("p") C("np") C("l") C("ge") C("le") C("g")
#undef C
  *res = h;
  *fl = 0;
}

static void bswap32(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  (void)b, (void)fin;
  __asm__ volatile("bswap %0" : "+r"(a));
  *res = a;
  *fl = 0;
}

static void extend(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 z8, s8v, z16, s16v, cw, dx;
  (void)b, (void)fin;
  __asm__ volatile("movzbl %b1, %0" : "=r"(z8) : "q"(a));
  __asm__ volatile("movsbl %b1, %0" : "=r"(s8v) : "q"(a));
  __asm__ volatile("movzwl %w1, %0" : "=r"(z16) : "r"(a));
  __asm__ volatile("movswl %w1, %0" : "=r"(s16v) : "r"(a));
  u32 eax = a, edx = 0x12345678;
  __asm__ volatile("cbtw\n\tcwtl" : "+a"(eax));
  cw = eax;
  eax = a;
  __asm__ volatile("cltd" : "+a"(eax), "+d"(edx));
  dx = edx;
  eax = a;
  edx = 0x12345678;
  __asm__ volatile("cwtd" : "+a"(eax), "+d"(edx));
  *res = z8 ^ (s8v * 3) ^ (z16 * 5) ^ (s16v * 7) ^ (cw * 11) ^ (dx * 13);
  *fl = edx;
}

int main(void) {
  rnd_seed(0xb17u);
  run_binop("bt16", bt16, 0xffff, 0xffff, CF);
  run_binop("bt32", bt32, ~0u, ~0u, CF);
  run_binop("bts16", bts16, 0xffff, 0xffff, CF);
  run_binop("bts32", bts32, ~0u, ~0u, CF);
  run_binop("btr16", btr16, 0xffff, 0xffff, CF);
  run_binop("btr32", btr32, ~0u, ~0u, CF);
  run_binop("btc16", btc16, 0xffff, 0xffff, CF);
  run_binop("btc32", btc32, ~0u, ~0u, CF);
  for (int i = 0; i < 64; i++) table[i] = rnd();
  run_binop("btm", btm, ~0u, ~0u, CF);
  run_binop("btsm", btsm, ~0u, ~0u, CF);
  run_binop("btrm", btrm, ~0u, ~0u, CF);
  run_binop("btcm", btcm, ~0u, ~0u, CF);
  run_binop("btsi", btsi, ~0u, 0, CF);
  run_binop("btci", btci, 0xffff, 0, CF);
  run_binop("bsf16", bsf16, 0xffff, 0xffff, ZF);
  run_binop("bsf32", bsf32, ~0u, ~0u, ZF);
  run_binop("bsr16", bsr16, 0xffff, 0xffff, ZF);
  run_binop("bsr32", bsr32, ~0u, ~0u, ZF);
  run_binop("setcc", setcc_all, 0, 0, 0);
  run_binop("cmovcc", cmov_all, ~0u, ~0u, 0);
  run_binop("bswap", bswap32, ~0u, 0, 0);
  run_binop("extend", extend, ~0u, 0, ~0u);
  return 0;
}
