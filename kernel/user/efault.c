/* System calls given bad pointers return -EFAULT (14) instead of faulting,
 * and counts and ids at the edges of their types; each line shows the
 * negated errno. */
#include "stdio.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "sys/stat.h"
#include "signal.h"

static void show(const char *what, int r) { printf("%s = %d\n", what, r < 0 ? -errno : r); }

int main(void) {
  show("write(kernel address)", write(1, (void *)0xC0100000, 10));
  show("write(unmapped)", write(1, (void *)0x10, 4));
  show("write(spanning into the kernel)", write(1, (void *)(0xC0000000 - 2), 4));
  show("write(bad fd)", write(7, "x", 1));
  show("unknown system call", (int)syscall(999, 0, 0, 0, 0, 0, 0));
  int fd = open("/init", O_RDONLY);
  show("read(into the kernel)", read(fd, (void *)0xC0100000, 16));
  show("read(into its own code)", read(fd, (void *)main, 16));
  show("open(kernel path)", open((const char *)0xC0100000, O_RDONLY));
  show("stat(into the kernel)", stat("/init", (struct stat *)0xC0001000));
  show("pipe(into the kernel)", pipe((int *)0xC0100000));
  int null = open("/dev/null", O_WRONLY);
  show("write(/dev/null, 2^31 bytes)", write(null, "x", 0x80000000u)); /* at most 0x7ffff000 a call */
  show("write(/dev/null, 2^32-1 bytes)", write(null, "x", 0xffffffffu));
  show("kill(INT_MIN, 0)", kill((int)0x80000000u, 0));
  show("kill(its own group, 0)", kill(-getpgrp(), 0));
  show("kill(a group that does not exist, 0)", kill(-9999, 0));
  return 3;
}
