/* Protected-mode execution beyond flat 32-bit ring 0: a 16-bit code
 * segment (16-bit operands, addressing, near calls and stack under a 32-bit
 * stack segment), SYSENTER/SYSEXIT through the SYSENTER MSRs into ring 3 and
 * back, and the reserved-NOP opcodes. Compared with QEMU. */
#include "rt/rt.h"


/* Results the assembly leaves behind, printed by main. */
u32 r16[8];
u32 sys[8];

/* ---- A 16-bit code segment ------------------------------------------------
 * GDT slot 0x28 is rewritten as a 16-bit code segment whose base is code16,
 * so its offsets are small. The stack stays the 32-bit flat SS, so 16-bit
 * pushes move ESP by 2. Low memory (below 64 KiB) is reachable through DS
 * with 16-bit addresses. */
__asm__(
    ".text\n"
    ".code16\n"
    "code16:\n"
    "  mov $0x7000, %bx\n"
    "  mov $0x0010, %si\n"
    "  movw $0xa55a, (%bx,%si)\n"       /* [bx+si] = 0x7010 */
    "  mov 0x7010, %ax\n"
    "  mov %ax, (%edi)\n"       /* r16 is above 64 KiB: reached through EDI */
    "  mov $0xfff0, %bx\n"
    "  mov $0x7020, %si\n"
    "  movw $0x1234, (%bx,%si)\n"       /* wraps to 0x7010 */
    "  mov 0x7010, %cx\n"
    "  mov %cx, 4(%edi)\n"
    "  mov $0x8000, %eax\n"             /* 0x66: a 32-bit operation in 16-bit code */
    "  shl $16, %eax\n"
    "  add $0xffff, %eax\n"
    "  mov %eax, 8(%edi)\n"
    "  mov %esp, %edx\n"
    "  push $0x4321\n"                  /* 16-bit push: ESP moves by 2 */
    "  sub %esp, %edx\n"
    "  mov %edx, 12(%edi)\n"
    "  call near16\n"                   /* pushes a 16-bit IP */
    "  pop %cx\n"
    "  mov %cx, 16(%edi)\n"
    "  jmp 1f\n"
    "  .fill 200, 1, 0x90\n"
    "1:\n"
    "  mov $-1, %ax\n"
    "  add $1, %ax\n"
    "  pushf\n"
    "  pop %ax\n"
    "  and $0x8d5, %ax\n"
    "  mov %ax, 20(%edi)\n"
    "  lretl\n"                         /* the caller's far call was 32-bit */
    "near16:\n"
    "  mov %esp, %ebp\n"
    "  mov 2(%ebp), %ax\n"       /* the pushed 0x4321 above the return IP */
    "  mov %ax, 24(%edi)\n"
    "  mov 0(%ebp), %ax\n"       /* the return IP, relative to code16 */
    "  mov %ax, 28(%edi)\n"
    "  ret\n"
    "code16_end:\n"
    ".code32\n");
extern char code16[];

static void set_gdt(int slot, u32 base, u32 limit, u32 access, u32 flags) {
  gdt[slot * 2] = (limit & 0xffff) | (base << 16);
  gdt[slot * 2 + 1] = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) |
                      (base & 0xff000000);
}

static void sixteen_bit_code(void) {
  set_gdt(5, (u32)code16, 0xffff, 0x9a, 0x0); /* 0x28: 16-bit code, byte granular */
  __asm__ volatile("lcall $0x28, $0" : : "D"(r16) : "eax", "ebx", "ecx", "edx", "esi", "ebp", "memory", "cc");
  printf("code16 [bx+si]=%x wrapped=%x op32=%x esp-moved=%x pushed=%x flags=%x arg=%x ret-ip=%x\n", r16[0] & 0xffff,
         r16[1] & 0xffff, r16[2], r16[3], r16[4] & 0xffff, r16[5] & 0xffff, r16[6] & 0xffff, r16[7] & 0xffff);
}

/* ---- SYSENTER / SYSEXIT -----------------------------------------------------
 * SYSENTER_CS = 0x30: ring 0 code 0x30, stack 0x38; SYSEXIT to 0x43 / 0x4b.
 * The GDT entries are written to match, as the instructions do not read them. */
static u32 ring3_stack[64];
static u32 ring0_stack[64];
u32 saved_esp;

__asm__(
    ".text\n"
    "sysexit_then_enter:\n"           /* saves ring 0 state, drops to ring 3 */
    "  pusha\n"
    "  mov %esp, saved_esp\n"
    "  mov $ring3_code, %edx\n"
    "  sysexit\n"
    "ring3_code:\n"
    "  mov %cs, %eax\n"
    "  mov %eax, sys + 0\n"
    "  mov %ss, %eax\n"
    "  mov %eax, sys + 4\n"
    "  mov %esp, sys + 8\n"
    "  sysenter\n"
    "ring0_entry:\n"
    "  mov %cs, %eax\n"
    "  mov %eax, sys + 12\n"
    "  mov %ss, %eax\n"
    "  mov %eax, sys + 16\n"
    "  mov %esp, sys + 20\n"
    "  pushf\n"
    "  pop %eax\n"
    "  mov %eax, sys + 24\n"
    "  mov $0x10, %eax\n"
    "  mov %eax, %ss\n"
    "  mov saved_esp, %esp\n"           /* back to the runtime's own selectors */
    "  ljmp $0x08, $1f\n"
    "1:\n"
    "  popa\n"
    "  ret\n");
void sysexit_then_enter(void);
extern char ring0_entry[];

static void wrmsr(u32 n, u32 v) { __asm__ volatile("wrmsr" : : "c"(n), "a"(v), "d"(0)); }
static u32 rdmsr(u32 n) {
  u32 lo, hi;
  __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(n));
  return lo ^ hi;
}

static void sysenter_sysexit(void) {
  set_gdt(6, 0, 0xfffff, 0x9a, 0xc); /* 0x30 ring 0 code */
  set_gdt(7, 0, 0xfffff, 0x92, 0xc); /* 0x38 ring 0 data */
  set_gdt(8, 0, 0xfffff, 0xfa, 0xc); /* 0x40 ring 3 code */
  set_gdt(9, 0, 0xfffff, 0xf2, 0xc); /* 0x48 ring 3 data */
  wrmsr(0x174, 0x30);
  wrmsr(0x175, (u32)&ring0_stack[64] - 4);
  wrmsr(0x176, (u32)ring0_entry);
  printf("msrs %x %x %x\n", rdmsr(0x174), rdmsr(0x175) - (u32)ring0_stack, rdmsr(0x176) - (u32)ring0_entry);
  __asm__ volatile("call sysexit_then_enter" : : "c"((u32)&ring3_stack[60]) : "eax", "edx", "memory", "cc");
  printf("sysexit cs=%x ss=%x esp=+%x\n", sys[0], sys[1], sys[2] - (u32)ring3_stack);
  printf("sysenter cs=%x ss=%x esp=+%x if=%x\n", sys[3], sys[4], sys[5] - (u32)ring0_stack, (sys[6] >> 9) & 1);
}

int main(void) {
  idt_install();
  sixteen_bit_code();
  __asm__ volatile(".byte 0x0f, 0x19, 0x04, 0x24\n\t"          /* reserved NOPs with memory operands */
                   ".byte 0x0f, 0x1e, 0xc0\n\t"
                   ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"
                   ".byte 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00");
  printf("hint-nops ok\n");
  sysenter_sysexit();
  return 0;
}
