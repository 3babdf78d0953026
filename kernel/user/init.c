/* The first user process. For now it says where it runs and exits; the
 * shell takes its place once the kernel can fork and exec. */
#include "sys.h"

static size_t len(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static void puts1(const char *s) { write(1, s, len(s)); }

int main(int argc, char **argv) {
  (void)argc;
  puts1("hello from user space: ");
  puts1(argv[0]);
  puts1(getpid() == 1 ? " is pid 1\n" : " is not pid 1\n");
  return 0;
}
