/* meminfo.h */
#include "meminfo.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"

unsigned meminfo_free_kb(void) {
  char buf[256];
  int fd = open("/proc/meminfo", O_RDONLY);
  if (fd < 0) return 0;
  int n = (int)read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  const char *p = strstr(buf, "MemFree:");
  return p ? (unsigned)atoi(p + 8 + strspn(p + 8, " ")) : 0;
}
