/* The process table, the scheduler, and the life of a process: fork,
 * exit, wait. One CPU; the kernel is not preempted (system calls run with
 * interrupts off), user code is, on every timer tick. */
#include "kernel.h"
#include "module.h"
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
    p->kstack = vmalloc_stack(KSTACK_SIZE);
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
    p->mm = NULL;
    p->parent = NULL;
    p->chan = NULL;
    return p;
  }
  return NULL;
}

struct proc *proc_find(int pid) {
  for (struct proc *p = procs; p < &procs[NPROC]; p++)
    if (p->pid == pid && p->state != UNUSED && p->state != EMBRYO) return p;
  return NULL;
}

/* The n-th live process in table order, for /proc's listing. */
struct proc *proc_nth(u32 n) {
  for (struct proc *p = procs; p < &procs[NPROC]; p++)
    if (p->state != UNUSED && p->state != EMBRYO && n-- == 0) return p;
  return NULL;
}

u32 proc_user_pages(struct proc *p) { return mm_pages(p->mm); }

static void proc_free(struct proc *p) {
  mm_put(p->mm);
  vfree(p->kstack);
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
    load_pgdir(p->mm->pgdir);
    tls_load(p);
    fpu_switch_to(p);
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

/* Sleeps on chan until woken or until ticks reaches deadline; returns 0
 * when the deadline passed. */
int sleep_until(void *chan, u32 deadline) {
  if ((s32)(ticks - deadline) >= 0) return 0;
  curproc->wake_tick = deadline;
  sleep(chan);
  curproc->wake_tick = 0;
  return (s32)(ticks - deadline) < 0;
}

/* From the timer: sleepers whose deadline has come. */
void wakeup_deadlines(void) {
  for (struct proc *p = procs; p < &procs[NPROC]; p++)
    if (p->state == SLEEPING && p->wake_tick && (s32)(ticks - p->wake_tick) >= 0) p->state = RUNNABLE;
}

/* The first process: path from the root filesystem, with its arguments
 * (argc strings, each ending in NUL, len bytes, argv[0] first) and the
 * console open as its standard input, output and error. */
void user_init(const char *path, const char *args, u32 len, int argc) {
  struct proc *p = proc_alloc();
  struct inode *ip;
  int err = p ? namei(path, &ip) : -ENOMEM;
  if (err == 0) {
    rlimit_init(p);
    err = S_ISREG(ip->mode) ? exec_image(p, ip, path, args, len, argc, 0) : -EACCES;
    iput(ip);
  }
  if (err < 0) panic("cannot run %s: error %d", path, err);
  struct file *console;
  if (vfs_open("/dev/console", O_RDWR, 0, &console) == 0) {
    p->ofile[0] = console;
    p->ofile[1] = file_dup(console);
    p->ofile[2] = file_dup(console);
  } else {
    printk("init: no /dev/console\n");
  }
  p->cwd = iget(root_inode());
  p->pgid = p->pid;
  initproc = p;
  p->state = RUNNABLE;
}

/* A copy of the current process, address space and all; the child returns
 * 0 from the system call. */
int fork(void) {
  struct proc *c = proc_alloc();
  if (!c) return -EAGAIN;
  c->mm = mm_fork(curproc->mm);
  if (!c->mm) {
    proc_free(c);
    return -ENOMEM;
  }
  *c->tf = *curproc->tf;
  c->tf->eax = 0;
  c->parent = curproc;
  c->pgid = curproc->pgid;
  c->ignored = curproc->ignored;
  c->uid = curproc->uid, c->euid = curproc->euid, c->suid = curproc->suid;
  c->gid = curproc->gid, c->egid = curproc->egid, c->sgid = curproc->sgid;
  memcpy(c->tls, curproc->tls, sizeof c->tls);
  memcpy(c->rlim, curproc->rlim, sizeof c->rlim);
  fpu_fork(c, curproc);
  for (int fd = 0; fd < NOFILE; fd++)
    if (curproc->ofile[fd]) c->ofile[fd] = file_dup(curproc->ofile[fd]);
  c->cwd = iget(curproc->cwd);
  memcpy(c->name, curproc->name, sizeof c->name);
  memcpy(c->cmdline, curproc->cmdline, sizeof c->cmdline);
  c->cmdline_len = curproc->cmdline_len;
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
    vfs_sync();
    outl(0xF4, (u32)code);
    halt_forever();
  }
  for (int fd = 0; fd < NOFILE; fd++)
    if (p->ofile[fd]) { file_close(p->ofile[fd]); p->ofile[fd] = NULL; }
  iput(p->cwd);
  p->cwd = NULL;
  fpu_reset(p);
  for (struct proc *q = procs; q < &procs[NPROC]; q++) {
    if (q->parent != p) continue;
    q->parent = initproc;
    if (q->state == ZOMBIE) wakeup(initproc);
  }
  if (p->clear_child_tid) { /* for pthread_join and its kind: the tid word goes to 0 */
    u32 zero = 0;
    copy_to_user_checked(p->clear_child_tid, &zero, 4);
  }
  load_pgdir(kernel_pgdir());
  mm_put(p->mm);
  p->mm = NULL;
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
    if (signal_pending()) return -EINTR;
    sleep(curproc);
  }
}

/* A fault in user mode: a page of one of its areas arrives (or a shared
 * page is copied), or the process is killed with a message naming the
 * fault. */
void user_fault(struct trapframe *tf) {
  u32 cr2;
  __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
  struct proc *p = curproc;
  if (tf->trapno == T_PF && mm_fault(p->mm, cr2, (tf->err & 2) != 0) == 0) return;
  int sig;
  switch (tf->trapno) {
    case T_PF: printk("%s[%d]: Segmentation fault at address %x (eip %x)\n", p->name, p->pid, cr2, tf->eip); sig = 11; break;
    case T_UD: printk("%s[%d]: Illegal instruction at eip %x\n", p->name, p->pid, tf->eip); sig = 4; break;
    case T_GP: printk("%s[%d]: General protection fault at eip %x\n", p->name, p->pid, tf->eip); sig = 11; break;
    case T_DIVIDE: printk("%s[%d]: Floating point exception at eip %x\n", p->name, p->pid, tf->eip); sig = 8; break;
    case T_MF: printk("%s[%d]: Floating point exception (x87 %s) at eip %x\n", p->name, p->pid, fpu_error(), tf->eip); sig = 8; break;
    default: printk("%s[%d]: %s at eip %x\n", p->name, p->pid, trap_name(tf->trapno), tf->eip); sig = 11; break;
  }
  proc_exit(sig);
}

/* Signals: a pending bit per signal, acted on when the process next
 * returns to user mode. Every signal here ends the process by default,
 * but SIGCHLD, which is ignored; a process may ignore any but SIGKILL. */
int signal_pending(void) { return curproc && curproc->pending != 0; }

void send_signal(struct proc *p, int sig) {
  if (p == initproc || sig == 0) return; /* init cannot be killed, as on Linux; 0 only asks */
  if (sig == SIGCHLD || (sig != SIGKILL && (p->ignored & (1u << sig)))) return;
  p->pending |= 1u << sig;
  if (p->state == SLEEPING) p->state = RUNNABLE; /* its sleep is cut short */
}

int signal_group(int pgrp, int sig) {
  int found = 0;
  for (struct proc *p = procs; p < &procs[NPROC]; p++)
    if (p->pgid == pgrp && p->state != UNUSED && p->state != EMBRYO && p->state != ZOMBIE) {
      send_signal(p, sig);
      found = 1;
    }
  return found ? 0 : -ESRCH;
}

int kill(int pid, int sig) {
  if (sig < 0 || sig >= NSIG) return -EINVAL;
  if (pid == 0) pid = -curproc->pgid;
  if (pid == -1) {
    for (struct proc *p = procs; p < &procs[NPROC]; p++)
      if (p != initproc && p->state != UNUSED && p->state != EMBRYO && p->state != ZOMBIE && sig) send_signal(p, sig);
    return 0;
  }
  if (pid == (int)0x80000000) return -ESRCH; /* no group -INT_MIN */
  if (pid < 0) return signal_group(-pid, sig);
  struct proc *p = proc_find(pid);
  if (!p) return -ESRCH;
  if (sig && p->state != ZOMBIE) send_signal(p, sig);
  return 0;
}

void deliver_signals(void) {
  u32 pending = curproc->pending;
  if (!pending) return;
  for (int sig = 1; sig < NSIG; sig++)
    if (pending & (1u << sig)) proc_exit(sig);
}

int setpgid(int pid, int pgid) {
  struct proc *p = pid ? proc_find(pid) : curproc;
  if (!p || (p != curproc && p->parent != curproc)) return -ESRCH;
  if (pgid < 0) return -EINVAL;
  p->pgid = pgid ? pgid : p->pid;
  return 0;
}

EXPORT_SYMBOL(sleep);
EXPORT_SYMBOL(sleep_until);
EXPORT_SYMBOL(wakeup);
EXPORT_SYMBOL(signal_pending);
EXPORT_SYMBOL(curproc);
