/* The process table, the scheduler, and the life of a process: fork,
 * exit, wait. One CPU; the kernel is not preempted (system calls run with
 * interrupts off), user code is, on every timer tick. */
#include "kernel.h"
#include "module.h"
#include "proc.h"
#include "x86.h"
#include "memlayout.h"
#include "tty.h"

static struct proc procs[NPROC];
static int next_pid = 1;
static struct proc *initproc;
static struct context *scheduler_context;
static int live_threads(int tgid, struct proc *except);
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
    p->pid = p->tgid = next_pid++;
    p->syscall_nr = -1;
    p->state = EMBRYO;
    p->mm = NULL;
    p->parent = NULL;
    p->chan = NULL;
    return p;
  }
  return NULL;
}

/* The last pid handed out (/proc/loadavg, /proc/stat's processes). */
int proc_last_pid(void) { return next_pid - 1; }

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

/* The n-th process (first thread) in table order, for /proc's listing,
 * which shows processes, not threads. */
struct proc *proc_nth_process(u32 n) {
  for (struct proc *p = procs; p < &procs[NPROC]; p++)
    if (p->state != UNUSED && p->state != EMBRYO && p->tgid == p->pid && n-- == 0) return p;
  return NULL;
}

/* How many threads process tgid has running (for /proc/PID/stat). */
int proc_threads(int tgid) {
  int n = live_threads(tgid, NULL);
  return n ? n : 1;
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
    if (p->state == ZOMBIE && p->reap) proc_free(p); /* no one waits for it */
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
 * and environment (argc then envc strings, each ending in NUL, len bytes,
 * argv[0] first) and the
 * console open as its standard input, output and error, the leader of
 * the first session. */
void user_init(const char *path, const char *args, u32 len, int argc, int envc) {
  struct proc *p = proc_alloc();
  struct inode *ip;
  int err = p ? namei(path, &ip) : -ENOMEM;
  if (err == 0 && !(p->files = files_new())) err = -ENOMEM;
  if (err == 0) {
    rlimit_init(p);
    p->umask = 022;
    p->cwd = iget(root_inode());
    err = S_ISREG(ip->mode) ? exec_image(p, ip, path, args, len, argc, envc) : -EACCES;
    iput(ip);
  }
  if (err < 0) panic("cannot run %s: error %d", path, err);
  p->pgid = p->sid = p->pid;
  struct file *console;
  if (vfs_open("/dev/console", O_RDWR, 0, &console) == 0) {
    p->files->fd[0] = console;
    p->files->fd[1] = file_dup(console);
    p->files->fd[2] = file_dup(console);
  } else {
    printk("init: no /dev/console\n");
  }
  initproc = p; /* no controlling terminal: the console never becomes one, as on Linux */
  p->state = RUNNABLE;
}

/* The parts of a new process that are copies of the current one's. */
static void copy_state(struct proc *c, struct proc *p) {
  c->parent = p;
  c->pgid = p->pgid, c->sid = p->sid;
  c->uid = p->uid, c->euid = p->euid, c->suid = p->suid;
  c->gid = p->gid, c->egid = p->egid, c->sgid = p->sgid;
  memcpy(c->groups, p->groups, sizeof c->groups);
  c->ngroups = p->ngroups;
  memcpy(c->tls, p->tls, sizeof c->tls);
  memcpy(c->rlim, p->rlim, sizeof c->rlim);
  signals_fork(c, p);
  fpu_fork(c, p);
  c->cwd = iget(p->cwd);
  c->umask = p->umask;
  c->exe = p->exe ? iget(p->exe) : NULL;
  memcpy(c->name, p->name, sizeof c->name);
  memcpy(c->cmdline, p->cmdline, sizeof c->cmdline);
  c->cmdline_len = p->cmdline_len;
  c->start_tick = ticks;
  c->syscall_nr = -1;
}

/* clone: a new process, or with CLONE_THREAD a new thread of this one. The
 * address space is shared with CLONE_VM (threads; vfork and posix_spawn,
 * whose parent then waits, with CLONE_VFORK, until the child execs or
 * exits), else copied on write (fork); the descriptor table is shared
 * with CLONE_FILES, else copied. A thread's signal handlers, working
 * directory and umask are its process's (CLONE_SIGHAND and CLONE_FS are
 * kept in step by the calls that change them). The child returns 0 from
 * the call, on stack if one is given. */
int clone(u32 flags, u32 stack, u32 ptid, u32 tls, u32 ctid) {
  if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) return -EINVAL;
  if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return -EINVAL;
  struct proc *c = proc_alloc();
  if (!c) return -EAGAIN;
  if (flags & CLONE_VM) {
    c->mm = curproc->mm;
    c->mm->refs++;
  } else if (!(c->mm = mm_fork(curproc->mm))) {
    proc_free(c);
    return -ENOMEM;
  }
  if (flags & CLONE_FILES) {
    c->files = curproc->files;
    c->files->refs++;
  } else if (!(c->files = files_copy(curproc->files))) {
    proc_free(c);
    return -EMFILE;
  }
  *c->tf = *curproc->tf;
  c->tf->eax = 0;
  if (stack) c->tf->esp = stack;
  copy_state(c, curproc);
  if (flags & CLONE_THREAD) {
    c->tgid = curproc->tgid;
    c->parent = curproc->parent; /* a thread's parent is its process's */
    c->blocked = curproc->blocked;
  } else if (flags & CLONE_PARENT) {
    c->parent = curproc->parent;
  }
  if ((flags & CLONE_SETTLS) && tls_set(c, tls) < 0) {
    proc_exit_early(c);
    return -EINVAL;
  }
  if (flags & CLONE_PARENT_SETTID) copy_to_user_checked(ptid, &c->pid, 4);
  if (flags & CLONE_CHILD_SETTID) copy_to_mm(c->mm, ctid, &c->pid, 4);
  if (flags & CLONE_CHILD_CLEARTID) c->clear_child_tid = ctid;
  int pid = c->pid;
  c->state = RUNNABLE;
  if (flags & CLONE_VFORK) {
    c->vfork_parent = curproc;
    while (c->vfork_parent == curproc && c->pid == pid) sleep(&c->vfork_parent);
  } else if (!(flags & CLONE_THREAD)) {
    /* A new process runs first, as Linux's sched_child_runs_first had it:
     * a child that execs at once saves the parent copying the pages it
     * would touch meanwhile, and programs that assume the parent goes
     * first (a shell that gives the terminal to its job only after fork)
     * show it every time, not once in a while. */
    yield();
  }
  return pid;
}

int fork(void) { return clone(0, 0, 0, 0, 0); }

/* Frees a zombie nobody will wait for (exec's old first thread). */
void proc_release_zombie(struct proc *p) {
  if (p->state == ZOMBIE && p != curproc) proc_free(p);
}

/* The first thread of p's process (p itself for a process of one). */
struct proc *group_leader(struct proc *p) {
  if (p->tgid == p->pid) return p;
  struct proc *l = proc_find(p->tgid);
  return l ? l : p;
}

/* The threads of process tgid still running, but except. */
static int live_threads(int tgid, struct proc *except) {
  int n = 0;
  for (struct proc *q = procs; q < &procs[NPROC]; q++)
    if (q != except && q->tgid == tgid && q->state != UNUSED && q->state != EMBRYO && q->state != ZOMBIE) n++;
  return n;
}

/* Ends every other thread of the process (with SIGKILL, acted on at
 * their next return to user mode) and waits until they have: exec and
 * exit_group. Returns how many there were. */
int kill_other_threads(void) {
  int n = 0;
  struct proc *l = group_leader(curproc);
  l->group_exiting = 1; /* so that they end as themselves, not by ending the group (this thread too) */
  l->group_status = SIGKILL;
  for (struct proc *q = procs; q < &procs[NPROC]; q++)
    if (q != curproc && q->tgid == curproc->tgid && q->state != UNUSED && q->state != ZOMBIE) {
      send_signal(q, SIGKILL);
      n++;
    }
  while (live_threads(curproc->tgid, curproc)) sleep(&l->tgid);
  l->group_exiting = 0;
  return n;
}

/* exit_group, and a fatal signal: the whole process ends with status. */
void group_exit(int wait_status) {
  struct proc *leader = group_leader(curproc);
  if (!leader->group_exiting) {
    leader->group_exiting = 1;
    leader->group_status = wait_status;
    for (struct proc *q = procs; q < &procs[NPROC]; q++)
      if (q != curproc && q->tgid == curproc->tgid && q->state != UNUSED && q->state != ZOMBIE) send_signal(q, SIGKILL);
  }
  proc_exit(leader->group_status);
}

/* A clone that failed after copy_state: everything it holds goes. */
void proc_exit_early(struct proc *c) {
  files_put(c->files);
  iput(c->cwd);
  iput(c->exe);
  fpu_reset(c);
  proc_free(c);
}

/* A vfork child is done with its parent's memory (it exec'd or exits). */
void vfork_release(struct proc *p) {
  if (!p->vfork_parent) return;
  wakeup(&p->vfork_parent);
  p->vfork_parent = NULL;
}

/* Tells p's parent that p stopped, continued or ended: SIGCHLD (unless it
 * stopped or continued and the parent asked for SA_NOCLDSTOP) and a wake
 * for wait4. */
void notify_parent(struct proc *p, int why) {
  struct proc *parent = p->parent;
  if (!parent) return;
  if (why == ZOMBIE || !(parent->action[SIGCHLD - 1].flags & 1 /* SA_NOCLDSTOP */)) send_signal(parent, SIGCHLD);
  wakeup(parent);
}

/* Whether p's parent said it will not wait (SIGCHLD ignored, or
 * SA_NOCLDWAIT): then p is reaped as it ends and leaves no zombie. */
static int autoreap(struct proc *p) {
  struct proc *parent = p->parent;
  if (!parent) return 0;
  const struct sigaction_k *sa = &parent->action[SIGCHLD - 1];
  return sa->handler == SIG_IGN || (sa->flags & 2 /* SA_NOCLDWAIT */);
}

/* The last thread of a process has ended: its first thread, a zombie,
 * holds the status (exit_group's, or its own exit's) for the parent to
 * wait for, or is reaped now if the parent will not. */
static void finish_process(struct proc *l) {
  if (l->group_exiting) l->wait_status = l->group_status;
  if (autoreap(l)) {
    struct proc *parent = l->parent;
    l->parent = NULL;
    l->reap = 1; /* the scheduler frees it, off its kernel stack */
    if (l != curproc && l->state == ZOMBIE) { proc_free(l); }
    wakeup(parent);
  } else {
    notify_parent(l, ZOMBIE);
  }
}

/* Ends the current thread with a Linux wait status (code << 8, or the
 * signal number); the process ends with its last thread. Its children go
 * to another of its threads, or to init; its parent is told. When init
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
  files_put(p->files);
  p->files = NULL;
  iput(p->cwd);
  p->cwd = NULL;
  iput(p->exe);
  p->exe = NULL;
  fpu_reset(p);
  struct proc *heir = initproc;
  for (struct proc *q = procs; q < &procs[NPROC]; q++)
    if (q != p && q->tgid == p->tgid && q->state != UNUSED && q->state != ZOMBIE && q->state != EMBRYO) heir = q;
  for (struct proc *q = procs; q < &procs[NPROC]; q++) {
    if (q->parent != p) continue;
    q->parent = heir;
    if (q->state == ZOMBIE) wakeup(heir);
  }
  if (p->clear_child_tid) { /* for pthread_join and its kind: the tid word goes to 0 */
    u32 zero = 0;
    copy_to_user_checked(p->clear_child_tid, &zero, 4);
    futex_wake_address(p->mm, p->clear_child_tid);
  }
  vfork_release(p);
  int leader = p->tgid == p->pid, last = live_threads(p->tgid, p) == 0;
  if (leader && last && p->pid == p->sid) tty_session_ended(p->sid);
  load_pgdir(kernel_pgdir());
  mm_put(p->mm);
  p->mm = NULL;
  p->alarm_tick = 0;
  p->wait_status = wait_status;
  p->state = ZOMBIE;
  struct proc *l = group_leader(p);
  wakeup(&l->tgid); /* an exec or exit_group waiting for the others */
  if (!leader) {
    /* A thread leaves no zombie; when it was the last, its process's
     * first thread (a zombie already) is what the parent waits for. */
    p->parent = NULL;
    p->reap = 1;
    if (last && l != p && l->state == ZOMBIE) finish_process(l);
  } else if (last) {
    finish_process(p);
  }
  sched();
  panic("a zombie ran");
}

/* Stops the current process (a stop signal's default action) until
 * SIGCONT or SIGKILL; its parent may see it with WUNTRACED. */
void proc_stop(int sig) {
  struct proc *p = curproc;
  p->wait_status = (sig << 8) | 0x7f;
  p->report = 1;
  p->state = STOPPED;
  notify_parent(p, STOPPED);
  sched();
}

/* SIGCONT (or SIGKILL) for a stopped process: it runs again, and its
 * parent may see that with WCONTINUED. */
void proc_continue(struct proc *p) {
  p->state = RUNNABLE;
  p->wait_status = 0xffff;
  p->report = 2;
  notify_parent(p, RUNNABLE);
}

#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8
#define WNOTHREAD 0x20000000
#define WALL 0x40000000
#define WCLONE 0x80000000

/* struct rusage as i386 has it: two struct timeval, then 14 longs. */
static int put_rusage(u32 va, u32 utime, u32 stime) {
  u32 ru[18];
  memset(ru, 0, sizeof ru);
  ru[0] = utime / HZ, ru[1] = (utime % HZ) * (1000000 / HZ);
  ru[2] = stime / HZ, ru[3] = (stime % HZ) * (1000000 / HZ);
  return copy_to_user_checked(va, ru, sizeof ru);
}

/* Whether q is a child wait4(pid) is about: a process (its first thread)
 * that any thread of the caller's process started. */
static int wanted(struct proc *q, int pid) {
  if (!q->parent || q->parent->tgid != curproc->tgid || q->tgid != q->pid) return 0;
  if (q->state == UNUSED || q->state == EMBRYO) return 0;
  if (pid > 0) return q->pid == pid;
  if (pid == 0) return q->pgid == curproc->pgid;
  if (pid < -1) return q->pgid == -pid;
  return 1;
}

/* wait4: waits for a child (pid > 0: that one; 0: of this group; < -1:
 * of group -pid; -1: any) to end, or with WUNTRACED to stop, or with
 * WCONTINUED to continue; stores its wait status at status_va and its
 * times at rusage_va if given. WNOHANG returns 0 instead of waiting. */
int wait4(int pid, u32 status_va, int options, u32 rusage_va) {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | (int)WCLONE)) return -EINVAL;
  for (;;) {
    int children = 0;
    for (struct proc *q = procs; q < &procs[NPROC]; q++) {
      if (!wanted(q, pid)) continue;
      children++;
      int st = q->wait_status, found = q->pid;
      if (q->state == ZOMBIE && live_threads(q->tgid, NULL)) continue; /* its other threads still run */
      if (q->state == ZOMBIE) {
        if (status_va && copy_to_user_checked(status_va, &st, 4) < 0) return -EFAULT;
        if (rusage_va && put_rusage(rusage_va, q->utime + q->cutime, q->stime + q->cstime) < 0) return -EFAULT;
        curproc->cutime += q->utime + q->cutime;
        curproc->cstime += q->stime + q->cstime;
        proc_free(q);
        return found;
      }
      int show = (q->report == 1 && (options & WUNTRACED) && q->state == STOPPED) || (q->report == 2 && (options & WCONTINUED));
      if (!show) continue;
      if (status_va && copy_to_user_checked(status_va, &st, 4) < 0) return -EFAULT;
      if (rusage_va && put_rusage(rusage_va, q->utime, q->stime) < 0) return -EFAULT;
      q->report = 0;
      return found;
    }
    if (!children) return -ECHILD;
    if (options & WNOHANG) return 0;
    if (signal_pending()) return -ERESTARTSYS;
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
  char message[96];
  switch (tf->trapno) {
    case T_PF: snprintk(message, sizeof message, "Segmentation fault at address %x (eip %x)", cr2, tf->eip); sig = SIGSEGV; break;
    case T_UD: snprintk(message, sizeof message, "Illegal instruction at eip %x", tf->eip); sig = SIGILL; break;
    case T_GP: snprintk(message, sizeof message, "General protection fault at eip %x", tf->eip); sig = SIGSEGV; break;
    case T_DIVIDE: snprintk(message, sizeof message, "Floating point exception at eip %x", tf->eip); sig = SIGFPE; break;
    case T_MF:
      snprintk(message, sizeof message, "Floating point exception (x87 %s) at eip %x", fpu_error(), tf->eip);
      sig = SIGFPE;
      break;
    default: snprintk(message, sizeof message, "%s at eip %x", trap_name(tf->trapno), tf->eip); sig = SIGSEGV; break;
  }
  /* A handler may take the fault (a SIGSEGV handler, say); otherwise the
   * process ends, reported as above. */
  if (signal_handled(p, sig)) {
    send_signal(p, sig);
    return;
  }
  printk("%s[%d]: %s\n", p->name, p->pid, message);
  group_exit(sig);
}

/* setpgid with Linux's rules: oneself or a child (that has not exec'd:
 * not checked here), within the session, into a group of the session. */
int setpgid(int pid, int pgid) {
  struct proc *p = pid ? proc_find(pid) : curproc;
  if (p) p = group_leader(p);
  if (pgid < 0) return -EINVAL;
  if (!p || (p->tgid != curproc->tgid && (!p->parent || p->parent->tgid != curproc->tgid))) return -ESRCH;
  if (p->sid != curproc->sid) return -EPERM;
  if (p->pid == p->sid) return -EPERM; /* a session leader stays where it is */
  if (!pgid) pgid = p->pid;
  if (pgid != p->pid) { /* a group of this session, even one of zombies only (see group_session) */
    int found = 0;
    for (struct proc *q = procs; q < &procs[NPROC]; q++)
      if (q->state != UNUSED && q->state != EMBRYO && q->pgid == pgid && q->sid == curproc->sid) found = 1;
    if (!found) return -EPERM;
  }
  for (struct proc *q = procs; q < &procs[NPROC]; q++)
    if (q->tgid == p->tgid && q->state != UNUSED) q->pgid = pgid; /* every thread of it */
  return 0;
}

/* The session of process group pgrp, or -1 when there is no such group.
 * A zombie not yet waited for is still in its group, as on Linux: the
 * second process of a pipeline joins (setpgid) and a shell gives the
 * terminal to (tcsetpgrp) the group of a first one that has already
 * ended. */
int group_session(int pgrp) {
  for (struct proc *q = procs; q < &procs[NPROC]; q++)
    if (q->state != UNUSED && q->state != EMBRYO && q->pgid == pgrp) return q->sid;
  return -1;
}

int session_alive(int sid) {
  for (struct proc *q = procs; q < &procs[NPROC]; q++)
    if (q->state != UNUSED && q->state != EMBRYO && q->state != ZOMBIE && q->sid == sid) return 1;
  return 0;
}

/* setsid: a new session and group, led by the caller, without a
 * controlling terminal; not for a group leader. */
int setsid(void) {
  struct proc *p = curproc;
  for (struct proc *q = procs; q < &procs[NPROC]; q++)
    if (q->state != UNUSED && q->pgid == p->tgid) return -EPERM;
  for (struct proc *q = procs; q < &procs[NPROC]; q++)
    if (q->tgid == p->tgid && q->state != UNUSED) q->sid = q->pgid = p->tgid;
  return p->sid;
}

EXPORT_SYMBOL(sleep);
EXPORT_SYMBOL(sleep_until);
EXPORT_SYMBOL(wakeup);
EXPORT_SYMBOL(signal_pending);
EXPORT_SYMBOL(curproc);
