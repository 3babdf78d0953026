/* System calls through int 0x80, with Linux i386 numbers and registers:
 * EAX the number, EBX ECX EDX ESI EDI EBP the arguments, the result or
 * -errno in EAX. User pointers are checked here, in one place. */
#include "kernel.h"
#include "proc.h"
#include "memlayout.h"

#define SYS_exit 1
#define SYS_fork 2
#define SYS_write 4
#define SYS_waitpid 7
#define SYS_execve 11
#define SYS_getpid 20
#define SYS_getppid 64
#define SYS_wait4 114
#define SYS_sched_yield 158

/* Copies len bytes from user address va into the kernel; -EFAULT if any
 * byte is not mapped for the user. */
int copy_from_user(void *dst, u32 va, u32 len) {
  u8 *d = dst;
  if (va + len < va) return -EFAULT;
  while (len) {
    const u8 *s = user_addr(curproc->pgdir, va, 0);
    if (!s) return -EFAULT;
    u32 n = PGSIZE - (va & (PGSIZE - 1));
    if (n > len) n = len;
    memcpy(d, s, n);
    va += n; d += n; len -= n;
  }
  return 0;
}

/* Copies len bytes to user address va, which must be writable by the user. */
int copy_to_user_checked(u32 va, const void *src, u32 len) {
  const u8 *s = src;
  if (va + len < va) return -EFAULT;
  while (len) {
    u8 *d = user_addr(curproc->pgdir, va, 1);
    if (!d) return -EFAULT;
    u32 n = PGSIZE - (va & (PGSIZE - 1));
    if (n > len) n = len;
    memcpy(d, s, n);
    va += n; s += n; len -= n;
  }
  return 0;
}

/* A NUL-terminated string from user space into buf; -EFAULT, or
 * -E2BIG when it does not fit. */
static int copy_string(char *buf, u32 size, u32 va) {
  for (u32 i = 0; i < size; i++) {
    if (copy_from_user(&buf[i], va + i, 1) < 0) return -EFAULT;
    if (!buf[i]) return (int)i;
  }
  return -E2BIG;
}

/* execve(path, argv, envp): the program comes from the initrd. The
 * arguments are gathered in one kernel page before the old image goes. */
static int sys_execve(u32 path_va, u32 argv_va) {
  char *page = kalloc();
  if (!page) return -ENOMEM;
  char *argv[MAXARG];
  int argc = 0, err = 0;
  u32 used = 0;
  char path[128];
  err = copy_string(path, sizeof path, path_va);
  for (; err >= 0; argc++) {
    u32 ptr;
    if (argc == MAXARG) { err = -E2BIG; break; }
    if ((err = copy_from_user(&ptr, argv_va + 4 * (u32)argc, 4)) < 0) break;
    if (!ptr) break;
    int n = copy_string(page + used, PGSIZE - used, ptr);
    if (n < 0) { err = n; break; }
    argv[argc] = page + used;
    used += (u32)n + 1;
  }
  if (err >= 0 && argc == 0) { argv[0] = path; argc = 1; }
  const u8 *elf;
  u32 size;
  if (err >= 0) err = initrd_find(path, &elf, &size);
  if (err >= 0) err = exec_image(curproc, elf, size, argc, argv);
  kfree(page);
  return err < 0 ? err : 0;
}

static int sys_write(u32 fd, u32 buf, u32 len) {
  if (fd != 1 && fd != 2) return -EBADF;
  char chunk[128];
  u32 done = 0;
  while (done < len) {
    u32 n = len - done < sizeof chunk ? len - done : sizeof chunk;
    if (copy_from_user(chunk, buf + done, n) < 0) return done ? (int)done : -EFAULT;
    for (u32 i = 0; i < n; i++) console_putc(chunk[i]);
    done += n;
  }
  return (int)done;
}

void syscall(struct trapframe *tf) {
  int r;
  switch (tf->eax) {
    case SYS_exit: proc_exit((int)((tf->ebx & 0xff) << 8));
    case SYS_fork: r = fork(); break;
    case SYS_write: r = sys_write(tf->ebx, tf->ecx, tf->edx); break;
    case SYS_waitpid: r = wait4((int)tf->ebx, tf->ecx, (int)tf->edx); break;
    case SYS_wait4: r = wait4((int)tf->ebx, tf->ecx, (int)tf->edx); break;
    case SYS_execve: r = sys_execve(tf->ebx, tf->ecx); if (r == 0) return; break;
    case SYS_getpid: r = curproc->pid; break;
    case SYS_getppid: r = curproc->parent ? curproc->parent->pid : 0; break;
    case SYS_sched_yield: yield(); r = 0; break;
    default: r = -ENOSYS; break;
  }
  tf->eax = (u32)r;
}
