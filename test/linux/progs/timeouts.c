/* Timeouts from user memory, hostile ones included: a negative second or
 * a nanosecond count past 10^9 is EINVAL, a 64-bit timespec's upper nsec
 * half is padding (i386), a zero timeout returns at once, a huge one does
 * not wrap into a short wait (a pending signal still ends it at once), and
 * a timeout at an unmapped address is EFAULT. For rt_sigtimedwait (32- and
 * 64-bit), ppoll, futex and nanosleep. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NR_rt_sigtimedwait_time64 421

static void show(const char *what, long r) {
  printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, 0);
  struct { int32_t sec, nsec; } t32[] = {{-1, 0}, {0, 1000000000}, {0, -1}, {0, 0}};
  for (unsigned i = 0; i < sizeof t32 / sizeof t32[0]; i++) {
    char what[64];
    snprintf(what, sizeof what, "sigtimedwait {%d, %d}", t32[i].sec, t32[i].nsec);
    show(what, syscall(SYS_rt_sigtimedwait, &set, 0, &t32[i], 8));
  }
  struct { int64_t sec, nsec; } t64[] = {{-1, 0}, {0, 1000000000}, {0, 0x100000001LL}, {0, 0x13b9aca00LL}};
  for (unsigned i = 0; i < sizeof t64 / sizeof t64[0]; i++) {
    char what[80];
    snprintf(what, sizeof what, "sigtimedwait_time64 {%lld, %#llx}", (long long)t64[i].sec, (long long)t64[i].nsec);
    show(what, syscall(NR_rt_sigtimedwait_time64, &set, 0, &t64[i], 8));
  }
  show("sigtimedwait at an unmapped timeout", syscall(SYS_rt_sigtimedwait, &set, 0, (void *)16, 8));
  /* a huge timeout with the signal already pending: at once, the signal */
  raise(SIGUSR1);
  struct { int32_t sec, nsec; } huge = {0x7fffffff, 999999999};
  show("sigtimedwait huge, SIGUSR1 pending", syscall(SYS_rt_sigtimedwait, &set, 0, &huge, 8));
  struct { int32_t sec, nsec; } bad = {0, 1000000000}, zero = {0, 0};
  int fds[2];
  pipe(fds);
  struct pollfd p = {fds[0], POLLIN, 0};
  show("ppoll bad nsec", syscall(SYS_ppoll, &p, 1, &bad, 0, 8));
  show("ppoll zero", syscall(SYS_ppoll, &p, 1, &zero, 0, 8));
  int word = 5;
  struct { int32_t sec, nsec; } neg = {-5, 0};
  show("futex wait negative", syscall(SYS_futex, &word, 0 /* FUTEX_WAIT */, 5, &neg, 0, 0));
  show("futex wait bad nsec", syscall(SYS_futex, &word, 0, 5, &bad, 0, 0));
  show("futex wait other value", syscall(SYS_futex, &word, 0, 6, &huge, 0, 0));
  show("nanosleep bad nsec", syscall(SYS_nanosleep, &bad, 0));
  show("nanosleep negative", syscall(SYS_nanosleep, &neg, 0));
  return 0;
}
