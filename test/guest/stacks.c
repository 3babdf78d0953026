/* Stacks of different sizes meeting: pop ss with a 32-bit operand from a
 * 16-bit stack into a 32-bit one and back (ESP steps by the old stack's
 * size), and enter with an operand size other than the stack's (the frame
 * pointer at full width, the stack's size for addresses and the final
 * ESP), with nesting levels; popf and iret on a 16-bit stack that
 * wraps. ESP's top half is set where a 16-bit stack
 * ignores it, and the pushes sit where the 16-bit offset wraps. Compared
 * with QEMU. */
#include "rt/rt.h"

static u8 stk16[0x10000];                                      /* SS 0x28: base stk16, 16-bit */
static u8 big[0x20000] __attribute__((aligned(0x10000)));      /* flat stack space */
u32 saved_esp, saved_ebp, out_esp, out_ebp, in_esp, in_ebp;

static void set_gdt(int slot, u32 base, u32 limit, u32 access, u32 flags) {
  gdt[slot * 2] = (limit & 0xffff) | (base << 16);
  gdt[slot * 2 + 1] = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) |
                      (base & 0xff000000);
}

/* Runs the instructions with SS:ESP = ss:in_esp and EBP = in_ebp, then
 * records ESP and EBP and goes back to the flat stack. */
#define ON_STACK(ss, insns)                                                     \
  __asm__ volatile("mov %%esp, saved_esp\n\t"                                   \
                   "mov %%ebp, saved_ebp\n\t"                                   \
                   "mov $" #ss ", %%ax\n\t"                                     \
                   "mov %%ax, %%ss\n\t"                                         \
                   "mov in_esp, %%esp\n\t"                                      \
                   "mov in_ebp, %%ebp\n\t" insns "\n\t"                         \
                   "mov %%esp, out_esp\n\t"                                     \
                   "mov %%ebp, out_ebp\n\t"                                     \
                   "mov $0x10, %%ax\n\t"                                        \
                   "mov %%ax, %%ss\n\t"                                         \
                   "mov saved_esp, %%esp\n\t"                                   \
                   "mov saved_ebp, %%ebp"                                       \
                   :                                                            \
                   :                                                            \
                   : "eax", "memory", "cc")

static u32 word16(u32 sp) { return stk16[sp & 0xffff] | (stk16[(sp + 1) & 0xffff] << 8); }
static u32 dword16(u32 sp) { return word16(sp) | (word16(sp + 2) << 16); }

static void pop_ss(void) {
  /* 16-bit stack, SP 0: the push wraps to 0xfffc, the pop steps SP back to
   * 0 by the 16-bit stack's rule; ESP's top half stays. */
  in_esp = 0xabcd0000;
  in_ebp = 0;
  ON_STACK(0x28, "pushl $0x10\n\tpopl %%ss");
  printf("pop ss 16->32: esp=%x\n", out_esp);
  /* 32-bit stack at a 64 KiB boundary less 4, into the 16-bit segment:
   * ESP steps by 4 across the boundary (the old, 32-bit stack's rule). */
  in_esp = (u32)big + 0x10000;
  ON_STACK(0x10, "pushl $0x28\n\tpopl %%ss");
  printf("pop ss 32->16: esp-big=%x\n", out_esp - (u32)big);
  /* The same with a 16-bit operand. */
  in_esp = 0xabcd0000;
  ON_STACK(0x28, "pushw $0x10\n\tpopw %%ss");
  printf("pop ss o16 16->32: esp=%x\n", out_esp);
  /* pop ds with a 32-bit operand on a 16-bit stack wrapping. */
  in_esp = 0x12340000;
  ON_STACK(0x28, "pushl $0x10\n\tpopl %%ds");
  printf("pop ds 16: esp=%x\n", out_esp);
}

/* popf and iret with 32-bit operands on a 16-bit stack whose SP wraps to 0
 * as they pop: SP steps by the operand, ESP's top half stays. */
u32 out_flags;
static void pops_on_16(void) {
  in_esp = 0xabcd0000;
  in_ebp = 0;
  ON_STACK(0x28, "pushl $0x893\n\tpopfl\n\tpushfl\n\tpopl %%eax\n\tmov %%eax, out_flags");
  printf("popfl on 16: esp=%x flags=%x\n", out_esp, out_flags & 0x8d5);
  ON_STACK(0x28, "pushw $0x8c1\n\tpopfw\n\tpushfl\n\tpopl %%eax\n\tmov %%eax, out_flags");
  printf("popfw on 16: esp=%x flags=%x\n", out_esp, out_flags & 0x8d5);
  ON_STACK(0x28, "pushl $0x8d5\n\tpushl $0x08\n\tpushl $1f\n\tiretl\n1:\n\tpushfl\n\tpopl %%eax\n\tmov %%eax, out_flags");
  printf("iretl on 16: esp=%x flags=%x\n", out_esp, out_flags & 0x8d5);
}

static void enter_frames(void) {
  for (u32 i = 0; i < sizeof stk16; i++) stk16[i] = (u8)(i * 7 + 3);
  /* 32-bit operand on the 16-bit stack: the frame pointer keeps ESP's top
   * half, the pushes wrap at 64 KiB, the final ESP changes SP only. */
  for (u32 level = 0; level < 4; level++) {
    in_esp = 0xabcd0000;
    in_ebp = 0x5678f000;
    if (level == 0) ON_STACK(0x28, ".byte 0xc8, 0x20, 0x00, 0 /* enterl $0x20, $0 */");
    if (level == 1) ON_STACK(0x28, ".byte 0xc8, 0x20, 0x00, 1 /* enterl $0x20, $1 */");
    if (level == 2) ON_STACK(0x28, ".byte 0xc8, 0x20, 0x00, 2 /* enterl $0x20, $2 */");
    if (level == 3) ON_STACK(0x28, ".byte 0xc8, 0x20, 0x00, 3 /* enterl $0x20, $3 */");
    printf("enter32 on 16 level %u: esp=%x ebp=%x frame:", level, out_esp, out_ebp);
    for (u32 k = 0; k <= level; k++) printf(" %x", dword16(0xfffc - 4 * k));
    printf("\n");
  }
  /* 16-bit operand on the 16-bit stack with ESP's and EBP's top halves set. */
  in_esp = 0xabcd1000;
  in_ebp = 0x5678f000;
  ON_STACK(0x28, ".byte 0x66, 0xc8, 0x10, 0x00, 2 /* enterw $0x10, $2 */");
  printf("enter16 on 16: esp=%x ebp=%x frame: %x %x %x\n", out_esp, out_ebp, word16(0x0ffe), word16(0x0ffc),
         word16(0x0ffa));
  /* 16-bit operand on the flat 32-bit stack: EBP's top half stays. */
  u16 *w = (u16 *)(big + 0x8000);
  for (u32 i = 0; i < 64; i++) w[i] = (u16)(0x1111 * (i & 15) + i);
  in_esp = (u32)big + 0x8040;
  in_ebp = (u32)big + 0x8020;
  ON_STACK(0x10, ".byte 0x66, 0xc8, 0x08, 0x00, 3 /* enterw $8, $3 */");
  printf("enter16 on 32: esp-big=%x ebp-big=%x frame: %x %x %x %x\n", out_esp - (u32)big, out_ebp - (u32)big,
         w[31], w[30], w[29], w[28]);
}

int main(void) {
  set_gdt(5, (u32)stk16, 0xffff, 0x92, 0x0); /* 0x28: data, 16-bit (B=0), byte granular */
  __asm__ volatile("mov $0x10, %%ax\n\tmov %%ax, %%ds" : : : "eax");
  pop_ss();
  pops_on_16();
  enter_frames();
  return 0;
}
