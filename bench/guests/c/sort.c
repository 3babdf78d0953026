/* Sorting: quicksort of pseudo-random keys, checked as it goes. */
#include "bench.h"

#define N 200000
static u32 keys[N];

static void quicksort(u32 *v, int lo, int hi) {
  while (lo < hi) {
    u32 pivot = v[lo + (hi - lo) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) { u32 t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
    }
    if (j - lo < hi - i) { quicksort(v, lo, j); lo = i; }
    else { quicksort(v, i, hi); hi = j; }
  }
}

u32 bench(void) {
  u32 seed = 1234567u, sum = 0;
  for (u32 round = 0; round < 3; round++) {
    for (u32 i = 0; i < N; i++) keys[i] = xorshift(&seed);
    quicksort(keys, 0, N - 1);
    for (u32 i = 1; i < N; i++) if (keys[i - 1] > keys[i]) return 0xbad;
    sum += keys[N / 2] ^ keys[round * 1000];
  }
  return sum;
}
