/* Every access the kernel makes to a process's memory, in one place: the
 * walk through its page tables page by page, pages of its areas brought in
 * (or copied, when fork left them shared) as a user access would, and
 * -EFAULT for any byte the user may not touch (kernel addresses, pages
 * outside its areas, read-only or PROT_NONE pages). System calls, the VFS
 * (through its user flag) and exec all come here. */
#include "kernel.h"
#include "module.h"
#include "proc.h"
#include "fs.h"
#include "mm.h"
#include "memlayout.h"

/* The kernel's address for user address va in mm, as the user would
 * reach it: a page not there yet is faulted in first. */
static u8 *user_byte(struct mm *mm, u32 va, int write) {
  u8 *a = user_addr(mm->pgdir, va, write);
  if (!a && va < KERNBASE && mm_fault(mm, va, write) == 0) a = user_addr(mm->pgdir, va, write);
  return a;
}

/* Moves len bytes between kbuf and user va, to_user saying which way;
 * check_write says whether the user must be allowed to write there (exec
 * fills read-only code pages; nothing else may). */
static int user_copy(struct mm *mm, u32 va, void *kbuf, u32 len, int to_user, int check_write) {
  u8 *k = kbuf;
  if (va + len < va) return -EFAULT;
  while (len) {
    u8 *u = user_byte(mm, va, check_write);
    if (!u) return -EFAULT;
    u32 n = PGSIZE - (va & (PGSIZE - 1));
    if (n > len) n = len;
    if (to_user) memcpy(u, k, n);
    else memcpy(k, u, n);
    va += n, k += n, len -= n;
  }
  return 0;
}

int copy_from_user(void *dst, u32 va, u32 len) { return user_copy(curproc->mm, va, dst, len, 0, 0); }

int copy_to_user_checked(u32 va, const void *src, u32 len) {
  return user_copy(curproc->mm, va, (void *)src, len, 1, 1);
}

/* Into an address space exec is building (not running yet): its read-only
 * pages too. */
int copy_to_space(struct mm *mm, u32 va, const void *src, u32 len) { return user_copy(mm, va, (void *)src, len, 1, 0); }

/* Into another process's space as a write of its own would go (a page
 * fork left shared is copied first): clone's CLONE_CHILD_SETTID. */
int copy_to_mm(struct mm *mm, u32 va, const void *src, u32 len) { return user_copy(mm, va, (void *)src, len, 1, 1); }

/* A NUL-terminated string from user space into buf: its length, -EFAULT,
 * or -ENAMETOOLONG when it does not fit. */
int copy_string(char *buf, u32 size, u32 va) {
  for (u32 i = 0; i < size; i++) {
    const u8 *s = va + i < va ? NULL : user_byte(curproc->mm, va + i, 0);
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
