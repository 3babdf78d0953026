/* umount DIR */
#include "stdio.h"
#include "string.h"
#include "errno.h"
#include "sys/mount.h"

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: umount DIR\n"); return 2; }
  if (umount(argv[1]) < 0) {
    fprintf(stderr, "umount: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  return 0;
}
