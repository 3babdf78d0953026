/* Benchmark: page faults. Maps 16 MiB of anonymous memory four times and
 * touches every page, each touch a fault that brings in a zeroed page. */
#include "stdio.h"
#include "sys/mman.h"

int main(void) {
  unsigned sum = 0;
  for (int round = 0; round < 4; round++) {
    unsigned char *m = mmap(0, 16 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) { printf("mmap failed\n"); return 1; }
    for (unsigned off = 0; off < (16u << 20); off += 4096) {
      sum += m[off];           /* a fresh page reads as zero */
      m[off] = (unsigned char)(off >> 12);
      sum += m[off];
    }
    munmap(m, 16 << 20);
  }
  printf("%08x\n", sum);
  return 0;
}
