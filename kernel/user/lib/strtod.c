/* strtod and atof, correctly rounded (to nearest, ties to even) for any
 * number of digits: the decimal D * 10^q is divided out exactly in big
 * integers (bignum.c) to the 53 bits of a double plus a rounding bit and
 * whether anything remains. Accepts what C's strtod does but hexadecimal
 * floats (0x1p3 reads as 0, ending at the x): leading white space, a sign,
 * digits with an optional point, an exponent, inf, infinity and nan.
 * ERANGE for a result that overflows to infinity or underflows to 0. */
#include <stdint.h>
#include "stdlib.h"
#include "errno.h"
#include "bignum.h"

/* Digits kept. A double halfway between two others has at most 768
 * significant digits, so past 800 only whether any digit was not 0 can
 * matter; it is kept as one more digit 1. */
#define MAX_DIGITS 800

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* s starts with word, in any case. */
static int word(const char *s, const char *word) {
  for (; *word; s++, word++)
    if (lower(*s) != *word) return 0;
  return 1;
}

static double from_bits(uint64_t u) {
  union { uint64_t u; double d; } v = {u};
  return v.d;
}

/* D * 10^q, D > 0, as the nearest double's bits (without the sign). */
static uint64_t nearest(const struct big *digits, int q) {
  struct big num = *digits, den, t;
  big_set(&den, 1);
  if (q >= 0) big_mul_pow(&num, 10, q);
  else big_mul_pow(&den, 10, -q);
  /* b: the value's binary exponent, 2^b <= value < 2^(b+1) */
  int b = big_bits(&num) - big_bits(&den);
  t = den;
  if (b >= 0) big_shl(&t, b);
  else t = num, big_shl(&t, -b);
  if (b >= 0 ? big_cmp(&num, &t) < 0 : big_cmp(&t, &den) < 0) b--;
  if (b > 1023) return 0x7ffull << 52;
  int e = b - 52 > -1074 ? b - 52 : -1074; /* the weight of the result's last bit */
  /* quotient: the value / 2^(e-1), under 2^54: 53 bits and a rounding bit */
  if (1 - e >= 0) big_shl(&num, 1 - e);
  else big_shl(&den, e - 1);
  uint64_t quotient = 0;
  for (int i = 54; i >= 0; i--) {
    t = den;
    big_shl(&t, i);
    if (big_cmp(&num, &t) < 0) continue;
    big_sub(&num, &t);
    quotient |= 1ull << i;
  }
  uint64_t m = quotient >> 1;
  if ((quotient & 1) && (num.n || (m & 1))) m++;
  if (m == 1ull << 53) m >>= 1, e++;
  if (e + 1075 >= 0x7ff) return 0x7ffull << 52;
  return m >> 52 ? (uint64_t)(e + 1075) << 52 | (m & ((1ull << 52) - 1)) : m;
}

double strtod(const char *s, char **end) {
  const char *p = s;
  while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
  uint64_t sign = *p == '-' ? 1ull << 63 : 0;
  if (*p == '-' || *p == '+') p++;
  if (word(p, "inf")) {
    if (end) *end = (char *)p + (word(p, "infinity") ? 8 : 3);
    return from_bits(sign | 0x7ffull << 52);
  }
  if (word(p, "nan")) {
    p += 3;
    if (*p == '(') { /* nan(chars): the chars choose nothing here */
      const char *q = p + 1;
      while ((*q >= '0' && *q <= '9') || (lower(*q) >= 'a' && lower(*q) <= 'z') || *q == '_') q++;
      if (*q == ')') p = q + 1;
    }
    if (end) *end = (char *)p;
    return from_bits(sign | 0x7ff8ull << 48);
  }
  struct big digits;
  big_set(&digits, 0);
  int n = 0, q = 0, any = 0, point = 0, dropped = 0;
  for (;; p++) {
    if (*p == '.' && !point) { point = 1; continue; }
    if (*p < '0' || *p > '9') break;
    any = 1;
    if (n == 0 && *p == '0') { q -= point; continue; } /* leading zeros */
    if (n < MAX_DIGITS) {
      big_mul(&digits, 10);
      big_add(&digits, (uint32_t)(*p - '0'));
      n++;
      q -= point;
    } else {
      dropped |= *p != '0';
      q += !point;
    }
  }
  if (!any) {
    if (end) *end = (char *)s;
    return 0;
  }
  if ((*p == 'e' || *p == 'E')) {
    const char *x = p + 1;
    int neg = *x == '-';
    if (*x == '-' || *x == '+') x++;
    if (*x >= '0' && *x <= '9') {
      int v = 0;
      for (; *x >= '0' && *x <= '9'; x++)
        if (v < 100000) v = v * 10 + (*x - '0');
      q += neg ? -v : v;
      p = x;
    }
  }
  if (end) *end = (char *)p;
  if (n == 0) return from_bits(sign);
  if (dropped) {
    big_mul(&digits, 10);
    big_add(&digits, 1);
    n++;
    q--;
  }
  /* 10^(q+n-1) <= value < 10^(q+n): past DBL_MAX, or below half the least
   * denormal (2.47e-324) */
  uint64_t bits = q + n > 309 ? 0x7ffull << 52 : q + n < -323 ? 0 : nearest(&digits, q);
  if (bits == 0x7ffull << 52 || bits == 0) errno = ERANGE;
  return from_bits(sign | bits);
}

double atof(const char *s) { return strtod(s, 0); }
