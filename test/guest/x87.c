/* The x87 FPU, case by case against QEMU: every form of the arithmetic,
 * compare, load/store/convert, constant, stack and environment instructions
 * (transcendentals excepted: they are compared differently), on operands
 * biased to every class and rounding edge (x87gen.h), under random precision
 * and rounding control with every exception masked; then a section with
 * IE/ZE/PE unmasked (#MF through fwait) and the environment images.
 *
 * Each case: fninit, fldcw, fldt the operands, one instruction (a stub,
 * below, between EFLAGS in and out), fnstsw, fstpt every register left.
 * What QEMU 7.2 gets wrong against the SDM is left out of the CRC, so the
 * comparison does not demand its mistakes:
 *  - DE: QEMU never flags a denormal operand (but for fxtract): masked.
 *  - C1 after an inexact result: QEMU never sets it for "rounded up":
 *    masked whenever PE is set.
 *  - stack overflow/underflow: QEMU has none (a ninth push overwrites, an
 *    empty register is read as it was): no case touches an empty register.
 *  - an unmasked IE or ZE: QEMU writes the destination and pops anyway;
 *    the SDM leaves both alone: those destinations are not compared.
 *  - fcomi: QEMU keeps OF SF AF, the SDM clears them: only ZF PF CF.
 *  - #MF: QEMU raises it at fwait only, not at the next waiting x87
 *    instruction, so after an unmasked exception only fwait and no-wait
 *    forms run until fnclex.
 *  - precision control: QEMU also rounds to it where the SDM says it does
 *    not apply (fld m64 and the float64/int32 operands of arithmetic and
 *    compares, fbld, frndint, fprem, fprem1): those forms run under a
 *    precision that hides it (see ONEP).
 *  - fprem1: QEMU never sets the quotient bits C0 C3 C1: masked there.
 *  - two NaNs: QEMU picks the wrong one for an SNaN float32/float64
 *    memory operand against a NaN in ST(0), and for fscale (see
 *    qemu_nan_pick): that result is not compared.
 *  - fsqrt of a negative number: QEMU sets C2 (undefined there anyway).
 *  - fnstsw ax and fnop: QEMU gets FIP wrong (moves it, keeps it): not used
 *    as the last instruction before fnstenv.
 *  - fldenv/frstor: QEMU does not load FIP/FDP; fnstenv's reserved upper
 *    halves and the opcode field: QEMU stores 0 in both (CPUs the opcode,
 *    and some ones in the reserved halves). All masked.
 * Where the SDM leaves a condition code undefined it is masked too.
 * With these masks every value the verbose lines show (but for the
 * #MF vector and the CS/DS selectors) is what an AMD EPYC's x87 gives when
 * the same cases run natively in a Linux process.
 * The command-line word "sdm" adds self-checks of those points against the
 * SDM (QEMU fails them; they are not in the compared transcript). */
#include "x87gen.h"

#define CASES 2048

/* Status word bits. */
#define IE 0x0001
#define DE 0x0002
#define ZE 0x0004
#define OE 0x0008
#define UE 0x0010
#define PE 0x0020
#define STF 0x0040
#define ES 0x0080
#define C0 0x0100
#define C1 0x0200
#define C2 0x0400
#define C3 0x4000
#define BUSY 0x8000

/* The stubs' memory operand, and the EFLAGS they start with and leave. */
u8 xmem[32] __attribute__((aligned(16)));
u32 xfl_in, xfl_out;
/* For the environment stubs: a reference operand, the control word fldcw
 * reloads, and the image area. */
f80 xref;
u16 xcw;
u8 xenv[128] __attribute__((aligned(16)));
u8 xenv2[128] __attribute__((aligned(16)));

/* A stub: the instruction between EFLAGS = xfl_in and xfl_out = EFLAGS
 * (fcmov reads them, fcomi writes them, the rest must leave them). */
#define WRAP(body) "pushl xfl_in\n\tpopfl\n\t" body "\n\tpushfl\n\tpopl xfl_out\n\tret\n"
#define STUB(name, body) \
  extern char name[];    \
  __asm__(".text\n\t.p2align 5\n" #name ":\n\t" WRAP(body))
/* Eight stubs 32 bytes apart, one per ST(i): opcode bytes b0, b1 + i
 * (bytes, not mnemonics: AT&T swaps fsub/fsubr and fdiv/fdivr for the
 * ST(i) destination forms). */
#define STUB8(name, b0, b1) \
  extern char name[];       \
  __asm__(".text\n\t.p2align 5\n" #name ":\n\t.irp i,0,1,2,3,4,5,6,7\n\t.p2align 5\n\t" WRAP(".byte " #b0 ", " #b1 " + \\i") ".endr\n")

/* ST(0) op ST(i) -> ST(0) */
STUB8(t_fadd_st0, 0xd8, 0xc0);
STUB8(t_fmul_st0, 0xd8, 0xc8);
STUB8(t_fcom, 0xd8, 0xd0);
STUB8(t_fcomp, 0xd8, 0xd8);
STUB8(t_fsub_st0, 0xd8, 0xe0);
STUB8(t_fsubr_st0, 0xd8, 0xe8);
STUB8(t_fdiv_st0, 0xd8, 0xf0);
STUB8(t_fdivr_st0, 0xd8, 0xf8);
/* ST(i) op ST(0) -> ST(i) (Intel names: DC E0 is fsubr ST(i),ST(0), i.e. ST(0) - ST(i)) */
STUB8(t_fadd_sti, 0xdc, 0xc0);
STUB8(t_fmul_sti, 0xdc, 0xc8);
STUB8(t_fsubr_sti, 0xdc, 0xe0);
STUB8(t_fsub_sti, 0xdc, 0xe8);
STUB8(t_fdivr_sti, 0xdc, 0xf0);
STUB8(t_fdiv_sti, 0xdc, 0xf8);
STUB8(t_faddp, 0xde, 0xc0);
STUB8(t_fmulp, 0xde, 0xc8);
STUB8(t_fsubrp, 0xde, 0xe0);
STUB8(t_fsubp, 0xde, 0xe8);
STUB8(t_fdivrp, 0xde, 0xf0);
STUB8(t_fdivp, 0xde, 0xf8);
STUB(s_fcompp, ".byte 0xde, 0xd9");
STUB8(t_fucom, 0xdd, 0xe0);
STUB8(t_fucomp, 0xdd, 0xe8);
STUB(s_fucompp, ".byte 0xda, 0xe9");
STUB8(t_fcomi, 0xdb, 0xf0);
STUB8(t_fucomi, 0xdb, 0xe8);
STUB8(t_fcomip, 0xdf, 0xf0);
STUB8(t_fucomip, 0xdf, 0xe8);
STUB8(t_fcmovb, 0xda, 0xc0);
STUB8(t_fcmove, 0xda, 0xc8);
STUB8(t_fcmovbe, 0xda, 0xd0);
STUB8(t_fcmovu, 0xda, 0xd8);
STUB8(t_fcmovnb, 0xdb, 0xc0);
STUB8(t_fcmovne, 0xdb, 0xc8);
STUB8(t_fcmovnbe, 0xdb, 0xd0);
STUB8(t_fcmovnu, 0xdb, 0xd8);
STUB8(t_fld_sti, 0xd9, 0xc0);
STUB8(t_fxch, 0xd9, 0xc8);
STUB8(t_fst_sti, 0xdd, 0xd0);
STUB8(t_fstp_sti, 0xdd, 0xd8);
STUB8(t_ffree, 0xdd, 0xc0);

STUB(s_fadd_m32, "fadds xmem");
STUB(s_fmul_m32, "fmuls xmem");
STUB(s_fsub_m32, "fsubs xmem");
STUB(s_fsubr_m32, "fsubrs xmem");
STUB(s_fdiv_m32, "fdivs xmem");
STUB(s_fdivr_m32, "fdivrs xmem");
STUB(s_fadd_m64, "faddl xmem");
STUB(s_fmul_m64, "fmull xmem");
STUB(s_fsub_m64, "fsubl xmem");
STUB(s_fsubr_m64, "fsubrl xmem");
STUB(s_fdiv_m64, "fdivl xmem");
STUB(s_fdivr_m64, "fdivrl xmem");
STUB(s_fiadd_m16, "fiadds xmem");
STUB(s_fimul_m16, "fimuls xmem");
STUB(s_fisub_m16, "fisubs xmem");
STUB(s_fisubr_m16, "fisubrs xmem");
STUB(s_fidiv_m16, "fidivs xmem");
STUB(s_fidivr_m16, "fidivrs xmem");
STUB(s_fiadd_m32, "fiaddl xmem");
STUB(s_fimul_m32, "fimull xmem");
STUB(s_fisub_m32, "fisubl xmem");
STUB(s_fisubr_m32, "fisubrl xmem");
STUB(s_fidiv_m32, "fidivl xmem");
STUB(s_fidivr_m32, "fidivrl xmem");
STUB(s_fcom_m32, "fcoms xmem");
STUB(s_fcomp_m32, "fcomps xmem");
STUB(s_fcom_m64, "fcoml xmem");
STUB(s_fcomp_m64, "fcompl xmem");
STUB(s_ficom_m16, "ficoms xmem");
STUB(s_ficomp_m16, "ficomps xmem");
STUB(s_ficom_m32, "ficoml xmem");
STUB(s_ficomp_m32, "ficompl xmem");

STUB(s_fsqrt, "fsqrt");
STUB(s_fabs, "fabs");
STUB(s_fchs, "fchs");
STUB(s_frndint, "frndint");
STUB(s_ftst, "ftst");
STUB(s_fxam, "fxam");
STUB(s_fscale, "fscale");
STUB(s_fprem, "fprem");
STUB(s_fprem1, "fprem1");
STUB(s_fxtract, "fxtract");

STUB(s_fld_m32, "flds xmem");
STUB(s_fld_m64, "fldl xmem");
STUB(s_fld_m80, "fldt xmem");
STUB(s_fild_m16, "filds xmem");
STUB(s_fild_m32, "fildl xmem");
STUB(s_fild_m64, "fildll xmem");
STUB(s_fbld, "fbld xmem");
STUB(s_fst_m32, "fsts xmem");
STUB(s_fst_m64, "fstl xmem");
STUB(s_fstp_m32, "fstps xmem");
STUB(s_fstp_m64, "fstpl xmem");
STUB(s_fstp_m80, "fstpt xmem");
STUB(s_fist_m16, "fists xmem");
STUB(s_fist_m32, "fistl xmem");
STUB(s_fistp_m16, "fistps xmem");
STUB(s_fistp_m32, "fistpl xmem");
STUB(s_fistp_m64, "fistpll xmem");
STUB(s_fbstp, "fbstp xmem");

STUB(s_fld1, "fld1");
STUB(s_fldl2t, "fldl2t");
STUB(s_fldl2e, "fldl2e");
STUB(s_fldpi, "fldpi");
STUB(s_fldlg2, "fldlg2");
STUB(s_fldln2, "fldln2");
STUB(s_fldz, "fldz");
STUB(s_fincstp, "fincstp");
STUB(s_fdecstp, "fdecstp");
STUB(s_fnop, "fnop");

/* Operand generators, memory operand kinds, status and EFLAGS policies. */
enum { G_ONE, G_PAIR, G_REM, G_SCALE, G_INT, G_CONST };
enum { M_NONE, M_F32, M_F64, M_F80, M_I16, M_I32, M_I64, M_BCD, M_BCDX };
/* SW_ARITH: C0 C2 C3 undefined (arithmetic, loads, stores, moves: only C1
 * has a meaning). SW_CC: all four defined (compares, fxam, fprem).
 * SW_PREM1: only C2; QEMU 7.2's fprem1 never reports the quotient bits
 * (its softfloat passes no quotient for the IEEE remainder). */
enum { SW_ARITH, SW_CC, SW_PREM1 };
enum { FL_SAME, FL_ZPC };

struct form {
  const char *name;
  const char *op;
  u8 nin, nout; /* stack depth before and after */
  u8 gen, mem;
  u8 store; /* bytes the instruction writes to xmem */
  u8 sw, fl;
  u8 sti;   /* op is an STUB8 table: ST(i) with i random */
  u8 env;   /* fnstenv after it: the tag word and TOP are its result */
  u16 cases;
  u8 pc;    /* the least precision control allowed: 24, 53 or 64 */
};

static const u8 memsize[] = {0, 4, 8, 10, 2, 4, 8, 10, 10};

static u16 swmask(u16 sw, int pol) {
  u16 m = (u16)~DE;
  if (pol == SW_ARITH) m &= (u16) ~(C0 | C2 | C3);
  if (pol == SW_PREM1) m &= (u16) ~(C0 | C1 | C3);
  if (sw & PE) m &= (u16)~C1;
  return sw & m;
}

/* ---- one case ---- */
struct cs {
  u16 cw, sw;
  int nin, nout, idx;
  f80 in[8], out[8];
  u8 min[16], mout[16];
  u32 flin, flout;
  u16 env[14]; /* fnstenv, 32-bit */
};

static void exec(struct cs *c, const char *op, int env) {
  for (int k = 0; k < 16; k++) xmem[k] = c->min[k];
  xfl_in = c->flin;
  __asm__ volatile("fninit\n\tfldcw %0" : : "m"(c->cw) : "memory");
  for (int k = c->nin - 1; k >= 0; k--) __asm__ volatile("fldt %0" : : "m"(c->in[k]) : "memory");
  __asm__ volatile("call *%0" : : "r"(op) : "eax", "ecx", "edx", "memory", "cc");
  __asm__ volatile("fnstsw %0" : "=m"(c->sw) : : "memory");
  if (env) __asm__ volatile("fnstenv %0" : "=m"(c->env) : : "memory");
  for (int k = 0; k < c->nout; k++) __asm__ volatile("fstpt %0" : "=m"(c->out[k]) : : "memory");
  for (int k = 0; k < 16; k++) c->mout[k] = xmem[k];
  c->flout = xfl_out;
}

static void pmem(const u8 *m, int n) {
  printf(" m=");
  for (int k = n - 1; k >= 0; k--) printf("%02x", m[k]);
}

static f80 from_f32(u32 v) {
  u32 s = v >> 31 << 15, e = v >> 23 & 0xff;
  u64 m = v & 0x7fffff;
  if (e == 0xff) return mk(s | 0x7fff, 1ull << 63 | m << 40);
  if (e == 0) {
    if (!m) return mk(s, 0);
    int z = __builtin_clzll(m);
    return mk(s | (u32)(0x3fff - 149 + 63 - z), m << z);
  }
  return mk(s | (e - 127 + 0x3fff), 1ull << 63 | m << 40);
}

static f80 from_f64(u64 v) {
  u32 s = (u32)(v >> 63) << 15, e = (u32)(v >> 52) & 0x7ff;
  u64 m = v & ((1ull << 52) - 1);
  if (e == 0x7ff) return mk(s | 0x7fff, 1ull << 63 | m << 11);
  if (e == 0) {
    if (!m) return mk(s, 0);
    int z = __builtin_clzll(m);
    return mk(s | (u32)(0x3fff - 1074 + 63 - z), m << z);
  }
  return mk(s | (e - 1023 + 0x3fff), 1ull << 63 | m << 11);
}

static void gen_mem(u8 *m, int kind, f80 *near) {
  u64 v = 0;
  f80 x = mk(0, 0);
  switch (kind) {
  case M_F32: v = gen_f32(); x = from_f32((u32)v); break;
  case M_F64: v = gen_f64(); x = from_f64(v); break;
  case M_I16: v = gen_int(16); x = from_s64((s16)v, 0); break;
  case M_I32: v = gen_int(32); x = from_s64((s32)v, 0); break;
  case M_I64: v = gen_int(64); break;
  case M_F80: { f80 y = gen_f80(); for (int k = 0; k < 10; k++) m[k] = ((u8 *)&y)[k]; return; }
  case M_BCD: case M_BCDX: gen_bcd(m, kind == M_BCDX); return;
  default: return;
  }
  for (int k = 0; k < 8; k++) m[k] = (u8)(v >> (8 * k));
  /* Often make ST(0) equal to the operand, or one ulp off it: compares
   * that say equal, differences that cancel. */
  if (near && pick(4) == 0 && (x.se & 0x7fff) != 0x7fff) {
    *near = x;
    if (pick(2)) near->m ^= 1;
    if (pick(4) == 0) near->se ^= 0x8000;
  }
}

static int nan80(const f80 *x) { return (x->se & 0x7fff) == 0x7fff && x->m << 1; }

/* Two NaNs where QEMU picks the wrong one (real CPUs take the larger
 * significand, SNaN or QNaN, between the operands as given):
 *  - fadd..fdivr m32/m64 with a signalling NaN operand and a NaN in ST(0):
 *    QEMU quiets the memory operand when it loads it, then prefers it as
 *    a quiet NaN over a signalling ST(0), or by the quieted significand;
 *  - fscale with NaNs in both: QEMU returns ST(1)'s.
 * The result register is not compared then (the status word is). */
static int qemu_nan_pick(const struct form *f, const struct cs *c) {
  if (f->op == s_fscale) return nan80(&c->in[0]) && nan80(&c->in[1]);
  if ((f->mem != M_F32 && f->mem != M_F64) || f->nout != f->nin || !nan80(&c->in[0])) return 0;
  u64 v = rd32(c->min) | (u64)rd32(c->min + 4) << 32;
  if (f->mem == M_F32) return (v & 0x7f800000) == 0x7f800000 && (v & 0x7fffff) && !(v & 0x400000);
  return (v >> 52 & 0x7ff) == 0x7ff && (v << 12) && !(v >> 51 & 1);
}

static void run_form(const struct form *f) {
  struct tally t;
  struct cs c;
  tally_begin(&t, f->name);
  int n = f->cases ? f->cases : CASES;
  for (int i = 0; i < n; i++) {
    c.cw = gen_cw();
    if (f->pc == 53 && !(c.cw & 0x200)) c.cw |= pick(2) ? 0x200 : 0x300;
    if (f->pc == 64) c.cw |= 0x300;
    c.nin = f->nin;
    c.nout = f->nout;
    c.idx = f->sti ? (int)pick(f->nin) : 0;
    for (int k = 0; k < f->nin; k++) c.in[k] = gen_f80();
    switch (f->gen) {
    case G_PAIR: gen_pair(&c.in[0], &c.in[c.idx ? c.idx : 1]); break;
    case G_REM: gen_rem(&c.in[0], &c.in[1]); break;
    case G_SCALE: c.in[1] = gen_scale(); break;
    case G_INT: c.in[0] = gen_int_operand(); break;
    case G_CONST: {
      static const u16 pc[3] = {0x000, 0x200, 0x300};
      c.cw = (u16)(0x7f | pc[i % 3] | (i / 3 % 4) << 10);
      c.nin = i / 12 % 2;
      c.nout = c.nin + 1;
      c.in[0] = gen_f80();
      break;
    }
    }
    for (int k = 0; k < 16; k++) c.min[k] = 0xa5;
    if (f->mem) gen_mem(c.min, f->mem, f->nout > f->nin ? 0 : &c.in[0]); /* loads: ST(0) is filler */
    c.flin = (rnd() & ARITH) | 2;
    exec(&c, f->op + 32 * c.idx, f->env);

    /* fxam of an empty ST(0): C1 is the sign of what the register held. */
    u16 sw = swmask(c.sw, f->sw);
    int nanpick = qemu_nan_pick(f, &c);
    if (nanpick) c.out[0] = mk(0, 0);
    if (c.nin == 0 && f->op == s_fxam) sw &= (u16)~C1;
    u32 fl = c.flout & (f->fl == FL_ZPC ? ZF | PF | CF : ARITH);
    /* The inputs are the same on every machine: only the control word and
     * the register index go in with the results. */
    fold(&t, c.cw);
    fold(&t, (u32)c.idx);
    int msz = memsize[f->mem];
    fold(&t, sw);
    for (int k = 0; k < c.nout; k++) fold80(&t, &c.out[k]);
    if (f->store)
      for (int k = 0; k < 16; k += 4) fold(&t, rd32(&c.mout[k]));
    fold(&t, fl);
    if (f->env) {
      fold(&t, c.env[0]);
      fold(&t, swmask(c.env[2], f->sw));
      fold(&t, c.env[4]);
    }
    t.n++;
    if (verbose) {
      printf("%s", f->name);
      if (f->sti) printf(" i=%u", (u32)c.idx);
      printf(" cw=%04x", c.cw);
      /* st(i) forms: ST(0) and ST(i) only; the rest are random filler */
      for (int k = 0; k < c.nin; k++)
        if (!f->sti || k == 0 || k == c.idx) p80(&c.in[k]);
      if (msz) pmem(c.min, msz);
      if (f->fl == FL_ZPC || (f->name[0] == 'f' && f->name[1] == 'c' && f->name[2] == 'm'))
        printf(" fl=%03x", c.flin & ARITH); /* what fcmov reads, fcomi replaces */
      printf(" -> sw=%04x", sw);
      /* registers the instruction left as they were print as '=' */
      int shift = c.nin - c.nout;
      for (int k = 0; k < c.nout; k++) {
        int from = k + shift;
        if (k == 0 && nanpick)
          printf(" (NaN choice not compared)");
        else if (f->sti && from >= 0 && from < c.nin && c.in[from].m == c.out[k].m && c.in[from].se == c.out[k].se)
          printf(" =");
        else
          p80(&c.out[k]);
      }
      if (f->store) pmem(c.mout, 12);
      if (f->fl == FL_ZPC) printf(" fl=%03x", fl);
      if (f->env) printf(" env=%04x %04x %04x", c.env[0], swmask(c.env[2], f->sw), c.env[4]);
      printf("\n");
    }
  }
  tally_end(&t);
}

#define STI(name, op, nin, nout, sw, fl) {name, op, nin, nout, G_PAIR, M_NONE, 0, sw, fl, 1, 0, 0, 24}
/* moves and compares: half as many */
#define STIH(name, op, nin, nout, sw, fl) {name, op, nin, nout, G_PAIR, M_NONE, 0, sw, fl, 1, 0, CASES / 2, 24}
#define ONE(name, op, nin, nout, gen, mem, store, sw) {name, op, nin, nout, gen, mem, store, sw, FL_SAME, 0, 0, 0, 24}
/* QEMU rounds to the precision control where the SDM says it does not
 * apply: the float64 and int32 operands of the memory forms and fld m64
 * (so a 53-bit operand loses bits under PC=24), fbld's 18 digits, frndint's
 * integer, fprem's remainder. Those run under enough precision to hide it. */
#define ONEP(name, op, nin, nout, gen, mem, store, sw, pc) {name, op, nin, nout, gen, mem, store, sw, FL_SAME, 0, 0, 0, pc}

static const struct form forms[] = {
    STI("fadd_st0_sti", t_fadd_st0, 8, 8, SW_ARITH, FL_SAME),
    STI("fadd_sti_st0", t_fadd_sti, 8, 8, SW_ARITH, FL_SAME),
    STI("faddp_sti_st0", t_faddp, 8, 7, SW_ARITH, FL_SAME),
    STI("fmul_st0_sti", t_fmul_st0, 8, 8, SW_ARITH, FL_SAME),
    STI("fmul_sti_st0", t_fmul_sti, 8, 8, SW_ARITH, FL_SAME),
    STI("fmulp_sti_st0", t_fmulp, 8, 7, SW_ARITH, FL_SAME),
    STI("fsub_st0_sti", t_fsub_st0, 8, 8, SW_ARITH, FL_SAME),
    STI("fsub_sti_st0", t_fsub_sti, 8, 8, SW_ARITH, FL_SAME),
    STI("fsubp_sti_st0", t_fsubp, 8, 7, SW_ARITH, FL_SAME),
    STI("fsubr_st0_sti", t_fsubr_st0, 8, 8, SW_ARITH, FL_SAME),
    STI("fsubr_sti_st0", t_fsubr_sti, 8, 8, SW_ARITH, FL_SAME),
    STI("fsubrp_sti_st0", t_fsubrp, 8, 7, SW_ARITH, FL_SAME),
    STI("fdiv_st0_sti", t_fdiv_st0, 8, 8, SW_ARITH, FL_SAME),
    STI("fdiv_sti_st0", t_fdiv_sti, 8, 8, SW_ARITH, FL_SAME),
    STI("fdivp_sti_st0", t_fdivp, 8, 7, SW_ARITH, FL_SAME),
    STI("fdivr_st0_sti", t_fdivr_st0, 8, 8, SW_ARITH, FL_SAME),
    STI("fdivr_sti_st0", t_fdivr_sti, 8, 8, SW_ARITH, FL_SAME),
    STI("fdivrp_sti_st0", t_fdivrp, 8, 7, SW_ARITH, FL_SAME),

    ONE("fadd_m32", s_fadd_m32, 1, 1, G_ONE, M_F32, 0, SW_ARITH),
    ONE("fmul_m32", s_fmul_m32, 1, 1, G_ONE, M_F32, 0, SW_ARITH),
    ONE("fsub_m32", s_fsub_m32, 1, 1, G_ONE, M_F32, 0, SW_ARITH),
    ONE("fsubr_m32", s_fsubr_m32, 1, 1, G_ONE, M_F32, 0, SW_ARITH),
    ONE("fdiv_m32", s_fdiv_m32, 1, 1, G_ONE, M_F32, 0, SW_ARITH),
    ONE("fdivr_m32", s_fdivr_m32, 1, 1, G_ONE, M_F32, 0, SW_ARITH),
    ONEP("fadd_m64", s_fadd_m64, 1, 1, G_ONE, M_F64, 0, SW_ARITH, 53),
    ONEP("fmul_m64", s_fmul_m64, 1, 1, G_ONE, M_F64, 0, SW_ARITH, 53),
    ONEP("fsub_m64", s_fsub_m64, 1, 1, G_ONE, M_F64, 0, SW_ARITH, 53),
    ONEP("fsubr_m64", s_fsubr_m64, 1, 1, G_ONE, M_F64, 0, SW_ARITH, 53),
    ONEP("fdiv_m64", s_fdiv_m64, 1, 1, G_ONE, M_F64, 0, SW_ARITH, 53),
    ONEP("fdivr_m64", s_fdivr_m64, 1, 1, G_ONE, M_F64, 0, SW_ARITH, 53),
    ONE("fiadd_m16", s_fiadd_m16, 1, 1, G_ONE, M_I16, 0, SW_ARITH),
    ONE("fimul_m16", s_fimul_m16, 1, 1, G_ONE, M_I16, 0, SW_ARITH),
    ONE("fisub_m16", s_fisub_m16, 1, 1, G_ONE, M_I16, 0, SW_ARITH),
    ONE("fisubr_m16", s_fisubr_m16, 1, 1, G_ONE, M_I16, 0, SW_ARITH),
    ONE("fidiv_m16", s_fidiv_m16, 1, 1, G_ONE, M_I16, 0, SW_ARITH),
    ONE("fidivr_m16", s_fidivr_m16, 1, 1, G_ONE, M_I16, 0, SW_ARITH),
    ONEP("fiadd_m32", s_fiadd_m32, 1, 1, G_ONE, M_I32, 0, SW_ARITH, 53),
    ONEP("fimul_m32", s_fimul_m32, 1, 1, G_ONE, M_I32, 0, SW_ARITH, 53),
    ONEP("fisub_m32", s_fisub_m32, 1, 1, G_ONE, M_I32, 0, SW_ARITH, 53),
    ONEP("fisubr_m32", s_fisubr_m32, 1, 1, G_ONE, M_I32, 0, SW_ARITH, 53),
    ONEP("fidiv_m32", s_fidiv_m32, 1, 1, G_ONE, M_I32, 0, SW_ARITH, 53),
    ONEP("fidivr_m32", s_fidivr_m32, 1, 1, G_ONE, M_I32, 0, SW_ARITH, 53),

    ONE("fsqrt", s_fsqrt, 1, 1, G_ONE, M_NONE, 0, SW_ARITH),
    ONE("fabs", s_fabs, 1, 1, G_ONE, M_NONE, 0, SW_ARITH),
    ONE("fchs", s_fchs, 1, 1, G_ONE, M_NONE, 0, SW_ARITH),
    ONEP("frndint", s_frndint, 1, 1, G_INT, M_NONE, 0, SW_ARITH, 64),
    ONE("fscale", s_fscale, 2, 2, G_SCALE, M_NONE, 0, SW_ARITH),
    ONE("fxtract", s_fxtract, 2, 3, G_ONE, M_NONE, 0, SW_ARITH),
    ONEP("fprem", s_fprem, 2, 2, G_REM, M_NONE, 0, SW_CC, 64),
    ONEP("fprem1", s_fprem1, 2, 2, G_REM, M_NONE, 0, SW_PREM1, 64),
    ONE("ftst", s_ftst, 1, 1, G_ONE, M_NONE, 0, SW_CC),
    ONE("fxam", s_fxam, 1, 1, G_ONE, M_NONE, 0, SW_CC),
    {"fxam_empty", s_fxam, 0, 0, G_ONE, M_NONE, 0, SW_CC, FL_SAME, 0, 0, 16, 24},

    STIH("fcom_sti", t_fcom, 8, 8, SW_CC, FL_SAME),
    STIH("fcomp_sti", t_fcomp, 8, 7, SW_CC, FL_SAME),
    ONE("fcompp", s_fcompp, 2, 0, G_PAIR, M_NONE, 0, SW_CC),
    STIH("fucom_sti", t_fucom, 8, 8, SW_CC, FL_SAME),
    STIH("fucomp_sti", t_fucomp, 8, 7, SW_CC, FL_SAME),
    ONE("fucompp", s_fucompp, 2, 0, G_PAIR, M_NONE, 0, SW_CC),
    ONE("fcom_m32", s_fcom_m32, 1, 1, G_ONE, M_F32, 0, SW_CC),
    ONE("fcomp_m32", s_fcomp_m32, 1, 0, G_ONE, M_F32, 0, SW_CC),
    ONEP("fcom_m64", s_fcom_m64, 1, 1, G_ONE, M_F64, 0, SW_CC, 53),
    ONEP("fcomp_m64", s_fcomp_m64, 1, 0, G_ONE, M_F64, 0, SW_CC, 53),
    ONE("ficom_m16", s_ficom_m16, 1, 1, G_ONE, M_I16, 0, SW_CC),
    ONE("ficomp_m16", s_ficomp_m16, 1, 0, G_ONE, M_I16, 0, SW_CC),
    ONEP("ficom_m32", s_ficom_m32, 1, 1, G_ONE, M_I32, 0, SW_CC, 53),
    ONEP("ficomp_m32", s_ficomp_m32, 1, 0, G_ONE, M_I32, 0, SW_CC, 53),
    STIH("fcomi_sti", t_fcomi, 8, 8, SW_CC, FL_ZPC),
    STIH("fcomip_sti", t_fcomip, 8, 7, SW_CC, FL_ZPC),
    STIH("fucomi_sti", t_fucomi, 8, 8, SW_CC, FL_ZPC),
    STIH("fucomip_sti", t_fucomip, 8, 7, SW_CC, FL_ZPC),
    STIH("fcmovb", t_fcmovb, 8, 8, SW_ARITH, FL_SAME),
    STIH("fcmove", t_fcmove, 8, 8, SW_ARITH, FL_SAME),
    STIH("fcmovbe", t_fcmovbe, 8, 8, SW_ARITH, FL_SAME),
    STIH("fcmovu", t_fcmovu, 8, 8, SW_ARITH, FL_SAME),
    STIH("fcmovnb", t_fcmovnb, 8, 8, SW_ARITH, FL_SAME),
    STIH("fcmovne", t_fcmovne, 8, 8, SW_ARITH, FL_SAME),
    STIH("fcmovnbe", t_fcmovnbe, 8, 8, SW_ARITH, FL_SAME),
    STIH("fcmovnu", t_fcmovnu, 8, 8, SW_ARITH, FL_SAME),

    ONE("fld_m32", s_fld_m32, 1, 2, G_ONE, M_F32, 0, SW_ARITH),
    ONEP("fld_m64", s_fld_m64, 1, 2, G_ONE, M_F64, 0, SW_ARITH, 53),
    ONE("fld_m80", s_fld_m80, 1, 2, G_ONE, M_F80, 0, SW_ARITH),
    ONE("fild_m16", s_fild_m16, 1, 2, G_ONE, M_I16, 0, SW_ARITH),
    ONE("fild_m32", s_fild_m32, 1, 2, G_ONE, M_I32, 0, SW_ARITH),
    ONE("fild_m64", s_fild_m64, 1, 2, G_ONE, M_I64, 0, SW_ARITH),
    ONEP("fbld", s_fbld, 1, 2, G_ONE, M_BCD, 0, SW_ARITH, 64),
    /* Invalid digits: the SDM calls the result undefined; this is QEMU's. */
    ONEP("fbld_invalid", s_fbld, 1, 2, G_ONE, M_BCDX, 0, SW_ARITH, 64),
    ONE("fst_m32", s_fst_m32, 2, 2, G_ONE, M_NONE, 4, SW_ARITH),
    ONE("fst_m64", s_fst_m64, 2, 2, G_ONE, M_NONE, 8, SW_ARITH),
    ONE("fstp_m32", s_fstp_m32, 2, 1, G_ONE, M_NONE, 4, SW_ARITH),
    ONE("fstp_m64", s_fstp_m64, 2, 1, G_ONE, M_NONE, 8, SW_ARITH),
    ONE("fstp_m80", s_fstp_m80, 2, 1, G_ONE, M_NONE, 10, SW_ARITH),
    ONE("fist_m16", s_fist_m16, 2, 2, G_INT, M_NONE, 2, SW_ARITH),
    ONE("fist_m32", s_fist_m32, 2, 2, G_INT, M_NONE, 4, SW_ARITH),
    ONE("fistp_m16", s_fistp_m16, 2, 1, G_INT, M_NONE, 2, SW_ARITH),
    ONE("fistp_m32", s_fistp_m32, 2, 1, G_INT, M_NONE, 4, SW_ARITH),
    ONE("fistp_m64", s_fistp_m64, 2, 1, G_INT, M_NONE, 8, SW_ARITH),
    ONE("fbstp", s_fbstp, 2, 1, G_INT, M_NONE, 10, SW_ARITH),

    /* Constants: every precision and rounding control, on an empty and a
     * non-empty stack (24 cases). */
    {"fld1", s_fld1, 0, 1, G_CONST, M_NONE, 0, SW_ARITH, FL_SAME, 0, 0, 24, 24},
    {"fldl2t", s_fldl2t, 0, 1, G_CONST, M_NONE, 0, SW_ARITH, FL_SAME, 0, 0, 24, 24},
    {"fldl2e", s_fldl2e, 0, 1, G_CONST, M_NONE, 0, SW_ARITH, FL_SAME, 0, 0, 24, 24},
    {"fldpi", s_fldpi, 0, 1, G_CONST, M_NONE, 0, SW_ARITH, FL_SAME, 0, 0, 24, 24},
    {"fldlg2", s_fldlg2, 0, 1, G_CONST, M_NONE, 0, SW_ARITH, FL_SAME, 0, 0, 24, 24},
    {"fldln2", s_fldln2, 0, 1, G_CONST, M_NONE, 0, SW_ARITH, FL_SAME, 0, 0, 24, 24},
    {"fldz", s_fldz, 0, 1, G_CONST, M_NONE, 0, SW_ARITH, FL_SAME, 0, 0, 24, 24},

    STIH("fxch_sti", t_fxch, 8, 8, SW_ARITH, FL_SAME),
    STIH("fld_sti", t_fld_sti, 7, 8, SW_ARITH, FL_SAME),
    STIH("fst_sti", t_fst_sti, 8, 8, SW_ARITH, FL_SAME),
    STIH("fstp_sti", t_fstp_sti, 8, 7, SW_ARITH, FL_SAME),
    /* The stack pointer: TOP and the tags (fnstenv) are the result; after
     * fincstp ST(0) ST(1) hold the old ST(1) ST(2); after fdecstp ST(0) is
     * empty and after ffree ST(i) is, so nothing more is stored. */
    {"fincstp", s_fincstp, 3, 2, G_ONE, M_NONE, 0, SW_ARITH, FL_SAME, 0, 1, 256, 24},
    {"fdecstp", s_fdecstp, 3, 0, G_ONE, M_NONE, 0, SW_ARITH, FL_SAME, 0, 1, 256, 24},
    {"ffree_sti", t_ffree, 8, 0, G_ONE, M_NONE, 0, SW_ARITH, FL_SAME, 1, 1, 256, 24},
    {"fnop", s_fnop, 2, 2, G_ONE, M_NONE, 0, SW_ARITH, FL_SAME, 0, 1, 256, 24},
};

/* ---- unmasked exceptions ----
 * IE, ZE and PE unmasked in random combination (DE, OE, UE stay masked:
 * QEMU computes the result anyway where the SDM faults first, and signals
 * UE on exact tiny results differently). After the instruction only no-wait
 * forms run, then fwait, which raises #MF (CR0.NE=1): the vector and the
 * EIP it reports go into the CRC with the status word before and after
 * fnclex. The destination is compared unless an unmasked IE or ZE was
 * raised (the SDM leaves it alone then; QEMU writes it). */
STUB(u_fadd, ".byte 0xd8, 0xc1");
STUB(u_fdiv, ".byte 0xd8, 0xf1");
STUB(u_fcom, ".byte 0xd8, 0xd1");
STUB(u_fucom, ".byte 0xdd, 0xe1");
STUB(u_fcomi, ".byte 0xdb, 0xf1");

static void run_unmasked(const char *name, const char *op, int gen, int store, int swpol, int fl, int pc) {
  struct tally t;
  tally_begin(&t, name);
  for (int i = 0; i < CASES / 2; i++) {
    f80 a, b, r0, r1;
    u16 unm = 0, sw1, sw2, sw3;
    while (!unm) unm = (u16)((pick(2) ? IE : 0) | (pick(2) ? ZE : 0) | (pick(2) ? PE : 0));
    u16 cw = (u16)(gen_cw() & ~unm), cwm = (u16)(cw | 0x3f);
    if (pc == 64) cw |= 0x300;
    gen_pair(&a, &b);
    if (gen == G_INT) a = gen_int_operand();
    for (int k = 0; k < 16; k++) xmem[k] = 0xa5;
    xfl_in = (rnd() & ARITH) | 2;
    caught_vec = 0xff;
    caught_eip = 0;
    u32 at;
    __asm__ volatile("fninit\n\tfldcw %0\n\tfldt %1\n\tfldt %2" : : "m"(cw), "m"(b), "m"(a) : "memory");
    __asm__ volatile("call *%0" : : "r"(op) : "eax", "ecx", "edx", "memory", "cc");
    __asm__ volatile("fnstsw %0" : "=m"(sw1) : : "memory");
    __asm__ volatile("movl $1f, recover_eip\n\tmovl $0f, %0\n0:\tfwait\n1:" : "=m"(at) : : "memory");
    __asm__ volatile("fnstsw %0\n\tfnclex\n\tfnstsw %1\n\tfldcw %2" : "=m"(sw2), "=m"(sw3) : "m"(cwm) : "memory");
    __asm__ volatile("fstpt %0\n\tfstpt %1" : "=m"(r0), "=m"(r1) : : "memory");
    /* C1 ("rounded up", which QEMU does not report) outlives fnclex */
    if (sw1 & PE) sw2 &= (u16)~C1, sw3 &= (u16)~C1;
    int faulted = (sw1 & ~cw & (IE | ZE)) != 0;
    u32 vec = caught_vec, eip = vec == 0xff ? 0 : caught_eip - at;
    u32 flo = faulted ? 0 : xfl_out & (fl == FL_ZPC ? ZF | PF | CF : ARITH);
    fold(&t, cw);
    fold80(&t, &a);
    fold80(&t, &b);
    fold(&t, swmask(sw1, swpol));
    fold(&t, vec);
    fold(&t, eip);
    fold(&t, swmask(sw2, swpol));
    fold(&t, swmask(sw3, swpol));
    fold(&t, flo);
    if (!faulted) {
      fold80(&t, &r0);
      fold80(&t, &r1);
      if (store) fold(&t, rd32(xmem));
    }
    t.n++;
    if (verbose) {
      printf("%s cw=%04x", name, cw);
      p80(&a);
      p80(&b);
      printf(" -> sw=%04x vec=%x eip=+%x sw=%04x %04x", swmask(sw1, swpol), vec, eip, swmask(sw2, swpol),
             swmask(sw3, swpol));
      if (faulted) {
        printf(" (destination not compared)\n");
        continue;
      }
      p80(&r0);
      p80(&r1);
      if (store) printf(" m=%08x", rd32(xmem));
      if (fl == FL_ZPC) printf(" fl=%03x", flo);
      printf("\n");
    }
  }
  tally_end(&t);
}

/* ---- environment images ----
 * Stub: fldt xref (a non-control instruction with a memory operand), one
 * instruction Y, then fnstenv/fnsave (32- or 16-bit operand size) to xenv.
 * FIP is compared relative to the stub (0: Y is a control instruction and
 * did not move it; 6: Y did), FDP relative to xref when Y has a memory
 * operand or is a control instruction (the SDM leaves it undefined after a
 * register-only one), FCS and FDS as selectors. Masked: the opcode field
 * and the reserved upper halves of the 32-bit image (QEMU stores 0 in
 * both, Intel CPUs the opcode and 0xffff). */
#define ENVSTUB(name, y, save) \
  extern char name[];          \
  __asm__(".text\n\t.p2align 5\n" #name ":\n\tfldt xref\n\t" y "\n\t" save " xenv\n\tret\n")
#define ENVSTUBS(tag, y)                        \
  ENVSTUB(e32_##tag, y, "fnstenv");             \
  ENVSTUB(e16_##tag, y, ".byte 0x66\n\tfnstenv"); \
  ENVSTUB(s32_##tag, y, "fnsave");              \
  ENVSTUB(s16_##tag, y, ".byte 0x66\n\tfnsave")

enum { Y_CONTROL, Y_REG, Y_MEM };
ENVSTUBS(fadds, "fadds xmem");
ENVSTUBS(ds_fadds, ".byte 0x3e\n\tfadds xmem");
ENVSTUBS(fadd, ".byte 0xd8, 0xc1");
ENVSTUBS(fld1, "fld1");
ENVSTUBS(fxch, ".byte 0xd9, 0xc9");
ENVSTUBS(fstps, "fstps xmem");
ENVSTUBS(fildl, "fildl xmem");
ENVSTUBS(fstpt, "fstpt xmem");
ENVSTUBS(ffree, ".byte 0xdd, 0xc3");
ENVSTUBS(fincstp, "fincstp");
ENVSTUBS(fldcw, "fldcw xcw");
ENVSTUBS(fnstcw, "fnstcw xmem");
ENVSTUBS(fnstsw_m16, "fnstsw xmem");
ENVSTUBS(fdecstp, "fdecstp");
ENVSTUBS(fnclex, "fnclex");
ENVSTUBS(fwait, "fwait");

#define Y(tag, kind) {#tag, {e32_##tag, e16_##tag, s32_##tag, s16_##tag}, kind}
static const struct {
  const char *name;
  const char *stub[4];
  u8 kind;
} ys[] = {
    Y(fadds, Y_MEM), Y(ds_fadds, Y_MEM), Y(fadd, Y_REG), Y(fld1, Y_REG), Y(fxch, Y_REG), Y(fdecstp, Y_REG),
    Y(fstps, Y_MEM), Y(fildl, Y_MEM), Y(fstpt, Y_MEM), Y(ffree, Y_REG), Y(fincstp, Y_REG),
    Y(fldcw, Y_CONTROL), Y(fnstcw, Y_CONTROL), Y(fnstsw_m16, Y_CONTROL), Y(fnclex, Y_CONTROL), Y(fwait, Y_CONTROL),
};

/* The fields of an fnstenv/fnsave image, 32- or 16-bit: cw sw tw fip fcs fdp fds. */
static void env_fields(const u8 *e, int wide, u32 *f) {
  for (int k = 0; k < 7; k++) f[k] = wide ? rd32(e + 4 * k) : rd16(e + 2 * k);
  for (int k = 0; k < 7; k++)
    if (k != 3 && k != 5) f[k] &= 0xffff;
  if (!wide) f[3] &= 0xffff, f[5] &= 0xffff;
}

/* Registers of an fnsave image (ST order) whose tag is not empty. */
static void fold_regs(struct tally *t, const u8 *regs, u32 sw, u32 tw) {
  for (int k = 0; k < 8; k++) {
    u32 p = ((sw >> 11) + (u32)k) & 7;
    if ((tw >> (2 * p) & 3) == 3) continue;
    const u8 *r = regs + 10 * k;
    fold(t, rd32(r));
    fold(t, rd32(r + 4));
    fold(t, rd16(r + 8));
  }
}

static void p_regs(const u8 *regs, u32 sw, u32 tw) {
  for (int k = 0; k < 8; k++) {
    u32 p = ((sw >> 11) + (u32)k) & 7;
    const u8 *r = regs + 10 * k;
    if ((tw >> (2 * p) & 3) == 3)
      printf(" -");
    else
      printf(" %04x:%08x%08x", rd16(r + 8), rd32(r + 4), rd32(r));
  }
}

/* v: 0 fnstenv, 1 data16 fnstenv, 2 fnsave, 3 data16 fnsave */
static void run_envsave(const char *name, int v) {
  struct tally t;
  tally_begin(&t, name);
  int wide = !(v & 1), save = v >= 2;
  u32 mask = wide ? ~0u : 0xffff;
  for (int i = 0; i < 512; i++) {
    u32 y = pick(sizeof ys / sizeof ys[0]), d = 1 + pick(6);
    u16 cw = gen_cw(), post[2];
    f80 in[6];
    for (u32 k = 0; k < d; k++) in[k] = gen_f80();
    xref = gen_f80();
    xcw = cw;
    for (int k = 0; k < 32; k++) xmem[k] = 0;
    xmem[2] = 0x80, xmem[3] = 0x3f; /* 1.0f */
    for (int k = 0; k < 128; k++) xenv[k] = 0xa5;
    const char *stub = ys[y].stub[v];
    __asm__ volatile("fninit\n\tfldcw %0" : : "m"(cw) : "memory");
    for (int k = (int)d - 1; k >= 0; k--) __asm__ volatile("fldt %0" : : "m"(in[k]) : "memory");
    __asm__ volatile("call *%0" : : "r"(stub) : "eax", "ecx", "edx", "memory", "cc");
    /* fnsave leaves the FPU as fninit does */
    __asm__ volatile("fnstcw %0\n\tfnstsw %1\n\tfnstenv xenv2\n\tfninit" : "=m"(post[0]), "=m"(post[1]) : : "memory");
    u32 f[7];
    env_fields(xenv, wide, f);
    u32 fip = (f[3] - (u32)stub) & mask;
    int fdp_defined = ys[y].kind != Y_REG;
    u32 fdp = fdp_defined ? (f[5] - (u32)&xref) & mask : 0, fds = fdp_defined ? f[6] : 0;
    u32 sw = swmask((u16)f[1], SW_ARITH);
    fold(&t, cw);
    fold(&t, y);
    fold(&t, d);
    for (u32 k = 0; k < d; k++) fold80(&t, &in[k]);
    fold80(&t, &xref);
    fold(&t, f[0]);
    fold(&t, sw);
    fold(&t, f[2]);
    fold(&t, fip);
    fold(&t, f[4]);
    fold(&t, fdp);
    fold(&t, fds);
    const u8 *regs = xenv + (wide ? 28 : 14);
    if (save) {
      fold_regs(&t, regs, f[1], f[2]);
      fold(&t, post[0]);
      fold(&t, swmask(post[1], SW_CC));
      fold(&t, rd16(xenv2 + 8));
    }
    t.n++;
    if (verbose) {
      printf("%s %s d=%u cw=%04x -> cw=%04x sw=%04x tw=%04x fip=+%x fcs=%x", name, ys[y].name, d, cw, f[0], sw,
             f[2], fip, f[4]);
      if (fdp_defined) printf(" fdp=xref+%x fds=%x", fdp, fds);
      if (save) {
        p_regs(regs, f[1], f[2]);
        printf(" then cw=%04x sw=%04x tw=%04x", post[0], swmask(post[1], SW_CC), rd16(xenv2 + 8));
      }
      printf("\n");
    }
  }
  tally_end(&t);
}

/* fldenv/frstor of a random image, stored back at once with the same
 * operand size. Before it all eight registers hold known values (fldenv
 * loads no register; the tags stored are recomputed from the contents).
 * The image's FIP/FDP are not compared (QEMU does not load them). */
extern char l_env32[], l_env16[], l_rstor32[], l_rstor16[];
__asm__(".text\n\t.p2align 5\nl_env32:\n\tfldenv xenv\n\tfnstenv xenv2\n\tret\n"
        "\t.p2align 5\nl_env16:\n\t.byte 0x66\n\tfldenv xenv\n\t.byte 0x66\n\tfnstenv xenv2\n\tret\n"
        "\t.p2align 5\nl_rstor32:\n\tfrstor xenv\n\tfnsave xenv2\n\tret\n"
        "\t.p2align 5\nl_rstor16:\n\t.byte 0x66\n\tfrstor xenv\n\t.byte 0x66\n\tfnsave xenv2\n\tret\n");

static void run_envload(const char *name, int v) {
  struct tally t;
  tally_begin(&t, name);
  int wide = !(v & 1), rstor = v >= 2;
  static const char *const stubs[4] = {l_env32, l_env16, l_rstor32, l_rstor16};
  for (int i = 0; i < 512; i++) {
    f80 fill[8];
    for (int k = 0; k < 8; k++) fill[k] = gen_f80();
    for (int k = 0; k < 128; k++) xenv[k] = (u8)rnd(), xenv2[k] = 0xa5;
    /* every exception masked and none pending (ES and B clear) */
    u32 cw = gen_cw(), sw = rnd() & 0x7f7f, tw = rnd() & 0xffff;
    if (wide) {
      xenv[0] = (u8)cw, xenv[1] = (u8)(cw >> 8), xenv[4] = (u8)sw, xenv[5] = (u8)(sw >> 8);
      xenv[8] = (u8)tw, xenv[9] = (u8)(tw >> 8);
    } else {
      xenv[0] = (u8)cw, xenv[1] = (u8)(cw >> 8), xenv[2] = (u8)sw, xenv[3] = (u8)(sw >> 8);
      xenv[4] = (u8)tw, xenv[5] = (u8)(tw >> 8);
    }
    u8 *regs = xenv + (wide ? 28 : 14);
    for (int k = 0; k < 8; k++) {
      f80 r = gen_f80();
      for (int j = 0; j < 10; j++) regs[10 * k + j] = ((u8 *)&r)[j];
    }
    __asm__ volatile("fninit" : : : "memory");
    for (int k = 7; k >= 0; k--) __asm__ volatile("fldt %0" : : "m"(fill[k]) : "memory");
    __asm__ volatile("call *%0\n\tfninit" : : "r"(stubs[v]) : "eax", "ecx", "edx", "memory", "cc");
    u32 f[7];
    env_fields(xenv2, wide, f);
    fold(&t, cw);
    fold(&t, sw);
    fold(&t, tw);
    for (int k = 0; k < 8; k++) fold80(&t, &fill[k]);
    if (rstor) fold_regs(&t, regs, sw, 0);
    fold(&t, f[0]);
    fold(&t, f[1]);
    fold(&t, f[2]);
    const u8 *out = xenv2 + (wide ? 28 : 14);
    if (rstor) fold_regs(&t, out, f[1], f[2]);
    t.n++;
    if (verbose) {
      printf("%s cw=%04x sw=%04x tw=%04x", name, cw, sw, tw);
      if (rstor) p_regs(regs, sw, 0);
      printf(" -> cw=%04x sw=%04x tw=%04x", f[0], f[1], f[2]);
      if (rstor) p_regs(out, f[1], f[2]);
      printf("\n");
    }
  }
  tally_end(&t);
}

static int has_word(const char *s, const char *w) {
  for (; *s; s++) {
    const char *a = s, *b = w;
    while (*b && *a == *b) a++, b++;
    if (!*b && (*a == 0 || *a == ' ') && (s == rt_cmdline || s[-1] == ' ')) return 1;
  }
  return 0;
}

static void sdm_checks(void);

int main(void) {
  crc_init();
  rnd_seed(0x387u);
  /* CR0: no emulation (EM=0), not switched (TS=0); MP=1, and NE=1 so that
   * an unmasked exception is reported as #MF (vector 16). */
  u32 cr0;
  __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
  if (cr0 & 4) printf("CR0.EM was set\n");
  cr0 = (cr0 & ~0xcu) | 0x22;
  __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
  idt_install();
  u16 sw, cw;
  __asm__ volatile("fninit\n\tfnstsw %0\n\tfnstcw %1\n\tfnstenv xenv" : "=m"(sw), "=m"(cw) : : "memory");
  printf("fninit sw=%04x cw=%04x tw=%04x\n", sw, cw, rd16(xenv + 8));

  for (unsigned k = 0; k < sizeof forms / sizeof forms[0]; k++) run_form(&forms[k]);

  run_unmasked("unmasked_fadd", u_fadd, G_PAIR, 0, SW_ARITH, FL_SAME, 24);
  run_unmasked("unmasked_fdiv", u_fdiv, G_PAIR, 0, SW_ARITH, FL_SAME, 24);
  run_unmasked("unmasked_fsqrt", s_fsqrt, G_PAIR, 0, SW_ARITH, FL_SAME, 24);
  run_unmasked("unmasked_frndint", s_frndint, G_INT, 0, SW_ARITH, FL_SAME, 64);
  run_unmasked("unmasked_fcom", u_fcom, G_PAIR, 0, SW_CC, FL_SAME, 24);
  run_unmasked("unmasked_fucom", u_fucom, G_PAIR, 0, SW_CC, FL_SAME, 24);
  run_unmasked("unmasked_fcomi", u_fcomi, G_PAIR, 0, SW_CC, FL_ZPC, 24);
  run_unmasked("unmasked_fist_m32", s_fist_m32, G_INT, 1, SW_ARITH, FL_SAME, 24);

  run_envsave("fnstenv32", 0);
  run_envsave("fnstenv16", 1);
  run_envsave("fnsave32", 2);
  run_envsave("fnsave16", 3);
  run_envload("fldenv32", 0);
  run_envload("fldenv16", 1);
  run_envload("frstor32", 2);
  run_envload("frstor16", 3);

  if (has_word(rt_cmdline, "sdm")) sdm_checks();
  return 0;
}

/* ---- "sdm": what the SDM says where QEMU differs ----
 * Not part of the compared transcript (QEMU fails most of these); for
 * checking an implementation that follows the SDM by hand. */
static void check(const char *name, u32 got, u32 want) {
  printf("sdm %s %s got=%x want=%x\n", name, got == want ? "ok" : "FAIL", got, want);
}
static void check80(const char *name, const f80 *got, const f80 *want) {
  int ok = got->m == want->m && got->se == want->se;
  printf("sdm %s %s got=", name, ok ? "ok" : "FAIL");
  p80(got);
  printf(" want=");
  p80(want);
  printf("\n");
}

static void sdm_checks(void) {
  const f80 nan = mk(0xffff, 3ull << 62), one = mk(0x3fff, 1ull << 63), three = mk(0x4000, 3ull << 62);
  const f80 snan = mk(0x7fff, 1ull << 63 | 1), den = mk(0, 1);
  const u16 cwm = 0x37f;
  u16 sw, cw;
  u32 fl;
  f80 r0, r1;

  /* stack overflow, masked: IE SF C1, TOP decremented, ST(0) the default NaN */
  __asm__ volatile("fninit\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfldpi\n\t"
                   "fnstsw %0\n\tfstpt %1\n\tfninit" : "=m"(sw), "=m"(r0) : : "memory");
  check("push9_sw", sw & (IE | STF | C1 | ES | 0x3800), IE | STF | C1 | 7 << 11);
  check80("push9_st0", &r0, &nan);
  /* stack underflow: an empty source, and fstp of an empty ST(0) */
  __asm__ volatile("fninit\n\tfld1\n\t.byte 0xd8, 0xc1\n\tfnstsw %0\n\tfstpt %1\n\tfninit"
                   : "=m"(sw), "=m"(r0) : : "memory");
  check("empty_src_sw", sw & (IE | STF | C1 | ES), IE | STF);
  check80("empty_src_st0", &r0, &nan);
  __asm__ volatile("fninit\n\tfstpt %1\n\tfnstsw %0\n\tfninit" : "=m"(sw), "=m"(r0) : : "memory");
  check("fstp_empty_sw", sw & (IE | STF | C1 | ES | 0x3800), IE | STF | 1 << 11);
  check80("fstp_empty_m80", &r0, &nan);
  /* unmasked IE: destination and TOP unchanged, also for the pop form */
  cw = 0x37e;
  __asm__ volatile("fninit\n\tfldcw %2\n\tfld1\n\tfldt %3\n\t.byte 0xd8, 0xc1\n\tfnstsw %0\n\tfnclex\n\t"
                   "fldcw %4\n\tfstpt %1\n\tfninit" : "=m"(sw), "=m"(r0) : "m"(cw), "m"(snan), "m"(one) : "memory");
  check("unmasked_ie_sw", sw, BUSY | 6 << 11 | ES | IE);
  check80("unmasked_ie_st0", &r0, &snan);
  __asm__ volatile("fninit\n\tfldcw %3\n\tfld1\n\tfldt %4\n\t.byte 0xde, 0xc1\n\tfnstsw %0\n\tfnclex\n\t"
                   "fldcw %5\n\tfstpt %1\n\tfstpt %2\n\tfninit"
                   : "=m"(sw), "=m"(r0), "=m"(r1) : "m"(cw), "m"(snan), "m"(cwm) : "memory");
  check("unmasked_ie_faddp_top", sw >> 11 & 7, 6);
  check80("unmasked_ie_faddp_st0", &r0, &snan);
  check80("unmasked_ie_faddp_st1", &r1, &one);
  /* unmasked ZE: destination unchanged */
  cw = 0x37b;
  __asm__ volatile("fninit\n\tfldcw %2\n\tfldz\n\tfld1\n\t.byte 0xd8, 0xf1\n\tfnstsw %0\n\tfnclex\n\t"
                   "movw $0x37f, %0\n\tfldcw %0\n\tfstpt %1\n\tfninit" : "=m"(sw), "=m"(r0) : "m"(cw) : "memory");
  check80("unmasked_ze_st0", &r0, &one);
  /* the pending exception is raised by the next waiting x87 instruction */
  caught_vec = 0xff;
  __asm__ volatile("movl $1f, recover_eip\n\tfninit\n\tfldcw %0\n\tfldz\n\tfld1\n\t.byte 0xd8, 0xf1\n\tfld1\n1:\t"
                   "fnclex\n\tfninit" : : "m"(cw) : "memory");
  check("mf_at_next_x87_vector", caught_vec, 16);
  /* fnstenv masks every exception afterwards */
  cw = 0x340;
  __asm__ volatile("fninit\n\tfldcw %1\n\tfnstenv xenv\n\tfnstcw %0\n\tfninit" : "=m"(cw) : "m"(cw) : "memory");
  check("fnstenv_masks", cw, 0x37f);
  /* C1 = rounded up: 1/3 to nearest rounds up */
  __asm__ volatile("fninit\n\tfldt %1\n\tfld1\n\t.byte 0xd8, 0xf1\n\tfnstsw %0\n\tfninit" : "=m"(sw) : "m"(three) : "memory");
  check("c1_round_up", sw & (C1 | PE), C1 | PE);
  /* DE for a denormal operand */
  __asm__ volatile("fninit\n\tfld1\n\tfldt %1\n\t.byte 0xd8, 0xc1\n\tfnstsw %0\n\tfninit" : "=m"(sw) : "m"(den) : "memory");
  check("de_denormal_operand", sw & DE, DE);
  /* fcomi clears OF SF AF */
  __asm__ volatile("fninit\n\tfld1\n\tfldz\n\tpushl $0x893\n\tpopfl\n\t.byte 0xdb, 0xf1\n\tpushfl\n\tpopl %0\n\tfninit"
                   : "=r"(fl) : : "memory", "cc");
  check("fcomi_clears_of_sf_af", fl & (OF | SF | AF), 0);
  /* precision control applies to + - * / sqrt only */
  u64 d = 0x3ff0000000000001ull;
  f80 want = mk(0x3fff, 1ull << 63 | 1ull << 11), big = mk(0x403e, 1ull << 63 | 1), small = mk(0x3fff, 1ull << 63 | 1);
  cw = 0x07f;
  __asm__ volatile("fninit\n\tfldcw %1\n\tfldl %2\n\tfstpt %0\n\tfninit" : "=m"(r0) : "m"(cw), "m"(d) : "memory");
  check80("fld_m64_pc24_exact", &r0, &want);
  __asm__ volatile("fninit\n\tfldcw %1\n\tfldt %2\n\tfrndint\n\tfstpt %0\n\tfninit" : "=m"(r0) : "m"(cw), "m"(big) : "memory");
  check80("frndint_pc24_exact", &r0, &big);
  __asm__ volatile("fninit\n\tfldcw %1\n\tfldt %2\n\tfldt %3\n\tfprem\n\tfstpt %0\n\tfninit"
                   : "=m"(r0) : "m"(cw), "m"(three), "m"(small) : "memory");
  check80("fprem_pc24_exact", &r0, &small);
  /* fprem1 of 7 by 2: remainder -1, quotient 4 (C0 = q2 = 1, C3 = q1 = 0, C1 = q0 = 0) */
  f80 seven = mk(0x4001, 7ull << 61), two = mk(0x4000, 1ull << 63);
  __asm__ volatile("fninit\n\tfldt %1\n\tfldt %2\n\tfprem1\n\tfnstsw %0\n\tfninit" : "=m"(sw) : "m"(two), "m"(seven) : "memory");
  check("fprem1_quotient_bits", sw & (C0 | C1 | C2 | C3), C0);
  u8 bcd[10] = {0x78, 0x56, 0x34, 0x12, 0x90, 0x78, 0x56, 0x34, 0x12, 0};
  want = from_s64(123456789012345678ll, 0);
  __asm__ volatile("fninit\n\tfldcw %1\n\tfbld %2\n\tfstpt %0\n\tfninit" : "=m"(r0) : "m"(cw), "m"(bcd) : "memory");
  check80("fbld_pc24_exact", &r0, &want);
  /* 0.25 + (2^25 + 2): exact, then rounded to 24 bits once: 2^25 + 4 (rounding the
   * operand first, a tie to even, gives 2^25) */
  s32 n = 0x2000002;
  f80 quarter = mk(0x3ffd, 1ull << 63);
  want = mk(0x4018, 0x8000010000000000ull);
  __asm__ volatile("fninit\n\tfldcw %1\n\tfldt %3\n\tfiaddl %2\n\tfstpt %0\n\tfninit"
                   : "=m"(r0) : "m"(cw), "m"(n), "m"(quarter) : "memory");
  check80("fiadd_m32_pc24_rounds_once", &r0, &want);
}
