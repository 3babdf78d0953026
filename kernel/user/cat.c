/* cat [file...]: copies the files, or standard input, to standard output. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"

static int copy(int fd, const char *name) {
  char buf[4096];
  for (;;) {
    int n = (int)read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) { fprintf(stderr, "cat: %s: %s\n", name, strerror(errno)); return 1; }
    if (write(1, buf, (size_t)n) != n) return 1;
  }
}

int main(int argc, char **argv) {
  if (argc == 1) return copy(0, "stdin");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
    if (fd < 0) { fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno)); status = 1; continue; }
    status |= copy(fd, argv[i]);
    if (fd) close(fd);
  }
  return status;
}
