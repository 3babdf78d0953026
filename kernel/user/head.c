/* head [-n N] [file...]: the first N lines (10). */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"

static int head(int fd, int lines) {
  char buf[512];
  int n;
  while (lines > 0 && (n = (int)read(fd, buf, sizeof buf)) > 0) {
    int k = 0;
    while (k < n && lines > 0) if (buf[k++] == '\n') lines--;
    write(1, buf, (size_t)k);
  }
  return 0;
}

int main(int argc, char **argv) {
  int lines = 10, i = 1;
  if (i < argc && strcmp(argv[i], "-n") == 0 && i + 1 < argc) lines = atoi(argv[i + 1]), i += 2;
  else if (i < argc && argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9') lines = atoi(argv[i] + 1), i++;
  if (i == argc) return head(0, lines);
  int status = 0;
  for (int first = i; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) { fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno)); status = 1; continue; }
    if (argc - first > 1) printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
    head(fd, lines);
    close(fd);
  }
  return status;
}
