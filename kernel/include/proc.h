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
#define USER_MIN 0x10000u      /* nothing of a process's below this (Linux's mmap_min_addr) */
#define MMAP_BASE 0x40000000u  /* mappings go upward from here */
#define ARG_MAX (128u << 10)   /* execve's argument and environment strings, together */
#define NTLS 3                 /* thread-local storage descriptors (GDT_ENTRY_TLS_ENTRIES) */
#define NRLIMIT 16

enum procstate { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

#include "uapi/signal_values.h"
#define NSIG 32
#define SIG_DFL 0
#define SIG_IGN 1

/* A process's FPU registers while the FPU is not holding them: fxsave's
 * 512-byte image (16-byte aligned, as fxsave wants). used: the process
 * ran an FPU instruction since exec, so the image is its state; before
 * that its first FPU instruction gets a fresh fninit'ed FPU. */
struct fpu_state {
  u8 image[512] __attribute__((aligned(16)));
  int used;
};

/* What swtch saves: the callee-saved registers, then the return address. */
struct context { u32 edi, esi, ebx, ebp, eip; };

struct proc {
  int pid, pgid;
  enum procstate state;
  struct proc *parent;
  struct mm *mm;          /* the address space */
  u8 *kstack;             /* bottom of the kernel stack page */
  struct trapframe *tf;   /* the user registers, at the top of kstack */
  struct context *context;
  void *chan;             /* what a SLEEPING process waits for */
  u32 wake_tick;          /* and until when, if not 0 (sleep_until) */
  int wait_status;        /* Linux wait status once a ZOMBIE */
  u32 pending, ignored;   /* signal bit masks */
  struct file *ofile[NOFILE];
  struct inode *cwd;
  u64 tls[NTLS];          /* its GDT_ENTRY_TLS descriptors: tls.c */
  u32 clear_child_tid;    /* set_tid_address: zeroed (and woken) at exit */
  u32 robust_list, robust_len;
  struct { u64 cur, max; } rlim[NRLIMIT];
  u32 uid, euid, suid;    /* real, effective and saved user ids */
  u32 gid, egid, sgid;
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

/* exec.c: loads an ELF executable into a fresh address space, with argv
 * and envp on the new stack. strings holds the argc arguments and then
 * the envc environment strings, each ending in NUL, len bytes in all. */
int exec_image(struct proc *p, struct inode *ip, const char *path, const char *strings, u32 len, int argc, int envc);

/* tls.c */
void tls_load(struct proc *p);
int tls_selector_ok(u32 sel);

/* rlimit.c */
void rlimit_init(struct proc *p);

/* proc.c */
struct proc *proc_alloc(void);
void scheduler(void) __attribute__((noreturn));
void yield(void);
void sleep(void *chan);
void wakeup(void *chan);
int sleep_until(void *chan, u32 deadline);
void wakeup_deadlines(void);
int fork(void);
int wait4(int pid, u32 status_va, int options);
void proc_exit(int wait_status) __attribute__((noreturn));
void user_fault(struct trapframe *tf);
void user_init(const char *path, const char *args, u32 len, int argc);
struct proc *proc_find(int pid);
struct proc *proc_nth(u32 n);
u32 proc_user_pages(struct proc *p);
int signal_pending(void);
void send_signal(struct proc *p, int sig);
int signal_group(int pgrp, int sig);
int kill(int pid, int sig);
void deliver_signals(void);
int setpgid(int pid, int pgid);

/* fpu.c: the FPU belongs to one process at a time and changes hands at
 * that process's first FPU instruction after a switch (#NM). */
void fpu_init(void);
void fpu_switch_to(struct proc *p);
void fpu_trap(void);
void fpu_fork(struct proc *child, struct proc *parent);
void fpu_reset(struct proc *p);
const char *fpu_error(void);

/* syscall.c */
void syscall(struct trapframe *tf);
int copy_from_user(void *dst, u32 va, u32 len);
int copy_to_user_checked(u32 va, const void *src, u32 len);
int copy_string(char *buf, u32 size, u32 va);
int copy_to_space(struct mm *mm, u32 va, const void *src, u32 len);
#endif
