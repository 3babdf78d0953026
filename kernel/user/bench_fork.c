/* Benchmark: processes. fork, exec /bin/true, wait: 300 times. */
#include "stdio.h"
#include "unistd.h"
#include "sys/wait.h"

int main(void) {
  unsigned sum = 0;
  for (int i = 0; i < 300; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      char *argv[] = {"true", 0};
      execve("/bin/true", argv, 0);
      _exit(99);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    sum = sum * 3 + (unsigned)status + 1;
  }
  printf("%08x\n", sum);
  return 0;
}
