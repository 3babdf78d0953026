/* signals: handlers through sigaction (glibc's restorer and the kernel's
 * sigreturn), SA_SIGINFO, masks and pending signals, SA_RESTART against
 * an interrupted read, SIGCHLD, sigsuspend, alarm, a fault caught with
 * siglongjmp, and the default actions seen by a parent. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got, info_code, children;
static sigjmp_buf env;

static void handler(int sig) { got = sig; }
static void info_handler(int sig, siginfo_t *si, void *uc) { (void)uc; got = sig; info_code = si->si_signo; }
static void chld(int sig) { (void)sig; children++; }
static void segv(int sig) { (void)sig; siglongjmp(env, 1); }

static void set(int sig, void (*h)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

int main(void) {
  set(SIGUSR1, handler, 0);
  raise(SIGUSR1);
  printf("raise: got %d\n", got);
  got = 0;
  kill(getpid(), SIGUSR1);
  printf("kill self: got %d\n", got);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = info_handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR2);
  printf("SA_SIGINFO: got %d, si_signo %d\n", got, info_code);

  sigset_t block, old, pending;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  got = 0;
  raise(SIGUSR1);
  sigpending(&pending);
  printf("blocked: got %d, pending %d\n", got, sigismember(&pending, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("unblocked: got %d\n", got);

  /* a read on a pipe, interrupted by SIGALRM: EINTR without SA_RESTART */
  int fds[2];
  pipe(fds);
  set(SIGALRM, handler, 0);
  alarm(1);
  char c;
  ssize_t r = read(fds[0], &c, 1);
  printf("read interrupted: %zd %s\n", r, r < 0 && errno == EINTR ? "EINTR" : "?");
  /* with SA_RESTART the read goes on, and gets what a child writes later */
  set(SIGALRM, handler, SA_RESTART);
  pid_t pid = fork();
  if (pid == 0) {
    usleep(1500000);
    write(fds[1], "z", 1);
    _exit(0);
  }
  alarm(1);
  r = read(fds[0], &c, 1);
  printf("read restarted: %zd '%c', alarm came: %d\n", r, c, got == SIGALRM);
  waitpid(pid, NULL, 0);

  set(SIGCHLD, chld, 0);
  for (int i = 0; i < 3; i++)
    if (fork() == 0) _exit(i);
  int reaped = 0, status;
  while (reaped < 3) {
    pid_t w = wait(&status);
    if (w > 0) reaped++;
    else if (errno != EINTR) break;
  }
  printf("SIGCHLD handler ran: %s; reaped %d\n", children > 0 ? "yes" : "no", reaped);

  sigset_t mask;
  sigprocmask(SIG_BLOCK, &block, NULL);
  pid = fork();
  if (pid == 0) {
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  sigemptyset(&mask);
  got = 0;
  sigsuspend(&mask);
  printf("sigsuspend woke with %d\n", got);
  waitpid(pid, NULL, 0);
  sigprocmask(SIG_UNBLOCK, &block, NULL);

  set(SIGSEGV, segv, SA_NODEFER);
  if (sigsetjmp(env, 1) == 0) {
    *(volatile int *)16 = 1;
    printf("no fault?\n");
  } else {
    printf("SIGSEGV caught, jumped out\n");
  }

  int sigs[] = {SIGTERM, SIGKILL, SIGINT, SIGUSR1};
  for (int i = 0; i < 4; i++) {
    pid = fork();
    if (pid == 0) {
      signal(SIGUSR1, SIG_DFL);
      pause();
      _exit(0);
    }
    usleep(10000);
    kill(pid, sigs[i]);
    waitpid(pid, &status, 0);
    printf("child killed by %d: signaled %d, sig %d\n", sigs[i], WIFSIGNALED(status), WTERMSIG(status));
  }
  pid = fork();
  if (pid == 0) { signal(SIGTERM, SIG_IGN); raise(SIGTERM); _exit(7); }
  waitpid(pid, &status, 0);
  printf("ignored SIGTERM: exited %d\n", WEXITSTATUS(status));
  pid = fork();
  if (pid == 0) { abort(); }
  waitpid(pid, &status, 0);
  printf("abort: signaled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));
  return 0;
}
