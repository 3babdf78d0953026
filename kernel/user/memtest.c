/* The heap (brk), anonymous mappings (mmap2/munmap), and address spaces
 * kept apart: what one process writes, another does not see. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "signal.h"
#include "sys/mman.h"
#include "sys/wait.h"

int main(void) {
  char *start = sbrk(0);
  char *p = sbrk(3 * 4096 + 100);
  memset(p, 0x5a, 3 * 4096 + 100);
  printf("brk grew by %d bytes, all writable: %s\n", (int)((char *)sbrk(0) - start), p[3 * 4096 + 99] == 0x5a ? "yes" : "no");
  sbrk(-(3 * 4096 + 100));
  printf("brk back to its start: %s\n", sbrk(0) == start ? "yes" : "no");

  char *m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mmap: %s, zeroed: %s\n", m == MAP_FAILED ? "failed" : "ok", m != MAP_FAILED && m[8191] == 0 ? "yes" : "no");
  strcpy(m, "parent's data");

  int status;
  pid_t pid = fork();
  if (pid == 0) {
    strcpy(m, "child's data");
    _exit(strcmp(m, "child's data") == 0 ? 0 : 1);
  }
  waitpid(pid, &status, 0);
  printf("child wrote its copy (status %d); parent still reads \"%s\"\n", WEXITSTATUS(status), m);

  munmap(m, 8192);
  pid = fork();
  if (pid == 0) {
    m[0] = 1; /* unmapped now */
    _exit(0);
  }
  waitpid(pid, &status, 0);
  printf("touching unmapped memory: %s\n", WIFSIGNALED(status) ? signal_name(WTERMSIG(status)) : "no fault");

  char *big = malloc(100000);
  printf("malloc(100000): %s\n", big ? "ok" : "failed");
  free(big);
  return 0;
}
