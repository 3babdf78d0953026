/* mv source dest: renames; a directory as dest receives it by name. */
#include "stdio.h"
#include "string.h"
#include "errno.h"
#include "sys/stat.h"

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: mv source dest\n"); return 2; }
  char dest[512];
  struct stat st;
  const char *slash = strrchr(argv[1], '/');
  if (stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode)) snprintf(dest, sizeof dest, "%s/%s", argv[2], slash ? slash + 1 : argv[1]);
  else snprintf(dest, sizeof dest, "%s", argv[2]);
  if (rename(argv[1], dest) < 0) {
    fprintf(stderr, "mv: %s -> %s: %s\n", argv[1], dest, strerror(errno));
    return 1;
  }
  return 0;
}
