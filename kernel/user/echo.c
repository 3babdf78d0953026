/* echo [-n] [word...] */
#include "stdio.h"
#include "string.h"

int main(int argc, char **argv) {
  int i = 1, newline = 1;
  if (i < argc && strcmp(argv[i], "-n") == 0) newline = 0, i++;
  char buf[1024];
  int n = 0;
  for (int first = i; i < argc; i++)
    n += snprintf(buf + n, n < (int)sizeof buf ? sizeof buf - (size_t)n : 0, "%s%s", i > first ? " " : "", argv[i]);
  if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
  if (newline) buf[n++] = '\n';
  buf[n] = 0;
  fputs(buf, stdout);
  return 0;
}
