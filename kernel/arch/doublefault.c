/* The double fault, on a task of its own. A kernel stack that runs into
 * its guard page faults, and the CPU cannot push that fault's frame on the
 * same stack: it raises #DF instead, which only a task gate (a switch to a
 * TSS with a stack of its own) can take. The handler reports the overflow
 * as such and stops the machine: the kernel's state is not to be trusted. */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "proc.h"
#include "memlayout.h"

static struct tss df_tss;
static u8 df_stack[2048] __attribute__((aligned(16)));

static __attribute__((noreturn)) void double_fault(void) {
  const struct tss *was = task_state(); /* the CPU saved the faulting context here */
  u32 cr2;
  __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
  if (in_stack_guard(cr2) || in_stack_guard(was->esp))
    printk("\npanic: kernel stack overflow in %s[%d] (esp %x, eip %x, guard page %x)\n",
           curproc ? curproc->name : "the kernel", curproc ? curproc->pid : 0, was->esp, was->eip, cr2 & ~0xfffu);
  else
    printk("\npanic: double fault at eip %x (esp %x, cr2 %x)\n", was->eip, was->esp, cr2);
  backtrace(was->ebp);
  halt_forever();
}

/* The #DF task starts at double_fault with interrupts off, on df_stack,
 * in the kernel's address space (every page directory shares its half). */
void double_fault_init(void) {
  df_tss.eip = (u32)double_fault;
  df_tss.esp = df_tss.esp0 = (u32)(df_stack + sizeof df_stack);
  df_tss.eflags = 2;
  df_tss.cs = SEL_KCODE;
  df_tss.ss = df_tss.ss0 = df_tss.ds = df_tss.es = SEL_KDATA;
  df_tss.cr3 = V2P(kernel_pgdir());
  df_tss.iomap = sizeof df_tss;
  gdt_set_tss(SEL_DFTSS, &df_tss);
}
