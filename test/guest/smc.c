/* Code that changes under the CPU, compared with QEMU: what the decoded-block
 * cache must notice. Stores into the block that is running (ahead of and
 * behind the store), code patched between calls, code copied with rep movsb,
 * an instruction across a page boundary, code pages remapped by CR3 loads
 * and by a PTE change, a write through one alias of a page executed through
 * another, and faults in the middle of straight-line code (registers and
 * flags as they were before the faulting instruction). */
#include "rt/rt.h"

#define P 0x001
#define RW 0x002

static u8 code[3][4096] __attribute__((aligned(4096)));
static volatile u32 pd_a[1024] __attribute__((aligned(4096)));
static volatile u32 pd_b[1024] __attribute__((aligned(4096)));
static volatile u32 pt_low[1024] __attribute__((aligned(4096)));
static volatile u32 pt_a[1024] __attribute__((aligned(4096)));
static volatile u32 pt_b[1024] __attribute__((aligned(4096)));

typedef u32 (*fn)(void);
static u8 *at;
static void b1(u32 x) { *at++ = (u8)x; }
static void b4(u32 x) { b1(x); b1(x >> 8); b1(x >> 16); b1(x >> 24); }
static u32 call(const void *p) { return ((fn)p)(); }

static void write_cr3(u32 v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static void invlpg(u32 a) { __asm__ volatile("invlpg (%0)" : : "r"(a) : "memory"); }

/* mov dword [target + 1], 0x22222222 rewrites the mov eax that follows it. */
static void store_ahead(void) {
  at = code[0];
  b1(0xc7); b1(0x05);
  u8 *addr = at;
  b4(0); b4(0x22222222);
  b1(0x90);
  u8 *target = at;
  b1(0xb8); b4(0x11111111);
  b1(0xc3);
  *(u32 *)addr = (u32)(target + 1);
  printf("store ahead in the running block: %x\n", call(code[0]));
  printf("the same block again: %x\n", call(code[0]));
}

/* A loop that adds its own immediate to EAX and then increments that
 * immediate (add byte [imm], 1): each pass runs the code the last one made. */
static void store_behind(void) {
  at = code[0] + 0x100;
  b1(0x31); b1(0xc0);                 /* xor eax, eax */
  b1(0xb9); b4(200);                  /* mov ecx, 200 */
  u8 *loop = at;
  b1(0x83); b1(0xc0); b1(0x01);       /* add eax, 1 (imm8, sign-extended) */
  b1(0x80); b1(0x05); b4((u32)(loop + 2)); b1(0x01); /* add byte [loop + 2], 1 */
  b1(0x49);                           /* dec ecx */
  b1(0x75); b1((u32)(loop - (at + 1))); /* jnz loop */
  b1(0xc3);
  printf("a loop rewriting its own immediate: %x\n", call(code[0] + 0x100));
}

/* mov eax, imm32 ; ret, called 1000 times with the immediate changed by
 * ordinary C stores between the calls. */
static void patch_between_calls(void) {
  u8 *f = code[0] + 0x200;
  at = f;
  b1(0xb8); b4(0);
  b1(0xc3);
  u32 sum = 0;
  for (u32 i = 0; i < 1000; i++) {
    *(volatile u32 *)(f + 1) = i * 7 + 3;
    sum = sum * 31 + call(f);
  }
  printf("patched between 1000 calls: %x\n", sum);
}

/* Two routines copied over each other with rep movsb. */
static void copy_with_movs(void) {
  static const u8 one[] = { 0xb8, 0x01, 0x00, 0x00, 0x00, 0x05, 0x10, 0x00, 0x00, 0x00, 0xc3 }; /* mov eax,1; add eax,16; ret */
  static const u8 two[] = { 0xb8, 0x02, 0x00, 0x00, 0x00, 0xc1, 0xe0, 0x04, 0xc3 };             /* mov eax,2; shl eax,4; ret */
  u32 r[4];
  for (int i = 0; i < 4; i++) {
    const u8 *src = i & 1 ? two : one;
    u32 n = i & 1 ? sizeof two : sizeof one;
    void *dst = code[0] + 0x300;
    __asm__ volatile("rep movsb" : "+S"(src), "+D"(dst), "+c"(n) : : "memory");
    r[i] = call(code[0] + 0x300);
  }
  printf("copied with rep movsb: %x %x %x %x\n", r[0], r[1], r[2], r[3]);
}

/* mov eax, imm32 whose immediate ends in the next page; then the part in
 * the next page is changed. */
static void across_pages(void) {
  u8 *f = code[1] - 3;
  at = code[0] + 0x400;
  b1(0x31); b1(0xc0); /* xor eax, eax: a block of its own before the split one */
  b1(0xe9); b4((u32)(f - (at + 4)));
  u8 *start = code[0] + 0x400;
  at = f;
  b1(0xb8); b4(0x44332211);
  b1(0xc3);
  u32 first = call(start);
  code[1][0] = 0x99;
  code[1][1] = 0x88;
  u32 second = call(start);
  printf("an instruction across two pages: %x %x\n", first, second);
}

/* A dword store that starts below a 256-byte boundary (no code there) and
 * ends in the first bytes of a routine that starts at it: the store must
 * be seen as a write to code (wasm386 tracks code in 256-byte pieces). */
static void across_granules(void) {
  u8 *f = code[0] + 0x600;
  at = f;
  b1(0xb8); b4(0x11111111); b1(0xc3);
  u32 first = call(f);
  *(volatile u32 *)(f - 2) = 0x22b89090; /* nop, nop, then mov eax with a new low byte */
  u32 second = call(f);
  printf("a store across a 256-byte boundary into code: %x %x\n", first, second);
}

/* Linear 0x40000000 runs code[1] under pd_a and code[2] under pd_b;
 * 0x40001000 is code[2] under pd_a too (an alias). */
#define CODE_LIN 0x40000000u
static void paging(void) {
  for (u32 i = 0; i < 1024; i++) pt_low[i] = (i << 12) | P | RW;
  pd_a[0] = (u32)pt_low | P | RW;
  pd_b[0] = (u32)pt_low | P | RW;
  pd_a[CODE_LIN >> 22] = (u32)pt_a | P | RW;
  pd_b[CODE_LIN >> 22] = (u32)pt_b | P | RW;
  pt_a[0] = (u32)code[1] | P | RW;
  pt_a[1] = (u32)code[2] | P | RW;
  pt_b[0] = (u32)code[2] | P | RW;
  at = code[1]; b1(0xb8); b4(0xaaaa0001); b1(0xc3);
  at = code[2]; b1(0xb8); b4(0xbbbb0002); b1(0xc3);
  write_cr3((u32)pd_a);
  u32 cr0;
  __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
  __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | 0x80000000u) : "memory");
  u32 r[8];
  r[0] = call((void *)CODE_LIN);
  write_cr3((u32)pd_b);
  r[1] = call((void *)CODE_LIN);
  write_cr3((u32)pd_a);
  r[2] = call((void *)CODE_LIN);
  /* write code[2] through its alias under pd_a, run it under pd_b */
  *(volatile u32 *)(CODE_LIN + 0x1000 + 1) = 0xcccc0003;
  r[3] = call((void *)(CODE_LIN + 0x1000));
  write_cr3((u32)pd_b);
  r[4] = call((void *)CODE_LIN);
  /* the same linear page pointed elsewhere by its PTE and INVLPG */
  write_cr3((u32)pd_a);
  r[5] = call((void *)CODE_LIN);
  pt_a[0] = (u32)code[2] | P | RW;
  invlpg(CODE_LIN);
  r[6] = call((void *)CODE_LIN);
  pt_a[0] = (u32)code[1] | P | RW;
  invlpg(CODE_LIN);
  r[7] = call((void *)CODE_LIN);
  printf("CR3 and PTE changes: %x %x %x %x %x %x %x %x\n", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
}

/* A fault in the middle of straight-line code: the registers the earlier
 * instructions changed, and the flags of the last flag-setting one, are
 * what the handler sees, EIP is the faulting instruction's, and nothing
 * after it has run. Paging is on; 0x40002000 is not present. */
#define MIDWAY(name, before, faulting, after, err_mask)                                        \
  do {                                                                                         \
    u32 esi, edi, flags, fault_at;                                                             \
    caught_vec = 0xff;                                                                         \
    __asm__ volatile("movl $1f, recover_eip\n\tmovl $0f, %[at]\n\tmov $0x40002000, %%ecx\n\t"  \
                     "mov $5, %%esi\n\tmov $0x7fffffff, %%edi\n\t" before "\n0:\n\t" faulting \
                     "\n\t" after "\n1:\n\tpushf\n\tpop %[flags]\n"                            \
                     : [at] "=m"(fault_at), [flags] "=r"(flags), "=S"(esi), "=D"(edi)         \
                     :                                                                         \
                     : "eax", "ecx", "memory", "cc");                                          \
    printf("fault midway, %s: vec=%x err=%x cr2=%x eip %s esi=%x edi=%x flags=%x\n", name,     \
           caught_vec, caught_err & err_mask, caught_cr2,                                      \
           caught_eip == fault_at ? "at the fault" : "elsewhere", esi, edi, flags & ARITH);    \
  } while (0)

/* The read-modify-write line masks the error code's W bit: QEMU reads
 * first and reports a read (0); wasm386, like Bochs, checks the operand for
 * writing before it reads it (so the write cannot fault after the flags
 * changed) and reports a write (2). The SDM does not say which. */
static void fault_midway(void) {
  MIDWAY("load", "add $3, %%esi\n\tadd $1, %%edi", "mov (%%ecx), %%eax", "add $1, %%esi", ~0u);
  MIDWAY("store", "inc %%esi\n\tsub %%esi, %%edi", "mov %%esi, (%%ecx)", "add $1, %%esi", ~0u);
  MIDWAY("read-modify-write", "shl $2, %%esi\n\tneg %%edi", "add %%esi, (%%ecx)", "add $1, %%esi", ~2u);
  MIDWAY("compare then load", "add $3, %%esi\n\tcmp %%esi, %%edi", "movzbl (%%ecx), %%eax", "xor %%esi, %%esi", ~0u);
  MIDWAY("byte compare", "or $0x80, %%esi\n\tdec %%edi", "cmpb $1, (%%ecx)", "add $1, %%edi", ~0u);
  MIDWAY("call through memory", "add %%esi, %%edi", "call *(%%ecx)", "nop", ~0u);
  MIDWAY("flags unseen before the load", "add $1, %%esi\n\txor %%edi, %%esi\n\tsub $9, %%edi", "mov 4(%%ecx), %%eax",
         "add %%edi, %%esi", ~0u);
}

int main(void) {
  idt_install();
  store_ahead();
  store_behind();
  patch_between_calls();
  copy_with_movs();
  across_pages();
  across_granules();
  paging();
  fault_midway();
  return 0;
}
