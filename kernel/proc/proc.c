/* The process table, the scheduler, and the life of a process: fork,
 * exit, wait. One CPU; the kernel is not preempted (system calls run with
 * interrupts off), user code is, on every timer tick. */
#include "kernel.h"
#include "proc.h"
#include "x86.h"
#include "memlayout.h"

static struct proc procs[NPROC];
static int next_pid = 1;
static struct proc *initproc;
static struct context *scheduler_context;
struct proc *curproc;

void swtch(struct context **old, struct context *new);
void trapret(void);

/* A new process's first return from swtch lands here, then in trapret. */
static void forkret(void) {}

/* A fresh process with a kernel stack laid out to start in user mode
 * through its trap frame, or NULL when the table or memory is full. */
struct proc *proc_alloc(void) {
  for (struct proc *p = procs; p < &procs[NPROC]; p++) {
    if (p->state != UNUSED) continue;
    p->kstack = kalloc();
    if (!p->kstack) return NULL;
    u8 *sp = p->kstack + KSTACK_SIZE;
    sp -= sizeof *p->tf;
    p->tf = (struct trapframe *)sp;
    sp -= 4;
    *(u32 *)sp = (u32)trapret;
    sp -= sizeof *p->context;
    p->context = (struct context *)sp;
    memset(p->context, 0, sizeof *p->context);
    p->context->eip = (u32)forkret;
    p->pid = next_pid++;
    p->state = EMBRYO;
    p->pgdir = NULL;
    p->parent = NULL;
    p->chan = NULL;
    return p;
  }
  return NULL;
}

static void proc_free(struct proc *p) {
  if (p->pgdir) pgdir_free(p->pgdir);
  kfree(p->kstack);
  memset(p, 0, sizeof *p);
}

/* Runs forever: picks the next runnable process round-robin and switches
 * to it; with none, waits for an interrupt. */
void scheduler(void) {
  struct proc *last = procs;
  for (;;) {
    __asm__ volatile("sti; nop; cli"); /* let pending interrupts in */
    struct proc *p = NULL;
    for (int i = 1; i <= NPROC; i++) {
      struct proc *q = &procs[(last - procs + i) % NPROC];
      if (q->state == RUNNABLE) { p = q; break; }
    }
    if (!p) {
      __asm__ volatile("sti; hlt; cli");
      continue;
    }
    last = p;
    curproc = p;
    p->state = RUNNING;
    tss_set_kernel_stack((u32)(p->kstack + KSTACK_SIZE));
    load_pgdir(p->pgdir);
    swtch(&scheduler_context, p->context);
    load_pgdir(kernel_pgdir());
    curproc = NULL;
  }
}

static void sched(void) { swtch(&curproc->context, scheduler_context); }

void yield(void) {
  curproc->state = RUNNABLE;
  sched();
}

void sleep(void *chan) {
  curproc->chan = chan;
  curproc->state = SLEEPING;
  sched();
  curproc->chan = NULL;
}

void wakeup(void *chan) {
  for (struct proc *p = procs; p < &procs[NPROC]; p++)
    if (p->state == SLEEPING && p->chan == chan) p->state = RUNNABLE;
}

/* The first process, from an executable image. */
void user_init(const u8 *elf, u32 size, const char *path) {
  struct proc *p = proc_alloc();
  char *argv[] = {(char *)path};
  int err = p ? exec_image(p, elf, size, 1, argv) : -ENOMEM;
  if (err < 0) panic("cannot run %s: error %d", path, err);
  initproc = p;
  p->state = RUNNABLE;
}

/* A copy of the current process, address space and all; the child returns
 * 0 from the system call. */
int fork(void) {
  struct proc *c = proc_alloc();
  if (!c) return -EAGAIN;
  c->pgdir = pgdir_copy(curproc->pgdir);
  if (!c->pgdir) {
    proc_free(c);
    return -ENOMEM;
  }
  *c->tf = *curproc->tf;
  c->tf->eax = 0;
  c->parent = curproc;
  memcpy(c->name, curproc->name, sizeof c->name);
  c->state = RUNNABLE;
  return c->pid;
}

/* Ends the current process with a Linux wait status (code << 8, or the
 * signal number). Its children go to init; its parent is woken. When init
 * itself ends, the machine powers off with its exit code. */
void proc_exit(int wait_status) {
  struct proc *p = curproc;
  if (p == initproc) {
    int code = (wait_status & 0x7f) ? 128 + (wait_status & 0x7f) : (wait_status >> 8) & 0xff;
    printk("%s[%d] exited with status %d\n", p->name, p->pid, code);
    outl(0xF4, (u32)code);
    halt_forever();
  }
  for (struct proc *q = procs; q < &procs[NPROC]; q++) {
    if (q->parent != p) continue;
    q->parent = initproc;
    if (q->state == ZOMBIE) wakeup(initproc);
  }
  load_pgdir(kernel_pgdir());
  pgdir_free(p->pgdir);
  p->pgdir = NULL;
  p->wait_status = wait_status;
  p->state = ZOMBIE;
  wakeup(p->parent);
  sched();
  panic("a zombie ran");
}

/* Waits for a child (pid > 0: that one; -1: any) to end; stores its wait
 * status at status_va if not 0. WNOHANG (1) returns 0 instead of waiting. */
int wait4(int pid, u32 status_va, int options) {
  for (;;) {
    int children = 0;
    for (struct proc *q = procs; q < &procs[NPROC]; q++) {
      if (q->parent != curproc || q->state == UNUSED) continue;
      if (pid > 0 && q->pid != pid) continue;
      children++;
      if (q->state != ZOMBIE) continue;
      int found = q->pid;
      if (status_va && copy_to_user_checked(status_va, &q->wait_status, 4) < 0) return -EFAULT;
      proc_free(q);
      return found;
    }
    if (!children) return -ECHILD;
    if (options & 1) return 0;
    sleep(curproc);
  }
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
  proc_exit(sig);
}
