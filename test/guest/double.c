/* A double fault, caught the way an OS must catch one: through a task gate
 * (the faulting stack is unusable). INT3 with ESP in a not-present page
 * faults pushing its frame (#PF), the #PF faults the same way, and the pair
 * makes #DF, which switches to a task with a good stack. Compared with QEMU. */
#include "rt/rt.h"
#include "mmu.h"

static volatile u32 pd[1024] __attribute__((aligned(4096)));
static volatile u32 pt[1024] __attribute__((aligned(4096)));
static u32 df_stack[256];

struct tss df_tss;
extern struct tss tss;

void df_report(u32 err) {
  u32 cr2, flags;
  u16 tr;
  __asm__ volatile("mov %%cr2, %0\n\tpushf\n\tpop %1\n\tstr %2" : "=r"(cr2), "=r"(flags), "=r"(tr));
  printf("double fault: err %x cr2 %x link %x nt %x tr %x\n", err, cr2, df_tss.link, (flags >> 14) & 1, tr);
  printf("faulting task: esp %x eip-at-int3 %x\n", tss.esp, tss.eip == (u32)0 ? 0 : 1);
  printf("busy: first %x df %x\n", (gdt[12 * 2 + 1] >> 9) & 1, (gdt[15 * 2 + 1] >> 9) & 1);
  __asm__ volatile("xor %eax, %eax\n\tout %eax, $0xf4");
}

__asm__(".text\ndf_entry:\n  call df_report\n1:\n  hlt\n  jmp 1b\n"); /* the error code is df_report's argument */
void df_entry(void);

int main(void) {
  idt_install();
  user_setup();
  for (u32 i = 0; i < 1024; i++) pt[i] = (i << 12) | 3;
  pd[0] = (u32)pt | 3;
  /* 0x40000000: a page table with nothing present */
  __asm__ volatile("mov %0, %%cr3\n\tmov %%cr0, %%eax\n\tor $0x80000000, %%eax\n\tmov %%eax, %%cr0"
                   : : "r"(pd) : "eax", "memory");

  df_tss.eip = (u32)df_entry;
  df_tss.eflags = 2;
  df_tss.esp = (u32)&df_stack[256];
  df_tss.cs = 0x08;
  df_tss.ss = df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = 0x10;
  df_tss.cr3 = (u32)pd;
  df_tss.iomap = sizeof df_tss;
  u32 base = (u32)&df_tss, limit = sizeof df_tss - 1;
  gdt[15 * 2] = (limit & 0xffff) | (base << 16);
  gdt[15 * 2 + 1] = ((base >> 16) & 0xff) | 0x8900 | (base & 0xff000000);
  idt[8 * 2] = 0x78 << 16;
  idt[8 * 2 + 1] = 0x8500; /* task gate to 0x78 */
  printf("set up\n");
  __asm__ volatile("mov $0x40001000, %esp\n\tint3");
  printf("not reached\n");
  return 1;
}
