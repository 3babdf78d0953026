/* deeptree DIR N: N directories, each inside the one before, under DIR;
 * then back to / so that the whole chain is let go at once. A user
 * controls the depth: nothing in the kernel may recurse on it. */
#include "stdio.h"
#include "stdlib.h"
#include "unistd.h"
#include "sys/stat.h"

int main(int argc, char **argv) {
  if (argc != 3 || chdir(argv[1]) < 0) { fprintf(stderr, "usage: deeptree DIR N\n"); return 2; }
  int n = atoi(argv[2]), made = 0;
  for (; made < n; made++)
    if (mkdir("d", 0755) < 0 || chdir("d") < 0) break;
  chdir("/");
  printf("deeptree: %d levels\n", made);
  return made == n ? 0 : 1;
}
