/* Data movement and the rest of the general-purpose instructions: string
 * instructions with rep/repe/repne both ways and with 16-bit addresses,
 * xchg cmpxchg xadd cmpxchg8b, push/pop forms, pusha/popa, enter/leave,
 * lahf/sahf, pushf/popf, xlat, loop/loope/loopne/jcxz, lea (32- and 16-bit
 * addressing), moffs moves. Every case folds registers, flags and memory
 * into the tally. */
#include "rt/ops.h"

static u8 buf[512];
static u8 buf2[512];

static u32 hash_buf(const u8 *p, int n) {
  u32 h = 0x811c9dc5u;
  for (int i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static void fill(u32 seed) {
  rnd_seed(seed);
  for (int i = 0; i < 512; i++) buf[i] = (u8)rnd(), buf2[i] = (u8)rnd();
}

struct regs {
  u32 eax, ecx, esi, edi, fl;
};

/* One string instruction with given inputs; insn is the mnemonic text. */
#define STR(fn, insn)                                                                    \
  static void fn(struct regs *r, u32 df) {                                               \
    u32 a = r->eax, c = r->ecx, s = r->esi, d = r->edi, f;                               \
    __asm__ volatile("pushl %[fin]\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %[f]\n\tcld"   \
                     : "+a"(a), "+c"(c), "+S"(s), "+D"(d), [f] "=&r"(f)                  \
                     : [fin] "r"((df ? 0x400u : 0u) | 2u | (r->fl & ARITH))              \
                     : "cc", "memory");                                                  \
    r->eax = a, r->ecx = c, r->esi = s, r->edi = d, r->fl = f;                           \
  }
STR(movsb_, "movsb")
STR(movsw_, "movsw")
STR(movsl_, "movsl")
STR(rep_movsb, "rep movsb")
STR(rep_movsw, "rep movsw")
STR(rep_movsl, "rep movsl")
STR(rep_stosb, "rep stosb")
STR(rep_stosw, "rep stosw")
STR(rep_stosl, "rep stosl")
STR(rep_lodsb, "rep lodsb")
STR(rep_lodsl, "rep lodsl")
STR(repe_cmpsb, "repe cmpsb")
STR(repne_cmpsb, "repne cmpsb")
STR(repe_cmpsl, "repe cmpsl")
STR(repe_scasb, "repe scasb")
STR(repne_scasb, "repne scasb")
STR(repne_scasw, "repne scasw")
STR(a16_rep_movsb, ".byte 0x67\n\trep movsb")
STR(a16_repne_scasb, ".byte 0x67\n\trepne scasb")
STR(a16_rep_stosw, ".byte 0x67\n\trep stosw")
STR(rep_nop_cmp0, "xor %%ecx, %%ecx\n\trepe cmpsb")

typedef void (*strop)(struct regs *, u32);

static void run_str(const char *name, strop fn, int a16) {
  struct tally t;
  tally_begin(&t, name);
  for (int i = 0; i < 256; i++) {
    fill(0x5000u + (u32)i);
    u32 df = i & 1;
    struct regs r;
    r.eax = rnd();
    r.ecx = rnd() % 40;
    if ((i & 15) == 3) {
      /* make a repe/repne stop early: an equal or matching byte */
      buf2[200] = buf[200];
      r.eax = (r.eax & ~0xffu) | buf[200];
    }
    u32 so = 200 + (rnd() % 64), dso = 200 + (rnd() % 64);
    r.esi = (u32)buf + so;
    r.edi = (u32)buf2 + dso;
    r.fl = rnd();
    if (a16) {
      /* 16-bit addresses wrap at 64 KiB: point SI/DI just below a wrap in a
       * window that lies within buf (the upper half stays as it was). */
      r.esi = ((u32)buf & 0xffff0000u) | (((u32)buf + so) & 0xffffu);
      r.edi = ((u32)buf2 & 0xffff0000u) | (((u32)buf2 + dso) & 0xffffu);
      r.ecx |= rnd() & 0xffff0000u; /* the upper half of ECX must be ignored */
    }
    fn(&r, df);
    tally_case(&t, r.eax, r.ecx, r.esi - (u32)buf, r.edi - (u32)buf2, r.fl & ARITH);
    tally_case(&t, hash_buf(buf, 512), hash_buf(buf2, 512), 0, 0, 0);
  }
  tally_end(&t);
}

static void xchgs(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 m = b, acc, f, c = a;
  /* cmpxchg: equal and not equal, xadd, xchg with memory */
  acc = (fin & 1) ? b : a;
  __asm__ volatile("pushl %[fin]\n\tpopfl\n\tlock cmpxchgl %[c], %[m]\n\tpushfl\n\tpopl %[f]"
                   : [m] "+m"(m), "+a"(acc), [f] "=&r"(f) : [c] "r"(c), [fin] "r"(fin) : "cc");
  u32 h = m * 3 + acc;
  u32 x = a;
  __asm__ volatile("lock xaddl %[x], %[m]" : [x] "+r"(x), [m] "+m"(m) : : "cc");
  h = h * 5 + x + m;
  u16 m16 = (u16)b;
  u16 acc16 = (fin & 2) ? (u16)b : (u16)a;
  __asm__ volatile("cmpxchgw %w[c], %[m]" : [m] "+m"(m16), "+a"(acc16) : [c] "r"(a) : "cc");
  h = h * 7 + m16 + acc16;
  u8 m8 = (u8)a, r8 = (u8)b;
  __asm__ volatile("xchgb %[r], %[m]" : [r] "+q"(r8), [m] "+m"(m8));
  u8 x8 = (u8)(a >> 8);
  __asm__ volatile("xaddb %[x], %[m]" : [x] "+q"(x8), [m] "+m"(m8) : : "cc");
  h = h * 11 + m8 + r8 + x8;
  /* cmpxchg8b */
  u32 mem64[2] = {a, b};
  u32 eax = (fin & 4) ? a : b, edx = b, ebx = a ^ 0x5555, ecx = b ^ 0xaaaa, f2;
  __asm__ volatile("lock cmpxchg8b %[m]\n\tpushfl\n\tpopl %[f]"
                   : [m] "+m"(*(u64 *)mem64), "+a"(eax), "+d"(edx), [f] "=r"(f2)
                   : "b"(ebx), "c"(ecx)
                   : "cc");
  h = h * 13 + mem64[0] + mem64[1] * 17 + eax * 19 + edx * 23 + (f2 & ZF);
  *res = h;
  *fl = f & ARITH;
}

static void stackops(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 out[12];
  u32 f1, f2;
  (void)fin;
  __asm__ volatile(
      "mov %%esp, %%edi\n\t"
      "pushw $0x1234\n\t"
      "popw %%ax\n\t"
      "movl %%eax, 0(%[o])\n\t"
      "pushl %[a]\n\t"
      "pushl (%%esp)\n\t"    /* push m32 */
      "popl 4(%[o])\n\t"     /* pop m32 */
      "popl 8(%[o])\n\t"
      "pusha\n\t"
      "movl $0, %%eax\n\t"
      "movl $0, %%ecx\n\t"
      "popa\n\t"
      "movl %%eax, 12(%[o])\n\t"
      "enter $16, $0\n\t"
      "movl %%esp, %%eax\n\t"
      "leave\n\t"
      "subl %%esp, %%eax\n\t"
      "movl %%eax, 16(%[o])\n\t"
      "pushl %%ebp\n\t"
      "movl %%esp, %%ebp\n\t"
      "enter $8, $3\n\t"    /* nested frame: copies two frame pointers */
      "movl %%esp, %%eax\n\t"
      "movl (%%esp), %%ecx\n\t"
      "leave\n\t"
      "popl %%ebp\n\t"
      "subl %%esp, %%eax\n\t"
      "movl %%eax, 20(%[o])\n\t"
      "movl %[b], %%eax\n\t"
      "sahf\n\t"
      "lahf\n\t"
      "movl %%eax, 24(%[o])\n\t"
      "pushfl\n\t"
      "popl %%eax\n\t"
      "movl %%eax, %[f1]\n\t"
      "pushl %[b]\n\t"
      "andl $0x8d5, (%%esp)\n\t"
      "popfl\n\t"
      "pushfl\n\t"
      "popl %[f2]\n\t"
      "pushw %%ds\n\t"
      "popw %%ax\n\t"
      "movl %%eax, 28(%[o])\n\t"
      "cmp %%esp, %%edi\n\t"
      "sete 32(%[o])\n\t"
      : [f1] "=m"(f1), [f2] "=r"(f2)
      : [o] "r"(out), [a] "r"(a), [b] "r"(b)
      : "eax", "ecx", "edi", "memory", "cc");
  u32 h = 0;
  for (int i = 0; i < 9; i++) h = h * 31 + out[i];
  *res = h;
  *fl = (f1 & ARITH) | ((f2 & 0x8d5) << 16);
}

static void loops(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 c1 = a % 20 + 1, n1 = 0, c2 = a % 7, n2 = 0, c3 = b % 9, n3 = 0, f;
  __asm__ volatile("1: incl %[n]\n\tloop 1b" : "+c"(c1), [n] "+r"(n1) : : "cc");
  __asm__ volatile("pushl %[fin]\n\tpopfl\n\t"
                   "1: incl %[n]\n\tcmpl $3, %[n]\n\tloopne 1b\n\tpushfl\n\tpopl %[f]"
                   : "+c"(c2), [n] "+r"(n2), [f] "=r"(f) : [fin] "r"(fin) : "cc");
  __asm__ volatile("jecxz 2f\n\t1: incl %[n]\n\tcmpl $0, %[n]\n\tloope 1b\n2:" : "+c"(c3), [n] "+r"(n3) : : "cc");
  *res = n1 | (n2 << 8) | (n3 << 16) | (c2 << 24);
  *fl = (f & ARITH) | (c3 << 16);
}

static u8 xtab[256];
u32 moffs_cell;

static void addressing(u32 a, u32 b, u32 fin, u32 *res, u32 *fl) {
  u32 l1, l2, l3, l4, x, m;
  (void)fin;
  __asm__ volatile("leal 0x12345(%[a],%[b],4), %[r]" : [r] "=r"(l1) : [a] "r"(a), [b] "r"(b));
  __asm__ volatile("leal -8(,%[b],8), %[r]" : [r] "=r"(l2) : [b] "r"(b));
  /* 16-bit addressing: lea with 0x67 gives BX+SI+disp16 wrapped to 16 bits */
  __asm__ volatile("mov %[a], %%ebx\n\tmov %[b], %%esi\n\t.byte 0x67, 0x8d, 0x80, 0x34, 0x12\n\t"
                   : "=a"(l3) : [a] "r"(a), [b] "r"(b) : "ebx", "esi");
  /* lea bp+di-5 with 0x67 0x66 (16-bit result into AX) */
  __asm__ volatile("mov %[a], %%eax\n\tpush %%ebp\n\tmov %[b], %%ebp\n\tmov %[a], %%edi\n\t"
                   ".byte 0x66, 0x67, 0x8d, 0x43, 0xfb\n\tpop %%ebp"
                   : "=&a"(l4) : [a] "r"(a), [b] "r"(b) : "edi");
  for (int i = 0; i < 256; i++) xtab[i] = (u8)(i * 7 + 3);
  __asm__ volatile("xlat" : "=a"(x) : "a"(a), "b"(xtab));
  /* moffs forms */
  __asm__ volatile("movl %[a], %%eax\n\tmovl %%eax, moffs_cell\n\tmovw moffs_cell+1, %%ax\n\t"
                   "movb %%al, moffs_cell+3\n\tmovl moffs_cell, %%eax"
                   : "=&a"(m) : [a] "r"(a) : "memory");
  *res = l1 ^ (l2 * 3) ^ (l3 * 5) ^ (l4 * 7);
  *fl = x ^ (m * 11);
}

int main(void) {
  run_str("movsb", movsb_, 0);
  run_str("movsw", movsw_, 0);
  run_str("movsl", movsl_, 0);
  run_str("rep-movsb", rep_movsb, 0);
  run_str("rep-movsw", rep_movsw, 0);
  run_str("rep-movsl", rep_movsl, 0);
  run_str("rep-stosb", rep_stosb, 0);
  run_str("rep-stosw", rep_stosw, 0);
  run_str("rep-stosl", rep_stosl, 0);
  run_str("rep-lodsb", rep_lodsb, 0);
  run_str("rep-lodsl", rep_lodsl, 0);
  run_str("repe-cmpsb", repe_cmpsb, 0);
  run_str("repne-cmpsb", repne_cmpsb, 0);
  run_str("repe-cmpsl", repe_cmpsl, 0);
  run_str("repe-scasb", repe_scasb, 0);
  run_str("repne-scasb", repne_scasb, 0);
  run_str("repne-scasw", repne_scasw, 0);
  run_str("a16-rep-movsb", a16_rep_movsb, 1);
  run_str("a16-repne-scasb", a16_repne_scasb, 1);
  run_str("a16-rep-stosw", a16_rep_stosw, 1);
  run_str("rep-ecx0", rep_nop_cmp0, 0);
  rnd_seed(0x3c5u);
  run_binop("xchg", xchgs, ~0u, ~0u, ~0u);
  run_binop("stack", stackops, ~0u, ~0u, ~0u);
  run_binop("loops", loops, ~0u, ~0u, ~0u);
  run_binop("addressing", addressing, ~0u, ~0u, ~0u);
  return 0;
}
