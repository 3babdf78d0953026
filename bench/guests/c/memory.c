/* Memory-bound: random updates of a 1 MiB table, and block copies and
 * fills through rep movs / rep stos. */
#include "bench.h"

#define WORDS (256 * 1024)
static u32 table[WORDS];
static u8 a[65536], b[65536];

u32 bench(void) {
  u32 seed = 88172645u;
  for (u32 i = 0; i < WORDS; i++) table[i] = i * 2654435761u;
  for (u32 i = 0; i < 2000000; i++) {
    u32 r = xorshift(&seed);
    table[r % WORDS] += r;
  }
  u32 sum = 0;
  for (u32 round = 0; round < 300; round++) {
    fill_bytes(a, (u8)round, sizeof a);
    copy_bytes(b + (round & 63), a, sizeof a - 64);
    sum += b[round * 197 % sizeof b] + table[round * 7919 % WORDS];
  }
  for (u32 i = 0; i < WORDS; i += 64) sum ^= table[i];
  return sum;
}
