/* stdio: formatted output of every integer and string conversion,
 * files written, read back, seeked and appended through FILE, line and
 * formatted input, buffering modes and ungetc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d]\n", 42, 42, 42, 42, 42, 42);
  printf("[%u] [%x] [%X] [%#x] [%o] [%#o]\n", 3000000000u, 0xbeef, 0xbeef, 255, 8, 8);
  printf("[%lld] [%llu] [%llx] [%hhd] [%hd]\n", -1234567890123LL, 18446744073709551615ULL, 0x123456789abcULL, 300, 70000);
  printf("[%s] [%10s] [%-10s] [%.3s] [%c] [%%]\n", "str", "right", "left", "truncate", 'c');
  printf("[%*d] [%-*d] [%.*s]\n", 6, 7, 6, 7, 2, "abc");
  printf("[%p]\n", (void *)0);
  char buf[64];
  int n = snprintf(buf, 8, "%s", "overflowing");
  printf("snprintf: %d [%s]\n", n, buf);

  const char *path = "stdio.tmp";
  FILE *f = fopen(path, "w");
  if (!f) { perror("fopen w"); return 1; }
  for (int i = 0; i < 100; i++) fprintf(f, "line %d: %s\n", i, i % 2 ? "odd" : "even");
  fclose(f);
  f = fopen(path, "r");
  char line[128];
  int lines = 0;
  long sum = 0;
  while (fgets(line, sizeof line, f)) {
    int k;
    if (sscanf(line, "line %d:", &k) == 1) sum += k;
    lines++;
  }
  printf("read %d lines, sum %ld\n", lines, sum);
  fseek(f, 0, SEEK_END);
  printf("size %ld\n", ftell(f));
  fseek(f, 14, SEEK_SET);
  int c = fgetc(f);
  ungetc(c, f);
  printf("at 14: '%c' then '%c'\n", c, fgetc(f));
  rewind(f);
  char *lp = NULL;
  size_t cap = 0;
  ssize_t len = getline(&lp, &cap, f);
  printf("getline: %zd [%.*s]\n", len, (int)len - 1, lp);
  free(lp);
  fclose(f);
  f = fopen(path, "a+");
  fputs("appended\n", f);
  fseek(f, -9, SEEK_END);
  printf("appended: %s", fgets(line, sizeof line, f));
  fclose(f);
  unlink(path);

  f = fopen("nonexistent/file", "r");
  printf("fopen missing: %s\n", f ? "opened" : "NULL");
  int a, b;
  char w[16];
  printf("sscanf: %d", sscanf("12 0x1f word", "%d %i %15s", &a, &b, w));
  printf(" -> %d %d %s\n", a, b, w);
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("unbuffered ");
  fprintf(stderr, "to stderr ");
  printf("done\n");
  return 0;
}
