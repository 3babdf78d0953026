/* System calls through int 0x80, with Linux i386 numbers and registers:
 * EAX the number, EBX ECX EDX ESI EDI EBP the arguments, the result or
 * -errno in EAX. User pointers are checked here, in one place. */
#include "kernel.h"
#include "proc.h"
#include "memlayout.h"

#define SYS_exit 1
#define SYS_write 4
#define SYS_getpid 20
#define SYS_getppid 64

/* Copies len bytes from user address va into the kernel; -EFAULT if any
 * byte is not mapped for the user. */
static int copy_from_user(void *dst, u32 va, u32 len) {
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
    case SYS_exit: proc_exit((int)(tf->ebx & 0xff));
    case SYS_write: r = sys_write(tf->ebx, tf->ecx, tf->edx); break;
    case SYS_getpid: r = curproc->pid; break;
    case SYS_getppid: r = 0; break;
    default: r = -ENOSYS; break;
  }
  tf->eax = (u32)r;
}
