/* fill: writes and checks files of a known pattern, for filesystem tests.
 *   fill FILE KIB [OFFSET_KIB]  writes KIB KiB at OFFSET_KIB (a hole before it)
 *   fill -v FILE KIB [OFFSET_KIB] checks them
 * Each 4-byte word holds its own byte offset in the file. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"

int main(int argc, char **argv) {
  int verify = argc > 1 && strcmp(argv[1], "-v") == 0;
  int a = 1 + verify;
  if (argc - a < 2) { fprintf(stderr, "usage: fill [-v] FILE KIB [OFFSET_KIB]\n"); return 2; }
  unsigned kib = (unsigned)atoi(argv[a + 1]), at = argc - a > 2 ? (unsigned)atoi(argv[a + 2]) * 1024 : 0;
  int fd = open(argv[a], verify ? O_RDONLY : O_WRONLY | O_CREAT, 0644);
  if (fd < 0 || lseek(fd, (off_t)at, SEEK_SET) < 0) { fprintf(stderr, "fill: %s: %s\n", argv[a], strerror(errno)); return 1; }
  unsigned buf[256];
  for (unsigned k = 0; k < kib; k++) {
    unsigned base = at + k * 1024;
    if (verify) {
      if (read(fd, buf, 1024) != 1024) { printf("fill: %s: short at %u\n", argv[a], base); return 1; }
      for (unsigned i = 0; i < 256; i++)
        if (buf[i] != base + 4 * i) { printf("fill: %s: wrong word at %u\n", argv[a], base + 4 * i); return 1; }
    } else {
      for (unsigned i = 0; i < 256; i++) buf[i] = base + 4 * i;
      if (write(fd, buf, 1024) != 1024) { fprintf(stderr, "fill: %s: %s\n", argv[a], strerror(errno)); return 1; }
    }
  }
  if (verify) printf("%s: %u KiB as written\n", argv[a], kib);
  return 0;
}
