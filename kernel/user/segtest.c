/* Segment selectors a user program loads, carried through the kernel: each
 * of DS, ES, FS, GS and SS gets each kind of selector (null, the user
 * segments with either RPL, kernel segments, the TSS, LDT selectors, past
 * the GDT's end), then the child makes a system call, is preempted by the
 * timer, or has a signal delivered. One line per register and selector:
 *
 *   gs 0007: SEGV SEGV SEGV
 *
 * the outcome after the system call, the preemption and the signal: "kept"
 * (the register still holds the selector), "lost" (it changed), SEGV (the
 * load itself was refused), USR1 (killed by the signal, as it should be)
 * or what else ended the child. The kernel must survive every one. */
#include "stdio.h"
#include "unistd.h"
#include "signal.h"
#include "sys/wait.h"

enum { SYSCALL, PREEMPT, SIGNAL };

/* Loads sel into the register, does what `how` says without touching
 * memory (DS may be null now), reads the register back and restores DS
 * and ES for the C code that follows. */
#define RUN(reg)                                                                               \
  __asm__ volatile("mov %%si, %%" reg "\n\t"                                                   \
                   "cmp $0, %%edi\n\tjne 1f\n\t"                                               \
                   "mov $20, %%eax\n\tint $0x80\n\tjmp 3f\n"           /* getpid */            \
                   "1:\n\tcmp $1, %%edi\n\tjne 2f\n\t"                                         \
                   "mov $1500000, %%ecx\n4:\n\tdec %%ecx\n\tjnz 4b\n\tjmp 3f\n" /* 3 ticks of virtual time */ \
                   "2:\n\tmov $37, %%eax\n\tmov $10, %%ecx\n\tint $0x80\n" /* kill(pid, SIGUSR1) */ \
                   "3:\n\tmov %%" reg ", %%edx\n\t"                                            \
                   "mov $0x23, %%eax\n\tmov %%eax, %%ds\n\tmov %%eax, %%es"                    \
                   : "=d"(after)                                                               \
                   : "S"(sel), "D"(how), "b"(pid)                                              \
                   : "eax", "ecx", "memory", "cc")

static int child(int r, unsigned sel, int how) {
  unsigned after = 0;
  int pid = getpid();
  switch (r) {
    case 0: RUN("ds"); break;
    case 1: RUN("es"); break;
    case 2: RUN("fs"); break;
    case 3: RUN("gs"); break;
    default: RUN("ss"); break;
  }
  /* A null selector's RPL need not survive: IRET to ring 3 nulls DS and
   * ES afresh on QEMU and Bochs, and the SDM leaves it open. */
  if ((sel & 0xfffc) == 0) return (after & 0xfffc) == 0 ? 0 : 1;
  return (after & 0xffff) == sel ? 0 : 1;
}

static const char *const regs[] = {"ds", "es", "fs", "gs", "ss"};
static const unsigned sels[] = {
  0x0000, 0x0003,         /* null */
  0x0023, 0x0020, 0x001b, /* user data (RPL 3 and 0), user code */
  0x0013, 0x000b, 0x002b, /* kernel data and code, the TSS */
  0x0007, 0x000f, 0xffff, /* LDT */
  0x0033, 0xfffb,         /* past the GDT's end */
};

/* How one child ended, as a word of the line. */
static const char *outcome(int status, char *buf, int n) {
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) return "SEGV";
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1) return "USR1";
  if (WIFSIGNALED(status)) snprintf(buf, n, "sig%d", WTERMSIG(status));
  else if (WEXITSTATUS(status) <= 1) return WEXITSTATUS(status) == 0 ? "kept" : "lost";
  else snprintf(buf, n, "exit%d", WEXITSTATUS(status));
  return buf;
}

int main(void) {
  for (int r = 0; r < 5; r++)
    for (unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++) {
      char words[3][16];
      const char *w[3];
      for (int how = SYSCALL; how <= SIGNAL; how++) {
        pid_t pid = fork();
        if (pid == 0) _exit(child(r, sels[i], how));
        int status = 0;
        waitpid(pid, &status, 0);
        w[how] = outcome(status, words[how], sizeof words[how]);
      }
      /* in one piece: the kernel logs each fault between the children */
      printf("%s %04x: %s %s %s\n", regs[r], sels[i], w[0], w[1], w[2]);
    }
  return 0;
}
