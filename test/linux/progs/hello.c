/* The smallest glibc program: start-up (TLS, the aux vector, stdio's
 * buffers), its arguments and environment, and the exit status. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("hello, world\n");
  for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
  const char *v = getenv("GREETING");
  printf("GREETING=%s\n", v ? v : "(unset)");
  return argc == 1 ? 0 : 3;
}
