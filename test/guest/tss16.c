/* 16-bit (286) TSSs, compared with QEMU: a call from the runtime's 32-bit
 * task to a 16-bit one and the iret back (busy bits, back link, NT, what
 * the 16-bit TSS keeps: IP, FLAGS, the registers' low halves, ES CS SS DS;
 * the registers' top halves and CR3 carry over, FS and GS come up null),
 * the same task resumed by a second call, and an exception with an error
 * code through a task gate to it (the code pushed as a word). */
#include "rt/rt.h"
#include "mmu.h"

struct tss16 {
  u16 link, sp0, ss0, sp1, ss1, sp2, ss2, ip, flags, ax, cx, dx, bx, sp, bp, si, di, es, cs, ss, ds, ldt;
};
static struct tss16 t16;
extern struct tss tss; /* the runtime's, for the first task */
static u8 stack16[0x1000];
u32 rec[16];
u32 runs16;

static void set_gdt(int slot, u32 base, u32 limit, u32 access, u32 flags) {
  gdt[slot * 2] = (limit & 0xffff) | (base << 16);
  gdt[slot * 2 + 1] = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) |
                      (base & 0xff000000);
}
static u32 busy(int slot) { return (gdt[slot * 2 + 1] >> 9) & 1; }

/* The task's code runs in segment 0x28, a 32-bit code segment based at
 * code16_task, so that its IP fits the TSS's 16 bits; its stack is 0x30, a
 * 16-bit segment based at stack16. Absolute addresses go through DS. */
__asm__(".text\n"
        "code16_task:\n"
        "  incl runs16\n"
        "  pushfl\n  popl %eax\n  mov %eax, rec + 0\n"
        "  str %ax\n  movzwl %ax, %eax\n  mov %eax, rec + 4\n"
        "  movzwl t16, %eax\n  mov %eax, rec + 8\n" /* back link */
        "  mov %ebx, rec + 12\n"
        "  mov %esp, rec + 16\n"
        "  mov %fs, %eax\n  mov %eax, rec + 20\n"
        "  mov %gs, %eax\n  mov %eax, rec + 24\n"
        "  mov %ecx, rec + 28\n"
        "  iretl\n"
        "  jmp code16_task\n"
        "fault_task:\n" /* through the task gate: the error code is on the stack */
        "  mov %esp, rec + 32\n"
        "  popw %ax\n" /* the word, at SS:SP (a 16-bit stack) */
        "  movzwl %ax, %eax\n  mov %eax, rec + 36\n"
        "  movl $0x10, tss + 0x28\n" /* the faulting task's EAX: a selector that loads */
        "  iretl\n"
        "  jmp fault_task\n");
extern char code16_task[], fault_task[];

static void show_t16(const char *when) {
  printf("%s: t16 ip=%x flags=%x ax=%x bx=%x cx=%x sp=%x es=%x cs=%x ss=%x ds=%x busy first=%x t16=%x\n", when,
         t16.ip, t16.flags & 0x4cd5, t16.ax, t16.bx, t16.cx, t16.sp, t16.es, t16.cs, t16.ss, t16.ds, busy(12),
         busy(15));
}

static void setup(u32 entry) {
  set_gdt(5, (u32)code16_task, 0xfffff, 0x9a, 0xc); /* 0x28: 32-bit code at code16_task */
  set_gdt(6, (u32)stack16, 0xffff, 0x92, 0x0);      /* 0x30: 16-bit stack */
  t16.ip = (u16)(entry - (u32)code16_task);
  t16.flags = 0x0002;
  t16.sp = sizeof stack16;
  t16.bx = 0xb16b;
  t16.cx = 0xc16c;
  t16.cs = 0x28;
  t16.ss = 0x30;
  t16.ds = t16.es = 0x10;
  set_gdt(15, (u32)&t16, sizeof t16 - 1, 0x81, 0); /* 0x78: available 16-bit TSS */
}

int main(void) {
  idt_install();
  user_setup();
  setup((u32)code16_task);
  u32 ebx_after, cr3_before, cr3_after;
  __asm__ volatile("mov %%cr3, %%eax\n\tmov %%eax, %0" : "=m"(cr3_before) : : "eax");
  __asm__ volatile("mov $0x12345678, %%ebx\n\tmov $0x9abcdef0, %%ecx\n\tmov $0x10, %%eax\n\tmov %%eax, %%fs\n\t"
                   "lcall $0x78, $0\n\tmov %%ebx, %0"
                   : "=r"(ebx_after)
                   :
                   : "eax", "ecx", "ebx", "memory", "cc");
  __asm__ volatile("mov %%cr3, %%eax\n\tmov %%eax, %0" : "=m"(cr3_after) : : "eax");
  printf("in task: runs=%x nt=%x tr=%x link=%x ebx=%x esp-top=%x fs=%x gs=%x ecx=%x\n", runs16,
         (rec[0] >> 14) & 1, rec[1], rec[2], rec[3], rec[4] >> 16 == 0 ? 0 : 1, rec[5], rec[6], rec[7]);
  printf("after: ebx=%x cr3-same=%x tss nt=%x\n", ebx_after, cr3_before == cr3_after, (tss.eflags >> 14) & 1);
  show_t16("after call");

  /* again: the task resumes after its iret, with what its TSS kept */
  __asm__ volatile("mov $0x0bad0bad, %%ebx\n\tlcall $0x78, $0" : : : "eax", "ebx", "ecx", "memory", "cc");
  printf("second call: runs=%x ebx=%x ecx=%x\n", runs16, rec[3], rec[7]);
  show_t16("after second");

  /* #GP(0x1f8) through a task gate to the 16-bit task: the task fixes the
   * faulting task's EAX in its TSS and returns; the mov then loads ES. */
  setup((u32)fault_task);
  idt[13 * 2] = 0x78 << 16;
  idt[13 * 2 + 1] = 0x8500; /* present, DPL 0, task gate */
  u32 es_after;
  __asm__ volatile("mov $0x1f8, %%eax\n\tmov %%eax, %%es\n\tmov %%es, %%eax\n\tmov %%eax, %0\n\tmov $0x10, %%eax\n\t"
                   "mov %%eax, %%es"
                   : "=m"(es_after)
                   :
                   : "eax", "memory", "cc");
  printf("fault via task gate: sp-below-top=%x err=%x es=%x\n", (u32)sizeof stack16 - (rec[8] & 0xffff), rec[9],
         es_after);
  show_t16("after fault");
  return 0;
}
