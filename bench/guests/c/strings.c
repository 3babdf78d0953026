/* String scanning: lengths, character searches and a naive substring
 * search over generated text. */
#include "bench.h"

#define LEN 65536
static char text[LEN + 1];

static usize length(const char *s) { const char *p = s; while (*p) p++; return (usize)(p - s); }

static u32 count_char(const char *s, char c) { u32 n = 0; for (; *s; s++) n += *s == c; return n; }

static u32 find_all(const char *hay, const char *needle) {
  u32 n = 0;
  for (const char *h = hay; *h; h++) {
    const char *a = h, *b = needle;
    while (*a && *a == *b) a++, b++;
    if (!*b) n++;
  }
  return n;
}

u32 bench(void) {
  u32 seed = 362436069u;
  for (u32 i = 0; i < LEN; i++) {
    u32 r = xorshift(&seed) % 28;
    text[i] = r < 26 ? (char)('a' + r % 6) : ' ';
  }
  text[LEN] = 0;
  u32 sum = 0;
  for (u32 round = 0; round < 12; round++) {
    text[round * 4099 % LEN] = 'z';
    sum += (u32)length(text) + count_char(text, 'a') * 3 + find_all(text, "abc") * 7 + find_all(text, "fe d");
  }
  return sum;
}
