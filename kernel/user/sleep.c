/* sleep seconds[.fraction] */
#include "stdio.h"
#include "time.h"

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: sleep seconds\n"); return 2; }
  struct timespec t = {0, 0};
  const char *s = argv[1];
  for (; *s >= '0' && *s <= '9'; s++) t.tv_sec = t.tv_sec * 10 + (*s - '0');
  if (*s == '.')
    for (long scale = 100000000; *++s >= '0' && *s <= '9' && scale; scale /= 10) t.tv_nsec += (*s - '0') * scale;
  if (*s) { fprintf(stderr, "sleep: %s: not a number\n", argv[1]); return 2; }
  return nanosleep(&t, 0) < 0 ? 1 : 0;
}
