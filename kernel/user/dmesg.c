/* dmesg: the kernel log, from /proc/kmsg. */
#include "stdio.h"
#include "unistd.h"
#include "fcntl.h"

int main(void) {
  int fd = open("/proc/kmsg", O_RDONLY);
  if (fd < 0) { perror("dmesg: /proc/kmsg"); return 1; }
  char buf[4096];
  int n;
  while ((n = (int)read(fd, buf, sizeof buf)) > 0) write(1, buf, (size_t)n);
  return n < 0;
}
