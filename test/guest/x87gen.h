/* Operands for the x87 guest (x87.c): 80-bit values biased to every class
 * and edge, float32/float64/integer/packed-BCD memory images, control
 * words; a table-driven CRC-32 (the rt's polynomial and bit order, so it
 * equals crc32() word for word, in a tenth of the instructions) and hex
 * printing. */
#ifndef X87GEN_H
#define X87GEN_H
#include "rt/rt.h"

/* An fldt/fstpt image: significand, then sign and exponent; 16 bytes. */
typedef struct {
  u64 m;
  u16 se;
  u16 pad[3];
} f80;

static f80 mk(u32 se, u64 m) {
  f80 x = {m, (u16)se, {0, 0, 0}};
  return x;
}

static u32 pick(u32 n) { return rnd() % n; }
static u64 rnd64(void) {
  u64 h = rnd();
  return h << 32 | rnd();
}

/* ---- CRC ---- */
static u32 crct[256];
static void crc_init(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    crct[i] = c;
  }
}
static u32 crcw(u32 crc, u32 v) {
  for (int k = 0; k < 4; k++, v >>= 8) crc = crct[(crc ^ v) & 0xff] ^ (crc >> 8);
  return crc;
}
static void fold(struct tally *t, u32 v) { t->crc = crcw(t->crc, v); }
static void fold80(struct tally *t, const f80 *x) {
  fold(t, (u32)x->m);
  fold(t, (u32)(x->m >> 32));
  fold(t, x->se);
}

static u32 rd16(const u8 *p) { return (u32)(p[0] | p[1] << 8); }
static u32 rd32(const u8 *p) { return rd16(p) | rd16(p + 2) << 16; }

static void p80(const f80 *x) { printf(" %04x:%08x%08x", x->se, (u32)(x->m >> 32), (u32)x->m); }

/* ---- 80-bit values ---- */

/* A significand (integer bit set) whose bits below the top `keep` are a
 * rounding edge: zero, exactly half, just below or just above half, all
 * ones, one ulp, or random. keep is 24 or 53 for the precisions, k + 1 for
 * the integer boundary of a value in [2^k, 2^(k+1)). */
static u64 mant_edge(int keep) {
  u64 top;
  switch (pick(4)) {
  case 0: top = ~0ull; break;     /* rounding up carries into the exponent */
  case 1: top = 1ull << 63; break; /* a power of two */
  default: top = rnd64() | 1ull << 63; break;
  }
  if (keep < 1) keep = 1;
  if (keep > 63) return top;
  u64 low = (1ull << (64 - keep)) - 1, half = 1ull << (63 - keep);
  top &= ~low;
  switch (pick(7)) {
  case 0: return top;
  case 1: return top | half;
  case 2: return top | (half - 1);
  case 3: return top | half | 1;
  case 4: return top | low;
  case 5: return top | 1;
  default: return top | (rnd64() & low);
  }
}

static u64 mant(void) {
  switch (pick(10)) {
  case 0: return ~0ull;
  case 1: return 1ull << 63;
  case 2: return 1ull << 63 | 1ull << pick(63);
  case 3: return mant_edge(24);
  case 4: return mant_edge(53);
  case 5: return mant_edge(1 + (int)pick(63));
  case 6: return (rnd64() | 1ull << 63) & ~((1ull << pick(64)) - 1); /* few bits: exact products */
  default: return rnd64() | 1ull << 63;
  }
}

/* Biased exponents of normals, near the ends of every format's range. */
static u32 expo(void) {
  switch (pick(12)) {
  case 0: return 1 + pick(70);                /* extended's smallest normals */
  case 1: return 0x7ffe - pick(70);           /* and largest */
  case 2: case 3: case 4: return 0x3fff - 70 + pick(141);
  case 5: return 0x3f81 - 30 + pick(50);      /* float32: smallest normal 0x3f81, denormal down to 0x3f6a */
  case 6: return 0x407e - 2 + pick(5);        /* float32's largest: 0x407e */
  case 7: return 0x3c01 - 60 + pick(80);      /* float64: smallest normal 0x3c01, denormal down to 0x3bcd */
  case 8: return 0x43fe - 2 + pick(5);        /* float64's largest: 0x43fe */
  case 9: return 0x3fff + pick(66);           /* integers up to 2^65 */
  default: return 1 + pick(0x7ffe);
  }
}

/* A value near an integer boundary: |x| in [2^k, 2^(k+1)), k from -2 to 64,
 * with the bits below the units place at a rounding edge. */
static f80 gen_intish(void) {
  int k = (int)pick(67) - 2;
  return mk((rnd() & 1) << 15 | (u32)(0x3fff + k), mant_edge(k + 1));
}

static f80 gen_f80(void) {
  u32 s = (rnd() & 1) << 15;
  switch (pick(32)) {
  case 0: case 1: return mk(s, 0);
  case 2: case 3: { /* denormal: exponent 0, integer bit 0 */
    u64 m = rnd64() >> (1 + pick(63));
    return mk(s, m ? m : 1);
  }
  case 4: return mk(s, rnd64() | 1ull << 63); /* pseudo-denormal: exponent 0, integer bit 1 */
  case 5: return mk(s | expo(), pick(4) ? rnd64() >> (1 + pick(63)) : 0); /* unnormal, pseudo-zero */
  case 6: case 7: return mk(s | 0x7fff, 1ull << 63); /* infinity */
  case 8: return mk(s | 0x7fff, pick(3) ? rnd64() >> (1 + pick(63)) : 0); /* pseudo-NaN, pseudo-infinity */
  case 9: return mk(s | 0x7fff, 3ull << 62 | (pick(2) ? rnd64() >> (2 + pick(62)) : 0)); /* quiet NaN */
  case 10: return mk(s | 0x7fff, 1ull << 63 | (rnd64() >> (2 + pick(62))) | 1); /* signalling NaN */
  case 11: return mk(0xffff, 3ull << 62); /* the default NaN */
  case 12: return mk(rnd(), rnd64());
  case 13: case 14: case 15: return gen_intish();
  default: return mk(s | expo(), mant());
  }
}

static int normal(const f80 *x) {
  u32 e = x->se & 0x7fff;
  return e != 0 && e != 0x7fff && (x->m >> 63);
}

/* Two operands related as arithmetic edges need: exponents close (halfway
 * sums and differences at the 64-bit edge, cancellation), equal, opposite,
 * one ulp apart. */
static void gen_pair(f80 *a, f80 *b) {
  *a = gen_f80();
  *b = gen_f80();
  u32 r = pick(16);
  if (r < 4 && normal(a) && normal(b)) {
    int e = (int)(a->se & 0x7fff) + (int)pick(141) - 70;
    if (e < 1) e = 1;
    if (e > 0x7ffe) e = 0x7ffe;
    b->se = (u16)((b->se & 0x8000) | e);
  } else if (r == 4) {
    *b = *a;
  } else if (r == 5) {
    *b = *a;
    b->se ^= 0x8000;
  } else if (r == 6) {
    *b = *a;
    b->m ^= 1;
  }
}

/* An exact integer as an 80-bit value, optionally with fraction bits. */
static f80 from_s64(s64 n, int frac) {
  u32 s = n < 0 ? 0x8000 : 0;
  u64 mag = n < 0 ? 0 - (u64)n : (u64)n;
  if (!mag) return mk(s, 0);
  int z = __builtin_clzll(mag);
  u64 m = mag << z;
  u32 e = 0x3fff + 63 - (u32)z;
  if (frac && z > 0) m |= rnd64() & ((1ull << z) - 1);
  return mk(s | e, m);
}

/* fscale's ST(1): mostly integers (small, near the exponent range, near
 * 2^15 and 2^31), some with fractions, some anything. */
static f80 gen_scale(void) {
  s64 n;
  switch (pick(8)) {
  case 0: case 1: return gen_f80();
  case 2: n = (s64)pick(16383 * 2 + 140) - 16383 - 70; break;
  case 3: n = 32768 - 3 + (s64)pick(7); break;
  case 4: n = 0x80000000ll - 3 + (s64)pick(7); break;
  default: n = (s64)pick(141) - 70; break;
  }
  if (rnd() & 1) n = -n;
  return from_s64(n, pick(4) == 0);
}

/* fist/fbstp/frndint operands: integer edges, the ends of the 16-, 32- and
 * 64-bit and 18-digit ranges, and anything. */
static f80 gen_int_operand(void) {
  static const s64 ends[] = {32767, 32768, 2147483647ll, 2147483648ll, 999999999999999999ll,
                             1000000000000000000ll, 0x7fffffffffffffffll};
  switch (pick(8)) {
  case 0: case 1: case 2: return gen_intish();
  case 3: {
    f80 x = from_s64(ends[pick(7)] - 1 + (s64)pick(3), pick(2));
    if (rnd() & 1) x.se ^= 0x8000;
    return x;
  }
  default: return gen_f80();
  }
}

/* fprem's operands: ST(0) dividend, ST(1) divisor, exponent difference
 * often below 64 (full remainder) and at or above it (partial). */
static void gen_rem(f80 *a, f80 *b) {
  gen_pair(a, b);
  if (normal(a) && normal(b) && pick(2)) {
    int e = (int)(b->se & 0x7fff) + (int)pick(200) - 8;
    if (e < 1) e = 1;
    if (e > 0x7ffe) e = 0x7ffe;
    a->se = (u16)((a->se & 0x8000) | e);
  }
}

/* ---- memory images ---- */

static u32 gen_f32(void) {
  u32 s = (rnd() & 1) << 31, e, m;
  switch (pick(8)) {
  case 0: e = 0; break;
  case 1: e = 0xff; break;
  case 2: e = 1 + pick(3); break;
  case 3: e = 0xfe - pick(3); break;
  case 4: case 5: e = 0x7f - 10 + pick(21); break;
  default: e = pick(256); break;
  }
  switch (pick(8)) {
  case 0: m = 0; break;
  case 1: m = 0x7fffff; break;
  case 2: m = 1; break;
  case 3: m = 0x400000; break;
  case 4: m = 0x400000 | (rnd() & 0x3fffff); break;
  case 5: m = rnd() >> (10 + pick(22)); break;
  default: m = rnd() & 0x7fffff; break;
  }
  return s | e << 23 | m;
}

static u64 gen_f64(void) {
  u64 s = (u64)(rnd() & 1) << 63, e, m;
  switch (pick(8)) {
  case 0: e = 0; break;
  case 1: e = 0x7ff; break;
  case 2: e = 1 + pick(3); break;
  case 3: e = 0x7fe - pick(3); break;
  case 4: case 5: e = 0x3ff - 20 + pick(41); break;
  default: e = pick(0x800); break;
  }
  const u64 all = (1ull << 52) - 1;
  switch (pick(8)) {
  case 0: m = 0; break;
  case 1: m = all; break;
  case 2: m = 1; break;
  case 3: m = 1ull << 51; break;
  case 4: m = 1ull << 51 | (rnd64() & (all >> 1)); break;
  case 5: m = rnd64() >> (12 + pick(52)); break;
  default: m = rnd64() & all; break;
  }
  return s | e << 52 | m;
}

static u64 gen_int(int bits) {
  u64 v;
  switch (pick(6)) {
  case 0: {
    static const s64 e[] = {0, 1, -1, 2, -2, 10, -10};
    v = (u64)e[pick(7)];
    break;
  }
  case 1: v = (1ull << (bits - 1)) - 2 + pick(4); break; /* max-1 .. min+1 */
  case 2: v = (u64)(s64)(s32)(rnd() >> pick(32)); if (rnd() & 1) v = 0 - v; break;
  default: v = rnd64() >> pick(64); if (rnd() & 1) v = 0 - v; break;
  }
  return v;
}

/* Packed BCD: 18 digits, byte 9's bit 7 the sign (bits 0-6 ignored). */
static void gen_bcd(u8 *b, int invalid) {
  int nd = pick(4) == 0 ? 18 : (int)pick(19);
  int nines = pick(6) == 0;
  for (int i = 0; i < 9; i++) {
    u32 lo = 2 * i < nd ? (nines ? 9 : pick(10)) : 0, hi = 2 * i + 1 < nd ? (nines ? 9 : pick(10)) : 0;
    b[i] = (u8)(hi << 4 | lo);
  }
  switch (pick(4)) {
  case 0: b[9] = 0; break;
  case 1: b[9] = 0x80; break;
  default: b[9] = (u8)rnd(); break;
  }
  if (invalid) {
    for (u32 n = 1 + pick(3); n; n--) {
      u32 i = pick(9), d = 10 + pick(6);
      b[i] = pick(2) ? (u8)((b[i] & 0x0f) | d << 4) : (u8)((b[i] & 0xf0) | d);
    }
  }
}

/* Control words: every exception masked, precision 24/53/64 (01 is
 * reserved), any rounding; bit 6 set as fninit leaves it. */
static u16 gen_cw(void) {
  static const u16 pc[3] = {0x000, 0x200, 0x300};
  return (u16)(0x7f | pc[pick(3)] | pick(4) << 10);
}
#endif
