/* The register-only forms the plain interpreter runs in its fast path
 * (assembly/cpu/fastpath.ts), compared with QEMU: each form in generated
 * code, with random operands and random arithmetic flags before it (so the
 * flags an instruction keeps are checked too), in both operand directions;
 * jumps and every condition of jcc rel8 and rel32; and instructions that
 * start in the last bytes of a page whose next linear page is mapped to a
 * physical page other than the next one. */
#include "rt/rt.h"

#define P 0x001
#define RW 0x002

static u8 code[4096] __attribute__((aligned(4096)));
/* Paging part: split[0] is mapped at SPLIT_LIN, split[2] at SPLIT_LIN +
 * 0x1000; split[1], physically between them, holds other bytes. */
static u8 split[3][4096] __attribute__((aligned(4096)));
static volatile u32 pd[1024] __attribute__((aligned(4096)));
static volatile u32 pt_low[1024] __attribute__((aligned(4096)));
static volatile u32 pt_split[1024] __attribute__((aligned(4096)));

static volatile u32 in_flags, in_a, in_b, in_d, out_a, out_b, out_d, out_flags;

typedef void (*fn)(void);
static u8 *at;
static void b1(u32 x) { *at++ = (u8)x; }
static void b4(u32 x) { b1(x); b1(x >> 8); b1(x >> 16); b1(x >> 24); }
static void load_from(u32 modrm, volatile u32 *v) { b1(0x8b); b1(modrm); b4((u32)v); }
static void store_to(u32 modrm, volatile u32 *v) { b1(0x89); b1(modrm); b4((u32)v); }

/* Flags and EAX, ECX, EDX from in_*, then the form's bytes, then the
 * registers and flags to out_*. */
static void emit(const u8 *form, u32 len) {
  at = code;
  b1(0xff); b1(0x35); b4((u32)&in_flags); /* push dword [in_flags] */
  b1(0x9d);                                 /* popf */
  load_from(0x05, &in_a);
  load_from(0x0d, &in_b);
  load_from(0x15, &in_d);
  for (u32 i = 0; i < len; i++) b1(form[i]);
  store_to(0x05, &out_a);
  store_to(0x0d, &out_b);
  store_to(0x15, &out_d);
  b1(0x9c);                                 /* pushf */
  b1(0x8f); b1(0x05); b4((u32)&out_flags);  /* pop dword [out_flags] */
  b1(0xc3);
}

static void run_case(struct tally *t, u32 flag_mask) {
  in_flags = (operand() & ARITH) | 2;
  in_a = operand();
  in_b = operand();
  in_d = operand();
  ((fn)code)();
  tally_case(t, in_a, in_b, in_flags, out_a, out_b);
  tally_case(t, in_d, 0, 0, out_d, out_flags & flag_mask);
  if (verbose)
    printf("  a=%x b=%x d=%x f=%x -> %x %x %x %x\n", in_a, in_b, in_d, in_flags, out_a, out_b, out_d,
           out_flags & flag_mask);
}

/* A form with no immediate, run for many operands. */
static void form(const char *name, const u8 *bytes, u32 len, u32 flag_mask) {
  struct tally t;
  tally_begin(&t, name);
  emit(bytes, len);
  for (u32 i = 0; i < 300; i++) run_case(&t, flag_mask);
  tally_end(&t);
}

/* A form whose last four (imm32) or one (imm8) bytes are an immediate,
 * regenerated with a new one for each case. */
static void form_imm(const char *name, const u8 *bytes, u32 len, u32 imm_len, u32 flag_mask) {
  struct tally t;
  tally_begin(&t, name);
  u8 b[8];
  for (u32 i = 0; i < 64; i++) {
    for (u32 k = 0; k < len; k++) b[k] = bytes[k];
    u32 imm = operand();
    for (u32 k = 0; k < imm_len; k++) b[len + k] = (u8)(imm >> (8 * k));
    emit(b, len + imm_len);
    run_case(&t, flag_mask);
  }
  tally_end(&t);
}

/* AF is undefined after the logical operations. */
#define LOGIC_FLAGS (ARITH & ~AF)

static const char *alu_names[8] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};

static void alu_forms(void) {
  char name[32];
  for (u32 op = 0; op < 8; op++) {
    u32 mask = (op == 1 || op == 4 || op == 6) ? LOGIC_FLAGS : ARITH;
    u8 rm_r[2] = {(u8)(op << 3 | 1), 0xc8}; /* op eax, ecx */
    u8 r_rm[2] = {(u8)(op << 3 | 3), 0xc8}; /* op ecx, eax */
    u8 acc[1] = {(u8)(op << 3 | 5)};       /* op eax, imm32 */
    u8 imm32[2] = {0x81, (u8)(0xc1 | op << 3)}; /* op ecx, imm32 */
    u8 imm8[2] = {0x83, (u8)(0xc2 | op << 3)};  /* op edx, imm8 */
    const char *n = alu_names[op];
    u32 k = 0;
    for (const char *s = n; *s; s++) name[k++] = *s;
    name[k] = 0;
    form(n, rm_r, 2, mask);
    name[k] = '\''; name[k + 1] = 0;
    form(name, r_rm, 2, mask);
    name[k] = '#'; name[k + 1] = 0;
    form_imm(name, acc, 1, 4, mask);
    name[k] = '$'; name[k + 1] = 0;
    form_imm(name, imm32, 2, 4, mask);
    name[k] = '%'; name[k + 1] = 0;
    form_imm(name, imm8, 2, 1, mask);
  }
}

static void other_forms(void) {
  static const u8 test_rr[] = {0x85, 0xc8}, mov_rm_r[] = {0x89, 0xc8}, mov_r_rm[] = {0x8b, 0xc8};
  static const u8 inc_eax[] = {0x40}, inc_edx[] = {0x42}, dec_ecx[] = {0x49}, dec_edx[] = {0x4a};
  static const u8 cdq[] = {0x99}, nop[] = {0x90}, mov_imm[] = {0xb9};
  form("test", test_rr, 2, LOGIC_FLAGS);
  form("mov r/m, r", mov_rm_r, 2, ARITH);
  form("mov r, r/m", mov_r_rm, 2, ARITH);
  form("inc eax", inc_eax, 1, ARITH);
  form("inc edx", inc_edx, 1, ARITH);
  form("dec ecx", dec_ecx, 1, ARITH);
  form("dec edx", dec_edx, 1, ARITH);
  form("cdq", cdq, 1, ARITH);
  form("nop", nop, 1, ARITH);
  form_imm("mov ecx, imm", mov_imm, 1, 4, ARITH);
}

/* cmp eax, ecx, then a jump over mov ecx, 1: ECX says whether it was taken. */
static void jumps(void) {
  char name[16] = "jcc8 x";
  for (u32 cc = 0; cc < 16; cc++) {
    name[5] = "0123456789abcdef"[cc];
    u8 short_form[] = {0x39, 0xc8, (u8)(0x70 | cc), 5, 0xb9, 1, 0, 0, 0};
    form(name, short_form, sizeof short_form, ARITH);
  }
  char name32[16] = "jcc32 x";
  for (u32 cc = 0; cc < 16; cc++) {
    name32[6] = "0123456789abcdef"[cc];
    u8 near_form[] = {0x39, 0xc8, 0x0f, (u8)(0x80 | cc), 5, 0, 0, 0, 0xb9, 1, 0, 0, 0};
    form(name32, near_form, sizeof near_form, ARITH);
  }
  static const u8 jmp8[] = {0xeb, 5, 0xb9, 1, 0, 0, 0}, jmp32[] = {0xe9, 5, 0, 0, 0, 0xb9, 1, 0, 0, 0};
  form("jmp rel8", jmp8, sizeof jmp8, ARITH);
  form("jmp rel32", jmp32, sizeof jmp32, ARITH);
}

static void write_cr3(u32 v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }

/* Each form starts k bytes before the end of the page at SPLIT_LIN and ends
 * in the next linear page (split[2]); the bytes physically after it
 * (split[1]) differ, so reading on there would give other results. The
 * code after the form, also in split[2], returns EAX. */
#define SPLIT_LIN 0x40000000u
static u32 run_split(const u8 *form, u32 len, u32 k) {
  for (u32 i = 0; i < 4096; i++) { split[0][i] = 0x90; split[1][i] = 0x90; split[2][i] = 0x90; }
  at = &split[0][4096 - 7 - k];
  b1(0xb8); b4(0x01234567); /* mov eax, 0x01234567 */
  b1(0x85); b1(0xc0);       /* test eax, eax: ZF clear for the jnz */
  for (u32 i = 0; i < len; i++) {
    if (i < k) split[0][4096 - k + i] = form[i];
    else { split[2][i - k] = form[i]; split[1][i - k] = (u8)~form[i]; }
  }
  split[2][len - k] = 0xc3;
  split[1][len - k] = 0xc3;
  return ((u32(*)(void))(SPLIT_LIN + 0x1000 - 7 - k))();
}

static void across_pages(void) {
  for (u32 i = 0; i < 1024; i++) pt_low[i] = (i << 12) | P | RW;
  pd[0] = (u32)pt_low | P | RW;
  pd[SPLIT_LIN >> 22] = (u32)pt_split | P | RW;
  pt_split[0] = (u32)split[0] | P | RW;
  pt_split[1] = (u32)split[2] | P | RW;
  write_cr3((u32)pd);
  u32 cr0;
  __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
  __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | 0x80000000u) : "memory");
  static const u8 add_imm32[] = {0x81, 0xc0, 0x11, 0x22, 0x33, 0x44}; /* add eax, 0x44332211 */
  static const u8 mov_imm32[] = {0xb8, 0x55, 0x66, 0x77, 0x88};       /* mov eax, 0x88776655 */
  static const u8 xor_acc[] = {0x35, 0x0f, 0xf0, 0x0f, 0xf0};         /* xor eax, 0xf00ff00f */
  static const u8 jnz32[] = {0x0f, 0x85, 1, 0, 0, 0, 0x40};           /* jnz +1 over inc eax */
  static const u8 jmp32[] = {0xe9, 1, 0, 0, 0, 0x40};                 /* jmp +1 over inc eax */
  static const u8 sub_rr[] = {0x29, 0xc0};                            /* sub eax, eax */
  static const struct { const char *name; const u8 *b; u32 len; } forms[] = {
    {"add eax, imm32", add_imm32, 6}, {"mov eax, imm32", mov_imm32, 5}, {"xor eax, imm32", xor_acc, 5},
    {"jnz rel32", jnz32, 7}, {"jmp rel32", jmp32, 6}, {"sub eax, eax", sub_rr, 2},
  };
  for (u32 f = 0; f < sizeof forms / sizeof forms[0]; f++) {
    printf("across pages, %s:", forms[f].name);
    u32 last = forms[f].len - 1;
    if (forms[f].b[0] == 0x0f || forms[f].b[0] == 0xe9) last--; /* the inc after the jump stays whole */
    for (u32 k = 1; k <= last; k++) printf(" %x", run_split(forms[f].b, forms[f].len, k));
    printf("\n");
  }
}

int main(void) {
  rnd_seed(0x5eed0fa5);
  alu_forms();
  other_forms();
  jumps();
  across_pages();
  return 0;
}
