/* Process system calls: the life of a process, signals, memory, time. */
#include "kernel.h"
#include "proc.h"
#include "memlayout.h"
#include "x86.h"

int sys_exit(u32 status) { proc_exit((int)((status & 0xff) << 8)); }
int sys_fork(void) { return fork(); }
int sys_waitpid(u32 pid, u32 status, u32 options) { return wait4((int)pid, status, (int)options); }
int sys_wait4(u32 pid, u32 status, u32 options) { return wait4((int)pid, status, (int)options); }
int sys_getpid(void) { return curproc->pid; }
int sys_getppid(void) { return curproc->parent ? curproc->parent->pid : 0; }
int sys_getpgrp(void) { return curproc->pgid; }
int sys_setpgid(u32 pid, u32 pgid) { return setpgid((int)pid, (int)pgid); }
int sys_kill(u32 pid, u32 sig) { return kill((int)pid, (int)sig); }
int sys_sched_yield(void) { yield(); return 0; }

int sys_getpgid(u32 pid) {
  struct proc *p = pid ? proc_find((int)pid) : curproc;
  return p ? p->pgid : -ESRCH;
}

/* signal(sig, handler): only SIG_DFL and SIG_IGN; returns the old one. */
int sys_signal(u32 sig, u32 handler) {
  if (sig == 0 || sig >= NSIG || sig == SIGKILL) return -EINVAL;
  if (handler > SIG_IGN) return -EINVAL; /* no user handlers yet */
  u32 bit = 1u << sig;
  int old = (curproc->ignored & bit) ? SIG_IGN : SIG_DFL;
  if (handler == SIG_IGN) {
    curproc->ignored |= bit;
    curproc->pending &= ~bit;
  } else {
    curproc->ignored &= ~bit;
  }
  return old;
}

/* execve(path, argv, envp): the strings are gathered in one kernel page
 * before the old image goes. */
int sys_execve(u32 path_va, u32 argv_va, u32 envp_va) {
  char *page = kalloc();
  if (!page) return -ENOMEM;
  char *args[2][MAXARG];
  int count[2] = {0, 0};
  u32 used = 0, vecs[2] = {argv_va, envp_va};
  char path[PATH_MAX];
  int err = copy_string(path, sizeof path, path_va);
  for (int v = 0; v < 2 && err >= 0 && vecs[v]; v++) {
    for (;; count[v]++) {
      u32 ptr;
      if ((err = copy_from_user(&ptr, vecs[v] + 4 * (u32)count[v], 4)) < 0) break;
      if (!ptr) break;
      if (count[v] == MAXARG) { err = -E2BIG; break; }
      int n = copy_string(page + used, PGSIZE - used, ptr);
      if (n < 0) { err = n == -ENAMETOOLONG ? -E2BIG : n; break; }
      args[v][count[v]] = page + used;
      used += (u32)n + 1;
    }
  }
  if (err >= 0 && count[0] == 0) { args[0][0] = path; count[0] = 1; }
  struct inode *ip = NULL;
  if (err >= 0) err = namei(path, &ip);
  if (err >= 0 && !S_ISREG(ip->mode)) err = -EACCES; /* directories and devices are not programs */
  if (err >= 0) err = permission(ip, MAY_EXEC);
  if (err >= 0) err = exec_image(curproc, ip, count[0], args[0], count[1], args[1]);
  if (ip) iput(ip);
  kfree(page);
  return err < 0 ? err : 0;
}

/* brk(addr): moves the end of the heap (mapping or unmapping whole
 * pages) and returns the new end; on failure, the old one, as Linux does. */
int sys_brk(u32 addr) {
  struct proc *p = curproc;
  if (addr < p->brk_start || addr > MMAP_BASE) return (int)p->brk;
  u32 old_end = (p->brk + PGSIZE - 1) & ~(PGSIZE - 1);
  u32 new_end = (addr + PGSIZE - 1) & ~(PGSIZE - 1);
  if (new_end > old_end) {
    if (!user_range_free(p->pgdir, old_end, new_end)) return (int)p->brk;
    for (u32 va = old_end; va < new_end; va += PGSIZE)
      if (!map_user_page(p->pgdir, va, 1)) {
        unmap_user_range(p->pgdir, old_end, va);
        return (int)p->brk;
      }
  } else {
    unmap_user_range(p->pgdir, new_end, old_end);
  }
  p->brk = addr;
  return (int)addr;
}

#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20

static int overlaps(struct proc *p, u32 start, u32 end) {
  for (int i = 0; i < NREGION; i++)
    if (p->regions[i].end && start < p->regions[i].end && end > p->regions[i].start) return 1;
  return 0;
}

/* Takes [start, end) out of the regions (splitting one if needed) and
 * frees the pages there. */
static int unmap_regions(struct proc *p, u32 start, u32 end) {
  for (int i = 0; i < NREGION; i++) {
    u32 s = p->regions[i].start, e = p->regions[i].end;
    if (!e || start >= e || end <= s) continue;
    if (start > s && end < e) { /* a hole in the middle: two regions */
      int j = 0;
      while (j < NREGION && p->regions[j].end) j++;
      if (j == NREGION) return -ENOMEM;
      p->regions[j].start = end;
      p->regions[j].end = e;
      p->regions[i].end = start;
    } else if (start <= s && end >= e) {
      p->regions[i].start = p->regions[i].end = 0;
    } else if (start <= s) {
      p->regions[i].start = end;
    } else {
      p->regions[i].end = start;
    }
  }
  unmap_user_range(p->pgdir, start, end);
  return 0;
}

/* mmap2: anonymous private memory only, placed at the first free range
 * from MMAP_BASE (or exactly at addr with MAP_FIXED). Nothing is mapped
 * yet: each page arrives zeroed on its first touch (demand_page). */
int sys_mmap2(u32 addr, u32 len, u32 prot, u32 flags, u32 fd, u32 pgoff) {
  (void)prot, (void)fd, (void)pgoff;
  struct proc *p = curproc;
  if (!(flags & MAP_ANONYMOUS)) return -ENODEV; /* no file mappings */
  if (len == 0 || len > USTACK_TOP - MMAP_BASE) return -EINVAL;
  len = (len + PGSIZE - 1) & ~(PGSIZE - 1);
  u32 limit = USTACK_TOP - USTACK_PAGES * PGSIZE;
  if (flags & MAP_FIXED) {
    if ((addr & (PGSIZE - 1)) || addr < MMAP_BASE || addr + len > limit || addr + len < addr) return -EINVAL;
    int err = unmap_regions(p, addr, addr + len);
    if (err) return err;
  } else {
    for (addr = MMAP_BASE; addr + len <= limit; addr += PGSIZE)
      if (!overlaps(p, addr, addr + len) && user_range_free(p->pgdir, addr, addr + len)) break;
    if (addr + len > limit) return -ENOMEM;
  }
  for (int i = 0; i < NREGION; i++)
    if (!p->regions[i].end) {
      p->regions[i].start = addr;
      p->regions[i].end = addr + len;
      return (int)addr;
    }
  return -ENOMEM;
}

int sys_munmap(u32 addr, u32 len) {
  if ((addr & (PGSIZE - 1)) || len == 0 || addr < MMAP_BASE || addr + len > USTACK_TOP - USTACK_PAGES * PGSIZE ||
      addr + len < addr)
    return -EINVAL;
  return unmap_regions(curproc, addr, (addr + len + PGSIZE - 1) & ~(PGSIZE - 1));
}

int sys_time(u32 tloc) {
  u32 t = time_now();
  if (tloc && copy_to_user_checked(tloc, &t, 4) < 0) return -EFAULT;
  return (int)t;
}

/* nanosleep(req, rem): to the next tick at least; a signal cuts it short
 * with the time left in rem. */
int sys_nanosleep(u32 req_va, u32 rem_va) {
  struct { u32 sec, nsec; } req;
  if (copy_from_user(&req, req_va, sizeof req) < 0) return -EFAULT;
  if (req.nsec >= 1000000000u) return -EINVAL;
  u32 wait = req.sec * HZ + (req.nsec + 1000000000u / HZ - 1) / (1000000000u / HZ);
  u32 end = ticks + wait;
  while ((s32)(end - ticks) > 0) {
    if (signal_pending()) {
      u32 left = end - ticks;
      struct { u32 sec, nsec; } rem = {left / HZ, (left % HZ) * (1000000000u / HZ)};
      if (rem_va) copy_to_user_checked(rem_va, &rem, sizeof rem);
      return -EINTR;
    }
    sleep((void *)&ticks);
  }
  return 0;
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
