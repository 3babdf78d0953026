/* kill [-SIGNAL] pid...: SIGNAL is a number or a name (TERM by default). */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "errno.h"
#include "signal.h"

static const struct { const char *name; int sig; } names[] = {
  {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"KILL", SIGKILL}, {"SEGV", SIGSEGV}, {"PIPE", SIGPIPE},
  {"TERM", SIGTERM}, {"CHLD", SIGCHLD},
};

static int parse_signal(const char *s) {
  if (*s >= '0' && *s <= '9') return atoi(s);
  if (strncmp(s, "SIG", 3) == 0) s += 3;
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(s, names[i].name) == 0) return names[i].sig;
  return -1;
}

int main(int argc, char **argv) {
  int sig = SIGTERM, i = 1;
  if (i < argc && argv[i][0] == '-') {
    sig = parse_signal(argv[i] + 1);
    if (sig < 0) { fprintf(stderr, "kill: %s: unknown signal\n", argv[i] + 1); return 2; }
    i++;
  }
  if (i == argc) { fprintf(stderr, "usage: kill [-SIGNAL] pid...\n"); return 2; }
  int status = 0;
  for (; i < argc; i++)
    if (kill(atoi(argv[i]), sig) < 0) {
      fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
  return status;
}
