/* cp source dest: copies a file; a directory as dest receives it by name. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "sys/stat.h"

static const char *base(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: cp source dest\n"); return 2; }
  char dest[512];
  struct stat st;
  if (stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode)) snprintf(dest, sizeof dest, "%s/%s", argv[2], base(argv[1]));
  else snprintf(dest, sizeof dest, "%s", argv[2]);
  int in = open(argv[1], O_RDONLY);
  if (in < 0) { fprintf(stderr, "cp: %s: %s\n", argv[1], strerror(errno)); return 1; }
  if (fstat(in, &st) == 0 && S_ISDIR(st.st_mode)) { fprintf(stderr, "cp: %s: Is a directory\n", argv[1]); return 1; }
  int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) { fprintf(stderr, "cp: %s: %s\n", dest, strerror(errno)); return 1; }
  char buf[4096];
  int n;
  while ((n = (int)read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n) { fprintf(stderr, "cp: %s: %s\n", dest, strerror(errno)); return 1; }
  if (n < 0) { fprintf(stderr, "cp: %s: %s\n", argv[1], strerror(errno)); return 1; }
  return 0;
}
