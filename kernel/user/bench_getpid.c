/* Benchmark: a million getpid calls, each a round trip through int 0x80. */
#include "stdio.h"
#include "unistd.h"

int main(void) {
  unsigned sum = 0;
  for (int i = 0; i < 1000000; i++) sum = sum * 31 + (unsigned)getpid();
  printf("%08x\n", sum);
  return 0;
}
