/* rmmod NAME: removes a module that nothing uses. */
#include "stdio.h"
#include "string.h"
#include "errno.h"
#include "fcntl.h"
#include "module.h"

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: rmmod NAME\n"); return 2; }
  char name[64];
  snprintf(name, sizeof name, "%s", argv[1]);
  char *dot = strrchr(name, '.');
  if (dot && strcmp(dot, ".ko") == 0) *dot = 0; /* "rmmod hello.ko" works too */
  char *slash = strrchr(name, '/');
  if (delete_module(slash ? slash + 1 : name, O_NONBLOCK) < 0) {
    const char *why = errno == ENOENT ? "Module is not loaded" : errno == EBUSY ? "Module is in use" : strerror(errno);
    fprintf(stderr, "rmmod: cannot remove '%s': %s\n", argv[1], why);
    return 1;
  }
  return 0;
}
