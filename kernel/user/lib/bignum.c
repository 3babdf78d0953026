/* Fixed-capacity big unsigned integers (bignum.h). A result that would
 * not fit loses its top limbs; the callers' sizes keep far from that. */
#include "bignum.h"

static void trim(struct big *b) {
  while (b->n && !b->w[b->n - 1]) b->n--;
}

void big_set(struct big *b, uint64_t v) {
  b->w[0] = (uint32_t)v;
  b->w[1] = (uint32_t)(v >> 32);
  b->n = 2;
  trim(b);
}

void big_mul(struct big *b, uint32_t m) {
  uint32_t carry = 0;
  for (int i = 0; i < b->n; i++) {
    uint64_t t = (uint64_t)b->w[i] * m + carry;
    b->w[i] = (uint32_t)t;
    carry = (uint32_t)(t >> 32);
  }
  if (carry && b->n < BIG_LIMBS) b->w[b->n++] = carry;
  trim(b);
}

void big_add(struct big *b, uint32_t a) {
  for (int i = 0; a; i++) {
    if (i == b->n) {
      if (i == BIG_LIMBS) return;
      b->w[b->n++] = 0;
    }
    uint32_t s = b->w[i] + a;
    a = s < a;
    b->w[i] = s;
  }
}

/* The largest powers of 5 and 10 that fit in a limb. */
void big_mul_pow(struct big *b, uint32_t base, int exp) {
  uint32_t step = base == 5 ? 1220703125u : 1000000000u;
  int per = base == 5 ? 13 : 9;
  for (; exp >= per; exp -= per) big_mul(b, step);
  uint32_t rest = 1;
  while (exp-- > 0) rest *= base;
  big_mul(b, rest);
}

void big_shl(struct big *b, int bits) {
  if (!b->n) return;
  int limbs = bits / 32, s = bits % 32;
  int n = b->n + limbs + 1;
  if (n > BIG_LIMBS) n = BIG_LIMBS;
  for (int i = n - 1; i >= 0; i--) {
    int j = i - limbs;
    uint32_t hi = j >= 0 && j < b->n ? b->w[j] : 0;
    uint32_t lo = j >= 1 && j - 1 < b->n ? b->w[j - 1] : 0;
    b->w[i] = s ? hi << s | lo >> (32 - s) : hi;
  }
  b->n = n;
  trim(b);
}

/* divl divides EDX:EAX by a limb; EDX (the running remainder) below the
 * divisor keeps the quotient in 32 bits. The compiler would call a
 * bit-at-a-time 64-bit division instead. */
uint32_t big_divmod(struct big *b, uint32_t d) {
  uint32_t r = 0;
  for (int i = b->n - 1; i >= 0; i--) {
    uint32_t q;
    __asm__("divl %4" : "=a"(q), "=d"(r) : "a"(b->w[i]), "d"(r), "rm"(d));
    b->w[i] = q;
  }
  trim(b);
  return r;
}

int big_cmp(const struct big *a, const struct big *b) {
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (int i = a->n - 1; i >= 0; i--)
    if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
  return 0;
}

void big_sub(struct big *a, const struct big *b) {
  uint32_t borrow = 0;
  for (int i = 0; i < a->n; i++) {
    uint32_t x = i < b->n ? b->w[i] : 0;
    uint64_t t = (uint64_t)a->w[i] - x - borrow;
    a->w[i] = (uint32_t)t;
    borrow = (uint32_t)(t >> 63);
  }
  trim(a);
}

int big_bits(const struct big *b) {
  if (!b->n) return 0;
  return 32 * b->n - __builtin_clz(b->w[b->n - 1]);
}
