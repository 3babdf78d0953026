/* Process system calls: the life of a process, signals, memory, time. */
#include "kernel.h"
#include "proc.h"
#include "memlayout.h"
#include "x86.h"

int sys_exit(u32 status) { proc_exit((int)((status & 0xff) << 8)); }
int sys_fork(void) { return clone(0, 0, 0, 0, 0); }
int sys_vfork(void) { return clone(CLONE_VM | CLONE_VFORK, 0, 0, 0, 0); }
int sys_waitpid(u32 pid, u32 status, u32 options) { return wait4((int)pid, status, (int)options, 0); }
int sys_wait4(u32 pid, u32 status, u32 options, u32 rusage) { return wait4((int)pid, status, (int)options, rusage); }
int sys_getpid(void) { return curproc->tgid; }
int sys_gettid(void) { return curproc->pid; }
int sys_getppid(void) { return curproc->parent ? curproc->parent->tgid : 0; }
int sys_getpgrp(void) { return curproc->pgid; }
int sys_setpgid(u32 pid, u32 pgid) { return setpgid((int)pid, (int)pgid); }
int sys_setsid(void) { return setsid(); }
int sys_sched_yield(void) { yield(); return 0; }

/* clone(flags, stack, parent_tid, tls, child_tid): i386's argument order.
 * The low byte of flags is the signal the parent gets at the child's
 * end: SIGCHLD is the only one here. */
int sys_clone(u32 flags, u32 stack, u32 ptid, u32 tls, u32 ctid) { return clone(flags & ~0xffu, stack, ptid, tls, ctid); }

int sys_getpgid(u32 pid) {
  struct proc *p = pid ? proc_find((int)pid) : curproc;
  return p ? p->pgid : -ESRCH;
}

int sys_getsid(u32 pid) {
  struct proc *p = pid ? proc_find((int)pid) : curproc;
  return p ? p->sid : -ESRCH;
}

int sys_uname(u32 buf) {
  static const char fields[6][65] = {"wasm386", "wasm386", "0.1", "#1 teaching kernel", "i686", "(none)"};
  return copy_to_user_checked(buf, fields, sizeof fields);
}

#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_RESTART 0x01234567
#define REBOOT_HALT 0xcdef0123
#define REBOOT_POWER_OFF 0x4321fedc

/* reboot: power off sets SLP_EN in the ACPI PM1a control register at
 * QEMU's address (wasm386 and QEMU exit with status 0), then, on a machine
 * without one, the debug-exit port; restart pulses the keyboard
 * controller's reset line. */
int sys_reboot(u32 magic1, u32 magic2, u32 cmd) {
  if (magic1 != REBOOT_MAGIC1 || magic2 != REBOOT_MAGIC2) return -EINVAL;
  if (cmd != REBOOT_RESTART && cmd != REBOOT_HALT && cmd != REBOOT_POWER_OFF) return -EINVAL;
  vfs_sync();
  if (cmd == REBOOT_RESTART) {
    printk("reboot: restarting\n");
    outb(0x64, 0xFE);
  } else if (cmd == REBOOT_POWER_OFF) {
    printk("reboot: power down\n");
    outw(0x604, 0x2000);
    outl(0xF4, 0);
  }
  printk("reboot: system halted\n");
  halt_forever();
}

/* exit ends the calling thread (sys_exit); exit_group every thread of the process. */
int sys_exit_group(u32 status) { group_exit((int)((status & 0xff) << 8)); }

/* set_tid_address(tidptr): at exit, 0 is written there (and a futex
 * waiter woken), as pthread_join waits for; returns the thread id. */
int sys_set_tid_address(u32 tidptr) {
  curproc->clear_child_tid = tidptr;
  return curproc->pid;
}

/* The robust futex list is kept and never walked: a thread that dies
 * holding a robust mutex leaves it locked (Linux would hand it on with
 * FUTEX_OWNER_DIED). */
int sys_set_robust_list(u32 head, u32 len) {
  if (len != 12) return -EINVAL; /* sizeof(struct robust_list_head) */
  curproc->robust_list = head;
  curproc->robust_len = len;
  return 0;
}

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME 15
#define PR_GET_NAME 16

/* prctl: the process's name (what ps and /proc show) and the few
 * settings programs ask about at start-up. */
int sys_prctl(u32 option, u32 arg2) {
  char name[16];
  switch (option) {
    case PR_SET_NAME: {
      int n = copy_string(name, sizeof name, arg2);
      if (n == -EFAULT) return -EFAULT;
      if (n < 0) { /* longer than 15: cut, as Linux does */
        if (copy_from_user(name, arg2, sizeof name - 1) < 0) return -EFAULT;
        name[sizeof name - 1] = 0;
      }
      memcpy(curproc->name, name, sizeof name);
      return 0;
    }
    case PR_GET_NAME:
      memcpy(name, curproc->name, sizeof name);
      return copy_to_user_checked(arg2, name, sizeof name);
    case PR_SET_PDEATHSIG: return arg2 < 65 ? 0 : -EINVAL;
    case PR_GET_PDEATHSIG: { u32 zero = 0; return copy_to_user_checked(arg2, &zero, 4); }
    case PR_GET_DUMPABLE: return 1;
    case PR_SET_DUMPABLE: return arg2 <= 1 ? 0 : -EINVAL;
    default: return -EINVAL;
  }
}
