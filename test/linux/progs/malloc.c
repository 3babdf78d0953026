/* malloc: small and large blocks (brk and mmap both), realloc growing and
 * shrinking (mremap for the large), calloc's zeros, and memory handed
 * back and reused, checked by the contents each block should have. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t state = 12345;
static uint32_t rnd(void) { state = state * 1103515245 + 12345; return state >> 8; }

int main(void) {
  enum { N = 2000 };
  static unsigned char *blocks[N];
  static size_t sizes[N];
  unsigned long total = 0, checks = 0;
  for (int round = 0; round < 20; round++) {
    for (int i = 0; i < N; i++) {
      int k = rnd() % N;
      if (blocks[k]) {
        for (size_t j = 0; j < sizes[k]; j += 97) if (blocks[k][j] != (unsigned char)(k + sizes[k])) { printf("corrupt %d\n", k); return 1; }
        checks++;
        free(blocks[k]);
        blocks[k] = NULL;
      } else {
        size_t sz = rnd() % 8 == 0 ? rnd() % 300000 + 1 : rnd() % 512 + 1;
        blocks[k] = malloc(sz);
        if (!blocks[k]) { printf("malloc %zu failed\n", sz); return 1; }
        memset(blocks[k], (unsigned char)(k + sz), sz);
        sizes[k] = sz;
        total += sz;
      }
    }
  }
  printf("allocated %lu bytes, %lu blocks checked\n", total, checks);
  for (int i = 0; i < N; i++) free(blocks[i]);

  char *p = malloc(16);
  strcpy(p, "grow me");
  for (size_t sz = 32; sz <= (8u << 20); sz *= 4) {
    p = realloc(p, sz);
    if (!p) { printf("realloc %zu failed\n", sz); return 1; }
    p[sz - 1] = 'x';
  }
  printf("after growing: %s\n", p);
  p = realloc(p, 8);
  p[7] = 0;
  printf("after shrinking: %s\n", p);
  free(p);

  int *z = calloc(100000, sizeof *z);
  long nonzero = 0;
  for (int i = 0; i < 100000; i++) nonzero += z[i] != 0;
  printf("calloc: %ld nonzero\n", nonzero);
  free(z);
  void *big = malloc(64 << 20);
  printf("64 MiB: %s\n", big ? "ok" : "failed");
  if (big) memset(big, 1, 1 << 20);
  free(big);
  return 0;
}
