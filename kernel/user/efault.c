/* System calls given bad pointers return -EFAULT (14) instead of faulting. */
#include "sys.h"

static void show(const char *what, int r) {
  char digits[12];
  int n = 0;
  unsigned v = r < 0 ? (unsigned)-r : (unsigned)r;
  do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  size_t len = 0;
  while (what[len]) len++;
  write(1, what, len);
  write(1, r < 0 ? " = -" : " = ", r < 0 ? 4 : 3);
  while (n) write(1, &digits[--n], 1);
  write(1, "\n", 1);
}

int main(void) {
  show("write(kernel address)", write(1, (void *)0xC0100000, 10));
  show("write(unmapped)", write(1, (void *)0x10, 4));
  show("write(spanning into the kernel)", write(1, (void *)(0xC0000000 - 2), 4));
  show("write(bad fd)", write(7, "x", 1));
  show("unknown system call", syscall3(999, 0, 0, 0));
  return 3;
}
