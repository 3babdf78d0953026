/* The process table and entering user mode. (The scheduler, fork and wait
 * come next; for now the kernel runs one process, /init.) */
#include "kernel.h"
#include "proc.h"
#include "x86.h"
#include "memlayout.h"

static struct proc procs[NPROC];
static int next_pid = 1;
struct proc *curproc;

/* A fresh process with a kernel stack and room for its trap frame, or NULL. */
struct proc *proc_alloc(void) {
  for (struct proc *p = procs; p < &procs[NPROC]; p++) {
    if (p->state != UNUSED) continue;
    p->kstack = kalloc();
    if (!p->kstack) return NULL;
    p->tf = (struct trapframe *)(p->kstack + KSTACK_SIZE) - 1;
    p->pid = next_pid++;
    p->state = RUNNABLE;
    p->pgdir = NULL;
    return p;
  }
  return NULL;
}

/* Switches to p's address space and returns to user mode through its trap
 * frame. */
void proc_run(struct proc *p) {
  curproc = p;
  p->state = RUNNING;
  tss_set_kernel_stack((u32)(p->kstack + KSTACK_SIZE));
  load_pgdir(p->pgdir);
  __asm__ volatile("mov %0, %%esp\n\tjmp trapret" : : "r"(p->tf) : "memory");
  __builtin_unreachable();
}

/* The current process ends. With no other process to run yet, the end of
 * /init powers the machine off with its status (through the debug-exit
 * port: the emulator, or QEMU with isa-debug-exit, ends). */
void proc_exit(int status) {
  struct proc *p = curproc;
  p->exit_status = status;
  p->state = ZOMBIE;
  load_pgdir(kernel_pgdir());
  pgdir_free(p->pgdir);
  p->pgdir = NULL;
  printk("%s[%d] exited with status %d\n", p->name, p->pid, status);
  outl(0xF4, (u32)status);
  halt_forever();
}

/* A fault in user mode kills the process with a message naming the fault. */
void user_fault(struct trapframe *tf) {
  u32 cr2;
  __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
  struct proc *p = curproc;
  int sig;
  switch (tf->trapno) {
    case T_PF: printk("%s[%d]: Segmentation fault at address %x (eip %x)\n", p->name, p->pid, cr2, tf->eip); sig = 11; break;
    case T_UD: printk("%s[%d]: Illegal instruction at eip %x\n", p->name, p->pid, tf->eip); sig = 4; break;
    case T_GP: printk("%s[%d]: General protection fault at eip %x\n", p->name, p->pid, tf->eip); sig = 11; break;
    case T_DIVIDE: printk("%s[%d]: Floating point exception at eip %x\n", p->name, p->pid, tf->eip); sig = 8; break;
    default: printk("%s[%d]: %s at eip %x\n", p->name, p->pid, trap_name(tf->trapno), tf->eip); sig = 11; break;
  }
  proc_exit(128 + sig);
}
