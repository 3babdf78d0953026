/* fuzz [CALLS] [SEED]: system calls with random numbers and arguments from
 * an ordinary user process: kernel addresses, unmapped addresses, NULL,
 * huge lengths, negative descriptors, pointers to random bytes. Each batch
 * runs in a child with its output sent to /dev/null; a child stuck in a
 * call (a read from an empty pipe, say) is killed after two seconds. The
 * calls that would end the experiment (exit, fork, execve, kill, tkill,
 * tgkill, reboot) are left out. Prints how many calls were made and how the children ended. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "fcntl.h"
#include "errno.h"
#include "signal.h"
#include "time.h"
#include "sys/wait.h"
#include "syscall.h"

static unsigned state;
static unsigned rnd(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

static unsigned char buffer[8192];

static unsigned arg(void) {
  switch (rnd() % 12) {
    case 0: return 0;
    case 1: return 1;
    case 2: return (unsigned)-1;
    case 3: return rnd() % 64;                       /* small numbers and descriptors */
    case 4: return 0xC0000000u + (rnd() & 0x3fffffff); /* the kernel */
    case 5: return 0xBFFFF000u + (rnd() & 0xfff);     /* the top of user space, into the kernel */
    case 6: return 0x7fffffffu;                        /* huge lengths */
    case 7: return rnd() & 0xfff;                      /* unmapped low pages */
    case 8: return (unsigned)(buffer + rnd() % sizeof buffer); /* valid memory, random bytes */
    case 9: return (unsigned)(buffer + sizeof buffer - (rnd() % 16)); /* running off the end */
    case 10: return (unsigned)-(int)(rnd() % 4096);   /* negative values */
    default: return rnd();
  }
}

static int excluded(unsigned nr) {
  return nr == SYS_exit || nr == 252 /* exit_group */ || nr == SYS_fork || nr == SYS_execve || nr == SYS_kill ||
         nr == SYS_reboot || nr == 190 /* vfork */ || nr == 120 /* clone */ || nr == SYS_nanosleep ||
         nr == 238 /* tkill */ || nr == 270 /* tgkill */ || nr == 178 /* rt_sigqueueinfo */;
}

static void child(unsigned calls) {
  int null = open("/dev/null", O_RDWR);
  dup2(null, 0);
  dup2(null, 1);
  dup2(null, 2);
  for (unsigned i = 0; i < calls; i++) {
    if (i % 64 == 0)
      for (unsigned k = 0; k < sizeof buffer; k++) buffer[k] = (unsigned char)(rnd() % 5 ? rnd() : 0);
    unsigned nr = rnd() % 400;
    if (excluded(nr)) continue;
    syscall((long)nr, arg(), arg(), arg(), arg(), arg(), arg());
  }
  _exit(0);
}

int main(int argc, char **argv) {
  unsigned total = argc > 1 ? (unsigned)atoi(argv[1]) : 100000;
  state = argc > 2 ? (unsigned)atoi(argv[2]) : 12345;
  const unsigned batch = 2000;
  unsigned made = 0, finished = 0, killed_by_us = 0, died = 0;
  signal(SIGPIPE, SIG_IGN);
  while (made < total) {
    unsigned seed = rnd();
    pid_t pid = fork();
    if (pid < 0) { perror("fuzz: fork"); return 1; }
    if (pid == 0) { state = seed | 1; child(batch); }
    int status = 0, waited = 0;
    struct timespec tick = {0, 20000000};
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (++waited > 100) { kill(pid, SIGKILL); waitpid(pid, &status, 0); killed_by_us++; break; }
      nanosleep(&tick, 0);
    }
    if (WIFEXITED(status)) finished++;
    else if (WTERMSIG(status) != SIGKILL) died++; /* a signal from its own doing (SIGPIPE is ignored) */
    made += batch;
  }
  printf("fuzz: %u system calls in %u children: %u finished, %u stopped after 2 s, %u killed by a signal\n",
         made, finished + killed_by_us + died, finished, killed_by_us, died);
  return 0;
}
