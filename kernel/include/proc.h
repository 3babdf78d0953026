/* Processes. */
#ifndef PROC_H
#define PROC_H
#include "types.h"
#include "mmu.h"

#define NPROC 64
#define KSTACK_SIZE 4096
#define USTACK_TOP 0xBFFFF000u /* one unmapped guard page below the kernel */
#define USTACK_PAGES 16

enum procstate { UNUSED, RUNNABLE, RUNNING, ZOMBIE };

struct proc {
  int pid;
  enum procstate state;
  u32 *pgdir;
  u8 *kstack;             /* bottom of the kernel stack page */
  struct trapframe *tf;   /* the user registers, at the top of kstack */
  int exit_status;
  char name[16];
};

extern struct proc *curproc;

/* exec.c: loads an ELF executable into a fresh address space. */
int exec_image(struct proc *p, const u8 *elf, u32 size, const char *argv0);

/* proc.c */
struct proc *proc_alloc(void);
void proc_run(struct proc *p) __attribute__((noreturn));
void proc_exit(int status) __attribute__((noreturn));
void user_fault(struct trapframe *tf);

/* syscall.c */
void syscall(struct trapframe *tf);
#endif
