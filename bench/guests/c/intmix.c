/* Integer mix: xorshift, FNV-1a hashing and a table-driven CRC-32. */
#include "bench.h"

static u32 crc_table[256];

u32 bench(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  u32 seed = 2463534242u, fnv = 2166136261u, crc = 0xffffffffu;
  for (u32 i = 0; i < 3000000; i++) {
    u32 r = xorshift(&seed);
    fnv = (fnv ^ (r & 0xff)) * 16777619u;
    fnv = (fnv ^ (r >> 24)) * 16777619u;
    crc = crc_table[(crc ^ r) & 0xff] ^ (crc >> 8);
  }
  return fnv ^ ~crc;
}
