/* /init, the first process: mounts /proc, starts the shell on the console
 * and reaps orphans; when the shell exits, the machine powers off. */
#include "stdio.h"
#include "unistd.h"
#include "errno.h"
#include "sys/mount.h"
#include "sys/reboot.h"
#include "sys/wait.h"

static char *const shell_argv[] = {"sh", 0};
static char *const shell_env[] = {"PATH=/bin", "HOME=/", "TERM=vt100", 0};

int main(void) {
  if (getpid() != 1) {
    fprintf(stderr, "init: must be process 1\n");
    return 1;
  }
  if (mount("proc", "/proc", "proc", 0, 0) < 0) perror("init: mount /proc");
  printf("init: starting /bin/sh (type 'help' for the commands, 'poweroff' or 'exit' to stop)\n");
  pid_t sh = fork();
  if (sh == 0) {
    execve("/bin/sh", shell_argv, shell_env);
    perror("init: /bin/sh");
    _exit(127);
  }
  if (sh < 0) perror("init: fork");
  for (;;) {
    int status;
    pid_t pid = wait(&status);
    if (pid == sh || (pid < 0 && errno == ECHILD)) break;
  }
  sync();
  reboot(RB_POWER_OFF);
  return 0;
}
