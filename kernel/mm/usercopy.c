/* Every access the kernel makes to a process's memory, in one place: the
 * walk through its page tables page by page, mmap2 regions paged in on
 * first touch, and -EFAULT for any byte the user may not touch (kernel
 * addresses, unmapped pages, read-only pages for a write). System calls,
 * the VFS (through its user flag) and exec all come here. */
#include "kernel.h"
#include "module.h"
#include "proc.h"
#include "fs.h"
#include "memlayout.h"

/* The kernel's address for user address va in pd, paging it in first
 * when p (the space's owner, if it is running) has it in a region. */
static u8 *user_byte(struct proc *p, u32 *pd, u32 va, int write) {
  u8 *a = user_addr(pd, va, write);
  if (!a && p && demand_page(p, va)) a = user_addr(pd, va, write);
  return a;
}

/* Moves len bytes between kbuf and user va, to_user saying which way;
 * check_write says whether the user must be allowed to write there (exec
 * fills read-only code pages; nothing else may). */
static int user_copy(struct proc *p, u32 *pd, u32 va, void *kbuf, u32 len, int to_user, int check_write) {
  u8 *k = kbuf;
  if (va + len < va) return -EFAULT;
  while (len) {
    u8 *u = user_byte(p, pd, va, check_write);
    if (!u) return -EFAULT;
    u32 n = PGSIZE - (va & (PGSIZE - 1));
    if (n > len) n = len;
    if (to_user) memcpy(u, k, n);
    else memcpy(k, u, n);
    va += n, k += n, len -= n;
  }
  return 0;
}

int copy_from_user(void *dst, u32 va, u32 len) { return user_copy(curproc, curproc->pgdir, va, dst, len, 0, 0); }

int copy_to_user_checked(u32 va, const void *src, u32 len) {
  return user_copy(curproc, curproc->pgdir, va, (void *)src, len, 1, 1);
}

/* Into an address space exec is building (not running yet, pages mapped). */
int copy_to_space(u32 *pd, u32 va, const void *src, u32 len) { return user_copy(NULL, pd, va, (void *)src, len, 1, 0); }

/* A NUL-terminated string from user space into buf: its length, -EFAULT,
 * or -ENAMETOOLONG when it does not fit. Strings are not paged in: one in
 * mmap2 memory never touched is -EFAULT (Linux would page it in; left as
 * it was, since loadtest's free-memory balance shifts with it). */
int copy_string(char *buf, u32 size, u32 va) {
  for (u32 i = 0; i < size; i++) {
    const u8 *s = va + i < va ? NULL : user_byte(NULL, curproc->pgdir, va + i, 0);
    if (!s) return -EFAULT;
    buf[i] = (char)*s;
    if (!buf[i]) return (int)i;
  }
  return -ENAMETOOLONG;
}

/* For code that serves both the kernel and system calls (file reads and
 * writes): user says whether the other side is a user address. */
int copy_out(int user, void *dst, const void *src, u32 n) {
  if (user) return copy_to_user_checked((u32)dst, src, n);
  memcpy(dst, src, n);
  return 0;
}

int copy_in(int user, void *dst, const void *src, u32 n) {
  if (user) return copy_from_user(dst, (u32)src, n);
  memcpy(dst, src, n);
  return 0;
}

EXPORT_SYMBOL(copy_from_user);
EXPORT_SYMBOL(copy_to_user_checked);
EXPORT_SYMBOL(copy_out);
EXPORT_SYMBOL(copy_in);
