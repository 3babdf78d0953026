/* Exceptions a program can cause in ring 0 with flat segments: vector,
 * error code and the EIP pushed (the faulting instruction for faults, the
 * next one for traps), compared with QEMU. Vector ff means "no exception";
 * gates 32..255 report 100. */
#include "rt/rt.h"


static u32 scratch[4];
static s32 bounds[2] = {-5, 10};

/* Runs the code in a fresh context; reports the exception and where. The
 * pushed EIP is printed relative to the start of the tested code. */
#define TRY(name, code)                                                                        \
  do {                                                                                         \
    u32 start;                                                                                 \
    caught_vec = 0xff;                                                                         \
    caught_err = 0;                                                                            \
    caught_eip = 0;                                                                            \
    __asm__ volatile("movl $1f, recover_eip\n\tmovl $0f, %0\n0:\n\t" code "\n1:\n"             \
                     : "=m"(start)                                                             \
                     : [s] "r"(scratch), [b] "r"(bounds)                                               \
                     : "eax", "ecx", "edx", "memory", "cc");                                   \
    printf("%s vec=%x err=%x eip=+%x\n", name, caught_vec, caught_err,                         \
           caught_vec == 0xff ? 0 : caught_eip - start);                                       \
  } while (0)

int main(void) {
  idt_install();
  TRY("div-by-zero", "xor %%ecx, %%ecx\n\tdivl %%ecx");
  TRY("idiv-overflow", "mov $0x80000000, %%eax\n\tcltd\n\tmov $-1, %%ecx\n\tidivl %%ecx");
  TRY("div8-overflow", "mov $0x1000, %%eax\n\tmov $2, %%cl\n\tdivb %%cl");
  TRY("aam-zero", ".byte 0xd4, 0x00");
  TRY("ud2", "ud2");
  TRY("0f-ff", ".byte 0x0f, 0xff");
  TRY("lock-nop", ".byte 0xf0, 0x90");
  TRY("lock-add-reg", ".byte 0xf0, 0x01, 0xc0");
  TRY("lock-cmp-mem", "mov %[s], %%eax\n\tlock; .byte 0x39, 0x00" /* cmp [eax], eax: not lockable */);
  TRY("lock-add-mem", "lock addl $1, (%[s])");
  TRY("lock-xchg-mem", "lock xchg %%eax, (%[s])");
  TRY("lock-66-add", "mov %[s], %%eax\n\t.byte 0xf0, 0x66, 0x01, 0x00" /* lock add [eax], ax */);
  TRY("into-taken", "mov $0x7fffffff, %%eax\n\tadd $1, %%eax\n\tinto");
  TRY("into-not-taken", "xor %%eax, %%eax\n\tinto");
  TRY("int3", "int3");
  TRY("int-0x40", "int $0x40");
  TRY("bound-low", "mov $-6, %%eax\n\tbound %%eax, (%[b])");
  TRY("bound-high", "mov $11, %%eax\n\tbound %%eax, (%[b])");
  TRY("bound-inside", "mov $10, %%eax\n\tbound %%eax, (%[b])");
  TRY("15-bytes", ".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x90");
  TRY("16-bytes", ".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x90");
  TRY("16-bytes-imm", ".byte 0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e\n\tmovl $1, %%eax");
  TRY("mov-cs", ".byte 0x8e, 0xc8");
  TRY("lea-reg", ".byte 0x8d, 0xc0");
  TRY("les-reg", ".byte 0xc4, 0xc0");
  TRY("cmpxchg8b-reg", ".byte 0x0f, 0xc7, 0xc8");
  TRY("sysenter-cs-0", "xor %%eax, %%eax\n\txor %%edx, %%edx\n\tmov $0x174, %%ecx\n\twrmsr\n\tsysenter");
  TRY("sysexit-cs-0", "sysexit");
  TRY("rdmsr-sysenter-eip", "mov $0x176, %%ecx\n\trdmsr");
  TRY("null-ss", "xor %%eax, %%eax\n\tmov %%ax, %%ss");
  TRY("ds-beyond-gdt", "mov $0x1000, %%eax\n\tmov %%ax, %%ds");
  TRY("ds-not-present", "mov $0x18, %%eax\n\tmov %%ax, %%ds");
  TRY("null-ds-is-fine", "xor %%eax, %%eax\n\tmov %%ax, %%ds\n\tmov $0x10, %%eax\n\tmov %%ax, %%ds");
  /* Not compared here: a write through a null ES raises #GP(0) on hardware,
   * but QEMU (TCG) does not check null selectors on data accesses. */
  return 0;
}
