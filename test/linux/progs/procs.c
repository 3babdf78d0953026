/* Processes: fork and the exit statuses wait sees, exec of itself with
 * arguments and environment, pipes between processes, dup2, system and
 * popen (glibc's posix_spawn: clone with CLONE_VM | CLONE_VFORK), vfork,
 * process groups and sessions. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    printf("exec'd child: argc %d, argv[2] %s, MARK=%s\n", argc, argv[2], getenv("MARK"));
    char buf[64];
    ssize_t n = read(0, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("exec'd child read from the pipe: %s", buf);
    return 5;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  int status;
  for (int code = 0; code < 3; code++) {
    pid_t pid = fork();
    if (pid == 0) _exit(code * 10);
    pid_t w = waitpid(pid, &status, 0);
    printf("child %d: waited %s, exited %d status %d\n", code, w == pid ? "right pid" : "wrong pid", WIFEXITED(status), WEXITSTATUS(status));
  }
  printf("no children: %d %s\n", (int)wait(&status), errno == ECHILD ? "ECHILD" : "?");

  int p[2];
  pipe(p);
  pid_t pid = fork();
  if (pid == 0) {
    close(p[1]);
    dup2(p[0], 0);
    close(p[0]);
    setenv("MARK", "inherited", 1);
    char *args[] = {argv[0], "child", "second", NULL};
    execv("/proc/self/exe", args);
    perror("execv");
    _exit(127);
  }
  close(p[0]);
  write(p[1], "through the pipe\n", 17);
  close(p[1]);
  waitpid(pid, &status, 0);
  printf("exec'd child exited %d\n", WEXITSTATUS(status));

  pipe(p);
  pid = fork();
  if (pid == 0) {
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    for (int i = 0; i < 1000; i++) printf("%04d\n", i);
    fflush(stdout);
    _exit(0);
  }
  close(p[1]);
  char buf[4096];
  long total = 0, lines = 0;
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0) {
    total += n;
    for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
  }
  close(p[0]);
  waitpid(pid, NULL, 0);
  printf("pipe carried %ld bytes, %ld lines\n", total, lines);

  printf("system: %d\n", WEXITSTATUS(system("exit 3")));
  FILE *f = popen("echo from popen; echo second line", "r");
  while (fgets(buf, sizeof buf, f)) printf("popen read: %s", buf);
  printf("pclose: %d\n", WEXITSTATUS(pclose(f)));

  volatile int shared = 0;
  pid = vfork();
  if (pid == 0) {
    shared = 42;
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  printf("vfork child wrote %d into the parent's memory\n", shared);

  pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    printf("child in its own group: %s\n", getpgrp() == getpid() ? "yes" : "no");
    printf("setsid as group leader: %s\n", setsid() < 0 && errno == EPERM ? "EPERM" : "?");
    pid_t g = fork();
    if (g == 0) {
      printf("grandchild setsid: %s\n", setsid() == getpid() && getsid(0) == getpid() ? "new session" : "failed");
      _exit(0);
    }
    waitpid(g, NULL, 0);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  printf("getppid of a child is its parent: ");
  pipe(p);
  pid = fork();
  if (pid == 0) {
    pid_t pp = getppid();
    write(p[1], &pp, sizeof pp);
    _exit(0);
  }
  pid_t got;
  read(p[0], &got, sizeof got);
  waitpid(pid, NULL, 0);
  printf("%s\n", got == getpid() ? "yes" : "no");
  int fd = open("procs.tmp", O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
  printf("O_CLOEXEC: FD_CLOEXEC %s\n", fcntl(fd, F_GETFD) & FD_CLOEXEC ? "set" : "clear");
  close(fd);
  unlink("procs.tmp");
  return 0;
}
