/* Two processes computing at once, each with its own FPU control word:
 * the parent sums 1/k^2 for k from n down to 1 with the precision control
 * at 24 bits (every operation rounded as a float; smallest first, or the
 * sum would stop growing after 4096 terms), the child the Leibniz series
 * for pi at 53 bits (as doubles). The timer switches between them in mid-loop, with
 * the partial sums in FPU registers, so each result is right only if the
 * kernel keeps each process's FPU registers and control word its own.
 * test/kernel/fpu.test.ts computes the same sums in JavaScript. */
#include "stdio.h"
#include "stdlib.h"
#include "unistd.h"
#include "sys/wait.h"

static void set_control_word(unsigned short cw) { __asm__ volatile("fldcw %0" : : "m"(cw)); }

static unsigned long long bits(double d) {
  union { double d; unsigned long long u; } v = {d};
  return v.u;
}

static void report(const char *name, int terms, double v) {
  printf("%s %d %.17g %016llx\n", name, terms, v, bits(v));
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200000, step = n / 4 > 0 ? n / 4 : 1;
  pid_t child = fork();
  if (child < 0) {
    perror("fork");
    return 1;
  }
  if (child == 0) {
    set_control_word(0x027f); /* 53-bit precision, to nearest */
    double s = 0;
    for (int k = 0; k < n;) {
      for (int end = k + step; k < end && k < n; k++) {
        double t = 1.0 / (2.0 * k + 1.0);
        s += k & 1 ? -t : t;
      }
      report("pi", k, 4 * s);
    }
    return 0;
  }
  set_control_word(0x007f); /* 24-bit precision, to nearest */
  double s = 0;
  for (int i = 0; i < n;) {
    for (int end = i + step; i < end && i < n; i++) {
      double k = n - i;
      s += 1.0 / (k * k);
    }
    report("zeta2", i, s);
  }
  int status;
  waitpid(child, &status, 0);
  printf("child: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "done" : "failed");
  return 0;
}
