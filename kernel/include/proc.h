/* Processes and the scheduler. */
#ifndef PROC_H
#define PROC_H
#include "types.h"
#include "mmu.h"

#define NPROC 64
#define KSTACK_SIZE 4096
#define USTACK_TOP 0xBFFFF000u /* one unmapped guard page below the kernel */
#define USTACK_PAGES 16
#define MAXARG 32

enum procstate { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

/* What swtch saves: the callee-saved registers, then the return address. */
struct context { u32 edi, esi, ebx, ebp, eip; };

struct proc {
  int pid;
  enum procstate state;
  struct proc *parent;
  u32 *pgdir;
  u8 *kstack;             /* bottom of the kernel stack page */
  struct trapframe *tf;   /* the user registers, at the top of kstack */
  struct context *context;
  void *chan;             /* what a SLEEPING process waits for */
  int wait_status;        /* Linux wait status once a ZOMBIE */
  char name[16];
};

extern struct proc *curproc;

/* exec.c: loads an ELF executable into a fresh address space; argv is
 * copied onto the new stack. */
int exec_image(struct proc *p, const u8 *elf, u32 size, int argc, char *const argv[]);

/* proc.c */
struct proc *proc_alloc(void);
void scheduler(void) __attribute__((noreturn));
void yield(void);
void sleep(void *chan);
void wakeup(void *chan);
int fork(void);
int wait4(int pid, u32 status_va, int options);
void proc_exit(int wait_status) __attribute__((noreturn));
void user_fault(struct trapframe *tf);
void user_init(const u8 *elf, u32 size, const char *path);

/* syscall.c */
void syscall(struct trapframe *tf);
int copy_from_user(void *dst, u32 va, u32 len);
int copy_to_user_checked(u32 va, const void *src, u32 len);

/* initrd.c: files of the initrd, until the VFS exists */
void initrd_set(const u8 *data, u32 size);
int initrd_find(const char *path, const u8 **data, u32 *size);
#endif
