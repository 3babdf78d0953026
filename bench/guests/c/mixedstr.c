/* String routines written as a C library writes them: byte steps up to
 * an aligned address, then a word (four bytes) at a time, then the byte
 * tail; strlen and strchr find a zero byte in a word with the
 * (x - 0x01010101) & ~x & 0x80808080 test. Used the way programs use
 * them, on buffers at every alignment: lines split out of a text and
 * copied, words looked up in a hashed symbol table (strcmp), records
 * filled (memset) and compared (memcmp). */
#include "bench.h"

typedef u32 __attribute__((may_alias)) word;

#define ONES 0x01010101u
#define HIGHS 0x80808080u
#define HAS_ZERO(x) (((x) - ONES) & ~(x) & HIGHS)

static int aligned(const void *p) { return ((usize)p & 3) == 0; }

static void *str_memcpy(void *dst, const void *src, usize n) {
  u8 *d = dst;
  const u8 *s = src;
  while (n && !aligned(d)) { *d++ = *s++; n--; }
  if (aligned(s)) {
    for (; n >= 16; n -= 16, d += 16, s += 16) {
      ((word *)d)[0] = ((const word *)s)[0];
      ((word *)d)[1] = ((const word *)s)[1];
      ((word *)d)[2] = ((const word *)s)[2];
      ((word *)d)[3] = ((const word *)s)[3];
    }
    for (; n >= 4; n -= 4, d += 4, s += 4) *(word *)d = *(const word *)s;
  } else {
    /* Source misaligned against the destination: aligned word loads
     * shifted together, as the i386 C libraries without SSE do. */
    usize shift = ((usize)s & 3) * 8;
    const word *ws = (const word *)((usize)s & ~(usize)3);
    u32 lo = *ws++;
    for (; n >= 4; n -= 4, d += 4, s += 4) {
      u32 hi = *ws++;
      *(word *)d = (lo >> shift) | (hi << (32 - shift));
      lo = hi;
    }
  }
  while (n--) *d++ = *s++;
  return dst;
}

static void *str_memset(void *dst, int c, usize n) {
  u8 *d = dst;
  u8 b = (u8)c;
  while (n && !aligned(d)) { *d++ = b; n--; }
  u32 w = b * ONES;
  for (; n >= 8; n -= 8, d += 8) { ((word *)d)[0] = w; ((word *)d)[1] = w; }
  for (; n >= 4; n -= 4, d += 4) *(word *)d = w;
  while (n--) *d++ = b;
  return dst;
}

static int str_memcmp(const void *a, const void *b, usize n) {
  const u8 *x = a, *y = b;
  if (((usize)x & 3) == ((usize)y & 3)) {
    while (n && !aligned(x)) {
      if (*x != *y) return *x - *y;
      x++, y++, n--;
    }
    for (; n >= 4; n -= 4, x += 4, y += 4)
      if (*(const word *)x != *(const word *)y) break;
  }
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

static usize str_len(const char *s) {
  const char *p = s;
  for (; !aligned(p); p++)
    if (!*p) return (usize)(p - s);
  const word *w = (const word *)p;
  while (!HAS_ZERO(*w)) w++;
  p = (const char *)w;
  while (*p) p++;
  return (usize)(p - s);
}

static char *str_chr(const char *s, int c) {
  u8 ch = (u8)c;
  for (; !aligned(s); s++) {
    if ((u8)*s == ch) return (char *)s;
    if (!*s) return 0;
  }
  u32 pattern = ch * ONES;
  const word *w = (const word *)s;
  for (;; w++) {
    u32 x = *w;
    if (HAS_ZERO(x) || HAS_ZERO(x ^ pattern)) break;
  }
  for (s = (const char *)w;; s++) {
    if ((u8)*s == ch) return (char *)s;
    if (!*s) return 0;
  }
}

static int str_cmp(const char *a, const char *b) {
  if (((usize)a & 3) == ((usize)b & 3)) {
    for (; !aligned(a); a++, b++)
      if (*a != *b || !*a) return (u8)*a - (u8)*b;
    const word *x = (const word *)a, *y = (const word *)b;
    while (*x == *y && !HAS_ZERO(*x)) x++, y++;
    a = (const char *)x, b = (const char *)y;
  }
  while (*a && *a == *b) a++, b++;
  return (u8)*a - (u8)*b;
}

static int sign(int v) { return (v > 0) - (v < 0); }

/* ---- the program ---- */

#define TEXT (48 * 1024)
static char text[TEXT + 8];
static char line[512 + 8];
static u8 rec_a[1024 + 8], rec_b[1024 + 8];

#define BUCKETS 256
#define SYMS 1024
#define POOL (SYMS * 16)
static char pool[POOL + 8];
static u32 pool_used;
static struct sym { const char *name; struct sym *next; u32 count; } syms[SYMS];
static struct sym *buckets[BUCKETS];
static u32 nsyms;

static void make_text(u32 seed) {
  u32 i = 0;
  while (i < TEXT - 40) {
    u32 r = xorshift(&seed);
    u32 len = 1 + (r & 7) + ((r >> 3) & 3);
    for (u32 k = 0; k < len; k++) text[i++] = (char)('a' + ((r >> (k * 2 + 5)) % 9));
    text[i++] = (r >> 28) == 0 ? '\n' : ' ';
  }
  while (i < TEXT) text[i++] = '\n';
  text[TEXT] = 0;
}

static u32 hash_word(const char *s, usize n) {
  u32 h = 2166136261u;
  for (usize i = 0; i < n; i++) h = (h ^ (u8)s[i]) * 16777619u;
  return h;
}

/* The symbol for a word (its bytes in w, n of them), added if new. */
static struct sym *intern(const char *w, usize n, char *scratch) {
  str_memcpy(scratch, w, n);
  scratch[n] = 0;
  u32 b = hash_word(w, n) % BUCKETS;
  for (struct sym *s = buckets[b]; s; s = s->next)
    if (str_cmp(s->name, scratch) == 0) return s;
  if (nsyms == SYMS || pool_used + n + 1 > POOL) return 0;
  /* Names packed at odd offsets, as a string pool does. */
  char *name = pool + pool_used;
  str_memcpy(name, scratch, n + 1);
  pool_used += (u32)n + 1;
  struct sym *s = &syms[nsyms++];
  s->name = name;
  s->count = 0;
  s->next = buckets[b];
  buckets[b] = s;
  return s;
}

static u32 process_text(u32 round) {
  u32 sum = 0;
  const char *p = text;
  u32 lines = 0;
  while (*p) {
    const char *nl = str_chr(p, '\n');
    usize n = (usize)(nl - p);
    if (n > 500) n = 500;
    char *dst = line + ((round + lines) & 7); /* every alignment */
    str_memcpy(dst, p, n);
    dst[n] = 0;
    sum += (u32)str_len(dst) * 3;
    /* Words of the line, through strchr on spaces; each interned. */
    char scratch[520];
    for (char *w = dst; *w;) {
      char *sp = str_chr(w, ' ');
      usize wn = sp ? (usize)(sp - w) : str_len(w);
      struct sym *s = intern(w, wn, scratch + (lines & 3));
      if (s) { s->count++; sum += (u32)(s - syms); }
      if (!sp) break;
      w = sp + 1;
    }
    lines++;
    p = nl + 1;
  }
  return sum + lines;
}

static u32 records(u32 seed) {
  u32 sum = 0;
  for (u32 i = 0; i < 600; i++) {
    u32 r = xorshift(&seed);
    usize oa = r & 7, ob = (r >> 3) & 7, n = 64 + ((r >> 6) & 511);
    str_memset(rec_a + oa, (int)(r >> 20), n);
    str_memcpy(rec_b + ob, rec_a + oa, n);
    if (r & 0x1000) rec_b[ob + ((r >> 13) % n)] ^= 0x20;
    sum += (u32)sign(str_memcmp(rec_a + oa, rec_b + ob, n)) + 1;
    sum += (u32)sign(str_memcmp(rec_a + (oa & 4), rec_b + (ob & 4), n / 2)) * 5 + 5;
    /* A block moved within the text, at mismatched alignments. */
    usize from = (r >> 7) % (TEXT - 1200), to = (r >> 17) % (TEXT - 1200);
    str_memcpy(line, text + from, 300 + (r & 127));
    sum += (u32)sign(str_memcmp(line, text + to, 300)) + 1;
  }
  return sum;
}

u32 bench(void) {
  u32 sum = 0;
  for (u32 round = 0; round < 20; round++) {
    make_text(0x1f123bb5u + round * 7919u);
    sum = sum * 31 + process_text(round);
    sum = sum * 31 + records(0x3c6ef372u ^ round);
  }
  u32 common = 0;
  for (u32 i = 0; i < nsyms; i++) common = common * 7 + syms[i].count + (u32)str_len(syms[i].name);
  return sum ^ common ^ nsyms << 20;
}
