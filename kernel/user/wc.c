/* wc [file...]: lines, words and bytes. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"

static unsigned tl, tw, tb;

static int count(int fd, const char *name) {
  char buf[4096];
  unsigned lines = 0, words = 0, bytes = 0;
  int in_word = 0, n;
  while ((n = (int)read(fd, buf, sizeof buf)) > 0) {
    bytes += (unsigned)n;
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\n') lines++;
      int space = buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r';
      if (!space && !in_word) words++;
      in_word = !space;
    }
  }
  if (n < 0) { fprintf(stderr, "wc: %s: %s\n", name, strerror(errno)); return 1; }
  printf("%7u %7u %7u%s%s\n", lines, words, bytes, *name ? " " : "", name);
  tl += lines, tw += words, tb += bytes;
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 1) return count(0, "");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) { fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno)); status = 1; continue; }
    status |= count(fd, argv[i]);
    close(fd);
  }
  if (argc > 2) printf("%7u %7u %7u total\n", tl, tw, tb);
  return status;
}
