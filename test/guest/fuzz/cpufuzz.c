/* CPU fuzzing: random instruction streams, seeded ("seed=N" on the command
 * line). "ring=3": each block is 4 KiB of random bytes run in ring 3 with
 * interrupts on, in code and data segments confined to 64 KiB at FUZZ_BASE;
 * every vector is caught (idt.S) and a 1 kHz timer ends blocks that loop.
 * "ring=0": the same bytes run in ring 0, where they can wreck anything;
 * the host then sees a triple fault or a hang and starts over. Counts of
 * the vectors that ended blocks are printed every 100 blocks. */
#include "rt/rt.h"

#define FUZZ_BASE 0x400000
#define RING0_CODE 0x500000

static u32 counts[257];
static u32 state = 1;

static u32 next(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

static u32 option(const char *name, u32 dflt) {
  for (const char *s = rt_cmdline; *s; s++) {
    const char *a = s, *b = name;
    while (*b && *a == *b) a++, b++;
    if (*b || *a != '=') continue;
    u32 v = 0;
    for (a++; *a >= '0' && *a <= '9'; a++) v = v * 10 + (u32)(*a - '0');
    return v;
  }
  return dflt;
}

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }

/* Like user_run, but with interrupts on in ring 3 (so the timer ends loops). */
u32 fuzz_user_run(u32 eip, u32 esp);
__asm__(".text\n.globl fuzz_user_run\nfuzz_user_run:\n"
        "  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
        "  mov 20(%esp), %eax\n  mov 24(%esp), %ecx\n"
        "  mov %esp, kernel_esp\n  mov %esp, tss + 4\n"
        "  push $0x5b\n  push %ecx\n  pushf\n  andl $~0x3000, (%esp)\n  orl $0x200, (%esp)\n"
        "  push $0x53\n  push %eax\n"
        "  mov $0x5b, %eax\n  mov %eax, %ds\n  mov %eax, %es\n  mov %eax, %fs\n  mov %eax, %gs\n"
        "  xor %eax, %eax\n  xor %ebx, %ebx\n  xor %ecx, %ecx\n  xor %edx, %edx\n"
        "  xor %esi, %esi\n  xor %edi, %edi\n  xor %ebp, %ebp\n  iret\n");

/* Ring 0: random code is called with a known stack; any vector comes back
 * (idt.S resumes at recover_eip) to r0_recover, which rebuilds the stack
 * and segments. */
void fuzz_ring0(void);
extern u32 r0_stack_top[];
__asm__(".text\n.globl fuzz_ring0, r0_recover\nfuzz_ring0:\n"
        "  mov $r0_stack_top, %esp\n"
        "  movl $r0_recover, recover_eip\n"
        "  sti\n"
        "  call *%eax\n"
        "r0_recover:\n"
        "  mov $0x10, %eax\n  mov %eax, %ds\n  mov %eax, %es\n  mov %eax, %ss\n  mov %eax, %fs\n  mov %eax, %gs\n"
        "  mov $r0_stack_top, %esp\n"
        "  movb $0x20, %al\n  outb %al, $0x20\n"
        "  call ring0_next\n"   /* fills the next block, returns its address in EAX */
        "  jmp fuzz_ring0\n"
        ".bss\n.align 16\n.skip 16384\nr0_stack_top:\n.text\n");

static u32 blocks;

static void fill(u8 *code) {
  for (u32 i = 0; i < 4096; i += 4) *(u32 *)(code + i) = next();
}

static void report(void) {
  printf("blocks %u:", blocks);
  for (u32 v = 0; v < 257; v++)
    if (counts[v]) printf(" %x=%u", v, counts[v]);
  printf("\n");
}

u32 ring0_next(void) {
  counts[caught_vec <= 0x100 ? caught_vec : 0x100]++;
  if (++blocks % 100 == 0) report();
  fill((u8 *)RING0_CODE);
  return RING0_CODE;
}

static void timer_setup(void) {
  outb(0x20, 0x11); outb(0xa0, 0x11);
  outb(0x21, 0x20); outb(0xa1, 0x28);
  outb(0x21, 0x04); outb(0xa1, 0x02);
  outb(0x21, 0x01); outb(0xa1, 0x01);
  outb(0x21, 0xfe); outb(0xa1, 0xff); /* only IRQ 0 */
  outb(0x43, 0x34);
  outb(0x40, 1193 & 0xff); outb(0x40, 1193 >> 8); /* 1 kHz */
}

int main(void) {
  state = option("seed", 1) * 2654435761u | 1;
  u32 ring = option("ring", 3);
  idt_install();
  user_setup();
  /* ring 3 code and data: base FUZZ_BASE, limit 64 KiB, byte granular */
  gdt[0x50 / 4] = 0x0000ffff; gdt[0x50 / 4 + 1] = 0x0040fa40;
  gdt[0x58 / 4] = 0x0000ffff; gdt[0x58 / 4 + 1] = 0x0040f240;
  timer_setup();
  printf("cpufuzz seed %u ring %u\n", option("seed", 1), ring);
  if (ring == 0) {
    fill((u8 *)RING0_CODE);
    __asm__ volatile("mov %0, %%eax; jmp fuzz_ring0" : : "i"(RING0_CODE) : "eax");
  }
  for (;;) {
    fill((u8 *)FUZZ_BASE);
    u32 vec = fuzz_user_run(0, 0xfff0);
    if (vec == 0x100) outb(0x20, 0x20);
    counts[vec <= 0x100 ? vec : 0x100]++;
    if (++blocks % 100 == 0) report();
  }
}
