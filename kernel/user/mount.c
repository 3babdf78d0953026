/* mount: without arguments, the mount table; mount -t TYPE SOURCE DIR
 * mounts a filesystem. */
#include "stdio.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "sys/mount.h"

int main(int argc, char **argv) {
  if (argc == 1) {
    int fd = open("/proc/mounts", O_RDONLY);
    if (fd < 0) { perror("mount: /proc/mounts"); return 1; }
    char buf[2048];
    int n;
    while ((n = (int)read(fd, buf, sizeof buf)) > 0) write(1, buf, (size_t)n);
    return 0;
  }
  if (argc != 5 || strcmp(argv[1], "-t") != 0) {
    fprintf(stderr, "usage: mount [-t TYPE SOURCE DIR]\n");
    return 2;
  }
  if (mount(argv[3], argv[4], argv[2], 0, 0) < 0) {
    fprintf(stderr, "mount: %s on %s: %s\n", argv[3], argv[4], strerror(errno));
    return 1;
  }
  return 0;
}
