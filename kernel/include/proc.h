/* Processes, the scheduler and signals. */
#ifndef PROC_H
#define PROC_H
#include "types.h"
#include "mmu.h"
#include "fs.h"
#include "mm.h"

#define NPROC 64
#define KSTACK_SIZE 8192
#define USTACK_TOP 0xBFFFF000u /* one unmapped guard page below the kernel */
#define USTACK_PAGES 16        /* the stack's pages mapped at exec (it may grow to STACK_MAX) */
#define USER_MIN 0x10000u      /* nothing of a process's below this (Linux's mmap_min_addr) */
#define MMAP_BASE 0x40000000u  /* mappings go upward from here */
#define ARG_MAX (128u << 10)   /* execve's argument and environment strings, together */
#define NTLS 3                 /* thread-local storage descriptors (GDT_ENTRY_TLS_ENTRIES) */
#define NRLIMIT 16
#define NGROUPS 16

enum procstate { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE, STOPPED };

#include "uapi/signal_values.h"
#define NSIG 65 /* signals 1 to 64, as Linux's _NSIG */
#define SIG_DFL 0
#define SIG_IGN 1
#define SIGBIT(sig) (1ull << ((sig) - 1)) /* sigset_t's bit for sig, as Linux has it */

/* A signal's disposition: struct sigaction as i386's rt_sigaction passes it. */
struct sigaction_k {
  u32 handler, flags, restorer;
  u64 mask;
};

/* A process's FPU registers while the FPU is not holding them: fxsave's
 * 512-byte image (16-byte aligned, as fxsave wants). used: the process
 * ran an FPU instruction since exec, so the image is its state; before
 * that its first FPU instruction gets a fresh fninit'ed FPU. */
struct fpu_state {
  u8 image[512] __attribute__((aligned(16)));
  int used;
};

/* A descriptor table: the open files by number, and which of them exec
 * closes. Threads share one (CLONE_FILES); fork copies it. */
struct files {
  int refs;
  struct file *fd[NOFILE];
  u64 cloexec;
};

/* What swtch saves: the callee-saved registers, then the return address. */
struct context { u32 edi, esi, ebx, ebp, eip; };

struct proc {
  int pid, pgid, sid;     /* its process group and session (job control); pid is the thread's id */
  int tgid;               /* the process's id: its first thread's pid, shared by its threads */
  int group_exiting, group_status; /* (on the first thread) exit_group or a fatal signal is ending them all */
  enum procstate state;
  struct proc *parent;
  struct proc *vfork_parent; /* waiting until this child execs or exits */
  struct mm *mm;          /* the address space */
  u8 *kstack;             /* bottom of the kernel stack page */
  struct trapframe *tf;   /* the user registers, at the top of kstack */
  struct context *context;
  void *chan;             /* what a SLEEPING process waits for */
  u32 wake_tick;          /* and until when, if not 0 (sleep_until) */
  int wait_status;        /* Linux wait status once a ZOMBIE; or of a stop or continue to report */
  int report;             /* a stop (WUNTRACED) or continue (WCONTINUED) the parent has not seen */
  u64 pending, blocked;   /* signal sets */
  u64 saved_blocked;      /* sigsuspend's mask to put back after the handler */
  int restore_blocked;
  u64 sigwait;            /* the signals rt_sigtimedwait is waiting for */
  struct sigaction_k action[NSIG - 1]; /* signal n's at n - 1 */
  u32 altstack_sp, altstack_size, altstack_flags;
  int syscall_nr;         /* the call being made, for restarting it; -1 outside one */
  u32 alarm_tick, alarm_interval; /* ITIMER_REAL: when SIGALRM comes, and again every */
  u32 utime, stime, cutime, cstime; /* ticks in user and kernel mode; of waited-for children */
  u32 start_tick;
  struct inode *exe;      /* the program's file (/proc/PID/exe) */
  int reap;               /* ended with no one to wait for it: the scheduler frees it */
  struct mm *futex_mm;    /* waiting in futex(FUTEX_WAIT) on this word */
  u32 futex_addr;
  struct files *files;    /* the descriptor table, shared by threads (CLONE_FILES) */
  struct inode *cwd;
  u32 umask;
  u64 tls[NTLS];          /* its GDT_ENTRY_TLS descriptors: tls.c */
  u32 clear_child_tid;    /* set_tid_address: zeroed (and woken) at exit */
  u32 robust_list, robust_len;
  struct { u64 cur, max; } rlim[NRLIMIT];
  u32 uid, euid, suid;    /* real, effective and saved user ids */
  u32 gid, egid, sgid;
  u32 groups[NGROUPS], ngroups; /* supplementary groups */
  struct fpu_state fpu;   /* lazily switched: fpu.c */
  char name[16];
  char cmdline[128];      /* the arguments, each ending in NUL */
  u32 cmdline_len;
};

extern struct proc *curproc;

/* cred.c */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4
int is_root(void);
int permission(const struct inode *ip, u32 mask);
int permission_real(const struct inode *ip, u32 mask);

/* exec.c: loads an ELF executable into a fresh address space, with argv
 * and envp on the new stack. strings holds the argc arguments and then
 * the envc environment strings, each ending in NUL, len bytes in all. */
int exec_image(struct proc *p, struct inode *ip, const char *path, const char *strings, u32 len, int argc, int envc);

/* tls.c */
void tls_load(struct proc *p);
int tls_set(struct proc *p, u32 va);
int tls_selector_ok(u32 sel);

/* rlimit.c */
void rlimit_init(struct proc *p);
u32 rlimit_nofile(struct proc *p);

/* proc.c */
#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_VFORK 0x4000
#define CLONE_PARENT 0x8000
#define CLONE_THREAD 0x10000
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID 0x1000000
struct proc *proc_alloc(void);
int clone(u32 flags, u32 stack, u32 ptid, u32 tls, u32 ctid);
void proc_stop(int sig);
void proc_continue(struct proc *p);
void notify_parent(struct proc *p, int why);
void proc_exit_early(struct proc *c);
void vfork_release(struct proc *p);
int setsid(void);
int group_session(int pgrp);
int session_alive(int sid);
void scheduler(void) __attribute__((noreturn));
void yield(void);
void sleep(void *chan);
void wakeup(void *chan);
int sleep_until(void *chan, u32 deadline);
int user_timeout_ticks(u32 ts_va, int wide, u32 *ticks_out);
void wakeup_deadlines(void);
int fork(void);
int wait4(int pid, u32 status_va, int options, u32 rusage_va);
void proc_exit(int wait_status) __attribute__((noreturn));
void group_exit(int wait_status) __attribute__((noreturn));
struct proc *group_leader(struct proc *p);
int kill_other_threads(void);
void proc_release_zombie(struct proc *p);
void user_fault(struct trapframe *tf);
void user_init(const char *path, const char *args, u32 len, int argc, int envc);
struct proc *proc_find(int pid);
int proc_last_pid(void);
struct proc *proc_nth(u32 n);
struct proc *proc_nth_process(u32 n);
int proc_threads(int tgid);
u32 proc_user_pages(struct proc *p);
int setpgid(int pid, int pgid);

/* signal.c */
int signal_pending(void);
void send_signal(struct proc *p, int sig);
int signal_group(int pgrp, int sig);
int kill(int pid, int sig);
void deliver_signals(struct trapframe *tf);
int signal_ignored(struct proc *p, int sig);
int signal_handled(struct proc *p, int sig);
int signal_is_blocked_or_ignored(struct proc *p, int sig);
void signals_fork(struct proc *child, struct proc *parent);
void signals_exec(struct proc *p);
void alarms_due(void);

/* fpu.c: the FPU belongs to one process at a time and changes hands at
 * that process's first FPU instruction after a switch (#NM). */
void fpu_init(void);
void fpu_switch_to(struct proc *p);
void fpu_trap(void);
void fpu_fork(struct proc *child, struct proc *parent);
void fpu_reset(struct proc *p);
int fpu_save_image(struct proc *p, u8 *image);
void fpu_load_image(struct proc *p, const u8 *image);

/* futex.c */
void futex_wake_address(struct mm *mm, u32 addr);
const char *fpu_error(void);

/* syscall.c */
void syscall(struct trapframe *tf);
int copy_from_user(void *dst, u32 va, u32 len);
int copy_to_user_checked(u32 va, const void *src, u32 len);
int copy_string(char *buf, u32 size, u32 va);
int copy_to_space(struct mm *mm, u32 va, const void *src, u32 len);
int copy_to_mm(struct mm *mm, u32 va, const void *src, u32 len);
#endif
