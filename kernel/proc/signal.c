/* Signals, as Linux i386 has them: 64 of them, each with a disposition
 * (default, ignore, or a handler with its mask and flags), a pending and
 * a blocked set per process, and the default actions: end the process
 * (with a core flag for some), ignore, stop, continue. A handler runs on
 * a frame laid out as Linux's (struct sigframe, or rt_sigframe with
 * SA_SIGINFO), returning through sigreturn or rt_sigreturn, so that
 * glibc's and musl's restorers work unchanged; the frame holds the FPU
 * state too. Signals are acted on when a process returns to user mode;
 * a system call a signal cut short is restarted or fails with EINTR by
 * Linux's rules (ERESTARTSYS and SA_RESTART). */
#include "kernel.h"
#include "module.h"
#include "proc.h"
#include "mmu.h"
#include "uapi/syscall.h"

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_RESTORER 0x04000000

#define SS_ONSTACK 1
#define SS_DISABLE 2

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define IGNORED_BY_DEFAULT (SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH))

static struct sigaction_k *action(struct proc *p, int sig) { return &p->action[sig - 1]; }

/* Whether sig, sent to p now, would change nothing: ignored, explicitly
 * or by default, and not blocked (a blocked signal stays pending: its
 * disposition may change before it is unblocked). */
int signal_ignored(struct proc *p, int sig) {
  if (p->blocked & SIGBIT(sig)) return 0;
  u32 h = action(p, sig)->handler;
  return h == SIG_IGN || (h == SIG_DFL && (IGNORED_BY_DEFAULT & SIGBIT(sig)));
}

/* For the tty's job control: a background process that blocks or ignores
 * SIGTTIN/SIGTTOU gets EIO (or is let through) instead of being stopped. */
int signal_is_blocked_or_ignored(struct proc *p, int sig) {
  return (p->blocked & SIGBIT(sig)) || action(p, sig)->handler == SIG_IGN;
}

/* For a fault: whether a handler will take sig (it is then unblocked, as
 * Linux's force_sig does); otherwise the fault ends the process. */
int signal_handled(struct proc *p, int sig) {
  u32 h = action(p, sig)->handler;
  if (h == SIG_DFL || h == SIG_IGN || (p->blocked & SIGBIT(sig))) return 0;
  return 1;
}

static u64 deliverable(struct proc *p) { return p->pending & ~(p->blocked & ~UNBLOCKABLE); }

int signal_pending(void) { return curproc && deliverable(curproc) != 0; }

void send_signal(struct proc *p, int sig) {
  if (sig <= 0 || sig >= NSIG || p->state == ZOMBIE || p->state == UNUSED) return;
  /* init gets only the signals it has handlers for, or blocks (to take
   * with sigtimedwait, as busybox init does), as on Linux */
  if (p->pid == 1 && (sig == SIGKILL || sig == SIGSTOP ||
                      (action(p, sig)->handler == SIG_DFL && !((p->blocked | p->sigwait) & SIGBIT(sig)))))
    return;
  if (sig == SIGKILL || sig == SIGCONT) {
    p->pending &= ~STOP_SIGNALS;
    if (p->state == STOPPED) proc_continue(p);
  }
  if (STOP_SIGNALS & SIGBIT(sig)) p->pending &= ~SIGBIT(SIGCONT);
  if (signal_ignored(p, sig)) return;
  p->pending |= SIGBIT(sig);
  /* its sleep is cut short; or it is waiting for this one (sigtimedwait) */
  if (p->state == SLEEPING && ((deliverable(p) | p->sigwait) & SIGBIT(sig))) p->state = RUNNABLE;
}

/* The last stage of a system call a signal interrupted: run again (the
 * int 0x80 re-executed with the number back in EAX), or fail with EINTR
 * when a handler without SA_RESTART is about to run. */
static void restart_syscall(struct trapframe *tf, const struct sigaction_k *handled) {
  int r = (int)tf->eax;
  if (curproc->syscall_nr < 0 || (r != -ERESTARTSYS && r != -ERESTARTNOINTR && r != -ERESTARTNOHAND)) return;
  if (handled && (r == -ERESTARTNOHAND || (r == -ERESTARTSYS && !(handled->flags & SA_RESTART)))) {
    tf->eax = (u32)-EINTR;
    return;
  }
  tf->eax = (u32)curproc->syscall_nr;
  tf->eip -= 2;
}

/* The i386 frames (<asm/sigframe.h>). */
struct sigcontext {
  u32 gs, fs, es, ds, edi, esi, ebp, esp, ebx, edx, ecx, eax, trapno, err, eip, cs, eflags, esp_at_signal, ss;
  u32 fpstate, oldmask, cr2;
};

struct ucontext {
  u32 flags, link, ss_sp, ss_flags, ss_size;
  struct sigcontext mcontext;
  u64 sigmask;
};

struct siginfo { int signo, errno_, code; int pid; u32 uid; u32 pad[27]; }; /* 128 bytes */

#define FPSTATE_SIZE (112 + 512) /* struct _fpstate_32: the fsave header, then fxsave's image */

struct sigframe {
  u32 pretcode;
  int sig;
  struct sigcontext sc;
  u8 fpstate_unused[FPSTATE_SIZE];
  u32 extramask;
  u8 retcode[8];
};

struct rt_sigframe {
  u32 pretcode;
  int sig;
  u32 pinfo, puc;
  struct siginfo info;
  struct ucontext uc;
  u8 retcode[8];
};

static void save_context(struct sigcontext *sc, const struct trapframe *tf, u32 fpstate, u64 mask) {
  sc->gs = tf->gs & 0xffff, sc->fs = tf->fs & 0xffff, sc->es = tf->es & 0xffff, sc->ds = tf->ds & 0xffff;
  sc->edi = tf->edi, sc->esi = tf->esi, sc->ebp = tf->ebp, sc->esp = tf->esp, sc->ebx = tf->ebx;
  sc->edx = tf->edx, sc->ecx = tf->ecx, sc->eax = tf->eax;
  sc->trapno = tf->trapno, sc->err = tf->err, sc->eip = tf->eip, sc->cs = tf->cs & 0xffff;
  sc->eflags = tf->eflags, sc->esp_at_signal = tf->esp, sc->ss = tf->ss & 0xffff;
  sc->fpstate = fpstate;
  sc->oldmask = (u32)mask;
  u32 cr2;
  __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
  sc->cr2 = cr2;
}

/* The flags sigreturn may set, as Linux's FIX_EFLAGS: never IOPL or IF. */
#define USER_EFLAGS 0x00040dd5u /* AC OF DF TF SF ZF AF PF CF */

static void restore_context(struct trapframe *tf, const struct sigcontext *sc) {
  tf->gs = sc->gs & 0xffff, tf->fs = sc->fs & 0xffff, tf->es = sc->es & 0xffff, tf->ds = sc->ds & 0xffff;
  tf->edi = sc->edi, tf->esi = sc->esi, tf->ebp = sc->ebp, tf->esp = sc->esp, tf->ebx = sc->ebx;
  tf->edx = sc->edx, tf->ecx = sc->ecx, tf->eax = sc->eax;
  tf->eip = sc->eip;
  tf->cs = sc->cs | 3, tf->ss = sc->ss | 3; /* trap.c checks them before they are loaded */
  tf->eflags = (tf->eflags & ~USER_EFLAGS) | (sc->eflags & USER_EFLAGS);
}

/* The FPU state into the frame: 0 when the process has none (it never
 * used the FPU), else the address written. */
static u32 save_fpu(u32 at) {
  u8 *image = kmalloc(FPSTATE_SIZE);
  if (!image) return 0;
  memset(image, 0, FPSTATE_SIZE);
  u32 put = 0;
  if (fpu_save_image(curproc, image + 112)) {
    memcpy(image, image + 112, 4); /* the control and status words, as fnsave's header begins */
    image[112 - 2] = 0, image[112 - 1] = 0; /* magic 0: FXSR data follows */
    if (copy_to_user_checked(at, image, FPSTATE_SIZE) == 0) put = at;
  }
  kmfree(image);
  fpu_reset(curproc); /* the handler starts with a fresh FPU, as on Linux */
  return put;
}

static void restore_fpu(u32 fpstate) {
  u8 *image = fpstate ? kmalloc(512) : NULL;
  if (image && copy_from_user(image, fpstate + 112, 512) == 0) fpu_load_image(curproc, image);
  else fpu_reset(curproc);
  kmfree(image);
}

/* Where the frame goes: below the interrupted stack (or at the top of the
 * alternate one), with ESP + 4 16-byte aligned at the handler's entry. */
static u32 frame_top(const struct trapframe *tf, const struct sigaction_k *sa) {
  u32 sp = tf->esp;
  struct proc *p = curproc;
  int on_alt = p->altstack_size && sp - p->altstack_sp < p->altstack_size;
  if ((sa->flags & SA_ONSTACK) && p->altstack_size && !(p->altstack_flags & SS_DISABLE) && !on_alt)
    sp = p->altstack_sp + p->altstack_size;
  return sp;
}

/* Builds the frame for sig's handler and points the registers at it; a
 * frame that cannot be written kills the process with SIGSEGV. */
static void setup_frame(struct trapframe *tf, int sig, const struct sigaction_k *sa, u64 mask) {
  u32 sp = frame_top(tf, sa);
  u32 fpstate_at = (sp - FPSTATE_SIZE) & ~63u;
  u32 fpstate = save_fpu(fpstate_at);
  sp = fpstate_at;
  int rt = (sa->flags & SA_SIGINFO) != 0;
  u32 size = rt ? sizeof(struct rt_sigframe) : sizeof(struct sigframe);
  sp = ((sp - size + 4) & ~15u) - 4;
  int err;
  if (rt) {
    struct rt_sigframe *f = kzalloc(sizeof *f);
    if (!f) proc_exit(SIGSEGV);
    f->sig = sig;
    f->pinfo = sp + __builtin_offsetof(struct rt_sigframe, info);
    f->puc = sp + __builtin_offsetof(struct rt_sigframe, uc);
    f->info.signo = sig;
    f->uc.ss_sp = curproc->altstack_sp, f->uc.ss_size = curproc->altstack_size;
    f->uc.ss_flags = curproc->altstack_size ? (tf->esp - curproc->altstack_sp < curproc->altstack_size ? SS_ONSTACK : 0)
                                            : SS_DISABLE;
    save_context(&f->uc.mcontext, tf, fpstate, mask);
    f->uc.sigmask = mask;
    /* movl $__NR_rt_sigreturn, %eax; int $0x80 */
    u8 code[8] = {0xb8, SYS_rt_sigreturn & 0xff, SYS_rt_sigreturn >> 8, 0, 0, 0xcd, 0x80, 0};
    memcpy(f->retcode, code, 8);
    f->pretcode = sa->flags & SA_RESTORER ? sa->restorer : sp + __builtin_offsetof(struct rt_sigframe, retcode);
    err = copy_to_user_checked(sp, f, sizeof *f);
    kmfree(f);
  } else {
    struct sigframe *f = kzalloc(sizeof *f);
    if (!f) proc_exit(SIGSEGV);
    f->sig = sig;
    save_context(&f->sc, tf, fpstate, mask);
    f->extramask = (u32)(mask >> 32);
    /* popl %eax; movl $__NR_sigreturn, %eax; int $0x80 */
    u8 code[8] = {0x58, 0xb8, SYS_sigreturn & 0xff, SYS_sigreturn >> 8, 0, 0, 0xcd, 0x80};
    memcpy(f->retcode, code, 8);
    f->pretcode = sa->flags & SA_RESTORER ? sa->restorer : sp + __builtin_offsetof(struct sigframe, retcode);
    err = copy_to_user_checked(sp, f, sizeof *f);
    kmfree(f);
  }
  if (err < 0) {
    printk("%s[%d]: cannot write a signal frame at %x\n", curproc->name, curproc->pid, sp);
    proc_exit(SIGSEGV);
  }
  tf->esp = sp;
  tf->eip = sa->handler;
  tf->eax = (u32)sig; /* and, for SA_SIGINFO, the info and context (regparm(3) handlers) */
  tf->edx = rt ? sp + __builtin_offsetof(struct rt_sigframe, info) : 0;
  tf->ecx = rt ? sp + __builtin_offsetof(struct rt_sigframe, uc) : 0;
  tf->cs = SEL_UCODE;
  tf->ds = tf->es = tf->ss = SEL_UDATA;
  tf->eflags &= ~(u32)(0x100 | 0x400); /* TF, DF */
}

/* The default action of sig, which is not ignored: stop, or end. */
static void default_action(int sig) {
  if (STOP_SIGNALS & SIGBIT(sig)) {
    proc_stop(sig);
    return;
  }
  group_exit(sig); /* no core is dumped (RLIMIT_CORE is 0), so no WCOREDUMP flag */
}

/* On the way back to user mode: acts on the pending signals that are not
 * blocked, lowest first; runs at most one handler (the rest wait for its
 * sigreturn). */
void deliver_signals(struct trapframe *tf) {
  struct proc *p = curproc;
  for (;;) {
    u64 ready = deliverable(p);
    if (!ready) break;
    int sig = __builtin_ctzll(ready) + 1;
    p->pending &= ~SIGBIT(sig);
    struct sigaction_k *sa = action(p, sig);
    if (sa->handler == SIG_IGN || (sa->handler == SIG_DFL && (IGNORED_BY_DEFAULT & SIGBIT(sig)))) continue;
    if (sa->handler == SIG_DFL && p->pid == 1) continue; /* never init's default action */
    if (sa->handler == SIG_DFL) {
      default_action(sig); /* returns only after a stop */
      continue;
    }
    restart_syscall(tf, sa);
    p->syscall_nr = -1;
    u64 mask = p->restore_blocked ? p->saved_blocked : p->blocked;
    p->restore_blocked = 0;
    struct sigaction_k run = *sa;
    if (sa->flags & SA_RESETHAND) sa->handler = SIG_DFL, sa->flags &= ~(u32)SA_SIGINFO;
    p->blocked |= run.mask | (run.flags & SA_NODEFER ? 0 : SIGBIT(sig));
    p->blocked &= ~UNBLOCKABLE;
    setup_frame(tf, sig, &run, mask);
    return;
  }
  restart_syscall(tf, NULL);
  if (p->restore_blocked) {
    p->blocked = p->saved_blocked;
    p->restore_blocked = 0;
  }
}

/* A signal to a process: SIGKILL, SIGCONT and the stop signals go to all
 * its threads; any other to one of them, its first thread unless that
 * one blocks it and another does not. */
static void send_group_signal(struct proc *l, int sig) {
  u64 bit = SIGBIT(sig);
  int all = sig == SIGKILL || sig == SIGCONT || (STOP_SIGNALS & bit);
  struct proc *to = l;
  for (u32 n = 0;; n++) {
    struct proc *q = proc_nth(n);
    if (!q) break;
    if (q->tgid != l->tgid || q == l || q->state == ZOMBIE) continue;
    if (all) send_signal(q, sig);
    else if ((to->blocked & bit) && !(q->blocked & bit)) to = q;
  }
  if (to == l && l->state == ZOMBIE) { /* its first thread ended, others run */
    for (u32 n = 0;; n++) {
      struct proc *q = proc_nth(n);
      if (!q) break;
      if (q->tgid == l->tgid && q->state != ZOMBIE) { to = q; break; }
    }
  }
  send_signal(to, sig);
}

int signal_group(int pgrp, int sig) {
  int found = 0;
  for (u32 n = 0;; n++) {
    struct proc *p = proc_nth(n);
    if (!p) break;
    if (p->pgid != pgrp || p->tgid != p->pid || p->state == ZOMBIE) continue;
    send_group_signal(p, sig);
    found = 1;
  }
  return found ? 0 : -ESRCH;
}

/* Whether the caller may signal p: root, or the same real or effective
 * user as p's real or saved one; SIGCONT within a session. */
static int may_signal(struct proc *p, int sig) {
  if (is_root() || (sig == SIGCONT && p->sid == curproc->sid)) return 1;
  u32 u = curproc->uid, e = curproc->euid;
  return u == p->uid || u == p->suid || e == p->uid || e == p->suid;
}

/* kill: to a process (a thread's id names its process too), a process
 * group, or every process but init and the caller's. */
int kill(int pid, int sig) {
  if (sig < 0 || sig >= NSIG) return -EINVAL;
  if (pid == (int)0x80000000) return -ESRCH; /* no group -INT_MIN */
  if (pid > 0) {
    struct proc *t = proc_find(pid);
    if (t) pid = t->tgid;
  }
  int target_group = pid == 0 ? curproc->pgid : pid < -1 ? -pid : 0;
  int found = 0, allowed = 0;
  for (u32 n = 0;; n++) {
    struct proc *p = proc_nth(n);
    if (!p) break;
    if (p->tgid != p->pid) continue; /* its process is found through its first thread */
    if (p->state == ZOMBIE && pid != p->pid) continue;
    if (pid > 0 ? p->pid != pid : pid == -1 ? (p->pid == 1 || p->tgid == curproc->tgid) : p->pgid != target_group) continue;
    found = 1;
    if (!may_signal(p, sig)) continue;
    allowed = 1;
    if (sig) send_group_signal(p, sig);
  }
  /* Linux answers ESRCH when kill(-1) finds no one to signal; here the
   * call succeeds (test/host/trace.test.ts has init's kill(-1, 0) = 0). */
  if (pid == -1) return found && !allowed ? -EPERM : 0;
  return !found ? -ESRCH : !allowed ? -EPERM : 0;
}

/* fork: the child has the parent's dispositions and mask, nothing pending. */
void signals_fork(struct proc *child, struct proc *parent) {
  memcpy(child->action, parent->action, sizeof child->action);
  child->blocked = parent->blocked;
  child->pending = 0;
  child->altstack_sp = parent->altstack_sp, child->altstack_size = parent->altstack_size;
  child->altstack_flags = parent->altstack_flags;
}

/* exec: handlers are reset to the default (their code is gone); ignored
 * signals stay ignored, the mask stays, the alternate stack goes. */
void signals_exec(struct proc *p) {
  for (int i = 0; i < NSIG - 1; i++) {
    struct sigaction_k *sa = &p->action[i];
    if (sa->handler != SIG_IGN) sa->handler = SIG_DFL;
    sa->flags = 0, sa->restorer = 0, sa->mask = 0;
  }
  p->altstack_sp = p->altstack_size = 0;
  p->altstack_flags = SS_DISABLE;
}

/* A disposition is the process's (CLONE_SIGHAND): every thread gets it;
 * a signal it now ignores goes from what is pending. */
static void set_action(struct proc *p, int sig, const struct sigaction_k *act) {
  for (u32 n = 0;; n++) {
    struct proc *q = proc_nth(n);
    if (!q) break;
    if (q->tgid != p->tgid) continue;
    q->action[sig - 1] = *act;
    if (signal_ignored(q, sig) || act->handler == SIG_IGN) q->pending &= ~SIGBIT(sig);
  }
}

/* rt_sigaction(sig, act, oact, sigsetsize) */
int sys_rt_sigaction(u32 sig, u32 act_va, u32 oact_va, u32 setsize) {
  if (setsize != 8) return -EINVAL;
  if (sig == 0 || sig >= NSIG || (act_va && (sig == SIGKILL || sig == SIGSTOP))) return -EINVAL;
  struct sigaction_k *sa = action(curproc, (int)sig), act;
  if (act_va && copy_from_user(&act, act_va, sizeof act) < 0) return -EFAULT;
  if (oact_va && copy_to_user_checked(oact_va, sa, sizeof *sa) < 0) return -EFAULT;
  if (!act_va) return 0;
  act.mask &= ~UNBLOCKABLE;
  set_action(curproc, (int)sig, &act);
  return 0;
}

/* sigaction (67): the old struct, {handler, 32-bit mask, flags, restorer}. */
int sys_sigaction(u32 sig, u32 act_va, u32 oact_va) {
  if (sig == 0 || sig >= NSIG || (act_va && (sig == SIGKILL || sig == SIGSTOP))) return -EINVAL;
  struct sigaction_k *sa = action(curproc, (int)sig);
  u32 old[4] = {sa->handler, (u32)sa->mask, sa->flags, sa->restorer}, nw[4];
  if (act_va && copy_from_user(nw, act_va, sizeof nw) < 0) return -EFAULT;
  if (oact_va && copy_to_user_checked(oact_va, old, sizeof old) < 0) return -EFAULT;
  if (!act_va) return 0;
  struct sigaction_k act = {nw[0], nw[2], nw[3], nw[1] & ~(u32)UNBLOCKABLE};
  set_action(curproc, (int)sig, &act);
  return 0;
}

/* signal(sig, handler): System V's one-shot handlers; returns the old one. */
int sys_signal(u32 sig, u32 handler) {
  if (sig == 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
  struct sigaction_k *sa = action(curproc, (int)sig);
  u32 old = sa->handler;
  struct sigaction_k act = {handler, SA_RESETHAND | SA_NODEFER, 0, 0};
  set_action(curproc, (int)sig, &act);
  return (int)old;
}

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

static int change_mask(u32 how, u64 set) {
  set &= ~UNBLOCKABLE;
  switch (how) {
    case SIG_BLOCK: curproc->blocked |= set; return 0;
    case SIG_UNBLOCK: curproc->blocked &= ~set; return 0;
    case SIG_SETMASK: curproc->blocked = set; return 0;
    default: return -EINVAL;
  }
}

int sys_rt_sigprocmask(u32 how, u32 set_va, u32 oset_va, u32 setsize) {
  if (setsize != 8) return -EINVAL;
  u64 old = curproc->blocked, set;
  if (set_va && copy_from_user(&set, set_va, 8) < 0) return -EFAULT;
  if (set_va) {
    int err = change_mask(how, set);
    if (err) return err;
  }
  return oset_va ? copy_to_user_checked(oset_va, &old, 8) : 0;
}

int sys_sigprocmask(u32 how, u32 set_va, u32 oset_va) {
  u32 old = (u32)curproc->blocked, set;
  if (set_va && copy_from_user(&set, set_va, 4) < 0) return -EFAULT;
  if (set_va) {
    u64 s = set;
    if (how == SIG_SETMASK) s |= curproc->blocked & 0xffffffff00000000ull; /* the upper half stays */
    int err = change_mask(how, s);
    if (err) return err;
  }
  return oset_va ? copy_to_user_checked(oset_va, &old, 4) : 0;
}

int sys_rt_sigpending(u32 set_va, u32 setsize) {
  if (setsize > 8) return -EINVAL;
  u64 set = curproc->pending & curproc->blocked;
  return copy_to_user_checked(set_va, &set, setsize);
}

int sys_sigpending(u32 set_va) {
  u32 set = (u32)(curproc->pending & curproc->blocked);
  return copy_to_user_checked(set_va, &set, 4);
}

/* Waits for a signal with mask in place of the blocked set; the old set
 * comes back after the handler (deliver_signals puts it in the frame). */
static int suspend(u64 mask) {
  curproc->saved_blocked = curproc->blocked;
  curproc->restore_blocked = 1;
  curproc->blocked = mask & ~UNBLOCKABLE;
  while (!signal_pending()) sleep(curproc->mm);
  return -ERESTARTNOHAND;
}

int sys_rt_sigsuspend(u32 mask_va, u32 setsize) {
  u64 mask;
  if (setsize != 8) return -EINVAL;
  if (copy_from_user(&mask, mask_va, 8) < 0) return -EFAULT;
  return suspend(mask);
}

int sys_sigsuspend(u32 unused1, u32 unused2, u32 mask) {
  (void)unused1, (void)unused2;
  return suspend((curproc->blocked & 0xffffffff00000000ull) | mask);
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending
 * signal of set (usually blocked) without running its handler, waiting
 * for one until the timeout (NULL: for ever); another signal cuts the
 * wait short (EINTR), the timeout is EAGAIN. */
static int sigtimedwait(u32 set_va, u32 info_va, u32 ts_va, u32 setsize, int wide) {
  if (setsize != 8) return -EINVAL;
  u64 set;
  if (copy_from_user(&set, set_va, 8) < 0) return -EFAULT;
  set &= ~UNBLOCKABLE;
  u32 deadline = 0;
  int timed = 0;
  if (ts_va) {
    u32 t;
    int err = user_timeout_ticks(ts_va, wide, &t);
    if (err) return err;
    timed = 1;
    deadline = ticks + (t ? t + 1 : 0);
  }
  struct proc *p = curproc;
  for (;;) {
    u64 ready = p->pending & set;
    if (ready) {
      int sig = __builtin_ctzll(ready) + 1;
      p->pending &= ~SIGBIT(sig);
      if (info_va) {
        struct siginfo si;
        memset(&si, 0, sizeof si);
        si.signo = sig;
        if (copy_to_user_checked(info_va, &si, sizeof si) < 0) return -EFAULT;
      }
      return sig;
    }
    if (signal_pending()) return -EINTR;
    if (timed && (s32)(ticks - deadline) >= 0) return -EAGAIN;
    p->sigwait = set;
    if (timed) sleep_until(&p->sigwait, deadline);
    else sleep(&p->sigwait);
    p->sigwait = 0;
  }
}

int sys_rt_sigtimedwait(u32 set, u32 info, u32 ts, u32 size) { return sigtimedwait(set, info, ts, size, 0); }
int sys_rt_sigtimedwait_time64(u32 set, u32 info, u32 ts, u32 size) { return sigtimedwait(set, info, ts, size, 1); }

int sys_pause(void) {
  while (!signal_pending()) sleep(curproc->mm);
  return -ERESTARTNOHAND;
}

/* sigreturn and rt_sigreturn: the registers, mask and FPU state the frame
 * saved. The frame's address is the stack pointer less what the return
 * into the restorer (and its popl) took. */
static int restore_frame(u32 sc_va, u64 mask) {
  struct trapframe *tf = curproc->tf;
  struct sigcontext sc;
  if (copy_from_user(&sc, sc_va, sizeof sc) < 0) {
    printk("%s[%d]: bad signal frame at %x\n", curproc->name, curproc->pid, sc_va);
    proc_exit(SIGSEGV);
  }
  restore_context(tf, &sc);
  restore_fpu(sc.fpstate);
  curproc->blocked = mask & ~UNBLOCKABLE;
  curproc->syscall_nr = -1; /* nothing to restart: this call's result is the old EAX */
  return (int)tf->eax;
}

int sys_sigreturn(void) {
  u32 frame = curproc->tf->esp - 8;
  u32 extramask;
  if (copy_from_user(&extramask, frame + __builtin_offsetof(struct sigframe, extramask), 4) < 0) proc_exit(SIGSEGV);
  struct sigcontext sc;
  if (copy_from_user(&sc, frame + __builtin_offsetof(struct sigframe, sc), sizeof sc) < 0) proc_exit(SIGSEGV);
  return restore_frame(frame + __builtin_offsetof(struct sigframe, sc), ((u64)extramask << 32) | sc.oldmask);
}

int sys_rt_sigreturn(void) {
  u32 frame = curproc->tf->esp - 4;
  u64 mask;
  if (copy_from_user(&mask, frame + __builtin_offsetof(struct rt_sigframe, uc.sigmask), 8) < 0) proc_exit(SIGSEGV);
  u32 ss[3];
  if (copy_from_user(ss, frame + __builtin_offsetof(struct rt_sigframe, uc.ss_sp), sizeof ss) == 0 && !(ss[1] & SS_DISABLE) &&
      ss[2] >= 2048) /* the alternate stack as the frame has it, as Linux's restore_altstack */
    curproc->altstack_sp = ss[0], curproc->altstack_size = ss[2], curproc->altstack_flags = ss[1] & ~(u32)SS_ONSTACK;
  return restore_frame(frame + __builtin_offsetof(struct rt_sigframe, uc.mcontext), mask);
}

/* sigaltstack(ss, old_ss): stack_t is {sp, flags, size}. */
int sys_sigaltstack(u32 ss_va, u32 old_va) {
  struct proc *p = curproc;
  u32 sp = p->tf->esp;
  int on = p->altstack_size && sp - p->altstack_sp < p->altstack_size;
  u32 old[3] = {p->altstack_sp, p->altstack_size ? (on ? SS_ONSTACK : 0) : SS_DISABLE, p->altstack_size};
  if (ss_va) {
    u32 ss[3];
    if (copy_from_user(ss, ss_va, sizeof ss) < 0) return -EFAULT;
    if (on) return -EPERM;
    if (ss[1] & ~(u32)(SS_DISABLE | SS_ONSTACK | 0x80000000u /* SS_AUTODISARM */)) return -EINVAL;
    if (ss[1] & SS_DISABLE) p->altstack_sp = p->altstack_size = 0;
    else if (ss[2] < 2048) return -ENOMEM; /* MINSIGSTKSZ */
    else p->altstack_sp = ss[0], p->altstack_size = ss[2];
    p->altstack_flags = ss[1] & SS_DISABLE;
  }
  return old_va ? copy_to_user_checked(old_va, old, sizeof old) : 0;
}

int sys_kill(u32 pid, u32 sig) { return kill((int)pid, (int)sig); }

/* tkill and tgkill: to one thread (of process tgid). */
static int thread_kill(int tgid, int tid, int sig) {
  if (tid <= 0 || sig < 0 || sig >= NSIG) return -EINVAL;
  struct proc *t = proc_find(tid);
  if (!t || t->state == ZOMBIE || (tgid > 0 && t->tgid != tgid)) return -ESRCH;
  if (!may_signal(t, sig)) return -EPERM;
  if (sig) send_signal(t, sig);
  return 0;
}

int sys_tkill(u32 tid, u32 sig) { return thread_kill(0, (int)tid, (int)sig); }

int sys_tgkill(u32 tgid, u32 tid, u32 sig) { return (int)tgid <= 0 ? -EINVAL : thread_kill((int)tgid, (int)tid, (int)sig); }

/* ITIMER_REAL (alarm and setitimer): SIGALRM at alarm_tick, then every
 * alarm_interval ticks; from the timer interrupt. */
void alarms_due(void) {
  for (u32 n = 0;; n++) {
    struct proc *p = proc_nth(n);
    if (!p) break;
    if (!p->alarm_tick || (s32)(ticks - p->alarm_tick) < 0) continue;
    p->alarm_tick = p->alarm_interval ? ticks + p->alarm_interval : 0;
    send_signal(p, SIGALRM);
  }
}

static u32 ticks_left(void) { return curproc->alarm_tick ? curproc->alarm_tick - ticks : 0; }

int sys_alarm(u32 seconds) {
  u32 left = ticks_left();
  curproc->alarm_tick = seconds ? ticks + seconds * HZ : 0;
  if (seconds && !curproc->alarm_tick) curproc->alarm_tick = 1;
  curproc->alarm_interval = 0;
  return (int)((left + HZ / 2) / HZ + (left && left < HZ / 2 ? 1 : 0)); /* rounded, never 0 while pending */
}

#define ITIMER_REAL 0
static u32 tv_ticks(const u32 tv[2]) { return tv[0] * HZ + (tv[1] + 1000000 / HZ - 1) / (1000000 / HZ); }

int sys_getitimer(u32 which, u32 va) {
  if (which > 2) return -EINVAL;
  u32 v[4] = {0, 0, 0, 0};
  if (which == ITIMER_REAL) {
    u32 iv = curproc->alarm_interval, left = ticks_left();
    v[0] = iv / HZ, v[1] = (iv % HZ) * (1000000 / HZ), v[2] = left / HZ, v[3] = (left % HZ) * (1000000 / HZ);
  }
  return copy_to_user_checked(va, v, sizeof v);
}

int sys_setitimer(u32 which, u32 new_va, u32 old_va) {
  if (which > 2) return -EINVAL;
  if (old_va) {
    int err = sys_getitimer(which, old_va);
    if (err) return err;
  }
  u32 v[4] = {0, 0, 0, 0};
  if (new_va && copy_from_user(v, new_va, sizeof v) < 0) return -EFAULT;
  if (v[1] >= 1000000 || v[3] >= 1000000) return -EINVAL;
  if (which != ITIMER_REAL) return 0; /* the CPU-time timers never fire here */
  curproc->alarm_interval = tv_ticks(v);
  u32 first = tv_ticks(v + 2);
  curproc->alarm_tick = first ? ticks + first : 0;
  if (first && !curproc->alarm_tick) curproc->alarm_tick = 1;
  return 0;
}

EXPORT_SYMBOL(signal_pending);
