/* Long rep movs / rep stos, compared with QEMU: wasm386 moves them a page at
 * a time, so these are the cases where that could differ from element by
 * element: copies that overlap their own output (forward and backward, by
 * less than an element too), lengths across many pages and past the
 * 4096-iteration chunk, unaligned starts, DF set, and a fault in the middle
 * (ECX, ESI, EDI and the bytes already stored as the fault left them). */
#include "rt/rt.h"

#define P 0x001
#define RW 0x002

static u8 area[6 * 4096] __attribute__((aligned(4096)));
static volatile u32 pd[1024] __attribute__((aligned(4096)));
static volatile u32 pt_low[1024] __attribute__((aligned(4096)));
static volatile u32 pt_hi[1024] __attribute__((aligned(4096)));

static u32 hash(const u8 *p, u32 n) {
  const u32 *w = (const u32 *)p;
  u32 h = 0;
  for (u32 i = 0; i < n / 4; i++) h = (h ^ w[i]) * 0x01000193u;
  return h;
}

static void fill_pattern(void) {
  u32 *w = (u32 *)area;
  for (u32 i = 0; i < sizeof area / 4; i++) w[i] = i * 0x9e3779b9u;
}

struct rep { u32 ecx, esi, edi; };

#define REP(fn, insn)                                                                   \
  static struct rep fn(u32 dst, u32 src, u32 count, u32 value, int df) {               \
    u32 c = count, s = src, d = dst, a = value;                                         \
    if (df) __asm__ volatile("std");                                                    \
    __asm__ volatile(insn "\n\tcld" : "+c"(c), "+S"(s), "+D"(d), "+a"(a) : : "memory"); \
    struct rep r = { c, s, d };                                                         \
    return r;                                                                           \
  }
REP(movsb_, "rep movsb")
REP(movsw_, "rep movsw")
REP(movsl_, "rep movsl")
REP(stosb_, "rep stosb")
REP(stosw_, "rep stosw")
REP(stosl_, "rep stosl")

typedef struct rep (*repfn)(u32, u32, u32, u32, int);

static void one(const char *name, repfn f, u32 dst_off, u32 src_off, u32 count, int df) {
  fill_pattern();
  u32 base = (u32)area;
  struct rep r = f(base + dst_off, base + src_off, count, 0xa5c3e1f7, df);
  printf("%s dst=+%x src=+%x n=%x df=%x: ecx=%x esi=+%x edi=+%x area=%x\n", name, dst_off, src_off, count, df,
         r.ecx, r.esi - base, r.edi - base, hash(area, sizeof area));
}

/* Linear 0x40000000.. maps area's first three pages, then a hole. */
#define HI 0x40000000u
static void with_fault(const char *name, repfn f, u32 dst_off, u32 src_off, u32 count) {
  fill_pattern();
  caught_vec = 0xff;
  u32 c = count, s = HI + src_off, d = HI + dst_off;
  __asm__ volatile("movl $1f, recover_eip\n\t"
                   "cmpl $0, %[kind]\n\t"
                   "je 2f\n\t"
                   "rep movsl\n\t"
                   "jmp 1f\n"
                   "2:\n\t"
                   "rep stosl\n"
                   "1:\n"
                   : "+c"(c), "+S"(s), "+D"(d)
                   : [kind] "r"(f == movsl_ ? 1 : 0), "a"(0x11223344)
                   : "memory", "cc");
  printf("%s faulting: vec=%x err=%x cr2=%x ecx=%x esi=%x edi=%x area=%x\n", name, caught_vec, caught_err, caught_cr2,
         c, s, d, hash(area, sizeof area));
}

int main(void) {
  idt_install();
  /* overlapping forward copies: each element reads bytes just written */
  one("movsb", movsb_, 1, 0, 9000, 0);
  one("movsb", movsb_, 4096, 4000, 8000, 0);
  one("movsw", movsw_, 3, 0, 3000, 0);
  one("movsl", movsl_, 2, 0, 2500, 0);
  one("movsl", movsl_, 4, 0, 2500, 0);
  /* backward overlap (forward copy reads ahead of what it writes) */
  one("movsb", movsb_, 0, 1, 9000, 0);
  one("movsl", movsl_, 0, 6, 3000, 0);
  /* disjoint, unaligned, across pages and past one 4096-iteration chunk */
  one("movsb", movsb_, 0x3001, 0x11, 10000, 0);
  one("movsw", movsw_, 0x2ffb, 0x7, 4200, 0);
  one("movsl", movsl_, 0x2003, 0x5, 1800, 0);
  /* DF set */
  one("movsb", movsb_, 0x5f00, 0x2f00, 9000, 1);
  one("movsl", movsl_, 0x5ff0, 0x2ff0, 2000, 1);
  /* stores */
  one("stosb", stosb_, 0x7, 0, 20000, 0);
  one("stosw", stosw_, 0xfff, 0, 5000, 0);
  one("stosl", stosl_, 0x1ffe, 0, 4000, 0);
  one("stosl", stosl_, 0x5ffc, 0, 3000, 1);
  one("stosb", stosb_, 0x10, 0, 0, 0);
  one("stosb", stosb_, 0x10, 0, 1, 0);

  for (u32 i = 0; i < 1024; i++) pt_low[i] = (i << 12) | P | RW;
  pd[0] = (u32)pt_low | P | RW;
  pd[HI >> 22] = (u32)pt_hi | P | RW;
  for (u32 i = 0; i < 3; i++) pt_hi[i] = ((u32)area + i * 4096) | P | RW;
  __asm__ volatile("mov %0, %%cr3" : : "r"(pd) : "memory");
  u32 cr0;
  __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
  __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | 0x80000000u) : "memory");
  with_fault("stosl", stosl_, 0x1002, 0, 3000);
  with_fault("movsl into the hole", movsl_, 0x2800, 0x10, 1000);
  with_fault("movsl from the hole", movsl_, 0x10, 0x2c01, 1000);
  return 0;
}
