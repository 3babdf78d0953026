/* fork, exit, waitpid, execve and the process table limit, with output
 * that does not depend on how the scheduler interleaves processes. */
#include "stdio.h"
#include "stdlib.h"
#include "unistd.h"
#include "errno.h"
#include "sys/wait.h"

static int global = 1;

int main(void) {
  int me = getpid();

  int pid = fork();
  if (pid == 0) {
    global = 42;
    exit(getppid() == me ? 7 : 99);
  }
  int status = 0;
  int got = waitpid(pid, &status, 0);
  printf("child %s, exit status %d, parent still sees %d\n", got == pid ? "reaped" : "lost", status >> 8, global);

  int sum = 0;
  for (int i = 1; i <= 5; i++)
    if (fork() == 0) exit(i);
  for (int i = 0; i < 5; i++) {
    waitpid(-1, &status, 0);
    sum += status >> 8;
  }
  printf("five children, exit statuses sum to %d\n", sum);
  printf("no more children: %d\n", waitpid(-1, &status, 0) < 0 ? -errno : 0);

  if ((pid = fork()) == 0) {
    char *argv[] = {"/bin/efault", "an argument", 0};
    execve("/bin/efault", argv, 0);
    exit(100);
  }
  waitpid(pid, &status, 0);
  printf("exec'd child exited with %d\n", status >> 8);

  if ((pid = fork()) == 0) {
    *(volatile int *)0 = 1;
    exit(0);
  }
  waitpid(pid, &status, 0);
  printf("faulting child: killed by signal %d\n", status & 0x7f);

  int made = 0, err = 0;
  for (;;) {
    int c = fork();
    if (c == 0) exit(0);
    if (c < 0) { err = -errno; break; }
    made++;
  }
  printf("fork stopped after %d more processes with %d\n", made, err);
  while (waitpid(-1, &status, 0) > 0) made--;
  printf("all reaped: %d left\n", made);
  return 0;
}
