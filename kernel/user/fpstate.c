/* Whose FPU state a process sees.
 *   fpstate          prints this process's control, status and tag words:
 *                    a new program starts from fninit's (037f 0000 ffff)
 *   fpstate fork     sets a control word and pushes pi, then forks: the
 *                    child starts with a copy of both
 *   fpstate exec     sets a control word, then execs fpstate: a new program
 *                    does not inherit it
 *   fpstate race N   parent and child each hold their own FPU state (the
 *                    child rounding toward zero) and give the CPU to the
 *                    other N times with it in the FPU's registers; neither
 *                    may see the other's. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "unistd.h"
#include "sys/wait.h"

#define SYS_sched_yield 158

struct env { unsigned short cw, r0, sw, r1, tw, r2; unsigned ip, cs_op, dp, ds; };

/* fnstenv masks every exception afterwards; fldenv puts them back. */
static void print_state(const char *who) {
  struct env e;
  __asm__ volatile("fnstenv %0; fldenv %0" : "=m"(e));
  printf("%scw %04x sw %04x tag %04x\n", who, e.cw, e.sw, e.tw);
}

static void set_control_word(unsigned short cw) { __asm__ volatile("fldcw %0" : : "m"(cw)); }

/* Sets a control word and pushes pi (rounded by it), then forks: both
 * processes print pi from their own FPU and their state. */
static int fork_with_pi(void) {
  set_control_word(0x0e7f); /* round toward zero, 53-bit precision */
  int pid = 2; /* fork, by hand: a C call would have to empty the FPU stack first */
  unsigned char t[10];
  __asm__ volatile("fldpi; int $0x80; fstpt %1" : "+a"(pid), "=m"(t) : : "memory");
  const char *who = pid ? "parent: " : "child: ";
  printf("%sst0 %02x%02x %02x%02x%02x%02x%02x%02x%02x%02x\n", who, t[9], t[8], t[7], t[6], t[5], t[4], t[3], t[2], t[1], t[0]);
  print_state(who);
  if (pid) {
    int status;
    waitpid(pid, &status, 0);
  }
  return 0;
}

/* One round: the saved state back into the FPU, the CPU given away with
 * it there, 1/10 computed with it (its rounding shows in the last bit),
 * the state saved again. The kernel must bring it back intact, the
 * last-instruction pointers included (one copy of this code, so that they
 * are the same in every round). */
__attribute__((noinline)) static void round_trip(unsigned char state[108], unsigned long long *tenth) {
  static const int ten = 10;
  int call = SYS_sched_yield;
  __asm__ volatile("frstor %0\n\t"
                   "int $0x80\n\t"
                   "fld1\n\t"
                   "fidivl %3\n\t"
                   "fstpl %1\n\t"
                   "fnsave %0"
                   : "+m"(*(unsigned char(*)[108])state), "=m"(*tenth), "+a"(call)
                   : "m"(ten)
                   : "memory");
}

static int race(int rounds) {
  pid_t pid = fork();
  const char *who = pid ? "parent" : "child";
  if (!pid) set_control_word(0x0e7f);
  /* a few values on the stack, different in each */
  unsigned char state[108], first[108];
  __asm__ volatile("fld1; fldpi; fldl2t" ::: "memory");
  if (pid) __asm__ volatile("fldz" ::: "memory");
  __asm__ volatile("fnsave %0" : "=m"(state));
  unsigned long long tenth = 0;
  int changed = 0;
  for (int i = 0; i < rounds; i++) {
    round_trip(state, &tenth);
    if (i == 0) memcpy(first, state, sizeof first);
    else if (memcmp(state, first, sizeof first) != 0) changed++;
  }
  /* the saved image: control word at 0, tag word at 8 */
  printf("%s: %d rounds, state changed in %d, 1/10 = %016llx, cw %02x%02x tag %02x%02x\n", who, rounds, changed, tenth,
         state[1], state[0], state[9], state[8]);
  if (pid) {
    int status;
    waitpid(pid, &status, 0);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "fork") == 0) return fork_with_pi();
  if (argc > 1 && strcmp(argv[1], "exec") == 0) {
    set_control_word(0x0e7f);
    print_state("before exec: ");
    char *args[] = {"fpstate", 0};
    execve("/bin/fpstate", args, environ);
    perror("execve");
    return 1;
  }
  if (argc > 2 && strcmp(argv[1], "race") == 0) return race(atoi(argv[2]));
  print_state("");
  return 0;
}
