/* The module system calls and loading a module file, shared by insmod and
 * modprobe. */
#include "module.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "sys/stat.h"
#include "syscall.h"

int init_module(const void *image, unsigned long len, const char *params) {
  return (int)syscall(SYS_init_module, image, len, params);
}

int delete_module(const char *name, unsigned flags) { return (int)syscall(SYS_delete_module, name, flags); }

int load_module_file(const char *path, const char *params) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  struct stat st;
  char *buf = 0;
  int r = -1;
  if (fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1)) != 0) {
    long got = 0, n;
    while (got < st.st_size && (n = read(fd, buf + got, (size_t)(st.st_size - got))) > 0) got += n;
    r = got == st.st_size ? init_module(buf, (unsigned long)got, params) : (errno = EIO, -1);
  }
  int saved = errno;
  free(buf);
  close(fd);
  errno = saved;
  return r;
}
