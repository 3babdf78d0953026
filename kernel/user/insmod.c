/* insmod FILE [param=value ...]: loads a module file into the kernel. */
#include "stdio.h"
#include "string.h"
#include "errno.h"
#include "module.h"

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: insmod FILE [param=value ...]\n"); return 2; }
  char params[256] = "";
  for (int i = 2; i < argc; i++) {
    if (strlen(params) + strlen(argv[i]) + 2 > sizeof params) { fprintf(stderr, "insmod: parameters too long\n"); return 2; }
    if (i > 2) strcat(params, " ");
    strcat(params, argv[i]);
  }
  if (load_module_file(argv[1], params) < 0) {
    const char *why = errno == ENOEXEC ? "Invalid module format" : errno == ENOENT ? "Unknown symbol in module, or no such file" : strerror(errno);
    fprintf(stderr, "insmod: cannot insert '%s': %s\n", argv[1], why);
    return 1;
  }
  return 0;
}
