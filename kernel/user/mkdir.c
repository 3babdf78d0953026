/* mkdir [-p] dir...: -p makes the parents too and accepts existing ones. */
#include "stdio.h"
#include "string.h"
#include "errno.h"
#include "sys/stat.h"

static int make(char *path, int parents) {
  if (parents)
    for (char *s = path + 1; *s; s++) {
      if (*s != '/') continue;
      *s = 0;
      int r = mkdir(path, 0755);
      *s = '/';
      if (r < 0 && errno != EEXIST) return -1;
    }
  if (mkdir(path, 0755) < 0 && !(parents && errno == EEXIST)) return -1;
  return 0;
}

int main(int argc, char **argv) {
  int i = 1, parents = 0, status = 0;
  if (i < argc && strcmp(argv[i], "-p") == 0) parents = 1, i++;
  if (i == argc) { fprintf(stderr, "usage: mkdir [-p] dir...\n"); return 2; }
  for (; i < argc; i++)
    if (make(argv[i], parents) < 0) {
      fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
  return status;
}
