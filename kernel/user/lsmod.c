/* lsmod: the loaded modules, from /proc/modules. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "stdlib.h"

int main(void) {
  int fd = open("/proc/modules", O_RDONLY);
  if (fd < 0) { perror("lsmod: /proc/modules"); return 1; }
  char buf[4096];
  int n = (int)read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) { perror("lsmod"); return 1; }
  buf[n] = 0;
  printf("%-20s %8s  %s\n", "Module", "Size", "Used by");
  for (char *line = buf; *line;) {
    char *end = strchr(line, '\n');
    if (end) *end = 0;
    char name[64], users[128];
    unsigned size;
    int refs;
    /* "name size refs users Live addr" */
    char *f[4] = {0};
    int k = 0;
    for (char *p = line; *p && k < 4;) {
      while (*p == ' ') p++;
      f[k++] = p;
      while (*p && *p != ' ') p++;
      if (*p) *p++ = 0;
    }
    if (k == 4) {
      snprintf(name, sizeof name, "%s", f[0]);
      size = (unsigned)atoi(f[1]);
      refs = atoi(f[2]);
      snprintf(users, sizeof users, "%s", strcmp(f[3], "-") == 0 ? "" : f[3]);
      size_t ul = strlen(users);
      if (ul && users[ul - 1] == ',') users[ul - 1] = 0;
      printf("%-20s %8u  %d %s\n", name, size, refs, users);
    }
    if (!end) break;
    line = end + 1;
  }
  return 0;
}
