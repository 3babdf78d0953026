/* insmod FILE [param=value ...]: loads a module file into the kernel. */
#include "stdio.h"
#include "string.h"
#include "errno.h"
#include "module.h"
#include "fcntl.h"
#include "unistd.h"

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: insmod FILE [param=value ...]\n"); return 2; }
  char params[256] = "";
  for (int i = 2; i < argc; i++) {
    if (strlen(params) + strlen(argv[i]) + 2 > sizeof params) { fprintf(stderr, "insmod: parameters too long\n"); return 2; }
    if (i > 2) strcat(params, " ");
    strcat(params, argv[i]);
  }
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) { fprintf(stderr, "insmod: cannot open '%s': %s\n", argv[1], strerror(errno)); return 1; }
  close(fd);
  if (load_module_file(argv[1], params) < 0) {
    /* the kernel's errors, worded as Linux's insmod words them */
    const char *why = errno == ENOEXEC ? "Invalid module format" : errno == ENOENT ? "Unknown symbol in module" : strerror(errno);
    fprintf(stderr, "insmod: cannot insert '%s': %s\n", argv[1], why);
    return 1;
  }
  return 0;
}
